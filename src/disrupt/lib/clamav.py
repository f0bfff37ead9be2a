"""A small client for clamd, the ClamAV daemon, speaking its INSTREAM protocol.

The file goes to clamd in chunks, each preceded by its length as four bytes in network
order, and a zero length ends it. clamd answers `stream: OK`, `stream: <signature> FOUND`
or `<message> ERROR`, terminated by a NUL byte (the `z` form of the command).
See clamd(8), "INSTREAM".
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import IO

CHUNK_BYTES = 64 * 1024


class ClamdUnavailable(Exception):
    """clamd could not be reached or gave no usable answer: the caller must not accept the file."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""  # what clamd found, when not clean


@dataclass(frozen=True)
class Clamd:
    """Where clamd listens: a unix socket path, or a host and port."""

    socket_path: str = ""
    host: str = ""
    port: int = 3310
    timeout: float = 30.0

    def _connect(self) -> socket.socket:
        try:
            if self.socket_path:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(self.timeout)
                sock.connect(self.socket_path)
                return sock
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as error:
            raise ClamdUnavailable(f"clamd at {self.address} cannot be reached: {error}") from error

    @property
    def address(self) -> str:
        return self.socket_path or f"{self.host}:{self.port}"

    def ping(self) -> bool:
        try:
            with self._connect() as sock:
                sock.sendall(b"zPING\0")
                return _read_answer(sock) == "PONG"
        except (ClamdUnavailable, OSError):
            return False

    def scan(self, stream: IO[bytes]) -> ScanResult:
        """Scan the whole of `stream`; raises ClamdUnavailable if clamd cannot give a verdict."""
        stream.seek(0)
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                while chunk := stream.read(CHUNK_BYTES):
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
                answer = _read_answer(sock)
        except OSError as error:
            raise ClamdUnavailable(f"clamd at {self.address} failed during the scan: {error}") from error
        finally:
            stream.seek(0)
        return _verdict(answer)


def _read_answer(sock: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\0"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.rstrip(b"\0").decode("utf-8", errors="replace").strip()


def _verdict(answer: str) -> ScanResult:
    # "stream: OK" | "stream: Eicar-Test-Signature FOUND" | "INSTREAM size limit exceeded. ERROR"
    message = answer.split(":", 1)[1].strip() if answer.startswith("stream:") else answer
    if message == "OK":
        return ScanResult(clean=True)
    if message.endswith(" FOUND"):
        return ScanResult(clean=False, signature=message.removesuffix(" FOUND").strip())
    raise ClamdUnavailable(f"clamd gave no verdict: {answer or '(no answer)'}")
