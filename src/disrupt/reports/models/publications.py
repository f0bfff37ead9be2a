"""Texts the group publishes: generated from its data, edited, approved by the co-chairs.

Each edit is a new `PublicationVersion`; an approved version never changes, so the text
that was released is always the one on file.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from disrupt.reports.choices import PublicationKind, PublicationStatus


class PublicationIsLocked(ValidationError):
    """Raised on any attempt to change the text of a version once it exists."""


# What may still change on a version: only its place in the workflow.
WORKFLOW_FIELDS = frozenset({"status", "approved_by", "approved_at"})
ALLOWED_MOVES = {
    (PublicationStatus.DRAFT, PublicationStatus.APPROVED),
    (PublicationStatus.APPROVED, PublicationStatus.SUPERSEDED),
}


class Publication(models.Model):
    """One text of a cycle: its outcome summary, a co-chairs' statement, a media release."""

    period = models.ForeignKey(
        "programme.PeriodOfAction", on_delete=models.PROTECT, related_name="publications"
    )
    kind = models.CharField(max_length=24, choices=PublicationKind.choices)
    meeting = models.ForeignKey(
        "programme.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
        help_text="For a co-chairs' statement: the workshop it reports.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("reports:publication_detail", args=[self.pk])

    @property
    def current(self) -> PublicationVersion | None:
        return self.versions.order_by("-number").first()

    @property
    def approved(self) -> PublicationVersion | None:
        return self.versions.filter(status=PublicationStatus.APPROVED).order_by("-number").first()


class PublicationVersion(models.Model):
    """One version of a text; the approved one is what the group released."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=12, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    title = models.CharField(max_length=250)
    body = models.TextField(
        help_text="Paragraphs separated by blank lines; lines starting with • are bullets, "
        "lines starting with ## are headings."
    )
    figures = models.JSONField(
        default=dict,
        blank=True,
        help_text="The figures a generated version was made from: indicator code -> as shown.",
    )
    change_summary = models.CharField(max_length=250, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["publication", "number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="publication_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.publication}, version {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A version's text never changes once written: an edit is a new version. Only the
        # workflow (reports/publishing.py) moves it on, naming the fields in `update_fields`.
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            fields = kwargs.get("update_fields")
            if stored is not None:
                if fields is None or not set(fields) <= WORKFLOW_FIELDS:
                    raise PublicationIsLocked(f"{self} is on file as written; an edit is a new version.")
                if stored != self.status and (stored, self.status) not in ALLOWED_MOVES:
                    raise PublicationIsLocked(f"{self} cannot go from {stored} to {self.status}.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reports:publication_version", args=[self.publication_id, self.number])

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored not in (None, PublicationStatus.DRAFT):
            raise PublicationIsLocked(f"{self} was approved for release and stays on file.")
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == PublicationStatus.DRAFT

    @property
    def is_released(self) -> bool:
        """Approved now, or approved before and since superseded: either way, it went out."""
        return self.status in (PublicationStatus.APPROVED, PublicationStatus.SUPERSEDED)
