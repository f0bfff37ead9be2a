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


class PublicationKind(models.TextChoices):
    """The texts the group publishes, generated from its data and approved by the co-chairs."""

    OUTCOME_SUMMARY = "outcome_summary", "Outcome summary"
    CO_CHAIRS_STATEMENT = "co_chairs_statement", "Co-chairs' statement"
    MEDIA_RELEASE = "media_release", "Media release"


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved for release"
    SUPERSEDED = "superseded", "Superseded"


class ReminderKind(models.TextChoices):
    """When a focal point is reminded of a report: some days before it is due, or once it is late."""

    BEFORE = "before", "Due soon"
    OVERDUE = "overdue", "Overdue"
