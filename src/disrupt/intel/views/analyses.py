"""Analyses: ask for one, watch it run, read its findings; the network view (Cytoscape.js,
fed by `network_data`) and the money-flow view. What is drawn comes from intel.views_data,
which re-reads every entity through the access policy."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRefresh

from disrupt.access import policy
from disrupt.intel import actions, views_data
from disrupt.intel.choices import JobStatus
from disrupt.intel.filters import AnalysisRunFilter, schema_choices
from disrupt.intel.forms import AnalysisForm
from disrupt.intel.models import AnalysisRun, Collection
from disrupt.intel.views.common import add_errors, render_htmx, user_of, visible, visible_or_404

# The network view asks for at most this many nodes (views_data.NETWORK_LIMIT).
NETWORK_LIMIT = views_data.NETWORK_LIMIT


def _runs(request: HttpRequest) -> Any:
    return visible(request, AnalysisRun.objects.select_related("requested_by"))


@login_required
@require_GET
def analysis_list(request: HttpRequest) -> HttpResponse:
    runs = _runs(request).prefetch_related("collections")
    filterset = AnalysisRunFilter(request.GET or None, queryset=runs, request=request)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "intel/analysis_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "runs": page.object_list,
            "can_create": policy.can_create(request.user, AnalysisRun),
        },
    )


@login_required
def analysis_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_create(request.user, AnalysisRun):
        raise PermissionDenied("Only officers of an agency run analyses.")
    chosen = request.GET.getlist("collection")
    initial = {
        "collections": visible(request, Collection.objects.filter(pk__in=[c for c in chosen if c.isdigit()]))
    }
    form = AnalysisForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        seed = form.cleaned_data.get("seed")
        try:
            run = actions.do_request_analysis(
                user_of(request),
                form.cleaned_data["collections"],
                parameters={"seed": seed} if seed is not None else {},
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, "Analysis queued. Its findings appear here when the worker has finished."
            )
            return redirect(run)
    return render(request, "intel/analysis_form.html", {"form": form})


@login_required
@require_GET
def analysis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = visible_or_404(request, _runs(request), pk)
    if request.htmx and run.is_finished:  # type: ignore[attr-defined]
        return HttpResponseClientRefresh()
    context: dict[str, Any] = {"run": run, "job": run, "collections": list(run.collections.all())}
    if run.status == JobStatus.DONE:
        context["overview"] = views_data.run_overview(run, request.user)
        context["cross_border"] = [c for c in context["overview"]["components"] if c.get("cross_border")]
    return render_htmx(request, "intel/analysis_detail.html", "intel/includes/job_progress.html", context)


def _finished_run(request: HttpRequest, pk: int) -> AnalysisRun:
    run = visible_or_404(request, _runs(request), pk)
    if run.status != JobStatus.DONE:
        raise PermissionDenied("The analysis has not finished.")
    return run  # type: ignore[no-any-return]


@login_required
@require_GET
def network(request: HttpRequest, pk: int) -> HttpResponse:
    run = _finished_run(request, pk)
    overview = views_data.run_overview(run, request.user)
    countries = sorted({code for c in overview["communities"] for code in c.get("countries", [])})
    return render(
        request,
        "intel/network.html",
        {
            "run": run,
            "communities": overview["communities"],
            "countries": countries,
            "schemata": schema_choices(),
            "limit": NETWORK_LIMIT,
            "selected": request.GET.get("community", ""),
        },
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
@require_GET
def network_data(request: HttpRequest, pk: int) -> JsonResponse:
    """The filtered network as Cytoscape.js elements, each node placed (see `_place`)."""
    run = visible_or_404(request, _runs(request), pk)
    limit = min(_int(request.GET.get("limit")) or NETWORK_LIMIT, NETWORK_LIMIT)
    data = views_data.network_elements(
        run,
        request.user,
        community=_int(request.GET.get("community")),
        country=request.GET.get("country") or None,
        schema=request.GET.get("schema") or None,
        since=_date(request.GET.get("since")),
        until=_date(request.GET.get("until")),
        limit=limit,
    )
    _place(data["nodes"])
    return JsonResponse(data)


def _place(nodes: list[dict[str, Any]]) -> None:
    """A position for every node, computed here so the browser draws thousands at once.

    Each community is a disc: its members on a sunflower spiral, the strongest broker at the
    centre. The discs are packed in rows, largest first, into a rectangle about as wide as it
    is high, so a picture of hundreds of communities (most of them a lone entity or a pair)
    stays compact enough to read when fitted to the screen. Cytoscape.js's force layout is
    offered on the page for small selections only.
    """
    groups: dict[int, list[dict[str, Any]]] = {}
    for node in nodes:
        groups.setdefault(int(node["data"].get("community") or 0), []).append(node)
    ordered = sorted(groups.values(), key=len, reverse=True)
    spacing, margin = 26.0, 30.0
    radii = [spacing * 0.9 * math.sqrt(max(len(members) - 1, 0)) + spacing for members in ordered]
    width = math.sqrt(sum((2 * r + margin) ** 2 for r in radii)) * 1.3
    x = y = row_height = 0.0
    for members, radius in zip(ordered, radii, strict=True):
        size = 2 * radius + margin
        if x > 0 and x + size > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + size / 2, y + size / 2
        x += size
        row_height = max(row_height, size)
        for rank, node in enumerate(members):
            # Sunflower packing: even density, rank 0 (the strongest broker) at the centre.
            r = spacing * 0.9 * math.sqrt(rank)
            theta = rank * 2.399963
            node["position"] = {
                "x": round(cx + r * math.cos(theta), 1),
                "y": round(cy + r * math.sin(theta), 1),
            }


@login_required
@require_GET
def money(request: HttpRequest, pk: int) -> HttpResponse:
    run = _finished_run(request, pk)
    flows = views_data.money_flows(run, request.user)
    return render(request, "intel/money.html", {"run": run, "money": flows, "chart": _country_chart(flows)})


# Bars of the money chart span this many SVG units, right of their 110-unit labels.
CHART_WIDTH = 520


def _country_chart(flows: dict[str, Any], top: int = 12) -> dict[str, Any]:
    """Country-to-country totals of the largest currency as bars for an inline SVG (no script)."""
    rows = flows.get("countries", [])
    if not rows:
        return {"bars": [], "currency": ""}
    by_currency: dict[str, float] = {}
    for row in rows:
        by_currency[row["currency"]] = by_currency.get(row["currency"], 0.0) + row["total"]
    currency = max(by_currency, key=lambda c: by_currency[c])
    chosen = sorted((r for r in rows if r["currency"] == currency), key=lambda r: -r["total"])[:top]
    largest = max((r["total"] for r in chosen), default=0.0) or 1.0
    bars = [
        {
            "label": f"{(r['from'] or '?').upper()} → {(r['to'] or '?').upper()}",
            "total": r["total"],
            "count": r["count"],
            "width": round(CHART_WIDTH * r["total"] / largest, 1),
            "y": 28 * i,
            "text_y": 28 * i + 15,
            "cross_border": r["from"] != r["to"],
        }
        for i, r in enumerate(chosen)
    ]
    return {"bars": bars, "currency": currency, "height": 28 * len(bars)}
