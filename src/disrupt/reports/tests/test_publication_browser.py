"""A co-chair writes the outcome summary from the data, reads it, approves it and downloads the DOCX,
in the real browser at desktop and phone width; the print view leaves only the text."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from docx import Document

from disrupt.conftest import BrowserSession, Cast, build_cast
from disrupt.core.tests.test_browser_tour import PAGE_CHECKS
from disrupt.directory.models import Country
from disrupt.lib.documents import docx_text
from disrupt.programme.models import PeriodOfAction

pytestmark = pytest.mark.browser

FIGURES = ("Assisted 59 trafficked persons", "seven search warrants", "over 70", "485 officers")


@pytest.fixture
def record(reference_data: Any) -> Cast:
    call_command("loadhistory", verbosity=0)
    cast = build_cast()
    PeriodOfAction.objects.get(number=1).co_chairs.add(Country.objects.get(code="NZ"))
    return cast


def write_approve_download(session: BrowserSession, cast: Cast, width_name: str) -> None:
    page = session.page
    session.sign_in(cast.co_chair)
    session.goto("/periods/1/")
    page.locator("#main").get_by_role("link", name="Texts", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/periods/1/publications/")
    assert page.evaluate(PAGE_CHECKS) == []
    session.screenshot(f"publication-list-{width_name}")
    page.get_by_label("Kind of text").select_option("outcome_summary")
    page.get_by_role("button", name="Write the draft").click()
    page.wait_for_load_state()
    article = page.locator("article.publication")
    for figure in FIGURES:
        assert figure in article.inner_text()
    assert page.evaluate(PAGE_CHECKS) == []
    session.screenshot(f"publication-draft-{width_name}")

    page.get_by_role("button", name="Approve version 1 for release").click()
    page.wait_for_load_state()
    assert "TLP:CLEAR" in article.inner_text()
    assert page.evaluate(PAGE_CHECKS) == []
    session.screenshot(f"publication-approved-{width_name}")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download DOCX").click()
    download = download_info.value
    assert download.suggested_filename == "jpa1-outcome-summary-v1.docx"
    data = Path(download.path()).read_bytes()
    Document(io.BytesIO(data))
    for figure in FIGURES:
        assert figure in docx_text(data)

    # Printed, the page is the text alone: no navigation, buttons or version history.
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") == 1
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    assert not page.get_by_role("button", name="Sign out").is_visible()
    assert not page.locator(".publication-history").is_visible()
    assert page.locator("article.publication").is_visible()
    session.screenshot(f"publication-print-{width_name}")
    page.emulate_media(media="screen")


def test_a_co_chair_approves_and_downloads_at_desktop_width(desktop: BrowserSession, record: Cast) -> None:
    write_approve_download(desktop, record, "desktop")


def test_a_co_chair_approves_and_downloads_at_phone_width(phone: BrowserSession, record: Cast) -> None:
    write_approve_download(phone, record, "phone")
