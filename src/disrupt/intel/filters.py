"""One FilterSet per list of network intelligence, for the HTML pages and the API alike.

Each filters a queryset the caller has already narrowed with `visible_to(user)`; choices that
name other records (collections, plans) are themselves limited to what the user may see.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from disrupt.access.choices import HandlingCode
from disrupt.intel.choices import JobStatus
from disrupt.intel.ftm import ftm_model
from disrupt.intel.models import AnalysisRun, Assessment, Collection, Entity
from disrupt.programme.models import Plan

MINE, SHARED = "mine", "shared"
HOLDERS = [(MINE, "Held by my agency"), (SHARED, "Shared with my agency")]


def schema_choices() -> list[tuple[str, str]]:
    """Every concrete FollowTheMoney schema, by its label."""
    schemata = [s for s in ftm_model().schemata.values() if not s.abstract]
    return sorted(((s.name, s.label) for s in schemata), key=lambda choice: choice[1])


def _user(request: Any) -> Any:
    return getattr(request, "user", None)


def _plans(request: Any) -> QuerySet[Plan]:
    user = _user(request)
    return Plan.objects.visible_to(user) if user is not None else Plan.objects.none()


def _collections(request: Any) -> QuerySet[Collection]:
    user = _user(request)
    return Collection.objects.visible_to(user) if user is not None else Collection.objects.none()


class CollectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Search")
    holder = django_filters.ChoiceFilter(
        choices=HOLDERS, method="filter_holder", label="Held by", empty_label="Any agency"
    )
    handling_code = django_filters.ChoiceFilter(
        choices=HandlingCode.choices, label="Handling", empty_label="Any code"
    )
    plan = django_filters.ModelChoiceFilter(
        queryset=_plans, field_name="plans", to_field_name="reference", label="Plan", empty_label="Any plan"
    )

    class Meta:
        model = Collection
        fields = ["q", "holder", "handling_code", "plan"]

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(name__icontains=value) | Q(summary__icontains=value))

    def filter_holder(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        agency_id = getattr(_user(self.request), "agency_id", None)
        if value == MINE:
            return queryset.filter(owner_agency=agency_id)
        return queryset.exclude(owner_agency=agency_id)


class EntityFilter(django_filters.FilterSet):
    """Entities of one collection (the page passes them) or of every visible collection (search)."""

    q = django_filters.CharFilter(method="filter_text", label="Name or id")
    schema = django_filters.ChoiceFilter(choices=schema_choices, label="Kind", empty_label="Any kind")
    country = django_filters.CharFilter(method="filter_country", label="Country code")
    collection = django_filters.ModelChoiceFilter(
        queryset=_collections, label="Collection", empty_label="Any collection"
    )

    class Meta:
        model = Entity
        fields = ["q", "schema", "country", "collection"]

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        return queryset.filter(Q(caption__icontains=value) | Q(ftm_id=value))

    def filter_country(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(country=value.strip().lower())


class AnalysisRunFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=JobStatus.choices, empty_label="Any status")

    class Meta:
        model = AnalysisRun
        fields = ["status"]


class AssessmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Search")
    handling_code = django_filters.ChoiceFilter(
        choices=HandlingCode.choices, label="Handling", empty_label="Any code"
    )
    plan = django_filters.ModelChoiceFilter(
        queryset=_plans, field_name="plans", to_field_name="reference", label="Plan", empty_label="Any plan"
    )

    class Meta:
        model = Assessment
        fields = ["q", "handling_code", "plan"]

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value) | Q(members__caption__icontains=value)
        ).distinct()
