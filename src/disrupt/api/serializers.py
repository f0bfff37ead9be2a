"""Serializers of the API. Every writable one runs the model's full_clean(), so a rule exists once.

Related records are named the way the group names them: countries by ISO alpha-2 code, periods
by number, reference terms by code; agencies and meetings by id.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from disrupt.access import policy
from disrupt.directory.choices import AgencyKind, Standing
from disrupt.directory.models import Agency, Country, User
from disrupt.programme.choices import RouteRole
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


class CodeField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A related record named by a code. Refuses what no code can be, before asking the database."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, str | int) or "\x00" in str(data):
            self.fail("invalid")
        return super().to_internal_value(data)


def _codes(queryset: Any, slug: str = "code", **kwargs: Any) -> CodeField:
    return CodeField(slug_field=slug, queryset=queryset, **kwargs)


def _django_errors(exc: DjangoValidationError) -> dict[str, Any]:
    errors = serializers.as_serializer_error(exc)
    if "__all__" in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop("__all__")
    return errors


class ValidatedModelSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Applies the model's own rules (clean, field validators, unique and check constraints)."""

    def get_unique_together_validators(self) -> list[Any]:
        # full_clean checks the model's constraints, and knows that an international
        # organisation has no country; DRF's validator would demand one.
        return []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model: Any = self.Meta.model
        many = {field.name for field in model._meta.many_to_many}
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if name not in many:
                setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_django_errors(exc)) from exc
        return attrs


# --- Directory ---------------------------------------------------------------------------------


class CountrySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    current_standing = serializers.SerializerMethodField(
        help_text="The country's standing in the group today, if one is recorded."
    )

    class Meta:
        model = Country
        fields = ["code", "alpha3", "numeric", "name", "official_name", "current_standing"]

    @extend_schema_field(serializers.ChoiceField(choices=Standing.choices, allow_null=True))
    def get_current_standing(self, country: Country) -> str | None:
        # Standings are prefetched by the view; choose today's in Python rather than query per row.
        today = timezone.localdate()
        current = [
            s
            for s in country.standings.all()
            if (s.since is None or s.since <= today) and (s.until is None or s.until >= today)
        ]
        if not current:
            return None
        return max(current, key=lambda s: s.since or today.min).standing


class AgencySerializer(ValidatedModelSerializer):
    country = _codes(Country.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "kind", "country", "website", "is_active"]


class MeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    agency = AgencySerializer(read_only=True)
    country = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["email", "full_name", "job_title", "agency", "country", "roles"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="ISO alpha-2 code."))
    def get_country(self, user: User) -> str | None:
        return user.country.code if user.country else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, user: User) -> list[str]:
        return sorted(user.role_codes)


# --- Reference terms and figures ---------------------------------------------------------------


class ReferenceTermSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        fields = ["code", "name", "description", "position", "is_active"]


class CrimeTypeSerializer(ReferenceTermSerializer):
    class Meta(ReferenceTermSerializer.Meta):
        model = CrimeType


class SectorSerializer(ReferenceTermSerializer):
    class Meta(ReferenceTermSerializer.Meta):
        model = Sector


class ObjectiveSerializer(ReferenceTermSerializer):
    class Meta(ReferenceTermSerializer.Meta):
        model = Objective


class PublishedFigureSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    period = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    display = serializers.CharField(read_only=True, help_text='As the group writes it, e.g. "over 70".')

    class Meta:
        model = PublishedFigure
        fields = ["id", "period", "indicator", "indicator_name", "qualifier", "value", "wording", "display"]


# --- Periods and milestones --------------------------------------------------------------------

_INTERNATIONAL = Agency.objects.filter(kind=AgencyKind.INTERNATIONAL)


class PeriodSerializer(ValidatedModelSerializer):
    window = serializers.CharField(read_only=True, help_text="The window as the group writes it.")
    co_chairs = _codes(Country.objects.all(), many=True, required=False)
    participants = _codes(Country.objects.all(), many=True, required=False)
    observer_countries = _codes(Country.objects.all(), many=True, required=False)
    observer_organisations = serializers.PrimaryKeyRelatedField(
        queryset=_INTERNATIONAL, many=True, required=False
    )
    supporting_organisations = serializers.PrimaryKeyRelatedField(
        queryset=_INTERNATIONAL, many=True, required=False
    )

    class Meta:
        model = PeriodOfAction
        fields = [
            "number",
            "starts_on",
            "starts_precision",
            "ends_on",
            "ends_precision",
            "window",
            "status",
            "summary",
            "co_chairs",
            "participants",
            "observer_countries",
            "observer_organisations",
            "supporting_organisations",
        ]


class MilestoneSerializer(ValidatedModelSerializer):
    period = _codes(PeriodOfAction.objects.all(), slug="number", help_text="The period's number.")
    due = serializers.CharField(read_only=True, help_text="The due date as the group writes it.")
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "period",
            "kind",
            "title",
            "responsible",
            "due_on",
            "due_precision",
            "due",
            "done_on",
            "is_late",
        ]


# --- Plans ---------------------------------------------------------------------------------------


class RouteStopSerializer(serializers.Serializer):  # type: ignore[type-arg]
    country = _codes(Country.objects.all())
    role = serializers.ChoiceField(choices=RouteRole.choices)


_PLAN_WRITABLE = [
    "title",
    "summary",
    "handling_code",
    "by_air",
    "by_sea",
    "by_land",
    "online",
    "partner_countries",
    "crime_types",
    "sectors",
    "objectives",
    "agencies",
    "route",
]


class PlanSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A plan as read, and as edited (PATCH); the model's rules run in programme.actions."""

    lead_country = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="code", read_only=True, help_text="The nominating focal point's country."
    )
    partner_countries = _codes(Country.objects.all(), many=True, required=False)
    crime_types = _codes(CrimeType.objects.all(), many=True, required=False)
    sectors = _codes(Sector.objects.all(), many=True, required=False)
    objectives = _codes(Objective.objects.all(), many=True, required=False)
    periods = _codes(PeriodOfAction.objects.all(), slug="number", many=True, required=False)
    agencies = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), many=True, required=False)
    route = RouteStopSerializer(source="route_stops", many=True, required=False)

    class Meta:
        model = Plan
        fields = [
            "reference",
            "title",
            "summary",
            "lead_country",
            "partner_countries",
            "crime_types",
            "sectors",
            "objectives",
            "by_air",
            "by_sea",
            "by_land",
            "online",
            "route",
            "status",
            "periods",
            "agencies",
            "handling_code",
            "nominated_at",
            "decided_at",
            "decision_comment",
            "updated_at",
        ]
        read_only_fields = [
            "reference",
            "status",
            "nominated_at",
            "decided_at",
            "decision_comment",
            "updated_at",
        ]


class PlanNominationSerializer(PlanSerializer):
    """What a focal point sends to nominate a plan; the lead country is their own."""

    period = _codes(
        PeriodOfAction.objects.all(),
        slug="number",
        write_only=True,
        help_text="The number of the period of action the plan is nominated for.",
    )

    class Meta(PlanSerializer.Meta):
        fields = ["period", *_PLAN_WRITABLE]
        read_only_fields = []


class PlanDecisionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    decision = serializers.ChoiceField(choices=[("approve", "Approve"), ("return", "Return for changes")])
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text="Required when returning a plan: what the lead country should change.",
    )


# --- Meetings and action items -------------------------------------------------------------------


class MeetingSerializer(ValidatedModelSerializer):
    host_country = _codes(Country.objects.all(), allow_null=True, required=False)
    period = _codes(PeriodOfAction.objects.all(), slug="number", allow_null=True, required=False)
    co_chairs = _codes(Country.objects.all(), many=True, required=False)
    attending_countries = _codes(Country.objects.all(), many=True, required=False)
    attending_organisations = serializers.PrimaryKeyRelatedField(
        queryset=_INTERNATIONAL, many=True, required=False
    )
    when = serializers.CharField(read_only=True, help_text="The dates as the group writes them.")
    where = serializers.CharField(read_only=True)
    statement_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "date_precision",
            "when",
            "mode",
            "city",
            "host_country",
            "online_platform",
            "where",
            "period",
            "co_chairs",
            "attending_countries",
            "attending_organisations",
            "outcome_statement",
            "statement_url",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="The original statement."))
    def get_statement_url(self, meeting: Meeting) -> str | None:
        if not meeting.statement_document:
            return None
        return reverse("programme:meeting_statement", args=[meeting.pk])


class ActionItemSerializer(ValidatedModelSerializer):
    owner_country = _codes(Country.objects.all(), allow_null=True, required=False)
    owner_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), allow_null=True, required=False
    )
    owner_user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        allow_null=True,
        required=False,
        help_text="An account the requester can see.",
    )
    owner = serializers.CharField(read_only=True)
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "text",
            "owner_country",
            "owner_agency",
            "owner_user",
            "owner",
            "due_on",
            "status",
            "is_late",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        field = self.fields["owner_user"]
        if request is not None:
            # Naming an owner must not reveal accounts the requester may not know exist.
            field.queryset = policy.visible_to(request.user, User.objects.all())  # type: ignore[attr-defined]
