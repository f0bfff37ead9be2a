"""OUR clamd client's framing of the INSTREAM protocol, checked against a minimal socket server
written here that reads the protocol byte for byte as clamd(8) defines it.

This tests the client's side of the wire only (command, length-prefixed chunks, the zero-length
end, the NUL-terminated answer); that a real clamd finds EICAR is tested in test_attachments.py
against a running clamd when one is configured.
"""

from __future__ import annotations

import io
import socket
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from disrupt.lib.clamav import CHUNK_BYTES, Clamd, ClamdUnavailable


@dataclass
class Received:
    command: bytes = b""
    chunk_sizes: list[int] = field(default_factory=list)
    data: bytes = b""


def _read_exactly(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("client closed early")
        data += chunk
    return data


def _serve_one(server: socket.socket, received: Received, answer: bytes) -> None:
    conn, _ = server.accept()
    with conn:
        command = b""
        while not command.endswith(b"\0"):
            command += _read_exactly(conn, 1)
        received.command = command
        if command == b"zINSTREAM\0":
            while True:
                (size,) = struct.unpack("!L", _read_exactly(conn, 4))
                received.chunk_sizes.append(size)
                if size == 0:
                    break
                received.data += _read_exactly(conn, size)
        conn.sendall(answer)


@pytest.fixture
def protocol_server(tmp_path: Path) -> Iterator[tuple[str, Received, list[bytes]]]:
    """A unix socket that answers one connection with the answer the test puts in `answers`."""
    path = str(tmp_path / "clamd.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    received = Received()
    answers: list[bytes] = []

    def run() -> None:
        while not answers:
            threading.Event().wait(0.01)
        _serve_one(server, received, answers[0])

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield path, received, answers
    thread.join(timeout=5)
    server.close()


def test_it_frames_the_stream_in_length_prefixed_chunks(
    protocol_server: tuple[str, Received, list[bytes]],
) -> None:
    path, received, answers = protocol_server
    answers.append(b"stream: OK\0")
    payload = bytes(range(256)) * ((CHUNK_BYTES * 2 + 1000) // 256)
    result = Clamd(socket_path=path).scan(io.BytesIO(payload))
    assert result.clean
    assert received.command == b"zINSTREAM\0"
    assert received.chunk_sizes == [CHUNK_BYTES, CHUNK_BYTES, len(payload) - 2 * CHUNK_BYTES, 0]
    assert received.data == payload


def test_it_reads_a_found_answer_as_infected(protocol_server: tuple[str, Received, list[bytes]]) -> None:
    path, _, answers = protocol_server
    answers.append(b"stream: Win.Test.Signature FOUND\0")
    result = Clamd(socket_path=path).scan(io.BytesIO(b"anything"))
    assert not result.clean and result.signature == "Win.Test.Signature"


def test_an_error_answer_is_no_verdict(protocol_server: tuple[str, Received, list[bytes]]) -> None:
    path, _, answers = protocol_server
    answers.append(b"INSTREAM size limit exceeded. ERROR\0")
    with pytest.raises(ClamdUnavailable, match="no verdict"):
        Clamd(socket_path=path).scan(io.BytesIO(b"anything"))


def test_nobody_listening_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(ClamdUnavailable, match="cannot be reached"):
        Clamd(socket_path=str(tmp_path / "absent.sock")).scan(io.BytesIO(b"x"))
