"""In the browser: the plan and meeting pages fit a desktop and a phone screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from disrupt.conftest import build_cast
from disrupt.directory.models import Country
from disrupt.programme.choices import RouteRole
from disrupt.programme.models import ActionItem, Meeting, PlanRouteStop

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_plan_and_meeting_pages_fit_the_screen(
    request: pytest.FixtureRequest, reference_data: Any, viewport: str
) -> None:
    session = request.getfixturevalue(viewport)
    cast = build_cast()
    for role, code in ((RouteRole.ORIGIN, "ID"), (RouteRole.TRANSIT, "MY"), (RouteRole.DESTINATION, "AU")):
        PlanRouteStop.objects.create(plan=cast.plan, role=role, country=Country.objects.get(code=code))
    meeting = Meeting.objects.create(
        kind="planning", title="7th period planning workshop", city="Bangkok", starts_on=dt.date(2026, 8, 20)
    )
    ActionItem.objects.create(meeting=meeting, text="Circulate the plans", due_on=dt.date(2020, 1, 1))
    session.sign_in(cast.co_chair)
    for name, path in (
        ("plan-list", reverse("programme:plan_list")),
        ("plan-detail", cast.plan.get_absolute_url()),
        ("plan-edit", reverse("programme:plan_edit", args=[cast.plan.reference])),
        ("plan-decide", reverse("programme:plan_decide", args=[cast.plan.reference])),
        ("meeting-list", reverse("programme:meeting_list")),
        ("meeting-detail", meeting.get_absolute_url()),
    ):
        session.goto(path)
        assert session.page.get_by_role("heading", level=1).count() == 1, name
        assert session.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
        session.screenshot(f"{name}-{viewport}")
