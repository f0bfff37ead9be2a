"""Notifications: something arrived for a person, in the application and by e-mail.

A notification names its record (content type + id) and the record's handling code when it
was made. It is shown only to its recipient and only while they may still see the record
(`access.policy.notifications_visible_to`), so narrowing a record's sharing hides it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from disrupt.access.choices import HandlingCode


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # A short phrase with no record content, e.g. "sent you an enquiry".
    verb = models.CharField(max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # The record's title when it was made; shown only while the recipient may see the record.
    title = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=500)
    handling_code = models.CharField(max_length=12, choices=HandlingCode.choices)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker once the e-mail is handed over, so a re-run job sends nothing twice.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk} for user {self.recipient_id}: {self.verb}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A person's choice about notification e-mails; without a row, e-mails are on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(
        "send me an e-mail when something arrives",
        default=True,
        help_text="The e-mail never carries the content above TLP:GREEN: it says that something arrived.",
    )

    def __str__(self) -> str:
        return f"Notification preferences of user {self.user_id}"
