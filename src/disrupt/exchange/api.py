"""The exchange's REST API: enquiries, their replies and attachments, and requests to widen sharing.

Every queryset starts from `policy.visible_to`; what the user may not know exists is a 404.
Writes go through the `do_*` functions of exchange/actions.py, which check the policy.
"""

from __future__ import annotations

from typing import Any

from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from disrupt.access import policy
from disrupt.access.choices import HandlingCode, InformationAccuracy, SourceReliability
from disrupt.access.models import SharingRequest
from disrupt.api.views import PolicyViewSet, model_rules
from disrupt.audit.choices import AuditAction
from disrupt.audit.recorder import record
from disrupt.directory.models import Agency, Country
from disrupt.exchange import actions
from disrupt.exchange.choices import EnquiryKind, EnquiryPriority
from disrupt.exchange.filters import EnquiryFilter
from disrupt.exchange.models import Attachment, Enquiry, Reply
from disrupt.programme.models import Plan


class ExchangePermission(BasePermission):
    """Creating needs the policy's leave; every other write is checked by its action."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if getattr(view, "action", None) == "create" and view.queryset.model is Enquiry:
            return policy.can_create(request.user, Enquiry)
        return True


# --- Serializers ------------------------------------------------------------------------------------


class AttachmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    download = serializers.SerializerMethodField(help_text="Where to download the file (as an attachment).")

    class Meta:
        model = Attachment
        fields = [
            "id",
            "enquiry",
            "reply",
            "original_name",
            "size",
            "content_type",
            "sha256",
            "uploaded_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, obj: Attachment) -> str:
        return f"/api/v1/attachments/{obj.pk}/download/"


class ReplySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    author = serializers.CharField(source="author.full_name", read_only=True)
    agency: serializers.PrimaryKeyRelatedField[Agency] = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Reply
        fields = ["id", "enquiry", "author", "agency", "body", "created_at"]
        read_only_fields = ["id", "enquiry", "author", "agency", "created_at"]
        extra_kwargs = {"body": {"max_length": 20000}}


class EnquirySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    plan: serializers.SlugRelatedField[Plan] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True
    )
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Enquiry
        fields = [
            "id",
            "reference",
            "kind",
            "owner_agency",
            "recipients",
            "shared_agencies",
            "shared_countries",
            "plan",
            "subject",
            "body",
            "handling_code",
            "priority",
            "source_reliability",
            "information_accuracy",
            "due_on",
            "status",
            "is_overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SendEnquirySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What a sender posts; attachments are added afterwards on the page (multipart)."""

    recipients = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True), many=True, help_text="Agency ids it is addressed to."
    )
    subject = serializers.CharField(max_length=250)
    body = serializers.CharField(max_length=20000)
    kind = serializers.ChoiceField(choices=EnquiryKind.choices, default=EnquiryKind.INFORMATION)
    handling_code = serializers.ChoiceField(
        choices=HandlingCode.choices,
        default=HandlingCode.AMBER,
        help_text="TLP:RED is refused: an enquiry goes to agencies.",
    )
    priority = serializers.ChoiceField(choices=EnquiryPriority.choices, default=EnquiryPriority.ROUTINE)
    source_reliability = serializers.ChoiceField(
        choices=SourceReliability.choices, required=False, allow_blank=True, default=""
    )
    information_accuracy = serializers.ChoiceField(
        choices=InformationAccuracy.choices, required=False, allow_blank=True, default=""
    )
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    plan = serializers.SlugRelatedField(
        slug_field="reference", queryset=Plan.objects.all(), required=False, allow_null=True, default=None
    )

    def validate_plan(self, plan: Plan | None) -> Plan | None:
        # A plan the sender may not see does not exist for them.
        if plan is not None and not policy.can_view(self.context["request"].user, plan):
            raise ValidationError("No such plan.")
        return plan


class UploadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    file = serializers.FileField(help_text="The file; its type is taken from its bytes, not its name.")
    reply = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text="A reply of this enquiry to attach it to.",
    )


class SharingRequestSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    enquiry = serializers.IntegerField(source="object_id", read_only=True)
    requested_by = serializers.CharField(source="requested_by.full_name", read_only=True)
    decided_by = serializers.CharField(source="decided_by.full_name", read_only=True, allow_null=True)
    countries: serializers.SlugRelatedField[Country] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = SharingRequest
        fields = [
            "id",
            "enquiry",
            "agencies",
            "countries",
            "reason",
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_comment",
        ]
        read_only_fields = fields


class AskWideningSerializer(serializers.Serializer):  # type: ignore[type-arg]
    enquiry = serializers.IntegerField(min_value=1, help_text="The enquiry to share more widely.")
    agencies = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True), many=True, required=False
    )
    countries = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Country.objects.all(),
        many=True,
        required=False,
        help_text="At TLP:AMBER only.",
    )
    reason = serializers.CharField(max_length=5000)


class DecideWideningSerializer(serializers.Serializer):  # type: ignore[type-arg]
    decision = serializers.ChoiceField(choices=[("grant", "Grant"), ("refuse", "Refuse")])
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


# --- Viewsets -------------------------------------------------------------------------------------


class _ExchangeViewSet(PolicyViewSet):
    permission_classes = [IsAuthenticated, ExchangePermission]


@extend_schema_view(
    list=extend_schema(summary="List the enquiries you may see (sent, received or shared with your agency)"),
    retrieve=extend_schema(summary="An enquiry"),
)
class EnquiryViewSet(
    _ExchangeViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Enquiries between agencies. One at TLP:AMBER or above is known only to the agencies it is
    shared with; to anyone else it does not exist."""

    queryset = Enquiry.objects.select_related("plan").prefetch_related(
        "recipients", "shared_agencies", "shared_countries"
    )
    serializer_class = EnquirySerializer
    filterset_class = EnquiryFilter
    lookup_value_regex = "[0-9]{1,12}"

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return SendEnquirySerializer if self.action == "create" else EnquirySerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        enquiry = self.get_object()
        if enquiry.is_restricted:
            # Every read of an AMBER or AMBER+STRICT record is in the trail, by page or by API.
            record(
                AuditAction.READ,
                target=enquiry,
                request=request._request,
                detail={"code": enquiry.handling_code},
            )
        return Response(self.get_serializer(enquiry).data)

    @extend_schema(
        summary="Send an enquiry from your agency (focal point, investigator, analyst)",
        request=SendEnquirySerializer,
        responses={201: EnquirySerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            enquiry = actions.do_send_enquiry(request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(EnquirySerializer(enquiry).data, status=201)

    @extend_schema(
        summary="The replies to an enquiry", responses={200: ReplySerializer(many=True)}, methods=["GET"]
    )
    @extend_schema(
        summary="Reply to an enquiry (the sending and the addressed agencies)",
        request=ReplySerializer,
        responses={201: ReplySerializer},
        methods=["POST"],
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def replies(self, request: Request, pk: str) -> Response:
        enquiry = self.get_object()
        if request.method == "GET":
            replies = policy.visible_to(request.user, enquiry.replies.select_related("author"))
            return Response(ReplySerializer(replies, many=True).data)
        serializer = ReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            reply = actions.do_reply(request.user, enquiry, body=serializer.validated_data["body"])  # type: ignore[arg-type]
        return Response(ReplySerializer(reply).data, status=201)

    @extend_schema(
        summary="Attach a file (the sending and the addressed agencies, while it is open)",
        request={"multipart/form-data": UploadSerializer},
        responses={201: AttachmentSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None, parser_classes=[MultiPartParser])
    def attach(self, request: Request, pk: str) -> Response:
        enquiry = self.get_object()
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        reply_id = serializer.validated_data["reply"]
        reply = enquiry.replies.filter(pk=reply_id).first() if reply_id else None
        if reply_id and reply is None:
            raise ValidationError({"reply": ["No such reply to this enquiry."]})
        with model_rules():
            named = (upload.name or "attachment", upload)
            made = actions.do_attach(request.user, enquiry, named, reply=reply)  # type: ignore[arg-type]
        return Response(AttachmentSerializer(made).data, status=201)

    @extend_schema(
        summary="Close an enquiry (its author or the sending agency's focal point)",
        request=None,
        responses={200: EnquirySerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request: Request, pk: str) -> Response:
        with model_rules():
            enquiry = actions.do_close(request.user, self.get_object())  # type: ignore[arg-type]
        return Response(EnquirySerializer(enquiry).data)

    @extend_schema(
        summary="Withdraw an enquiry (its author or the sending agency's focal point)",
        request=None,
        responses={200: EnquirySerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def withdraw(self, request: Request, pk: str) -> Response:
        with model_rules():
            enquiry = actions.do_withdraw(request.user, self.get_object())  # type: ignore[arg-type]
        return Response(EnquirySerializer(enquiry).data)


@extend_schema_view(
    list=extend_schema(summary="List the attachments of the enquiries you may see"),
    retrieve=extend_schema(summary="An attachment's description"),
)
class AttachmentViewSet(_ExchangeViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Files sent with enquiries: their names, sizes, sniffed types and digests; the bytes only
    through `download`, as an attachment."""

    queryset = Attachment.objects.select_related("enquiry")
    serializer_class = AttachmentSerializer
    filterset_fields = ["enquiry"]
    lookup_value_regex = "[0-9]{1,12}"

    @extend_schema(
        summary="Download the file (recorded in the audit trail)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> HttpResponseBase:
        from disrupt.exchange.views import serve_attachment

        return serve_attachment(request._request, self.get_object())


@extend_schema_view(
    list=extend_schema(summary="Requests to widen sharing: yours, and those about your agency's records"),
    retrieve=extend_schema(summary="A request to widen sharing"),
)
class SharingRequestViewSet(
    _ExchangeViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """A recipient cannot pass a record on: it asks the owner to share it more widely, and the
    owner decides."""

    queryset = SharingRequest.objects.select_related("requested_by", "decided_by").prefetch_related(
        "agencies", "countries"
    )
    serializer_class = SharingRequestSerializer
    filterset_fields = ["status"]
    lookup_value_regex = "[0-9]{1,12}"

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "create":
            return AskWideningSerializer
        if self.action == "decide":
            return DecideWideningSerializer
        return SharingRequestSerializer

    @extend_schema(
        summary="Ask the owner to share an enquiry more widely (readers outside the owning agency)",
        request=AskWideningSerializer,
        responses={201: SharingRequestSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        enquiry = policy.visible_to(request.user, Enquiry.objects.filter(pk=data["enquiry"])).first()
        if enquiry is None:
            raise ValidationError({"enquiry": ["No such enquiry."]})
        with model_rules():
            made = actions.do_request_widening(
                request.user,  # type: ignore[arg-type]
                enquiry,
                agencies=data.get("agencies", []),
                countries=data.get("countries", []),
                reason=data["reason"],
            )
        return Response(SharingRequestSerializer(made).data, status=201)

    @extend_schema(
        summary="Grant or refuse a request (the record's author or its agency's focal point)",
        request=DecideWideningSerializer,
        responses={200: SharingRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        sharing_request = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with model_rules():
            decided = actions.do_decide_widening(
                request.user,  # type: ignore[arg-type]
                sharing_request,
                grant=serializer.validated_data["decision"] == "grant",
                comment=serializer.validated_data["comment"],
            )
        return Response(SharingRequestSerializer(decided).data)
