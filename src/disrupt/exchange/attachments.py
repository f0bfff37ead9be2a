"""Checking and storing the files sent with enquiries.

A file is accepted when it is small enough, its bytes (not its name, not the browser's
content type) show it is one of the allowed types, and — where a clamd is configured —
ClamAV finds nothing in it. If clamd is configured but cannot answer, the file is refused
(fail closed). Accepted bytes are stored once per content under DATA_DIR/attachments/<aa>/<sha256>.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError

from disrupt.exchange.models import attachment_path
from disrupt.lib import files
from disrupt.lib.clamav import Clamd, ClamdUnavailable

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ALLOWED_LABELS = "PDF, Word (.docx), Excel (.xlsx), OpenDocument text (.odt), PNG, JPEG, plain text or CSV"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    size: int
    file_type: files.FileType
    scanned: bool


def max_bytes() -> int:
    return int(getattr(settings, "DISRUPT_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def scanner() -> Clamd | None:
    """The configured clamd, or None: then attachments are not virus-scanned here."""
    socket_path = getattr(settings, "CLAMD_SOCKET", "") or ""
    host = getattr(settings, "CLAMD_HOST", "") or ""
    if not socket_path and not host:
        return None
    return Clamd(socket_path=socket_path, host=host, port=int(getattr(settings, "CLAMD_PORT", 3310) or 3310))


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def check(name: str, stream: IO[bytes]) -> CheckedFile:
    """Accept or refuse one file; a refusal is a ValidationError naming the file and the reason."""
    size = _size(stream)
    limit = max_bytes()
    if size == 0:
        raise ValidationError(f"“{name}” is empty.")
    if size > limit:
        raise ValidationError(
            f"“{name}” is {files.megabytes(size)}; "
            f"the largest attachment accepted is {files.megabytes(limit)}."
        )
    program = files.executable_kind(stream)
    if program:
        raise ValidationError(
            f"“{name}” is {program}, whatever its name says. Programs are never accepted as attachments."
        )
    file_type = files.sniff(stream)
    if file_type is None:
        raise ValidationError(
            f"“{name}” is not one of the accepted types ({ALLOWED_LABELS}); "
            "its content was checked, whatever its name says."
        )
    clamd = scanner()
    if clamd is not None:
        try:
            result = clamd.scan(stream)
        except ClamdUnavailable as error:
            raise ValidationError(
                f"“{name}” could not be virus-scanned (the scanner is not answering), so it was not "
                "accepted. Try again later or tell the platform's administrators."
            ) from error
        if not result.clean:
            raise ValidationError(
                f"“{name}” was refused: the virus scanner found {result.signature}. It has not been stored."
            )
    return CheckedFile(name=name, size=size, file_type=file_type, scanned=clamd is not None)


def store(stream: IO[bytes]) -> str:
    """Write the bytes under their SHA-256 (once: the same content is stored only once); the digest."""
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    sha256 = digest.hexdigest()
    target = attachment_path(sha256)
    if target.exists():
        stream.seek(0)
        return sha256
    target.parent.mkdir(parents=True, exist_ok=True)
    stream.seek(0)
    # Write beside the target, then rename: a reader never sees half a file.
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as temporary:
        while chunk := stream.read(1024 * 1024):
            temporary.write(chunk)
    os.replace(temporary.name, target)
    stream.seek(0)
    return sha256
