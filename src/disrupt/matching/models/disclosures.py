"""Disclosure: from a hit, a request to the owner; the owner's decision; the disclosed copy.

The request and its decision are known to the two sides of the hit (and to the focal point
it went to when it was overdue). The disclosed copy is an operational record of the *owner*,
shared with the requesting agency under the owner's handling code: the recipient reads it
and cannot pass it on (access/policy.py, `operational_rule`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from disrupt.access.models import OperationalRecord
from disrupt.matching.choices import DisclosureStatus


class DisclosureRequestQuerySet(models.QuerySet["DisclosureRequest"]):
    def visible_to(self, user: Any) -> DisclosureRequestQuerySet:
        from disrupt.access.policy import visible_to

        return visible_to(user, self)  # type: ignore[return-value]


class DisclosureRequest(models.Model):
    """A request, from one side of a hit, to see the other side's subject."""

    reference = models.CharField(max_length=20, unique=True, help_text="DSC-2026-0001")
    hit = models.ForeignKey("matching.Hit", on_delete=models.CASCADE, related_name="requests")
    subject = models.ForeignKey("matching.Subject", on_delete=models.CASCADE, related_name="+")
    owner_agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requesting_agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        "programme.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The joint investigation the request is made for.",
    )
    purpose = models.TextField(help_text="Why the requester needs the record, in their words.")
    status = models.CharField(
        max_length=10, choices=DisclosureStatus.choices, default=DisclosureStatus.PENDING
    )
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    due_at = models.DateTimeField()
    # Set when the deadline passed undecided: the owner's focal points were asked to decide.
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why the owner refused or granted only part.")
    granted_properties = models.JSONField(default=list, blank=True)

    objects = DisclosureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("matching:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == DisclosureStatus.PENDING

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.now() > self.due_at


class DisclosureQuerySet(models.QuerySet["Disclosure"]):
    def visible_to(self, user: Any) -> DisclosureQuerySet:
        from disrupt.access.policy import visible_to

        return visible_to(user, self)  # type: ignore[return-value]


class Disclosure(OperationalRecord):
    """The copy of a subject the owner disclosed: only the properties granted, with provenance."""

    # The copy outlives its request: deleting the source entity (which takes its hits and their
    # requests with it) does not take back what was disclosed.
    request = models.OneToOneField(
        DisclosureRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="disclosure"
    )
    reference = models.CharField(max_length=20, help_text="The request's reference.")
    schema = models.CharField(max_length=64)
    caption = models.CharField(max_length=500, blank=True)
    properties = models.JSONField(default=dict, help_text="FtM properties granted: name -> list of values.")
    # Provenance: what it was copied from, when and by whom.
    source_ref = models.CharField(max_length=200, help_text="The FtM id, or the upload's reference.")
    source_version = models.PositiveIntegerField(null=True, blank=True)
    source_collection = models.ForeignKey(
        "intel.Collection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_upload = models.ForeignKey(
        "matching.SelectorUpload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    disclosed_at = models.DateTimeField(default=timezone.now)

    access_parent: ClassVar[str | None] = None
    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-disclosed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.caption or self.schema}"

    def get_absolute_url(self) -> str:
        return reverse("matching:disclosure_detail", args=[self.pk])

    def to_ftm(self) -> dict[str, Any]:
        return {"id": self.source_ref, "schema": self.schema, "properties": self.properties}
