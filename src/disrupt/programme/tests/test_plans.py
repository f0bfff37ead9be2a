"""The plan pages: list, detail, nominate, edit and decide, for every member of the cast."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from disrupt.access.tests.matrix import MATRIX, rows
from disrupt.access.tests.scenario import Scenario, build_scenario
from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.programme.choices import PlanStatus, RouteRole
from disrupt.programme.models import Plan

PLAN_KINDS = {"plan", "plan_amber"}


def route_data(stops: list[tuple[str, str]] = (), total: int = 3) -> dict[str, Any]:  # type: ignore[assignment]
    data: dict[str, Any] = {
        "route-TOTAL_FORMS": str(max(total, len(stops))),
        "route-INITIAL_FORMS": "0",
        "route-MIN_NUM_FORMS": "0",
        "route-MAX_NUM_FORMS": "30",
    }
    for index, (role, code) in enumerate(stops):
        data[f"route-{index}-role"] = role
        data[f"route-{index}-country"] = code
    return data


def nomination(cast: Cast, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Air route through Cairo",
        "period": str(cast.period.pk),
        "handling_code": "green",
        "summary": "Facilitators moving people by air.",
        "partner_countries": ["EG", "AU"],
        "by_air": "on",
        **route_data([(RouteRole.ORIGIN, "LK"), (RouteRole.TRANSIT, "EG"), (RouteRole.DESTINATION, "AU")]),
    }
    data.update(changes)
    return data


def edit_data(plan: Plan, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": plan.title + " (revised)",
        "handling_code": plan.handling_code,
        "periods": [str(p.pk) for p in plan.periods.all()],
        "partner_countries": [c.code for c in plan.partner_countries.all()],
        **route_data([(RouteRole.ORIGIN, "ID")]),
    }
    data.update(changes)
    return data


def url_for(scenario: Scenario, kind: str, action: str) -> str:
    plan = scenario.records[kind]
    assert isinstance(plan, Plan)
    names = {"view": "plan_detail", "edit": "plan_edit", "decide": "plan_decide"}
    if action == "create":
        return reverse("programme:plan_nominate")
    return reverse(f"programme:{names[action]}", args=[plan.reference])


@pytest.mark.parametrize(("kind", "action", "member", "allowed"), [r for r in rows() if r[0] in PLAN_KINDS])
def test_plan_pages_follow_the_table(
    client: Client, cast: Cast, kind: str, action: str, member: str, allowed: bool
) -> None:
    scenario = build_scenario(cast)
    user = scenario.user(member)
    client.force_login(user)
    url = url_for(scenario, kind, action)
    visible = member in MATRIX[(kind, "view")]
    response = client.get(url)
    if allowed:
        assert response.status_code == 200
    elif action != "create" and not visible:
        assert response.status_code == 404
    else:
        assert response.status_code == 403
    plan = scenario.records[kind]
    assert isinstance(plan, Plan)
    before = Plan.objects.count()
    if action == "create":
        response = client.post(url, nomination(cast, partner_countries=["EG"]))
        assert (Plan.objects.count() == before + 1) is allowed
    elif action == "edit":
        response = client.post(url, edit_data(plan))
        plan.refresh_from_db()
        assert plan.title.endswith("(revised)") is allowed
    elif action == "decide":
        response = client.post(url, {"decision": "approve", "confirm": "on"})
        plan.refresh_from_db()
        assert (plan.status == PlanStatus.APPROVED and plan.decided_by_id == user.pk) is allowed
    if action != "view":
        assert response.status_code == (
            302 if allowed else (404 if not visible and action != "create" else 403)
        )


def test_the_list_shows_only_visible_plans_with_their_badges(client: Client, cast: Cast) -> None:
    client.force_login(cast.investigator_th)
    page = client.get(reverse("programme:plan_list")).content.decode()
    assert "JPA7-01" in page and "JPA7-02" not in page
    assert "TLP:GREEN" in page
    client.force_login(cast.analyst_au)
    page = client.get(reverse("programme:plan_list"), {"status": "approved"}).content.decode()
    assert "JPA7-02" in page and "TLP:AMBER" in page and "JPA7-01" not in page


def test_the_list_filters_by_period_country_and_mode(client: Client, cast: Cast) -> None:
    client.force_login(cast.focal_id)
    page = client.get(reverse("programme:plan_list"), {"mode": "sea", "period": 7, "country": "AU"})
    assert page.status_code == 200
    assert "JPA7-01" in page.content.decode() and "JPA7-02" not in page.content.decode()
    assert client.get(reverse("programme:plan_list"), {"country": "ZZ"}).status_code == 200


def test_an_observer_cannot_nominate_or_edit(client: Client, cast: Cast) -> None:
    client.force_login(cast.observer)
    assert client.post(reverse("programme:plan_nominate"), nomination(cast)).status_code == 403
    assert (
        client.post(reverse("programme:plan_edit", args=["JPA7-01"]), edit_data(cast.plan)).status_code == 403
    )
    assert not Plan.objects.filter(title="Air route through Cairo").exists()


def test_nominate_then_approve_shows_the_plan_in_its_period(client: Client, cast: Cast) -> None:
    client.force_login(cast.focal_id)
    response = client.post(reverse("programme:plan_nominate"), nomination(cast))
    plan = Plan.objects.get(title="Air route through Cairo")
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.reference == "JPA7-03" and plan.lead_country.code == "ID"
    assert {c.code for c in plan.partner_countries.all()} == {"EG", "AU"}
    assert [c.code for c in plan.route(RouteRole.TRANSIT)] == ["EG"]
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert "Egypt" in detail and "Indah Focal" in detail and "Transit" in detail

    client.force_login(cast.co_chair)
    response = client.post(
        reverse("programme:plan_decide", args=[plan.reference]), {"decision": "approve", "confirm": "on"}
    )
    assert response.status_code == 302
    assert plan in cast.period.plans.filter(status=PlanStatus.APPROVED)
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert "Approved" in detail and "Casey Cochair" in detail


def test_returning_needs_a_comment_and_the_focal_point_resubmits(client: Client, cast: Cast) -> None:
    client.force_login(cast.co_chair)
    url = reverse("programme:plan_decide", args=["JPA7-01"])
    response = client.post(url, {"decision": "return", "comment": " ", "confirm": "on"})
    assert response.status_code == 200 and "needs a comment" in response.content.decode()
    assert client.post(url, {"decision": "approve"}).status_code == 200  # no confirmation
    cast.plan.refresh_from_db()
    assert cast.plan.status == PlanStatus.NOMINATED
    client.post(url, {"decision": "return", "comment": "Add the route.", "confirm": "on"})
    cast.plan.refresh_from_db()
    assert cast.plan.status == PlanStatus.RETURNED and cast.plan.decision_comment == "Add the route."

    client.force_login(cast.focal_id)
    assert "Add the route." in client.get(cast.plan.get_absolute_url()).content.decode()
    client.post(reverse("programme:plan_edit", args=["JPA7-01"]), edit_data(cast.plan, resubmit="on"))
    cast.plan.refresh_from_db()
    assert cast.plan.status == PlanStatus.NOMINATED and cast.plan.title.endswith("(revised)")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"partner_countries": ["ID", "AU"]}, "partner_countries", "Indonesia leads the plan"),
        ({"partner_countries": ["XX"]}, "partner_countries", "“XX” is not an ISO 3166 country code"),
        ({"period": "999999"}, "period", "Select a valid choice"),
        ({"handling_code": "red"}, "handling_code", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_field_by_field(
    client: Client, cast: Cast, changes: dict[str, Any], field: str, message: str
) -> None:
    client.force_login(cast.focal_id)
    before = Plan.objects.count()
    response = client.post(reverse("programme:plan_nominate"), nomination(cast, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Plan.objects.count() == before


def test_a_half_filled_route_row_is_an_error(client: Client, cast: Cast) -> None:
    client.force_login(cast.focal_id)
    data = nomination(cast, **route_data([(RouteRole.ORIGIN, "")]))
    response = client.post(reverse("programme:plan_nominate"), data)
    assert response.status_code == 200 and "Give both the country" in response.content.decode()
    assert not Plan.objects.filter(title="Air route through Cairo").exists()


def test_egypt_can_partner_though_not_a_member(client: Client, cast: Cast) -> None:
    assert Country.objects.filter(code="EG", standings__isnull=True).exists()
    client.force_login(cast.focal_au)
    client.post(reverse("programme:plan_nominate"), nomination(cast, partner_countries=["EG"]))
    plan = Plan.objects.get(title="Air route through Cairo")
    assert plan.lead_country.code == "AU" and [c.code for c in plan.partner_countries.all()] == ["EG"]


def test_an_administrator_extends_the_crime_types(client: Client, cast: Cast) -> None:
    from disrupt.programme.models import CrimeType

    admin = cast.secretariat
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        reverse("admin:programme_crimetype_add"),
        {
            "code": "wildlife-trafficking",
            "name": "Wildlife trafficking",
            "position": "200",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    client.force_login(cast.focal_id)
    assert "Wildlife trafficking" in client.get(reverse("programme:plan_nominate")).content.decode()
    assert CrimeType.objects.filter(code="wildlife-trafficking").exists()
