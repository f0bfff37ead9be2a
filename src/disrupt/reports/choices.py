from django.db import models


class Qualifier(models.TextChoices):
    """How exactly a figure is known: "59" (exact), "over 70" (at least), "numerous" (unquantified)."""

    EXACT = "exact", "Exact"
    AT_LEAST = "at_least", "At least"
    UNQUANTIFIED = "unquantified", "Unquantified"
