"""Enquiries in the admin are read-only: their content and sharing change only through the actions,
which check the access policy and write the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from disrupt.exchange.models import Attachment, Enquiry, Reply


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Enquiry)
class EnquiryAdmin(ReadOnlyAdmin):
    list_display = ["reference", "owner_agency", "handling_code", "status", "due_on", "created_at"]
    list_filter = ["status", "handling_code", "kind"]
    # Metadata only: an administrator does not read operational content through the back door.
    fields = [
        "reference",
        "kind",
        "owner_agency",
        "handling_code",
        "priority",
        "status",
        "due_on",
        "created_at",
    ]
    search_fields = ["reference"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = [
        "original_name",
        "enquiry",
        "size",
        "content_type",
        "sha256",
        "virus_scanned",
        "uploaded_at",
    ]
    fields = ["original_name", "enquiry", "size", "content_type", "sha256", "virus_scanned", "uploaded_at"]


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ["enquiry", "agency", "created_at"]
    fields = ["enquiry", "agency", "created_at"]
