"""/api/v1/outcomes/: a period's totals with qualifier and provenance, under the pages' permissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from disrupt.conftest import Cast
from disrupt.reports.models import OutcomeLine
from disrupt.reports.tests.outcome_data import submit

URL = "/api/v1/outcomes/"


@pytest.fixture
def reported(cast: Cast) -> Cast:
    submit(cast.period, "ID", [("arrests", 10, cast.plan), ("arrests", 1), ("enquiries", "over 20")])
    submit(cast.period, "AU", [("arrests", 5, cast.plan), ("assets-seized", 900, cast.plan, "AUD")])
    submit(cast.period, "TH", [("arrests", 2), ("assets-seized", 100, None, "USD")])
    return cast


def by_code(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["indicator"]: row for row in answer["indicators"]}


def test_it_gives_totals_with_qualifier_and_provenance(client: Client, reported: Cast) -> None:
    client.force_login(reported.secretariat)
    response = client.get(URL, {"period": 7})
    assert response.status_code == 200
    answer = response.json()
    assert answer["period"] == 7 and answer["group_by"] is None and answer["groups"] == []
    rows = by_code(answer)
    arrests = rows["arrests"]
    assert arrests["display"] == "18"
    assert arrests["published"] is None and arrests["differs"] is False
    lines = OutcomeLine.objects.filter(indicator__code="arrests")
    assert sorted(arrests["reported"]["line_ids"]) == sorted(lines.values_list("pk", flat=True))
    assert len(arrests["reported"]["report_ids"]) == 3
    assert arrests["reported"]["amounts"] == [
        {"currency": "", "qualifier": "exact", "value": 18, "wording": "", "display": "18"}
    ]
    assert arrests["provenance_url"] == "/outcomes/periods/7/indicators/arrests/"
    assert rows["enquiries"]["reported"]["amounts"][0]["qualifier"] == "at_least"
    assert rows["enquiries"]["display"] == "over 20"
    # Money: one amount per currency, never added together.
    assets = rows["assets-seized"]["reported"]
    assert [(a["currency"], a["value"]) for a in assets["amounts"]] == [("AUD", 900), ("USD", 100)]
    assert assets["display"] == "AUD 900; USD 100"


def test_it_groups_by_country_plan_or_crime_type(client: Client, reported: Cast) -> None:
    client.force_login(reported.secretariat)
    answer = client.get(URL, {"period": 7, "group_by": "country"}).json()
    groups = {group["key"]: group for group in answer["groups"]}
    assert set(groups) == {"ID", "AU", "TH"}
    indonesia = {t["indicator"]: t for t in groups["ID"]["totals"]}
    assert indonesia["arrests"]["reported"]["display"] == "11"
    assert indonesia["arrests"]["provenance_url"].endswith("?country=ID")
    plans = client.get(URL, {"period": 7, "group_by": "plan"}).json()["groups"]
    assert [g["key"] for g in plans] == [str(reported.plan.pk), None]
    assert plans[1]["name"] == "General activity (no plan)"
    assert client.get(URL, {"period": 7, "group_by": "crime_type"}).status_code == 200


def test_published_figures_come_with_their_sources(client: Client, cast: Cast) -> None:
    call_command("loadhistory", verbosity=0)
    client.force_login(cast.observer)
    rows = by_code(client.get(URL, {"period": 1}).json())
    assisted = rows["persons-assisted"]
    assert assisted["display"] == "59" and assisted["reported"] is None
    sources = {source["key"]: source for source in assisted["published"]["sources"]}
    assert sources["seeds/003"]["url"] == reverse("history:source_detail", args=["seeds/003"])
    assert rows["enquiries"]["published"]["qualifier"] == "at_least"
    assert rows["enquiries"]["display"] == "over 70"
    third = by_code(client.get(URL, {"period": 3}).json())
    assert third["enquiries"]["display"] == "numerous"
    assert by_code(client.get(URL, {"period": 2}).json())["arrests"]["display"] == "over 30"


def test_a_country_outside_the_plan_gets_totals_without_its_lines(client: Client, reported: Cast) -> None:
    totals = {}
    for name in ("secretariat", "analyst_au", "investigator_th", "observer"):
        client.force_login(getattr(reported, name))
        rows = by_code(client.get(URL, {"period": 7}).json())
        totals[name] = rows["arrests"]["display"] if "arrests" in rows else None
        if name == "investigator_th":
            # No line or report of the plan leaks through the provenance either.
            plan_lines = OutcomeLine.objects.filter(plan=reported.plan).values_list("pk", flat=True)
            assert not set(rows["arrests"]["reported"]["line_ids"]) & set(plan_lines)
    assert totals == {"secretariat": "18", "analyst_au": "15", "investigator_th": "2", "observer": None}


def test_it_refuses_anonymous_callers(client: Client, reported: Cast) -> None:
    assert client.get(URL, {"period": 7}).status_code == 401


@pytest.mark.parametrize(
    "query", [{}, {"period": "x"}, {"period": 99999999999}, {"period": 7, "group_by": "sex"}]
)
def test_bad_queries_are_400_with_the_field(client: Client, cast: Cast, query: dict[str, Any]) -> None:
    client.force_login(cast.secretariat)
    response = client.get(URL, query)
    assert response.status_code == 400
    assert set(response.json()) <= {"period", "group_by"}


def test_an_unknown_period_is_404(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    assert client.get(URL, {"period": 99}).status_code == 404


def test_the_route_is_in_the_openapi_document(db: Any) -> None:
    document = SchemaGenerator().get_schema(request=None, public=True)
    operation = document["paths"]["/api/v1/outcomes/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"period", "group_by"}
    assert "provenance" in operation["summary"]
    assert set(operation["responses"]) >= {"200", "400", "401", "404"}
