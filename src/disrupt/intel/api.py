"""Network intelligence under /api/v1/: collections, entities and their earlier states, imports,
analyses and assessments.

Every queryset starts from `policy.visible_to`; what the user may not know exists is a 404.
Writes go through the `do_*` functions of intel/actions.py, which check the policy again: only
the owning agency's officers change a collection's entities, whoever else can see them gets a
403. Reads of one AMBER (or stricter) record are in the audit trail, as on the pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import Count, Model, Q
from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from disrupt.access import policy
from disrupt.api.views import PolicyViewSet, model_rules
from disrupt.audit.recorder import record_read
from disrupt.intel import actions, exports
from disrupt.intel import assessments as documents
from disrupt.intel import serializers as s
from disrupt.intel.choices import ExportFormat, JobStatus
from disrupt.intel.filters import AnalysisRunFilter, AssessmentFilter, CollectionFilter, EntityFilter
from disrupt.intel.models import AnalysisRun, Assessment, Collection, Entity, EntityVersion, ImportJob

# Links shown on an entity, each way; a hub with more is read through the entity list.
LINK_LIMIT = 500
DOCX = documents.DOCX


class FileNegotiation(DefaultContentNegotiation):
    """For routes that answer a file: `?format=` names the file's format, not a DRF renderer."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        first = next(iter(renderers))
        return first, first.media_type


class IntelPermission(BasePermission):
    """Creating anything here is for officers of an agency; a change to one record is for whom
    the policy lets change it (checked once the record is found, so an unseen one is a 404)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if getattr(view, "action", None) == "create":
            return policy.is_officer(request.user)
        return True

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return _may_change(request.user, obj)


def _may_change(user: Any, obj: Model) -> bool:
    if isinstance(obj, Entity):
        return policy.can_edit_collection(user, obj.collection)
    return policy.can_edit(user, obj)


def audit_read(request: Request, target: Model, code: str) -> None:
    """Every read of one AMBER or stricter record is on the record, by page or by API."""
    record_read(target, code, request=request._request)


class _IntelViewSet(PolicyViewSet):
    permission_classes = [IsAuthenticated, IntelPermission]
    lookup_value_regex = "[0-9]{1,12}"


class CollectionApiFilter(CollectionFilter):
    """The pages' filters, and the owner's country, which the API's callers ask by."""

    country = django_filters.CharFilter(
        field_name="owner_agency__country__code", label="Owner's country (ISO alpha-2)"
    )

    class Meta(CollectionFilter.Meta):
        fields = [*CollectionFilter.Meta.fields, "country"]


class EntityApiFilter(EntityFilter):
    """The pages' filters; `collection` by id, so an unseen collection lists nothing, as an unknown one."""

    collection = django_filters.NumberFilter(field_name="collection_id", label="Collection id")


class SharingActionMixin:
    """`POST {id}/sharing/`: the owner sets the handling code and the whole sharing at once."""

    @extend_schema(
        summary="Set who reads it: the handling code and the whole sharing (its author or the "
        "owning agency's focal point)",
        request=s.SetSharingSerializer,
        responses={
            200: s.SharingStateSerializer,
            400: OpenApiResponse(
                description="A sharing the handling code does not allow, or an unknown choice."
            ),
            403: OpenApiResponse(description="You read it but do not own it."),
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def sharing(self, request: Request, pk: str) -> Response:
        found = self.get_object()  # type: ignore[attr-defined]
        serializer = s.SetSharingSerializer(data=request.data, context=self.get_serializer_context())  # type: ignore[attr-defined]
        serializer.is_valid(raise_exception=True)
        with model_rules():
            shared = actions.do_set_sharing(request.user, found, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(s.SharingStateSerializer(shared).data)


# --- Collections ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List the collections you may see (filter by plan, handling code, country)"),
    retrieve=extend_schema(summary="A collection"),
)
class CollectionViewSet(SharingActionMixin, _IntelViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Collections of FollowTheMoney entities, each owned by an agency under a handling code. One at
    TLP:AMBER or above is known only to the agencies it is shared with; to anyone else it does not exist."""

    queryset = (
        Collection.objects.select_related("owner_agency__country")
        .prefetch_related("plans")
        .annotate(entity_count=Count("entities", filter=Q(entities__pending=False)))
    )
    serializer_class = s.CollectionSerializer
    filterset_class = CollectionApiFilter

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return s.CreateCollectionSerializer if self.action == "create" else s.CollectionSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        collection = self.get_object()
        audit_read(request, collection, collection.handling_code)
        return Response(self.get_serializer(collection).data)

    @extend_schema(
        summary="Create a collection of your agency (officers: focal point, investigator, analyst)",
        request=s.CreateCollectionSerializer,
        responses={201: s.CollectionSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            made = actions.do_create_collection(request.user, **serializer.validated_data)  # type: ignore[arg-type]
        collection = self.get_queryset().get(pk=made.pk)
        return Response(
            s.CollectionSerializer(collection, context=self.get_serializer_context()).data, status=201
        )

    @extend_schema(
        summary="Export the collection: FtM JSON lines, GraphML or GEXF (recorded in the audit trail)",
        parameters=[
            OpenApiParameter(
                "format",
                str,
                OpenApiParameter.QUERY,
                enum=ExportFormat.values,
                description="ftm (FollowTheMoney JSON lines, the default), graphml or gexf.",
            )
        ],
        responses={
            (200, "application/x-ndjson"): OpenApiTypes.BINARY,
            (200, "application/graphml+xml"): OpenApiTypes.BINARY,
            (200, "application/gexf+xml"): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="No such export format."),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        pagination_class=None,
        content_negotiation_class=FileNegotiation,
    )
    def export(self, request: Request, pk: str) -> StreamingHttpResponse:
        collection = self.get_object()
        query = s.ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        chosen = query.validated_data["format"]
        made = exports.export_for(request.user, collection, chosen, request=request._request)
        response = StreamingHttpResponse(made.chunks, content_type=made.content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="collection-{collection.pk}.{made.extension}"'
        )
        return response


# --- Entities -------------------------------------------------------------------------------------


def links_of(user: Any, entity: Entity) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The links from and to `entity` among the entities `user` may see, each with its other end
    (the visible entity of that FtM id, preferring one of the link's own collection)."""
    visible = policy.visible_to(user, Entity.objects.all())
    fields = ("id", "ftm_id", "schema", "caption", "collection_id", "properties", "source", "target")
    outgoing = list(visible.filter(source=entity.ftm_id).only(*fields).order_by("schema", "pk")[:LINK_LIMIT])
    incoming = list(visible.filter(target=entity.ftm_id).only(*fields).order_by("schema", "pk")[:LINK_LIMIT])
    ends = {link.target for link in outgoing} | {link.source for link in incoming}
    found: dict[str, list[Entity]] = {}
    for end in visible.filter(ftm_id__in=ends).only("id", "ftm_id", "schema", "caption", "collection_id"):
        found.setdefault(end.ftm_id, []).append(end)

    def shown(link: Entity, other_id: str) -> dict[str, Any]:
        candidates = sorted(
            found.get(other_id, []), key=lambda e: (e.collection_id != link.collection_id, e.pk)
        )
        other = candidates[0] if candidates else None
        return {
            "id": link.pk,
            "ftm_id": link.ftm_id,
            "schema": link.schema,
            "caption": link.caption,
            "collection": link.collection_id,
            "properties": link.properties,
            "other": {
                "ftm_id": other_id,
                "id": other.pk if other else None,
                "schema": other.schema if other else "",
                "caption": other.caption if other else "",
            },
        }

    return [shown(link, link.target) for link in outgoing], [shown(link, link.source) for link in incoming]


@extend_schema_view(
    list=extend_schema(summary="List the entities you may see (filter by collection, schema, country, q)"),
    retrieve=extend_schema(
        summary="An entity, its properties and its links among what you may see",
        responses={200: s.EntityDetailSerializer},
    ),
)
class EntityViewSet(_IntelViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """FollowTheMoney entities and links, read through their collection: whoever may see the
    collection sees them; only its agency's officers change them."""

    queryset = Entity.objects.select_related("collection__owner_agency__country")
    serializer_class = s.EntitySerializer
    filterset_class = EntityApiFilter
    # An entity is deleted (its last state kept); no PUT: PATCH sends the whole property set.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        chosen: dict[str, type[serializers.BaseSerializer[Any]]] = {
            "create": s.AddEntitySerializer,
            "partial_update": s.EditEntitySerializer,
            "destroy": s.DeleteEntitySerializer,
            "retrieve": s.EntityDetailSerializer,
        }
        return chosen.get(self.action, s.EntitySerializer)

    def _detail(self, entity: Entity) -> dict[str, Any]:
        outgoing, incoming = links_of(self.request.user, entity)
        data = s.EntityDetailSerializer(entity, context=self.get_serializer_context()).data
        return {**data, "links_out": outgoing, "links_in": incoming}

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entity = self.get_object()
        audit_read(request, entity, entity.collection.handling_code)
        return Response(self._detail(entity))

    @extend_schema(
        summary="Add an entity to a collection of your agency (its officers)",
        request=s.AddEntitySerializer,
        responses={201: s.EntityDetailSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with model_rules():
            entity = actions.do_add_entity(
                request.user,  # type: ignore[arg-type]
                data["collection"],
                data["schema"],
                data["properties"],
                ftm_id=data["ftm_id"],
            )
        return Response(self._detail(entity), status=201)

    @extend_schema(
        summary="Replace an entity's properties (the owning agency's officers; the state before is kept)",
        request=s.EditEntitySerializer,
        responses={200: s.EntityDetailSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entity = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            entity = actions.do_edit_entity(
                request.user,  # type: ignore[arg-type]
                entity,
                serializer.validated_data["properties"],
                reason=serializer.validated_data["reason"],
            )
        return Response(self._detail(entity))

    @extend_schema(
        summary="Delete an entity (the owning agency's officers; its last state is kept)",
        parameters=[
            OpenApiParameter("reason", str, OpenApiParameter.QUERY, description="Why, for the record.")
        ],
        request=None,
        responses={204: None},
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entity = self.get_object()
        serializer = self.get_serializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            actions.do_delete_entity(request.user, entity, reason=serializer.validated_data["reason"])  # type: ignore[arg-type]
        return Response(status=204)

    @extend_schema(
        summary="The earlier states of an entity, newest first",
        responses={200: s.EntityVersionSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def versions(self, request: Request, pk: str) -> Response:
        entity = self.get_object()
        audit_read(request, entity, entity.collection.handling_code)
        earlier = policy.visible_to(
            request.user, EntityVersion.objects.filter(entity=entity).select_related("replaced_by")
        ).order_by("-number", "-pk")
        return Response(s.EntityVersionSerializer(earlier, many=True).data)


# --- Import jobs ----------------------------------------------------------------------------------


class ImportJobFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=JobStatus.choices)
    collection = django_filters.NumberFilter(field_name="collection_id")

    class Meta:
        model = ImportJob
        fields = ["status", "collection"]


@extend_schema_view(
    list=extend_schema(summary="List the imports into your agency's collections"),
    retrieve=extend_schema(summary="An import: its status, progress, and the errors it found"),
)
class ImportJobViewSet(_IntelViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Files imported into a collection as a background job, all of the file or nothing. An import
    is known only to the officers of the agency owning its collection."""

    queryset = ImportJob.objects.select_related("created_by")
    serializer_class = s.ImportJobSerializer
    filterset_class = ImportJobFilter
    parser_classes = [MultiPartParser]  # the one write is an upload

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return s.StartImportSerializer if self.action == "create" else s.ImportJobSerializer

    @extend_schema(
        summary="Upload a file to import into a collection of your agency (its officers)",
        request={"multipart/form-data": s.StartImportSerializer},
        responses={201: s.ImportJobSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data["file"]
        with model_rules():
            job = actions.do_start_import(
                request.user,  # type: ignore[arg-type]
                data["collection"],
                name=upload.name or "upload",
                stream=upload,
                format=data["format"],
                mapping=data["mapping"],
            )
        return Response(s.ImportJobSerializer(job).data, status=201)


# --- Analyses -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List your analyses (each is seen by its requester only)"),
    retrieve=extend_schema(
        summary="An analysis: status, progress, parameters and its result",
        responses={200: s.AnalysisRunDetailSerializer},
    ),
)
class AnalysisRunViewSet(_IntelViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Network analyses over exactly the entities their requester may see, run by the worker; the
    result reflects what that person may see, so nobody else reads it."""

    queryset = AnalysisRun.objects.prefetch_related("collections")
    serializer_class = s.AnalysisRunSerializer
    filterset_class = AnalysisRunFilter

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "create":
            return s.RequestAnalysisSerializer
        if self.action == "retrieve":
            return s.AnalysisRunDetailSerializer
        return s.AnalysisRunSerializer

    @extend_schema(
        summary="Ask for an analysis of collections you may see (officers)",
        request=s.RequestAnalysisSerializer,
        responses={201: s.AnalysisRunDetailSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with model_rules():
            run = actions.do_request_analysis(
                request.user,  # type: ignore[arg-type]
                collections=data["collections"],
                parameters=data["parameters"],
            )
        return Response(s.AnalysisRunDetailSerializer(run).data, status=201)


# --- Assessments ----------------------------------------------------------------------------------


def _current(assessment: Assessment) -> dict[str, Any]:
    """What an assessment says now, in the action's terms: a PATCH changes only what it sends."""
    return {
        "title": assessment.title,
        "summary": assessment.summary,
        "modus_operandi": assessment.modus_operandi,
        "financial_network": assessment.financial_network,
        "routes": assessment.routes,
        "handling_code": assessment.handling_code,
        "countries": list(assessment.countries.all()),
        "plans": list(assessment.plans.all()),
        "members": [{"ftm_id": m.ftm_id, "role": m.role} for m in assessment.members.all()],
    }


@extend_schema_view(
    list=extend_schema(summary="List the assessments you may see (filter by plan, handling code, q)"),
    retrieve=extend_schema(summary="A syndicate assessment, with its members and their roles"),
)
class AssessmentViewSet(SharingActionMixin, _IntelViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Syndicate assessments: an analyst's written judgement of a candidate syndicate, an operational
    record of the author's agency; its officers keep it up to date, recipients read it."""

    queryset = Assessment.objects.select_related("owner_agency__country", "updated_by").prefetch_related(
        "countries", "plans", "members"
    )
    serializer_class = s.AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action in {"create", "partial_update"}:
            return s.SaveAssessmentSerializer
        return s.AssessmentSerializer

    def _shown(self, assessment: Assessment) -> dict[str, Any]:
        fresh = self.get_queryset().get(pk=assessment.pk)
        return s.AssessmentSerializer(fresh, context=self.get_serializer_context()).data  # type: ignore[return-value]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assessment = self.get_object()
        audit_read(request, assessment, assessment.handling_code)
        return Response(self.get_serializer(assessment).data)

    @extend_schema(
        summary="Write an assessment of your agency (officers)",
        request=s.SaveAssessmentSerializer,
        responses={201: s.AssessmentSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            made = actions.do_save_assessment(request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(self._shown(made), status=201)

    @extend_schema(
        summary="Change an assessment: a new version (officers of the author's agency)",
        request=s.SaveAssessmentSerializer(partial=True),
        responses={200: s.AssessmentSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assessment = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        changes.pop("analysis", None)  # where it began stays as it was
        changes.pop("community", None)
        with model_rules():
            saved = actions.do_save_assessment(
                request.user,  # type: ignore[arg-type]
                assessment=assessment,
                **(_current(assessment) | changes),
            )
        return Response(self._shown(saved))

    @extend_schema(
        summary="The assessment as a Word document (recorded in the audit trail)",
        responses={(200, DOCX): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], filterset_class=None, content_negotiation_class=FileNegotiation)
    def docx(self, request: Request, pk: str) -> HttpResponse:
        return documents.docx_download(self.get_object(), request._request)
