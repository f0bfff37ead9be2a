"""The deadlines page in the real browser, at desktop and phone width, reached from the period."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from disrupt.conftest import BrowserSession, Cast, build_cast
from disrupt.core.tests.test_browser_tour import PAGE_CHECKS
from disrupt.reports.choices import VersionStatus
from disrupt.reports.tests.deadline_data import add_report_milestones, add_version

pytestmark = pytest.mark.browser


@pytest.fixture
def cycle(reference_data: Any) -> Cast:
    cast = build_cast()
    today = timezone.localdate()
    add_report_milestones(
        cast.period, midterm=today - dt.timedelta(days=4), final=today + dt.timedelta(days=5)
    )
    add_version(cast.period, "ID", status=VersionStatus.ACCEPTED, submitted_on=today - dt.timedelta(days=6))
    add_version(cast.period, "AU", submitted_on=today - dt.timedelta(days=1))
    return cast


def visit_deadlines(session: BrowserSession, cast: Cast, width_name: str) -> None:
    session.sign_in(cast.focal_id)
    session.goto("/periods/7/")
    session.page.get_by_role("link", name="Report deadlines").click()
    session.page.wait_for_load_state()
    assert session.page.url.endswith("/periods/7/deadlines/")
    assert session.page.evaluate(PAGE_CHECKS) == []
    indonesia = session.page.get_by_role("row", name="Indonesia").inner_text()
    assert "Your country" in indonesia and "Submitted" in indonesia and "Accepted" in indonesia
    assert "Submitted late" in session.page.get_by_role("row", name="Australia").inner_text()
    thailand = session.page.get_by_role("row", name="Thailand").inner_text()
    assert "Missing" in thailand and "Due soon" in thailand
    session.screenshot(f"deadlines-{width_name}")
    session.page.get_by_role("link", name="Open the mid-term report of Indonesia").click()
    session.page.wait_for_load_state()
    assert "/reports/" in session.page.url


def test_the_deadlines_at_desktop_width(desktop: BrowserSession, cycle: Cast) -> None:
    visit_deadlines(desktop, cycle, "desktop")


def test_the_deadlines_at_phone_width(phone: BrowserSession, cycle: Cast) -> None:
    visit_deadlines(phone, cycle, "phone")
