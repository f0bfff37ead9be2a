"""Who speaks for a side of a hit, and telling them (hits, disclosure requests and decisions).

A side is spoken for by the officers of the agency owning the subject who may read its record
(access/policy.py, `subjects_visible_to`). The notification names no content of either side.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet

from disrupt.access import policy
from disrupt.access.choices import HandlingCode
from disrupt.directory.models import User
from disrupt.matching.models import Hit, Subject
from disrupt.notifications.actions import notify

_STRICTNESS = [
    HandlingCode.CLEAR,
    HandlingCode.GREEN,
    HandlingCode.AMBER,
    HandlingCode.AMBER_STRICT,
    HandlingCode.RED,
]


def stricter(*codes: str) -> str:
    return max(codes, key=lambda code: _STRICTNESS.index(code))  # type: ignore[arg-type]


def officers_of(subject: Subject) -> list[User]:
    """The people who speak for this side of a hit."""
    people = (
        User.objects.filter(
            agency=subject.owner_agency_id, is_active=True, roles__code__in=policy.INTEL_OFFICERS
        )
        .distinct()
        .prefetch_related("roles")
    )
    return [
        person
        for person in people
        if policy.subjects_visible_to(person, Subject.objects.filter(pk=subject.pk)).exists()
    ]


def _sides(hits: Sequence[Hit]) -> QuerySet[Hit]:
    return Hit.objects.filter(pk__in=[hit.pk for hit in hits]).select_related(
        "subject_a__collection", "subject_a__upload", "subject_b__collection", "subject_b__upload"
    )


def tell_about_hits(hits: Sequence[Hit]) -> None:
    """Each side's officers learn of a new hit on their record (not the other's content)."""
    if not hits:
        return
    # The officers of one record are the same for each of its subjects: asked once per record.
    cache: dict[tuple[str, int | None], list[User]] = {}
    for hit in _sides(hits):
        code = stricter(hit.subject_a.record.handling_code, hit.subject_b.record.handling_code)
        for side in (hit.subject_a, hit.subject_b):
            record = ("upload", side.upload_id) if side.upload_id else ("collection", side.collection_id)
            if record not in cache:
                cache[record] = officers_of(side)
            notify(
                cache[record],
                verb=f"found a new hit ({hit.get_kind_display().lower()})",
                record=hit,
                url=hit.get_absolute_url(),
                handling_code=code,
            )


def tell(people: Iterable[User], verb: str, record: Any, code: str) -> None:
    notify(people, verb=verb, record=record, url=record.get_absolute_url(), handling_code=code)
