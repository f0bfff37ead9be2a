"""Matching run by the real worker process (`disrupt worker`), killed with SIGKILL halfway and
picked up by a second worker: the hits are exactly those of an uninterrupted run, none twice,
and nobody is told of a hit twice.

Collections are filled by real imports of the synthetic network; each applied import queues
its collection's matching job, as in production. The worker runs against the test database,
so this needs PostgreSQL (the SQLite test database lives in memory).
"""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from disrupt.conftest import build_cast
from disrupt.intel import actions as intel_actions
from disrupt.intel.choices import JobStatus
from disrupt.intel.synth import NetworkGenerator, Params
from disrupt.intel.tests.importing import import_file, lines
from disrupt.intel.tests.test_import_worker import _wait_for, workers  # noqa: F401 (fixture)
from disrupt.matching.models import Hit, MatchingJob, Subject
from disrupt.matching.tests.scenario import run_queued_jobs
from disrupt.notifications.models import Notification

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the worker subprocess needs a database it can share"
)

GROUPS = {"id": "investigator_id", "au": "analyst_au", "nz": "analyst_au", "th": "investigator_th"}


def _hits() -> set[tuple[str, str, str]]:
    return {
        (a, b, kind) for a, b, kind in Hit.objects.values_list("subject_a__ref", "subject_b__ref", "kind")
    }


def test_a_matching_job_killed_halfway_resumes_to_the_same_hits(
    reference_data: None,
    settings: Any,
    tmp_path: Path,
    workers: Callable[[], subprocess.Popen[bytes]],  # noqa: F811
) -> None:
    settings.DATA_DIR = tmp_path
    settings.MATCHING_KEY_FILE = str(tmp_path / "matching.key")  # the worker's default there too
    cast = build_cast()
    by_owner: dict[str, list[dict[str, Any]]] = {}
    for country, entity in NetworkGenerator(Params(seed=11, entities=4000)).stream():
        if country in GROUPS:
            by_owner.setdefault(GROUPS[country], []).append(entity)
    for owner, entities in by_owner.items():
        user = getattr(cast, owner)
        collection = intel_actions.do_create_collection(user, name=f"{owner} network", handling_code="amber")
        job = import_file(user, collection, lines(entities))
        assert job.status == JobStatus.DONE, job.message
    # Each applied import queued its collection's matching; the worker does them.
    assert MatchingJob.objects.filter(status=JobStatus.QUEUED).count() == 3
    log = tmp_path / "worker.log"

    first = workers()

    def halfway() -> bool:
        return MatchingJob.objects.filter(status=JobStatus.RUNNING, subjects_matched__gt=0).exists()

    _wait_for(halfway, "a matching job halfway", log)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    killed = MatchingJob.objects.get(status=JobStatus.RUNNING)
    assert 0 < killed.subjects_matched < killed.progress_total, (
        killed.subjects_matched,
        killed.progress_total,
    )
    assert Subject.objects.filter(dirty=True).exists()

    # The dead worker's heartbeat goes stale; the next worker's watchdog queues the job again.
    MatchingJob.objects.filter(pk=killed.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=1))
    second = workers()
    _wait_for(
        lambda: not MatchingJob.objects.exclude(status=JobStatus.DONE).exists(),
        "matching to finish",
        log,
        300,
    )
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=30)

    killed.refresh_from_db()
    assert killed.attempts == 2
    resumed = _hits()
    assert resumed, "the synthetic network repeats people across countries"
    assert Hit.objects.count() == len(resumed)

    # An uninterrupted run over everything, in this process, finds exactly the same.
    Hit.objects.all().delete()
    MatchingJob.objects.create(kind="bulk")
    run_queued_jobs()
    assert _hits() == resumed

    # Nobody was told of one hit twice.
    told = Counter(
        Notification.objects.filter(content_type=ContentType.objects.get_for_model(Hit)).values_list(
            "recipient", "object_id"
        )
    )
    assert told and max(told.values()) == 1
