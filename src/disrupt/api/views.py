"""The REST API under /api/v1/: the programme's records with the same permissions as the pages.

Every queryset starts from `policy.visible_to`; writes that touch several records go through the
`do_*` functions of the apps' actions modules.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from disrupt.access import policy
from disrupt.api import serializers as s
from disrupt.api.filters import MilestoneFilter, PublishedFigureFilter
from disrupt.api.permissions import PolicyPermission
from disrupt.api.schema import PolicyAutoSchema
from disrupt.directory.filters import AgencyFilter, CountryFilter
from disrupt.directory.models import Agency, Country
from disrupt.directory.models import User as UserModel
from disrupt.programme import actions
from disrupt.programme.filters import ActionItemFilter, MeetingFilter, PeriodFilter, PlanFilter
from disrupt.programme.models import (
    ActionItem,
    CrimeType,
    Meeting,
    Milestone,
    Objective,
    PeriodOfAction,
    Plan,
    Sector,
)
from disrupt.reports.models import PublishedFigure


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500


class FilterBackend(DjangoFilterBackend):
    """The apps' FilterSets; a value no database accepts (a NUL character) is a 400, not a 500."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        for key, values in request.query_params.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise ValidationError({key: ["Null characters are not allowed."]})
        return super().filter_queryset(request, queryset, view)


@contextmanager
def model_rules() -> Iterator[None]:
    """A rule of the data broken inside an action answers 400 with the field it concerns."""
    try:
        yield
    except DjangoValidationError as exc:
        raise ValidationError(s._django_errors(exc)) from exc


class PolicyViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    # The shared shape: sign-in required, the policy's visibility and permissions, no PUT or DELETE.
    # (No docstring here or below: the OpenAPI document would give it to every operation.)

    permission_classes = [IsAuthenticated, PolicyPermission]
    pagination_class = Pagination
    filter_backends = [FilterBackend]
    http_method_names = ["get", "post", "patch", "head", "options"]
    schema = PolicyAutoSchema()
    queryset: QuerySet[Any]

    def get_queryset(self) -> QuerySet[Any]:
        return policy.visible_to(self.request.user, super().get_queryset())


class ReadViewSet(PolicyViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    pass  # list and retrieve


class EditViewSet(ReadViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kwargs["partial"] = True  # PATCH only: what is not sent stays as it is
        return super().update(request, *args, **kwargs)


def _require_edit(user: Any, parent: Model | None, message: str) -> None:
    if parent is not None and not policy.can_edit(user, parent):
        raise PermissionDenied(message)


# --- Directory ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List countries with their current standing"),
    retrieve=extend_schema(summary="A country, by ISO alpha-2 code"),
)
class CountryViewSet(ReadViewSet):
    """ISO 3166-1 countries, named by alpha-2 code, with their standing in the group."""

    queryset = Country.objects.prefetch_related("standings")
    serializer_class = s.CountrySerializer
    filterset_class = CountryFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Z]{2}"


@extend_schema_view(
    list=extend_schema(summary="List agencies and international organisations"),
    retrieve=extend_schema(summary="An agency"),
    create=extend_schema(summary="Add an agency (secretariat)"),
    partial_update=extend_schema(summary="Change an agency (secretariat)"),
)
class AgencyViewSet(EditViewSet):
    """Agencies of a country, and international organisations (no country)."""

    queryset = Agency.objects.select_related("country")
    serializer_class = s.AgencySerializer
    filterset_class = AgencyFilter


class MeView(APIView):
    """The account the request is signed in as."""

    permission_classes = [IsAuthenticated]
    schema = PolicyAutoSchema()

    @extend_schema(summary="The signed-in account", responses=s.MeSerializer)
    def get(self, request: Request) -> Response:
        user = UserModel.objects.select_related("agency__country").get(pk=request.user.pk or 0)
        return Response(s.MeSerializer(user).data)


# --- Periods and milestones --------------------------------------------------------------------


_PERIOD_NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="The period's number.")


@extend_schema_view(
    list=extend_schema(summary="List Joint Periods of Action"),
    retrieve=extend_schema(summary="A Joint Period of Action, by number", parameters=[_PERIOD_NUMBER]),
    create=extend_schema(summary="Open a period (secretariat); milestones follow the template"),
    partial_update=extend_schema(
        summary="Change a period (secretariat, its co-chairs)", parameters=[_PERIOD_NUMBER]
    ),
)
class PeriodViewSet(EditViewSet):
    """Joint Periods of Action, named by number."""

    queryset = PeriodOfAction.objects.prefetch_related(
        "co_chairs",
        "participants",
        "observer_countries",
        "observer_organisations",
        "supporting_organisations",
    )
    serializer_class = s.PeriodSerializer
    filterset_class = PeriodFilter
    lookup_field = "number"
    lookup_value_regex = "[0-9]{1,5}"

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        with model_rules():
            # A serializer saves as the period form does; the action adds the template milestones.
            actions.do_create_period(self.request.user, serializer)  # type: ignore[arg-type]


@extend_schema_view(
    list=extend_schema(summary="List milestones (filter by period)"),
    retrieve=extend_schema(summary="A milestone"),
    create=extend_schema(summary="Add a milestone to a period (secretariat, the period's co-chairs)"),
    partial_update=extend_schema(summary="Change a milestone (secretariat, the period's co-chairs)"),
)
class MilestoneViewSet(EditViewSet):
    """The dated steps of a period: plans distributed, reports due, media release, debrief."""

    queryset = Milestone.objects.select_related("period")
    serializer_class = s.MilestoneSerializer
    filterset_class = MilestoneFilter

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        _require_edit(
            self.request.user,
            serializer.validated_data["period"],
            "Only the secretariat and the period's co-chairs add its milestones.",
        )
        serializer.save()

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        _require_edit(
            self.request.user,
            serializer.validated_data.get("period"),
            "You may not move a milestone into that period.",
        )
        serializer.save()


# --- Plans ---------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List the plans you may see"),
    retrieve=extend_schema(summary="A plan, by reference"),
    partial_update=extend_schema(
        summary="Change a plan (lead country's focal point while nominated or returned; co-chairs)"
    ),
)
class PlanViewSet(EditViewSet):
    """Joint investigation plans, named by reference. A TLP:AMBER plan is known only to the people of
    its lead and partner countries and to the co-chairs of its periods; to anyone else it does not exist."""

    queryset = Plan.objects.select_related("lead_country").prefetch_related(
        "partner_countries",
        "crime_types",
        "sectors",
        "objectives",
        "periods",
        "agencies",
        "route_stops__country",
    )
    serializer_class = s.PlanSerializer
    filterset_class = PlanFilter
    lookup_field = "reference"
    lookup_value_regex = "[A-Za-z0-9][A-Za-z0-9._-]{0,19}"

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "create":
            return s.PlanNominationSerializer
        if self.action == "decide":
            return s.PlanDecisionSerializer
        return s.PlanSerializer

    @extend_schema(
        summary="Nominate a plan (focal point; the lead country is their own)",
        request=s.PlanNominationSerializer,
        responses={201: s.PlanSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        route = [(stop["country"], stop["role"]) for stop in data.pop("route_stops", [])]
        with model_rules():
            plan = actions.do_nominate_plan(request.user, route=route, **data)
        return Response(s.PlanSerializer(plan, context=self.get_serializer_context()).data, status=201)

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        if "route_stops" in data:
            data["route"] = [(stop["country"], stop["role"]) for stop in data.pop("route_stops")]
        with model_rules():
            plan: Plan = serializer.instance  # type: ignore[assignment]
            serializer.instance = actions.do_update_plan(self.request.user, plan, **data)

    @extend_schema(
        summary="Approve or return a nominated plan (co-chairs of one of its periods)",
        request=s.PlanDecisionSerializer,
        responses={200: s.PlanSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, reference: str) -> Response:
        plan = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            plan = actions.do_decide_plan(
                request.user,
                plan,
                serializer.validated_data["decision"],
                serializer.validated_data["comment"],
            )
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(s.PlanSerializer(plan, context=self.get_serializer_context()).data)


# --- Meetings and action items -------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List meetings"),
    retrieve=extend_schema(summary="A meeting"),
    create=extend_schema(summary="Record a meeting (secretariat, co-chairs)"),
    partial_update=extend_schema(summary="Change a meeting (secretariat, its co-chairs)"),
)
class MeetingViewSet(EditViewSet):
    """Meetings of the group and their outcome statements."""

    queryset = Meeting.objects.select_related("host_country", "period").prefetch_related(
        "co_chairs", "attending_countries", "attending_organisations"
    )
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilter


# What the owner of an action (who is not its meeting's co-chair or the secretariat) may change.
OWNER_FIELDS = frozenset({"status"})


@extend_schema_view(
    list=extend_schema(summary="List action items (filter by meeting, status)"),
    retrieve=extend_schema(summary="An action item"),
    create=extend_schema(summary="Add an action to a meeting (secretariat, the meeting's co-chairs)"),
    partial_update=extend_schema(
        summary="Change an action item (secretariat, co-chairs; its owner may change the status)"
    ),
)
class ActionItemViewSet(EditViewSet):
    """What meetings agreed to do, with owner, due date and status."""

    queryset = ActionItem.objects.select_related("meeting", "owner_country", "owner_agency", "owner_user")
    serializer_class = s.ActionItemSerializer
    filterset_class = ActionItemFilter

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        _require_edit(
            self.request.user,
            serializer.validated_data["meeting"],
            "Only the secretariat and the meeting's co-chairs add its actions.",
        )
        serializer.save()

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        item: ActionItem = serializer.instance  # type: ignore[assignment]
        user = self.request.user
        if not policy.can_edit(user, item.meeting):
            others = set(serializer.validated_data) - OWNER_FIELDS
            if others:
                raise PermissionDenied(
                    f"As the action's owner you may change its status only, not {', '.join(sorted(others))}."
                )
        _require_edit(
            user, serializer.validated_data.get("meeting"), "You may not move an action into that meeting."
        )
        serializer.save()


# --- Reference terms and figures ---------------------------------------------------------------


class _TermViewSet(ReadViewSet):
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]{1,60}"
    filterset_fields = ["is_active"]


@extend_schema_view(
    list=extend_schema(summary="List crime types"), retrieve=extend_schema(summary="A crime type")
)
class CrimeTypeViewSet(_TermViewSet):
    """Reference terms: crime types."""

    queryset = CrimeType.objects.all()
    serializer_class = s.CrimeTypeSerializer


@extend_schema_view(list=extend_schema(summary="List sectors"), retrieve=extend_schema(summary="A sector"))
class SectorViewSet(_TermViewSet):
    """Reference terms: sectors."""

    queryset = Sector.objects.all()
    serializer_class = s.SectorSerializer


@extend_schema_view(
    list=extend_schema(summary="List objectives"), retrieve=extend_schema(summary="An objective")
)
class ObjectiveViewSet(_TermViewSet):
    """Reference terms: objectives of plans."""

    queryset = Objective.objects.all()
    serializer_class = s.ObjectiveSerializer


@extend_schema_view(
    list=extend_schema(summary="List the outcome figures the group published (filter by period)"),
    retrieve=extend_schema(summary="A published figure"),
)
class PublishedFigureViewSet(ReadViewSet):
    """Outcome figures the group published for each period, with the words it used."""

    queryset = PublishedFigure.objects.select_related("period", "indicator")
    serializer_class = s.PublishedFigureSerializer
    filterset_class = PublishedFigureFilter
