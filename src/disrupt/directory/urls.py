from django.urls import path
from django.views.generic import TemplateView

app_name = "directory"

_todo = TemplateView.as_view(template_name="base.html")

urlpatterns = [
    path("me/", _todo, name="profile"),
    path("countries/", _todo, name="country_list"),
    path("countries/<str:code>/", _todo, name="country_detail"),
    path("agencies/<int:pk>/", _todo, name="agency_detail"),
    path("users/<int:pk>/", _todo, name="user_detail"),
]
