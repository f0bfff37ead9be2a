"""The working group itself and the governments that co-chair it."""

from django.core.exceptions import ValidationError
from django.db import models

from disrupt.lib.dates import DatePrecision, format_span


class WorkingGroup(models.Model):
    name = models.CharField(max_length=250)
    short_name = models.CharField(max_length=80)
    parent_body = models.CharField(max_length=250, blank=True)
    established_on = models.DateField(null=True, blank=True)
    mandate = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.short_name


class CoChairTerm(models.Model):
    """A government co-chairing the group. Dates stay empty where the record does not give them."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="co_chair_terms")
    country = models.ForeignKey("directory.Country", on_delete=models.PROTECT, related_name="co_chair_terms")
    starts_on = models.DateField(null=True, blank=True)
    starts_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    ends_on = models.DateField(null=True, blank=True)
    ends_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["starts_on", "country__name"]

    def __str__(self) -> str:
        return f"{self.country} ({self.span})"

    @property
    def span(self) -> str:
        if self.starts_on and not self.ends_on:
            return f"from {format_span(self.starts_on, None, self.starts_precision)}"
        return format_span(self.starts_on, self.ends_on, self.starts_precision, self.ends_precision)

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "A term cannot end before it begins."})
