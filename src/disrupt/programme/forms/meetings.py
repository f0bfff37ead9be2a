"""Forms of the meeting pages: the meeting, its statement document, its action items."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q

from disrupt.access import policy
from disrupt.directory.models import Agency, Country, User
from disrupt.lib import files
from disrupt.programme.models import ActionItem, Meeting

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.ModelForm[Meeting]):
    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "date_precision",
            "mode",
            "city",
            "host_country",
            "online_platform",
            "period",
            "co_chairs",
            "attending_countries",
            "attending_organisations",
            "outcome_statement",
        ]
        labels = {
            "starts_on": "Starts on",
            "ends_on": "Ends on",
            "date_precision": "The dates are known to the",
            "period": "Joint Period of Action",
        }
        help_texts = {
            "ends_on": "Leave empty for a one-day meeting.",
            "city": "For a meeting in person.",
            "co_chairs": "The countries co-chairing the meeting.",
        }
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attending_organisations"].queryset = Agency.objects.international()  # type: ignore[attr-defined]
        self.fields["starts_on"].required = True


class ActionItemForm(forms.ModelForm[ActionItem]):
    class Meta:
        model = ActionItem
        fields = ["text", "owner_country", "owner_agency", "owner_user", "due_on", "status"]
        labels = {
            "text": "What is to be done",
            "owner_country": "Owner: country",
            "owner_agency": "Owner: agency or organisation",
            "owner_user": "Owner: person",
            "due_on": "Due on",
        }
        widgets = {"due_on": DATE_INPUT, "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only people the editor may know of can be named as owners (plus whoever already is).
        current = self.instance.owner_user_id
        people = policy.visible_to(user, User.objects.filter(is_active=True))
        self.fields["owner_user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            Q(pk__in=people.values("pk")) | Q(pk=current)
        ).select_related("agency")
        self.fields["owner_agency"].queryset = Agency.objects.filter(is_active=True).select_related("country")  # type: ignore[attr-defined]
        self.fields["owner_country"].queryset = Country.objects.all()  # type: ignore[attr-defined]


class ActionProgressForm(forms.ModelForm[ActionItem]):
    """What an action's owner may change: its status."""

    class Meta:
        model = ActionItem
        fields = ["status"]


# --- The statement document ---------------------------------------------------------------------


# Types come from the bytes (disrupt.lib.files, shared with enquiry attachments); a statement is
# one of these four. A CSV is plain text here.
DOCUMENT_TYPES = {kind.extension: kind for kind in (files.PDF, files.DOCX, files.ODT, files.TEXT)}


def sniff_document(upload: UploadedFile) -> files.FileType | None:
    """The document's type from its content, never from its name or the browser's claim."""
    kind = files.sniff(upload)  # type: ignore[arg-type]
    if kind == files.CSV:
        return files.TEXT
    return kind if kind in DOCUMENT_TYPES.values() else None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class StatementUploadForm(forms.Form):
    document = forms.FileField(
        label="Original statement document",
        help_text="PDF, Word (.docx), OpenDocument text (.odt) or plain text.",
        allow_empty_file=False,
    )

    def clean_document(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["document"]
        limit = settings.MAX_UPLOAD_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                f"The file is {_megabytes(upload.size)}; the largest accepted is {_megabytes(limit)}."
            )
        kind = sniff_document(upload)
        if kind is None:
            raise forms.ValidationError(
                "This file is not a PDF, Word, OpenDocument or plain text document "
                "(its content was checked, whatever its name says)."
            )
        self.document_type = kind
        return upload
