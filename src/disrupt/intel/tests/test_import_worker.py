"""An import run by the real worker process (`disrupt worker`), killed with SIGKILL in the middle
and picked up again by a second worker: it finishes with exactly the file's entities, none twice,
carrying on after the last committed batch.

The worker runs as a subprocess against the test database, so the test commits its rows
(transactional) and needs PostgreSQL: the SQLite test database lives in memory.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from disrupt.conftest import build_cast
from disrupt.intel import exports, imports
from disrupt.intel.choices import JobStatus
from disrupt.intel.ftm import merge_entities, validate_entity
from disrupt.intel.models import Entity, ImportJob
from disrupt.intel.synth import NetworkGenerator, Params
from disrupt.intel.tests.importing import lines, make_collection, start

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the worker subprocess needs a database it can share"
)


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _env(data_dir: Path) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISRUPT_", "EMAIL_", "DJANGO_")) and k != "DATABASE_URL"
    }
    return {**clean, "DATABASE_URL": _database_url(), "DISRUPT_DATA_DIR": str(data_dir)}


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Start a long-running worker on the test database; every one is stopped at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def start_worker() -> subprocess.Popen[bytes]:
        log = open(tmp_path / "worker.log", "ab")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            [sys.executable, "-m", "disrupt", "worker", "--interval", "0.2"],
            env=_env(tmp_path),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start_worker
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def _wait_for(condition: Callable[[], bool], what: str, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise AssertionError(f"timed out waiting for {what}; worker log:\n{tail}")
        time.sleep(0.05)


def _expected(entities: list[dict[str, Any]]) -> bytes:
    """The export the file must give: each entity cleaned by FtM, fragments merged, by id."""
    merged: dict[str, dict[str, Any]] = {}
    for raw in entities:
        cleaned, problems = validate_entity(raw)
        assert cleaned is not None, problems
        if cleaned["id"] in merged:
            cleaned, _ = merge_entities(merged[cleaned["id"]], cleaned)
            assert cleaned is not None
        merged[cleaned["id"]] = cleaned
    return "".join(
        exports.ftm_line(e["id"], e["schema"], e["properties"]) for _, e in sorted(merged.items())
    ).encode()


def test_a_worker_killed_mid_import_is_followed_by_one_that_finishes_it_exactly(
    reference_data: None, settings: Any, tmp_path: Path, workers: Callable[[], subprocess.Popen[bytes]]
) -> None:
    settings.DATA_DIR = tmp_path  # where the upload is kept, shared with the worker
    cast = build_cast()
    collection = make_collection(cast)
    entities = [e for _, e in NetworkGenerator(Params(seed=5, entities=6000)).stream()]
    total_lines = len(entities)
    assert total_lines > 8 * imports.BATCH_LINES
    job = start(cast.investigator_id, collection, lines(entities), name="network.ftm.json")
    log = tmp_path / "worker.log"

    first = workers()

    def some_batches_committed() -> bool:
        job.refresh_from_db()
        return job.lines_done >= 2 * imports.BATCH_LINES or job.is_finished

    _wait_for(some_batches_committed, "the first batches", log)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    job.refresh_from_db()
    killed_at = job.lines_done
    assert job.status == JobStatus.RUNNING and 0 < killed_at < total_lines, (job.status, killed_at)
    pending = Entity.all_rows.filter(import_job=job, pending=True).count()
    assert pending == job.entities_written > 0
    assert not Entity.objects.filter(collection=collection).exists()  # nothing shows mid-import

    # The dead worker's heartbeat goes stale (this stands for the half minute that takes), and
    # the next worker's watchdog queues the job again.
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=1))
    second = workers()
    _wait_for(lambda: ImportJob.objects.get(pk=job.pk).is_finished, "the import to finish", log)
    # A worker stops gracefully after the task in hand. The finished import queued the matching
    # of its collection, which this worker may have begun (6,000 entities: longer than half a
    # minute when the suite shares the machine), so it gets as long as the import had.
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=180)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, (job.status, job.message, job.errors[:3])
    assert job.attempts == 2
    assert job.lines_done == total_lines  # carried on after line `killed_at`, not from the start
    expected = _expected(entities)
    assert job.entities_added == expected.count(b"\n") == Entity.objects.filter(collection=collection).count()
    assert not Entity.all_rows.filter(pending=True).exists()
    chunks, _, _ = exports.export_stream(collection, "ftm")
    assert b"".join(chunks) == expected
    assert not job.path.exists()
