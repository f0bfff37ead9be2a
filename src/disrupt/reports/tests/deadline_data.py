"""Milestones and report versions for the deadline and reminder tests, made directly."""

from __future__ import annotations

import datetime as dt

from disrupt.directory.models import Country
from disrupt.lib.dates import DatePrecision
from disrupt.programme.choices import MilestoneKind, Responsible
from disrupt.programme.models import Milestone, PeriodOfAction
from disrupt.reports.choices import ReportKind, VersionStatus
from disrupt.reports.models import Report, ReportVersion

MIDTERM_DUE = dt.date(2026, 12, 1)
FINAL_DUE = dt.date(2027, 3, 15)


def add_report_milestones(
    period: PeriodOfAction,
    midterm: dt.date = MIDTERM_DUE,
    final: dt.date = FINAL_DUE,
    precision: str = DatePrecision.DAY,
) -> tuple[Milestone, Milestone]:
    common = {"period": period, "responsible": Responsible.PARTICIPANTS, "due_precision": precision}
    return (
        Milestone.objects.create(
            kind=MilestoneKind.MIDTERM_REPORT, title="Mid-term reports due", due_on=midterm, **common
        ),
        Milestone.objects.create(
            kind=MilestoneKind.FINAL_REPORT, title="Final reports due", due_on=final, **common
        ),
    )


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def add_version(
    period: PeriodOfAction,
    code: str,
    kind: str = ReportKind.MIDTERM,
    status: str = VersionStatus.SUBMITTED,
    submitted_on: dt.date | None = None,
    number: int = 1,
    **narrative: str,
) -> ReportVersion:
    report, _ = Report.objects.get_or_create(period=period, country=Country.objects.get(code=code), kind=kind)
    return ReportVersion.objects.create(
        report=report,
        number=number,
        status=status,
        submitted_at=at(submitted_on) if submitted_on else None,
        change_summary="Corrected" if number > 1 else "",
        **narrative,
    )
