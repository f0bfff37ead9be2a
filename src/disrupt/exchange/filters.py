"""One FilterSet for the enquiry list page and the API list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from disrupt.exchange.choices import EnquiryKind, EnquiryStatus
from disrupt.exchange.models import Enquiry
from disrupt.programme.models import Plan

SENT, RECEIVED = "sent", "received"
DIRECTIONS = [(RECEIVED, "Received by my agency"), (SENT, "Sent by my agency")]


def _plans(request: Any) -> QuerySet[Plan]:
    user = getattr(request, "user", None)
    return Plan.objects.visible_to(user) if user is not None else Plan.objects.none()


class EnquiryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Search")
    direction = django_filters.ChoiceFilter(choices=DIRECTIONS, method="filter_direction", label="Direction")
    status = django_filters.ChoiceFilter(choices=EnquiryStatus.choices)
    kind = django_filters.ChoiceFilter(choices=EnquiryKind.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue")
    plan = django_filters.ModelChoiceFilter(queryset=_plans, to_field_name="reference", label="Plan")

    class Meta:
        model = Enquiry
        fields = ["q", "direction", "status", "kind", "overdue", "plan"]

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(subject__icontains=value) | Q(reference__icontains=value))

    def filter_direction(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        agency_id = getattr(getattr(self.request, "user", None), "agency_id", None)
        if value == SENT:
            return queryset.filter(owner_agency=agency_id)
        return queryset.filter(pk__in=Enquiry.objects.filter(recipients=agency_id).values("pk"))

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        overdue = Q(status=EnquiryStatus.OPEN, due_on__lt=timezone.localdate())
        if value is None:
            return queryset
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
