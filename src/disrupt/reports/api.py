"""Country reports in the REST API: reports, their versions with lines, lines, joint figures.

Every queryset starts from `policy.visible_to`, so a report, version or line the user may not
know exists is a 404 and never appears in a list. A plan's partners see the lines about that
plan (outcome-lines), not the report they belong to. Writes go through reports/actions.py:
submit (the reporting country's focal point), accept and return (secretariat, co-chairs).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from disrupt.access import policy
from disrupt.api.views import ReadViewSet, model_rules
from disrupt.reports import actions
from disrupt.reports.filters import OutcomeLineFilter, ReportFilter, with_current
from disrupt.reports.joint import JointState, reconcile
from disrupt.reports.models import JointFigure, OutcomeLine, Report, ReportVersion

# --- Serializers ------------------------------------------------------------------------------------


class LineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    plan = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="reference", read_only=True, allow_null=True, help_text="Null for general activity."
    )
    display = serializers.CharField(
        read_only=True, help_text='As the group writes it: "59", "over 70", "numerous".'
    )
    report = serializers.IntegerField(source="version.report_id", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    version_status = serializers.CharField(source="version.status", read_only=True)
    period = serializers.IntegerField(source="version.report.period.number", read_only=True)
    country = serializers.CharField(source="version.report.country.code", read_only=True)
    kind = serializers.CharField(source="version.report.kind", read_only=True)

    class Meta:
        model = OutcomeLine
        fields = [
            "id",
            "report",
            "version",
            "version_status",
            "period",
            "country",
            "kind",
            "indicator",
            "plan",
            "qualifier",
            "value",
            "wording",
            "display",
            "currency",
            "description",
            "joint",
        ]
        read_only_fields = fields


class VersionSummarySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ReportVersion
        fields = [
            "id",
            "number",
            "status",
            "change_summary",
            "created_at",
            "submitted_at",
            "decided_at",
            "decision_comment",
        ]
        read_only_fields = fields


class VersionSerializer(VersionSummarySerializer):
    report = serializers.IntegerField(source="report_id", read_only=True)
    period = serializers.IntegerField(source="report.period.number", read_only=True)
    country = serializers.CharField(source="report.country.code", read_only=True)
    kind = serializers.CharField(source="report.kind", read_only=True)
    lines = LineSerializer(many=True, read_only=True)

    class Meta(VersionSummarySerializer.Meta):
        fields = [
            "id",
            "report",
            "period",
            "country",
            "kind",
            *VersionSummarySerializer.Meta.fields[1:],
            *actions.NARRATIVE_FIELDS,
            "lines",
        ]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    period = serializers.IntegerField(source="period.number", read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)
    current_number = serializers.IntegerField(read_only=True, help_text="The newest version's number.")
    current_status = serializers.CharField(read_only=True, help_text="The newest version's status.")
    versions = VersionSummarySerializer(
        source="visible_versions", many=True, read_only=True, help_text="The versions you may read."
    )

    class Meta:
        model = Report
        fields = ["id", "period", "country", "kind", "current_number", "current_status", "versions"]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text="Required when returning: what the country should change.",
    )


class JointFigureSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    period = serializers.IntegerField(source="period.number", read_only=True)
    plan = serializers.CharField(source="plan.reference", read_only=True)
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    declared_by = serializers.CharField(source="declared_by.code", read_only=True)
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)  # type: ignore[var-annotated]
    state = serializers.SerializerMethodField(
        help_text="declared (awaiting partners), confirmed (all agree) or disputed; from the lines you see."
    )
    counted_once = serializers.SerializerMethodField(
        help_text="What the figure adds to a total: its largest line."
    )

    class Meta:
        model = JointFigure
        fields = [
            "id",
            "period",
            "plan",
            "indicator",
            "declared_by",
            "countries",
            "description",
            "state",
            "counted_once",
        ]
        read_only_fields = fields

    def _row(self, joint: JointFigure) -> Any:
        rows = self.context.get("reconciliation", {})
        return rows.get(joint.pk)

    def get_state(self, joint: JointFigure) -> str:
        row = self._row(joint)
        return str(row.state) if row is not None else str(JointState.DECLARED)

    def get_counted_once(self, joint: JointFigure) -> str | None:
        row = self._row(joint)
        return row.quantity.display if row is not None and row.quantity is not None else None


# --- Permissions ------------------------------------------------------------------------------------


class ReportPermission(BasePermission):
    """Reading follows visibility (the querysets); each write's action asks the policy."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)


# --- Viewsets ---------------------------------------------------------------------------------------


class _ReportsViewSet(ReadViewSet):
    permission_classes = [IsAuthenticated, ReportPermission]
    http_method_names = ["get", "post", "head", "options"]


@extend_schema_view(
    list=extend_schema(summary="List the country reports you may see (filter by period, country, kind)"),
    retrieve=extend_schema(summary="A country report, with the versions you may read"),
)
class ReportViewSet(_ReportsViewSet):
    """Mid-term and final reports of the participating countries. The reporting country, the
    secretariat and the co-chairs of the cycle see them; a draft's content only its country."""

    queryset = Report.objects.select_related("period", "country").order_by("-period__number", "country__name")
    serializer_class = ReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        versions = policy.visible_to(user, ReportVersion.objects.order_by("number"))
        return with_current(super().get_queryset()).prefetch_related(
            Prefetch("versions", queryset=versions, to_attr="visible_versions")
        )


def _versions_queryset() -> QuerySet[ReportVersion]:
    lines = OutcomeLine.objects.select_related(
        "indicator", "plan", "version__report__period", "version__report__country"
    )
    return ReportVersion.objects.select_related("report__period", "report__country").prefetch_related(
        Prefetch("lines", queryset=lines)
    )


@extend_schema_view(
    list=extend_schema(summary="List the report versions you may read (filter by report)"),
    retrieve=extend_schema(summary="A report version with its narrative and lines"),
)
class ReportVersionViewSet(_ReportsViewSet):
    """Versions of country reports: a submitted version never changes; corrections are new versions."""

    queryset = _versions_queryset().order_by("report", "number")
    serializer_class = VersionSerializer
    filterset_fields = ["report", "status"]

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action in {"accept", "return_"}:
            return DecisionSerializer
        return VersionSerializer

    def _respond(self, version: ReportVersion) -> Response:
        fresh = self.get_queryset().get(pk=version.pk)
        return Response(VersionSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Submit a draft (the reporting country's focal point)",
        request=None,
        responses=VersionSerializer,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        version = self.get_object()
        with model_rules():
            version = actions.do_submit(request.user, version)
        return self._respond(version)

    @extend_schema(
        summary="Accept a submitted version (secretariat, the cycle's co-chairs)",
        request=DecisionSerializer,
        responses=VersionSerializer,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        version = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            version = actions.do_accept(request.user, version, serializer.validated_data["comment"])
        return self._respond(version)

    @extend_schema(
        summary="Return a submitted version with comments (secretariat, the cycle's co-chairs)",
        request=DecisionSerializer,
        responses=VersionSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str) -> Response:
        version = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            version = actions.do_return(request.user, version, serializer.validated_data["comment"])
        return self._respond(version)


@extend_schema_view(
    list=extend_schema(
        summary="List the outcome lines you may see (filter by period, country, plan, indicator)"
    ),
    retrieve=extend_schema(summary="An outcome line"),
)
class OutcomeLineViewSet(ReadViewSet):
    """Outcome lines of report versions. A plan's lead and partner countries see the submitted lines
    about that plan; nobody outside the plan does."""

    queryset = OutcomeLine.objects.select_related(
        "indicator", "plan", "version__report__period", "version__report__country"
    ).order_by("version__report", "version__number", "position", "pk")
    serializer_class = LineSerializer
    filterset_class = OutcomeLineFilter
    permission_classes = [IsAuthenticated, ReportPermission]


@extend_schema_view(
    list=extend_schema(summary="List the joint figures you may see, with their state"),
    retrieve=extend_schema(summary="A joint figure"),
)
class JointFigureViewSet(ReadViewSet):
    """Figures partners in one plan achieved together, counted once in totals."""

    queryset = (
        JointFigure.objects.select_related("period", "plan", "indicator", "declared_by")
        .prefetch_related("countries")
        .order_by("period", "plan__reference", "pk")
    )
    serializer_class = JointFigureSerializer
    filterset_fields = ["period__number", "plan__reference"]
    permission_classes = [IsAuthenticated, ReportPermission]

    def get_serializer_context(self) -> dict[str, Any]:
        from disrupt.reports.totals import standing_lines

        context = dict(super().get_serializer_context())
        lines = standing_lines(policy.visible_to(self.request.user, OutcomeLine.objects.all()))
        context["reconciliation"] = {row.joint.pk: row for row in reconcile(lines)}
        return context
