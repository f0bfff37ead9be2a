"""Forms of the meeting pages: the meeting, its statement document, its action items."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q

from disrupt.access import policy
from disrupt.directory.models import Agency, Country, User
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


@dataclass(frozen=True)
class DocumentType:
    extension: str
    content_type: str
    label: str


PDF = DocumentType("pdf", "application/pdf", "PDF")
DOCX = DocumentType(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document"
)
ODT = DocumentType("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text")
TEXT = DocumentType("txt", "text/plain; charset=utf-8", "plain text")
DOCUMENT_TYPES = {kind.extension: kind for kind in (PDF, DOCX, ODT, TEXT)}

# Control characters other than tab, newline, form feed and carriage return do not occur in text.
_BINARY_BYTES = bytes(set(range(32)) - {9, 10, 12, 13})


def sniff_document(upload: UploadedFile) -> DocumentType | None:
    """The document's type from its content, never from its name or the browser's claim."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(upload)
    if head and not any(byte in _BINARY_BYTES for byte in head):
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character may be cut at the end of the sample.
            if error.start < len(head) - 4:
                return None
        return TEXT
    return None


def _sniff_zip(upload: UploadedFile) -> DocumentType | None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.content_type.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    return None


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
