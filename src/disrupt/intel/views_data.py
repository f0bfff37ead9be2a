"""The data behind the analysis pages: the network view, the money-flow view, a community.

Pages and the API call these and only draw what they return. Every function takes the run and
the user who looks at it, answers Http404 when the user may not see the run (a run is its
requester's only), and re-reads every entity it returns through the access policy *now*: a run
is a snapshot of what its requester could see when it ran, and sharing may have narrowed since.
An entity the user can no longer see is left out of every node, edge, flow, member and ranking,
and each answer says `narrowed` when a collection of the run is no longer readable (the page
should then offer to run the analysis again: scores such as betweenness are the snapshot's).

Signatures (stable; see docs/network-analysis.md, "Reading a run"):
- `network_elements(run, user, *, community=None, country=None, schema=None, since=None,
  until=None, limit=3000) -> dict`: Cytoscape.js elements of the filtered subgraph.
- `money_flows(run, user, *, limit=200) -> dict`: flows between accounts with captions and
  countries, country-to-country totals, fan-in, fan-out and round-tripping cycles.
- `community_summary(run, user, number, *, limit=500) -> dict`: members with caption, schema,
  country and role, countries, money in, out and within.
- `run_overview(run, user) -> dict`: the run's counts and rankings (brokers, disruption
  targets, communities, cross-border components, command lines) with captions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.http import Http404

from disrupt.access import policy
from disrupt.intel.analysis import LINK_SCHEMATA
from disrupt.intel.choices import JobStatus
from disrupt.intel.models import AnalysisNode, AnalysisRun, Collection, Entity

# The network view stays usable at a few thousand nodes (issue 5, "Pages").
NETWORK_LIMIT = 3000


@dataclass(frozen=True)
class Seen:
    """An entity as the user may see it now."""

    caption: str
    schema: str
    country: str


def _checked(run: AnalysisRun, user: Any) -> None:
    if not policy.visible_to(user, AnalysisRun.objects.filter(pk=run.pk)).exists():
        raise Http404("No such analysis.")


def _entities(run: AnalysisRun, user: Any) -> QuerySet[Entity]:
    """The entities of the run's collections that the user may see now."""
    return policy.visible_to(user, Entity.objects.filter(collection__in=run.collections.all())).order_by()


def _nodes(entities: QuerySet[Entity]) -> QuerySet[Entity]:
    return entities.filter(source="", target="").exclude(schema__in=LINK_SCHEMATA)


def _links(entities: QuerySet[Entity]) -> QuerySet[Entity]:
    return entities.exclude(source="").exclude(target="")


def _narrowed(run: AnalysisRun, user: Any) -> bool:
    """True when a collection the run read is no longer readable by the user."""
    used = set(run.result_of("collections") or [])
    if not used:
        return False
    readable = policy.visible_to(user, Collection.objects.filter(pk__in=used)).values_list("pk", flat=True)
    return bool(used - set(readable))


def _seen(entities: QuerySet[Entity], ids: Iterable[str]) -> dict[str, Seen]:
    """Caption, schema and country of those of `ids` the user may see now (one query)."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    found: dict[str, Seen] = {}
    rows = entities.filter(ftm_id__in=wanted).values_list("ftm_id", "caption", "schema", "country")
    for ftm_id, caption, schema, country in rows.order_by("ftm_id", "pk"):
        found.setdefault(ftm_id, Seen(caption or ftm_id, schema, country))
    return found


def _in_window(links: QuerySet[Entity], since: dt.date | None, until: dt.date | None) -> QuerySet[Entity]:
    """Links whose startDate/endDate/date overlap [since, until]; links without dates stay.

    FtM dates are ISO strings of any precision ("2021", "2021-05", "2021-05-31T10:00"); they
    compare as text, so a partial date counts as its first day.
    """
    if since is None and until is None:
        return links
    dated = links.annotate(
        starts=Coalesce(
            KT("properties__startDate__0"), KT("properties__date__0"), KT("properties__endDate__0")
        ),
        ends=Coalesce(
            KT("properties__endDate__0"), KT("properties__date__0"), KT("properties__startDate__0")
        ),
    )
    if until is not None:
        dated = dated.filter(Q(starts__isnull=True) | Q(starts__lte=f"{until.isoformat()}T99"))
    if since is not None:
        dated = dated.filter(Q(ends__isnull=True) | Q(ends__gte=since.isoformat()))
    return dated


def network_elements(
    run: AnalysisRun,
    user: Any,
    *,
    community: int | None = None,
    country: str | None = None,
    schema: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = NETWORK_LIMIT,
) -> dict[str, Any]:
    """Cytoscape.js elements of the run's network, filtered, strongest brokers first.

    {"nodes": [{"data": {id, label, schema, country, community, component, betweenness}}],
     "edges": [{"data": {id, source, target, schema}}], "truncated": bool, "total": n,
     "narrowed": bool}. `total` counts the nodes that pass the filters (and that the user may
    see now); at most `limit` of them are returned, by betweenness. An edge is a link entity the
    user may see now with both ends among the returned nodes. With `since`/`until`, only links
    in that window are drawn and only nodes with such a link are kept.
    """
    _checked(run, user)
    empty = {"nodes": [], "edges": [], "truncated": False, "total": 0, "narrowed": False}
    if run.status != JobStatus.DONE:
        return empty
    entities = _entities(run, user)
    things = _nodes(entities)
    if country:
        things = things.filter(country=country.lower())
    if schema:
        things = things.filter(schema=schema)
    links = _links(entities)
    windowed = _in_window(links, since, until)
    selected = AnalysisNode.objects.filter(run=run, ftm_id__in=things.values("ftm_id"))
    if community is not None:
        selected = selected.filter(community=community)
    if since is not None or until is not None:
        selected = selected.filter(
            Q(ftm_id__in=windowed.values("source")) | Q(ftm_id__in=windowed.values("target"))
        )
    total = selected.count()
    rows = list(
        selected.order_by("-betweenness", "ftm_id").values_list(
            "ftm_id", "community", "component", "betweenness"
        )[: max(0, limit)]
    )
    ids = [row[0] for row in rows]
    seen = _seen(things, ids)
    nodes = [
        {
            "data": {
                "id": ftm_id,
                "label": seen[ftm_id].caption,
                "schema": seen[ftm_id].schema,
                "country": seen[ftm_id].country,
                "community": number,
                "component": component,
                "betweenness": score,
            }
        }
        for ftm_id, number, component, score in rows
        if ftm_id in seen
    ]
    edges: dict[str, dict[str, Any]] = {}
    if ids:
        between = windowed.filter(source__in=ids, target__in=ids).exclude(source=F("target"))
        for ftm_id, link_schema, source, target in between.values_list(
            "ftm_id", "schema", "source", "target"
        ):
            edges.setdefault(
                ftm_id, {"data": {"id": ftm_id, "source": source, "target": target, "schema": link_schema}}
            )
    return {
        "nodes": nodes,
        "edges": sorted(edges.values(), key=lambda e: e["data"]["id"]),
        "truncated": total > len(rows),
        "total": total,
        "narrowed": _narrowed(run, user),
    }


def _money(run: AnalysisRun) -> dict[str, Any]:
    money: dict[str, Any] = run.result_of("money") or {}
    return money


def money_flows(run: AnalysisRun, user: Any, *, limit: int = 200) -> dict[str, Any]:
    """The money-flow view: who paid whom, how much, how often; between which countries.

    {"flows": [{payer, payer_caption, payer_country, beneficiary, beneficiary_caption,
    beneficiary_country, currency, total, count}], "countries": [{from, to, currency, total,
    count}], "countries_partial": bool, "fan_in": [{id, caption, country, count}], "fan_out":
    [...], "cycles": [{size, members: [{id, caption, country}]}], "flow_count": n, "narrowed":
    bool}. Flows are the run's largest (by total; the run keeps the top ones, see
    analysis_runs.TOP_FLOWS), `limit` of them, both ends visible now. Country totals are the
    run's over every flow unless sharing narrowed since; then they are summed again from the
    kept flows still visible, and `countries_partial` says so. A cycle with a member the user
    can no longer see is left out whole.
    """
    _checked(run, user)
    money = _money(run)
    narrowed = _narrowed(run, user)
    stored_flows: list[dict[str, Any]] = money.get("flows", [])
    fan_in: list[dict[str, Any]] = money.get("fan_in", [])
    fan_out: list[dict[str, Any]] = money.get("fan_out", [])
    cycles: list[dict[str, Any]] = money.get("cycles", [])
    ids = {f["payer"] for f in stored_flows} | {f["beneficiary"] for f in stored_flows}
    ids |= {row["id"] for row in fan_in + fan_out}
    ids |= {member for cycle in cycles for member in cycle["members"]}
    seen = _seen(_nodes(_entities(run, user)), ids)
    visible_flows = [f for f in stored_flows if f["payer"] in seen and f["beneficiary"] in seen]
    flows = [
        {
            "payer": f["payer"],
            "payer_caption": seen[f["payer"]].caption,
            "payer_country": seen[f["payer"]].country,
            "beneficiary": f["beneficiary"],
            "beneficiary_caption": seen[f["beneficiary"]].caption,
            "beneficiary_country": seen[f["beneficiary"]].country,
            "currency": f["currency"],
            "total": f["total"],
            "count": f["count"],
        }
        for f in visible_flows[: max(0, limit)]
    ]
    if narrowed:
        sums: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0])
        for f in visible_flows:
            key = (seen[f["payer"]].country, seen[f["beneficiary"]].country, f["currency"])
            sums[key][0] += f["total"]
            sums[key][1] += f["count"]
        countries = [
            {"from": a, "to": b, "currency": c, "total": total, "count": int(count)}
            for (a, b, c), (total, count) in sorted(sums.items(), key=lambda item: -item[1][0])
        ]
    else:
        countries = money.get("countries", [])

    def fan(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                "id": r["id"],
                "caption": seen[r["id"]].caption,
                "country": seen[r["id"]].country,
                "count": r["count"],
            }
            for r in rows
            if r["id"] in seen
        ]

    return {
        "flows": flows,
        "countries": countries,
        "countries_partial": narrowed,
        "fan_in": fan(fan_in),
        "fan_out": fan(fan_out),
        "cycles": [
            {
                "size": cycle["size"],
                "members": [
                    {"id": m, "caption": seen[m].caption, "country": seen[m].country}
                    for m in cycle["members"]
                ],
            }
            for cycle in cycles
            if all(m in seen for m in cycle["members"])
        ],
        "flow_count": money.get("flow_count", 0),
        "narrowed": narrowed,
    }


# Link schemata whose `role` property says what a member does (the synthetic network writes
# "recruiter", "money handler"… on Membership).
ROLE_SCHEMATA = ("Membership", "Directorship", "Employment")


def community_summary(run: AnalysisRun, user: Any, number: int, *, limit: int = 500) -> dict[str, Any]:
    """One community as a candidate syndicate, for its assessment.

    {"number", "size" (members the user may see now), "members": [{id, caption, schema,
    country, role, betweenness}] (strongest brokers first, at most `limit`), "truncated",
    "countries", "roles": {role: count}, "money": {"in"|"out"|"within": {currency: {total,
    count}}}, "narrowed"}. Roles come from the `role` of the member's Membership, Directorship
    or Employment links; money from the payments the user may see now between a member and
    someone outside the community (in, out) or between two members (within). Http404 when the
    run has no such community.
    """
    _checked(run, user)
    entities = _entities(run, user)
    things = _nodes(entities)
    selected = AnalysisNode.objects.filter(run=run, community=number)
    if not selected.exists():
        raise Http404("No such community.")
    visible = selected.filter(ftm_id__in=things.values("ftm_id"))
    size = visible.count()
    rows = list(
        visible.order_by("-betweenness", "ftm_id").values_list("ftm_id", "betweenness")[: max(0, limit)]
    )
    ids = [ftm_id for ftm_id, _ in rows]
    seen = _seen(things, ids)
    roles: dict[str, list[str]] = defaultdict(list)
    links = _links(entities)
    role_links = links.filter(schema__in=ROLE_SCHEMATA, source__in=ids).annotate(
        role=KT("properties__role__0")
    )
    for source, role in (
        role_links.exclude(role__isnull=True).values_list("source", "role").order_by("source", "role")
    ):
        if role and role not in roles[source]:
            roles[source].append(role)
    members = [
        {
            "id": ftm_id,
            "caption": seen[ftm_id].caption,
            "schema": seen[ftm_id].schema,
            "country": seen[ftm_id].country,
            "role": ", ".join(roles.get(ftm_id, [])),
            "betweenness": score,
        }
        for ftm_id, score in rows
        if ftm_id in seen
    ]
    inside = set(ids)
    money: dict[str, dict[str, dict[str, float]]] = {"in": {}, "out": {}, "within": {}}
    payments = links.filter(schema="Payment").filter(Q(source__in=ids) | Q(target__in=ids))
    rows_paid = list(payments.values_list("ftm_id", "source", "target", "amount", "currency"))
    # As in the analysis, a payment counts only when both its ends are visible now.
    ends = _seen(things, {end for _, source, target, _, _ in rows_paid for end in (source, target)})
    done: set[str] = set()
    for ftm_id, source, target, amount, currency in rows_paid:
        if ftm_id in done or source not in ends or target not in ends:
            continue
        done.add(ftm_id)
        kind = "within" if source in inside and target in inside else ("out" if source in inside else "in")
        entry = money[kind].setdefault(currency or "", {"total": 0.0, "count": 0})
        entry["total"] += amount or 0.0
        entry["count"] += 1
    return {
        "number": number,
        "size": size,
        "members": members,
        "truncated": size > len(members),
        "countries": sorted({m["country"] for m in members if m["country"]}),
        "roles": dict(sorted(_count(r for m in members for r in roles.get(str(m["id"]), [])).items())),
        "money": money,
        "narrowed": _narrowed(run, user),
    }


def _count(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for value in values:
        counts[value] += 1
    return counts


def run_overview(run: AnalysisRun, user: Any) -> dict[str, Any]:
    """The run's figures and rankings, each entity with its caption and only if visible now.

    {"counts", "parameters", "brokers": [{id, caption, schema, country, betweenness}],
    "approximate": bool, "targets": [{id, caption, …, fragmentation, largest_before,
    largest_after, components_before, components_after, separated}], "communities": [{number,
    size, countries, members: [{id, caption, …}]}], "components": [{number, size, countries,
    cross_border}], "command_lines": [{root: {id, caption…}, size, depth, members: [{id,
    caption, …, depth}]}], "narrowed"}.
    """
    _checked(run, user)
    result = run.result or {}
    brokers = result.get("brokers", [])
    targets = result.get("targets", [])
    communities = result.get("communities", [])
    lines = result.get("command_lines", [])
    ids = {b["id"] for b in brokers} | {t["id"] for t in targets}
    ids |= {m for c in communities for m in c["members"]}
    ids |= {line["root"] for line in lines} | {m["id"] for line in lines for m in line["members"]}
    seen = _seen(_nodes(_entities(run, user)), ids)

    def entity(ftm_id: str) -> dict[str, str]:
        s = seen[ftm_id]
        return {"id": ftm_id, "caption": s.caption, "schema": s.schema, "country": s.country}

    return {
        "counts": result.get("counts", {}),
        "parameters": result.get("parameters", {}),
        "approximate": result.get("parameters", {}).get("betweenness") == "estimated",
        "brokers": [{**entity(b["id"]), "betweenness": b["betweenness"]} for b in brokers if b["id"] in seen],
        "targets": [{**t, **entity(t["id"])} for t in targets if t["id"] in seen],
        "communities": [
            {**c, "members": [entity(m) for m in c["members"] if m in seen]} for c in communities
        ],
        "components": result.get("components", []),
        "command_lines": [
            {
                "root": entity(line["root"]),
                "size": line["size"],
                "depth": line["depth"],
                "members": [
                    {**entity(m["id"]), "depth": m["depth"]} for m in line["members"] if m["id"] in seen
                ],
            }
            for line in lines
            if line["root"] in seen
        ],
        "narrowed": _narrowed(run, user),
    }
