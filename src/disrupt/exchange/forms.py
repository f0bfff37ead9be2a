"""Forms of the enquiry pages. The checks on files and sharing live in actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from disrupt.access.choices import HandlingCode, InformationAccuracy, SourceReliability
from disrupt.directory.models import Agency, Country
from disrupt.exchange.attachments import ALLOWED_LABELS, max_bytes, scanner
from disrupt.exchange.choices import EnquiryKind, EnquiryPriority
from disrupt.lib.files import megabytes
from disrupt.programme.models import Plan

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# What each code means for an enquiry, in the words the sender reads when choosing it.
ENQUIRY_CODES = [
    (HandlingCode.GREEN, "TLP:GREEN: every user of the platform may read it."),
    (
        HandlingCode.AMBER,
        "TLP:AMBER: the agencies you address and their people; you may later share it with "
        "other agencies or whole countries.",
    ),
    (
        HandlingCode.AMBER_STRICT,
        "TLP:AMBER+STRICT: only the agencies you address, never others of their country; "
        "you may later add agencies, never countries.",
    ),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the action, not here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def attachments_help() -> str:
    scanning = (
        "Files are scanned for viruses."
        if scanner() is not None
        else "Attachments are not virus-scanned on this installation."
    )
    return f"{ALLOWED_LABELS}; up to {megabytes(max_bytes())} each. {scanning}"


def _agencies(user: Any) -> Any:
    agencies = (
        Agency.objects.filter(is_active=True).select_related("country").order_by("country__name", "name")
    )
    own: int | None = getattr(user, "agency_id", None)
    return agencies.exclude(pk=own) if own is not None else agencies


class AgencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        country = obj.country.name if obj.country_id else "international"
        return f"{obj.name} ({country})"


class EnquiryForm(forms.Form):
    kind = forms.ChoiceField(choices=EnquiryKind.choices, label="Kind of enquiry")
    recipients = AgencyChoiceField(
        queryset=Agency.objects.none(),
        label="Send to",
        help_text="The agencies that may read and answer it. Hold Ctrl (or ⌘) to choose several.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    subject = forms.CharField(max_length=250)
    body = forms.CharField(label="Enquiry", widget=forms.Textarea(attrs={"rows": 8}))
    handling_code = forms.ChoiceField(
        choices=ENQUIRY_CODES, initial=HandlingCode.AMBER, widget=forms.RadioSelect, label="Who may read it"
    )
    priority = forms.ChoiceField(choices=EnquiryPriority.choices, initial=EnquiryPriority.ROUTINE)
    source_reliability = forms.ChoiceField(
        choices=[("", "Not graded"), *SourceReliability.choices],
        required=False,
        help_text="How reliable the source of what you tell is (the 4x4 evaluation of police exchange).",
    )
    information_accuracy = forms.ChoiceField(
        choices=[("", "Not graded"), *InformationAccuracy.choices],
        required=False,
        help_text="How far the information itself is known to be true.",
    )
    due_on = forms.DateField(label="Reply wanted by", required=False, widget=DATE_INPUT)
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.none(),
        required=False,
        label="Joint investigation plan",
        to_field_name="reference",
    )
    attachments = MultipleFileField(label="Attachments")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = _agencies(user)  # type: ignore[attr-defined]
        self.fields["plan"].queryset = Plan.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["attachments"].help_text = attachments_help()


class ReplyForm(forms.Form):
    body = forms.CharField(label="Your reply", widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label="Attachments")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()


class WideningRequestForm(forms.Form):
    """A recipient asks the owner to share with more agencies (or, at AMBER, countries)."""

    agencies = AgencyChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label="Also share with these agencies",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    countries = forms.ModelMultipleChoiceField(
        queryset=Country.objects.none(),
        required=False,
        label="Also share with every agency of these countries",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, record: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shared = list(record.shared_agencies.values_list("pk", flat=True)) + [record.owner_agency_id]
        self.fields["agencies"].queryset = (  # type: ignore[attr-defined]
            Agency.objects.filter(is_active=True).exclude(pk__in=shared).select_related("country")
        )
        if record.handling_code == HandlingCode.AMBER:
            self.fields["countries"].queryset = Country.objects.exclude(  # type: ignore[attr-defined]
                pk__in=record.shared_countries.values("pk")
            )
        else:
            del self.fields["countries"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("grant", "Grant"), ("refuse", "Refuse")], widget=forms.RadioSelect)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Comment")
