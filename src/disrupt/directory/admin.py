from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from disrupt.directory.models import Agency, Country, CountryStanding, Role, User


class StandingInline(admin.TabularInline):
    model = CountryStanding
    extra = 0


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "alpha3"]
    search_fields = ["name", "code", "alpha3"]
    inlines = [StandingInline]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "country", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["country"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "requires_two_factor"]
    list_editable = ["requires_two_factor"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "agency", "is_active", "is_staff", "is_demo"]
    list_filter = ["is_active", "is_staff", "is_demo", "roles"]
    search_fields = ["email", "full_name"]
    filter_horizontal = ["roles", "groups", "user_permissions"]
    autocomplete_fields = ["agency"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "agency", "roles"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "is_demo"]}),
        ("Django permissions", {"classes": ["collapse"], "fields": ["groups", "user_permissions"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "agency", "password1", "password2"]}),
    ]


@admin.register(CountryStanding)
class CountryStandingAdmin(admin.ModelAdmin):
    list_display = ["country", "standing", "since", "until", "note"]
    list_filter = ["standing"]
    search_fields = ["country__name", "note"]
    autocomplete_fields = ["country"]
