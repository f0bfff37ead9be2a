"""What a file is, from its bytes: never from its name or the browser's claim.

Magic numbers for PDF, PNG and JPEG; for the zip-based office formats, the members inside
the archive (a .docx is a zip with word/document.xml, an .xlsx one with xl/workbook.xml, an
.odt one whose `mimetype` member says so); UTF-8 without control characters for text, and
text whose lines split into the same number of fields for CSV. Executables are recognised
too, so a refusal can say what the file really is.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import IO

SAMPLE_BYTES = 8192


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str


PDF = FileType("pdf", "application/pdf", "PDF")
DOCX = FileType(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document"
)
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel workbook")
ODT = FileType("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text")
PNG = FileType("png", "image/png", "PNG image")
JPEG = FileType("jpg", "image/jpeg", "JPEG image")
TEXT = FileType("txt", "text/plain; charset=utf-8", "plain text")
CSV = FileType("csv", "text/csv; charset=utf-8", "CSV table")

FILE_TYPES = (PDF, DOCX, XLSX, ODT, PNG, JPEG, TEXT, CSV)

# Programs, named so a refusal can tell the sender what the "PDF" really was.
_EXECUTABLE_MAGIC = (
    (b"MZ", "a Windows program (.exe or .dll)"),
    (b"\x7fELF", "a Linux program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"\xfe\xed\xfa\xcf", "a macOS program"),
    (b"\xca\xfe\xba\xbe", "a macOS or Java program"),
    (b"#!", "a script"),
)

# Control characters other than tab, newline, form feed and carriage return do not occur in text.
_BINARY_BYTES = frozenset(set(range(32)) - {9, 10, 12, 13})


def _head(stream: IO[bytes], size: int = SAMPLE_BYTES) -> bytes:
    stream.seek(0)
    head = stream.read(size)
    stream.seek(0)
    return head


def executable_kind(stream: IO[bytes]) -> str | None:
    """What kind of program the file is, or None if it does not start like one."""
    head = _head(stream, 8)
    for magic, kind in _EXECUTABLE_MAGIC:
        if head.startswith(magic):
            return kind
    return None


def sniff(stream: IO[bytes]) -> FileType | None:
    """The file's type among FILE_TYPES, or None if it is none of them."""
    head = _head(stream)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(stream)
    if _is_text(head):
        return CSV if _looks_tabular(head) else TEXT
    return None


def _sniff_zip(stream: IO[bytes]) -> FileType | None:
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.content_type.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                return XLSX
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return None
    finally:
        stream.seek(0)
    return None


def _is_text(head: bytes) -> bool:
    if not head or any(byte in _BINARY_BYTES for byte in head):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character may be cut at the end of the sample.
        return error.start >= len(head) - 4
    return True


def _looks_tabular(head: bytes) -> bool:
    """At least two lines, all split by the same delimiter into the same number (2+) of fields."""
    text = head.decode("utf-8", errors="ignore")
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(head) == SAMPLE_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the sample may cut the last line
    if len(lines) < 2:
        return False
    for delimiter in (",", ";", "\t"):
        widths = {len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)}
        if len(widths) == 1 and widths.pop() >= 2:
            return True
    return False


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
