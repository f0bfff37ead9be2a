from django.urls import path
from django.views.generic import TemplateView

app_name = "programme"

_todo = TemplateView.as_view(template_name="base.html")

urlpatterns = [
    path("periods/", _todo, name="period_list"),
    path("periods/<int:number>/", _todo, name="period_detail"),
    path("plans/", _todo, name="plan_list"),
    path("plans/<str:reference>/", _todo, name="plan_detail"),
    path("meetings/", _todo, name="meeting_list"),
    path("meetings/<int:pk>/", _todo, name="meeting_detail"),
    path("calendar/", _todo, name="calendar"),
]
