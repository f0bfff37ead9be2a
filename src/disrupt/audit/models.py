"""The audit trail: an append-only chain of entries, each hashing the one before it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from disrupt.audit.choices import AuditAction

# The previous hash of the first entry.
GENESIS = "0" * 64


class AppendOnly(Exception):
    """Raised on any attempt to change or remove an audit entry through the ORM."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("Audit entries are never changed.")

    def delete(self) -> NoReturn:
        raise AppendOnly("Audit entries are never deleted.")


class AuditEntry(models.Model):
    """One thing that happened: who did what to which record, when and from where.

    `hash` is SHA-256 over a canonical JSON of the fields and `previous_hash`, so changing or
    removing any row breaks the chain at that row (`disrupt audit verify` names it). The actor is
    hashed by e-mail (`actor_label`), not by key, so removing a user later keeps the chain intact.
    """

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=24, choices=AuditAction.choices, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    country = models.ForeignKey(
        "directory.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The country the target belongs to, where known: its focal points see the entry.",
    )
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.get_action_display()} by {self.actor_label or 'nobody signed in'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise AppendOnly("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("Audit entries are never deleted.")

    @property
    def target_kind(self) -> str:
        if self.target_type_id is None:
            return ""
        return str(ContentType.objects.get_for_id(self.target_type_id).model_class()._meta.verbose_name)  # type: ignore[union-attr]

    def canonical(self) -> str:
        """The entry's fields as canonical JSON: the text its hash is computed over."""
        target_type = ""
        if self.target_type_id is not None:
            content_type = ContentType.objects.get_for_id(self.target_type_id)
            target_type = f"{content_type.app_label}.{content_type.model}"
        at = self.at.astimezone(dt.UTC) if self.at.tzinfo else self.at.replace(tzinfo=dt.UTC)
        fields = {
            "sequence": self.sequence,
            "at": at.isoformat(timespec="microseconds"),
            "actor": self.actor_label,
            "action": self.action,
            "target_type": target_type,
            "target_id": self.target_id,
            "target_label": self.target_label,
            "country": self.country_id,
            "detail": self.detail,
            "ip_address": self.ip_address or "",
            "previous_hash": self.previous_hash,
        }
        return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()
