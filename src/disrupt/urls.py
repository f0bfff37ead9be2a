from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

admin.site.site_header = "Disrupt administration"
admin.site.site_title = "Disrupt administration"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("disrupt.core.urls")),
    path("", include("disrupt.directory.auth_urls")),
    path("", include("disrupt.directory.urls")),
    path("", include("disrupt.programme.urls")),
    path("history/", include("disrupt.history.urls")),
    path("", include("disrupt.reports.urls")),
    path("", include("disrupt.exchange.urls")),
    path("intel/", include("disrupt.intel.urls")),
    path("matching/", include("disrupt.matching.urls")),
    path("notifications/", include("disrupt.notifications.urls")),
    path("search/", include("disrupt.search.urls")),
    path("api/v1/", include("disrupt.api.urls")),
    path("audit/", include("disrupt.audit.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
