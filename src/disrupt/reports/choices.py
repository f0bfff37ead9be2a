from django.db import models


class Qualifier(models.TextChoices):
    """How exactly a figure is known: "59" (exact), "over 70" (at least), "numerous" (unquantified)."""

    EXACT = "exact", "Exact"
    AT_LEAST = "at_least", "At least"
    UNQUANTIFIED = "unquantified", "Unquantified"


class ReportKind(models.TextChoices):
    """The two reports a participating country owes for each cycle."""

    MIDTERM = "midterm", "Mid-term report"
    FINAL = "final", "Final report"


class VersionStatus(models.TextChoices):
    """Where one version of a report stands. Only a draft can change."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned with comments"
    SUPERSEDED = "superseded", "Superseded by a correction"
