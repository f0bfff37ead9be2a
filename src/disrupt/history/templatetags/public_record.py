"""Template tags that show where a record's facts come from, and where the sources disagree.

{% load public_record %}
{% sources_for period %}              every citation of the record
{% sources_for period "starts_on" %}  the citations of one field, with a conflict note
{% conflict_note period "starts_on" %}  only the conflict note, or nothing
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from disrupt.history.models import Citation

register = template.Library()


def _citations(obj: Any, field: str | None) -> list[Citation]:
    if not isinstance(obj, models.Model) or obj.pk is None:
        return []
    citations = Citation.objects.for_object(obj)
    if field is not None:
        citations = citations.filter(field=field)
    return list(citations)


def _readings(citations: list[Citation]) -> list[Citation]:
    """The citations of one field that give a reading, adopted first, when they differ."""
    with_reading = [c for c in citations if c.reading]
    if len({c.reading for c in with_reading}) < 2:
        return []
    return sorted(with_reading, key=lambda c: (not c.is_adopted, c.source.key, c.locator))


def _conflicts(citations: list[Citation]) -> dict[str, list[Citation]]:
    by_field: dict[str, list[Citation]] = {}
    for citation in citations:
        by_field.setdefault(citation.field, []).append(citation)
    conflicts = {name: _readings(group) for name, group in by_field.items()}
    return {name: readings for name, readings in conflicts.items() if readings}


@register.inclusion_tag("history/includes/sources_for.html")
def sources_for(obj: Any, field: str | None = None) -> dict[str, Any]:
    citations = _citations(obj, field)
    # One link per source and locator, however many fields it supports.
    seen: set[tuple[str, str]] = set()
    unique: list[Citation] = []
    for citation in citations:
        if (citation.source.key, citation.locator) not in seen:
            seen.add((citation.source.key, citation.locator))
            unique.append(citation)
    conflicts = _conflicts(citations) if field is not None else {}
    return {"citations": unique, "readings": conflicts.get(field or "", [])}


@register.inclusion_tag("history/includes/conflict_note.html")
def conflict_note(obj: Any, field: str) -> dict[str, Any]:
    return {"readings": _readings(_citations(obj, field))}
