"""Matching: compare dirty subjects with every other owner's subjects, and keep the hits.

Exact selectors meet on their digest (the database's index on (key_id, digest)); people meet
through their keyed blocking keys and score by the evidence in their Bloom encodings (bloom.score).
Only subjects of different owning agencies make a hit. A digest held by more records than
`MATCHING_WIDE_VALUE_CAP` makes none and is listed for an administrator (`WideValue`); a large
block is compared only by its sub-blocks, and a sub-block larger than `bloom.MAX_BLOCK` is
skipped, as blocking in record linkage does, to keep the cost close to linear.

Each batch runs in one transaction that writes its hits and clears its subjects' `dirty` flag,
so a job stopped halfway finds the rest still dirty, and the unique constraint on hits means a
pair is never found twice. Judgements feed later matching: a rejected hit is never raised again,
and a judged or requested hit is kept (marked not current) when a re-index no longer finds it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from disrupt.matching import bloom
from disrupt.matching.choices import SelectorKind, WideValueStatus
from disrupt.matching.models import BlockKey, Hit, PersonEncoding, Selector, Subject, WideValue

Pair = tuple[int, int, str]  # (subject a, subject b, kind) with a < b


@dataclass
class BatchResult:
    matched: int
    new_hits: list[Hit]


def _pair(one: int, other: int, kind: str) -> Pair:
    return (one, other, kind) if one < other else (other, one, kind)


def exact_candidates(subject_ids: Sequence[int]) -> dict[Pair, float]:
    mine = list(
        Selector.objects.filter(subject__in=subject_ids).values_list("subject_id", "key_id", "digest")
    )
    if not mine:
        return {}
    digests = {bytes(digest) for _, _, digest in mine}
    holders: dict[tuple[str, bytes], dict[int, int]] = defaultdict(dict)  # -> {subject: owner}
    kinds: dict[tuple[str, bytes], str] = {}
    rows = Selector.objects.filter(digest__in=list(digests)).values_list(
        "subject_id", "subject__owner_agency_id", "key_id", "kind", "digest"
    )
    for subject_id, owner_id, key_id, kind, digest in rows:
        holders[(key_id, bytes(digest))][subject_id] = owner_id
        kinds[(key_id, bytes(digest))] = kind
    usable = _usable_values(holders, kinds)
    owner_of = {sid: owner for held in holders.values() for sid, owner in held.items()}
    found: dict[Pair, float] = {}
    for subject_id, key_id, digest in mine:
        value = (key_id, bytes(digest))
        if value not in usable:
            continue
        for other, owner in holders[value].items():
            if owner != owner_of[subject_id]:
                found[_pair(subject_id, other, kinds[value])] = 1.0
    return found


def _usable_values(
    holders: dict[tuple[str, bytes], dict[int, int]], kinds: dict[tuple[str, bytes], str]
) -> set[tuple[str, bytes]]:
    """The values that may make hits: held by more than one owner, and not too widely."""
    cap = settings.MATCHING_WIDE_VALUE_CAP
    decided = {
        (key_id, bytes(digest)): status
        for key_id, digest, status in WideValue.objects.filter(
            digest__in=[digest for _, digest in holders]
        ).values_list("key_id", "digest", "status")
    }
    usable = set()
    now = timezone.now()
    for value, held in holders.items():
        owners = len(set(held.values()))
        if owners < 2 or decided.get(value) == WideValueStatus.EXCLUDED:
            continue
        if len(held) > cap and decided.get(value) != WideValueStatus.ALLOWED:
            key_id, digest = value
            WideValue.objects.update_or_create(
                key_id=key_id,
                digest=digest,
                defaults={"kind": kinds[value], "holders": len(held), "owners": owners, "last_seen": now},
            )
            continue
        usable.add(value)
    return usable


def person_candidates(subject_ids: Sequence[int]) -> dict[Pair, float]:
    """Person hits of these subjects, found as kernels.fuzzy_pairs finds them between two owners:
    a block both share is compared whole while each holds at most bloom.SMALL_BLOCK entries of
    it, else by the sub-blocks both share while each holds at most SMALL_BLOCK of one, else by
    equal whole keys, skipped where one owner holds more than bloom.MAX_BLOCK of one; equal whole
    keys of which one owner holds more than SMALL_BLOCK (a crowd) only where the dates can agree
    (bloom.dates_can_agree)."""
    mine = {
        pk: (subject_id, owner_id, key_id)
        for pk, subject_id, owner_id, key_id in PersonEncoding.objects.filter(
            subject__in=subject_ids
        ).values_list("pk", "subject_id", "subject__owner_agency_id", "key_id")
    }
    if not mine:
        return {}
    my_entries = list(BlockKey.objects.filter(encoding__in=mine).values_list("encoding_id", "key", "block"))
    blocks = {block for _, _, block in my_entries}
    # Every entry of these blocks, with its owner: what the sizes are counted from.
    entries = list(
        BlockKey.objects.filter(block__in=blocks).values_list(
            "encoding_id", "key", "block", "encoding__subject__owner_agency_id"
        )
    )
    # (block, owner), (sub-block, owner) and (key, owner) -> encodings; block -> owners.
    in_block: dict[tuple[int, int], list[int]] = defaultdict(list)
    in_sub: dict[tuple[int, int], list[int]] = defaultdict(list)
    in_key: dict[tuple[int, int], list[int]] = defaultdict(list)
    owners: dict[int, set[int]] = defaultdict(set)
    for encoding_id, key, block, owner in entries:
        in_block[(block, owner)].append(encoding_id)
        in_sub[(bloom.block_of(key, 1), owner)].append(encoding_id)
        in_key[(key, owner)].append(encoding_id)
        owners[block].add(owner)
    small, cap = bloom.SMALL_BLOCK, bloom.MAX_BLOCK
    wanted: dict[int, set[int]] = defaultdict(set)  # my encoding -> encodings to compare it with
    in_crowd: dict[int, set[int]] = defaultdict(set)  # the same, only where the dates can agree
    for encoding_id, key, block in my_entries:
        me = mine[encoding_id][1]
        sub = bloom.block_of(key, 1)
        for owner in owners[block] - {me}:
            if len(in_block[(block, me)]) <= small and len(in_block[(block, owner)]) <= small:
                wanted[encoding_id].update(in_block[(block, owner)])
            elif len(in_sub[(sub, me)]) <= small and len(in_sub[(sub, owner)]) <= small:
                wanted[encoding_id].update(in_sub[(sub, owner)])
            elif len(in_key[(key, me)]) <= small and len(in_key[(key, owner)]) <= small:
                wanted[encoding_id].update(in_key[(key, owner)])
            elif len(in_key[(key, me)]) <= cap and len(in_key[(key, owner)]) <= cap:
                in_crowd[encoding_id].update(in_key[(key, owner)])
    needed = set(wanted) | set(in_crowd)
    for others in (*wanted.values(), *in_crowd.values()):
        needed |= others
    info = {
        pk: (subject_id, key_id, bytes(blob))
        for pk, subject_id, key_id, blob in PersonEncoding.objects.filter(pk__in=needed).values_list(
            "pk", "subject_id", "key_id", "bloom"
        )
    }
    threshold = bloom.DEFAULT_THRESHOLD
    found: dict[Pair, float] = {}
    for encoding_id in wanted.keys() | in_crowd.keys():
        subject_id, key_id, my_bloom = info[encoding_id]
        crowd = in_crowd[encoding_id] - wanted[encoding_id]
        my_date = bloom.date_word(my_bloom)
        agreeing = {
            other for other in crowd if bloom.dates_can_agree(my_date, bloom.date_word(info[other][2]))
        }
        for other in wanted[encoding_id] | agreeing:
            other_subject, other_key_id, other_bloom = info[other]
            if other_key_id != key_id:
                continue
            score = bloom.dice(my_bloom, other_bloom)
            if score >= threshold:
                pair = _pair(subject_id, other_subject, SelectorKind.PERSON)
                found[pair] = max(score, found.get(pair, 0.0))
    return found


@transaction.atomic
def match_batch(subject_ids: Sequence[int]) -> BatchResult:
    """Match these subjects against everyone, write the hits, clear their dirty flag."""
    found = exact_candidates(subject_ids)
    found.update(person_candidates(subject_ids))
    now = timezone.now()
    involving = Q(subject_a__in=subject_ids) | Q(subject_b__in=subject_ids)
    existing = {
        (hit.subject_a_id, hit.subject_b_id, hit.kind): hit
        for hit in Hit.objects.select_for_update()
        .filter(involving)
        .only("pk", "subject_a", "subject_b", "kind", "score", "current")
    }
    new = [
        Hit(subject_a_id=a, subject_b_id=b, kind=kind, score=score, created_at=now, matched_at=now)
        for (a, b, kind), score in found.items()
        if (a, b, kind) not in existing
    ]
    Hit.objects.bulk_create(new, ignore_conflicts=True)
    again = [hit for pair, hit in existing.items() if pair in found]
    for hit in again:
        hit.score, hit.current, hit.matched_at = (
            found[(hit.subject_a_id, hit.subject_b_id, hit.kind)],
            True,
            now,
        )
    Hit.objects.bulk_update(again, ["score", "current", "matched_at"])
    _retire([hit.pk for pair, hit in existing.items() if pair not in found])
    Subject.objects.filter(pk__in=subject_ids).update(dirty=False)
    made = list(
        Hit.objects.filter(involving, created_at=now).exclude(pk__in=[h.pk for h in existing.values()])
    )
    return BatchResult(matched=len(subject_ids), new_hits=made)


def _retire(hit_ids: Iterable[int]) -> None:
    """A match no longer found: forgotten, unless someone judged it or asked about it."""
    stale = Hit.objects.filter(pk__in=list(hit_ids))
    kept = stale.filter(Q(judgements__isnull=False) | Q(requests__isnull=False)).values("pk")
    stale.exclude(pk__in=kept).delete()
    Hit.objects.filter(pk__in=kept).update(current=False)
