"""XLSX helpers with no Django state: safe opening of uploaded workbooks and a few layout aids.

An uploaded workbook is untrusted. Before openpyxl parses it we check that it is a zip archive
that looks like a spreadsheet and that it does not expand to something huge (a "zip bomb"),
so a malformed or hostile file ends in a clear message, never an exception or a full disk.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

# What openpyxl writes for a formula cell (data_type "f").
FORMULA = "f"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


class UnreadableWorkbook(Exception):
    """The bytes are not a workbook openpyxl can safely read; the message says why, for people."""


@dataclass(frozen=True)
class OpenedWorkbook:
    """A workbook as written (formulas kept) and as last calculated (cached results)."""

    formulas: Workbook
    values: Workbook

    @property
    def sheetnames(self) -> list[str]:
        return list(self.formulas.sheetnames)


def open_workbook(data: bytes, max_uncompressed: int) -> OpenedWorkbook:
    """Open untrusted XLSX bytes twice: once with formulas, once with their saved results."""
    check_archive(data, max_uncompressed)
    try:
        formulas = load_workbook(io.BytesIO(data), data_only=False)
        values = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many kinds (KeyError, XML errors…) for bad files
        raise UnreadableWorkbook(
            "The file could not be read as an Excel workbook (.xlsx); save it again as .xlsx."
        ) from error
    return OpenedWorkbook(formulas=formulas, values=values)


def check_archive(data: bytes | Path, max_uncompressed: int) -> None:
    """Refuse what is not a workbook or expands past `max_uncompressed` (bytes, or a file on disk
    for a workbook too large to hold in memory, as an import reads it)."""
    source: io.BytesIO | Path = io.BytesIO(data) if isinstance(data, bytes) else data
    if not zipfile.is_zipfile(source):
        raise UnreadableWorkbook(
            "The file is not an Excel workbook (.xlsx). Old .xls files, CSV and PDF cannot be read; "
            "save the file as .xlsx."
        )
    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise UnreadableWorkbook("The file is damaged and cannot be opened as a workbook.") from error
    if "xl/workbook.xml" not in names:
        raise UnreadableWorkbook(
            "The file is a zip archive but not an Excel workbook (.xlsx); save the file as .xlsx."
        )
    if expanded > max_uncompressed:
        raise UnreadableWorkbook(
            f"The workbook expands to {expanded // 1_000_000} MB, more than the "
            f"{max_uncompressed // 1_000_000} MB a report can hold."
        )


def cell_value(opened: OpenedWorkbook, sheet: str, cell: Cell) -> tuple[Any, bool]:
    """The value a person sees in `cell`, and whether it came from a formula.

    A formula gives its saved result (Excel and LibreOffice save one); a formula with no saved
    result, as written by some tools, gives None.
    """
    if cell.data_type == FORMULA:
        return opened.values[sheet][cell.coordinate].value, True
    return cell.value, False


def last_filled_row(sheet: Worksheet) -> int:
    """The last row holding a value (1 for an empty sheet).

    `max_row` also counts cells that only carry a style, and spreadsheet programs style whole
    columns down to row 1,048,576; reading every one of those rows would be slow and the
    officer would see a row count they never typed. openpyxl keeps the cells it read in
    `_cells`, so this looks only at those.
    """
    return max((row for (row, _), cell in sheet._cells.items() if cell.value not in (None, "")), default=1)


def style_header(sheet: Worksheet, headings: Iterable[str], widths: Iterable[int]) -> None:
    """Bold, shaded first row, frozen so it stays in view; column widths in characters."""
    for column, (heading, width) in enumerate(zip(headings, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=column, value=heading)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def add_list(
    sheet: Worksheet, cells: str, source: str, title: str, prompt: str, allow_blank: bool = True
) -> DataValidation:
    """A dropdown on `cells` taking its choices from the range `source` (e.g. "Lists!$A$1:$A$9", no "=")."""
    validation = DataValidation(
        type="list",
        formula1=source,
        allow_blank=allow_blank,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle=title[:32],
        error=f"Choose a value from the list. {prompt}"[:255],
        promptTitle=title[:32],
        prompt=prompt[:255],
    )
    sheet.add_data_validation(validation)
    validation.add(cells)
    return validation


def add_whole_number(sheet: Worksheet, cells: str, title: str, prompt: str) -> DataValidation:
    """A rule on `cells` that accepts only whole numbers of zero or more."""
    validation = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle=title[:32],
        error="Write a whole number of zero or more, without words.",
        promptTitle=title[:32],
        prompt=prompt[:255],
    )
    sheet.add_data_validation(validation)
    validation.add(cells)
    return validation


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
