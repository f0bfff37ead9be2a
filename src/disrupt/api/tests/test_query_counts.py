"""List routes cost a fixed number of queries, however many records they return."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from disrupt.access.choices import HandlingCode
from disrupt.access.tests.scenario import build_scenario
from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.programme.models import ActionItem, Meeting, Milestone, Plan, PlanRouteStop


def add_records(cast: Cast, n: int, offset: int) -> None:
    thailand = Country.objects.get(code="TH")
    for i in range(offset, offset + n):
        plan = Plan.objects.create(
            reference=f"JPA7-{50 + i}",
            title=f"Plan {i}",
            lead_country=thailand,
            handling_code=HandlingCode.GREEN,
        )
        plan.partner_countries.set([cast.plan.lead_country])
        plan.periods.set([cast.period])
        PlanRouteStop.objects.create(plan=plan, country=thailand, role="origin")
        meeting = Meeting.objects.create(kind="exercise", title=f"Drill {i}", period=cast.period)
        meeting.co_chairs.set([thailand])
        ActionItem.objects.create(meeting=meeting, text=f"Action {i}", owner_country=thailand)
        Milestone.objects.create(period=cast.period, kind="other", title=f"Step {i}", responsible="co_chairs")


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/plans/",
        "/api/v1/meetings/",
        "/api/v1/action-items/",
        "/api/v1/milestones/",
        "/api/v1/periods/",
    ],
)
def test_a_list_costs_the_same_for_two_records_as_for_twelve(cast: Cast, client: Client, url: str) -> Any:
    build_scenario(cast)
    client.force_login(cast.investigator_th)
    add_records(cast, 2, 0)
    few = queries(client, url)
    add_records(cast, 10, 2)
    assert queries(client, url) == few


def test_the_country_list_reads_standings_in_one_query(cast: Cast, client: Client) -> None:
    client.force_login(cast.observer)
    assert queries(client, "/api/v1/countries/?limit=200") == queries(client, "/api/v1/countries/?limit=2")
