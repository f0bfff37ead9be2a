"""Imports and analyses: long work done by the worker, with progress a person can watch.

Both keep their state in their own row, not only in django-tasks' queue: how far the job got
(committed with the work itself), when a worker last showed it was alive (`heartbeat_at`), and
how many times it was started. A worker that dies leaves the row RUNNING with a stale heartbeat;
`intel.jobs.requeue_stalled` queues it again and the job carries on from its last committed
step (docs/network-intelligence.md, "Jobs").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from disrupt.intel.choices import ImportFormat, JobStatus

# A running job writes its heartbeat at least this often; twice this without one, it is stalled.
HEARTBEAT_SECONDS = 15


class JobState(models.Model):
    """Abstract: status, progress and liveness of a background job."""

    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(default=0)
    stage = models.CharField(max_length=80, blank=True, help_text="What the job is doing now.")
    message = models.TextField(blank=True, help_text="Why it failed, or a closing remark.")
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.INVALID, JobStatus.FAILED}

    def is_stalled(self, now: dt.datetime | None = None) -> bool:
        if self.status != JobStatus.RUNNING or self.heartbeat_at is None:
            return False
        now = now or timezone.now()
        return now - self.heartbeat_at > dt.timedelta(seconds=2 * HEARTBEAT_SECONDS)


class ImportJob(JobState):
    """A file of entities to add to a collection, all of it or nothing."""

    collection = models.ForeignKey("intel.Collection", on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    format = models.CharField(max_length=8, choices=ImportFormat.choices, default=ImportFormat.FTM)
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=255, help_text="Under DATA_DIR/imports/.")
    size = models.PositiveBigIntegerField(default=0)
    mapping = models.JSONField(
        default=dict, blank=True, help_text="For CSV and XLSX: a FollowTheMoney mapping (query)."
    )
    # Progress committed with each batch: the job resumes after the last line written.
    lines_done = models.PositiveBigIntegerField(default=0)
    entities_written = models.PositiveBigIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{line, property, message}], first 200.")
    error_count = models.PositiveBigIntegerField(default=0)
    # Filled when the import is applied.
    entities_added = models.PositiveBigIntegerField(default=0)
    entities_replaced = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import of {self.original_name} into {self.collection}"

    def get_absolute_url(self) -> str:
        return reverse("intel:import_detail", args=[self.pk])

    @property
    def path(self) -> Path:
        return Path(settings.DATA_DIR) / "imports" / self.stored_name


class AnalysisRun(JobState):
    """A network analysis over what one person may see, for that person only.

    `collections` is the scope asked for (each visible to the requester when the run was asked
    for); the job reads their entities through the access policy again when it runs. The result
    is kept as JSON (`result`) and read back through the policy when shown.
    """

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    collections = models.ManyToManyField("intel.Collection", related_name="+")
    parameters = models.JSONField(default=dict, blank=True, help_text="Seed, resolution, filters.")
    result = models.JSONField(default=dict, blank=True)
    node_count = models.PositiveBigIntegerField(default=0)
    link_count = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Analysis {self.pk} for {self.requested_by}"

    def get_absolute_url(self) -> str:
        return reverse("intel:analysis_detail", args=[self.pk])

    def result_of(self, name: str) -> Any:
        return (self.result or {}).get(name)
