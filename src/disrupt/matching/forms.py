"""Forms of the matching pages. The rules (who may, what a decision needs) live in actions.py;
a form only turns what was typed into the arguments of an action."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from disrupt.access.choices import HandlingCode
from disrupt.directory.models import Agency, Country
from disrupt.exchange.forms import AgencyChoiceField
from disrupt.intel.forms import INTEL_CODES, PlanChoiceField
from disrupt.intel.ftm import ftm_model
from disrupt.matching.choices import Verdict
from disrupt.programme.models import Plan

# What a grant may be, as actions.do_decide_disclosure takes it.
GRANT_ALL, GRANT_SOME, GRANT_NONE = "all", "some", "none"
GRANTS = [
    (GRANT_ALL, "Approve: disclose the whole record"),
    (GRANT_SOME, "Approve in part: disclose only the properties chosen below"),
    (GRANT_NONE, "Refuse, with a reason"),
]
# Longest FtM entity the owner may paste for an uploaded subject.
MAX_ENTITY_CHARS = 200_000


def _code_rank(code: str) -> int:
    return list(HandlingCode.values).index(code)


class JudgementForm(forms.Form):
    verdict = forms.ChoiceField(choices=Verdict.choices, widget=forms.RadioSelect, label="Your verdict")
    note = forms.CharField(
        max_length=500,
        required=False,
        label="Note",
        help_text="Why, in a line: kept with the verdict and read by your agency only.",
    )


class DisclosureRequestForm(forms.Form):
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        label="Why you need the record",
        help_text="The owner reads this when deciding. Name the investigation and what the record would add.",
    )
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.none(),
        required=False,
        label="Joint investigation plan",
        empty_label="No plan",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plans = self.fields["plan"]
        plans.queryset = Plan.objects.visible_to(user).order_by("reference")  # type: ignore[attr-defined]
        plans.label_from_instance = lambda plan: f"{plan.reference} {plan.title}"  # type: ignore[attr-defined]


def property_choices(schema_name: str, properties: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """A checkbox per property the record has, labelled as FtM labels it, with its values (the
    owner is the only one to see this form)."""
    schema = ftm_model().get(schema_name)
    choices = []
    for name, values in properties.items():
        prop = schema.get(name) if schema is not None else None
        label = prop.label if prop is not None else name
        shown = ", ".join(str(value) for value in values)
        if len(shown) > 200:
            shown = shown[:199] + "…"
        choices.append((name, f"{label}: {shown}" if shown else str(label)))
    return sorted(choices, key=lambda choice: choice[1].lower())


def template_choices(schema_name: str) -> list[tuple[str, str]]:
    """For an uploaded subject the hub holds no content: the schema's properties to choose from."""
    schema = ftm_model().get(schema_name) or ftm_model().get("Thing")
    assert schema is not None
    properties = [p for p in schema.properties.values() if not p.stub and not p.hidden]
    featured = set(schema.featured)
    ordered = sorted(properties, key=lambda p: (p.name not in featured, str(p.label).lower()))
    return [(p.name, str(p.label)) for p in ordered]


class DecisionForm(forms.Form):
    """The owner's decision on a disclosure request: all, a chosen subset of properties, or a
    refusal with a reason; optionally a stricter handling code for the disclosed copy. For an
    uploaded subject (the hub holds only its encodings) the owner pastes the entity to disclose."""

    grant = forms.ChoiceField(choices=GRANTS, widget=forms.RadioSelect, label="What you decide")
    properties = forms.MultipleChoiceField(
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Properties to disclose",
        help_text="Only for a partial approval. The requester sees these and nothing else.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
        label="Reason",
        help_text="Required for a refusal; the requester reads it.",
    )
    handling_code = forms.ChoiceField(
        choices=[],
        required=False,
        label="Handling code of the disclosed copy",
        help_text="The copy keeps your record's code unless you choose a stricter one.",
    )
    entity = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8, "class": "mono", "spellcheck": "false"}),
        max_length=MAX_ENTITY_CHARS,
        required=False,
        label="The entity to disclose (FollowTheMoney JSON)",
        help_text="The hub holds only this record's encodings: paste what you choose to disclose, "
        'e.g. {"schema": "Person", "properties": {"name": ["…"]}}.',
    )

    def __init__(
        self,
        *args: Any,
        record_code: str,
        schema: str,
        properties: Mapping[str, Iterable[str]] | None,
        **kwargs: Any,
    ) -> None:
        """`properties`: the subject's content (for the owner's eyes), or None for an uploaded subject."""
        super().__init__(*args, **kwargs)
        self.uploaded = properties is None
        if self.uploaded:
            self.fields["properties"].choices = template_choices(schema)  # type: ignore[attr-defined]
        else:
            self.fields.pop("entity")
            self.fields["properties"].choices = property_choices(schema, properties or {})  # type: ignore[attr-defined]
        stricter = [
            (v, label) for v, label in HandlingCode.choices if _code_rank(v) > _code_rank(record_code)
        ]
        current = HandlingCode(record_code).label
        self.fields["handling_code"].choices = [("", f"Keep {current}"), *stricter]  # type: ignore[attr-defined]
        if not stricter:
            self.fields.pop("handling_code")

    def clean_entity(self) -> dict[str, Any] | None:
        text = (self.cleaned_data.get("entity") or "").strip()
        if not text:
            return None
        try:
            entity = json.loads(text)
        except ValueError as error:
            raise ValidationError(f"This is not JSON: {error}") from error
        if not isinstance(entity, dict) or not isinstance(entity.get("properties"), dict):
            raise ValidationError("Paste one entity: a JSON object with “schema” and “properties”.")
        return entity

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        grant = data.get("grant")
        if grant == GRANT_NONE and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why you refuse: the requester reads it.")
        if grant == GRANT_SOME and not data.get("properties"):
            self.add_error("properties", "Choose at least one property, or approve all, or refuse.")
        wants_entity = self.uploaded and grant in {GRANT_ALL, GRANT_SOME}
        if wants_entity and "entity" not in self.errors and not data.get("entity"):
            self.add_error("entity", "Paste the entity you disclose: the hub holds none of its content.")
        return data


class UploadForm(forms.Form):
    """A selectors file made with `disrupt selectors encode`, and who may know of it."""

    name = forms.CharField(
        max_length=200,
        label="Name",
        help_text="What the records stand for, in your words (e.g. “Crew lists, Kupang 2026”).",
    )
    file = forms.FileField(label="Selectors file", help_text="The selectors.json the encoder wrote.")
    handling_code = forms.ChoiceField(
        choices=INTEL_CODES,
        initial=HandlingCode.AMBER,
        widget=forms.RadioSelect,
        label="Handling code of the records",
        help_text="Shown to the other side of a hit; a disclosure starts from it.",
    )
    plans = PlanChoiceField(
        queryset=Plan.objects.none(),
        required=False,
        label="Joint investigation plans",
        help_text="The plans the records belong to.",
        widget=forms.CheckboxSelectMultiple,
    )
    shared_agencies = AgencyChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label="Agencies that may see it",
        help_text="They see its name, counts and status; never its encodings, and never its hits. "
        "Hold Ctrl (or ⌘) to choose several.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    shared_countries = forms.ModelMultipleChoiceField(
        queryset=Country.objects.none(),
        required=False,
        label="Whole countries that may see it",
        help_text="At TLP:AMBER only.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = Plan.objects.visible_to(user)  # type: ignore[attr-defined]
        agencies = Agency.objects.filter(is_active=True).exclude(pk=user.agency_id or 0)
        self.fields["shared_agencies"].queryset = agencies.select_related("country").order_by(  # type: ignore[attr-defined]
            "country__name", "name"
        )
        countries = Country.objects.filter(Q(standings__isnull=False) | Q(agencies__isnull=False))
        self.fields["shared_countries"].queryset = countries.distinct().order_by("name")  # type: ignore[attr-defined]


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=1000, required=False, label="Why you withdraw it")
