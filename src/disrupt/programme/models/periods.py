"""Joint Periods of Action and their milestones."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from disrupt.lib.dates import DatePrecision, format_date, format_span, months_between
from disrupt.programme.choices import MilestoneKind, PeriodStatus, Responsible

if TYPE_CHECKING:
    from disrupt.directory.models import Country


class PeriodOfAction(models.Model):
    """A cycle in which two or more countries act together on joint investigation plans."""

    number = models.PositiveSmallIntegerField(unique=True)
    starts_on = models.DateField(null=True, blank=True)
    starts_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    ends_on = models.DateField(null=True, blank=True)
    ends_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY)
    status = models.CharField(max_length=12, choices=PeriodStatus.choices, default=PeriodStatus.PLANNING)
    summary = models.TextField(blank=True)
    co_chairs = models.ManyToManyField("directory.Country", blank=True, related_name="co_chaired_periods")
    participants = models.ManyToManyField("directory.Country", blank=True, related_name="periods")
    observer_countries = models.ManyToManyField(
        "directory.Country", blank=True, related_name="observed_periods"
    )
    observer_organisations = models.ManyToManyField(
        "directory.Agency",
        blank=True,
        related_name="observed_periods",
        limit_choices_to={"kind": "international"},
    )
    supporting_organisations = models.ManyToManyField(
        "directory.Agency",
        blank=True,
        related_name="supported_periods",
        limit_choices_to={"kind": "international"},
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = "Joint Period of Action"
        verbose_name_plural = "Joint Periods of Action"
        constraints = [
            models.CheckConstraint(condition=models.Q(number__gte=1), name="period_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ordinal} Joint Period of Action"

    def get_absolute_url(self) -> str:
        return reverse("programme:period_detail", args=[self.number])

    @property
    def ordinal(self) -> str:
        n = self.number
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"

    @property
    def window(self) -> str:
        return format_span(self.starts_on, self.ends_on, self.starts_precision, self.ends_precision)

    @property
    def window_is_exact(self) -> bool:
        return (
            self.starts_on is not None
            and self.ends_on is not None
            and self.starts_precision == DatePrecision.DAY
            and self.ends_precision == DatePrecision.DAY
        )

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The window cannot end before it starts."})
        # The group runs cycles of one month to twelve; a planned window must fit.
        if self.window_is_exact:
            assert self.starts_on and self.ends_on
            length = months_between(self.starts_on, self.ends_on)
            if length < 1 - 1e-9 or length > 12 + 1e-9:
                raise ValidationError(
                    {
                        "ends_on": f"A Joint Period of Action runs one to twelve months; this window is "
                        f"{length:.1f} months."
                    }
                )

    def is_co_chaired_by(self, country: Country | None) -> bool:
        return country is not None and self.co_chairs.filter(pk=country.pk).exists()


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    """Milestones still to reach. A closed period's milestones are history, never late: where the
    record does not say when one was done, it is simply not recorded."""

    def open(self) -> MilestoneQuerySet:
        return self.filter(done_on__isnull=True).exclude(period__status=PeriodStatus.CLOSED)

    def upcoming(self, today: dt.date | None = None) -> MilestoneQuerySet:
        today = today or timezone.localdate()
        return self.open().filter(due_on__gte=today).order_by("due_on")

    def late(self, today: dt.date | None = None) -> MilestoneQuerySet:
        today = today or timezone.localdate()
        return self.open().filter(due_on__lt=today).order_by("due_on")


class Milestone(models.Model):
    """A dated step of a cycle: plans distributed, reports due, media release, debrief."""

    period = models.ForeignKey(PeriodOfAction, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=20, choices=MilestoneKind.choices)
    title = models.CharField(max_length=200)
    responsible = models.CharField(max_length=16, choices=Responsible.choices)
    due_on = models.DateField(null=True, blank=True)
    due_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY)
    done_on = models.DateField(null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["period", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.period})"

    def get_absolute_url(self) -> str:
        return self.period.get_absolute_url() + f"#milestone-{self.pk}"

    @property
    def due(self) -> str:
        return format_date(self.due_on, self.due_precision)

    @property
    def is_open(self) -> bool:
        return not self.done_on and self.period.status != PeriodStatus.CLOSED

    @property
    def is_late(self) -> bool:
        return bool(self.is_open and self.due_on and self.due_on < timezone.localdate())

    def clean(self) -> None:
        if self.done_on and self.done_on > timezone.localdate():
            raise ValidationError({"done_on": "A milestone cannot be done in the future."})
