"""What the API does with good and bad requests: tokens, writes through the actions, 400s not 500s."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from disrupt.conftest import Cast
from disrupt.programme.models import Milestone, PeriodOfAction, Plan

API = "/api/v1"


def token_client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")


def test_a_token_signs_in_and_an_invalid_token_is_refused(cast: Cast, client: Client) -> None:
    response = token_client(cast.focal_au).get(f"{API}/me/")
    assert response.status_code == 200
    assert response.json() | {"agency": None} == {
        "email": "focal@afp.test",
        "full_name": "Alex Focal",
        "job_title": "",
        "agency": None,
        "country": "AU",
        "roles": ["focal_point"],
    }
    refused = client.get(f"{API}/plans/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == "Token"


def test_a_deactivated_accounts_token_stops_working(cast: Cast) -> None:
    api = token_client(cast.observer)
    cast.observer.is_active = False
    cast.observer.save()
    assert api.get(f"{API}/plans/").status_code == 401


def test_lists_hold_only_what_the_user_may_see(cast: Cast) -> None:
    def references(user: Any) -> set[str]:
        return {plan["reference"] for plan in token_client(user).get(f"{API}/plans/").json()["results"]}

    assert references(cast.analyst_au) == {"JPA7-01", "JPA7-02"}
    assert references(cast.investigator_th) == {"JPA7-01"}
    assert token_client(cast.investigator_th).get(f"{API}/plans/JPA7-02/").status_code == 404


def test_a_focal_point_nominates_a_plan_led_by_their_own_country(cast: Cast) -> None:
    response = token_client(cast.focal_au).post(
        f"{API}/plans/",
        {
            "period": 7,
            "title": "Visa fraud facilitators",
            "partner_countries": ["ID"],
            "route": [{"country": "LK", "role": "origin"}, {"country": "AU", "role": "destination"}],
            "by_air": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"] == "JPA7-03"
    assert body["lead_country"] == "AU"
    assert body["status"] == "nominated"
    assert body["periods"] == [7]
    plan = Plan.objects.get(reference="JPA7-03")
    assert plan.nominated_by == cast.focal_au
    assert {(stop.country.code, stop.role) for stop in plan.route_stops.all()} == {
        ("LK", "origin"),
        ("AU", "destination"),
    }


def test_a_plan_with_its_lead_as_partner_is_a_400_naming_the_field(cast: Cast) -> None:
    response = token_client(cast.focal_id).post(
        f"{API}/plans/",
        {"period": 7, "title": "Twice", "partner_countries": ["ID"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "partner_countries" in response.json()
    assert not Plan.objects.filter(title="Twice").exists()


def test_returning_a_plan_needs_a_comment(cast: Cast) -> None:
    api = token_client(cast.co_chair)
    url = f"{API}/plans/JPA7-01/decide/"
    missing = api.post(url, {"decision": "return"}, content_type="application/json")
    assert missing.status_code == 400
    assert "comment" in missing.json()
    returned = api.post(
        url, {"decision": "return", "comment": "Name the partner agencies."}, content_type="application/json"
    )
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    assert returned.json()["decision_comment"] == "Name the partner agencies."


def test_the_model_rules_apply_to_api_writes(cast: Cast) -> None:
    api = token_client(cast.secretariat)
    online_with_city = api.post(
        f"{API}/meetings/",
        {"kind": "exercise", "title": "Online drill", "mode": "online", "city": "Bangkok"},
        content_type="application/json",
    )
    assert online_with_city.status_code == 400
    assert "city" in online_with_city.json()
    too_long = api.post(
        f"{API}/periods/",
        {"number": 9, "starts_on": "2027-01-01", "ends_on": "2028-06-30"},
        content_type="application/json",
    )
    assert too_long.status_code == 400
    assert "ends_on" in too_long.json()
    duplicate = api.post(f"{API}/periods/", {"number": 7}, content_type="application/json")
    assert duplicate.status_code == 400
    assert "number" in duplicate.json()
    international_with_country = api.post(
        f"{API}/agencies/",
        {"name": "Some organisation", "kind": "international", "country": "TH"},
        content_type="application/json",
    )
    assert international_with_country.status_code == 400
    assert "country" in international_with_country.json()


def test_a_new_period_gets_the_template_milestones(cast: Cast) -> None:
    response = token_client(cast.secretariat).post(
        f"{API}/periods/",
        {"number": 8, "starts_on": "2027-05-19", "ends_on": "2027-11-20", "co_chairs": ["NZ", "MY"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    period = PeriodOfAction.objects.get(number=8)
    assert Milestone.objects.filter(period=period).count() == 5
    assert set(response.json()["co_chairs"]) == {"MY", "NZ"}


def test_an_owner_may_change_only_the_status_of_an_action(cast: Cast) -> None:
    from disrupt.access.tests.scenario import build_scenario

    action = build_scenario(cast).records["action_item"]
    api = token_client(cast.focal_id)
    url = f"{API}/action-items/{action.pk}/"
    assert api.patch(url, {"status": "done"}, content_type="application/json").status_code == 200
    assert api.patch(url, {"text": "Something else"}, content_type="application/json").status_code == 403
    action.refresh_from_db()
    assert (action.status, action.text) == ("done", "Circulate the plans")


@pytest.mark.parametrize(
    "query",
    [
        "period=abc",
        "period=99999999999999999999",
        "country=%00",
        "q=a%00b",
        "status=not-a-status",
        "crime_type=",
        "mode=submarine",
    ],
)
def test_bad_filter_values_are_400_or_ignored_never_500(cast: Cast, query: str) -> None:
    response = token_client(cast.secretariat).get(f"{API}/plans/?{query}")
    assert response.status_code in {200, 400}


@pytest.mark.parametrize("query", ["year=-99999999999", "year=1e30", "year=abc", "period=%00"])
def test_bad_meeting_filters_are_400(cast: Cast, query: str) -> None:
    assert token_client(cast.secretariat).get(f"{API}/meetings/?{query}").status_code == 400


def test_huge_limits_are_clamped_and_huge_offsets_are_empty(cast: Cast) -> None:
    api = token_client(cast.secretariat)
    page = api.get(f"{API}/countries/?limit=100000000000000000000")
    assert page.status_code == 200
    assert len(page.json()["results"]) == min(500, page.json()["count"])
    beyond = api.get(f"{API}/countries/?offset=100000000000000000000000")
    assert beyond.status_code == 200
    assert beyond.json()["results"] == []


@pytest.mark.parametrize("path", ["/plans/a%00b/", "/countries/%00%00/", "/periods/99999999999999/"])
def test_odd_path_values_are_404(cast: Cast, path: str) -> None:
    assert token_client(cast.secretariat).get(API + path).status_code == 404


def test_a_body_that_is_not_json_is_400(cast: Cast) -> None:
    response = token_client(cast.secretariat).post(
        f"{API}/meetings/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_put_and_delete_are_not_offered(cast: Cast) -> None:
    api = token_client(cast.secretariat)
    assert api.delete(f"{API}/plans/JPA7-01/").status_code == 405
    assert api.put(f"{API}/periods/7/", {}, content_type="application/json").status_code == 405


def test_an_international_organisation_is_added_without_a_country(cast: Cast) -> None:
    api = token_client(cast.secretariat)
    added = api.post(
        f"{API}/agencies/",
        {"name": "Bali Process RSO annex", "kind": "international"},
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    assert added.json()["country"] is None
    duplicate = api.post(
        f"{API}/agencies/",
        {"name": "Indonesian National Police", "kind": "police", "country": "ID"},
        content_type="application/json",
    )
    assert duplicate.status_code == 400
