"""The deadlines page: statuses for everyone signed in, links to reports only for their readers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.reports.tests.deadline_data import add_report_milestones, add_version

pytestmark = pytest.mark.django_db

URL = "/periods/7/deadlines/"


def _page(client: Client, user: Any) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def _report_pages_installed() -> bool:
    try:
        reverse("reports:report_detail", args=[1])
    except NoReverseMatch:
        return False
    return True


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, cast: Cast) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_unknown_period_is_404(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    assert client.get("/periods/99/deadlines/").status_code == 404


@pytest.mark.parametrize(
    "who", ["secretariat", "co_chair", "co_chair_other", "focal_id", "investigator_th", "observer"]
)
def test_everyone_signed_in_sees_the_statuses_in_words(client: Client, cast: Cast, who: str) -> None:
    add_report_milestones(cast.period, midterm=timezone.localdate() - dt.timedelta(days=3))
    add_version(cast.period, "ID", submitted_on=timezone.localdate() - dt.timedelta(days=4))
    html = _page(client, getattr(cast, who))
    assert html.count("<h1") == 1
    assert re.search(r"Indonesia.*?Submitted", html, re.S)
    assert re.search(r"New Zealand.*?Missing", html, re.S)
    assert "What the statuses mean" in html


def test_a_focal_point_sees_their_own_row_marked(client: Client, cast: Cast) -> None:
    add_report_milestones(cast.period)
    html = _page(client, cast.focal_id)
    assert re.search(r'<tr class="deadlines-table__own">\s*<th scope="row">Indonesia', html)
    assert html.count("deadlines-table__own") == 1
    assert "deadlines-table__own" not in _page(client, cast.observer)


def test_the_period_page_links_here(client: Client, cast: Cast) -> None:
    client.force_login(cast.investigator_th)
    assert f'href="{URL}"' in client.get("/periods/7/").content.decode()


@pytest.mark.parametrize(
    ("who", "may_open"),
    [
        ("secretariat", True),
        ("co_chair", True),  # New Zealand co-chairs the 7th period
        ("focal_id", True),
        ("investigator_id", True),
        ("co_chair_other", False),  # a co-chair, but not of this period
        ("analyst_au", False),  # a partner in Indonesia's plans sees lines, not the report
        ("investigator_th", False),
        ("observer", False),
    ],
)
def test_the_link_to_a_report_shows_only_to_its_readers(
    client: Client, cast: Cast, who: str, may_open: bool
) -> None:
    add_report_milestones(cast.period)
    version = add_version(cast.period, "ID", submitted_on=dt.date(2026, 11, 20))
    client.force_login(getattr(cast, who))
    response = client.get(URL)
    (indonesia,) = [shown for shown in response.context["rows"] if shown.row.country.code == "ID"]
    assert indonesia.cells[0].readable is may_open
    html = response.content.decode()
    assert "Submitted" in html
    if not _report_pages_installed():
        assert "Open the mid-term report" not in html
        pytest.skip("the report pages (reports:report_detail) are not installed yet")
    assert (f'href="{version.report.get_absolute_url()}"' in html) is may_open


def test_the_page_costs_the_same_queries_for_more_countries(client: Client, cast: Cast) -> None:
    add_report_milestones(cast.period)
    add_version(cast.period, "ID", submitted_on=dt.date(2026, 11, 20))
    client.force_login(cast.co_chair)
    client.get(URL)  # the session and caches settle on the first request

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    before = queries()
    cast.period.participants.add(*Country.objects.filter(code__in=["MY", "FJ", "PH", "VN", "KH"]))
    for code in ("MY", "FJ", "PH"):
        add_version(cast.period, code, submitted_on=dt.date(2026, 11, 25))
    assert queries() == before
