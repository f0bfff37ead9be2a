"""The spreadsheet round trip: download a draft as XLSX, fill it offline, upload it; all or nothing."""

from __future__ import annotations

import html
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from disrupt.access.tests.matrix import rows
from disrupt.access.tests.scenario import build_scenario
from disrupt.access.tests.test_pages_matrix import expected_status
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.directory.models import Country, User
from disrupt.programme.models import PeriodOfAction
from disrupt.reports import actions
from disrupt.reports.choices import Qualifier, ReportKind
from disrupt.reports.models import Indicator, OutcomeLine, ReportVersion
from disrupt.reports.spreadsheet import GENERAL, Problem, parse_upload, plan_label

pytestmark = pytest.mark.django_db


# --- Helpers ---------------------------------------------------------------------------------------


def start(user: User, code: str) -> ReportVersion:
    period = PeriodOfAction.objects.get(number=7)
    report = actions.do_start_report(user, period, Country.objects.get(code=code), ReportKind.MIDTERM)
    version = report.current
    assert version is not None
    return version


def download(client: Client, user: User, version: ReportVersion) -> bytes:
    client.force_login(user)
    response = client.get(reverse("reports:report_spreadsheet", args=[version.report_id, version.number]))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


def upload(client: Client, user: User, version: ReportVersion, data: bytes, name: str = "report.xlsx") -> Any:
    client.force_login(user)
    url = reverse("reports:report_spreadsheet_upload", args=[version.report_id, version.number])
    return client.post(url, {"workbook": io.BytesIO(data) if not name else _named(data, name)})


def _named(data: bytes, name: str) -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = name
    return stream


def workbook(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row_of(book: Workbook, indicator: str, plan: Any) -> int:
    """The Outcomes row the template gives to `indicator` and `plan` (a Plan, or None for general)."""
    sheet = book["Outcomes"]
    wanted = (Indicator.objects.get(code=indicator).name, plan_label(plan))
    for row in range(2, sheet.max_row + 1):
        if (sheet[f"A{row}"].value, sheet[f"B{row}"].value) == wanted:
            return row
    raise AssertionError(f"no row for {wanted}")


def fill(book: Workbook, indicator: str, plan: Any, qualifier: str | None, value: Any, **more: str) -> int:
    sheet = book["Outcomes"]
    row = row_of(book, indicator, plan)
    sheet[f"C{row}"] = qualifier
    sheet[f"D{row}"] = value
    sheet[f"E{row}"] = more.get("currency")
    sheet[f"F{row}"] = more.get("description")
    return row


def lines_of(version: ReportVersion) -> list[tuple[Any, ...]]:
    return [
        (
            line.indicator.code,
            line.plan.reference if line.plan else None,
            line.qualifier,
            line.value,
            line.wording,
            line.currency,
            line.description,
        )
        for line in version.lines.select_related("indicator", "plan").order_by("position")
    ]


def problems_in(response: Any) -> list[Problem]:
    return list(response.context["problems"])


# --- The round trip ----------------------------------------------------------------------------------


def test_a_filled_template_saves_exactly_its_lines_and_narrative(client: Client, cast: Cast) -> None:
    version = start(cast.focal_id, "ID")
    book = workbook(download(client, cast.focal_id, version))
    assert book.sheetnames[:4] == ["Instructions", "Lists", "Outcomes", "Narrative"]
    assert book["About"].sheet_state == "veryHidden"

    fill(book, "arrests", cast.plan, "exact", 12, description="Crew of the Kupang boat")
    fill(book, "enquiries", None, "over", 70)
    fill(book, "awareness-activities", cast.plan_amber, "numerous", None)
    fill(book, "assets-seized", cast.plan_amber, None, 15000, currency="aud")
    fill(book, "officers-trained", None, "at least", 5)
    book["Narrative"]["B2"] = "Joint patrols off Kupang."
    book["Narrative"]["B5"] = "Sharing passenger lists early."

    response = upload(client, cast.focal_id, version, save(book))

    assert response.status_code == 302, response.context and problems_in(response)
    version.refresh_from_db()
    assert lines_of(version) == [
        ("arrests", "JPA7-01", Qualifier.EXACT, 12, "", "", "Crew of the Kupang boat"),
        ("enquiries", None, Qualifier.AT_LEAST, 70, "over", "", ""),
        ("assets-seized", "JPA7-02", Qualifier.EXACT, 15000, "", "AUD", ""),
        ("awareness-activities", "JPA7-02", Qualifier.UNQUANTIFIED, None, "numerous", "", ""),
        ("officers-trained", None, Qualifier.AT_LEAST, 5, "at least", "", ""),
    ]
    assert version.what_was_done == "Joint patrols off Kupang."
    assert version.what_worked == "Sharing passenger lists early."


def test_a_downloaded_draft_uploaded_unchanged_keeps_every_line(client: Client, cast: Cast) -> None:
    version = start(cast.focal_id, "ID")
    arrests = Indicator.objects.get(code="arrests")
    actions.do_save_draft(
        cast.focal_id,
        version,
        {"intelligence": "Boats leave at new moon."},
        [
            {
                "indicator": arrests,
                "plan": cast.plan,
                "qualifier": Qualifier.EXACT,
                "value": 3,
                "description": "First boat",
            },
            # A second line for the same indicator and plan goes below the grid.
            {
                "indicator": arrests,
                "plan": cast.plan,
                "qualifier": Qualifier.AT_LEAST,
                "value": 4,
                "wording": "more than",
                "description": "Second boat",
            },
            {
                "indicator": Indicator.objects.get(code="enquiries"),
                "plan": None,
                "qualifier": Qualifier.UNQUANTIFIED,
                "value": None,
                "wording": "several",
            },
        ],
    )
    before = lines_of(version)

    response = upload(client, cast.focal_id, version, download(client, cast.focal_id, version))

    assert response.status_code == 302
    version.refresh_from_db()
    assert sorted(lines_of(version), key=repr) == sorted(before, key=repr)
    assert version.intelligence == "Boats leave at new moon."


def test_the_download_is_audited(client: Client, cast: Cast) -> None:
    version = start(cast.focal_id, "ID")
    download(client, cast.focal_id, version)
    entry = AuditEntry.objects.get(action=AuditAction.DOWNLOAD, target_id=str(version.pk))
    assert entry.actor == cast.focal_id
    assert entry.detail["format"] == "xlsx"


# --- Refusals: every problem listed, nothing saved -------------------------------------------------


def _saved_state(version: ReportVersion) -> tuple[Any, ...]:
    version.refresh_from_db()
    saves = AuditEntry.objects.filter(action=AuditAction.REPORT_SAVED).count()
    return (lines_of(version), version.what_was_done, version.intelligence, saves)


def test_a_malformed_workbook_is_refused_with_every_problem_and_nothing_saved(
    client: Client, cast: Cast
) -> None:
    version = start(cast.focal_id, "ID")
    actions.do_save_draft(
        cast.focal_id,
        version,
        {"what_was_done": "Patrols."},
        [{"indicator": Indicator.objects.get(code="arrests"), "plan": cast.plan, "value": 2}],
    )
    book = workbook(download(client, cast.focal_id, version))
    before = _saved_state(version)

    book["Narrative"].title = "Notes"  # the wrong sheet
    fine = fill(book, "search-warrants", cast.plan, "exact", 7)  # a good row changes nothing either
    text = fill(book, "suspects-identified", cast.plan, "exact", "a dozen")  # text in a number cell
    negative = fill(book, "new-investigations", None, "exact", -3)  # a negative count
    sheet = book["Outcomes"]
    unknown = sheet.max_row + 1  # a row added by hand, naming a plan the country does not have
    sheet.append(["Arrests", "JPA9-99 Somewhere else", "exact", 4, None, None])

    response = upload(client, cast.focal_id, version, save(book))

    assert response.status_code == 200
    problems = problems_in(response)
    where = {(p.sheet, p.row, p.column) for p in problems}
    assert ("Narrative", None, "") in where
    assert ("Outcomes", text, "D") in where
    assert ("Outcomes", negative, "D") in where
    assert ("Outcomes", unknown, "B") in where
    assert len(problems) == 4, problems
    assert fine not in {p.row for p in problems}
    # Each row's problem says what the row is about, so the officer finds it without counting.
    assert {p.about for p in problems if p.row} == {
        "Suspects identified · JPA7-01",
        "New investigations launched · General activity",
        "Arrests · JPA9-99",
    }
    page = html.unescape(response.content.decode())
    assert "nothing was saved" in page.lower()
    assert '"a dozen" is not a number' in page
    assert "cannot be negative" in page
    assert "JPA9-99 Somewhere else" in page
    assert "Notes" in page  # the message names the sheets the file has
    assert _saved_state(version) == before


def test_a_file_that_is_not_a_workbook_is_refused(client: Client, cast: Cast) -> None:
    version = start(cast.focal_id, "ID")
    response = upload(client, cast.focal_id, version, b"indicator,value\narrests,3\n", "report.xlsx")
    assert response.status_code == 200
    [problem] = problems_in(response)
    assert "not an Excel workbook" in problem.message
    assert not version.lines.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(cast: Cast) -> None:
    import zipfile

    version = start(cast.focal_id, "ID")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    [problem] = parse_upload(buffer.getvalue(), version)  # type: ignore[misc]
    assert "not an Excel workbook" in problem.message


def test_the_file_of_another_report_is_refused(client: Client, cast: Cast) -> None:
    ours = start(cast.focal_id, "ID")
    theirs = start(cast.focal_au, "AU")
    book = workbook(download(client, cast.focal_au, theirs))
    fill(book, "arrests", cast.plan, "exact", 9)

    response = upload(client, cast.focal_id, ours, save(book))

    [problem] = problems_in(response)
    assert problem.sheet == "About"
    assert "belongs to another report" in problem.message
    assert not ours.lines.exists() and not theirs.lines.exists()


def test_the_file_of_an_earlier_version_is_refused(client: Client, cast: Cast) -> None:
    first = start(cast.focal_id, "ID")
    old_file = download(client, cast.focal_id, first)
    actions.do_submit(cast.focal_id, first)
    actions.do_return(cast.co_chair, first, "Add the arrests.")
    second = actions.do_revise(cast.focal_id, first.report, "Arrests added.")

    response = upload(client, cast.focal_id, second, old_file)

    [problem] = problems_in(response)
    assert "version 1" in problem.message and "version 2" in problem.message


def test_a_submitted_version_cannot_be_downloaded_for_filling_or_uploaded_into(
    client: Client, cast: Cast
) -> None:
    version = start(cast.focal_id, "ID")
    data = download(client, cast.focal_id, version)
    actions.do_submit(cast.focal_id, version)

    response = upload(client, cast.focal_id, version, data)
    assert response.status_code == 403
    client.force_login(cast.focal_id)
    url = reverse("reports:report_spreadsheet", args=[version.report_id, version.number])
    assert client.get(url).status_code == 403
    assert not version.lines.exists()


SPREADSHEET_PAGES = ("reports:report_spreadsheet", "reports:report_spreadsheet_upload")


DRAFT_EDIT_ROWS = [row for row in rows() if row[:2] == ("report_draft", "edit")]


@pytest.mark.parametrize(("kind", "action", "member", "allowed"), DRAFT_EDIT_ROWS)
def test_the_workbook_pages_follow_the_permission_table(
    client: Client, cast: Cast, kind: str, action: str, member: str, allowed: bool
) -> None:
    """The same row of the shared table as the draft's edit page: only the country's focal point."""
    scenario = build_scenario(cast)
    draft = scenario.records["report_draft"]
    client.force_login(scenario.user(member))
    for name in SPREADSHEET_PAGES:
        response = client.get(reverse(name, args=[draft.pk, 1]))
        assert response.status_code == expected_status(kind, action, member, allowed), (member, name)


def test_the_workbook_pages_ask_anonymous_visitors_to_sign_in(client: Client, cast: Cast) -> None:
    version = start(cast.focal_id, "ID")
    for name in SPREADSHEET_PAGES:
        response = client.get(reverse(name, args=[version.report_id, version.number]))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_oversized_upload_is_refused_before_it_is_read(client: Client, cast: Cast) -> None:
    version = start(cast.focal_id, "ID")
    response = upload(client, cast.focal_id, version, b"0" * (6 * 1024 * 1024))
    assert response.status_code == 413
    assert "larger than 5 MB" in response.content.decode()


# --- Reading rules -----------------------------------------------------------------------------------


def _parse_with_rows(client: Client, cast: Cast, rows: list[list[Any]]) -> list[Problem]:
    version = start(cast.focal_id, "ID")
    book = workbook(download(client, cast.focal_id, version))
    sheet = book["Outcomes"]
    first = sheet.max_row + 1
    for row in rows:
        sheet.append(row)
    result = parse_upload(save(book), version)
    assert isinstance(result, list)
    return [p for p in result if p.row is not None and p.row >= first]


def test_it_names_each_rule_a_row_breaks(client: Client, cast: Cast) -> None:
    problems = _parse_with_rows(
        client,
        cast,
        [
            ["Assets seized", GENERAL, "exact", 500, None, None],  # currency missing
            ["Arrests", GENERAL, "numerous", 5, None, None],  # a number with "numerous"
            ["Smuggled parrots", GENERAL, "exact", 1, None, None],  # unknown indicator
            ["Arrests", GENERAL, "roughly", 1, None, None],  # unknown qualifier
            ["Arrests", GENERAL, None, "over 70", None, None],  # a figure typed as text
            ["Arrests", GENERAL, "exact", 2.5, None, None],  # not a whole number
            ["Arrests", GENERAL, "exact", 3, "USD", None],  # a currency on a count
            ["Arrests", None, "exact", 3, None, None],  # no plan
            ["Arrests", GENERAL, "exact", "=1+2", None, None],  # a formula with no saved result
        ],
    )
    by_row = {p.row: (p.column, p.message) for p in problems}
    first = min(by_row)
    assert by_row[first][0] == "E" and "currency" in by_row[first][1]
    assert by_row[first + 1][0] == "D" and "has no number" in by_row[first + 1][1]
    assert by_row[first + 2][0] == "A" and "Unknown indicator" in by_row[first + 2][1]
    assert by_row[first + 3][0] == "C" and "Unknown qualifier" in by_row[first + 3][1]
    assert by_row[first + 4] == ("D", '"over 70" is text: choose "over" as the qualifier and write 70 here.')
    assert by_row[first + 5][0] == "D" and "whole number" in by_row[first + 5][1]
    assert by_row[first + 6][0] == "E" and "takes no currency" in by_row[first + 6][1]
    assert by_row[first + 7][0] == "B"
    assert by_row[first + 8][0] == "D" and "formula" in by_row[first + 8][1]
    assert len(problems) == 9


def test_a_formula_counts_with_its_saved_result(cast: Cast) -> None:
    """Excel and LibreOffice save a formula's result; openpyxl cannot, so the file is edited
    in the XML as a spreadsheet program would have written it."""
    import re
    import zipfile

    version = start(cast.focal_id, "ID")
    from disrupt.reports.spreadsheet import build_template

    book = workbook(build_template(version))
    row = row_of(book, "arrests", None)
    book["Outcomes"][f"D{row}"] = "=5+7"
    data = save(book)
    source, target = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            content = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                content = re.sub(
                    rb"<f>5\+7</f><v\s*/>|<f>5\+7</f><v></v>|<f>5\+7</f>", b"<f>5+7</f><v>12</v>", content
                )
            new.writestr(item, content)
    result = parse_upload(target.getvalue(), version)
    assert not isinstance(result, list), result
    assert [(line["indicator"].code, line["value"]) for line in result.lines] == [("arrests", 12)]


def test_rows_that_only_carry_a_style_are_not_read(cast: Cast) -> None:
    """Spreadsheet programs style whole columns; only rows with values count."""
    from openpyxl.styles import Font

    from disrupt.reports.spreadsheet import build_template

    version = start(cast.focal_id, "ID")
    book = workbook(build_template(version))
    fill(book, "arrests", None, "exact", 4)
    book["Outcomes"].cell(row=50_000, column=4).font = Font(bold=True)
    result = parse_upload(save(book), version)
    assert not isinstance(result, list), result
    assert [line["value"] for line in result.lines] == [4]


def test_a_damaged_or_inflated_workbook_is_refused(cast: Cast) -> None:
    import zipfile

    version = start(cast.focal_id, "ID")
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml at all")
    [problem] = parse_upload(damaged.getvalue(), version)  # type: ignore[misc]
    assert "could not be read as an Excel workbook" in problem.message

    inflated = io.BytesIO()
    with zipfile.ZipFile(inflated, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * (11 * 1024 * 1024))  # compresses to a few KB
    assert len(inflated.getvalue()) < 100_000
    [problem] = parse_upload(inflated.getvalue(), version)  # type: ignore[misc]
    assert "expands to" in problem.message


def test_a_refusal_by_the_save_step_points_at_the_rows_it_came_from() -> None:
    from django.core.exceptions import ValidationError

    from disrupt.reports.spreadsheet import ParsedReport, problems_from

    parsed = ParsedReport(narrative={}, lines=[{}, {}], rows=[5, 9])
    error = ValidationError({"lines.2.plan": ["Not one of the plans."], "intelligence": ["Too long."]})
    assert problems_from(error, parsed) == [
        Problem("Outcomes", 9, "B", "Not one of the plans."),
        Problem("Narrative", None, "B", "Intelligence gathered: Too long."),
    ]
    locked = ValidationError("Version 1 was submitted and can no longer change.")
    assert problems_from(locked, parsed) == [
        Problem("", None, "", "Version 1 was submitted and can no longer change.")
    ]


# Whatever an officer types into a row, the upload answers with problems or lines, never an error.
CELL_VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=300),
    st.sampled_from(["over", "numerous", "exact", "at least", "AUD", "JPA7-01", "General activity", "=1/0"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(CELL_VALUES, CELL_VALUES, CELL_VALUES, CELL_VALUES), min_size=1, max_size=4))
def test_any_cell_values_give_problems_or_valid_lines(cast: Cast, cells: list[tuple[Any, ...]]) -> None:
    from disrupt.reports.spreadsheet import build_template

    version = ReportVersion.objects.filter(report__country__code="ID").first() or start(cast.focal_id, "ID")
    book = workbook(build_template(version))
    sheet = book["Outcomes"]
    for offset, values in enumerate(cells):
        row = row_of(book, "arrests", None) + offset * 3
        for column, value in zip("CDEF", values, strict=True):
            sheet[f"{column}{row}"] = value
    result = parse_upload(save(book), version)
    if isinstance(result, list):
        assert result and all(p.message for p in result)
    else:
        for data in result.lines:
            OutcomeLine(version=version, **data).full_clean(exclude=["joint"])
