"""The search index: one `SearchDocument` per searchable record, kept up to date by signals.

A document copies the words to match (title, body) and the facets (kind, country, period)
but no rule about who may see it: the search asks `access.policy.visible_to` of the record's
own model every time, so a change of sharing takes effect at once without reindexing.

On PostgreSQL `search_vector` holds the weighted tsvector (GIN index); on SQLite the column
stays empty and an FTS5 table (`search_fts`, kept by triggers) does the matching.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from disrupt.access.choices import HandlingCode
from disrupt.search.choices import SearchKind


class SearchDocument(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")

    kind = models.CharField(max_length=16, choices=SearchKind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    handling_code = models.CharField(max_length=12, choices=HandlingCode.choices, blank=True)
    country = models.ForeignKey(
        "directory.Country", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    period = models.ForeignKey(
        "programme.PeriodOfAction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Filled on PostgreSQL only (see indexing.refresh_vectors); SQLite matches through FTS5.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="search_document_once"),
        ]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
