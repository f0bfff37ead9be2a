"""The analysis job: the network of exactly what the requester may see, measured and kept.

`run_analysis_job(run)` is called by `tasks.run_analysis` once `jobs.claim` gave it the run. It
reads the entities of the run's collections through the access policy as the requester sees
them now (`policy.visible_to`), streamed, builds the network (`analysis.build_network` drops
every link to an entity left out), computes every metric, and keeps:
- `run.result`: a bounded summary (counts, parameters, the top components, communities with
  their strongest members, brokers, disruption targets, money flows, fan-in and fan-out,
  cycles, command lines): a few hundred kilobytes whatever the size of the network;
- one `AnalysisNode` per entity (community, component, betweenness) for the pages.

Nothing is written until everything is computed, and then in one transaction that first
deletes what an earlier attempt may have left: a run claimed again after its worker died
starts over and ends with one copy of its results. The requester is told when it is done.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import transaction

from disrupt.access import policy
from disrupt.access.choices import HandlingCode
from disrupt.intel import analysis, jobs
from disrupt.intel.analysis import LINK_SCHEMATA, Entity, Link, Network
from disrupt.intel.choices import JobStatus
from disrupt.intel.models import AnalysisNode, AnalysisRun, Collection
from disrupt.intel.models import Entity as StoredEntity

logger = logging.getLogger(__name__)

T = TypeVar("T")

RESULT_VERSION = 1
# Rows fetched per round trip while reading, and written per INSERT.
CHUNK = 5_000
# How much of each kind the summary keeps (the rest is in AnalysisNode, or recomputed).
TOP_COMPONENTS = 100
TOP_COMMUNITIES = 200
COMMUNITY_PREVIEW = 50
TOP_BROKERS = 50
TOP_TARGETS = 25
TOP_FLOWS = 1_000
TOP_FAN = 50
TOP_CYCLES = 50
CYCLE_MEMBERS = 50
TOP_COMMAND_LINES = 50
COMMAND_MEMBERS = 100

READING = "Reading the entities you may see"
# After reading (half the bar), each of these moves the bar on by an equal share.
STAGES = (
    "Building the network",
    "Connected components",
    "Communities (Leiden)",
    "Brokers (betweenness)",
    "Disruption targets",
    "Money flows",
    "Command lines",
    "Saving the results",
)
# Handling codes from the least to the most restrictive (for the notification).
CODE_ORDER = [
    HandlingCode.CLEAR,
    HandlingCode.GREEN,
    HandlingCode.AMBER,
    HandlingCode.AMBER_STRICT,
    HandlingCode.RED,
]


class Progress:
    """Stages and progress of one run, with a heartbeat thread around each long step."""

    def __init__(self, run: AnalysisRun, rows: int) -> None:
        self.run = run
        self.reading = max(rows, 1)
        self.share = max(self.reading // len(STAGES), 1)
        self.total = self.reading + self.share * len(STAGES)
        # Seconds per stage, CPU of this process and wall clock (the database's work shows in
        # the second); "Saving the results" is not in them, being saved with them.
        self.timings: dict[str, dict[str, float]] = {"cpu": {}, "wall": {}}

    def read(self, done: int) -> None:
        jobs.beat(self.run, READING, done=min(done, self.reading), total=self.total)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        number = STAGES.index(name)
        jobs.beat(self.run, name, done=self.reading + self.share * number, total=self.total)
        with jobs.heartbeat(self.run), self.timed(name):
            yield

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        cpu, wall = time.process_time(), time.monotonic()
        yield
        self.timings["cpu"][name] = round(time.process_time() - cpu, 3)
        self.timings["wall"][name] = round(time.monotonic() - wall, 3)

    def measure(self, name: str, work: Callable[[], T]) -> T:
        with self.stage(name):
            return work()


def _scope(run: AnalysisRun) -> list[int]:
    """The run's collections the requester may read now (sharing may have narrowed)."""
    chosen = Collection.objects.filter(pk__in=run.collections.values("pk"))
    return sorted(policy.visible_to(run.requested_by, chosen).values_list("pk", flat=True))


def _visible_rows(run: AnalysisRun) -> Any:
    """The entities of the run's collections that the requester may see, as the policy says."""
    chosen = StoredEntity.objects.filter(collection__in=run.collections.values("pk"))
    return policy.visible_to(run.requested_by, chosen).order_by()


def read_visible(run: AnalysisRun, progress: Progress | None = None) -> tuple[list[Entity], list[Link], int]:
    """The nodes and links of the run's collections as the requester sees them, streamed.

    An entity in two collections is one node; a link in two collections counts once. A link
    schema with a missing end is left out (it joins nothing). Returns (nodes, links, rows read).
    """
    columns = _visible_rows(run).values_list(
        "ftm_id", "schema", "caption", "country", "source", "target", "amount", "currency", "collection_id"
    )
    nodes: list[Entity] = []
    links: list[Link] = []
    seen_links: set[str] = set()
    count = 0
    for ftm_id, schema, _caption, country, source, target, amount, currency, _collection in columns.iterator(
        chunk_size=CHUNK
    ):
        count += 1
        if progress is not None and count % CHUNK == 0:
            progress.read(count)
        if source or target or schema in LINK_SCHEMATA:
            if source and target and ftm_id not in seen_links:
                seen_links.add(ftm_id)
                links.append(Link(source, target, schema, amount or 0.0, currency))
        else:
            nodes.append(Entity(ftm_id, schema, country))
    return nodes, links, count


def run_analysis_job(run: AnalysisRun) -> None:
    """Analyse, keep the results, tell the requester; FAILED with the reason if it breaks."""
    try:
        _analyse(run)
    except Exception as error:
        logger.exception("analysis %s failed", run.pk)
        jobs.finish(run, JobStatus.FAILED, f"The analysis stopped: {type(error).__name__}: {error}"[:2000])


def _analyse(run: AnalysisRun) -> None:
    parameters = run.parameters or {}
    seed = int(parameters.get("seed", 0))
    resolution = parameters.get("resolution")
    resolution = float(resolution) if resolution not in (None, "") else None
    scope = _scope(run)
    # Counting first gives the bar its length; the count goes through the same policy.
    rows = _visible_rows(run).count()
    progress = Progress(run, rows)
    progress.read(0)
    with progress.timed(READING):
        nodes, links, _ = read_visible(run, progress)

    network = progress.measure("Building the network", lambda: analysis.build_network(nodes, links))
    nodes.clear()  # the network keeps what it needs
    links.clear()
    found_components = progress.measure("Connected components", lambda: analysis.components(network))
    found_communities = progress.measure(
        "Communities (Leiden)", lambda: analysis.communities(network, seed=seed, resolution=resolution)
    )
    scores = progress.measure("Brokers (betweenness)", lambda: analysis.betweenness(network, seed=seed))
    brokers = analysis.brokers(network, top=TOP_BROKERS, scores=scores)
    targets = progress.measure(
        "Disruption targets", lambda: analysis.disruption_targets(network, top=TOP_TARGETS, scores=scores)
    )
    money = progress.measure("Money flows", lambda: analysis.money_flows(network))
    lines = progress.measure("Command lines", lambda: analysis.command_lines(network))

    with progress.stage("Saving the results"):
        community_of = [0] * len(network.ids)
        for community in found_communities:
            for ftm_id in community.members:
                community_of[network.index[ftm_id]] = community.number
        component_of = [0] * len(network.ids)
        for component in found_components:
            for ftm_id in component.members:
                component_of[network.index[ftm_id]] = component.number
        result: dict[str, Any] = {
            "version": RESULT_VERSION,
            "collections": scope,
            "counts": {
                "entities_read": rows,
                "nodes": len(network.ids),
                "links": len(network.links),
                "edges": network.graph.ecount(),
                "dropped_links": network.dropped_links,
                "components": len(found_components),
                "cross_border_components": sum(1 for c in found_components if c.cross_border),
                "communities": sum(1 for c in found_communities if len(c.members) > 1),
            },
            "parameters": {
                "seed": seed,
                "resolution": resolution
                if resolution is not None
                else analysis.default_resolution(network.graph),
                "leiden_iterations": analysis.LEIDEN_ITERATIONS,
                "betweenness": "estimated" if analysis.betweenness_is_estimated(network) else "exact",
                "betweenness_sources": (
                    min(analysis.BETWEENNESS_SOURCES, len(network.ids))
                    if analysis.betweenness_is_estimated(network)
                    else len(network.ids)
                ),
            },
            "components": [
                {
                    "number": c.number,
                    "size": len(c.members),
                    "countries": c.countries,
                    "cross_border": c.cross_border,
                }
                for c in found_components[:TOP_COMPONENTS]
                if len(c.members) > 1
            ],
            "communities": [
                {
                    "number": c.number,
                    "size": len(c.members),
                    "countries": c.countries,
                    "members": _strongest(network, c.members, scores, COMMUNITY_PREVIEW),
                }
                for c in found_communities[:TOP_COMMUNITIES]
                if len(c.members) > 1
            ],
            "brokers": [{"id": b.entity_id, "betweenness": b.betweenness} for b in brokers],
            "targets": [
                {
                    "id": t.entity_id,
                    "fragmentation": t.fragmentation,
                    "largest_before": t.largest_before,
                    "largest_after": t.largest_after,
                    "components_before": t.components_before,
                    "components_after": t.components_after,
                    "separated": t.separated,
                }
                for t in targets
            ],
            "money": _money_summary(network, money),
            "command_lines": [
                {
                    "root": line.root,
                    "size": len(line.members),
                    "depth": max(line.members.values(), default=0),
                    "members": [
                        {"id": ftm_id, "depth": depth}
                        for ftm_id, depth in list(line.members.items())[:COMMAND_MEMBERS]
                    ],
                }
                for line in lines[:TOP_COMMAND_LINES]
            ],
        }
        result["timings"] = progress.timings
        _save(run, network, community_of, component_of, scores, result)


def _strongest(network: Network, members: list[str], scores: list[float], top: int) -> list[str]:
    ranked = sorted(members, key=lambda ftm_id: (-scores[network.index[ftm_id]], ftm_id))
    return ranked[:top]


def _money_summary(network: Network, money: analysis.MoneyAnalysis) -> dict[str, Any]:
    country = {ftm_id: network.countries[v] for ftm_id, v in network.index.items()}
    by_country: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0])
    for flow in money.flows:
        entry = by_country[(country[flow.source], country[flow.target], flow.currency)]
        entry[0] += flow.total
        entry[1] += flow.count
    fan_in = sorted(money.fan_in.items(), key=lambda item: (-item[1], item[0]))[:TOP_FAN]
    fan_out = sorted(money.fan_out.items(), key=lambda item: (-item[1], item[0]))[:TOP_FAN]
    return {
        "flow_count": len(money.flows),
        "flows": [
            {
                "payer": f.source,
                "beneficiary": f.target,
                "currency": f.currency,
                "total": f.total,
                "count": f.count,
            }
            for f in money.flows[:TOP_FLOWS]
        ],
        "countries": [
            {"from": a, "to": b, "currency": c, "total": total, "count": int(count)}
            for (a, b, c), (total, count) in sorted(
                by_country.items(), key=lambda item: (-item[1][0], item[0])
            )
        ],
        "fan_in": [{"id": ftm_id, "count": n} for ftm_id, n in fan_in],
        "fan_out": [{"id": ftm_id, "count": n} for ftm_id, n in fan_out],
        "cycle_count": len(money.cycles),
        "cycles": [{"size": len(c), "members": c[:CYCLE_MEMBERS]} for c in money.cycles[:TOP_CYCLES]],
    }


def _handling_code(scope: list[int]) -> str:
    codes = set(Collection.objects.filter(pk__in=scope).values_list("handling_code", flat=True))
    return max(codes, key=lambda code: CODE_ORDER.index(HandlingCode(code)), default=HandlingCode.AMBER)


def _save(
    run: AnalysisRun,
    network: Network,
    community_of: list[int],
    component_of: list[int],
    scores: list[float],
    result: dict[str, Any],
) -> None:
    from disrupt.notifications.actions import notify

    with transaction.atomic():
        # What an earlier attempt of this run may have left goes first: one copy of the results.
        AnalysisNode.objects.filter(run=run).delete()
        batch: list[AnalysisNode] = []
        for vertex, ftm_id in enumerate(network.ids):
            batch.append(
                AnalysisNode(
                    run=run,
                    ftm_id=ftm_id,
                    community=community_of[vertex],
                    component=component_of[vertex],
                    betweenness=scores[vertex],
                )
            )
            if len(batch) >= CHUNK:
                AnalysisNode.objects.bulk_create(batch)
                batch = []
        AnalysisNode.objects.bulk_create(batch)
        jobs.finish(
            run,
            JobStatus.DONE,
            f"{len(network.ids)} entities and {len(network.links)} links analysed.",
            result=result,
            node_count=len(network.ids),
            link_count=len(network.links),
            progress_done=run.progress_total,
        )
        notify(
            [run.requested_by],
            verb="finished the network analysis you asked for",
            record=run,
            url=run.get_absolute_url(),
            handling_code=_handling_code(result["collections"]),
        )
