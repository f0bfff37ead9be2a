from django.contrib import admin

from disrupt.programme.models import (
    ActionItem,
    CoChairTerm,
    CrimeType,
    Meeting,
    Milestone,
    Objective,
    PeriodOfAction,
    Plan,
    PlanRouteStop,
    Sector,
    WorkingGroup,
)


@admin.register(CrimeType, Sector, Objective)
class ReferenceTermAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    prepopulated_fields = {"code": ["name"]}
    search_fields = ["name", "code"]


class CoChairTermInline(admin.TabularInline):
    model = CoChairTerm
    extra = 0


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    inlines = [CoChairTermInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(PeriodOfAction)
class PeriodOfActionAdmin(admin.ModelAdmin):
    list_display = ["number", "starts_on", "ends_on", "status"]
    filter_horizontal = [
        "co_chairs",
        "participants",
        "observer_countries",
        "observer_organisations",
        "supporting_organisations",
    ]
    inlines = [MilestoneInline]


class RouteStopInline(admin.TabularInline):
    model = PlanRouteStop
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "lead_country", "status", "handling_code"]
    list_filter = ["status", "handling_code", "periods"]
    search_fields = ["reference", "title"]
    filter_horizontal = ["partner_countries", "crime_types", "sectors", "objectives", "periods", "agencies"]
    readonly_fields = ["nominated_by", "nominated_at", "decided_by", "decided_at", "updated_at"]
    inlines = [RouteStopInline]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_on", "mode", "city"]
    list_filter = ["kind", "mode"]
    filter_horizontal = ["co_chairs", "attending_countries", "attending_organisations"]
    inlines = [ActionItemInline]
