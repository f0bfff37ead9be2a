from django.contrib import admin

from disrupt.reports.models import Indicator, PublishedFigure


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position", "is_victim_count", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(PublishedFigure)
class PublishedFigureAdmin(admin.ModelAdmin):
    list_display = ["period", "indicator", "qualifier", "value", "wording"]
    list_filter = ["period"]
