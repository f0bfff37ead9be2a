"""Attachments: type sniffed from the bytes, size cap, stored once under their hash, and ClamAV."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from disrupt.access.choices import HandlingCode
from disrupt.conftest import Cast
from disrupt.exchange import attachments
from disrupt.exchange.actions import do_attach, do_send_enquiry
from disrupt.exchange.models import Attachment, Enquiry
from disrupt.exchange.tests.conftest import EICAR, EXE_BYTES, PDF_BYTES, agency
from disrupt.lib import files

pytestmark = pytest.mark.django_db


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF_BYTES, files.PDF),
        (DOCX, files.DOCX),
        (XLSX, files.XLSX),
        (ODT, files.ODT),
        (PNG, files.PNG),
        (JPEG, files.JPEG),
        (b"Notes from the interview, 3 May.\nNo names.\n", files.TEXT),
        (b"vessel,port,date\nSynthetic Dawn,Kupang,2026-05-03\nBlue Gull,Rote,2026-05-04\n", files.CSV),
        (_zip({"readme.txt": b"just a zip"}), None),
        (EXE_BYTES, None),
        (b"\x00\x01\x02binary", None),
    ],
)
def test_the_type_comes_from_the_bytes(data: bytes, expected: files.FileType | None) -> None:
    assert files.sniff(io.BytesIO(data)) == expected


def test_uploads_in_memory_and_on_disk_are_sniffed_alike() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

    on_disk = TemporaryUploadedFile("sheet.bin", "application/octet-stream", len(XLSX), None)
    on_disk.write(XLSX)
    assert files.sniff(on_disk) == files.XLSX  # type: ignore[arg-type]
    assert files.sniff(SimpleUploadedFile("doc.bin", DOCX)) == files.DOCX  # type: ignore[arg-type]
    on_disk.close()


def test_it_refuses_a_program_named_pdf_and_says_what_it_is(cast: Cast, strict_enquiry: Enquiry) -> None:
    with pytest.raises(ValidationError) as refused:
        do_attach(cast.investigator_id, strict_enquiry, ("invoice.pdf", io.BytesIO(EXE_BYTES)))
    assert "“invoice.pdf” is a Windows program (.exe or .dll), whatever its name says" in str(refused.value)
    assert strict_enquiry.attachments.count() == 1  # only the PDF sent with it


def test_a_refused_file_refuses_the_whole_enquiry(cast: Cast) -> None:
    with pytest.raises(ValidationError) as refused:
        do_send_enquiry(
            cast.investigator_id,
            recipients=[agency("AFP")],
            subject="Two files",
            body="One good, one bad.",
            files=[("good.pdf", io.BytesIO(PDF_BYTES)), ("report.pdf", io.BytesIO(EXE_BYTES))],
        )
    assert "report.pdf" in str(refused.value.message_dict["attachments"])
    assert not Enquiry.objects.exists() and not Attachment.objects.exists()


def test_it_accepts_a_real_pdf_and_stores_it_under_its_hash(
    cast: Cast, strict_enquiry: Enquiry, settings: Any
) -> None:
    attachment = strict_enquiry.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF_BYTES)
    assert attachment.path == settings.DATA_DIR / "attachments" / attachment.sha256[:2] / attachment.sha256
    assert attachment.path.read_bytes() == PDF_BYTES
    assert not attachment.virus_scanned


def test_the_same_content_is_stored_once(cast: Cast, strict_enquiry: Enquiry, settings: Any) -> None:
    again = do_attach(cast.analyst_au, strict_enquiry, ("copy-of-registration.pdf", io.BytesIO(PDF_BYTES)))
    first = strict_enquiry.attachments.earliest("pk")
    assert again.pk != first.pk and again.sha256 == first.sha256
    stored = list((settings.DATA_DIR / "attachments").rglob("*"))
    assert [path for path in stored if path.is_file()] == [first.path]


def test_it_refuses_a_file_over_the_limit(cast: Cast, strict_enquiry: Enquiry, settings: Any) -> None:
    settings.DISRUPT_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="the largest attachment accepted is 0.0 MB"):
        do_attach(cast.investigator_id, strict_enquiry, ("big.pdf", io.BytesIO(PDF_BYTES)))


def test_the_download_is_an_attachment_with_the_sniffed_type(
    client: Any, cast: Cast, strict_enquiry: Enquiry
) -> None:
    # The name says .txt; the bytes are a PDF, and the PDF type is what is served.
    named = do_attach(cast.investigator_id, strict_enquiry, ("notes.txt", io.BytesIO(PDF_BYTES)))
    client.force_login(cast.analyst_au)
    response = client.get(f"/attachments/{named.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


# --- ClamAV ------------------------------------------------------------------------------------------


def test_configured_but_unreachable_clamd_refuses_the_file(
    cast: Cast, strict_enquiry: Enquiry, settings: Any, tmp_path: Any
) -> None:
    """Fail closed: a scanner that cannot answer never lets a file through."""
    settings.CLAMD_SOCKET = str(tmp_path / "no-clamd-here.sock")
    with pytest.raises(ValidationError, match="could not be virus-scanned"):
        do_attach(cast.investigator_id, strict_enquiry, ("ok.pdf", io.BytesIO(PDF_BYTES)))
    assert strict_enquiry.attachments.count() == 1


def _real_clamd(settings: Any, clamd: dict[str, Any]) -> None:
    settings.CLAMD_SOCKET = clamd["CLAMD_SOCKET"]
    settings.CLAMD_HOST = clamd["CLAMD_HOST"]
    settings.CLAMD_PORT = clamd["CLAMD_PORT"]
    scanner = attachments.scanner()
    assert scanner is not None and scanner.ping(), (
        f"clamd at {scanner and scanner.address} does not answer PING"
    )


def test_with_clamd_configured_eicar_is_refused(
    cast: Cast, strict_enquiry: Enquiry, settings: Any, real_clamd: dict[str, Any]
) -> None:
    _real_clamd(settings, real_clamd)
    with pytest.raises(ValidationError) as refused:
        do_attach(cast.investigator_id, strict_enquiry, ("harmless.txt", io.BytesIO(EICAR)))
    assert "“harmless.txt” was refused: the virus scanner found Eicar" in str(refused.value)
    assert strict_enquiry.attachments.count() == 1


def test_with_clamd_configured_a_clean_file_is_accepted_and_marked_scanned(
    cast: Cast, strict_enquiry: Enquiry, settings: Any, real_clamd: dict[str, Any]
) -> None:
    _real_clamd(settings, real_clamd)
    attachment = do_attach(
        cast.investigator_id, strict_enquiry, ("clean.pdf", io.BytesIO(PDF_BYTES + b"%x\n"))
    )
    assert attachment.virus_scanned


def test_an_enquiry_at_red_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="not TLP:RED"):
        do_send_enquiry(
            cast.investigator_id,
            recipients=[agency("AFP")],
            subject="Red",
            body="x",
            handling_code=HandlingCode.RED,
        )
