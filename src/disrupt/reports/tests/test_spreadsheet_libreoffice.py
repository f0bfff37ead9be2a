"""A template opened and saved again by LibreOffice still uploads (runs where LibreOffice is installed).

Officers fill the template in Excel or LibreOffice, which rewrite the whole file: numbers may
come back as decimals, styles spread over empty rows, formulas carry the result the program
calculated. The round trip must survive that. Without `soffice` on the machine the test is skipped.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from disrupt.conftest import Cast
from disrupt.reports.choices import Qualifier
from disrupt.reports.spreadsheet import build_template, parse_upload
from disrupt.reports.tests.test_spreadsheet import fill, row_of, save, start, workbook

SOFFICE = shutil.which("soffice")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]


def resave_with_libreoffice(data: bytes, folder: Path) -> bytes:
    source, out = folder / "filled.xlsx", folder / "out"
    source.write_bytes(data)
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (out / "filled.xlsx").read_bytes()


def test_a_template_saved_by_libreoffice_uploads_the_same_lines(cast: Cast, tmp_path: Path) -> None:
    version = start(cast.focal_id, "ID")
    book = workbook(build_template(version))
    fill(book, "arrests", cast.plan, "exact", 12, description="Crew of the Kupang boat")
    fill(book, "enquiries", None, "over", 70)
    fill(book, "awareness-activities", None, "numerous", None)
    fill(book, "assets-seized", cast.plan_amber, None, 15000, currency="AUD")
    # A formula: LibreOffice calculates it and saves the result, which the upload takes.
    book["Outcomes"][f"D{row_of(book, 'officers-trained', None)}"] = "=40+15"
    book["Narrative"]["B3"] = "Boats leave at new moon."

    result = parse_upload(resave_with_libreoffice(save(book), tmp_path), version)

    assert not isinstance(result, list), result
    got = [
        (
            x["indicator"].code,
            getattr(x["plan"], "reference", None),
            x["qualifier"],
            x["value"],
            x["currency"],
        )
        for x in result.lines
    ]
    assert got == [
        ("arrests", "JPA7-01", Qualifier.EXACT, 12, ""),
        ("enquiries", None, Qualifier.AT_LEAST, 70, ""),
        ("assets-seized", "JPA7-02", Qualifier.EXACT, 15000, "AUD"),
        ("awareness-activities", None, Qualifier.UNQUANTIFIED, None, ""),
        ("officers-trained", None, Qualifier.EXACT, 55, ""),
    ]
    assert result.narrative["intelligence"] == "Boats leave at new moon."
