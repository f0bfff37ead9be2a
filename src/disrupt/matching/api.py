"""Cross-border matching under /api/v1/: selector uploads, hits and judgements, disclosure requests,
disclosed copies and matching jobs.

Every queryset starts from `policy.visible_to`: a hit is known to the officers of its two sides
and to nobody else, so for anyone else it is a 404. A hit is shown as `present.hit_for` shows it
to one side: the other side's agency, country, handling code and schema, never its content.
Writes only call the `do_*` functions of matching/actions.py, which ask the policy again. No
answer carries a digest or an encoding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from disrupt.access import policy
from disrupt.api.views import PolicyViewSet, model_rules
from disrupt.audit.recorder import record_read
from disrupt.intel.choices import JobStatus
from disrupt.matching import actions
from disrupt.matching import serializers as s
from disrupt.matching.choices import DisclosureStatus, JobKind
from disrupt.matching.filters import HitFilterSet
from disrupt.matching.models import Disclosure, DisclosureRequest, Hit, MatchingJob, SelectorUpload
from disrupt.matching.present import hit_for, related_for_hits
from disrupt.programme.models import Plan


class MatchingPermission(BasePermission):
    """Signed in; creating is for whom the view's `may_create` names. Everything else is asked of
    the policy by the action, once the record is found (so an unseen one is a 404)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if getattr(view, "action", None) == "create":
            return bool(view.may_create(request.user))
        return True


class _MatchingViewSet(PolicyViewSet):
    permission_classes = [IsAuthenticated, MatchingPermission]
    lookup_value_regex = "[0-9]{1,12}"
    may_create: Callable[[Any], bool] = staticmethod(policy.is_officer)


# --- Selector uploads ---------------------------------------------------------------------------------


class SelectorUploadFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=JobStatus.choices)

    class Meta:
        model = SelectorUpload
        fields = ["status"]


@extend_schema_view(
    list=extend_schema(summary="List the selector uploads you may see (your agency's, and those shared)"),
    retrieve=extend_schema(summary="A selector upload: its status, counts and why a file was refused"),
)
class SelectorUploadViewSet(
    _MatchingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin
):
    """Files of encodings a member made on its own machine (`disrupt selectors encode`): the hub
    holds their digests only, and matches them as it matches the collections it holds."""

    queryset = SelectorUpload.objects.select_related("owner_agency__country", "created_by").prefetch_related(
        "plans", "shared_agencies", "shared_countries"
    )
    serializer_class = s.SelectorUploadSerializer
    filterset_class = SelectorUploadFilter
    parser_classes = [MultiPartParser]  # the one write is an upload
    http_method_names = ["get", "post", "delete", "head", "options"]
    may_create = staticmethod(policy.can_upload_selectors)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return s.UploadSelectorsSerializer if self.action == "create" else s.SelectorUploadSerializer

    @extend_schema(
        summary="Upload a selectors file your agency encoded (officers); checked and matched by the worker",
        request={"multipart/form-data": s.UploadSelectorsSerializer},
        responses={
            202: s.UploadAcceptedSerializer,
            415: OpenApiResponse(description="The body is not multipart/form-data."),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with model_rules():
            made = actions.do_upload_selectors(
                request.user,  # type: ignore[arg-type]
                name=data["name"],
                upload_file=data["file"],
                original_name=data["file"].name or "selectors.json",
                handling_code=data["handling_code"],
                plans=data["plans"],
                shared_agencies=data["shared_agencies"],
                shared_countries=data["shared_countries"],
            )
        upload = self.get_queryset().get(pk=made.pk)
        jobs = policy.visible_to(request.user, MatchingJob.objects.filter(upload=upload))
        job = jobs.order_by("-pk").first()
        context = self.get_serializer_context()
        body = s.UploadAcceptedSerializer({"upload": upload, "job": job}, context=context).data
        return Response(body, status=202)

    @extend_schema(
        summary="Withdraw an upload (the owning agency's officers): its records and their hits go",
        responses={204: None},
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = self.get_object()
        with model_rules():
            actions.do_delete_upload(request.user, upload)  # type: ignore[arg-type]
        return Response(status=204)


# --- Hits ------------------------------------------------------------------------------------------------


class HitApiFilter(HitFilterSet):
    """The page's filters; the plan by its reference, as everywhere in the API."""

    plan = django_filters.ModelChoiceFilter(
        queryset=Plan.objects.all(),
        to_field_name="reference",
        method="filter_plan",
        label="Plan (reference) your side's record belongs to",
    )

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, user=getattr(request, "user", None), **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary="List the hits on your agency's records (filter by plan, kind, score, verdict, disclosure)",
        responses={200: s.HitSerializer(many=True)},
    ),
    retrieve=extend_schema(summary="A hit as your side sees it", responses={200: s.HitSerializer}),
)
class HitViewSet(_MatchingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Two records of different owners that share a selector or look like the same person. Each
    side sees its own record, what matched, the score, and who holds the other record under which
    handling code; nobody else knows the hit exists."""

    queryset = Hit.objects.select_related(*related_for_hits()).prefetch_related("judgements", "requests")
    serializer_class = s.HitSerializer
    filterset_class = HitApiFilter

    def _shown(self, hit: Hit) -> dict[str, Any]:
        return s.HitSerializer(hit_for(self.request.user, hit), context=self.get_serializer_context()).data  # type: ignore[return-value]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # the API always pages
        return self.get_paginated_response([self._shown(hit) for hit in page])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._shown(self.get_object()))

    @extend_schema(
        summary="Confirm or reject a hit for your side (a rejected pair is not raised again)",
        request=s.JudgeHitSerializer,
        responses={200: s.HitSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def judgement(self, request: Request, pk: str) -> Response:
        hit = self.get_object()
        serializer = s.JudgeHitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            actions.do_judge_hit(request.user, hit, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(self._shown(self.get_queryset().get(pk=hit.pk)))


# --- Disclosure requests ---------------------------------------------------------------------------


INCOMING, OUTGOING = "incoming", "outgoing"


class DisclosureRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DisclosureStatus.choices)
    direction = django_filters.ChoiceFilter(
        choices=[(INCOMING, "About my agency's records"), (OUTGOING, "Made by my agency")],
        method="filter_direction",
        label="Direction",
    )
    hit = django_filters.NumberFilter(field_name="hit_id", label="Hit id")

    class Meta:
        model = DisclosureRequest
        fields = ["status", "direction", "hit"]

    def filter_direction(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        agency = getattr(getattr(self.request, "user", None), "agency_id", None)
        if value == INCOMING:
            return queryset.filter(Q(owner_agency=agency) | Q(escalated_to=self.request.user.pk)).distinct()  # type: ignore[union-attr]
        if value == OUTGOING:
            return queryset.filter(requesting_agency=agency)
        return queryset


@extend_schema_view(
    list=extend_schema(summary="List the disclosure requests made by your agency or about its records"),
    retrieve=extend_schema(summary="A disclosure request: its deadline, status and decision"),
)
class DisclosureRequestViewSet(_MatchingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """From a hit, a request to the other side's owner to disclose their record; the owner
    approves all, approves chosen properties, or refuses with a reason, before the deadline (then
    the owner's focal point is asked). Every step is in the audit trail."""

    queryset = DisclosureRequest.objects.select_related(
        "plan",
        "requested_by",
        "requesting_agency__country",
        "owner_agency__country",
        "decided_by",
        "disclosure",
    )
    serializer_class = s.DisclosureRequestSerializer
    filterset_class = DisclosureRequestFilter

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        chosen: dict[str, type[serializers.BaseSerializer[Any]]] = {
            "create": s.RequestDisclosureSerializer,
            "decide": s.DecideDisclosureSerializer,
            "withdraw": s.WithdrawDisclosureSerializer,
        }
        return chosen.get(self.action, s.DisclosureRequestSerializer)

    def _shown(self, request: DisclosureRequest) -> dict[str, Any]:
        fresh = self.get_queryset().get(pk=request.pk)
        return s.DisclosureRequestSerializer(fresh, context=self.get_serializer_context()).data  # type: ignore[return-value]

    @extend_schema(
        summary="Ask the other side's owner to disclose their record (officers of one side of the hit)",
        request=s.RequestDisclosureSerializer,
        responses={201: s.DisclosureRequestSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            made = actions.do_request_disclosure(request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(self._shown(made), status=201)

    @extend_schema(
        summary="Decide a request (the owner): grant all, grant chosen properties, or refuse with a reason",
        request=s.DecideDisclosureSerializer,
        responses={
            200: s.DisclosureRequestSerializer,
            403: OpenApiResponse(description="You are the requesting side, or the request is decided."),
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def decide(self, request: Request, pk: str) -> Response:
        found = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            decided = actions.do_decide_disclosure(request.user, found, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(self._shown(decided))

    @extend_schema(
        summary="Withdraw your open request (its requester)",
        request=s.WithdrawDisclosureSerializer,
        responses={200: s.DisclosureRequestSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def withdraw(self, request: Request, pk: str) -> Response:
        found = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            withdrawn = actions.do_withdraw_disclosure(request.user, found, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(self._shown(withdrawn))


# --- Disclosed copies -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List the disclosed copies you may read (sent to your agency, or by it)"),
    retrieve=extend_schema(summary="A disclosed copy: the granted properties and their provenance"),
)
class DisclosureViewSet(_MatchingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """What an owner disclosed from a hit: exactly the properties granted, under the owner's
    handling code, shared with the requesting agency, which cannot pass it on."""

    queryset = Disclosure.objects.select_related("owner_agency__country", "created_by")
    serializer_class = s.DisclosureSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        copy = self.get_object()
        record_read(copy, copy.handling_code, request=request._request)
        return Response(self.get_serializer(copy).data)


# --- Matching jobs -------------------------------------------------------------------------------------


class MatchingJobFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=JobStatus.choices)
    kind = django_filters.ChoiceFilter(choices=JobKind.choices)
    collection = django_filters.NumberFilter(field_name="collection_id")
    upload = django_filters.NumberFilter(field_name="upload_id")

    class Meta:
        model = MatchingJob
        fields = ["status", "kind", "collection", "upload"]


def _may_run_matching(user: Any) -> bool:
    return policy.is_officer(user) or policy.is_matching_administrator(user)


@extend_schema_view(
    list=extend_schema(summary="List the matching jobs of your agency's records (administrators: all runs)"),
    retrieve=extend_schema(summary="A matching job and its progress"),
)
class MatchingJobViewSet(_MatchingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Indexing and matching run by the worker, resumable after a restart: after a collection
    changes, after an upload, or on demand over everything. Counts only, never values."""

    queryset = MatchingJob.objects.all()
    serializer_class = s.MatchingJobSerializer
    filterset_class = MatchingJobFilter
    may_create = staticmethod(_may_run_matching)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return s.RunMatchingSerializer if self.action == "create" else s.MatchingJobSerializer

    @extend_schema(
        summary="Match a collection now (its agency's officers), or everything (the secretariat)",
        request=s.RunMatchingSerializer,
        responses={202: s.MatchingJobSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            job = actions.do_request_matching(request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(s.MatchingJobSerializer(job).data, status=202)
