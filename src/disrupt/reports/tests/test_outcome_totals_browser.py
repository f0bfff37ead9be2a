"""Reported totals, their provenance and the cycle chart in the real browser, at desktop and phone width."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from disrupt.conftest import BrowserSession, Cast, build_cast
from disrupt.core.tests.test_browser_tour import PAGE_CHECKS
from disrupt.reports.tests.outcome_data import submit

pytestmark = pytest.mark.browser


@pytest.fixture
def reported(reference_data: Any) -> Cast:
    call_command("loadhistory", verbosity=0)
    cast = build_cast()
    submit(cast.period, "ID", [("arrests", 10, cast.plan), ("arrests", 1), ("enquiries", "over 20")])
    submit(cast.period, "AU", [("arrests", 5, cast.plan), ("victims-rescued", 3, cast.plan)])
    submit(cast.period, "TH", [("arrests", 2), ("enquiries", "numerous")])
    return cast


def visit(session: BrowserSession, cast: Cast, width: str) -> None:
    session.sign_in(cast.secretariat)
    session.goto("/outcomes/")
    session.page.get_by_label("Indicator", exact=True).select_option("arrests")
    session.page.get_by_role("button", name="Show").click()
    session.page.wait_for_load_state()
    assert session.page.evaluate(PAGE_CHECKS) == []
    chart = session.page.get_by_role("img", name="Arrests, by Joint Period of Action")
    assert chart.is_visible()
    session.screenshot(f"outcomes-chart-{width}")

    session.goto("/outcomes/periods/7/?group_by=country")
    assert session.page.evaluate(PAGE_CHECKS) == []
    session.screenshot(f"outcomes-period-7-{width}")
    session.page.locator(".outcome-breakdown").get_by_role("link", name="11").click()
    session.page.wait_for_load_state()
    assert session.page.url.endswith("/outcomes/periods/7/indicators/arrests/?country=ID")
    assert session.page.evaluate(PAGE_CHECKS) == []
    assert session.page.locator("tr[id^=line-]").count() == 2
    session.screenshot(f"outcomes-provenance-{width}")

    session.goto("/outcomes/periods/7/public/")
    assert session.page.evaluate(PAGE_CHECKS) == []
    victims = session.page.get_by_role("row", name="Victims rescued victims")
    assert "fewer than 5" in victims.inner_text()
    session.screenshot(f"outcomes-public-{width}")


def test_totals_chart_and_provenance_at_desktop_width(desktop: BrowserSession, reported: Cast) -> None:
    visit(desktop, reported, "desktop")


def test_totals_chart_and_provenance_at_phone_width(phone: BrowserSession, reported: Cast) -> None:
    visit(phone, reported, "phone")
