"""The records each row of the permission matrix acts on, built around the shared cast."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from disrupt.conftest import Cast
from disrupt.directory.models import Agency, Country
from disrupt.programme.choices import MeetingKind, MilestoneKind, Responsible
from disrupt.programme.models import ActionItem, CrimeType, Meeting, Milestone


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
    }
    return Scenario(cast=cast, records=records)
