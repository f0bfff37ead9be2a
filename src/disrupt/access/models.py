"""What every operational record carries so the access policy can decide who sees it.

An operational record (an enquiry, a collection of entities…) belongs to one agency, has a
TLP 2.0 handling code, and may be shared with named agencies, with whole countries, with
everyone working on a plan, or (at RED) with named people. `access.policy` turns these fields
into queryset filters; nothing else reads them to decide visibility. A recipient cannot pass a
record on: it asks the owner to widen the sharing (`SharingRequest`), and the owner decides.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from disrupt.access.choices import HandlingCode, InformationAccuracy, SharingRequestStatus, SourceReliability


class OperationalRecord(models.Model):
    """Abstract: the owner, handling code, sharing and evaluation grades of a record."""

    owner_agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handling_code = models.CharField(max_length=12, choices=HandlingCode.choices, default=HandlingCode.AMBER)
    shared_agencies = models.ManyToManyField("directory.Agency", blank=True, related_name="+")
    shared_countries = models.ManyToManyField(
        "directory.Country", blank=True, related_name="+", help_text="Every agency of these countries."
    )
    shared_plans = models.ManyToManyField(
        "programme.Plan", blank=True, related_name="+", help_text="Every agency of the plan's countries."
    )
    named_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", help_text="At TLP:RED, only these people."
    )
    source_reliability = models.CharField(max_length=1, choices=SourceReliability.choices, blank=True)
    information_accuracy = models.CharField(max_length=1, choices=InformationAccuracy.choices, blank=True)

    # Child records (replies, attachments) name the field that leads to their record:
    # `access_parent = "enquiry"`. The record itself has none.
    access_parent: ClassVar[str | None] = None

    class Meta:
        abstract = True

    def clean_sharing(self, agencies: Any, countries: Any, plans: Any, people: Any) -> None:
        """Check a proposed sharing against the handling code (call from forms and actions)."""
        code = self.handling_code
        if code == HandlingCode.AMBER_STRICT and (countries or plans):
            raise ValidationError(
                "TLP:AMBER+STRICT goes to named agencies only: "
                "share it with agencies, not with countries or plans."
            )
        if code == HandlingCode.RED and (agencies or countries or plans):
            raise ValidationError("TLP:RED goes to named people only.")
        if code != HandlingCode.RED and people:
            raise ValidationError("Only a TLP:RED record is shared with named people.")


class SharingRequest(models.Model):
    """A recipient asks the owner of a record to share it more widely; the owner decides."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    agencies = models.ManyToManyField("directory.Agency", blank=True, related_name="+")
    countries = models.ManyToManyField("directory.Country", blank=True, related_name="+")
    reason = models.TextField()

    status = models.CharField(
        max_length=10, choices=SharingRequestStatus.choices, default=SharingRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"Request to widen {self.content_type.model} {self.object_id} ({self.get_status_display()})"
