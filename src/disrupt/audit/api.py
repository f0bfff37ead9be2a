"""The audit trail in the API: read-only, for the secretariat (all of it) and focal points (their
country's entries); everyone else gets 403, as on the page."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request

from disrupt.access import policy
from disrupt.api.views import ReadViewSet
from disrupt.audit.filters import AuditEntryFilter
from disrupt.audit.models import AuditEntry


class MayReadTrail(BasePermission):
    message = "The audit trail is for the secretariat and the focal points."

    def has_permission(self, request: Request, view: Any) -> bool:
        return policy.may_read_trail(request.user)


class AuditEntrySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    actor = serializers.CharField(
        source="actor_label", read_only=True, help_text="The actor's e-mail address."
    )
    target_type = serializers.SerializerMethodField(help_text="app.model of the target, or empty.")
    country: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="ISO alpha-2 code of the target's country; null when the entry concerns none.",
    )

    class Meta:
        model = AuditEntry
        fields = [
            "sequence",
            "at",
            "actor",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "country",
            "detail",
            "ip_address",
            "previous_hash",
            "hash",
        ]
        read_only_fields = fields

    def get_target_type(self, entry: AuditEntry) -> str:
        if entry.target_type_id is None:
            return ""
        content_type = ContentType.objects.get_for_id(entry.target_type_id)
        return f"{content_type.app_label}.{content_type.model}"


@extend_schema_view(
    list=extend_schema(summary="The audit trail (secretariat: all of it; focal points: their country's)"),
    retrieve=extend_schema(summary="One entry of the audit trail, by sequence number"),
)
class AuditEntryViewSet(ReadViewSet):
    """Append-only and hash-chained; `disrupt audit verify` checks the chain."""

    queryset = AuditEntry.objects.select_related("country")
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    permission_classes = [IsAuthenticated, MayReadTrail]
    lookup_field = "sequence"
    lookup_value_regex = "[0-9]{1,18}"
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().order_by("-sequence")
