"""The spreadsheet round trip in the real browser: download, a refused upload, an applied one."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from disrupt.conftest import BrowserSession, Cast, build_cast
from disrupt.core.tests.test_browser_tour import PAGE_CHECKS
from disrupt.directory.models import Country
from disrupt.reports import actions
from disrupt.reports.choices import ReportKind
from disrupt.reports.models import ReportVersion

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(reference_data: Any) -> tuple[Cast, ReportVersion]:
    cast = build_cast()
    report = actions.do_start_report(
        cast.focal_id, cast.period, Country.objects.get(code="ID"), ReportKind.MIDTERM
    )
    assert report.current is not None
    return cast, report.current


def _row(sheet: Any, indicator: str, plan: str) -> int:
    for row in range(2, sheet.max_row + 1):
        if sheet[f"A{row}"].value == indicator and str(sheet[f"B{row}"].value).startswith(plan):
            return row
    raise AssertionError((indicator, plan))


def round_trip(session: BrowserSession, cast: Cast, version: ReportVersion, width: str, tmp: Path) -> None:
    session.sign_in(cast.focal_id)
    # From the draft's edit page, "Work offline" leads to the page with the template and the upload.
    session.goto(f"/reports/{version.report_id}/versions/{version.number}/edit/")
    session.page.get_by_role("link", name="Work offline (.xlsx)").click()
    session.page.wait_for_load_state()
    assert session.page.url.endswith(f"/versions/{version.number}/workbook/upload/")
    assert session.page.evaluate(PAGE_CHECKS) == []
    with session.page.expect_download() as info:
        session.page.get_by_role("link", name="Download the template (.xlsx)").click()
    assert info.value.suggested_filename == f"report-ID-jpa7-midterm-v{version.number}.xlsx"
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    sheet = book["Outcomes"]

    # A file with mistakes: refused, every problem in the table, nothing saved.
    sheet[f"D{_row(sheet, 'Arrests', 'JPA7-01')}"] = "a dozen"
    sheet[f"D{_row(sheet, 'Suspects identified', 'General')}"] = -2
    sheet.append(["Arrests", "JPA9-99", "exact", 1])
    bad = tmp / f"bad-{width}.xlsx"
    book.save(bad)
    session.page.get_by_label("Filled workbook (.xlsx)").set_input_files(str(bad))
    session.page.get_by_role("button", name="Upload and apply").click()
    session.page.wait_for_load_state()
    table = session.page.get_by_role("alert").filter(has_text="not applied")
    assert "3 problems" in table.inner_text()
    assert session.page.evaluate(PAGE_CHECKS) == []
    session.screenshot(f"spreadsheet-refused-{width}")
    assert not version.lines.exists()

    # The same file corrected: applied, and the report page says so.
    sheet[f"D{_row(sheet, 'Arrests', 'JPA7-01')}"] = 12
    sheet[f"D{_row(sheet, 'Suspects identified', 'General')}"] = 2
    sheet.delete_rows(sheet.max_row)
    good = tmp / f"good-{width}.xlsx"
    buffer = io.BytesIO()
    book.save(buffer)
    good.write_bytes(buffer.getvalue())
    session.page.get_by_label("Filled workbook (.xlsx)").set_input_files(str(good))
    session.page.get_by_role("button", name="Upload and apply").click()
    session.page.wait_for_load_state()
    assert "Workbook applied" in session.page.content()
    session.screenshot(f"spreadsheet-applied-{width}")
    assert sorted(version.lines.values_list("value", flat=True)) == [2, 12]


def test_the_round_trip_at_desktop_width(
    desktop: BrowserSession, draft: tuple[Cast, ReportVersion], tmp_path: Path
) -> None:
    round_trip(desktop, *draft, "desktop", tmp_path)


def test_the_round_trip_at_phone_width(
    phone: BrowserSession, draft: tuple[Cast, ReportVersion], tmp_path: Path
) -> None:
    round_trip(phone, *draft, "phone", tmp_path)
