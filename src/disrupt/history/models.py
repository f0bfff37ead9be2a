"""The public record: which document says what, and where the documents disagree."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Source(models.Model):
    """A document of the group's public record, e.g. a co-chairs' statement."""

    key = models.CharField(max_length=40, unique=True, help_text="Stable key, e.g. seeds/000.")
    title = models.CharField(max_length=300)
    issued_by = models.CharField(max_length=200, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=60, blank=True, help_text="Statement, web page, outcome statement…")

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title


class CitationQuerySet(models.QuerySet["Citation"]):
    def for_object(self, obj: models.Model) -> CitationQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("source")


class Citation(models.Model):
    """A source's support for a fact of a record, optionally with the reading it gives.

    `field` names the fact ("" for the record as a whole). Where two citations of the same
    field give different readings, the sources conflict: both are kept and shown.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=60, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    locator = models.CharField(max_length=120, help_text="Paragraph or section, e.g. §4 or note 1.")
    reading = models.CharField(
        max_length=300, blank=True, help_text="What this source says of the field, as displayed."
    )
    is_adopted = models.BooleanField(
        default=True, help_text="Whether the record carries this reading; the others are alternatives."
    )

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["field", "-is_adopted", "source__key", "locator"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "source", "locator"], name="citation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source.key} {self.locator}"


def conflicts_for(obj: models.Model) -> dict[str, list[Citation]]:
    """Fields of `obj` on which its sources give more than one reading, with every reading."""
    by_field: dict[str, list[Citation]] = {}
    for citation in Citation.objects.for_object(obj).exclude(reading=""):
        by_field.setdefault(citation.field, []).append(citation)
    return {
        field: citations for field, citations in by_field.items() if len({c.reading for c in citations}) > 1
    }


def citations_by_field(obj: models.Model) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for citation in Citation.objects.for_object(obj):
        grouped.setdefault(citation.field, []).append(citation)
    return grouped
