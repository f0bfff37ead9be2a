"""Outcome indicators and the figures the group has published for each cycle.

This module holds the reference list of indicators and the recorded outcomes of the public
history; country reports and their lines are in `reports.py`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from disrupt.reports.choices import Qualifier
from disrupt.reports.quantities import Quantity

__all__ = ["Indicator", "PublishedFigure", "Qualifier"]


class Indicator(models.Model):
    """A standard outcome indicator, e.g. arrests or officers trained."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_victim_count = models.BooleanField(
        default=False, help_text="Counts victims: small published cells are suppressed."
    )
    has_currency = models.BooleanField(default=False, help_text="A money value, with a currency.")
    position = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class PublishedFigure(models.Model):
    """An outcome figure the group published for a cycle, with the words it used."""

    period = models.ForeignKey(
        "programme.PeriodOfAction", on_delete=models.CASCADE, related_name="published_figures"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="published_figures")
    qualifier = models.CharField(max_length=12, choices=Qualifier.choices)
    value = models.PositiveIntegerField(null=True, blank=True)
    wording = models.CharField(max_length=120, blank=True, help_text='As published, e.g. "over 70".')

    class Meta:
        ordering = ["period", "indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["period", "indicator"], name="published_figure_unique"),
            models.CheckConstraint(
                condition=(models.Q(qualifier="unquantified") & models.Q(value__isnull=True))
                | (~models.Q(qualifier="unquantified") & models.Q(value__isnull=False)),
                name="published_figure_value_matches_qualifier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.indicator} {self.display}"

    @property
    def quantity(self) -> Quantity:
        """The figure as a quantity, with the qualifying word of the published phrase."""
        return Quantity.of(self.qualifier, self.value, self.wording)

    @property
    def display(self) -> str:
        """As the group writes it: "59", "over 70", "numerous"; never a word it did not use."""
        try:
            return self.quantity.display
        except (TypeError, ValueError):  # an unsaved figure that does not validate yet
            return self.wording

    def clean(self) -> None:
        if self.qualifier == Qualifier.UNQUANTIFIED and self.value is not None:
            raise ValidationError({"value": "An unquantified figure has no number."})
        if self.qualifier != Qualifier.UNQUANTIFIED and self.value is None:
            raise ValidationError({"value": "A number is required unless the figure is unquantified."})
