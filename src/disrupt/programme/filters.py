"""One FilterSet per list, shared by the HTML pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from disrupt.directory.models import Country
from disrupt.programme.choices import ActionStatus, MeetingKind, MeetingMode, PeriodStatus, PlanStatus
from disrupt.programme.models import ActionItem, CrimeType, Meeting, PeriodOfAction, Plan, Sector

MODES = [("air", "Air"), ("sea", "Sea"), ("land", "Land"), ("online", "Online")]
_MODE_FIELDS = {"air": "by_air", "sea": "by_sea", "land": "by_land", "online": "online"}


class PeriodFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PeriodStatus.choices)
    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_country",
        label="Participating country",
    )

    class Meta:
        model = PeriodOfAction
        fields = ["status", "country"]

    def filter_country(self, queryset: QuerySet[Any], name: str, value: Country) -> QuerySet[Any]:
        return queryset.filter(participants=value).distinct()


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Search")
    period = django_filters.ModelChoiceFilter(
        queryset=PeriodOfAction.objects.all(),
        to_field_name="number",
        field_name="periods",
        label="Period of action",
    )
    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_country",
        label="Country (lead or partner)",
    )
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)
    crime_type = django_filters.ModelChoiceFilter(
        queryset=CrimeType.objects.all(), to_field_name="code", field_name="crime_types", label="Crime type"
    )
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(), to_field_name="code", field_name="sectors"
    )
    mode = django_filters.ChoiceFilter(choices=MODES, method="filter_mode", label="Mode")

    class Meta:
        model = Plan
        fields = ["q", "period", "country", "status", "crime_type", "sector", "mode"]

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value) | Q(reference__icontains=value)
        )

    def filter_country(self, queryset: QuerySet[Any], name: str, value: Country) -> QuerySet[Any]:
        return queryset.filter(Q(lead_country=value) | Q(partner_countries=value)).distinct()

    def filter_mode(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(**{_MODE_FIELDS[value]: True})


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices)
    mode = django_filters.ChoiceFilter(choices=MeetingMode.choices)
    period = django_filters.ModelChoiceFilter(
        queryset=PeriodOfAction.objects.all(), to_field_name="number", label="Period of action"
    )
    year = django_filters.NumberFilter(
        field_name="starts_on", lookup_expr="year", min_value=1, max_value=9999
    )

    class Meta:
        model = Meeting
        fields = ["kind", "mode", "period", "year"]


class ActionItemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    meeting = django_filters.ModelChoiceFilter(queryset=Meeting.objects.all())

    class Meta:
        model = ActionItem
        fields = ["status", "meeting"]
