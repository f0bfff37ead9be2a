"""Claiming, beating and requeueing the intel jobs (imports and analyses).

A job's own row says how far it got. `claim` moves a queued or stalled job to RUNNING under a
row lock, so two workers never run it at once; `beat` writes the heartbeat (and progress) while
it runs; `requeue_stalled` queues again every job whose worker stopped beating (it died, or the
machine restarted), and the job carries on from its last committed step.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connection, transaction
from django.utils import timezone

from disrupt.intel.choices import JobStatus
from disrupt.intel.models import AnalysisRun, ImportJob, JobState
from disrupt.intel.models.jobs import HEARTBEAT_SECONDS

logger = logging.getLogger(__name__)

Job = TypeVar("Job", bound=JobState)

# A job started this many times without finishing is given up (its data is the cause, not a worker).
MAX_ATTEMPTS = 5


def claim(model: type[Job], pk: int) -> Job | None:
    """Take the job for this worker, or None when it is finished or alive in another worker."""
    with transaction.atomic():
        job = model._default_manager.select_for_update().filter(pk=pk).first()  # type: ignore[attr-defined]
        if job is None or job.is_finished:
            return None
        if job.status == JobStatus.RUNNING and not job.is_stalled():
            return None
        if job.attempts >= MAX_ATTEMPTS:
            job.status = JobStatus.FAILED
            job.message = f"Stopped after {job.attempts} attempts that did not finish."
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "message", "finished_at"])
            return None
        now = timezone.now()
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or now
        job.heartbeat_at = now
        job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at"])
        return job  # type: ignore[no-any-return]


def beat(job: JobState, stage: str | None = None, done: int | None = None, total: int | None = None) -> None:
    """Write the heartbeat and progress (in the caller's transaction, if it has one)."""
    fields = ["heartbeat_at"]
    job.heartbeat_at = timezone.now()
    if stage is not None:
        job.stage = stage
        fields.append("stage")
    if done is not None:
        job.progress_done = done
        fields.append("progress_done")
    if total is not None:
        job.progress_total = total
        fields.append("progress_total")
    type(job)._default_manager.filter(pk=job.pk).update(**{name: getattr(job, name) for name in fields})


@contextmanager
def heartbeat(job: JobState, every: float = HEARTBEAT_SECONDS) -> Iterator[None]:
    """Beat from a thread of its own while the body runs, so that a long step (one igraph call
    can take a minute at a million entities) never looks like a dead worker."""
    stop = threading.Event()
    model, pk = type(job), job.pk

    def run() -> None:
        try:
            while not stop.wait(every):
                model._default_manager.filter(pk=pk, status=JobStatus.RUNNING).update(  # type: ignore[attr-defined]
                    heartbeat_at=timezone.now()
                )
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run, name=f"heartbeat-{model.__name__}-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def finish(job: JobState, status: str, message: str = "", **fields: Any) -> None:
    job.status = status
    job.message = message
    job.finished_at = timezone.now()
    job.stage = ""
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", "message", "finished_at", "stage", *fields])


def stalled(model: type[JobState], now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=2 * HEARTBEAT_SECONDS)
    manager = model._default_manager  # type: ignore[attr-defined]
    rows = manager.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff)
    return list(rows.values_list("pk", flat=True))


def requeue_stalled() -> int:
    """Queue again the imports, analyses and matching jobs whose worker died; called when a worker
    starts and by the watchdog."""
    from disrupt.intel import tasks

    count = 0
    for pk in stalled(ImportJob):
        tasks.run_import.enqueue(pk)
        count += 1
    for pk in stalled(AnalysisRun):
        tasks.run_analysis.enqueue(pk)
        count += 1
    from disrupt.matching.tasks import requeue_stalled as requeue_matching

    count += requeue_matching()
    if count:
        logger.info("requeued %d stalled jobs", count)
    return count
