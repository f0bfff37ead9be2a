"""One FilterSet per list, shared by the HTML pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import OuterRef, QuerySet, Subquery

from disrupt.directory.models import Country
from disrupt.programme.models import PeriodOfAction
from disrupt.reports.choices import ReportKind, VersionStatus
from disrupt.reports.models import OutcomeLine, Report, ReportVersion


def with_current(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Reports annotated with their newest version's number and status (one query for a list)."""
    newest = ReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number")
    return reports.annotate(
        current_number=Subquery(newest.values("number")[:1]),
        current_status=Subquery(newest.values("status")[:1]),
    )


class ReportFilter(django_filters.FilterSet):
    period = django_filters.ModelChoiceFilter(
        queryset=PeriodOfAction.objects.all(), to_field_name="number", label="Period of action"
    )
    country = django_filters.ModelChoiceFilter(queryset=Country.objects.all(), to_field_name="code")
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, label="Report")
    status = django_filters.ChoiceFilter(
        choices=VersionStatus.choices, method="filter_status", label="Newest version"
    )

    class Meta:
        model = Report
        fields = ["period", "country", "kind", "status"]

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return with_current(queryset).filter(current_status=value)  # type: ignore[misc]


class OutcomeLineFilter(django_filters.FilterSet):
    period = django_filters.NumberFilter(field_name="version__report__period__number", label="Period number")
    country = django_filters.CharFilter(field_name="version__report__country__code", label="Country code")
    # By reference, not a choice list: a list of plans would name plans the user may not see.
    plan = django_filters.CharFilter(field_name="plan__reference", label="Plan reference")
    general = django_filters.BooleanFilter(
        field_name="plan", lookup_expr="isnull", label="General activity (no plan)"
    )
    indicator = django_filters.CharFilter(field_name="indicator__code", label="Indicator code")
    report = django_filters.NumberFilter(field_name="version__report", label="Report id")
    kind = django_filters.ChoiceFilter(field_name="version__report__kind", choices=ReportKind.choices)

    class Meta:
        model = OutcomeLine
        fields = ["period", "country", "plan", "general", "indicator", "report", "kind"]
