"""The worker's side of network intelligence: imports and analyses (see intel/jobs.py).

Each task only claims its job and hands it to the module that does the work; a job that is
already finished, or alive in another worker, is left alone, so a task queued twice is harmless.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult


@task()
def run_import(job_id: int) -> None:
    from disrupt.intel.imports import run_import_job
    from disrupt.intel.jobs import claim
    from disrupt.intel.models import ImportJob

    job = claim(ImportJob, job_id)
    if job is not None:
        run_import_job(job)


@task()
def run_analysis(run_id: int) -> None:
    from disrupt.intel.analysis_runs import run_analysis_job
    from disrupt.intel.jobs import claim
    from disrupt.intel.models import AnalysisRun

    run = claim(AnalysisRun, run_id)
    if run is not None:
        run_analysis_job(run)


# --- The watchdog: a job whose worker died is queued again ---------------------------------------
# django-tasks has no scheduler, so the watchdog queues its own successor, as the reminder sweep
# does (reports/tasks.py); every long-running worker makes sure one is queued when it starts.

WATCHDOG_SECONDS = 60


def _watchdogs() -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.filter(task_path=requeue_stalled_jobs.module_path, status="READY")


def ensure_watchdog_queued() -> None:
    if not _watchdogs().exists():
        requeue_stalled_jobs.enqueue()


@task()
def requeue_stalled_jobs() -> int:
    from disrupt.intel.jobs import requeue_stalled

    if not _watchdogs().filter(run_after__gt=timezone.now()).exists():
        later = timezone.now() + dt.timedelta(seconds=WATCHDOG_SECONDS)
        requeue_stalled_jobs.using(run_after=later).enqueue()
    return requeue_stalled()
