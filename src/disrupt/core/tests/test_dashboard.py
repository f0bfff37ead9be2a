"""The dashboard answers each role with what it asks of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from disrupt.access.tests.matrix import EVERYONE
from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.programme.choices import ActionStatus, MeetingKind, MilestoneKind, PeriodStatus, Responsible
from disrupt.programme.models import ActionItem, Meeting, Milestone, PeriodOfAction

DASHBOARD = "/"


@pytest.fixture
def dated(cast: Cast) -> dict[str, object]:
    today = timezone.localdate()
    nz = Country.objects.get(code="NZ")
    idn = Country.objects.get(code="ID")
    soon = Milestone.objects.create(
        period=cast.period,
        kind=MilestoneKind.MIDTERM_REPORT,
        title="Mid-term report due",
        responsible=Responsible.PARTICIPANTS,
        due_on=today + dt.timedelta(days=20),
    )
    far = Milestone.objects.create(
        period=cast.period,
        kind=MilestoneKind.FINAL_REPORT,
        title="Final report due",
        responsible=Responsible.PARTICIPANTS,
        due_on=today + dt.timedelta(days=90),
    )
    late_participants = Milestone.objects.create(
        period=cast.period,
        kind=MilestoneKind.OTHER,
        title="Contact lists exchanged",
        responsible=Responsible.PARTICIPANTS,
        due_on=today - dt.timedelta(days=5),
    )
    late_co_chairs = Milestone.objects.create(
        period=cast.period,
        kind=MilestoneKind.PLANS_DISTRIBUTED,
        title="Investigation plans distributed",
        responsible=Responsible.CO_CHAIRS,
        due_on=today - dt.timedelta(days=3),
    )
    meeting = Meeting.objects.create(
        kind=MeetingKind.WORKING_GROUP,
        title="Working group meeting in Wellington",
        starts_on=today + dt.timedelta(days=30),
        city="Wellington",
        host_country=nz,
        period=cast.period,
    )
    action = ActionItem.objects.create(
        meeting=meeting,
        text="Share the list of national contact points",
        owner_country=idn,
        due_on=today - dt.timedelta(days=1),
        status=ActionStatus.OPEN,
    )
    return {
        "soon": soon,
        "far": far,
        "late_participants": late_participants,
        "late_co_chairs": late_co_chairs,
        "meeting": meeting,
        "action": action,
    }


@pytest.mark.parametrize("member", sorted(EVERYONE))
def test_every_cast_member_gets_a_dashboard(client: Client, cast: Cast, dated: dict, member: str) -> None:
    client.force_login(getattr(cast, member))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    page = response.content.decode()
    # Everyone sees what is coming within sixty days, and nothing beyond.
    assert "Mid-term report due" in page
    assert "Working group meeting in Wellington" in page
    assert "Final report due" not in page


def test_a_participant_sees_late_items_of_their_country(client: Client, cast: Cast, dated: dict) -> None:
    client.force_login(cast.investigator_id)
    context = client.get(DASHBOARD).context
    assert list(context["late_milestones"]) == [dated["late_participants"]]
    assert list(context["late_actions"]) == [dated["action"]]


def test_a_co_chair_sees_late_items_of_the_co_chairs(client: Client, cast: Cast, dated: dict) -> None:
    client.force_login(cast.co_chair)  # New Zealand participates and co-chairs
    context = client.get(DASHBOARD).context
    assert set(context["late_milestones"]) == {dated["late_participants"], dated["late_co_chairs"]}
    assert list(context["late_actions"]) == []


def test_a_country_outside_the_period_has_nothing_late(client: Client, cast: Cast, dated: dict) -> None:
    client.force_login(cast.co_chair_other)  # Fiji: neither participant nor co-chair
    context = client.get(DASHBOARD).context
    assert list(context["late_milestones"]) == []


def test_milestones_of_a_closed_period_are_not_late(client: Client, cast: Cast, dated: dict) -> None:
    old = PeriodOfAction.objects.create(
        number=2, starts_on=dt.date(2016, 5, 19), ends_on=dt.date(2016, 11, 20), status=PeriodStatus.CLOSED
    )
    old.participants.set([Country.objects.get(code="ID")])
    Milestone.objects.create(
        period=old,
        kind=MilestoneKind.FINAL_REPORT,
        title="Final report to the co-chairs",
        responsible=Responsible.PARTICIPANTS,
        due_on=dt.date(2016, 11, 30),
    )
    for user in (cast.secretariat, cast.investigator_id):
        client.force_login(user)
        assert "Final report to the co-chairs" not in client.get(DASHBOARD).content.decode()


def test_the_secretariat_sees_decisions_pending_and_counts(client: Client, cast: Cast, dated: dict) -> None:
    client.force_login(cast.secretariat)
    response = client.get(DASHBOARD)
    page = response.content.decode()
    assert "Plans awaiting a decision" in page
    assert cast.plan.reference in page
    assert "Active users" in page and "Agencies and organisations" in page
    assert response.context["secretariat"]["users"] >= 10
    assert set(response.context["late_milestones"]) == {dated["late_participants"], dated["late_co_chairs"]}


def test_the_co_chair_sees_nominations_to_decide(client: Client, cast: Cast) -> None:
    client.force_login(cast.co_chair)
    page = client.get(DASHBOARD).content.decode()
    assert "Nominations awaiting your decision" in page
    assert reverse("programme:plan_decide", args=[cast.plan.reference]) in page
    # Another country's co-chair has no say on this period's plans.
    client.force_login(cast.co_chair_other)
    page = client.get(DASHBOARD).content.decode()
    assert "No nomination awaits your decision." in page
    assert reverse("programme:plan_decide", args=[cast.plan.reference]) not in page


def test_the_focal_point_may_nominate_and_sees_their_plans_by_status(client: Client, cast: Cast) -> None:
    client.force_login(cast.focal_id)
    response = client.get(DASHBOARD)
    page = response.content.decode()
    assert reverse("programme:plan_nominate") in page
    assert dict(response.context["focal_point"]["by_status"]) == {
        "Nominated": 1,
        "Returned for changes": 0,
        "Approved": 1,
        "Concluded": 0,
        "Withdrawn": 0,
    }
    assert cast.plan.reference in page and cast.plan_amber.reference in page


def test_my_plans_are_those_of_my_country_i_may_see(client: Client, cast: Cast) -> None:
    client.force_login(cast.investigator_th)
    assert list(client.get(DASHBOARD).context["my_plans"]) == []
    client.force_login(cast.analyst_au)  # partner in both
    assert {p.reference for p in client.get(DASHBOARD).context["my_plans"]} == {"JPA7-01", "JPA7-02"}


def test_the_observer_gets_a_read_only_overview(client: Client, cast: Cast) -> None:
    client.force_login(cast.observer)
    page = client.get(DASHBOARD).content.decode()
    assert "Overview of the programme" in page
    assert "read-only" in page
    assert reverse("programme:plan_nominate") not in page
    assert "Nominations awaiting your decision" not in page
    assert "Plans awaiting a decision" not in page


def test_other_roles_get_no_role_sections(client: Client, cast: Cast) -> None:
    client.force_login(cast.investigator_id)
    page = client.get(DASHBOARD).content.decode()
    assert reverse("programme:plan_nominate") not in page
    assert "Overview of the programme" not in page
    assert "Plans awaiting a decision" not in page


def test_the_dashboard_stays_within_a_query_budget(
    client: Client, cast: Cast, dated: dict, django_assert_max_num_queries: object
) -> None:
    client.force_login(cast.secretariat)
    with django_assert_max_num_queries(40):  # type: ignore[operator]
        client.get(DASHBOARD)


# The browser fixtures come first: they reload the reference data the cast needs in a flushed database.
def test_the_dashboard_reads_well_on_desktop(desktop: Any, cast: Cast, dated: dict) -> None:
    check_dashboard(desktop, cast, "desktop")


def test_the_dashboard_reads_well_on_a_phone(phone: Any, cast: Cast, dated: dict) -> None:
    check_dashboard(phone, cast, "phone")


def check_dashboard(session: Any, cast: Cast, viewport: str) -> None:
    session.sign_in(cast.focal_id)
    session.goto(DASHBOARD)
    page = session.page
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    assert page.get_by_role("link", name="Nominate a plan").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    session.screenshot(f"dashboard-{viewport}")
