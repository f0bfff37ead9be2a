"""FilterSets for lists that have no page of their own (milestones, published figures).

The other lists use their app's FilterSet, the same one the page uses.
"""

from __future__ import annotations

import django_filters

from disrupt.programme.choices import MilestoneKind
from disrupt.programme.models import Milestone, PeriodOfAction
from disrupt.reports.models import Indicator, PublishedFigure


class MilestoneFilter(django_filters.FilterSet):
    period = django_filters.ModelChoiceFilter(
        queryset=PeriodOfAction.objects.all(), to_field_name="number", label="Period of action"
    )
    kind = django_filters.ChoiceFilter(choices=MilestoneKind.choices)
    done = django_filters.BooleanFilter(field_name="done_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Milestone
        fields = ["period", "kind", "done"]


class PublishedFigureFilter(django_filters.FilterSet):
    period = django_filters.ModelChoiceFilter(
        queryset=PeriodOfAction.objects.all(), to_field_name="number", label="Period of action"
    )
    indicator = django_filters.ModelChoiceFilter(queryset=Indicator.objects.all(), to_field_name="code")

    class Meta:
        model = PublishedFigure
        fields = ["period", "indicator"]
