"""Filters of the audit trail, for the page and its CSV export."""

from __future__ import annotations

import django_filters
from django import forms

from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry


class AuditEntryFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, empty_label="Any action")
    actor = django_filters.CharFilter(
        field_name="actor_label", lookup_expr="icontains", label="Actor's e-mail contains"
    )
    since = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__lte",
        label="Until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields = ["action", "actor", "since", "until"]
