"""The cycle in the real browser: a focal point submits a report, the co-chair sees the deadlines
matrix turn green, writes the outcome summary, approves it and downloads the DOCX with the figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from disrupt.conftest import BrowserSession, Cast, build_cast
from disrupt.core.tests.test_browser_tour import PAGE_CHECKS
from disrupt.lib.documents import docx_text
from disrupt.reports.models import Report
from disrupt.reports.tests.deadline_data import add_report_milestones

pytestmark = pytest.mark.browser


@pytest.fixture
def cycle(reference_data: Any) -> Cast:
    cast = build_cast()
    today = timezone.localdate()
    add_report_milestones(
        cast.period, midterm=today + dt.timedelta(days=5), final=today + dt.timedelta(days=90)
    )
    return cast


def indonesia_midterm(session: BrowserSession) -> Any:
    session.goto("/periods/7/deadlines/")
    return session.page.get_by_role("row", name="Indonesia").locator("td").first


def test_a_report_goes_in_and_the_summary_comes_out(desktop: BrowserSession, cycle: Cast) -> None:
    page = desktop.page
    desktop.sign_in(cycle.co_chair)
    cell = indonesia_midterm(desktop)
    assert "deadline--submitted" not in (cell.get_attribute("class") or "")
    desktop.sign_out()

    # Indonesia's focal point reports seven arrests in the joint plan and submits.
    desktop.sign_in(cycle.focal_id)
    desktop.goto("/reports/")
    page.locator("#id_start-period").select_option(label=str(cycle.period))
    page.locator("#id_start-kind").select_option("midterm")
    page.get_by_role("button", name="Start a report").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Edit the draft").click()
    page.wait_for_load_state()
    page.locator("#id_lines-0-indicator").select_option(label="Arrests")
    page.locator("#id_lines-0-plan").select_option(label=str(cycle.plan))
    page.locator("#id_lines-0-value").fill("7")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Submit version 1").click()
    page.wait_for_load_state()
    assert Report.objects.get().standing is not None
    desktop.sign_out()

    # The co-chair sees the cell turn green, then writes, approves and downloads the summary.
    desktop.sign_in(cycle.co_chair)
    cell = indonesia_midterm(desktop)
    assert "deadline--submitted" in (cell.get_attribute("class") or "")
    assert "badge--ok" in (cell.locator(".badge").get_attribute("class") or "")
    assert page.evaluate(PAGE_CHECKS) == []
    desktop.screenshot("cycle-deadlines-green-desktop")

    desktop.goto("/periods/7/publications/")
    page.get_by_label("Kind of text").select_option("outcome_summary")
    page.get_by_role("button", name="Write the draft").click()
    page.wait_for_load_state()
    assert "Made seven arrests" in page.locator("article.publication").inner_text()
    page.get_by_role("button", name="Approve version 1 for release").click()
    page.wait_for_load_state()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download DOCX").click()
    words = docx_text(Path(download_info.value.path()).read_bytes())
    assert "Made seven arrests" in words and "TLP:CLEAR" in words
    desktop.screenshot("cycle-summary-approved-desktop")
