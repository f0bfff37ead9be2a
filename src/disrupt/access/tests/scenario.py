"""The records each row of the permission matrix acts on, built around the shared cast."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from disrupt.conftest import Cast, refetched
from disrupt.directory.models import Agency, Country
from disrupt.programme.choices import MeetingKind, MilestoneKind, Responsible
from disrupt.programme.models import ActionItem, CrimeType, Meeting, Milestone
from disrupt.reports.choices import ReportKind, VersionStatus
from disrupt.reports.models import Indicator, OutcomeLine, Report, ReportVersion

# Words only the scenario's report lines carry, so tests can look for them on any page.
PLAN_LINE_MARK = "Scenario arrests on the Kupang boat"
GENERAL_LINE_MARK = "Scenario training outside the plans"


@dataclass
class Scenario:
    cast: Cast
    records: dict[str, Model]

    def user(self, name: str) -> Any:
        return getattr(self.cast, name)


def build_scenario(cast: Cast) -> Scenario:
    countries = {c.code: c for c in Country.objects.filter(code__in=["ID", "NZ"])}
    meeting = Meeting.objects.create(
        kind=MeetingKind.PLANNING,
        title="7th Joint Period of Action planning workshop",
        starts_on=dt.date(2026, 8, 20),
        city="Bangkok",
        period=cast.period,
    )
    meeting.co_chairs.set([countries["NZ"]])
    action = ActionItem.objects.create(
        meeting=meeting, text="Circulate the plans", owner_country=countries["ID"]
    )
    milestone = Milestone.objects.create(
        period=cast.period,
        kind=MilestoneKind.MIDTERM_REPORT,
        title="Mid-term report due",
        responsible=Responsible.PARTICIPANTS,
        due_on=dt.date(2026, 12, 1),
    )
    report, draft, plan_line, general_line = _reports(cast)
    records: dict[str, Model] = {
        "country": countries["ID"],
        "agency": Agency.objects.get(short_name="INP"),
        "user": cast.investigator_id,
        "period": cast.period,
        "milestone": milestone,
        "plan": cast.plan,
        "plan_amber": cast.plan_amber,
        "meeting": meeting,
        "action_item": action,
        "crime_type": CrimeType.objects.order_by("pk").first(),  # type: ignore[dict-item]
        "report": report,
        "report_draft": draft,
        "line": plan_line,
        "line_general": general_line,
    }
    return Scenario(cast=cast, records=records)


def reread(scenario: Scenario) -> Scenario:
    """The same records read afresh from the database, for one test of a module that shares the
    scenario: what a test does to these Python objects stays with that test. The records that are
    the cast's (the user, the period, the plans) stay the very objects of the fresh cast."""
    cast = refetched(scenario.cast)
    of_cast: dict[str, Model] = {
        "user": cast.investigator_id,
        "period": cast.period,
        "plan": cast.plan,
        "plan_amber": cast.plan_amber,
    }
    records = {
        kind: of_cast.get(kind) or type(record)._default_manager.get(pk=record.pk)
        for kind, record in scenario.records.items()
    }
    return Scenario(cast=cast, records=records)


def _reports(cast: Cast) -> tuple[Report, Report, OutcomeLine, OutcomeLine]:
    """Indonesia's submitted mid-term report (a line on `cast.plan`, a general one) and a draft final."""
    indonesia = cast.plan.lead_country
    report = Report.objects.create(period=cast.period, country=indonesia, kind=ReportKind.MIDTERM)
    version = ReportVersion.objects.create(report=report, number=1, created_by=cast.focal_id)
    plan_line = OutcomeLine.objects.create(
        version=version,
        indicator=Indicator.objects.get(code="arrests"),
        plan=cast.plan,
        value=7,
        description=PLAN_LINE_MARK,
    )
    general_line = OutcomeLine.objects.create(
        version=version,
        indicator=Indicator.objects.get(code="training-sessions"),
        value=3,
        description=GENERAL_LINE_MARK,
        position=1,
    )
    version.status = VersionStatus.SUBMITTED
    version.submitted_by = cast.focal_id
    version.save(update_fields=["status", "submitted_by"])
    draft = Report.objects.create(period=cast.period, country=indonesia, kind=ReportKind.FINAL)
    ReportVersion.objects.create(report=draft, number=1, created_by=cast.focal_id)
    return report, draft, plan_line, general_line
