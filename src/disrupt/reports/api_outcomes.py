"""The outcomes of a cycle under /api/v1/outcomes/: totals per indicator with their qualifier and
provenance (the lines and reports they add up, or the published figure's sources).

The same rules as the pages: totals come from the lines the caller may see (reports/totals.py),
so two callers may get different totals for the same cycle, and neither learns of lines hidden
from them.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from disrupt.access import policy
from disrupt.api.schema import PolicyAutoSchema
from disrupt.history.models import Citation
from disrupt.programme.models import PeriodOfAction
from disrupt.reports.choices import Qualifier
from disrupt.reports.models import PublishedFigure
from disrupt.reports.quantities import Quantity
from disrupt.reports.totals import GROUP_BY, Total, breakdown, counted_lines, period_outcomes
from disrupt.reports.views.outcomes import provenance_query

# --- Serializers (they describe the answer in the OpenAPI document) -----------------------------------


class OutcomesQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    period = serializers.IntegerField(min_value=1, max_value=32767, help_text="The period's number.")
    group_by = serializers.ChoiceField(
        choices=GROUP_BY,
        required=False,
        help_text="Also give the reported totals per country, plan or crime type.",
    )


class AmountSerializer(serializers.Serializer):  # type: ignore[type-arg]
    currency = serializers.CharField(allow_blank=True, help_text="ISO 4217 for money; empty for a count.")
    qualifier = serializers.ChoiceField(choices=Qualifier.choices)
    value = serializers.IntegerField(allow_null=True, help_text="The number, the bound, or the known part.")
    wording = serializers.CharField(allow_blank=True, help_text='"over", "numerous"… empty when exact.')
    display = serializers.CharField(help_text='As the group writes it: "59", "over 70", "numerous".')


class ReportedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    display = serializers.CharField()
    amounts = AmountSerializer(many=True, help_text="One per currency; different currencies never add up.")
    line_ids = serializers.ListField(child=serializers.IntegerField(), help_text="The outcome lines added.")
    report_ids = serializers.ListField(child=serializers.IntegerField(), help_text="Their reports.")
    joint_figure_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="Joint figures among them, each counted once."
    )


class SourceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(help_text="The source document, e.g. seeds/003.")
    title = serializers.CharField()
    locator = serializers.CharField(help_text="Paragraph or section.")
    url = serializers.CharField()


class PublishedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    qualifier = serializers.ChoiceField(choices=Qualifier.choices)
    value = serializers.IntegerField(allow_null=True)
    wording = serializers.CharField(allow_blank=True, help_text="As published.")
    display = serializers.CharField()
    sources = SourceSerializer(many=True)


class IndicatorOutcomeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    indicator = serializers.CharField(help_text="The indicator's code.")
    name = serializers.CharField()
    display = serializers.CharField(
        help_text="The recorded outcome: the published figure if any, else the reported total."
    )
    reported = ReportedSerializer(allow_null=True)
    published = PublishedSerializer(allow_null=True)
    differs = serializers.BooleanField(help_text="Both exist and they do not say the same.")
    provenance_url = serializers.CharField(help_text="The page listing the lines and reports.")


class GroupTotalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    indicator = serializers.CharField()
    reported = ReportedSerializer()
    provenance_url = serializers.CharField()


class GroupSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(
        allow_null=True, help_text="Country code, plan id or crime type code; null: no plan / no crime type."
    )
    name = serializers.CharField(help_text="The country, plan or crime type as the pages name it.")
    totals = GroupTotalSerializer(many=True)


class OutcomesSerializer(serializers.Serializer):  # type: ignore[type-arg]
    period = serializers.IntegerField()
    group_by = serializers.CharField(allow_null=True)
    indicators = IndicatorOutcomeSerializer(many=True)
    groups = GroupSerializer(many=True, help_text="Empty unless group_by is given.")


# --- Building the answer -------------------------------------------------------------------------------


def _amount(currency: str, quantity: Quantity) -> dict[str, Any]:
    return {
        "currency": currency,
        "qualifier": quantity.qualifier.value,
        "value": quantity.value,
        "wording": quantity.wording,
        "display": quantity.display,
    }


def _reported(total: Total | None) -> dict[str, Any] | None:
    if total is None:
        return None
    return {
        "display": total.display,
        "amounts": [_amount(currency, q) for currency, q in sorted(total.amounts.items())],
        "line_ids": list(total.line_ids),
        "report_ids": list(total.report_ids),
        "joint_figure_ids": list(total.joint_ids),
    }


def _published(figure: PublishedFigure | None) -> dict[str, Any] | None:
    if figure is None:
        return None
    citations = Citation.objects.for_object(figure).select_related("source")
    return {
        "qualifier": figure.qualifier,
        "value": figure.value,
        "wording": figure.wording,
        "display": figure.display,
        "sources": [
            {
                "key": c.source.key,
                "title": c.source.title,
                "locator": c.locator,
                "url": reverse("history:source_detail", args=[c.source.key]),
            }
            for c in citations
        ],
    }


def outcomes_answer(user: Any, period: PeriodOfAction, group_by: str | None) -> dict[str, Any]:
    def provenance(code: str) -> str:
        return reverse("reports:indicator_provenance", args=[period.number, code])

    indicators = [
        {
            "indicator": o.indicator.code,
            "name": o.indicator.name,
            "display": o.recorded_display,
            "reported": _reported(o.reported),
            "published": _published(o.published),
            "differs": o.differs,
            "provenance_url": provenance(o.indicator.code),
        }
        for o in period_outcomes(user, period)
    ]
    groups = []
    if group_by:
        table = breakdown(counted_lines(user, period=period), group_by)
        for key, label in table.groups:
            q = provenance_query(group_by, key)
            totals = [
                {"indicator": i.code, "reported": _reported(t), "provenance_url": f"{provenance(i.code)}?{q}"}
                for i, t in table.totals[key].items()
            ]
            groups.append({"key": None if key is None else str(key), "name": label, "totals": totals})
    return {"period": period.number, "group_by": group_by or None, "indicators": indicators, "groups": groups}


class OutcomeViewSet(viewsets.ViewSet):
    """Outcomes of a cycle with provenance."""

    permission_classes = [IsAuthenticated]
    schema = PolicyAutoSchema()

    @extend_schema(
        summary="A period's outcomes: totals per indicator with qualifier and provenance",
        description=(
            "Totals of the country reports the caller may see (each report's standing version; a "
            "final report replaces the mid-term; joint figures counted once; currencies never added), "
            "beside the figures the group published, with their sources. `group_by` adds the totals "
            "per country, plan or crime type."
        ),
        parameters=[OutcomesQuerySerializer],
        responses={
            200: OutcomesSerializer,
            404: OpenApiResponse(description="No such period, or one you may not know exists."),
        },
    )
    def list(self, request: Request) -> Response:
        query = OutcomesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        periods = policy.visible_to(request.user, PeriodOfAction.objects.all())
        period = get_object_or_404(periods, number=query.validated_data["period"])
        answer = outcomes_answer(request.user, period, query.validated_data.get("group_by"))
        return Response(OutcomesSerializer(answer).data)
