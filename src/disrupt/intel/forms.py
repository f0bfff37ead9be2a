"""Forms of the intel pages. The rules (who may, what is valid FtM) live in actions.py and the models."""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from disrupt.access import policy
from disrupt.access.choices import HandlingCode
from disrupt.directory.models import Agency, Country, User
from disrupt.exchange.forms import AgencyChoiceField
from disrupt.intel.choices import ImportFormat
from disrupt.intel.filters import schema_choices
from disrupt.intel.ftm import ftm_model
from disrupt.intel.models import Collection
from disrupt.programme.models import Plan

# What each code means for intelligence, in the words the analyst reads when choosing it.
INTEL_CODES = [
    (HandlingCode.GREEN, "TLP:GREEN: every user of the platform may read it."),
    (HandlingCode.AMBER, "TLP:AMBER: your agency, and whoever it is later shared with."),
    (
        HandlingCode.AMBER_STRICT,
        "TLP:AMBER+STRICT: your agency and agencies named later, never whole countries.",
    ),
    (HandlingCode.RED, "TLP:RED: you, and people named later."),
]


class PlanChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} {obj.title}"


class CollectionForm(forms.Form):
    name = forms.CharField(max_length=200)
    summary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the collection holds and where it came from.",
    )
    handling_code = forms.ChoiceField(
        choices=INTEL_CODES, initial=HandlingCode.AMBER, widget=forms.RadioSelect, label="Who may read it"
    )
    plans = PlanChoiceField(
        queryset=Plan.objects.none(),
        required=False,
        label="Joint investigation plans",
        help_text="The plans this material belongs to. This does not share it.",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = Plan.objects.visible_to(user)  # type: ignore[attr-defined]


# --- Entities -----------------------------------------------------------------------------------


def _property_label(schema: Any, name: str) -> str:
    prop = schema.get(name)
    return prop.label if prop is not None else name


class EntityEditForm(forms.Form):
    """One box per property (values one a line): those the entity has and the schema's featured
    ones; one more property may be added. FtM cleans and checks the values (actions.do_edit_entity)."""

    reason = forms.CharField(
        max_length=300, label="Why this change", help_text="Kept with the earlier version of the entity."
    )
    add_property = forms.ChoiceField(required=False, label="Add a property")
    add_value = forms.CharField(required=False, label="Its value")

    def __init__(self, *args: Any, entity: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = ftm_model().get(entity.schema)
        assert self.schema is not None, entity.schema
        present = [name for name in entity.properties if self.schema.get(name) is not None]
        featured = [name for name in self.schema.featured if name not in present]
        self.property_names = present + featured
        for name in self.property_names:
            values = entity.properties.get(name, [])
            self.fields[f"prop_{name}"] = forms.CharField(
                required=False,
                label=_property_label(self.schema, name),
                initial="\n".join(values),
                widget=forms.Textarea(attrs={"rows": max(1, min(len(values), 4))}),
            )
        others = sorted(
            (p.name, p.label)
            for p in self.schema.properties.values()
            if p.name not in self.property_names and not p.stub and not p.hidden
        )
        self.fields["add_property"].choices = [("", "—"), *others]  # type: ignore[attr-defined]
        # The reason comes last on the page, after the values it explains.
        props = [f"prop_{name}" for name in self.property_names]
        self.order_fields([*props, "add_property", "add_value", "reason"])

    def properties(self) -> dict[str, list[str]]:
        """The new property dict as typed (FtM cleans it in the action)."""
        result: dict[str, list[str]] = {}
        for name in self.property_names:
            raw = self.cleaned_data.get(f"prop_{name}") or ""
            values = [line.strip() for line in raw.splitlines() if line.strip()]
            if values:
                result[name] = values
        added = self.cleaned_data.get("add_property")
        value = (self.cleaned_data.get("add_value") or "").strip()
        if added and value:
            result.setdefault(added, []).append(value)
        return result


# --- Imports ------------------------------------------------------------------------------------

MAPPING_HELP = "One line per property: property = column, e.g. “name = Full name”."


def _parse_property_lines(text: str) -> dict[str, dict[str, str]]:
    properties: dict[str, dict[str, str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, sep, column = line.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise ValidationError(f"Line {number}: write “property = column”.")
        properties[name.strip()] = {"column": column.strip()}
    return properties


class ImportForm(forms.Form):
    """A file, and for CSV or a spreadsheet the FtM mapping of its columns: built here from a
    schema, key columns and property rows, or pasted as the mapping's YAML."""

    file = forms.FileField(label="File")
    format = forms.ChoiceField(choices=ImportFormat.choices, initial=ImportFormat.FTM, label="Format")
    schema = forms.ChoiceField(
        required=False,
        label="Each row is a",
        help_text="For CSV and spreadsheets: the kind of entity a row makes.",
    )
    keys = forms.CharField(
        required=False,
        label="Key columns",
        help_text="The columns that identify a row, comma-separated (they make the entity's id).",
    )
    property_columns = forms.CharField(
        required=False,
        label="Properties from columns",
        help_text=MAPPING_HELP,
        widget=forms.Textarea(attrs={"rows": 4, "class": "mono"}),
    )
    mapping_yaml = forms.CharField(
        required=False,
        label="Or paste a mapping (YAML)",
        help_text="A FollowTheMoney mapping query: entities, each with schema, keys and properties.",
        widget=forms.Textarea(attrs={"rows": 6, "class": "mono"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schema"].choices = [("", "—"), *schema_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["mapping"] = None
        if data.get("format") == ImportFormat.FTM:
            return data
        pasted = (data.get("mapping_yaml") or "").strip()
        if pasted:
            data["mapping"] = self._pasted(pasted)
        elif data.get("schema"):
            data["mapping"] = self._built(data)
        else:
            raise ValidationError("A CSV or spreadsheet needs a mapping: choose what a row is, or paste one.")
        return data

    def _pasted(self, text: str) -> dict[str, Any]:
        try:
            mapping = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise ValidationError({"mapping_yaml": f"This is not YAML: {error}"}) from error
        if not isinstance(mapping, dict):
            raise ValidationError({"mapping_yaml": "A mapping is a YAML dictionary with “entities”."})
        # A whole mapping file (dataset: {queries: [...]}) with one query is taken as that query.
        if len(mapping) == 1 and isinstance(next(iter(mapping.values())), dict):
            inner = next(iter(mapping.values()))
            queries = inner.get("queries") or ([inner["query"]] if "query" in inner else [])
            if len(queries) == 1 and isinstance(queries[0], dict):
                mapping = queries[0]
        if "entities" not in mapping:
            raise ValidationError({"mapping_yaml": "A mapping needs “entities”."})
        return mapping

    def _built(self, data: dict[str, Any]) -> dict[str, Any]:
        keys = [key.strip() for key in (data.get("keys") or "").split(",") if key.strip()]
        if not keys:
            raise ValidationError({"keys": "Name at least one column that identifies a row."})
        try:
            properties = _parse_property_lines(data.get("property_columns") or "")
        except ValidationError as error:
            raise ValidationError({"property_columns": error.messages}) from error
        if not properties:
            raise ValidationError({"property_columns": "Map at least one property to a column."})
        entity = {"schema": data["schema"], "keys": keys, "properties": properties}
        return {"entities": {data["schema"].lower(): entity}}


# --- Analyses -----------------------------------------------------------------------------------


class CollectionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.owner_agency}, {obj.get_handling_code_display()})"


class AnalysisForm(forms.Form):
    collections = CollectionChoiceField(
        queryset=Collection.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Collections to analyse",
        help_text="Only collections you may read; the analysis sees nothing else.",
    )
    seed = forms.IntegerField(
        required=False, min_value=0, initial=0, help_text="The same seed gives the same communities."
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collections"].queryset = (  # type: ignore[attr-defined]
            Collection.objects.visible_to(user).select_related("owner_agency")
        )


# --- Assessments --------------------------------------------------------------------------------


class AssessmentForm(forms.Form):
    title = forms.CharField(max_length=250)
    handling_code = forms.ChoiceField(
        choices=INTEL_CODES,
        initial=HandlingCode.AMBER,
        widget=forms.RadioSelect,
        label="Who may read it",
        help_text="At least as strict as the most restricted collection it draws on: your call.",
    )
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}), label="Summary")
    modus_operandi = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 5}), label="Modus operandi"
    )
    financial_network = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 5}), label="Financial network"
    )
    routes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Routes",
        help_text="Origin, transit and destination, by air, sea or land.",
    )
    countries = forms.ModelMultipleChoiceField(
        queryset=Country.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Hold Ctrl (or ⌘) to choose several.",
    )
    plans = PlanChoiceField(
        queryset=Plan.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Joint investigation plans",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = Plan.objects.visible_to(user)  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    """A member as the analyst keeps it: the entity (fixed), its role, kept or not."""

    ftm_id = forms.CharField(widget=forms.HiddenInput, max_length=200)
    caption = forms.CharField(widget=forms.HiddenInput, max_length=500, required=False)
    schema = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    country = forms.CharField(widget=forms.HiddenInput, max_length=8, required=False)
    role = forms.CharField(max_length=120, required=False, label="Role")
    keep = forms.BooleanField(required=False, initial=True, label="Member")


MemberFormSet = forms.formset_factory(MemberForm, extra=0, max_num=500, validate_max=True)


# --- Sharing ---------------------------------------------------------------------------------


class PeopleByAddressField(forms.CharField):
    """Named people as e-mail addresses, one a line or separated by commas: naming someone needs
    their address, as an e-mail does, so the form lists nobody (the directory of accounts is
    the policy's, `users_visible_to`)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[Any]:  # type: ignore[override]
        addresses = [part.strip().lower() for part in str(value or "").replace(",", "\n").split()]
        addresses = [address for address in dict.fromkeys(addresses) if address]
        if not addresses:
            return []
        officers = User.objects.filter(
            is_active=True, email__in=addresses, roles__code__in=policy.RESTRICTED_READERS
        ).distinct()
        found = {person.email.lower(): person for person in officers}
        unknown = [address for address in addresses if address not in found]
        if unknown:
            raise ValidationError(
                "No officer of an agency has the address " + ", ".join(unknown) + ".", code="unknown"
            )
        return [found[address] for address in addresses]

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list | tuple):
            return "\n".join(getattr(person, "email", str(person)) for person in value)
        return str(value or "")


class SharingForm(forms.Form):
    """The owner's choice of who reads a collection or an assessment. The code limits what each
    sharing does; `OperationalRecord.clean_sharing` refuses what it does not allow."""

    handling_code = forms.ChoiceField(choices=INTEL_CODES, widget=forms.RadioSelect, label="Handling code")
    agencies = AgencyChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label="Agencies",
        help_text="At TLP:AMBER and AMBER+STRICT, their people read it.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    countries = forms.ModelMultipleChoiceField(
        queryset=Country.objects.none(),
        required=False,
        label="Whole countries",
        help_text="At TLP:AMBER only: every agency of these countries.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    plans = PlanChoiceField(
        queryset=Plan.objects.none(),
        required=False,
        label="Plans",
        help_text="At TLP:AMBER only: every agency of the plan's lead and partner countries.",
        widget=forms.CheckboxSelectMultiple,
    )
    people = PeopleByAddressField(
        required=False,
        label="Named people",
        help_text="At TLP:RED only: their e-mail addresses, one a line. They read it, besides the author.",
    )

    def __init__(self, *args: Any, user: Any, record: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "handling_code": record.handling_code,
                "agencies": list(record.shared_agencies.all()),
                "countries": list(record.shared_countries.all()),
                "plans": list(record.shared_plans.all()),
                "people": list(record.named_people.all()),
            },
        )
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(is_active=True).exclude(pk=record.owner_agency_id)
        self.fields["agencies"].queryset = agencies.select_related("country").order_by(  # type: ignore[attr-defined]
            "country__name", "name"
        )
        # The group's countries: those with a standing in it or an agency on the platform.
        countries = Country.objects.filter(Q(standings__isnull=False) | Q(agencies__isnull=False))
        self.fields["countries"].queryset = countries.distinct().order_by("name")  # type: ignore[attr-defined]
        self.fields["plans"].queryset = Plan.objects.visible_to(user)  # type: ignore[attr-defined]
