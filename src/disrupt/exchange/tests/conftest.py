"""Fixtures of the exchange tests: the AMBER+STRICT enquiry from Indonesia to Australia and New Zealand."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
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


@pytest.fixture(scope="session")
def real_clamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A real clamd to scan with: the one the environment names, or one started here.

    scripts/test installs Debian's clamav-daemon where it may. Without internet access freshclam
    cannot fetch ClamAV's signature databases, so the clamd started here loads one signature:
    the EICAR test file's, which is what the EICAR convention exists for. The scanning path
    (our INSTREAM client, clamd's answer, the refusal) is the production one.
    """
    if os.environ.get("CLAMD_SOCKET") or os.environ.get("CLAMD_HOST"):
        yield {
            "CLAMD_SOCKET": os.environ.get("CLAMD_SOCKET", ""),
            "CLAMD_HOST": os.environ.get("CLAMD_HOST", ""),
            "CLAMD_PORT": int(os.environ.get("CLAMD_PORT", "3310")),
        }
        return
    binary = shutil.which("clamd") or ("/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None)
    if binary is None:
        pytest.skip("No clamd here: install clamav-daemon, or set CLAMD_SOCKET to a running clamd.")
    folder = tmp_path_factory.mktemp("clamd")
    (folder / "db").mkdir()
    (folder / "db" / "eicar.ndb").write_text(f"Eicar-Test-Signature:0:0:{EICAR.hex()}\n")
    socket_path = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text(
        f"Foreground yes\nDatabaseDirectory {folder / 'db'}\nLocalSocket {socket_path}\n"
        f"StreamMaxLength 30M\nLogFile {folder / 'clamd.log'}\n"
    )
    process = subprocess.Popen(
        [binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(300):  # clamd with one signature is up within a second or two
            if socket_path.exists() or process.poll() is not None:
                break
            time.sleep(0.1)
        if not socket_path.exists():
            log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
            pytest.fail(f"clamd did not start: {log[-500:]}")
        yield {"CLAMD_SOCKET": str(socket_path), "CLAMD_HOST": "", "CLAMD_PORT": 3310}
    finally:
        process.terminate()
        process.wait(timeout=10)
