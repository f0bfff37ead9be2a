"""Joint investigation plans: who works together on what, along which route, in which cycles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from disrupt.access.choices import HandlingCode
from disrupt.programme.choices import PlanStatus, RouteRole

if TYPE_CHECKING:
    from disrupt.directory.models import Country


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to(self, user: Any) -> PlanQuerySet:
        from disrupt.access.policy import plans_visible_to

        return plans_visible_to(user, self)  # type: ignore[return-value]


class Plan(models.Model):
    """A joint investigation (or data-collection) plan nominated by a lead country."""

    reference = models.CharField(max_length=20, unique=True, help_text="Short code, e.g. JPA2-03.")
    title = models.CharField(max_length=250)
    summary = models.TextField(blank=True)
    lead_country = models.ForeignKey("directory.Country", on_delete=models.PROTECT, related_name="led_plans")
    partner_countries = models.ManyToManyField(
        "directory.Country",
        blank=True,
        related_name="partner_plans",
        help_text="Members or not: a plan may work with a country outside the group.",
    )
    crime_types = models.ManyToManyField("programme.CrimeType", blank=True, related_name="plans")
    sectors = models.ManyToManyField("programme.Sector", blank=True, related_name="plans")
    objectives = models.ManyToManyField("programme.Objective", blank=True, related_name="plans")
    by_air = models.BooleanField("air", default=False)
    by_sea = models.BooleanField("sea", default=False)
    by_land = models.BooleanField("land", default=False)
    online = models.BooleanField("online", default=False)
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.NOMINATED)
    periods = models.ManyToManyField("programme.PeriodOfAction", blank=True, related_name="plans")
    agencies = models.ManyToManyField("directory.Agency", blank=True, related_name="plans")
    handling_code = models.CharField(max_length=12, choices=HandlingCode.choices, default=HandlingCode.GREEN)

    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nominated_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programme:plan_detail", args=[self.reference])

    @property
    def modes(self) -> list[str]:
        return [
            label
            for flag, label in (
                (self.by_air, "Air"),
                (self.by_sea, "Sea"),
                (self.by_land, "Land"),
                (self.online, "Online"),
            )
            if flag
        ]

    @property
    def countries(self) -> list[Country]:
        """The lead country first, then the partners."""
        return [self.lead_country, *self.partner_countries.exclude(pk=self.lead_country_id)]

    def involves(self, country: Country | None) -> bool:
        if country is None:
            return False
        return self.lead_country_id == country.pk or self.partner_countries.filter(pk=country.pk).exists()

    def route(self, role: str) -> list[Country]:
        return [stop.country for stop in self.route_stops.all() if stop.role == role]

    def clean(self) -> None:
        if self.handling_code not in {HandlingCode.CLEAR, HandlingCode.GREEN, HandlingCode.AMBER}:
            raise ValidationError(
                {"handling_code": "A plan is shared with the group: CLEAR, GREEN or AMBER."}
            )


class PlanRouteStop(models.Model):
    """One country on a plan's route, as origin, transit or destination."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="route_stops")
    country = models.ForeignKey("directory.Country", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=RouteRole.choices)

    class Meta:
        ordering = ["plan", "role", "country__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "country", "role"], name="route_stop_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.country}"
