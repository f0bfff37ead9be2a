"""Reminders from the real worker process: once each, also when the worker is killed mid-run.

The worker (`disrupt worker`) runs as a subprocess against the test database, so these tests
commit their rows (transactional) and need PostgreSQL: the SQLite test database lives in memory.
Mail is real mail: files in a directory, or a small SMTP server in this process that can stop
answering after N messages, which holds the worker mid-run deterministically until it is killed.
"""

from __future__ import annotations

import datetime as dt
import email
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from disrupt.conftest import Cast, build_cast, make_agency, make_user
from disrupt.directory.choices import AgencyKind, RoleCode
from disrupt.reports.models import Reminder
from disrupt.reports.tasks import ensure_sweep_queued, send_report_reminders
from disrupt.reports.tests.deadline_data import add_report_milestones

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the worker subprocess needs a database it can share"
)

# Four countries with a focal point each × an overdue mid-term and a final due soon.
EXPECTED_MESSAGES = 8


@pytest.fixture
def cycle(reference_data: Any) -> Cast:
    cast = build_cast()
    make_user(
        "focal@inz.test",
        "Nika Focal",
        make_agency("Immigration New Zealand", "NZ", AgencyKind.IMMIGRATION),
        RoleCode.FOCAL_POINT,
    )
    make_user("focal@rtp.test", "Thanom Focal", make_agency("Royal Thai Police", "TH"), RoleCode.FOCAL_POINT)
    today = timezone.localdate()
    add_report_milestones(
        cast.period, midterm=today - dt.timedelta(days=3), final=today + dt.timedelta(days=3)
    )
    return cast


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # Nothing of the test run may leak in but what the worker needs.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISRUPT_", "EMAIL_", "DJANGO_")) and k != "DATABASE_URL"
    }
    return {**clean, "DATABASE_URL": _database_url(), "DISRUPT_DATA_DIR": str(tmp_path), **extra}


def _start_worker(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    log = open(tmp_path / "worker.log", "ab")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, "-m", "disrupt", "worker", "--interval", "0.2", *args],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait_for(condition: Callable[[], bool], what: str, tmp_path: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            log = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
            raise AssertionError(f"timed out waiting for {what}; worker log:\n{log}")
        time.sleep(0.1)


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Every worker a test starts is stopped at its end, whatever happened."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


# --- Mail as files --------------------------------------------------------------------------------


def _outbox(folder: Path) -> list[Message]:
    """The messages Django's file-based backend wrote: one file per connection, separated by dashes."""
    messages = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.strip()))
    return messages


def test_the_worker_sends_each_reminder_once_across_runs(
    cycle: Cast, tmp_path: Path, workers: list[subprocess.Popen[bytes]]
) -> None:
    env = _env(tmp_path)
    for _ in range(2):
        ensure_sweep_queued()
        worker = _start_worker(tmp_path, env, "--batch")
        workers.append(worker)
        assert worker.wait(timeout=120) == 0, (tmp_path / "worker.log").read_text()
    messages = _outbox(tmp_path / "outbox")
    sent = sorted((str(m["To"]), str(m["Subject"])) for m in messages)
    assert len(sent) == EXPECTED_MESSAGES
    assert len(set(sent)) == EXPECTED_MESSAGES
    assert {to for to, _ in sent} == {"focal@afp.test", "focal@inp.test", "focal@inz.test", "focal@rtp.test"}
    assert Reminder.objects.filter(sent_at__isnull=False, recipients=1).count() == EXPECTED_MESSAGES
    for message in messages:
        body = message.get_payload()
        assert isinstance(body, str)
        assert cycle.plan.title not in body and cycle.plan.reference not in body


# --- Mail over SMTP, and a kill -9 in the middle ----------------------------------------------------


class MailServer(socketserver.ThreadingTCPServer):
    """Just enough SMTP for Django's backend. After `hang_after` messages it stops answering new
    connections (the worker waits for the greeting forever) until `release` is set."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, hang_after: int | None) -> None:
        super().__init__(("127.0.0.1", 0), MailHandler)
        self.lock = threading.Lock()
        self.messages: list[Message] = []
        self.hang_after = hang_after
        self.hung = threading.Event()
        self.release = threading.Event()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def received(self) -> list[tuple[str, str]]:
        with self.lock:
            return sorted((str(m["To"]), str(m["Subject"])) for m in self.messages)


class MailHandler(socketserver.StreamRequestHandler):
    server: MailServer

    def handle(self) -> None:
        server = self.server
        with server.lock:
            hang = server.hang_after is not None and len(server.messages) >= server.hang_after
        if hang:
            server.hung.set()
            server.release.wait(timeout=120)
            return
        try:
            self._converse()
        except OSError:  # the worker was killed with the connection open
            return

    def _converse(self) -> None:
        self._reply("220 test ESMTP")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self._reply("354 end with <CRLF>.<CRLF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b".") else chunk)
                if not chunk:
                    return  # cut off mid-message: nothing was delivered
                with self.server.lock:
                    self.server.messages.append(email.message_from_bytes(b"".join(data)))
                self._reply("250 queued")
            elif verb == b"QUIT":
                self._reply("221 bye")
                return
            else:  # EHLO, HELO, MAIL, RCPT, RSET, NOOP
                self._reply("250 ok")

    def _reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")
        self.wfile.flush()


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer(hang_after=1)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def _sweeps(status: str) -> int:
    return DBTaskResult.objects.filter(task_path=send_report_reminders.module_path, status=status).count()


def test_a_worker_killed_mid_run_loses_and_repeats_nothing(
    cycle: Cast, tmp_path: Path, mail_server: MailServer, workers: list[subprocess.Popen[bytes]]
) -> None:
    env = _env(tmp_path, EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(mail_server.port), EMAIL_USE_TLS="false")

    # The long-running worker queues the sweep itself at start (nothing was queued before).
    assert _sweeps("READY") == 0
    first = _start_worker(tmp_path, env)
    workers.append(first)
    _wait_for(mail_server.hung.is_set, "the worker to send one reminder and start the next", tmp_path)

    # Mid-run: every reminder is recorded, one is sent, the sweep is running.
    assert Reminder.objects.count() == EXPECTED_MESSAGES
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 1
    assert _sweeps("RUNNING") == 1
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert mail_server.received() and len(mail_server.received()) == 1

    # The killed sweep stays "running" for ever; it must not block the next one.
    mail_server.hang_after = None
    mail_server.release.set()
    second = _start_worker(tmp_path, env)
    workers.append(second)
    _wait_for(
        lambda: not Reminder.objects.filter(sent_at__isnull=True).exists(),
        "the remaining reminders",
        tmp_path,
    )
    _wait_for(lambda: _sweeps("SUCCESSFUL") == 1, "the sweep to finish", tmp_path)
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=30)

    received = mail_server.received()
    assert len(received) == EXPECTED_MESSAGES, received
    assert len(set(received)) == EXPECTED_MESSAGES, received
    assert Reminder.objects.filter(recipients=1).count() == EXPECTED_MESSAGES
    assert _sweeps("RUNNING") == 1  # the one the kill left behind
    assert _sweeps("READY") == 1  # tomorrow's
