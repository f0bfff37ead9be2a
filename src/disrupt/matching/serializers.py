"""Serializers of cross-border matching under /api/v1/ (matching/api.py).

No answer carries a digest, an encoding or the other side's content: a hit is shown as
`present.hit_for` shows it to one side, an upload by its counts. Fields naming records (hits,
plans, collections, agencies) accept only what the user may see, so an unseen id is refused
exactly like an unknown one. Writes go through matching/actions.py.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from disrupt.access.choices import HandlingCode
from disrupt.api.serializers import CodeField
from disrupt.directory.models import Agency, Country
from disrupt.intel.models import Collection
from disrupt.intel.serializers import VisibleChoicesMixin, VisiblePlansField, visible_plan_ids
from disrupt.matching.choices import DisclosureStatus, JobKind, SelectorKind, Verdict
from disrupt.matching.models import Disclosure, DisclosureRequest, Hit, MatchingJob, SelectorUpload
from disrupt.programme.models import Plan

RUN_KINDS = [(JobKind.BULK.value, JobKind.BULK.label), (JobKind.REINDEX.value, JobKind.REINDEX.label)]
GRANTS = [("all", "Approve all"), ("some", "Approve the chosen properties"), ("none", "Refuse")]


class Text(serializers.CharField):
    """Text a database can store: a NUL character is refused as a field error, not a 500."""

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if "\x00" in value:
            raise serializers.ValidationError("Null characters are not allowed.")
        return value


class PlanReferenceField(serializers.Field):  # type: ignore[type-arg]
    """A plan's reference, if the reader may see that plan; otherwise null."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, plan: Plan) -> str | None:
        return plan.reference if plan.pk in visible_plan_ids(self.parent) else None


extend_schema_field({"type": "string", "nullable": True})(PlanReferenceField)


class AgencyRefSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An agency by id and name, with its country (null for an international organisation)."""

    country = serializers.CharField(source="country.code", read_only=True, allow_null=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "country"]
        read_only_fields = fields


# --- Selector uploads -----------------------------------------------------------------------------


class SelectorUploadSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A file of encodings: its counts and status, never a digest."""

    country = serializers.CharField(
        source="owner_agency.country.code",
        read_only=True,
        allow_null=True,
        help_text="The owning agency's country (ISO alpha-2).",
    )
    plans = VisiblePlansField(help_text="References of the plans it belongs to that you may see.")
    shared_agencies = serializers.PrimaryKeyRelatedField(  # type: ignore[var-annotated]
        many=True, read_only=True, help_text="Agencies it is shared with (ids)."
    )
    shared_countries = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="code", many=True, read_only=True, help_text="Countries it is shared with (ISO alpha-2)."
    )
    created_by = serializers.CharField(source="created_by.full_name", read_only=True, allow_null=True)

    class Meta:
        model = SelectorUpload
        fields = [
            "id",
            "name",
            "owner_agency",
            "country",
            "handling_code",
            "plans",
            "shared_agencies",
            "shared_countries",
            "key_id",
            "original_name",
            "size",
            "status",
            "message",
            "record_count",
            "selector_count",
            "person_count",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class UploadSelectorsSerializer(VisibleChoicesMixin, serializers.Serializer):  # type: ignore[type-arg]
    """A file written by `disrupt selectors encode` on the member's own machine."""

    visible_fields = ("plans",)

    file = serializers.FileField(help_text="The selectors file (JSON) `disrupt selectors encode` wrote.")
    name = Text(max_length=200, help_text="What the encodings stand for, in your words.")
    handling_code = serializers.ChoiceField(choices=HandlingCode.choices, default=HandlingCode.AMBER)
    plans = CodeField(
        slug_field="reference",
        queryset=Plan.objects.all(),
        many=True,
        required=False,
        default=list,  # type: ignore[arg-type]
        help_text="References of the plans it belongs to.",
    )
    shared_agencies = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True),
        many=True,
        required=False,
        default=list,  # type: ignore[arg-type]
        help_text="Agencies (ids) that may read it, as the handling code allows.",
    )
    shared_countries = CodeField(
        slug_field="code",
        queryset=Country.objects.all(),
        many=True,
        required=False,
        default=list,  # type: ignore[arg-type]
        help_text="Countries (ISO alpha-2) whose agencies may read it, as the handling code allows.",
    )


# --- Matching jobs --------------------------------------------------------------------------------


class MatchingJobSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    percent = serializers.IntegerField(read_only=True, help_text="Progress, 0 to 100.")

    class Meta:
        model = MatchingJob
        fields = [
            "id",
            "kind",
            "status",
            "percent",
            "progress_done",
            "progress_total",
            "stage",
            "message",
            "collection",
            "upload",
            "subjects_indexed",
            "subjects_matched",
            "hits_new",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class RunMatchingSerializer(VisibleChoicesMixin, serializers.Serializer):  # type: ignore[type-arg]
    visible_fields = ("collection",)

    collection = serializers.PrimaryKeyRelatedField(
        queryset=Collection.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="A collection of your agency; omitted, everything (administrators only).",
    )
    kind = serializers.ChoiceField(
        choices=RUN_KINDS,
        default=JobKind.BULK,
        help_text="Without a collection: match everything again, or re-index under the configured keys.",
    )


class UploadAcceptedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The upload as stored, and the job that checks, indexes and matches it."""

    upload = SelectorUploadSerializer()
    job = MatchingJobSerializer()


# --- Hits -----------------------------------------------------------------------------------------


class MySideSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Your own subject of the hit: an entity of one of your collections, or a record you uploaded."""

    subject = serializers.IntegerField(source="subject.pk")
    schema = serializers.CharField()
    label = serializers.CharField(  # type: ignore[assignment]  # a field, popped by the metaclass
        help_text="The entity's caption, or the uploaded record's reference."
    )
    entity = serializers.IntegerField(
        source="subject.entity_id", allow_null=True, help_text="The entity (entities/{id}/), if held."
    )
    collection = serializers.IntegerField(source="subject.collection_id", allow_null=True)
    upload = serializers.IntegerField(source="subject.upload_id", allow_null=True)
    record_name = serializers.CharField(help_text="The collection's or the upload's name.")
    handling_code = serializers.ChoiceField(choices=HandlingCode.choices)


class TheirSideSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Who holds the other subject, and under which code: never its content, caption or reference."""

    agency = serializers.CharField(help_text="The holding agency's name.")
    country = serializers.CharField(
        source="country_code", allow_blank=True, help_text="ISO alpha-2; empty for an organisation."
    )
    country_name = serializers.CharField(source="country", allow_blank=True)
    handling_code = serializers.ChoiceField(choices=HandlingCode.choices)
    schema = serializers.CharField()
    uploaded = serializers.BooleanField(help_text="Held as selectors only (a selector upload).")


class HitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A hit as your side sees it (`present.hit_for`)."""

    id = serializers.IntegerField(source="hit.pk")
    kind = serializers.ChoiceField(source="hit.kind", choices=SelectorKind.choices, help_text="What matched.")
    score = serializers.FloatField(
        source="hit.score", help_text="1.0 for an exact selector; the Dice similarity for a person."
    )
    current = serializers.BooleanField(
        source="hit.current", help_text="False once a re-index no longer finds the match."
    )
    created_at = serializers.DateTimeField(source="hit.created_at")
    is_new = serializers.BooleanField(help_text="Your side has not judged it yet.")
    mine = MySideSerializer()
    theirs = TheirSideSerializer()
    my_verdict = serializers.ChoiceField(choices=Verdict.choices, allow_blank=True)
    their_verdict = serializers.ChoiceField(choices=Verdict.choices, allow_blank=True)
    disclosure = serializers.ChoiceField(
        source="disclosure_status",
        choices=DisclosureStatus.choices,
        allow_blank=True,
        help_text="The status of your agency's latest request on it; empty when none.",
    )
    request = serializers.IntegerField(
        source="request.pk", allow_null=True, help_text="Your agency's latest disclosure request on it."
    )
    incoming = serializers.IntegerField(
        source="incoming.pk", allow_null=True, help_text="The other side's latest request about your record."
    )
    incoming_status = serializers.ChoiceField(
        source="incoming.status", choices=DisclosureStatus.choices, allow_null=True
    )


class JudgeHitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    note = Text(max_length=500, required=False, allow_blank=True, default="")


# --- Disclosure requests --------------------------------------------------------------------------


class DisclosureRequestSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    plan = PlanReferenceField(help_text="The plan it is made for, if you may see it.")
    requested_by = serializers.CharField(source="requested_by.full_name", read_only=True)
    requesting_agency = AgencyRefSerializer(read_only=True)
    owner_agency = AgencyRefSerializer(read_only=True)
    decided_by = serializers.CharField(source="decided_by.full_name", read_only=True, allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    granted_properties = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The properties the owner disclosed."
    )
    disclosure = serializers.SerializerMethodField(help_text="The disclosed copy's id, once granted.")

    class Meta:
        model = DisclosureRequest
        fields = [
            "id",
            "reference",
            "hit",
            "status",
            "purpose",
            "plan",
            "requested_by",
            "requesting_agency",
            "owner_agency",
            "requested_at",
            "due_at",
            "overdue",
            "escalated_at",
            "decided_by",
            "decided_at",
            "reason",
            "granted_properties",
            "disclosure",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_disclosure(self, request: DisclosureRequest) -> int | None:
        copy = getattr(request, "disclosure", None)
        return copy.pk if copy is not None else None


class RequestDisclosureSerializer(VisibleChoicesMixin, serializers.Serializer):  # type: ignore[type-arg]
    visible_fields = ("hit", "plan")

    hit = serializers.PrimaryKeyRelatedField(queryset=Hit.objects.all(), help_text="A hit of your side.")
    purpose = Text(max_length=5000, help_text="Why you need the record.")
    plan = CodeField(
        slug_field="reference",
        queryset=Plan.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The reference of the plan the request is made for.",
    )


class DecideDisclosureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The owner's decision: everything, a chosen set of properties, or a refusal with a reason."""

    grant = serializers.ChoiceField(choices=GRANTS)
    properties = serializers.ListField(
        child=Text(max_length=100),
        required=False,
        default=list,
        max_length=500,
        help_text="With `some`: the FtM properties to disclose.",
    )
    reason = Text(
        max_length=5000, required=False, allow_blank=True, default="", help_text="Required to refuse."
    )
    entity = serializers.DictField(
        required=False,
        allow_null=True,
        default=None,
        help_text="For an uploaded subject, which the hub holds no content of: the FtM entity "
        "(id, schema, properties) you choose to disclose.",
    )
    handling_code = serializers.ChoiceField(
        choices=HandlingCode.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text="A stricter code for the disclosed copy; omitted, the record's own.",
    )


class WithdrawDisclosureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = Text(max_length=5000, required=False, allow_blank=True, default="")


# --- Disclosures ----------------------------------------------------------------------------------


class ProvenanceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    owner_agency = AgencyRefSerializer()
    source_ref = serializers.CharField(help_text="The FtM id, or the upload's reference.")
    source_version = serializers.IntegerField(allow_null=True)
    source_collection = serializers.IntegerField(allow_null=True, source="source_collection_id")
    source_upload = serializers.IntegerField(allow_null=True, source="source_upload_id")
    request = serializers.IntegerField(allow_null=True, source="request_id")
    reference = serializers.CharField(help_text="The request's reference.")
    decided_by = serializers.CharField(allow_null=True, source="created_by.full_name")
    disclosed_at = serializers.DateTimeField()


class DisclosureSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """The disclosed copy: exactly the granted properties, with where they came from."""

    properties = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        read_only=True,
        help_text="The FtM properties granted: name -> list of values.",
    )
    provenance = ProvenanceSerializer(source="*", read_only=True)

    class Meta:
        model = Disclosure
        fields = ["id", "reference", "schema", "caption", "properties", "handling_code", "provenance"]
        read_only_fields = fields
