"""Syndicate assessments: an analyst's written judgement of a candidate syndicate.

An assessment is an operational record of its author's agency: it draws on entities that
agency may read, so it carries its own handling code and sharing (at least that of the most
restricted collection it draws on is the analyst's call, and the form starts from it).
Members keep their FtM id and caption as they were when written, so the document stays whole
if an entity is later edited or deleted.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from disrupt.access.models import OperationalRecord


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user: Any) -> AssessmentQuerySet:
        from disrupt.access.policy import visible_to

        return visible_to(user, self)  # type: ignore[return-value]


class Assessment(OperationalRecord):
    title = models.CharField(max_length=250)
    analysis = models.ForeignKey(
        "intel.AnalysisRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="assessments"
    )
    community = models.IntegerField(null=True, blank=True, help_text="The analysis community it began from.")
    summary = models.TextField(blank=True)
    modus_operandi = models.TextField(blank=True)
    financial_network = models.TextField(blank=True)
    routes = models.TextField(blank=True, help_text="Origin, transit and destination, by air, sea or land.")
    countries = models.ManyToManyField("directory.Country", blank=True, related_name="+")
    plans = models.ManyToManyField("programme.Plan", blank=True, related_name="assessments")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("intel:assessment_detail", args=[self.pk])


class AssessmentMember(models.Model):
    """A member of the assessed syndicate and the role the analyst gives them."""

    access_parent: ClassVar[str] = "assessment"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="members")
    entity = models.ForeignKey(
        "intel.Entity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ftm_id = models.CharField(max_length=200)
    caption = models.CharField(max_length=500)
    schema = models.CharField(max_length=64)
    country = models.CharField(max_length=8, blank=True)
    role = models.CharField(max_length=120, blank=True, help_text="Organiser, recruiter, money handler…")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["assessment", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.caption} ({self.role or self.schema})"
