"""A report as an XLSX workbook: the template a country fills offline, and reading it back.

`build_template(version)` writes the draft as a workbook; `parse_upload(data, version)` reads a
filled one and returns either the narrative and lines to save, or every problem found, each
with its sheet, row and column, so the officer can fix the whole file in one pass. Nothing here
saves anything: the views hand a parsed report to `actions.do_save_draft`, which applies it
all at once or not at all.

The workbook:

- "Instructions": what to fill and how a figure is written.
- "Outcomes": one row per indicator and plan of the country in the period (and general
  activity), already filled with the draft's lines; more rows can be added at the bottom.
  Indicator, plan and qualifier are dropdowns; the value is a whole number.
- "Narrative": the five headings of the narrative, text in column B.
- "About" (hidden): which report and version the file belongs to, so a file for another
  report or an older version is refused.
- "Lists" (hidden): the dropdowns' choices.

Formulas: a cell holding a formula counts with the result Excel or LibreOffice saved for it;
a formula without a saved result is a problem (the officer is asked to type the value).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from disrupt.lib import xlsx
from disrupt.programme.models import Plan
from disrupt.reports.actions import country_plans
from disrupt.reports.choices import Qualifier
from disrupt.reports.models import Indicator, OutcomeLine, ReportVersion
from disrupt.reports.quantities import BOUND_WORDS, VAGUE_WORDS, Quantity

FORMAT = "disrupt-report/1"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_EXPANDED_BYTES = 10 * 1024 * 1024  # a filled template is well under 1 MB
MAX_OUTCOME_ROWS = 2000
MAX_NARRATIVE_CHARS = 20_000
MAX_VALUE = 2_147_483_647  # the largest value the database column holds
EXTRA_ROWS = 60  # empty rows with dropdowns below the filled grid

INSTRUCTIONS, OUTCOMES, NARRATIVE, ABOUT, LISTS = "Instructions", "Outcomes", "Narrative", "About", "Lists"
REQUIRED_SHEETS = (OUTCOMES, NARRATIVE, ABOUT)
GENERAL = "General activity"
EXACT_WORD = "exact"
UNQUANTIFIED_WORD = "unquantified"
QUALIFIER_WORDS = (EXACT_WORD, *BOUND_WORDS, *VAGUE_WORDS, UNQUANTIFIED_WORD)

# Outcomes columns: (heading, width). The parser checks the headings before reading rows.
COLUMNS = [
    ("Indicator", 38),
    ("Plan", 44),
    ("Qualifier", 14),
    ("Value", 12),
    ("Currency", 10),
    ("Description", 60),
]
INDICATOR, PLAN, QUALIFIER, VALUE, CURRENCY, DESCRIPTION = (get_column_letter(i) for i in range(1, 7))

NARRATIVE_FIELDS = ["what_was_done", "intelligence", "modus_operandi", "what_worked", "what_did_not"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an uploaded file, where a person will find it."""

    sheet: str
    row: int | None
    column: str
    message: str
    about: str = ""  # what the row is about, e.g. "Arrests · JPA7-01", to find it without counting

    @property
    def cell(self) -> str:
        if self.row is None:
            return self.column
        return f"{self.column}{self.row}"


@dataclass
class ParsedReport:
    """What a valid upload says: the narrative by field name and the lines in sheet order."""

    narrative: dict[str, str]
    lines: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # the Outcomes row of each line, for messages


# --- What the country may fill in ----------------------------------------------------------------


def plans_for(version: ReportVersion) -> list[Plan]:
    """The plans the reporting country works on (as lead or partner) in the report's period."""
    report = version.report
    return list(country_plans(report.period, report.country_id).order_by("reference"))


def indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(is_active=True).order_by("position", "name"))


def narrative_labels() -> dict[str, str]:
    """Field name → the heading shown in the sheet, e.g. "Intelligence gathered"."""
    return {
        name: str(ReportVersion._meta.get_field(name).verbose_name).capitalize()  # type: ignore[union-attr]
        for name in NARRATIVE_FIELDS
    }


def plan_label(plan: Plan | None) -> str:
    return GENERAL if plan is None else f"{plan.reference} {plan.title}"


def qualifier_word(line: OutcomeLine) -> str:
    if line.qualifier == Qualifier.EXACT:
        return EXACT_WORD
    return line.wording or (UNQUANTIFIED_WORD if line.qualifier == Qualifier.UNQUANTIFIED else "over")


# --- Writing the template ------------------------------------------------------------------------


def build_template(version: ReportVersion) -> bytes:
    """The version as a workbook to fill offline; uploading it unchanged saves the same lines."""
    plans = plans_for(version)
    wanted = indicators()
    lines = list(version.lines.select_related("indicator", "plan").order_by("position", "pk"))

    workbook = Workbook()
    instructions = workbook.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS
    _write_instructions(instructions, version, plans)
    _write_lists(workbook.create_sheet(LISTS), wanted, plans)
    _write_outcomes(workbook.create_sheet(OUTCOMES), wanted, plans, lines)
    _write_narrative(workbook.create_sheet(NARRATIVE), version)
    _write_about(workbook.create_sheet(ABOUT), version)
    workbook.active = workbook.sheetnames.index(OUTCOMES)
    return xlsx.to_bytes(workbook)


def _write_instructions(sheet: Worksheet, version: ReportVersion, plans: list[Plan]) -> None:
    report = version.report
    rows = [
        [str(report)],
        [f"Version {version.number}, downloaded {timezone.now():%d %B %Y %H:%M} UTC."],
        [],
        ["How to fill this workbook"],
        ['1. On the "Outcomes" sheet, write a figure on the row of its indicator and plan.'],
        ["   Leave a row empty when there is nothing to report; empty rows are ignored."],
        ["   To report the same indicator twice for one plan, add a row at the bottom and choose"],
        ["   the indicator and plan from the dropdowns."],
        ['2. "Qualifier" says how exactly the figure is known; "Value" holds the number only:'],
        ['   59 exactly            → Qualifier "exact" (or empty), Value 59'],
        ['   over 70               → Qualifier "over", Value 70 (also "more than", "at least")'],
        ['   at least 5            → Qualifier "at least", Value 5'],
        ['   numerous              → Qualifier "numerous" (or "several", "many"), Value empty'],
        ["   Values are whole numbers of zero or more, without words or units."],
        ['3. Assets seized: write the amount in "Value" and the ISO currency code (e.g. AUD) in "Currency".'],
        ['4. "Plan" is one of your plans below, or "General activity" for work outside the plans.'],
        ['5. On the "Narrative" sheet, write each heading\'s text in column B.'],
        ["6. Upload the file on the report's page. Every problem is listed with its sheet, row and"],
        ["   column, and nothing is saved until the whole file is right."],
        ["   A formula counts with the result your spreadsheet saved; if it saved none, type the value."],
        ["   Do not rename or delete sheets or columns: the file belongs to this report and version only."],
        [],
        [f"Your plans in the {report.period}:"],
        *[[f"   {plan.reference}  {plan.title}"] for plan in plans],
        [f"   {GENERAL}  work outside the plans"],
    ]
    for row in rows:
        sheet.append(row)
    sheet["A1"].font = xlsx.HEADER_FONT
    sheet["A4"].font = xlsx.HEADER_FONT
    sheet.column_dimensions["A"].width = 100


def _write_lists(sheet: Worksheet, wanted: list[Indicator], plans: list[Plan]) -> None:
    for row, indicator in enumerate(wanted, start=1):
        sheet.cell(row=row, column=1, value=indicator.name)
    for row, label in enumerate([*map(plan_label, plans), GENERAL], start=1):
        sheet.cell(row=row, column=2, value=label)
    for row, word in enumerate(QUALIFIER_WORDS, start=1):
        sheet.cell(row=row, column=3, value=word)
    sheet.sheet_state = "veryHidden"


def _list_range(column: str, count: int) -> str:
    # Written as Excel stores it in the file: a reference without a leading "=".
    return f"{quote_sheetname(LISTS)}!${column}$1:${column}${max(count, 1)}"


def _write_outcomes(
    sheet: Worksheet, wanted: list[Indicator], plans: list[Plan], lines: list[OutcomeLine]
) -> None:
    xlsx.style_header(sheet, [c[0] for c in COLUMNS], [c[1] for c in COLUMNS])
    slots: list[tuple[Indicator, Plan | None]] = [
        (indicator, plan) for indicator in wanted for plan in [*plans, None]
    ]
    # Each draft line goes on its indicator and plan's row; a second line for the same slot
    # goes below the grid, so downloading and uploading again keeps every line.
    placed: dict[tuple[int, int | None], OutcomeLine] = {}
    extra: list[OutcomeLine] = []
    for line in lines:
        key = (line.indicator_id, line.plan_id)
        if key in placed or line.indicator not in wanted:
            extra.append(line)
        else:
            placed[key] = line
    row = 2
    for indicator, plan in slots:
        _write_line_row(sheet, row, indicator, plan, placed.get((indicator.pk, plan.pk if plan else None)))
        row += 1
    for line in extra:
        _write_line_row(sheet, row, line.indicator, line.plan, line)
        row += 1
    last = row - 1 + EXTRA_ROWS
    for number in range(2, last + 1):
        sheet[f"{VALUE}{number}"].number_format = "#,##0"
        for column in (DESCRIPTION,):
            sheet[f"{column}{number}"].alignment = Alignment(wrap_text=True, vertical="top")
    xlsx.add_list(
        sheet,
        f"{INDICATOR}2:{INDICATOR}{last}",
        _list_range("A", len(wanted)),
        "Indicator",
        "Choose an indicator.",
    )
    xlsx.add_list(
        sheet,
        f"{PLAN}2:{PLAN}{last}",
        _list_range("B", len(plans) + 1),
        "Plan",
        f'One of your plans, or "{GENERAL}".',
    )
    xlsx.add_list(
        sheet,
        f"{QUALIFIER}2:{QUALIFIER}{last}",
        _list_range("C", len(QUALIFIER_WORDS)),
        "Qualifier",
        '"exact" for 59, "over" for over 70, "numerous" when no number is known.',
    )
    xlsx.add_whole_number(
        sheet, f"{VALUE}2:{VALUE}{last}", "Value", "A whole number; leave empty for numerous."
    )
    sheet.auto_filter.ref = f"A1:{DESCRIPTION}{row - 1}"


def _write_line_row(
    sheet: Worksheet, row: int, indicator: Indicator, plan: Plan | None, line: OutcomeLine | None
) -> None:
    sheet[f"{INDICATOR}{row}"] = indicator.name
    sheet[f"{PLAN}{row}"] = plan_label(plan)
    if line is None:
        return
    sheet[f"{QUALIFIER}{row}"] = qualifier_word(line)
    sheet[f"{VALUE}{row}"] = line.value
    sheet[f"{CURRENCY}{row}"] = line.currency or None
    sheet[f"{DESCRIPTION}{row}"] = line.description or None


def _write_narrative(sheet: Worksheet, version: ReportVersion) -> None:
    xlsx.style_header(sheet, ["Heading", "Text"], [28, 110])
    for row, (name, label) in enumerate(narrative_labels().items(), start=2):
        sheet.cell(row=row, column=1, value=label).font = xlsx.HEADER_FONT
        text = sheet.cell(row=row, column=2, value=getattr(version, name) or None)
        text.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 90


def _write_about(sheet: Worksheet, version: ReportVersion) -> None:
    report = version.report
    for key, value in _about(version).items():
        sheet.append([key, value])
    sheet.append(["Country", report.country.name])
    sheet.append(["Period", str(report.period)])
    sheet.append(["Kind", report.get_kind_display()])
    sheet.sheet_state = "veryHidden"
    # Protection only prevents accidental edits; the server checks the values anyway.
    sheet.protection.sheet = True
    for row in sheet.iter_rows():
        for cell in row:
            cell.protection = Protection(locked=True)


def _about(version: ReportVersion) -> dict[str, str]:
    """The identity a file carries; compared as text so a retyped number still matches."""
    report = version.report
    return {
        "Format": FORMAT,
        "Report": str(report.pk),
        "Version": str(version.number),
        "Country code": report.country.code,
        "Period number": str(report.period.number),
        "Report kind": report.kind,
    }


# --- Reading an upload ---------------------------------------------------------------------------


def parse_upload(file: IO[bytes] | bytes, version: ReportVersion) -> ParsedReport | list[Problem]:
    """The narrative and lines of a filled template, or every problem found in it."""
    data = file if isinstance(file, bytes) else file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return [Problem("", None, "", f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")]
    if not data:
        return [Problem("", None, "", "The file is empty.")]
    try:
        opened = xlsx.open_workbook(data, MAX_EXPANDED_BYTES)
    except xlsx.UnreadableWorkbook as error:
        return [Problem("", None, "", str(error))]

    problems = _check_sheets(opened)
    if ABOUT in opened.sheetnames:
        identity = _check_about(opened, version)
        if identity:
            # A file for another report: its rows would only give misleading problems.
            return identity
    parsed = ParsedReport(narrative={})
    if OUTCOMES in opened.sheetnames:
        _read_outcomes(opened, version, problems, parsed)
    if NARRATIVE in opened.sheetnames:
        parsed.narrative = _read_narrative(opened, problems)
    if problems:
        return sorted(problems, key=_reading_order(opened.sheetnames))
    return parsed


def _reading_order(sheetnames: list[str]) -> Any:
    order = {name: index for index, name in enumerate(sheetnames)}

    def key(problem: Problem) -> tuple[int, int, str]:
        return (order.get(problem.sheet, -1), problem.row or 0, problem.column)

    return key


def _check_sheets(opened: xlsx.OpenedWorkbook) -> list[Problem]:
    found = ", ".join(f'"{name}"' for name in opened.sheetnames if name != LISTS)
    return [
        Problem(
            name,
            None,
            "",
            f'The sheet "{name}" is missing (the file has {found}). Keep the sheet names of the template.',
        )
        for name in REQUIRED_SHEETS
        if name not in opened.sheetnames
    ]


def _check_about(opened: xlsx.OpenedWorkbook, version: ReportVersion) -> list[Problem]:
    sheet = opened.formulas[ABOUT]
    stored = {_text(row[0]): _text(row[1]) for row in sheet.iter_rows(max_col=2, values_only=True)}
    expected = _about(version)
    if stored.get("Format") != FORMAT:
        return [Problem(ABOUT, None, "", "This file is not a report template from this platform.")]
    if any(stored.get(key) != value for key, value in expected.items() if key != "Version"):
        return [
            Problem(
                ABOUT,
                None,
                "",
                f"This file belongs to another report. Download the template of {version.report} "
                "and copy your figures into it.",
            )
        ]
    if stored.get("Version") != expected["Version"]:
        return [
            Problem(
                ABOUT,
                None,
                "",
                f"This file was made for version {stored.get('Version')} of the report; the draft now is "
                f"version {version.number}. Download the template again.",
            )
        ]
    return []


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _key(value: str) -> str:
    return " ".join(value.lower().split())


class _Row:
    """One row of the Outcomes sheet, read cell by cell, collecting its problems."""

    def __init__(self, opened: xlsx.OpenedWorkbook, sheet: Worksheet, row: int, problems: list[Problem]):
        self.opened, self.sheet, self.row, self.problems = opened, sheet, row, problems
        self.broken: set[str] = set()  # columns with a problem already: one message per cell
        self.about = _about_row(_text(sheet[f"{INDICATOR}{row}"].value), _text(sheet[f"{PLAN}{row}"].value))

    def problem(self, column: str, message: str) -> None:
        if column not in self.broken:
            self.broken.add(column)
            self.problems.append(Problem(OUTCOMES, self.row, column, message, self.about))

    def raw(self, column: str) -> Any:
        value, from_formula = xlsx.cell_value(self.opened, OUTCOMES, self.sheet[f"{column}{self.row}"])
        if from_formula and value is None:
            self.problem(column, "A formula without a saved result: type the value instead.")
        return value

    def text(self, column: str) -> str:
        return _text(self.raw(column))


def _about_row(indicator: str, plan: str) -> str:
    """ "Arrests · JPA7-01": the row's indicator and plan reference, as a person finds the row."""
    if plan and _key(plan) != _key(GENERAL):
        plan = plan.split()[0]
    return " · ".join(part for part in (indicator, plan) if part)


def _read_outcomes(
    opened: xlsx.OpenedWorkbook, version: ReportVersion, problems: list[Problem], parsed: ParsedReport
) -> None:
    sheet = opened.formulas[OUTCOMES]
    for index, (heading, _) in enumerate(COLUMNS, start=1):
        found = _text(sheet.cell(row=1, column=index).value)
        if _key(found) != _key(heading):
            problems.append(
                Problem(
                    OUTCOMES,
                    1,
                    get_column_letter(index),
                    f'This column must be "{heading}", not "{found}". Keep the columns of the template.',
                )
            )
    if any(p.sheet == OUTCOMES and p.row == 1 for p in problems):
        return  # with columns moved, every cell would be read under the wrong heading
    last = xlsx.last_filled_row(sheet)
    if last > MAX_OUTCOME_ROWS + 1:
        problems.append(
            Problem(
                OUTCOMES,
                None,
                "",
                f"The sheet has {last} rows; a report holds at most {MAX_OUTCOME_ROWS}.",
            )
        )
        return

    known_indicators = _indicator_lookup()
    plans = plans_for(version)
    known_plans = {_key(plan.reference): plan for plan in plans}
    report = version.report
    for number in range(2, last + 1):
        row = _Row(opened, sheet, number, problems)
        line = _read_line(row, known_indicators, known_plans, report)
        if line is not None:
            parsed.lines.append(line)
            parsed.rows.append(number)


def _indicator_lookup() -> dict[str, Indicator]:
    lookup: dict[str, Indicator] = {}
    for indicator in indicators():
        lookup[_key(indicator.name)] = indicator
        lookup[_key(indicator.code)] = indicator
    return lookup


def _read_line(
    row: _Row, known_indicators: dict[str, Indicator], known_plans: dict[str, Plan], report: Any
) -> dict[str, Any] | None:
    qualifier_text = row.text(QUALIFIER)
    raw_value = row.raw(VALUE)
    currency = row.text(CURRENCY).upper()
    description = row.text(DESCRIPTION)
    if not (qualifier_text or _text(raw_value) or currency or description):
        return None  # an empty slot of the grid: nothing reported

    indicator_text, plan_text = row.text(INDICATOR), row.text(PLAN)
    indicator = known_indicators.get(_key(indicator_text))
    if not indicator_text:
        row.problem(INDICATOR, "Choose the indicator this figure counts.")
    elif indicator is None:
        row.problem(INDICATOR, f'Unknown indicator "{indicator_text}". Choose one from the list.')
    plan, plan_ok = _read_plan(row, plan_text, known_plans, report)
    qualifier, wording, qualifier_ok = _read_qualifier(row, qualifier_text)
    value, value_ok = _read_value(row, raw_value)

    if qualifier_ok and value_ok:
        if qualifier == Qualifier.UNQUANTIFIED and value is not None:
            row.problem(
                VALUE,
                f'"{wording or UNQUANTIFIED_WORD}" has no number: empty the value or change the qualifier.',
            )
            value_ok = False
        elif qualifier != Qualifier.UNQUANTIFIED and value is None:
            row.problem(VALUE, 'Write the number, or choose "numerous" as the qualifier when none is known.')
            value_ok = False
    currency_ok = _check_currency(row, indicator, currency, value)
    if len(description) > 250:
        row.problem(DESCRIPTION, f"The description has {len(description)} characters; at most 250.")
        return None
    if indicator is None or not (plan_ok and qualifier_ok and value_ok and currency_ok):
        return None
    line = {
        "indicator": indicator,
        "plan": plan,
        "qualifier": qualifier,
        "value": value,
        "wording": wording,
        "currency": currency,
        "description": description,
    }
    _check_model_rules(row, line)
    return line


def _read_plan(row: _Row, text: str, known_plans: dict[str, Plan], report: Any) -> tuple[Plan | None, bool]:
    if not text:
        row.problem(PLAN, f'Choose the plan, or "{GENERAL}" for work outside the plans.')
        return None, False
    if _key(text) in {_key(GENERAL), "general", "general activities"}:
        return None, True
    reference = text.split()[0].rstrip(":")
    plan = known_plans.get(_key(reference))
    if plan is None:
        # The same words whether or not such a plan exists elsewhere: a file reveals nothing.
        row.problem(
            PLAN,
            f'"{text}" is not one of {report.country.name}\'s plans in the {report.period}. '
            f'Choose a plan from the list, or "{GENERAL}".',
        )
        return None, False
    return plan, True


def _read_qualifier(row: _Row, text: str) -> tuple[str, str, bool]:
    word = _key(text)
    if word in ("", EXACT_WORD):
        return Qualifier.EXACT, "", True
    if word in BOUND_WORDS:
        return Qualifier.AT_LEAST, word, True
    if word in VAGUE_WORDS:
        return Qualifier.UNQUANTIFIED, word, True
    if word in (UNQUANTIFIED_WORD, "not quantified"):
        return Qualifier.UNQUANTIFIED, "", True
    choices = ", ".join(f'"{w}"' for w in QUALIFIER_WORDS)
    row.problem(QUALIFIER, f'Unknown qualifier "{text}". Write one of {choices}.')
    return Qualifier.EXACT, "", False


def _read_value(row: _Row, raw: Any) -> tuple[int | None, bool]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, True
    if isinstance(raw, bool):
        row.problem(VALUE, "The value must be a number, not TRUE or FALSE.")
        return None, False
    if isinstance(raw, int | float):
        number: float | int = raw
    elif isinstance(raw, str) and re.fullmatch(r"-?\d{1,3}(,\d{3})+|-?\d+", raw.strip()):
        number = int(raw.strip().replace(",", ""))
    else:
        row.problem(VALUE, _not_a_number(raw))
        return None, False
    if number < 0:
        row.problem(VALUE, f"A count cannot be negative ({_text(number)}).")
        return None, False
    if isinstance(number, float) and not number.is_integer():
        row.problem(VALUE, f"The value must be a whole number, not {number}.")
        return None, False
    if number > MAX_VALUE:
        row.problem(VALUE, f"The value {int(number):,} is too large.")
        return None, False
    return int(number), True


def _not_a_number(raw: Any) -> str:
    """Why `raw` is not a value, with the fix when it reads as a figure such as "over 70"."""
    text = _text(raw)
    try:
        quantity = Quantity.parse(text)
    except ValueError:
        return f'"{text}" is not a number. Write the number only, e.g. 59; leave it empty for "numerous".'
    if quantity.qualifier == Qualifier.AT_LEAST:
        return (
            f'"{text}" is text: choose "{quantity.wording}" as the qualifier and write {quantity.value} here.'
        )
    if quantity.qualifier == Qualifier.UNQUANTIFIED:
        return f'"{text}" is text: choose "{quantity.wording}" as the qualifier and leave the value empty.'
    return f'"{text}" is text: write it as the number {quantity.value}.'


def _check_currency(row: _Row, indicator: Indicator | None, currency: str, value: int | None) -> bool:
    if indicator is None:
        return True
    if indicator.has_currency:
        if value is not None and not currency:
            row.problem(CURRENCY, f"{indicator.name} needs the currency of the amount, e.g. AUD.")
            return False
        if currency and not re.fullmatch(r"[A-Z]{3}", currency):
            row.problem(CURRENCY, f'"{currency}" is not a currency code: write three letters, e.g. AUD.')
            return False
    elif currency:
        row.problem(CURRENCY, f"{indicator.name} is a count and takes no currency; empty this cell.")
        return False
    return True


# Model fields → the sheet column a person would fix.
_FIELD_COLUMNS = {"indicator": INDICATOR, "plan": PLAN, "qualifier": QUALIFIER, "value": VALUE}
_FIELD_COLUMNS |= {"wording": QUALIFIER, "currency": CURRENCY, "description": DESCRIPTION}


def _check_model_rules(row: _Row, line: dict[str, Any]) -> None:
    """The line's own rules (OutcomeLine.clean), so the sheet and the forms agree."""
    candidate = OutcomeLine(**line)
    try:
        candidate.clean_fields(exclude=["version", "joint", "position"])
        candidate.clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                row.problem(_FIELD_COLUMNS.get(name, ""), message)


def _read_narrative(opened: xlsx.OpenedWorkbook, problems: list[Problem]) -> dict[str, str]:
    sheet = opened.formulas[NARRATIVE]
    by_label = {_key(label): name for name, label in narrative_labels().items()}
    narrative: dict[str, str] = {}
    seen: set[str] = set()
    for number in range(2, min(xlsx.last_filled_row(sheet), MAX_OUTCOME_ROWS) + 1):
        label_value, _ = xlsx.cell_value(opened, NARRATIVE, sheet[f"A{number}"])
        text_value, from_formula = xlsx.cell_value(opened, NARRATIVE, sheet[f"B{number}"])
        label = _text(label_value)
        text = "" if text_value is None else str(text_value).strip()
        if not label and not text:
            continue
        name = by_label.get(_key(label))
        if name is not None:
            seen.add(name)
        if name is None:
            headings = ", ".join(f'"{h}"' for h in narrative_labels().values())
            problems.append(
                Problem(NARRATIVE, number, "A", f'Unknown heading "{label}". The headings are {headings}.')
            )
        elif from_formula and text_value is None:
            problems.append(
                Problem(NARRATIVE, number, "B", "A formula without a saved result: type the text.")
            )
        elif len(text) > MAX_NARRATIVE_CHARS:
            problems.append(
                Problem(
                    NARRATIVE,
                    number,
                    "B",
                    f"The text has {len(text):,} characters; at most {MAX_NARRATIVE_CHARS:,}.",
                )
            )
        else:
            narrative[name] = text
    for name, label in narrative_labels().items():
        if name not in seen:
            problems.append(
                Problem(
                    NARRATIVE,
                    None,
                    "A",
                    f'The heading "{label}" is missing. Keep every heading of the template.',
                )
            )
    return narrative


def problems_from(error: ValidationError, parsed: ParsedReport) -> list[Problem]:
    """A refusal by `do_save_draft` as problems to list: "lines.<n>.<field>" keys point at the
    row line n came from; anything else (e.g. the draft was submitted meanwhile) at the file."""
    if not hasattr(error, "error_dict"):
        return [Problem("", None, "", message) for message in error.messages]
    labels = narrative_labels()
    problems: list[Problem] = []
    for key, messages in error.message_dict.items():
        parts = key.split(".")
        for message in messages:
            if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
                index = int(parts[1]) - 1
                row = parsed.rows[index] if 0 <= index < len(parsed.rows) else None
                problems.append(Problem(OUTCOMES, row, _FIELD_COLUMNS.get(parts[2], ""), message))
            elif key in labels:
                problems.append(Problem(NARRATIVE, None, "B", f"{labels[key]}: {message}"))
            else:
                problems.append(Problem("", None, "", message))
    return problems


def describe(problems: Iterable[Problem]) -> list[str]:
    """Plain lines for logs and the audit trail: "Outcomes D7: …"."""
    return [f"{p.sheet} {p.cell}: {p.message}".strip() for p in problems]
