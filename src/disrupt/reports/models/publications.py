"""Texts the group publishes: generated from its data, edited, approved by the co-chairs.

Each edit is a new `PublicationVersion`; an approved version never changes, so the text
that was released is always the one on file.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from disrupt.reports.choices import PublicationKind, PublicationStatus


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
        help_text="Paragraphs separated by blank lines; lines starting with • are bullets."
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
