"""The deadlines of a cycle: every participating country × each report, and where it stands.

Statuses are programme data, like the milestones they come from, so every signed-in user sees
the matrix; a cell links to the report only for those the access policy lets read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse

from disrupt.access import policy
from disrupt.programme.models import PeriodOfAction
from disrupt.reports.deadlines import Cell, DeadlineStatus, Row, status_matrix
from disrupt.reports.models import Report

# How each status looks: a badge class beside its words, never colour alone.
BADGES = {
    DeadlineStatus.SUBMITTED: "badge--ok",
    DeadlineStatus.LATE: "badge--warn",
    DeadlineStatus.MISSING: "badge--danger",
    DeadlineStatus.DUE_SOON: "badge--info",
}


MEANINGS = {
    DeadlineStatus.NOT_DUE: "due in more than {days} days",
    DeadlineStatus.DUE_SOON: "due within {days} days, not submitted yet",
    DeadlineStatus.SUBMITTED: "submitted on or before the due date",
    DeadlineStatus.LATE: "submitted after the due date",
    DeadlineStatus.MISSING: "the due date has passed and nothing was submitted",
    DeadlineStatus.NO_DATE: "the milestone gives no exact day",
    DeadlineStatus.NOT_RECORDED: "a closed cycle with no report on the platform",
}


@dataclass(frozen=True)
class ShownCell:
    cell: Cell
    readable: bool  # the access policy lets the user read this report

    @property
    def url(self) -> str | None:
        if not self.readable or self.cell.report_id is None:
            return None
        try:
            return reverse("reports:report_detail", args=[self.cell.report_id])
        except NoReverseMatch:  # the report pages are not installed
            return None

    @property
    def badge(self) -> str:
        return BADGES.get(self.cell.status, "")


@dataclass(frozen=True)
class ShownRow:
    row: Row
    cells: list[ShownCell]
    is_own: bool


@login_required
def period_deadlines(request: HttpRequest, number: int) -> HttpResponse:
    period = get_object_or_404(policy.visible_to(request.user, PeriodOfAction.objects.all()), number=number)
    matrix = status_matrix(period)
    readable = set(
        policy.visible_to(request.user, Report.objects.filter(period=period)).values_list("pk", flat=True)
    )
    own_country = getattr(request.user, "country_id", None)
    rows = [
        ShownRow(
            row,
            [ShownCell(cell, cell.report_id in readable) for cell in row.cells],
            row.country.pk == own_country,
        )
        for row in matrix.rows
    ]
    legend = [
        (status, BADGES.get(status, ""), meaning.format(days=matrix.days_before))
        for status, meaning in MEANINGS.items()
    ]
    return render(
        request,
        "reports/deadlines.html",
        {"period": period, "matrix": matrix, "rows": rows, "legend": legend},
    )
