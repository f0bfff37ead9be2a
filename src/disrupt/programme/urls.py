from django.urls import path

from disrupt.programme.views import calendar, meetings, periods, plans

app_name = "programme"

urlpatterns = [
    # Joint Periods of Action and their milestones
    path("periods/", periods.period_list, name="period_list"),
    path("periods/new/", periods.period_create, name="period_create"),
    path("periods/<int:number>/", periods.period_detail, name="period_detail"),
    path("periods/<int:number>/edit/", periods.period_edit, name="period_edit"),
    path("periods/<int:number>/milestones/new/", periods.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/edit/", periods.milestone_edit, name="milestone_edit"),
    # Calendar and the per-user iCalendar feed (the token is the credential: calendar apps cannot sign in)
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/feed/<str:token>.ics", calendar.ical_feed, name="ical_feed"),
    # Joint investigation plans
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/nominate/", plans.plan_nominate, name="plan_nominate"),
    path("plans/<str:reference>/", plans.plan_detail, name="plan_detail"),
    path("plans/<str:reference>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<str:reference>/decide/", plans.plan_decide, name="plan_decide"),
    # Meetings and action items
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/statement/", meetings.meeting_statement, name="meeting_statement"),
    path("meetings/<int:pk>/actions/new/", meetings.action_create, name="action_create"),
    path("actions/<int:pk>/edit/", meetings.action_edit, name="action_edit"),
]
