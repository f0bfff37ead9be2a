"""Serializers of network intelligence under /api/v1/ (intel/api.py).

What a user may not know exists stays out of every answer: related plans are filtered through
the policy, and a field naming a collection accepts only the collections the user may see (an
unknown id and an invisible one get the same refusal). Writes go through intel/actions.py.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from disrupt.access import policy
from disrupt.access.choices import HandlingCode
from disrupt.api.serializers import CodeField
from disrupt.directory.models import Agency, Country, User
from disrupt.intel.choices import ExportFormat, ImportFormat
from disrupt.intel.models import (
    AnalysisRun,
    Assessment,
    AssessmentMember,
    Collection,
    Entity,
    EntityVersion,
    ImportJob,
)
from disrupt.programme.models import Plan


def request_user(serializer: serializers.BaseSerializer[Any]) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def visible_plan_ids(serializer: serializers.BaseSerializer[Any]) -> set[int]:
    """The plans the requesting user may see, computed once per answer (a list shares it)."""
    context: dict[str, Any] = serializer.context  # type: ignore[assignment]
    if "visible_plan_ids" not in context:
        plans = policy.visible_to(request_user(serializer), Plan.objects.all())
        context["visible_plan_ids"] = set(plans.values_list("pk", flat=True))
    return context["visible_plan_ids"]  # type: ignore[no-any-return]


class VisiblePlansField(serializers.Field):  # type: ignore[type-arg]
    """The references of the record's plans that the reader may see; the others do not exist."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> list[str]:
        visible = visible_plan_ids(self.parent)
        return sorted(plan.reference for plan in value.all() if plan.pk in visible)


extend_schema_field({"type": "array", "items": {"type": "string"}})(VisiblePlansField)


class VisibleChoicesMixin:
    """Limit the querysets of related fields to what the requesting user may see."""

    visible_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = request_user(self)  # type: ignore[arg-type]
        for name in self.visible_fields:
            field = self.fields[name]  # type: ignore[attr-defined]
            relation = getattr(field, "child_relation", field)
            relation.queryset = policy.visible_to(user, relation.queryset)


# --- Collections ----------------------------------------------------------------------------------


class CollectionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    country = serializers.CharField(
        source="owner_agency.country.code",
        read_only=True,
        allow_null=True,
        help_text="The owning agency's country (ISO alpha-2); null for an international organisation.",
    )
    plans = VisiblePlansField(help_text="References of the plans it belongs to that you may see.")
    entity_count = serializers.IntegerField(read_only=True, help_text="Entities and links it holds.")

    class Meta:
        model = Collection
        fields = [
            "id",
            "name",
            "summary",
            "owner_agency",
            "country",
            "handling_code",
            "plans",
            "entity_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CreateCollectionSerializer(VisibleChoicesMixin, serializers.Serializer):  # type: ignore[type-arg]
    """A new collection of your agency; at AMBER and above only your agency reads it at first."""

    visible_fields = ("plans",)

    name = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    handling_code = serializers.ChoiceField(choices=HandlingCode.choices, default=HandlingCode.AMBER)
    plans = CodeField(
        slug_field="reference",
        queryset=Plan.objects.all(),
        many=True,
        required=False,
        default=list,  # type: ignore[arg-type]
        help_text="References of plans it belongs to (this does not share it).",
    )


class ExportQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    format = serializers.ChoiceField(choices=ExportFormat.choices, default=ExportFormat.FTM)


# --- Entities -------------------------------------------------------------------------------------


class EntitySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    is_link = serializers.BooleanField(read_only=True, help_text="A link between two entities.")

    class Meta:
        model = Entity
        fields = [
            "id",
            "collection",
            "ftm_id",
            "schema",
            "caption",
            "country",
            "is_link",
            "source",
            "target",
            "amount",
            "currency",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class LinkEndSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The other end of a link: the entity you may see with that FtM id, if any."""

    ftm_id = serializers.CharField()
    id = serializers.IntegerField(allow_null=True, help_text="Null when no entity you may see has this id.")
    schema = serializers.CharField(allow_blank=True)
    caption = serializers.CharField(allow_blank=True)


class LinkSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(help_text="The link's own entity id.")
    ftm_id = serializers.CharField()
    schema = serializers.CharField()
    caption = serializers.CharField(allow_blank=True)
    collection = serializers.IntegerField()
    properties = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    other = LinkEndSerializer()


class EntityDetailSerializer(EntitySerializer):
    properties = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        read_only=True,
        help_text="FollowTheMoney properties: name -> list of values.",
    )
    links_out = LinkSerializer(many=True, read_only=True, help_text="Links from it, among those you may see.")
    links_in = LinkSerializer(many=True, read_only=True, help_text="Links to it, among those you may see.")

    class Meta(EntitySerializer.Meta):
        fields = [*EntitySerializer.Meta.fields, "properties", "links_out", "links_in"]
        read_only_fields = fields


def _properties() -> serializers.DictField:
    return serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=65000, trim_whitespace=False)),
        help_text="FollowTheMoney properties: name -> list of values; followthemoney checks and cleans them.",
    )


class AddEntitySerializer(VisibleChoicesMixin, serializers.Serializer):  # type: ignore[type-arg]
    visible_fields = ("collection",)

    collection = serializers.PrimaryKeyRelatedField(
        queryset=Collection.objects.all(), help_text="A collection of your agency."
    )
    schema = serializers.CharField(max_length=64, help_text="A FollowTheMoney schema: Person, Company…")
    properties = _properties()
    ftm_id = serializers.CharField(
        max_length=200, required=False, default=None, help_text="Its FtM id; a random one when omitted."
    )


class EditEntitySerializer(serializers.Serializer):  # type: ignore[type-arg]
    properties = _properties()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DeleteEntitySerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class EntityVersionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    replaced_by = serializers.CharField(source="replaced_by.full_name", read_only=True, allow_null=True)
    properties = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))

    class Meta:
        model = EntityVersion
        fields = [
            "id",
            "ftm_id",
            "number",
            "schema",
            "properties",
            "cause",
            "reason",
            "replaced_at",
            "replaced_by",
        ]
        read_only_fields = fields


# --- Import jobs ----------------------------------------------------------------------------------


class ImportErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    line = serializers.IntegerField(allow_null=True, help_text="Line of the file (1 is the first).")
    property = serializers.CharField(allow_blank=True, help_text="The property or column at fault.")
    message = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    percent = serializers.IntegerField(read_only=True, help_text="Progress, 0 to 100.")
    created_by = serializers.CharField(source="created_by.full_name", read_only=True)
    errors = ImportErrorSerializer(  # type: ignore[assignment]  # a field, popped by the metaclass
        many=True, read_only=True, help_text="The first errors found (at most 200)."
    )

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "collection",
            "format",
            "original_name",
            "size",
            "status",
            "percent",
            "stage",
            "message",
            "lines_done",
            "entities_written",
            "entities_added",
            "entities_replaced",
            "error_count",
            "errors",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class StartImportSerializer(VisibleChoicesMixin, serializers.Serializer):  # type: ignore[type-arg]
    visible_fields = ("collection",)

    file = serializers.FileField(help_text="FtM JSON lines, CSV or XLSX.")
    collection = serializers.PrimaryKeyRelatedField(
        queryset=Collection.objects.all(), help_text="The collection of your agency to import into."
    )
    format = serializers.ChoiceField(choices=ImportFormat.choices, default=ImportFormat.FTM)
    mapping = serializers.JSONField(
        binary=True,
        required=False,
        default=None,
        help_text="For CSV and XLSX: a FollowTheMoney mapping (query), as JSON.",
    )

    def validate_mapping(self, mapping: Any) -> dict[str, Any] | None:
        if mapping is not None and not isinstance(mapping, dict):
            raise serializers.ValidationError("A mapping is a JSON object.")
        return mapping or None


# --- Analyses -------------------------------------------------------------------------------------


class AnalysisRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    percent = serializers.IntegerField(read_only=True, help_text="Progress, 0 to 100.")
    parameters = serializers.DictField(read_only=True)

    class Meta:
        model = AnalysisRun
        fields = [
            "id",
            "status",
            "percent",
            "stage",
            "message",
            "collections",
            "parameters",
            "node_count",
            "link_count",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class AnalysisRunDetailSerializer(AnalysisRunSerializer):
    result = serializers.DictField(
        read_only=True, help_text="What the analysis found (JSON); empty until done."
    )

    class Meta(AnalysisRunSerializer.Meta):
        fields = [*AnalysisRunSerializer.Meta.fields, "result"]
        read_only_fields = fields


class AnalysisParametersSerializer(serializers.Serializer):  # type: ignore[type-arg]
    seed = serializers.IntegerField(
        required=False, min_value=0, max_value=2**31 - 1, help_text="Seed of Leiden and sampled betweenness."
    )
    resolution = serializers.FloatField(
        required=False,
        min_value=0.0001,
        max_value=1000,
        help_text="Leiden resolution; omitted, it grows with the number of links.",
    )


class RequestAnalysisSerializer(VisibleChoicesMixin, serializers.Serializer):  # type: ignore[type-arg]
    visible_fields = ("collections",)

    collections = serializers.PrimaryKeyRelatedField(
        queryset=Collection.objects.all(),
        many=True,
        required=False,
        default=None,
        help_text="Ids of collections you may see; omitted, every collection you may see.",
    )
    parameters = AnalysisParametersSerializer(required=False, default=dict)

    def validate_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        return dict(parameters)


# --- Assessments ----------------------------------------------------------------------------------


class AssessmentMemberSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = AssessmentMember
        fields = ["ftm_id", "caption", "schema", "country", "role", "position"]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    country = serializers.CharField(
        source="owner_agency.country.code",
        read_only=True,
        allow_null=True,
        help_text="The author's agency's country (ISO alpha-2).",
    )
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)  # type: ignore[var-annotated]
    plans = VisiblePlansField(help_text="References of the plans it concerns that you may see.")
    members = AssessmentMemberSerializer(many=True, read_only=True, help_text="In the order written.")
    updated_by = serializers.CharField(source="updated_by.full_name", read_only=True, allow_null=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "title",
            "owner_agency",
            "country",
            "handling_code",
            "analysis",
            "community",
            "summary",
            "modus_operandi",
            "financial_network",
            "routes",
            "countries",
            "plans",
            "members",
            "version",
            "created_at",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = fields


class MemberInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ftm_id = serializers.CharField(max_length=200, help_text="The FtM id of an entity you may see.")
    role = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class SaveAssessmentSerializer(VisibleChoicesMixin, serializers.Serializer):  # type: ignore[type-arg]
    """What an analyst writes. On PATCH, what is not sent stays as it is (members as a whole)."""

    visible_fields = ("plans", "analysis")

    title = serializers.CharField(max_length=250)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=50000)
    modus_operandi = serializers.CharField(required=False, allow_blank=True, max_length=50000)
    financial_network = serializers.CharField(required=False, allow_blank=True, max_length=50000)
    routes = serializers.CharField(required=False, allow_blank=True, max_length=50000)
    handling_code = serializers.ChoiceField(choices=HandlingCode.choices, required=False)
    countries = CodeField(slug_field="code", queryset=Country.objects.all(), many=True, required=False)
    plans = CodeField(slug_field="reference", queryset=Plan.objects.all(), many=True, required=False)
    members = MemberInputSerializer(many=True, required=False)
    analysis = serializers.PrimaryKeyRelatedField(
        queryset=AnalysisRun.objects.all(),
        required=False,
        allow_null=True,
        help_text="Your analysis it begins from (on creation only).",
    )
    community = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="The community of that analysis."
    )


# --- Sharing ----------------------------------------------------------------------------------------


class SetSharingSerializer(VisibleChoicesMixin, serializers.Serializer):  # type: ignore[type-arg]
    """Who reads a collection or an assessment: the whole sharing, replaced (the owner only)."""

    visible_fields = ("plans",)

    handling_code = serializers.ChoiceField(choices=HandlingCode.choices)
    agencies = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True),
        many=True,
        required=False,
        default=list,  # type: ignore[arg-type]
    )
    countries = CodeField(
        slug_field="code",
        queryset=Country.objects.all(),
        many=True,
        required=False,
        default=list,  # type: ignore[arg-type]
    )
    plans = CodeField(
        slug_field="reference",
        queryset=Plan.objects.all(),
        many=True,
        required=False,
        default=list,  # type: ignore[arg-type]
    )
    people = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        many=True,
        required=False,
        default=list,  # type: ignore[arg-type]
        help_text="At TLP:RED only: the people who read it besides its author (user ids).",
    )


class SharingStateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The sharing as saved."""

    handling_code = serializers.CharField()
    agencies = serializers.SerializerMethodField(help_text="Agency ids.")
    countries = serializers.SerializerMethodField(help_text="ISO alpha-2 codes.")
    plans = serializers.SerializerMethodField(help_text="Plan references.")
    people = serializers.SerializerMethodField(help_text="User ids (TLP:RED).")

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_agencies(self, record: Any) -> list[int]:
        return sorted(record.shared_agencies.values_list("pk", flat=True))

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_countries(self, record: Any) -> list[str]:
        return sorted(record.shared_countries.values_list("code", flat=True))

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_plans(self, record: Any) -> list[str]:
        return sorted(record.shared_plans.values_list("reference", flat=True))

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_people(self, record: Any) -> list[int]:
        return sorted(record.named_people.values_list("pk", flat=True))
