"""Fixtures of the exchange tests: the AMBER+STRICT enquiry from Indonesia to Australia and New Zealand."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from disrupt.access.choices import HandlingCode
from disrupt.conftest import Cast
from disrupt.directory.models import Agency
from disrupt.exchange.actions import do_send_enquiry
from disrupt.exchange.models import Enquiry

# A minimal but well-formed PDF (one empty page).
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# What a Windows program looks like at its start: "MZ", then the DOS header.
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 240
# The EICAR anti-virus test string: harmless, and every scanner reports it.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

STRICT_BODY = "Please confirm the vessel KM Synthetic Dawn's registration and last port call."
STRICT_SUBJECT = "Vessel registration check, Kupang departure"


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Any) -> None:
    """Each test stores attachments in its own directory, and no clamd unless a test sets one."""
    settings.DATA_DIR = tmp_path
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""


def agency(short: str) -> Agency:
    return Agency.objects.get(short_name=short)


@pytest.fixture
def strict_enquiry(cast: Cast) -> Enquiry:
    """INP (Indonesia) asks AFP (Australia) and INZ (New Zealand), TLP:AMBER+STRICT, with a PDF."""
    return do_send_enquiry(
        cast.investigator_id,
        recipients=[agency("AFP"), agency("INZ")],
        subject=STRICT_SUBJECT,
        body=STRICT_BODY,
        handling_code=HandlingCode.AMBER_STRICT,
        due_on=dt.date.today() + dt.timedelta(days=7),
        files=[("registration.pdf", io.BytesIO(PDF_BYTES))],
    )
