"""Reminders of reports due: one per milestone, country and kind, ever.

The unique constraint is what makes a reminder go out once: the worker claims the row
before it sends, and a restarted worker finds the rows already sent.
"""

from __future__ import annotations

from django.db import models

from disrupt.reports.choices import ReminderKind


class Reminder(models.Model):
    """A reminder to a country's focal points that a report milestone is near or past."""

    milestone = models.ForeignKey("programme.Milestone", on_delete=models.CASCADE, related_name="reminders")
    country = models.ForeignKey("directory.Country", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["milestone", "country__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "country", "kind"], name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.milestone} for {self.country}"
