"""Matching jobs: index and match one collection or upload, everything on demand, or re-index.

State lives in the row (intel.models.jobs.JobState): progress, heartbeat, attempts. Indexing
commits `cursor` (the last entity or record done) with each batch; matching clears each
subject's `dirty` flag in the transaction that writes its hits. A job killed halfway carries on
where it stopped, and the hits' unique constraint means nothing is found twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from disrupt.intel.models.jobs import JobState
from disrupt.matching.choices import JobKind


class MatchingJob(JobState):
    kind = models.CharField(max_length=12, choices=JobKind.choices)
    collection = models.ForeignKey(
        "intel.Collection", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    upload = models.ForeignKey(
        "matching.SelectorUpload", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cursor = models.BigIntegerField(default=0, help_text="Indexing got past this entity (or record).")
    subjects_indexed = models.PositiveBigIntegerField(default=0)
    subjects_matched = models.PositiveBigIntegerField(default=0)
    hits_new = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Matching job {self.pk} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("matching:job_detail", args=[self.pk])
