from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from disrupt.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: the trail is written by record() and never changed by hand."""

    list_display = ["sequence", "at", "actor_label", "action", "target_label", "country", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_label"]
    ordering = ["-sequence"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
