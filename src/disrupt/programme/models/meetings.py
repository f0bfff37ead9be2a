"""Meetings of the group, what they concluded, and the actions they agreed."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from disrupt.lib.dates import DatePrecision, format_span
from disrupt.programme.choices import ActionStatus, MeetingKind, MeetingMode


class Meeting(models.Model):
    kind = models.CharField(max_length=16, choices=MeetingKind.choices)
    title = models.CharField(max_length=250)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY)
    mode = models.CharField(max_length=10, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON)
    city = models.CharField(max_length=120, blank=True)
    host_country = models.ForeignKey(
        "directory.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="hosted_meetings"
    )
    online_platform = models.CharField(max_length=120, blank=True, help_text="For an online meeting.")
    period = models.ForeignKey(
        "programme.PeriodOfAction", on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    co_chairs = models.ManyToManyField("directory.Country", blank=True, related_name="co_chaired_meetings")
    attending_countries = models.ManyToManyField("directory.Country", blank=True, related_name="meetings")
    attending_organisations = models.ManyToManyField(
        "directory.Agency", blank=True, related_name="meetings", limit_choices_to={"kind": "international"}
    )
    outcome_statement = models.TextField(blank=True, help_text="What the meeting concluded, in our words.")
    statement_document = models.FileField(upload_to="meetings/statements/%Y/", blank=True)

    class Meta:
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:meeting_detail", args=[self.pk])

    @property
    def when(self) -> str:
        end = self.ends_on if self.ends_on and self.ends_on != self.starts_on else None
        if end is None:
            return format_span(self.starts_on, self.starts_on, self.date_precision, self.date_precision)
        return format_span(self.starts_on, end, self.date_precision, self.date_precision)

    @property
    def where(self) -> str:
        if self.mode == MeetingMode.ONLINE:
            return f"Online ({self.online_platform})" if self.online_platform else "Online"
        return ", ".join(part for part in (self.city, str(self.host_country or "")) if part) or "Not recorded"

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "A meeting cannot end before it starts."
        if self.mode == MeetingMode.IN_PERSON and self.online_platform:
            errors["online_platform"] = "An in-person meeting has no online platform."
        if self.mode == MeetingMode.ONLINE and self.city:
            errors["city"] = "An online meeting has no city."
        if errors:
            raise ValidationError(errors)


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def outstanding(self) -> ActionItemQuerySet:
        return self.filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])


class ActionItem(models.Model):
    """Something a meeting agreed to do, with who does it and by when (where the record says)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.TextField()
    owner_country = models.ForeignKey(
        "directory.Country", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_agency = models.ForeignKey(
        "directory.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url() + f"#action-{self.pk}"

    @property
    def owner(self) -> str:
        return str(self.owner_user or self.owner_agency or self.owner_country or "Not recorded")

    @property
    def is_late(self) -> bool:
        return bool(
            self.due_on
            and self.status in {ActionStatus.OPEN, ActionStatus.IN_PROGRESS}
            and self.due_on < timezone.localdate()
        )
