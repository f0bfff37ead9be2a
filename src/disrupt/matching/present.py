"""A hit as one side sees it: my record in full (it is mine), the other side as metadata only.

Pages and the API both show hits through `hit_for`, so neither can show more of the other side
than this: the agency and country holding it, its handling code and its schema. Never its
content, its caption or its reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from disrupt.matching.choices import DisclosureStatus, Verdict
from disrupt.matching.models import DisclosureRequest, Hit, Subject


@dataclass(frozen=True)
class MySide:
    subject: Subject
    schema: str
    label: str  # the entity's caption, or the upload's reference
    url: str  # the entity's page, or the upload's
    record_name: str
    handling_code: str


@dataclass(frozen=True)
class TheirSide:
    agency: str
    country: str
    country_code: str
    handling_code: str
    schema: str
    uploaded: bool


@dataclass(frozen=True)
class HitView:
    hit: Hit
    mine: MySide
    theirs: TheirSide
    my_verdict: str
    their_verdict: str
    request: DisclosureRequest | None  # the newest request about the other side, by my agency
    incoming: DisclosureRequest | None  # the newest request about my side, by their agency

    @property
    def is_new(self) -> bool:
        return not self.my_verdict

    @property
    def disclosure_status(self) -> str:
        return self.request.status if self.request else ""


def related_for_hits() -> list[str]:
    """What a list of hits needs loaded to show each through `hit_for` without more queries."""
    side = ("collection", "upload", "entity", "owner_agency__country")
    return [f"subject_{end}__{part}" for end in "ab" for part in side]


def _mine(subject: Subject) -> MySide:
    if subject.entity_id is not None:
        entity = subject.entity
        assert entity is not None and subject.collection is not None
        return MySide(
            subject,
            subject.schema,
            entity.caption or entity.ftm_id,
            entity.get_absolute_url(),
            subject.collection.name,
            subject.collection.handling_code,
        )
    upload = subject.upload
    assert upload is not None
    return MySide(
        subject, subject.schema, subject.ref, upload.get_absolute_url(), upload.name, upload.handling_code
    )


def _theirs(subject: Subject) -> TheirSide:
    agency = subject.owner_agency
    country = agency.country
    return TheirSide(
        agency=agency.name,
        country=country.name if country else "",
        country_code=country.code if country else "",
        handling_code=subject.record.handling_code,
        schema=subject.schema,
        uploaded=subject.is_uploaded,
    )


def hit_for(user: Any, hit: Hit, requests: list[DisclosureRequest] | None = None) -> HitView:
    """The hit from the side of `user`'s agency (the caller got it through the policy).

    `requests` may be given prefetched (hit.requests.all()) for a list; judgements likewise.
    """
    mine, theirs = hit.side_of(user.agency_id)
    verdicts = {j.agency_id: j.verdict for j in hit.judgements.all()}
    all_requests = requests if requests is not None else list(hit.requests.all())
    outgoing = [r for r in all_requests if r.requesting_agency_id == user.agency_id]
    incoming = [r for r in all_requests if r.owner_agency_id == user.agency_id]
    newest = max(outgoing, key=lambda r: r.requested_at, default=None)
    return HitView(
        hit=hit,
        mine=_mine(mine),
        theirs=_theirs(theirs),
        my_verdict=verdicts.get(user.agency_id, ""),
        their_verdict=verdicts.get(theirs.owner_agency_id, ""),
        request=newest,
        incoming=max(incoming, key=lambda r: r.requested_at, default=None),
    )


VERDICT_LABELS = dict(Verdict.choices)
DISCLOSURE_LABELS = dict(DisclosureStatus.choices)
