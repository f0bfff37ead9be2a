from django.urls import path

from disrupt.history import views

app_name = "history"

urlpatterns = [
    path("", views.source_list, name="sources"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("<path:key>/", views.source_detail, name="source_detail"),
]
