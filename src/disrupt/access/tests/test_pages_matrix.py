"""Every page that shows or changes a record answers as the permission table says, for every member.

The same table (matrix.py) drives the policy tests and the API tests. Here each (kind, action)
is the page a person would use: allowed members get the page (200); a member who may not act
gets 403 when they may see the record and 404 when they may not even know it exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from disrupt.access.tests.matrix import MATRIX, rows
from disrupt.access.tests.scenario import GENERAL_LINE_MARK, PLAN_LINE_MARK, Scenario, build_scenario, reread
from disrupt.conftest import build_cast, shared_records

# (kind, action) -> the page's URL, built from the scenario's records.
PAGES: dict[tuple[str, str], Callable[[Scenario], str]] = {
    ("country", "view"): lambda s: reverse("directory:country_detail", args=[s.records["country"].code]),  # type: ignore[attr-defined]
    # A country's record changes through its standings in the group.
    ("country", "edit"): lambda s: reverse("directory:standing_create", args=[s.records["country"].code]),  # type: ignore[attr-defined]
    ("agency", "view"): lambda s: reverse("directory:agency_detail", args=[s.records["agency"].pk]),
    ("agency", "create"): lambda s: reverse("directory:agency_create"),
    ("agency", "edit"): lambda s: reverse("directory:agency_edit", args=[s.records["agency"].pk]),
    ("user", "view"): lambda s: reverse("directory:user_detail", args=[s.records["user"].pk]),
    ("user", "create"): lambda s: reverse("directory:user_create"),
    ("user", "edit"): lambda s: reverse("directory:user_edit", args=[s.records["user"].pk]),
    ("period", "view"): lambda s: reverse("programme:period_detail", args=[s.cast.period.number]),
    ("period", "create"): lambda s: reverse("programme:period_create"),
    ("period", "edit"): lambda s: reverse("programme:period_edit", args=[s.cast.period.number]),
    ("milestone", "create"): lambda s: reverse("programme:milestone_create", args=[s.cast.period.number]),
    ("milestone", "edit"): lambda s: reverse("programme:milestone_edit", args=[s.records["milestone"].pk]),
    ("plan", "view"): lambda s: reverse("programme:plan_detail", args=[s.cast.plan.reference]),
    ("plan", "create"): lambda s: reverse("programme:plan_nominate"),
    ("plan", "edit"): lambda s: reverse("programme:plan_edit", args=[s.cast.plan.reference]),
    ("plan", "decide"): lambda s: reverse("programme:plan_decide", args=[s.cast.plan.reference]),
    ("plan_amber", "view"): lambda s: reverse("programme:plan_detail", args=[s.cast.plan_amber.reference]),
    ("plan_amber", "edit"): lambda s: reverse("programme:plan_edit", args=[s.cast.plan_amber.reference]),
    ("plan_amber", "decide"): lambda s: reverse("programme:plan_decide", args=[s.cast.plan_amber.reference]),
    ("meeting", "view"): lambda s: reverse("programme:meeting_detail", args=[s.records["meeting"].pk]),
    ("meeting", "create"): lambda s: reverse("programme:meeting_create"),
    ("meeting", "edit"): lambda s: reverse("programme:meeting_edit", args=[s.records["meeting"].pk]),
    ("action_item", "create"): lambda s: reverse("programme:action_create", args=[s.records["meeting"].pk]),
    ("action_item", "edit"): lambda s: reverse("programme:action_edit", args=[s.records["action_item"].pk]),
    ("report", "view"): lambda s: reverse("reports:report_detail", args=[s.records["report"].pk]),
    ("report", "decide"): lambda s: reverse("reports:report_decide", args=[s.records["report"].pk, 1]),
    ("report_draft", "view"): lambda s: reverse("reports:report_detail", args=[s.records["report_draft"].pk]),
    ("report_draft", "edit"): lambda s: reverse(
        "reports:report_edit", args=[s.records["report_draft"].pk, 1]
    ),
}

# Reference terms are extended in the administration site, which has its own staff permissions.
# Lines have no page of their own: they show inside report, plan and outcome pages, and
# `test_lines_show_only_where_the_table_allows` reads those pages for every member.
WITHOUT_PAGES = {
    ("crime_type", "view"),
    ("crime_type", "create"),
    ("crime_type", "edit"),
    ("line", "view"),
    ("line_general", "view"),
}

# Every page that shows lines, or a figure made from them.
LINE_PAGES: list[Callable[[Scenario], str]] = [
    lambda s: reverse("programme:plan_detail", args=[s.cast.plan.reference]),
    lambda s: reverse("reports:report_list"),
    lambda s: reverse("reports:report_detail", args=[s.records["report"].pk]),
    lambda s: reverse("reports:report_version", args=[s.records["report"].pk, 1]),
    lambda s: reverse("reports:period_outcomes", args=[s.cast.period.number]),
]
LINE_MARKS = {"line": PLAN_LINE_MARK, "line_general": GENERAL_LINE_MARK}


@pytest.fixture(scope="module")
def shared_scenario(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scenario]:
    """The cast and the scenario's records, written once for the module (conftest.shared_records).
    Safe to share: every cell only reads them (GET requests; signing in writes a session), and
    what any test writes is rolled back after it."""
    with shared_records(django_db_blocker):
        yield build_scenario(build_cast())


@pytest.fixture
def scenario(shared_scenario: Scenario, db: None) -> Scenario:
    return reread(shared_scenario)


def test_every_row_of_the_table_has_a_page_or_a_reason() -> None:
    assert set(MATRIX) == set(PAGES) | WITHOUT_PAGES


def expected_status(kind: str, action: str, member: str, allowed: bool) -> int:
    if allowed:
        return 200
    may_view = MATRIX.get((kind, "view"))
    if action != "create" and may_view is not None and member not in may_view:
        return 404
    return 403


@pytest.mark.parametrize(
    ("kind", "action", "member", "allowed"), [row for row in rows() if row[:2] not in WITHOUT_PAGES]
)
def test_pages_follow_the_table(
    scenario: Scenario, client: Client, kind: str, action: str, member: str, allowed: bool
) -> None:
    client.force_login(scenario.user(member))
    url = PAGES[kind, action](scenario)
    response = client.get(url)
    assert response.status_code == expected_status(kind, action, member, allowed), url


@pytest.mark.parametrize(("kind", "action"), sorted(PAGES))
def test_pages_ask_anonymous_visitors_to_sign_in(
    scenario: Scenario, client: Client, kind: str, action: str
) -> None:
    response = client.get(PAGES[kind, action](scenario))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("kind", "member"), [(k, m) for k, _, m, _ in rows() if k in LINE_MARKS])
def test_lines_show_only_where_the_table_allows(
    scenario: Scenario, client: Client, kind: str, member: str
) -> None:
    client.force_login(scenario.user(member))
    allowed = member in MATRIX[kind, "view"]
    seen = [url for url in (page(scenario) for page in LINE_PAGES) if LINE_MARKS[kind] in _text(client, url)]
    if allowed:
        assert seen, f"{member} should find the {kind} on one of the pages"
    else:
        assert not seen, f"{member} must not see the {kind}, found on {seen}"


def _text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code in {200, 404}, url
    return response.content.decode()
