"""Where each participating country stands with the reports a cycle asks of it.

`status_matrix(period)` answers, for every participating country and each report milestone
(mid-term, final): not due yet, due soon, submitted, submitted late, or missing. It reads the
milestones and the versions of the cycle's reports in a fixed number of queries, whatever the
number of countries, and says nothing about a report's content: a status is programme data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone

from disrupt.directory.models import Country
from disrupt.lib.dates import DatePrecision
from disrupt.programme.choices import PeriodStatus
from disrupt.programme.models import Milestone, PeriodOfAction
from disrupt.reports.choices import ReportKind, VersionStatus
from disrupt.reports.models import Report, ReportVersion
from disrupt.reports.models.reports import MILESTONE_FOR_KIND

DEFAULT_DAYS_BEFORE = 7


def days_before() -> int:
    """How many days before a due date a report counts as due soon, and its reminder goes out."""
    return int(getattr(settings, "DISRUPT_REMINDER_DAYS_BEFORE", DEFAULT_DAYS_BEFORE))


class DeadlineStatus(models.TextChoices):
    NO_DATE = "no_date", "No due date set"
    NOT_DUE = "not_due", "Not due yet"
    DUE_SOON = "due_soon", "Due soon"
    SUBMITTED = "submitted", "Submitted"
    LATE = "late", "Submitted late"
    MISSING = "missing", "Missing"
    # A closed cycle from before the platform: no report here does not mean none was sent.
    NOT_RECORDED = "not_recorded", "Not recorded"


# What the decision on the newest submitted version adds to "submitted" or "submitted late".
DECISIONS = {
    VersionStatus.SUBMITTED: "Awaiting decision",
    VersionStatus.ACCEPTED: "Accepted",
    VersionStatus.RETURNED: "Returned with comments",
}


@dataclass(frozen=True)
class Column:
    """One report the cycle asks for, and the milestone that says when it is due."""

    kind: ReportKind
    milestone: Milestone | None

    @property
    def title(self) -> str:
        return self.kind.label

    @property
    def due_on(self) -> dt.date | None:
        """The due date, if the milestone gives one to the day; a month or a year is no deadline."""
        milestone = self.milestone
        if milestone is None or milestone.due_on is None or milestone.due_precision != DatePrecision.DAY:
            return None
        return milestone.due_on

    @property
    def due(self) -> str:
        return self.milestone.due if self.milestone else "Not scheduled"


@dataclass(frozen=True)
class Cell:
    country: Country
    column: Column
    status: DeadlineStatus
    report_id: int | None = None
    submitted_on: dt.date | None = None
    decision: str = ""

    @property
    def label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class Row:
    country: Country
    cells: list[Cell]


@dataclass(frozen=True)
class Matrix:
    period: PeriodOfAction
    today: dt.date
    days_before: int
    columns: list[Column]
    rows: list[Row]

    def cell(self, country_code: str, kind: str) -> Cell:
        """The cell of one country and report kind (for tests and callers that know what they want)."""
        for row in self.rows:
            if row.country.code == country_code:
                return next(cell for cell in row.cells if cell.column.kind == kind)
        raise KeyError(country_code)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell.status == status)


@dataclass
class _Submissions:
    """What the versions of one report say: when it was first submitted and the latest decision."""

    report_id: int
    first_submitted: dt.datetime | None = None
    newest_number: int = 0
    newest_status: str = ""


def _columns(period: PeriodOfAction) -> list[Column]:
    kinds = {milestone_kind: kind for kind, milestone_kind in MILESTONE_FOR_KIND.items()}
    milestones = Milestone.objects.filter(period=period, kind__in=kinds).order_by(
        models.F("due_on").asc(nulls_last=True), "pk"
    )
    first: dict[str, Milestone] = {}
    for milestone in milestones:
        first.setdefault(milestone.kind, milestone)
    return [Column(kind, first.get(MILESTONE_FOR_KIND[kind])) for kind in ReportKind]


def _submissions(period: PeriodOfAction) -> dict[tuple[int, str], _Submissions]:
    """Per (country, kind): the first submission of its report, and where its newest version stands."""
    found: dict[tuple[int, str], _Submissions] = {
        (report["country_id"], report["kind"]): _Submissions(report["pk"])
        for report in Report.objects.filter(period=period).values("pk", "country_id", "kind")
    }
    versions = ReportVersion.objects.filter(report__period=period).exclude(status=VersionStatus.DRAFT)
    for version in versions.values("report__country_id", "report__kind", "number", "status", "submitted_at"):
        entry = found[(version["report__country_id"], version["report__kind"])]
        submitted_at = version["submitted_at"]
        if submitted_at and (entry.first_submitted is None or submitted_at < entry.first_submitted):
            entry.first_submitted = submitted_at
        # A superseded version was replaced by a correction; the decision that counts is newer.
        if version["status"] in DECISIONS and version["number"] > entry.newest_number:
            entry.newest_number, entry.newest_status = version["number"], version["status"]
    return found


def _cell(
    country: Country,
    column: Column,
    found: _Submissions | None,
    today: dt.date,
    soon: int,
    closed: bool,
) -> Cell:
    report_id = found.report_id if found else None
    due_on = column.due_on
    if found is not None and found.first_submitted is not None:
        # Submitted once is submitted: a report returned for changes was still on time.
        submitted_on = timezone.localdate(found.first_submitted)
        late = due_on is not None and submitted_on > due_on
        return Cell(
            country,
            column,
            DeadlineStatus.LATE if late else DeadlineStatus.SUBMITTED,
            report_id,
            submitted_on,
            DECISIONS.get(VersionStatus(found.newest_status), "") if found.newest_status else "",
        )
    if closed:
        return Cell(country, column, DeadlineStatus.NOT_RECORDED, report_id)
    if due_on is None:
        return Cell(country, column, DeadlineStatus.NO_DATE, report_id)
    if due_on < today:
        return Cell(country, column, DeadlineStatus.MISSING, report_id)
    if (due_on - today).days <= soon:
        return Cell(country, column, DeadlineStatus.DUE_SOON, report_id)
    return Cell(country, column, DeadlineStatus.NOT_DUE, report_id)


def status_matrix(period: PeriodOfAction, today: dt.date | None = None) -> Matrix:
    """Every participating country × each report of the cycle, with where it stands on `today`."""
    today = today or timezone.localdate()
    soon = days_before()
    closed = period.status == PeriodStatus.CLOSED
    columns = _columns(period)
    found = _submissions(period)
    rows = [
        Row(
            country,
            [
                _cell(country, column, found.get((country.pk, column.kind)), today, soon, closed)
                for column in columns
            ],
        )
        for country in period.participants.order_by("name")
    ]
    return Matrix(period, today, soon, columns, rows)
