from django.urls import URLPattern, URLResolver

app_name = "publications"

urlpatterns: list[URLPattern | URLResolver] = []
