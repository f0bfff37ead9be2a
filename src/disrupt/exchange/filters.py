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
OVERDUE = [("true", "Overdue only"), ("false", "Not overdue")]


def _plans(request: Any) -> QuerySet[Plan]:
    user = getattr(request, "user", None)
    return Plan.objects.visible_to(user) if user is not None else Plan.objects.none()


class EnquiryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Search")
    direction = django_filters.ChoiceFilter(
        choices=DIRECTIONS, method="filter_direction", label="Direction", empty_label="Both"
    )
    status = django_filters.ChoiceFilter(choices=EnquiryStatus.choices, empty_label="Any status")
    kind = django_filters.ChoiceFilter(choices=EnquiryKind.choices, empty_label="Any kind")
    overdue = django_filters.ChoiceFilter(
        choices=OVERDUE, method="filter_overdue", label="Overdue", empty_label="Either"
    )
    plan = django_filters.ModelChoiceFilter(
        queryset=_plans, to_field_name="reference", label="Plan", empty_label="Any plan"
    )

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

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # Overdue: open and past the date a reply was wanted by.
        overdue = Q(status=EnquiryStatus.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value == "true" else queryset.exclude(overdue)
