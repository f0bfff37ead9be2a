"""The API answers what the permission table says, for every row that has an API route.

view → GET the record, create → POST the list, edit → PATCH the record, decide → POST decide.
Allowed answers 2xx; refused answers 404 exactly when the member may not see the record, else 403.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from disrupt.access.tests.matrix import EVERYONE, MATRIX
from disrupt.access.tests.scenario import Scenario, build_scenario
from disrupt.conftest import Cast

API = "/api/v1"

# Rows with no API route, and why; every other row of the table must be exercised below.
NOT_IN_API = {
    ("country", "edit"): "a country's standing is kept on the pages; countries are read-only here",
    ("user", "view"): "accounts stay out of the API but for /me/",
    ("user", "create"): "accounts stay out of the API",
    ("user", "edit"): "accounts stay out of the API",
    ("crime_type", "create"): "reference terms are read-only here",
    ("crime_type", "edit"): "reference terms are read-only here",
    ("report_draft", "edit"): "drafts are written on the pages and by spreadsheet; the API reads, submits",
}


def detail_url(kind: str, record: Any) -> str:
    if kind == "country":
        return f"{API}/countries/{record.code}/"
    if kind == "period":
        return f"{API}/periods/{record.number}/"
    if kind in {"plan", "plan_amber"}:
        return f"{API}/plans/{record.reference}/"
    if kind == "crime_type":
        return f"{API}/crime-types/{record.code}/"
    if kind in {"report", "report_draft"}:
        return f"{API}/reports/{record.pk}/"
    if kind in {"line", "line_general"}:
        return f"{API}/outcome-lines/{record.pk}/"
    collection = {"agency": "agencies", "milestone": "milestones", "meeting": "meetings"}.get(
        kind, "action-items"
    )
    return f"{API}/{collection}/{record.pk}/"


def create_request(kind: str, scenario: Scenario) -> tuple[str, dict[str, Any]]:
    meeting = scenario.records["meeting"]
    return {
        "agency": ("agencies", {"name": "Indonesian Navy", "kind": "navy", "country": "ID"}),
        "period": (
            "periods",
            {"number": 8, "starts_on": "2027-05-01", "ends_on": "2027-10-31", "status": "planning"},
        ),
        "milestone": (
            "milestones",
            {
                "period": 7,
                "kind": "other",
                "title": "Check-in",
                "responsible": "co_chairs",
                "due_on": "2026-10-01",
            },
        ),
        "plan": ("plans", {"period": 7, "title": "Document fraud ring", "by_air": True}),
        "meeting": ("meetings", {"kind": "exercise", "title": "Tabletop exercise", "mode": "online"}),
        "action_item": ("action-items", {"meeting": meeting.pk, "text": "Send the contact list"}),
    }[kind]


EDITS: dict[str, dict[str, Any]] = {
    "agency": {"short_name": "POLRI"},
    "period": {"summary": "Revised summary"},
    "milestone": {"title": "Mid-term report due (revised)"},
    "plan": {"summary": "Revised summary"},
    "plan_amber": {"summary": "Revised summary"},
    "meeting": {"city": "Jakarta"},
    "action_item": {"status": "in_progress"},
}


def api_rows() -> list[tuple[str, str]]:
    return sorted(set(MATRIX) - set(NOT_IN_API))


@pytest.fixture
def scenario(cast: Cast) -> Scenario:
    return build_scenario(cast)


def call(client: Client, scenario: Scenario, kind: str, action: str) -> Any:
    record = scenario.records[kind]
    if action == "view":
        return client.get(detail_url(kind, record))
    if action == "create":
        collection, payload = create_request(kind, scenario)
        return client.post(f"{API}/{collection}/", payload, content_type="application/json")
    if action == "edit":
        return client.patch(detail_url(kind, record), EDITS[kind], content_type="application/json")
    assert action == "decide"
    if kind == "report":  # a report is decided one version at a time
        version = record.versions.get(number=1)
        return client.post(f"{API}/report-versions/{version.pk}/accept/", {}, content_type="application/json")
    return client.post(
        detail_url(kind, record) + "decide/", {"decision": "approve"}, content_type="application/json"
    )


def may_view(kind: str, member: str) -> bool:
    return member in MATRIX.get((kind, "view"), EVERYONE)


def expected(kind: str, action: str, member: str) -> str:
    if member in MATRIX[(kind, action)]:
        return "2xx"
    if action != "create" and not may_view(kind, member):
        return "404"
    return "403"


def answered(status: int) -> str:
    return "2xx" if 200 <= status < 300 else str(status)


@pytest.mark.parametrize(("kind", "action"), api_rows())
def test_the_api_follows_the_table(scenario: Scenario, client: Client, kind: str, action: str) -> None:
    # One row, every member of the cast; each request is rolled back so the next starts alike.
    wrong = []
    for member in sorted(EVERYONE):
        client.force_login(scenario.user(member))
        with transaction.atomic():
            response = call(client, scenario, kind, action)
            transaction.set_rollback(True)
        if answered(response.status_code) != expected(kind, action, member):
            wrong.append(f"{member}: {response.status_code}, expected {expected(kind, action, member)}")
    assert not wrong, f"{kind} {action}:\n" + "\n".join(wrong)


@pytest.mark.parametrize(("kind", "action"), api_rows())
def test_anonymous_callers_are_asked_to_sign_in(
    scenario: Scenario, client: Client, kind: str, action: str
) -> None:
    assert call(client, scenario, kind, action).status_code == 401


def test_every_row_of_the_table_is_exercised_or_explained() -> None:
    exercised = set(api_rows())
    assert exercised | set(NOT_IN_API) == set(MATRIX)
    assert set(NOT_IN_API) <= set(MATRIX), "an explained row no longer exists in the table"


def test_an_allowed_write_changes_the_record(scenario: Scenario, client: Client) -> None:
    plan = scenario.records["plan"]
    client.force_login(scenario.user("co_chair"))
    response = call(client, scenario, "plan", "decide")
    assert response.json()["status"] == "approved"
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert plan.decided_by == scenario.user("co_chair")


def test_a_refused_write_changes_nothing(scenario: Scenario, client: Client) -> None:
    plan = scenario.records["plan"]
    client.force_login(scenario.user("observer"))
    assert call(client, scenario, "plan", "edit").status_code == 403
    plan.refresh_from_db()
    assert plan.summary == ""
