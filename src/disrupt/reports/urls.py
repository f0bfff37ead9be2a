from django.urls import path

from disrupt.reports.views import deadlines, outcomes

app_name = "reports"

urlpatterns = [
    # The group's recorded outcomes
    path("outcomes/", outcomes.outcomes, name="outcomes"),
    path("outcomes/periods/<int:number>/", outcomes.period_outcomes, name="period_outcomes"),
    # Country reports (reports/views/reports.py)
    # Report deadlines of a cycle (reports/views/deadlines.py)
    path("periods/<int:number>/deadlines/", deadlines.period_deadlines, name="deadlines"),
]
