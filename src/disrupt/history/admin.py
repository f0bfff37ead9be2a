from django.contrib import admin

from disrupt.history.models import Citation, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "issued_on"]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["content_type", "object_id", "field", "source", "locator", "reading", "is_adopted"]
    list_filter = ["source", "content_type"]
