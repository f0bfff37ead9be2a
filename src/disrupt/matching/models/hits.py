"""Hits: two subjects of different owners that share a selector or look like the same person.

A hit tells each side which of *its own* subjects matched, what kind of selector, the score,
and which agency and country holds the other subject under which handling code. Never the
other subject's content: that is the owner's to disclose (models/disclosures.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from disrupt.matching.choices import SelectorKind, Verdict


class HitQuerySet(models.QuerySet["Hit"]):
    def visible_to(self, user: Any) -> HitQuerySet:
        from disrupt.access.policy import visible_to

        return visible_to(user, self)  # type: ignore[return-value]


class Hit(models.Model):
    """A match between subject `a` and subject `b` (a.pk < b.pk) on one kind of selector."""

    subject_a = models.ForeignKey("matching.Subject", on_delete=models.CASCADE, related_name="+")
    subject_b = models.ForeignKey("matching.Subject", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=SelectorKind.choices)
    score = models.FloatField(help_text="1.0 for an exact selector; the Dice similarity for a person.")
    # False once a re-index no longer finds the match; a judged or requested hit is kept as it was.
    current = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    matched_at = models.DateTimeField(default=timezone.now)

    objects = HitQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subject_a", "subject_b", "kind"], name="hit_once"),
            models.CheckConstraint(condition=Q(subject_a__lt=F("subject_b")), name="hit_ordered"),
        ]

    def __str__(self) -> str:
        return f"Hit {self.pk}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("matching:hit_detail", args=[self.pk])

    def side_of(self, agency_id: int | None) -> tuple[Any, Any]:
        """(mine, theirs) for a person of `agency_id`; raises ValueError when neither side is theirs."""
        if self.subject_a.owner_agency_id == agency_id:
            return self.subject_a, self.subject_b
        if self.subject_b.owner_agency_id == agency_id:
            return self.subject_b, self.subject_a
        raise ValueError("neither side of this hit belongs to the agency")


class Judgement(models.Model):
    """One side's verdict on a hit. A rejected pair is never raised again by later matching,
    and a confirmed one is kept even when a later re-index no longer finds it."""

    hit = models.ForeignKey(Hit, on_delete=models.CASCADE, related_name="judgements")
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    note = models.CharField(max_length=500, blank=True)
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    judged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-judged_at"]
        constraints = [models.UniqueConstraint(fields=["hit", "agency"], name="judgement_once_per_side")]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} by {self.agency}"
