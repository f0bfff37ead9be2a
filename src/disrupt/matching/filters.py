"""One FilterSet for the hits page and the hits API (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from disrupt.matching.choices import DisclosureStatus, SelectorKind, Verdict
from disrupt.matching.models import DisclosureRequest, Hit, Judgement
from disrupt.programme.models import Plan

VERDICT_CHOICES = [*Verdict.choices, ("none", "Not yet judged")]


class HitFilterSet(django_filters.FilterSet):
    """Filters the hits a user may see (the queryset comes from the policy already)."""

    plan = django_filters.ModelChoiceFilter(queryset=Plan.objects.all(), method="filter_plan", label="Plan")
    kind = django_filters.ChoiceFilter(
        choices=SelectorKind.choices, label="What matched", empty_label="Anything"
    )
    min_score = django_filters.NumberFilter(field_name="score", lookup_expr="gte", label="Score at least")
    verdict = django_filters.ChoiceFilter(
        choices=VERDICT_CHOICES, method="filter_verdict", label="My verdict", empty_label="Any verdict"
    )
    disclosure = django_filters.ChoiceFilter(
        choices=DisclosureStatus.choices,
        method="filter_disclosure",
        label="Disclosure",
        empty_label="Asked or not",
    )
    current = django_filters.BooleanFilter(field_name="current", label="Still matching")

    class Meta:
        model = Hit
        fields = ["plan", "kind", "min_score", "verdict", "disclosure", "current"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None:
            from disrupt.access.policy import visible_to

            self.filters["plan"].queryset = visible_to(user, Plan.objects.all())  # type: ignore[attr-defined]

    def _agency(self) -> int | None:
        return getattr(self.user, "agency_id", None)

    def filter_plan(self, queryset: QuerySet[Hit], name: str, value: Plan | None) -> QuerySet[Hit]:
        if value is None:
            return queryset
        # A hit belongs to a plan when my side's collection or upload is tied to it.
        agency = self._agency()
        mine_a = Q(subject_a__owner_agency=agency) & (
            Q(subject_a__collection__plans=value) | Q(subject_a__upload__plans=value)
        )
        mine_b = Q(subject_b__owner_agency=agency) & (
            Q(subject_b__collection__plans=value) | Q(subject_b__upload__plans=value)
        )
        return queryset.filter(pk__in=Hit.objects.filter(mine_a | mine_b).values("pk"))

    def filter_verdict(self, queryset: QuerySet[Hit], name: str, value: str) -> QuerySet[Hit]:
        if not value:
            return queryset
        mine = Judgement.objects.filter(hit=OuterRef("pk"), agency=self._agency())
        if value == "none":
            return queryset.filter(~Exists(mine))
        return queryset.filter(Exists(mine.filter(verdict=value)))

    def filter_disclosure(self, queryset: QuerySet[Hit], name: str, value: str) -> QuerySet[Hit]:
        if not value:
            return queryset
        asked = DisclosureRequest.objects.filter(hit=OuterRef("pk"), status=value).filter(
            Q(requesting_agency=self._agency()) | Q(owner_agency=self._agency())
        )
        return queryset.filter(Exists(asked))
