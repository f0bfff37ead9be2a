"""Claiming, heartbeats and the watchdog (intel/jobs.py, intel/tasks.py): a job runs in one
worker at a time, a dead worker's job is taken up again, and one that never finishes is given up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from disrupt.conftest import Cast
from disrupt.intel import jobs, tasks
from disrupt.intel.choices import JobStatus
from disrupt.intel.models import AnalysisRun, ImportJob
from disrupt.intel.tests.importing import lines as ftm_lines
from disrupt.intel.tests.importing import make_collection, person, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(cast: Cast) -> ImportJob:
    return start(cast.investigator_id, make_collection(cast), ftm_lines([person("p1", "Ani Rahma")]))


def _stale(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=5))


def test_a_running_job_that_beats_is_not_taken_but_a_stalled_one_is(job: ImportJob) -> None:
    first = jobs.claim(ImportJob, job.pk)
    assert first is not None and first.status == JobStatus.RUNNING and first.attempts == 1
    assert jobs.claim(ImportJob, job.pk) is None  # alive in the first worker
    _stale(job)
    second = jobs.claim(ImportJob, job.pk)
    assert second is not None and second.attempts == 2


def test_a_finished_job_is_never_taken_again(job: ImportJob) -> None:
    claimed = jobs.claim(ImportJob, job.pk)
    assert claimed is not None
    jobs.finish(claimed, JobStatus.DONE)
    assert jobs.claim(ImportJob, job.pk) is None


def test_a_job_started_too_often_is_given_up_with_a_reason(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk).update(attempts=jobs.MAX_ATTEMPTS, status=JobStatus.RUNNING)
    _stale(job)
    assert jobs.claim(ImportJob, job.pk) is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert f"{jobs.MAX_ATTEMPTS} attempts" in job.message


def test_beat_writes_progress_and_the_heartbeat(job: ImportJob) -> None:
    claimed = jobs.claim(ImportJob, job.pk)
    assert claimed is not None
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(seconds=20))
    jobs.beat(claimed, stage="Reading", done=5, total=10)
    job.refresh_from_db()
    assert (job.stage, job.progress_done, job.progress_total, job.percent) == ("Reading", 5, 10, 50)
    assert timezone.now() - job.heartbeat_at < dt.timedelta(seconds=5)  # type: ignore[operator]


def test_the_heartbeat_thread_keeps_a_long_step_alive(reference_data: None, job: ImportJob) -> None:
    # reference_data brings a transactional database: the thread's own connection must see the job.
    claimed = jobs.claim(ImportJob, job.pk)
    assert claimed is not None
    _stale(job)
    with jobs.heartbeat(claimed, every=0.05):
        import time

        time.sleep(0.3)
    job.refresh_from_db()
    assert not job.is_stalled()


def test_the_watchdog_queues_stalled_jobs_again_and_its_own_successor_once(
    cast: Cast, job: ImportJob
) -> None:
    claimed = jobs.claim(ImportJob, job.pk)
    assert claimed is not None
    run = AnalysisRun.objects.create(requested_by=cast.analyst_au, status=JobStatus.RUNNING)
    AnalysisRun.objects.create(  # alive: its worker beats
        requested_by=cast.analyst_au, status=JobStatus.RUNNING, heartbeat_at=timezone.now()
    )
    AnalysisRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=5))
    _stale(job)
    queued = DBTaskResult.objects.filter(status="READY")
    before_imports = queued.filter(task_path=tasks.run_import.module_path).count()
    assert tasks.requeue_stalled_jobs.call() == 2
    assert queued.filter(task_path=tasks.run_import.module_path).count() == before_imports + 1
    analyses = queued.filter(task_path=tasks.run_analysis.module_path)
    assert [result.args_kwargs["args"] for result in analyses] == [[run.pk]]  # not the live one
    successors = queued.filter(task_path=tasks.requeue_stalled_jobs.module_path)
    assert successors.count() == 1
    tasks.requeue_stalled_jobs.call()
    assert successors.count() == 1  # a watchdog already waits: no second one
    tasks.ensure_watchdog_queued()
    assert successors.count() == 1
