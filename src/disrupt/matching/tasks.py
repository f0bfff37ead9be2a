"""The worker's side of matching: run a job, requeue stalled ones, escalate overdue requests."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult


@task()
def run_matching(job_id: int) -> None:
    from disrupt.intel.jobs import claim
    from disrupt.matching.models import MatchingJob
    from disrupt.matching.runs import run_matching_job

    job = claim(MatchingJob, job_id)
    if job is not None:
        run_matching_job(job)


def requeue_stalled() -> int:
    """Queue again the matching jobs whose worker died (called by intel's watchdog)."""
    from disrupt.intel.jobs import stalled
    from disrupt.matching.models import MatchingJob

    count = 0
    for pk in stalled(MatchingJob):
        run_matching.enqueue(pk)
        count += 1
    return count


# --- The disclosure sweep: overdue requests go to the owner's focal points ------------------------

SWEEP_SECONDS = 300


def _sweeps() -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.filter(task_path=escalate_overdue_requests.module_path, status="READY")


def ensure_sweep_queued() -> None:
    if not _sweeps().exists():
        escalate_overdue_requests.enqueue()


@task()
def escalate_overdue_requests() -> int:
    from disrupt.matching.actions import escalate_overdue

    if not _sweeps().filter(run_after__gt=timezone.now()).exists():
        later = timezone.now() + dt.timedelta(seconds=SWEEP_SECONDS)
        escalate_overdue_requests.using(run_after=later).enqueue()
    return escalate_overdue()
