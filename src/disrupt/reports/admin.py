from django.contrib import admin
from django.http import HttpRequest

from disrupt.reports.models import Indicator, PublishedFigure, Reminder


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position", "is_victim_count", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(PublishedFigure)
class PublishedFigureAdmin(admin.ModelAdmin):
    list_display = ["period", "indicator", "qualifier", "value", "wording"]
    list_filter = ["period"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """What the reminder sweep recorded and sent; read-only, as the sweep alone writes it."""

    list_display = ["milestone", "country", "kind", "created_at", "sent_at", "recipients"]
    list_filter = ["kind", "milestone__period"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Reminder | None = None) -> bool:
        return False
