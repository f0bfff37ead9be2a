"""The outcome pages in the real browser, at desktop and phone width, on the public record."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from disrupt.conftest import BrowserSession, Cast, build_cast
from disrupt.core.tests.test_browser_tour import PAGE_CHECKS

pytestmark = pytest.mark.browser


@pytest.fixture
def record(reference_data: Any) -> Cast:
    call_command("loadhistory", verbosity=0)
    return build_cast()


def visit_outcomes(session: BrowserSession, cast: Cast, width_name: str) -> None:
    session.sign_in(cast.investigator_th)
    session.goto("/periods/1/")
    session.page.locator("#main").get_by_role("link", name="Outcomes", exact=True).click()
    session.page.wait_for_load_state()
    assert session.page.url.endswith("/outcomes/periods/1/")
    assert session.page.evaluate(PAGE_CHECKS) == []
    row = session.page.get_by_role("row", name="Bilateral and international enquiries")
    assert "over 70" in row.inner_text()
    session.screenshot(f"outcomes-period-1-{width_name}")

    session.page.get_by_role("link", name="Recorded outcomes").click()
    session.page.wait_for_load_state()
    assert session.page.evaluate(PAGE_CHECKS) == []
    assert "over 30" in session.page.get_by_role("row", name="Arrests").inner_text()
    session.screenshot(f"outcomes-{width_name}")


def test_the_outcomes_at_desktop_width(desktop: BrowserSession, record: Cast) -> None:
    visit_outcomes(desktop, record, "desktop")


def test_the_outcomes_at_phone_width(phone: BrowserSession, record: Cast) -> None:
    visit_outcomes(phone, record, "phone")
