"""status_matrix: each participating country × report, on a fixed day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.lib.dates import DatePrecision
from disrupt.programme.choices import PeriodStatus
from disrupt.reports.choices import ReportKind, VersionStatus
from disrupt.reports.deadlines import DeadlineStatus, status_matrix
from disrupt.reports.tests.deadline_data import MIDTERM_DUE, add_report_milestones, add_version

pytestmark = pytest.mark.django_db

MIDTERM, FINAL = ReportKind.MIDTERM, ReportKind.FINAL


def test_rows_are_the_participants_and_columns_the_two_reports(cast: Cast) -> None:
    add_report_milestones(cast.period)
    matrix = status_matrix(cast.period, today=dt.date(2026, 10, 1))
    assert [row.country.code for row in matrix.rows] == ["AU", "ID", "NZ", "TH"]
    assert [column.kind for column in matrix.columns] == [MIDTERM, FINAL]
    assert matrix.count(DeadlineStatus.NOT_DUE) == 8


def test_it_says_due_soon_within_the_configured_days(cast: Cast, settings: Any) -> None:
    add_report_milestones(cast.period)
    settings.DISRUPT_REMINDER_DAYS_BEFORE = 7
    assert status_matrix(cast.period, MIDTERM_DUE - dt.timedelta(days=8)).cell("ID", MIDTERM).status == (
        DeadlineStatus.NOT_DUE
    )
    assert status_matrix(cast.period, MIDTERM_DUE - dt.timedelta(days=7)).cell("ID", MIDTERM).status == (
        DeadlineStatus.DUE_SOON
    )
    # On the due date itself the report is still due, not yet missing.
    assert status_matrix(cast.period, MIDTERM_DUE).cell("ID", MIDTERM).status == DeadlineStatus.DUE_SOON
    settings.DISRUPT_REMINDER_DAYS_BEFORE = 10
    assert status_matrix(cast.period, MIDTERM_DUE - dt.timedelta(days=8)).cell("ID", MIDTERM).status == (
        DeadlineStatus.DUE_SOON
    )


def test_submitted_late_and_missing_after_the_due_date(cast: Cast) -> None:
    add_report_milestones(cast.period)
    add_version(cast.period, "ID", submitted_on=MIDTERM_DUE)  # on the day: in time
    add_version(cast.period, "AU", submitted_on=MIDTERM_DUE + dt.timedelta(days=2))
    add_version(cast.period, "TH", status=VersionStatus.DRAFT)  # a draft is not a submission
    matrix = status_matrix(cast.period, today=MIDTERM_DUE + dt.timedelta(days=5))
    assert matrix.cell("ID", MIDTERM).status == DeadlineStatus.SUBMITTED
    assert matrix.cell("ID", MIDTERM).submitted_on == MIDTERM_DUE
    assert matrix.cell("AU", MIDTERM).status == DeadlineStatus.LATE
    assert matrix.cell("NZ", MIDTERM).status == DeadlineStatus.MISSING
    assert matrix.cell("TH", MIDTERM).status == DeadlineStatus.MISSING
    assert matrix.cell("ID", FINAL).status == DeadlineStatus.NOT_DUE


def test_a_submission_before_the_due_date_counts_before_it_is_due(cast: Cast) -> None:
    add_report_milestones(cast.period)
    add_version(cast.period, "ID", submitted_on=dt.date(2026, 10, 20))
    matrix = status_matrix(cast.period, today=dt.date(2026, 10, 25))
    assert matrix.cell("ID", MIDTERM).status == DeadlineStatus.SUBMITTED
    assert matrix.cell("AU", MIDTERM).status == DeadlineStatus.NOT_DUE


def test_the_decision_shows_beside_the_status(cast: Cast) -> None:
    add_report_milestones(cast.period)
    on_time = MIDTERM_DUE - dt.timedelta(days=1)
    add_version(cast.period, "ID", status=VersionStatus.ACCEPTED, submitted_on=on_time)
    add_version(cast.period, "AU", status=VersionStatus.RETURNED, submitted_on=on_time)
    add_version(cast.period, "AU", status=VersionStatus.DRAFT, number=2)
    add_version(cast.period, "NZ", status=VersionStatus.SUPERSEDED, submitted_on=on_time)
    add_version(
        cast.period,
        "NZ",
        status=VersionStatus.SUBMITTED,
        submitted_on=MIDTERM_DUE + dt.timedelta(9),
        number=2,
    )
    matrix = status_matrix(cast.period, today=MIDTERM_DUE + dt.timedelta(days=10))
    assert (matrix.cell("ID", MIDTERM).status, matrix.cell("ID", MIDTERM).decision) == (
        DeadlineStatus.SUBMITTED,
        "Accepted",
    )
    # Returned for changes: it was still sent in time, and the matrix says it came back.
    assert (matrix.cell("AU", MIDTERM).status, matrix.cell("AU", MIDTERM).decision) == (
        DeadlineStatus.SUBMITTED,
        "Returned with comments",
    )
    # A late correction does not make the first, timely submission late.
    assert (matrix.cell("NZ", MIDTERM).status, matrix.cell("NZ", MIDTERM).decision) == (
        DeadlineStatus.SUBMITTED,
        "Awaiting decision",
    )


def test_a_milestone_without_an_exact_day_sets_no_deadline(cast: Cast) -> None:
    add_report_milestones(cast.period, precision=DatePrecision.MONTH)
    matrix = status_matrix(cast.period, today=dt.date(2027, 6, 1))
    assert matrix.count(DeadlineStatus.NO_DATE) == 8
    assert matrix.columns[0].due == "December 2026"


def test_a_report_without_a_milestone_has_no_deadline(cast: Cast) -> None:
    matrix = status_matrix(cast.period, today=dt.date(2027, 6, 1))
    assert matrix.count(DeadlineStatus.NO_DATE) == 8
    assert matrix.columns[1].due == "Not scheduled"


def test_a_closed_cycle_is_never_missing_what_it_never_recorded(cast: Cast) -> None:
    add_report_milestones(cast.period)
    add_version(cast.period, "AU", submitted_on=MIDTERM_DUE + dt.timedelta(days=3))
    cast.period.status = PeriodStatus.CLOSED
    cast.period.save()
    matrix = status_matrix(cast.period, today=dt.date(2027, 6, 1))
    assert matrix.cell("ID", MIDTERM).status == DeadlineStatus.NOT_RECORDED
    assert matrix.cell("AU", MIDTERM).status == DeadlineStatus.LATE


def test_the_number_of_queries_does_not_grow_with_the_countries(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    add_report_milestones(cast.period)
    for code in ("ID", "AU", "NZ"):
        add_version(cast.period, code, submitted_on=MIDTERM_DUE)
    with django_assert_num_queries(4):
        status_matrix(cast.period, today=MIDTERM_DUE)
    cast.period.participants.add(*Country.objects.filter(code__in=["MY", "FJ", "PH", "VN", "KH"]))
    add_version(cast.period, "MY", submitted_on=MIDTERM_DUE)
    with django_assert_num_queries(4):
        matrix = status_matrix(cast.period, today=MIDTERM_DUE)
    assert len(matrix.rows) == 9
