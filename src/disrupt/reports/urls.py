from django.urls import path

from disrupt.reports import views

app_name = "reports"

urlpatterns = [
    # The group's recorded outcomes, mounted at /outcomes/
    path("", views.outcomes, name="outcomes"),
    path("periods/<int:number>/", views.period_outcomes, name="period_outcomes"),
]
