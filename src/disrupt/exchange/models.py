"""Enquiries between agencies, their replies and attachments.

An enquiry is an operational record (`access.models.OperationalRecord`): it belongs to the
sending agency, carries a TLP handling code, and is shared with the agencies it is addressed
to (addressing an agency shares with it). Replies and attachments are read through their
enquiry (`access_parent`), so the access policy decides for them too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from disrupt.access.choices import HandlingCode
from disrupt.access.models import OperationalRecord
from disrupt.exchange.choices import EnquiryKind, EnquiryPriority, EnquiryStatus


class EnquiryQuerySet(models.QuerySet["Enquiry"]):
    def visible_to(self, user: Any) -> EnquiryQuerySet:
        from disrupt.access.policy import visible_to

        return visible_to(user, self)  # type: ignore[return-value]

    def overdue(self, today: dt.date | None = None) -> EnquiryQuerySet:
        """Open and past their due date."""
        return self.filter(status=EnquiryStatus.OPEN, due_on__lt=today or timezone.localdate())


class Enquiry(OperationalRecord):
    """A request from one agency (the owner) to one or more others (the recipients)."""

    reference = models.CharField(max_length=20, unique=True, help_text="ENQ-2026-0001")
    kind = models.CharField(max_length=16, choices=EnquiryKind.choices, default=EnquiryKind.INFORMATION)
    recipients = models.ManyToManyField(
        "directory.Agency",
        related_name="enquiries_received",
        help_text="The agencies it is addressed to; each may read it and reply.",
    )
    plan = models.ForeignKey(
        "programme.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="enquiries"
    )
    subject = models.CharField(max_length=250)
    body = models.TextField()
    priority = models.CharField(
        max_length=10, choices=EnquiryPriority.choices, default=EnquiryPriority.ROUTINE
    )
    due_on = models.DateField("Reply wanted by", null=True, blank=True)
    status = models.CharField(max_length=10, choices=EnquiryStatus.choices, default=EnquiryStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "enquiries"

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:enquiry_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == EnquiryStatus.OPEN
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )

    @property
    def is_open(self) -> bool:
        return self.status in {EnquiryStatus.OPEN, EnquiryStatus.ANSWERED}

    @property
    def is_restricted(self) -> bool:
        """Codes whose every read is recorded in the audit trail."""
        return self.handling_code in {HandlingCode.AMBER, HandlingCode.AMBER_STRICT, HandlingCode.RED}

    def clean(self) -> None:
        if self.handling_code == HandlingCode.RED:
            # RED goes to named people only; an enquiry is addressed to agencies.
            raise ValidationError(
                {"handling_code": "An enquiry goes to agencies: use TLP:AMBER+STRICT at most, not TLP:RED."}
            )
        if self.due_on is not None and self.created_at and self.due_on < self.created_at.date():
            raise ValidationError({"due_on": "The reply cannot be wanted before the enquiry is sent."})


class Reply(models.Model):
    """One message in an enquiry's thread, from the owner's or a recipient's people."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    access_parent: ClassVar[str | None] = "enquiry"

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return f"Reply to {self.enquiry.reference} by {self.agency}"

    def get_absolute_url(self) -> str:
        return f"{self.enquiry.get_absolute_url()}#reply-{self.pk}"

    def clean(self) -> None:
        if not self.body.strip():
            raise ValidationError({"body": "Write the reply."})


class Attachment(models.Model):
    """A file sent with an enquiry or a reply. Its bytes live outside the database, under their hash."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="attachments")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(
        max_length=120, help_text="Sniffed from the bytes, never taken from the upload."
    )
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    virus_scanned = models.BooleanField(default=False, help_text="Scanned clean by clamd when uploaded.")

    access_parent: ClassVar[str | None] = "enquiry"

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("exchange:attachment_download", args=[self.pk])

    @property
    def path(self) -> Path:
        return attachment_path(self.sha256)

    def clean(self) -> None:
        if self.reply_id is not None and self.reply is not None and self.reply.enquiry_id != self.enquiry_id:
            raise ValidationError({"reply": "The reply belongs to another enquiry."})
        if len(self.sha256) != 64:
            raise ValidationError({"sha256": "Not a SHA-256 digest."})


def attachment_path(sha256: str) -> Path:
    """DISRUPT_DATA_DIR/attachments/<first two hex digits>/<sha256>: one file per content."""
    return Path(settings.DATA_DIR) / "attachments" / sha256[:2] / sha256
