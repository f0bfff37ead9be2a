"""The group's recorded outcomes: the figures it published for each cycle, with their sources."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from disrupt.access import policy
from disrupt.programme.models import PeriodOfAction
from disrupt.reports.models import Indicator, PublishedFigure
from disrupt.reports.quantities import Quantity, sum_quantities


@dataclass
class OutcomeRow:
    """One indicator across the periods of the table, and the honest total of its figures."""

    indicator: Indicator
    cells: list[tuple[PeriodOfAction, PublishedFigure | None]]

    @property
    def total(self) -> Quantity:
        return sum_quantities(figure.quantity for _, figure in self.cells if figure is not None)


def _periods(request: HttpRequest) -> QuerySet[PeriodOfAction]:
    return policy.visible_to(request.user, PeriodOfAction.objects.all())


def _figures(request: HttpRequest) -> QuerySet[PublishedFigure]:
    figures = PublishedFigure.objects.filter(period__in=_periods(request))
    return policy.visible_to(request.user, figures).select_related("period", "indicator")


@login_required
def outcomes(request: HttpRequest) -> HttpResponse:
    figures = list(_figures(request).order_by("indicator__position", "indicator__name", "period__number"))
    periods = sorted({figure.period for figure in figures}, key=lambda period: period.number)
    by_cell = {(figure.indicator_id, figure.period_id): figure for figure in figures}
    indicators = list({figure.indicator_id: figure.indicator for figure in figures}.values())
    rows = [
        OutcomeRow(indicator, [(period, by_cell.get((indicator.pk, period.pk))) for period in periods])
        for indicator in indicators
    ]
    without_figures = _periods(request).exclude(pk__in=[period.pk for period in periods]).order_by("number")
    return render(
        request,
        "reports/outcomes.html",
        {"periods": periods, "rows": rows, "periods_without_figures": without_figures},
    )


@login_required
def period_outcomes(request: HttpRequest, number: int) -> HttpResponse:
    period = get_object_or_404(_periods(request), number=number)
    figures = _figures(request).filter(period=period).order_by("indicator__position", "indicator__name")
    return render(request, "reports/period_outcomes.html", {"period": period, "figures": figures})
