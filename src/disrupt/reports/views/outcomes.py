"""Outcomes: what the group published for each cycle, what the country reports add up to,
and where every figure came from.

The published figures of the public record stay the group's recorded outcomes; totals of
the country reports are shown beside them. Every total is computed from the lines the
user may see (reports/totals.py), so a page never shows more than its reader may know.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch
from django.utils.http import urlencode

from disrupt.access import policy
from disrupt.directory.models import Country
from disrupt.programme.models import CrimeType, PeriodOfAction, Plan
from disrupt.reports.chart import cycle_chart
from disrupt.reports.models import Indicator, OutcomeLine, PublishedFigure
from disrupt.reports.totals import (
    GENERAL,
    GROUP_BY,
    breakdown,
    counted_lines,
    cycles_side_by_side,
    for_publication,
    indicator_totals,
)
from disrupt.reports.totals import (
    period_outcomes as outcomes_of_period,
)

GROUP_LABELS = {"country": "Country", "plan": "Plan", "crime_type": "Crime type"}


def _periods(request: HttpRequest) -> QuerySet[PeriodOfAction]:
    return policy.visible_to(request.user, PeriodOfAction.objects.all())


@login_required
def outcomes(request: HttpRequest) -> HttpResponse:
    """Every cycle side by side, and a chart comparing the cycles for one indicator."""
    every_period = list(_periods(request).order_by("number"))
    periods, rows = cycles_side_by_side(request.user, every_period)
    without_figures = [period for period in every_period if period not in periods]
    chosen = request.GET.get("indicator", "")
    chart_row = next((row for row in rows if row.indicator.code == chosen), rows[0] if rows else None)
    return render(
        request,
        "reports/outcomes.html",
        {
            "periods": periods,
            "rows": rows,
            "periods_without_figures": without_figures,
            "chart": cycle_chart(chart_row) if chart_row is not None else None,
        },
    )


def _group_by(request: HttpRequest) -> str:
    value = request.GET.get("group_by", "country")
    return value if value in GROUP_BY else "country"


def provenance_query(by: str, key: Any) -> str:
    """The query string that narrows a provenance page to one group of a breakdown."""
    if by == "plan":
        return urlencode({"plan": GENERAL if key is None else key})
    if by == "crime_type":
        return urlencode({"crime_type": "none" if key is None else key})
    return urlencode({"country": key})


@login_required
def period_outcomes(request: HttpRequest, number: int) -> HttpResponse:
    period = get_object_or_404(_periods(request), number=number)
    outcomes = outcomes_of_period(request.user, period)
    by = _group_by(request)
    table = breakdown(counted_lines(request.user, period=period), by)
    groups = [(key, label, provenance_query(by, key)) for key, label in table.groups]
    rows = [
        (indicator, [(group, table.cell(group[0], indicator)) for group in groups])
        for indicator in table.indicators
    ]
    return render(
        request,
        "reports/period_outcomes.html",
        {
            "period": period,
            "outcomes": outcomes,
            "has_reports": any(outcome.reported for outcome in outcomes),
            "group_by": by,
            "group_choices": [(value, GROUP_LABELS[value]) for value in GROUP_BY],
            "group_label": GROUP_LABELS[by],
            "groups": groups,
            "breakdown_rows": rows,
        },
    )


# --- Provenance: the lines and reports a figure came from ------------------------------------------------


def _filters(request: HttpRequest) -> dict[str, Any]:
    """The narrowing of a provenance page, each checked against what the user may see (404 if not)."""
    found: dict[str, Any] = {}
    if code := request.GET.get("country"):
        found["country"] = get_object_or_404(Country, code=code.upper()[:2])
    if plan := request.GET.get("plan"):
        if plan == GENERAL:
            found["plan"] = GENERAL
        elif plan.isdigit() and len(plan) < 12:
            found["plan"] = get_object_or_404(policy.visible_to(request.user, Plan.objects.all()), pk=plan)
        else:
            raise Http404("No such plan.")
    if crime := request.GET.get("crime_type"):
        found["crime_type"] = None if crime == "none" else get_object_or_404(CrimeType, code=crime[:60])
    return found


def _narrow(user: Any, period: PeriodOfAction, indicator: Indicator, found: dict[str, Any]) -> Any:
    filters = {key: value for key, value in found.items() if value is not None}
    lines = counted_lines(user, period=period, indicator=indicator, **filters)
    if "crime_type" in found and found["crime_type"] is None:
        # Lines about no crime type: general activity, or plans without one.
        lines = lines.filter(plan__crime_types__isnull=True)
    return lines


def _version_url(line: OutcomeLine) -> str:
    try:
        return line.version.get_absolute_url()
    except NoReverseMatch:  # the report pages are not mounted (yet)
        return ""


@login_required
def indicator_provenance(request: HttpRequest, number: int, code: str) -> HttpResponse:
    """The lines and reports behind one figure of a cycle, optionally for one country, plan or crime type."""
    period = get_object_or_404(_periods(request), number=number)
    indicator = get_object_or_404(Indicator, code=code)
    found = _filters(request)
    lines = _narrow(request.user, period, indicator, found).select_related(
        "version__report__country", "plan", "joint"
    )
    total = indicator_totals(lines).get(indicator)
    published = None
    if not found:  # the group published one figure for the whole cycle
        figures = policy.visible_to(request.user, PublishedFigure.objects.filter(period=period))
        published = figures.filter(indicator=indicator).first()
    entries = [(line, _version_url(line)) for line in lines.order_by("version__report__country__name", "pk")]
    return render(
        request,
        "reports/indicator_provenance.html",
        {
            "period": period,
            "indicator": indicator,
            "filters": found,
            "total": total,
            "published": published,
            "entries": entries,
            "report_count": len({line.version.report_id for line, _ in entries}),
        },
    )


@login_required
def period_public(request: HttpRequest, number: int) -> HttpResponse:
    """The cycle's figures as they may be published: small per-country victim counts withheld."""
    period = get_object_or_404(_periods(request), number=number)
    public = for_publication(request.user, period)
    countries = public.countries
    rows = [(row, [(name, row.countries.get(code)) for code, name in countries]) for row in public.rows]
    return render(request, "reports/period_public.html", {"period": period, "public": public, "rows": rows})
