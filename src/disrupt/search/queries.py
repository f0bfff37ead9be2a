"""The search a person may run: only documents whose record they may see, with facets.

Every count here is a database aggregate over documents already filtered through
`access.policy.visible_to`, so a record one may not see changes no number one is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet

from disrupt.access import policy
from disrupt.search import backends
from disrupt.search.choices import SearchKind
from disrupt.search.indexing import source_models
from disrupt.search.models import SearchDocument

FACETS = ("kind", "country", "period")


def visible_documents(user: Any) -> QuerySet[SearchDocument]:
    """The documents of records `user` may see: one subquery per kind of record."""
    rule = Q(pk__in=[])
    for model in source_models():
        visible = policy.visible_to(user, model._default_manager.all()).values("pk")
        content_type = ContentType.objects.get_for_model(model)
        rule |= Q(content_type=content_type, object_id__in=visible)
    return SearchDocument.objects.filter(rule)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResults:
    words: list[str]
    documents: QuerySet[SearchDocument]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


def _selected(filters: dict[str, str], name: str) -> Q:
    value = filters.get(name, "")
    if not value:
        return Q()
    if name == "kind":
        return Q(kind=value)
    return Q(**{f"{name}_id": int(value)}) if value.isdigit() else Q(pk__in=[])


def _facet(matching: QuerySet[SearchDocument], name: str, filters: dict[str, str]) -> list[FacetValue]:
    """Counts of one facet, with the other facets' choices applied (so a choice can be changed)."""
    narrowed = matching
    for other in FACETS:
        if other != name:
            narrowed = narrowed.filter(_selected(filters, other))
    chosen = filters.get(name, "")
    if name == "kind":
        rows = narrowed.order_by().values("kind").annotate(n=Count("pk"))
        labels = dict(SearchKind.choices)
        return sorted(
            (
                FacetValue(r["kind"], str(labels.get(r["kind"], r["kind"])), r["n"], r["kind"] == chosen)
                for r in rows
            ),
            key=lambda f: (-f.count, f.label),
        )
    label_field = "country__name" if name == "country" else "period__number"
    rows = (
        narrowed.filter(**{f"{name}__isnull": False})
        .order_by()
        .values(name, label_field)
        .annotate(n=Count("pk"))
    )
    values = [
        FacetValue(
            str(r[name]),
            str(r[label_field]) if name == "country" else f"Period {r[label_field]}",
            r["n"],
            str(r[name]) == chosen,
        )
        for r in rows
    ]
    return sorted(values, key=lambda f: (-f.count, f.label))


def search(user: Any, text: str, filters: dict[str, str] | None = None) -> SearchResults:
    filters = {name: (filters or {}).get(name, "") for name in FACETS}
    words = backends.words_of(text)
    if not words:
        return SearchResults(words=[], documents=SearchDocument.objects.none())
    matching = backends.match(visible_documents(user), words)
    documents = matching
    for name in FACETS:
        documents = documents.filter(_selected(filters, name))
    documents = documents.select_related("country", "period").order_by(F("score").desc(), "title", "pk")
    facets = {name: _facet(matching, name, filters) for name in FACETS}
    return SearchResults(words=words, documents=documents, facets=facets)
