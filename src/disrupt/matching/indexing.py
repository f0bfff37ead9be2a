"""Indexing: what the hub keeps of a subject, as digests and encodings under every configured key.

For an entity held in the clear, the normalised selectors (matching/selectors.py) are blinded
under each key (matching/keys.py) and a person's name and birth become a keyed Bloom encoding
with keyed blocking keys (matching/bloom.py). Nothing raw is written. A passport or account an
entity holds (`holder_of`) gives its values to the holder, so a person with a passport is one
hit, not two. An uploaded record arrives already encoded and is written as it came.

A subject whose `fingerprint` (itself a digest of the digests) did not change is left alone;
one that changed is rewritten and marked `dirty`, for matching (matching/engine.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from disrupt.intel.models import Collection, Entity
from disrupt.matching.bloom import block_keys, encode_person
from disrupt.matching.keys import MatchingKey
from disrupt.matching.models import BlockKey, PersonEncoding, Selector, SelectorUpload, Subject
from disrupt.matching.selectors import extract, holder_of, person_of


@dataclass
class Encoded:
    """What one subject contributes: (key_id, kind, digest) selectors and per-key person encodings."""

    selectors: list[tuple[str, str, bytes]] = field(default_factory=list)
    persons: list[tuple[str, bytes, list[int]]] = field(default_factory=list)

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for key_id, kind, value in sorted(self.selectors):
            digest.update(f"{key_id}:{kind}:".encode() + value)
        for key_id, bloom, blocks in sorted(self.persons):
            digest.update(f"{key_id}:person:".encode() + bloom + ",".join(map(str, sorted(blocks))).encode())
        return digest.hexdigest()


def encode_entity(entity: dict[str, Any], keys: Sequence[MatchingKey], default_country: str) -> Encoded:
    found = extract(entity, default_country)
    encoded = Encoded()
    for key in keys:
        by_kind: dict[str, list[str]] = {}
        for selector in found:
            by_kind.setdefault(str(selector.kind), []).append(selector.value)
        for kind, values in by_kind.items():
            for digest in key.blind_many(kind, values):  # type: ignore[arg-type]
                encoded.selectors.append((key.key_id, kind, digest))
        person = person_of(entity)
        if person is not None:
            encoded.persons.append((key.key_id, encode_person(person, key), block_keys(person, key)))
    return encoded


def index_entities(collection: Collection, entities: Sequence[Entity], keys: Sequence[MatchingKey]) -> int:
    """Index a batch of a collection's entities (in the caller's transaction); how many changed."""
    country = collection.country_code
    subjects = _subjects_for(collection, entities)
    changed = 0
    holders = _holders(collection, entities)
    now = timezone.now()
    for entity in entities:
        subject = subjects[entity.pk]
        encoded = encode_entity(entity.to_ftm(), keys, country)
        fingerprint = encoded.fingerprint()
        if fingerprint == subject.fingerprint:
            continue
        changed += 1
        target = holders.get(entity.pk, subject)
        # The values read from this entity, wherever they were attributed, are replaced.
        Selector.objects.filter(source=subject).delete()
        PersonEncoding.objects.filter(subject=subject).delete()
        _write(target, subject, encoded)
        Subject.objects.filter(pk__in={subject.pk, target.pk}).update(dirty=True, indexed_at=now)
        Subject.objects.filter(pk=subject.pk).update(fingerprint=fingerprint)
    return changed


def _subjects_for(collection: Collection, entities: Sequence[Entity]) -> dict[int, Subject]:
    have = {s.entity_id: s for s in Subject.objects.filter(entity__in=[e.pk for e in entities])}
    missing = [
        Subject(
            collection=collection,
            entity=entity,
            ref=entity.ftm_id,
            schema=entity.schema,
            owner_agency_id=collection.owner_agency_id,
            fingerprint="",
            dirty=True,
        )
        for entity in entities
        if entity.pk not in have
    ]
    if missing:
        Subject.objects.bulk_create(missing, ignore_conflicts=True)
        have = {s.entity_id: s for s in Subject.objects.filter(entity__in=[e.pk for e in entities])}
    for entity in entities:
        subject = have[entity.pk]
        if subject.schema != entity.schema:
            subject.schema = entity.schema
            subject.save(update_fields=["schema"])
    return have  # type: ignore[return-value]


def _holders(collection: Collection, entities: Sequence[Entity]) -> dict[int, Subject]:
    """entity pk -> the subject of the entity that holds it (a passport's holder), when held here."""
    wanted = {e.pk: h for e in entities if (h := holder_of(e.to_ftm()))}
    if not wanted:
        return {}
    holders = list(Entity.objects.filter(collection=collection, ftm_id__in=set(wanted.values())))
    subjects = _subjects_for(collection, holders)
    by_ftm = {h.ftm_id: subjects[h.pk] for h in holders}
    return {pk: by_ftm[ftm] for pk, ftm in wanted.items() if ftm in by_ftm}


def _write(target: Subject, source: Subject, encoded: Encoded) -> None:
    Selector.objects.bulk_create(
        [
            Selector(subject=target, source=source, key_id=key_id, kind=kind, digest=digest)
            for key_id, kind, digest in encoded.selectors
        ],
        ignore_conflicts=True,
    )
    for key_id, bloom, blocks in encoded.persons:
        encoding = PersonEncoding.objects.create(subject=source, key_id=key_id, bloom=bloom)
        BlockKey.objects.bulk_create(
            [BlockKey.of(encoding, block) for block in sorted(set(blocks))], ignore_conflicts=True
        )


def drop_other_keys(keys: Sequence[MatchingKey]) -> int:
    """Digests and encodings under keys no longer configured are deleted (a finished rotation)."""
    key_ids = [key.key_id for key in keys]
    removed, _ = Selector.objects.exclude(key_id__in=key_ids).filter(subject__upload__isnull=True).delete()
    more, _ = PersonEncoding.objects.exclude(key_id__in=key_ids).filter(subject__upload__isnull=True).delete()
    return removed + more


@transaction.atomic
def write_uploaded(upload: SelectorUpload, records: Iterable[Any]) -> int:
    """Write a batch of validated uploaded records (matching/selectorfile.py) as subjects."""
    made = 0
    for item in records:
        subject, created = Subject.objects.get_or_create(
            upload=upload,
            ref=item.ref,
            defaults={"schema": item.schema, "owner_agency_id": upload.owner_agency_id, "dirty": True},
        )
        if not created:
            continue  # written before a restart
        made += 1
        encoded = Encoded(
            selectors=[(upload.key_id, str(kind), digest) for kind, digest in item.selectors],
            persons=[(upload.key_id, item.person.bloom, list(item.person.blocks))] if item.person else [],
        )
        _write(subject, subject, encoded)
        subject.fingerprint = encoded.fingerprint()
        subject.save(update_fields=["fingerprint"])
    return made
