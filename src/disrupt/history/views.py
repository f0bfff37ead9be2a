"""Pages of the public record: the sources, what each supports, and where they disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from disrupt.access.policy import visible_to
from disrupt.history.models import Citation, Source


@dataclass
class RecordFacts:
    """One record and the citations of it shown on a page."""

    record: Model
    citations: list[Citation] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return str(self.record._meta.verbose_name).capitalize()

    @property
    def url(self) -> str:
        getter = getattr(self.record, "get_absolute_url", None)
        return str(getter()) if callable(getter) else ""


def field_label(record: Model, name: str) -> str:
    if not name:
        return "the record"
    try:
        model_field = record._meta.get_field(name)
    except FieldDoesNotExist:
        return name.replace("_", " ")
    return str(getattr(model_field, "verbose_name", name.replace("_", " ")))


def _group_by_record(request: HttpRequest, citations: list[Citation]) -> list[RecordFacts]:
    """Citations grouped by the record they support, keeping only records the user may see."""
    ids_by_type: dict[int, set[int]] = {}
    for citation in citations:
        ids_by_type.setdefault(citation.content_type_id, set()).add(citation.object_id)
    records: dict[tuple[int, int], Model] = {}
    for type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for record in visible_to(request.user, model._default_manager.filter(pk__in=ids)):
            records[(type_id, record.pk)] = record
    grouped: dict[tuple[int, int], RecordFacts] = {}
    for citation in citations:
        key = (citation.content_type_id, citation.object_id)
        if key in records:
            citation.field_label = field_label(records[key], citation.field)  # type: ignore[attr-defined]
            grouped.setdefault(key, RecordFacts(records[key])).citations.append(citation)
    return sorted(grouped.values(), key=lambda facts: (facts.kind, str(facts.record)))


@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    sources = Source.objects.annotate(citation_count=Count("citations"))
    return render(request, "history/source_list.html", {"sources": sources})


@login_required
def source_detail(request: HttpRequest, key: str) -> HttpResponse:
    source = get_object_or_404(Source, key=key.strip("/"))
    citations = list(source.citations.select_related("source", "content_type"))
    kinds: dict[str, list[dict[str, Any]]] = {}
    for facts in _group_by_record(request, citations):
        # One line per field, with every place in the source that supports it.
        lines: dict[str, dict[str, Any]] = {}
        for c in facts.citations:
            line = lines.setdefault(c.field, {"label": c.field_label, "locators": [], "readings": []})  # type: ignore[attr-defined]
            line["locators"].append(c.locator)
            if c.reading and (c.reading, c.is_adopted) not in line["readings"]:
                line["readings"].append((c.reading, c.is_adopted))
        kinds.setdefault(facts.kind, []).append({"facts": facts, "lines": list(lines.values())})
    return render(request, "history/source_detail.html", {"source": source, "kinds": kinds})


def conflicting_citations() -> list[Citation]:
    """Citations of every field on which the sources give more than one reading."""
    citations = Citation.objects.exclude(reading="").select_related("source", "content_type")
    by_field: dict[tuple[int, int, str], list[Citation]] = {}
    for citation in citations:
        key = (citation.content_type_id, citation.object_id, citation.field)
        by_field.setdefault(key, []).append(citation)
    result: list[Citation] = []
    for group in by_field.values():
        if len({c.reading for c in group}) > 1:
            result.extend(sorted(group, key=lambda c: (not c.is_adopted, c.source.key, c.locator)))
    return result


@login_required
def conflicts(request: HttpRequest) -> HttpResponse:
    records = _group_by_record(request, conflicting_citations())
    conflicts_by_record: list[dict[str, Any]] = []
    for facts in records:
        fields: dict[str, list[Citation]] = {}
        for citation in facts.citations:
            fields.setdefault(citation.field, []).append(citation)
        conflicts_by_record.append(
            {
                "facts": facts,
                "fields": [
                    {"label": field_label(facts.record, name), "readings": readings}
                    for name, readings in fields.items()
                ],
            }
        )
    return render(request, "history/conflicts.html", {"conflicts": conflicts_by_record})
