"""Country reports: one per country, cycle and kind, kept as a chain of versions.

A version is a draft until it is submitted; from then on it never changes. Returning a
report, resubmitting it, or correcting an accepted one all start a new version that says
what changed and why, so the whole history stays readable. Outcome lines belong to a
version; a line attributed to a plan is visible to the plan's partners (see the access
policy). A figure that partners in one plan report together is a `JointFigure`: each
partner's line points to it, and totals count it once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from disrupt.programme.choices import MilestoneKind
from disrupt.reports.choices import Qualifier, ReportKind, VersionStatus
from disrupt.reports.quantities import Quantity

MILESTONE_FOR_KIND = {
    ReportKind.MIDTERM: MilestoneKind.MIDTERM_REPORT,
    ReportKind.FINAL: MilestoneKind.FINAL_REPORT,
}


class ReportIsLocked(ValidationError):
    """Raised on any attempt to change a version that is no longer a draft."""


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: Any) -> ReportQuerySet:
        from disrupt.access import policy

        return policy.visible_to(user, self)  # type: ignore[return-value]


class Report(models.Model):
    """The mid-term or final report a participating country owes for a cycle."""

    period = models.ForeignKey("programme.PeriodOfAction", on_delete=models.PROTECT, related_name="reports")
    country = models.ForeignKey("directory.Country", on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(max_length=10, choices=ReportKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["period", "country__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["period", "country", "kind"], name="report_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.get_kind_display().lower()}, {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def milestone_kind(self) -> str:
        return MILESTONE_FOR_KIND[ReportKind(self.kind)]

    @property
    def current(self) -> ReportVersion | None:
        """The newest version: the one being drafted, decided, or standing."""
        return self.versions.order_by("-number").first()

    @property
    def standing(self) -> ReportVersion | None:
        """The newest version that was submitted (accepted, or awaiting a decision)."""
        return (
            self.versions.filter(status__in=[VersionStatus.SUBMITTED, VersionStatus.ACCEPTED])
            .order_by("-number")
            .first()
        )


STANDING_STATUSES = (VersionStatus.SUBMITTED, VersionStatus.ACCEPTED)


class ReportVersionQuerySet(models.QuerySet["ReportVersion"]):
    def visible_to(self, user: Any) -> ReportVersionQuerySet:
        from disrupt.access import policy

        return policy.visible_to(user, self)  # type: ignore[return-value]

    def standing(self) -> ReportVersionQuerySet:
        """Each report's newest submitted or accepted version: the one whose lines count.

        A returned version and a draft never count; a correction counts from its submission
        (it is what the country now says), and the accepted version it corrects is
        superseded when the correction is accepted.
        """
        newer = type(self)(self.model).filter(
            report=models.OuterRef("report"),
            number__gt=models.OuterRef("number"),
            status__in=STANDING_STATUSES,
        )
        return self.filter(status__in=STANDING_STATUSES).exclude(models.Exists(newer))


class ReportVersion(models.Model):
    """One version of a report: its narrative, its lines and where it stands."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)

    # The narrative, in the headings the group uses.
    what_was_done = models.TextField("what was done", blank=True)
    intelligence = models.TextField("intelligence gathered", blank=True)
    modus_operandi = models.TextField("modus operandi observed", blank=True)
    what_worked = models.TextField("what worked", blank=True)
    what_did_not = models.TextField("what did not work", blank=True)

    change_summary = models.TextField(
        blank=True, help_text="What changed since the previous version, and why. Required from version 2."
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="report_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.report}, version {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A version that left the draft state keeps its content for good. Only the
        # workflow (reports/actions.py) moves it on, and it changes nothing but the
        # status and decision fields, which it names in `update_fields`.
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            decision_fields = {"status", "decided_by", "decided_at", "decision_comment"}
            only_decision = kwargs.get("update_fields") is not None and set(kwargs["update_fields"]) <= (
                decision_fields | {"submitted_by", "submitted_at"}
            )
            if stored is not None and stored != VersionStatus.DRAFT and not only_decision:
                raise ReportIsLocked(f"{self} was submitted and can no longer change.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reports:report_version", args=[self.report_id, self.number])

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def clean(self) -> None:
        if self.number and self.number > 1 and not self.change_summary.strip():
            raise ValidationError({"change_summary": "Say what changed since the previous version, and why."})


class JointFigure(models.Model):
    """A figure that partners in one plan achieved together, e.g. arrests in a joint operation.

    Each partner's line that counts it points here; totals count the figure once.
    """

    period = models.ForeignKey("programme.PeriodOfAction", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey("programme.Plan", on_delete=models.PROTECT, related_name="joint_figures")
    indicator = models.ForeignKey("reports.Indicator", on_delete=models.PROTECT, related_name="+")
    declared_by = models.ForeignKey("directory.Country", on_delete=models.PROTECT, related_name="+")
    countries = models.ManyToManyField(
        "directory.Country", related_name="+", help_text="Every country whose line counts this figure."
    )
    description = models.CharField(max_length=250, help_text="What was achieved together, in a few words.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "plan", "indicator__position"]

    def __str__(self) -> str:
        return f"{self.plan.reference} {self.indicator}: {self.description}"


class OutcomeLineQuerySet(models.QuerySet["OutcomeLine"]):
    def visible_to(self, user: Any) -> OutcomeLineQuerySet:
        from disrupt.access import policy

        return policy.visible_to(user, self)  # type: ignore[return-value]

    def counted(self) -> OutcomeLineQuerySet:
        """The lines of each report's standing version: what totals add up."""
        return self.filter(version__in=ReportVersion.objects.standing())


class OutcomeLine(models.Model):
    """One figure of a report: an indicator's value, for one plan or for general activity."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="lines")
    indicator = models.ForeignKey("reports.Indicator", on_delete=models.PROTECT, related_name="lines")
    plan = models.ForeignKey(
        "programme.Plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcome_lines",
        help_text="Empty for general activity outside the plans.",
    )
    qualifier = models.CharField(max_length=12, choices=Qualifier.choices, default=Qualifier.EXACT)
    value = models.PositiveIntegerField(null=True, blank=True)
    wording = models.CharField(
        max_length=40, blank=True, help_text='The qualifying word, e.g. "over" or "numerous".'
    )
    currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217, for money values.")
    description = models.CharField(max_length=250, blank=True)
    joint = models.ForeignKey(
        JointFigure, on_delete=models.SET_NULL, null=True, blank=True, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = OutcomeLineQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(qualifier="unquantified") & models.Q(value__isnull=True))
                | (~models.Q(qualifier="unquantified") & models.Q(value__isnull=False)),
                name="outcome_line_value_matches_qualifier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.display}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not ReportVersion.objects.filter(pk=self.version_id, status=VersionStatus.DRAFT).exists():
            raise ReportIsLocked("Lines can only change while their version is a draft.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if not ReportVersion.objects.filter(pk=self.version_id, status=VersionStatus.DRAFT).exists():
            raise ReportIsLocked("Lines can only change while their version is a draft.")
        return super().delete(*args, **kwargs)

    @property
    def quantity(self) -> Quantity:
        return Quantity.of(self.qualifier, self.value, self.wording)

    @property
    def display(self) -> str:
        try:
            return self.quantity.display
        except (TypeError, ValueError):
            return self.wording

    def clean(self) -> None:
        if self.qualifier == Qualifier.UNQUANTIFIED and self.value is not None:
            raise ValidationError({"value": "An unquantified figure has no number."})
        if self.qualifier != Qualifier.UNQUANTIFIED and self.value is None:
            raise ValidationError({"value": "A number is required unless the figure is unquantified."})
        if self.indicator_id and self.indicator.has_currency and self.value is not None and not self.currency:
            raise ValidationError({"currency": "A money value needs its currency."})
