"""The texts the group publishes under /api/v1/publications/, with their versions.

The same rules as the pages: a draft is known only to the secretariat and the period's
co-chairs; a text on release (and every version once released) to everyone signed in.
Writing a draft and approving one go through reports/publishing.py.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from disrupt.access import policy
from disrupt.api.views import ReadViewSet, model_rules
from disrupt.programme.models import Meeting, PeriodOfAction
from disrupt.reports import publishing
from disrupt.reports.choices import PublicationKind, PublicationStatus
from disrupt.reports.models import Publication, PublicationVersion


class PublicationFilter(django_filters.FilterSet):
    period = django_filters.NumberFilter(field_name="period__number", help_text="The period's number.")
    kind = django_filters.ChoiceFilter(choices=PublicationKind.choices)

    class Meta:
        model = Publication
        fields = ["period", "kind"]


class PublicationVersionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    marking = serializers.SerializerMethodField(help_text="TLP:CLEAR once released; TLP:GREEN while a draft.")
    docx_url = serializers.SerializerMethodField(help_text="The version as a Word document.")
    created_by = serializers.CharField(source="created_by.full_name", default="", read_only=True)
    approved_by = serializers.CharField(source="approved_by.full_name", default="", read_only=True)

    class Meta:
        model = PublicationVersion
        fields = [
            "number",
            "status",
            "title",
            "body",
            "change_summary",
            "figures",
            "marking",
            "created_by",
            "created_at",
            "approved_by",
            "approved_at",
            "docx_url",
        ]
        read_only_fields = fields

    def get_marking(self, version: PublicationVersion) -> str:
        return publishing.marking(version)

    def get_docx_url(self, version: PublicationVersion) -> str:
        return reverse("reports:publication_version_docx", args=[version.publication_id, version.number])


class PublicationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    period = serializers.IntegerField(source="period.number", read_only=True)
    released = serializers.SerializerMethodField(help_text="The number of the version on release, if any.")
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = ["id", "period", "kind", "meeting", "released", "versions"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_released(self, publication: Publication) -> int | None:
        approved = [v for v in publication.visible_versions if v.status == PublicationStatus.APPROVED]  # type: ignore[attr-defined]
        return approved[0].number if approved else None

    @extend_schema_field(PublicationVersionSerializer(many=True))
    def get_versions(self, publication: Publication) -> Any:
        return PublicationVersionSerializer(publication.visible_versions, many=True).data  # type: ignore[attr-defined]


class GenerateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    period = serializers.IntegerField(min_value=1, max_value=32767, help_text="The period's number.")
    kind = serializers.ChoiceField(choices=PublicationKind.choices)
    meeting = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="For a co-chairs' statement: the workshop.",
    )


class ApproveSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = serializers.IntegerField(min_value=1, help_text="The version to approve: the newest draft.")


@extend_schema_view(
    list=extend_schema(summary="List the texts the group publishes (filter by period, kind)"),
    retrieve=extend_schema(summary="A text, with the versions you may see"),
)
class PublicationViewSet(ReadViewSet):
    """Outcome summaries, co-chairs' statements and media releases, each a chain of versions.
    Drafts are known to the secretariat and the period's co-chairs; released versions to everyone."""

    queryset = Publication.objects.select_related("period")
    serializer_class = PublicationSerializer
    filterset_class = PublicationFilter
    lookup_value_regex = "[0-9]{1,10}"

    def get_queryset(self) -> QuerySet[Any]:
        versions = policy.visible_to(self.request.user, PublicationVersion.objects.all())
        versions = versions.select_related("created_by", "approved_by").order_by("number")
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("versions", queryset=versions, to_attr="visible_versions"))
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return {"generate": GenerateSerializer, "approve": ApproveSerializer}.get(
            self.action, PublicationSerializer
        )

    def _answer(self, publication_id: int, status: int = 200) -> Response:
        publication = self.get_queryset().get(pk=publication_id)
        return Response(PublicationSerializer(publication).data, status=status)

    @extend_schema(
        summary="Write a new draft from the data (secretariat, the period's co-chairs)",
        request=GenerateSerializer,
        responses={
            201: PublicationSerializer,
            404: OpenApiResponse(description="No such period or meeting, or one you may not know exists."),
        },
    )
    @action(detail=False, methods=["post"])
    def generate(self, request: Request) -> Response:
        serializer = GenerateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        periods = policy.visible_to(request.user, PeriodOfAction.objects.all())
        period = get_object_or_404(periods, number=data["period"])
        meeting = None
        if data.get("meeting") is not None:
            meeting = get_object_or_404(
                policy.visible_to(request.user, Meeting.objects.all()), pk=data["meeting"]
            )
        with model_rules():
            version = publishing.do_generate(request.user, period, data["kind"], meeting)
        return self._answer(version.publication_id, status=201)

    @extend_schema(
        summary="Approve the newest draft for release (the period's co-chairs)",
        request=ApproveSerializer,
        responses={200: PublicationSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        publication = get_object_or_404(self.filter_queryset(self.get_queryset()), pk=pk)
        serializer = ApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        versions = policy.visible_to(request.user, publication.versions.all())
        version = get_object_or_404(versions, number=serializer.validated_data["version"])
        with model_rules():
            publishing.do_approve(request.user, version)
        return self._answer(publication.pk)
