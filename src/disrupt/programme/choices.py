from django.db import models


class MeetingKind(models.TextChoices):
    ROUNDTABLE = "roundtable", "Roundtable"
    WORKING_GROUP = "working_group", "Working group meeting"
    PLANNING = "planning", "Planning workshop"
    DEBRIEF = "debrief", "Debrief workshop"
    JOINT = "joint", "Joint workshop"
    EXERCISE = "exercise", "Exercise"


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class PeriodStatus(models.TextChoices):
    PLANNING = "planning", "Planning"
    ACTIVE = "active", "Active"
    REPORTING = "reporting", "Reporting"
    CLOSED = "closed", "Closed"


class MilestoneKind(models.TextChoices):
    PLANS_DISTRIBUTED = "plans_distributed", "Investigation plans distributed"
    MIDTERM_REPORT = "midterm_report", "Mid-term report due"
    FINAL_REPORT = "final_report", "Final report due"
    MEDIA_RELEASE = "media_release", "Media release"
    DEBRIEF = "debrief", "Debrief meeting"
    OTHER = "other", "Other"


class Responsible(models.TextChoices):
    CO_CHAIRS = "co_chairs", "Co-chairs"
    PARTICIPANTS = "participants", "Participating countries"
    SECRETARIAT = "secretariat", "Secretariat"


class PlanStatus(models.TextChoices):
    NOMINATED = "nominated", "Nominated"
    RETURNED = "returned", "Returned for changes"
    APPROVED = "approved", "Approved"
    CONCLUDED = "concluded", "Concluded"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RouteRole(models.TextChoices):
    ORIGIN = "origin", "Origin"
    TRANSIT = "transit", "Transit"
    DESTINATION = "destination", "Destination"
