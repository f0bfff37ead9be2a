"""One FilterSet per list, shared by the HTML pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from disrupt.directory.choices import AgencyKind, RoleCode, Standing
from disrupt.directory.models import Agency, Country, User


class CountryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Search")
    standing = django_filters.ChoiceFilter(
        choices=Standing.choices, field_name="standings__standing", distinct=True
    )

    class Meta:
        model = Country
        fields = ["q", "standing"]

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value) | Q(alpha3__iexact=value))


class AgencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Search")
    country = django_filters.ModelChoiceFilter(queryset=Country.objects.all(), to_field_name="code")
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices)

    class Meta:
        model = Agency
        fields = ["q", "country", "kind"]

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Search")
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all())
    role = django_filters.ChoiceFilter(choices=RoleCode.choices, field_name="roles__code", distinct=True)

    class Meta:
        model = User
        fields = ["q", "agency", "role"]

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(full_name__icontains=value) | Q(email__icontains=value))
