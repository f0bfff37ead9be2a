"""Network intelligence in the admin is read-only metadata: contents and sharing change only through
intel/actions.py, which checks the access policy and writes the audit trail. An administrator does
not read entities, findings or assessments through the back door."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from disrupt.intel.models import AnalysisRun, Assessment, Collection, ImportJob


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Collection)
class CollectionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "owner_agency", "handling_code", "created_at", "updated_at"]
    list_filter = ["handling_code"]
    fields = ["owner_agency", "handling_code", "created_at", "updated_at"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    # Status and liveness, to see a stuck job; not the file name (it can name a case).
    list_display = [
        "pk",
        "collection_id",
        "format",
        "status",
        "attempts",
        "size",
        "heartbeat_at",
        "finished_at",
    ]
    list_filter = ["status", "format"]
    fields = [
        "format",
        "status",
        "stage",
        "attempts",
        "size",
        "progress_done",
        "progress_total",
        "heartbeat_at",
    ]


@admin.register(AnalysisRun)
class AnalysisRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "status", "attempts", "node_count", "link_count", "heartbeat_at", "finished_at"]
    list_filter = ["status"]
    fields = ["status", "stage", "attempts", "node_count", "link_count", "heartbeat_at", "finished_at"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["pk", "owner_agency", "handling_code", "version", "updated_at"]
    list_filter = ["handling_code"]
    fields = ["owner_agency", "handling_code", "version", "created_at", "updated_at"]
