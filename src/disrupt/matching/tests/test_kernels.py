"""Kernels against plain references: equal digests, blocked fuzzy pairs and their scores."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from typing import Any

import numpy as np
import pytest

from disrupt.matching import bloom, kernels
from disrupt.matching.keys import MatchingKey
from disrupt.matching.normalise import name_tokens
from disrupt.matching.selectors import PersonName

KEY = MatchingKey(bytes(range(32)))


def digests(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.integers(0, 256, (n, 32), dtype=np.uint8)


def reference_exact(left: np.ndarray, right: np.ndarray) -> set[tuple[int, int]]:
    where: dict[bytes, list[int]] = defaultdict(list)
    for i, row in enumerate(left):
        where[row.tobytes()].append(i)
    return {(i, j) for j, row in enumerate(right) for i in where.get(row.tobytes(), [])}


def test_exact_pairs_equal_a_set_intersection_with_duplicates_on_both_sides() -> None:
    rng = np.random.default_rng(1)
    pool = digests(rng, 300)
    left = pool[rng.integers(0, 300, 2000)]  # many repeats
    right = np.concatenate([pool[rng.integers(0, 300, 1500)], digests(rng, 500)])
    found = kernels.exact_pairs(left, right)
    assert found.dtype == np.int64 and found.shape[1] == 2
    as_set = set(map(tuple, found.tolist()))
    assert len(as_set) == len(found)
    assert as_set == reference_exact(left, right)
    # The table is built on the smaller side; the columns stay (left, right).
    assert set(map(tuple, kernels.exact_pairs(right, left).tolist())) == {(j, i) for i, j in as_set}


def test_exact_pairs_verify_all_32_bytes_not_just_the_first_8() -> None:
    rng = np.random.default_rng(2)
    left = digests(rng, 50)
    right = left.copy()
    right[::2, 31] ^= 1  # same first 8 bytes, different last byte
    assert set(map(tuple, kernels.exact_pairs(left, right).tolist())) == {(i, i) for i in range(1, 50, 2)}


def test_exact_pairs_read_bytes_arrays_and_refuse_other_shapes() -> None:
    rng = np.random.default_rng(3)
    left, right = digests(rng, 100), digests(rng, 100)
    right[10] = left[20]
    as_bytes = np.frombuffer(right.tobytes(), dtype="S32")
    assert kernels.exact_pairs(left, as_bytes).tolist() == [[20, 10]]
    assert kernels.exact_pairs(left[:0], right).shape == (0, 2)
    with pytest.raises(ValueError):
        kernels.exact_pairs(left[:, :16], right)
    with pytest.raises(ValueError):
        kernels.exact_pairs(np.zeros(4, dtype="S16"), right)


def people(rng: np.random.Generator, n: int) -> list[PersonName | None]:
    given = ["budi", "siti", "ayu", "anan", "dmitry", "mohammed", "nguyen", "somchai", "rahim", "kamal"]
    family = ["santoso", "rahayu", "prasert", "shevchenko", "rahman", "van", "chaiyaporn", "khan", "wijaya"]
    out: list[PersonName | None] = []
    for _ in range(n):
        first, last = rng.choice(given), rng.choice(family)
        if rng.random() < 0.3:  # a typo
            cut = int(rng.integers(1, len(last)))
            last = last[:cut] + last[cut + 1 :]
        year = int(rng.integers(1980, 1986))
        birth = (
            f"{year}" if rng.random() < 0.4 else f"{year}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}"
        )
        out.append(PersonName(name_tokens(f"{first} {last}"), birth))
    out.append(None)  # a record with no person
    return out


def people_with_more(rng: np.random.Generator, n: int) -> list[PersonName | None]:
    """As people(), some with an address or identity numbers, some with one name token or none:
    every set of segments a pair can have in common."""
    streets = ["jalan merdeka", "soi sukhumvit", "rue de la paix", "main street"]
    out = people(rng, n)
    for k, person in enumerate(out):
        if person is None:
            continue
        tokens, address, numbers = person.tokens, person.address, person.numbers
        if rng.random() < 0.4:
            address = (
                *name_tokens(str(rng.choice(streets))),
                str(rng.integers(1, 30)),
                str(rng.integers(10100, 10104)),
            )
        if rng.random() < 0.4:
            numbers = (f"A{rng.integers(1000, 1060)}",)
        what = rng.random()
        if what < 0.1:
            tokens = tokens[:1]
        elif what < 0.15 and (address or numbers):
            tokens = ()
        out[k] = PersonName(tokens, person.birth if rng.random() < 0.8 else "", address, numbers)
    return out


def reference_scores(fa: np.ndarray, fb: np.ndarray) -> np.ndarray:
    """bloom.score of every pair with numpy, in the same operations and order as bloom.score."""
    scores = np.zeros((len(fa), len(fb)), dtype=np.float64)
    for start in range(0, len(fa), 256):
        a = fa[start : start + 256]
        bits = np.full((len(a), len(fb)), bloom.PRIOR)
        for seg in bloom.SEGMENTS:
            both = np.bitwise_count(a[:, None, seg.start : seg.end] & fb[None, :, seg.start : seg.end]).sum(2)
            one = np.bitwise_count(a[:, seg.start : seg.end]).sum(1)[:, None].astype(np.int64)
            other = np.bitwise_count(fb[:, seg.start : seg.end]).sum(1)[None, :].astype(np.int64)
            used = (one > 0) & (other > 0)
            with np.errstate(invalid="ignore", divide="ignore"):
                x = np.clip((2.0 * both / (one + other) - seg.low) / (seg.high - seg.low), 0.0, 1.0)
            bits = np.where(used, bits + (seg.disagree + (seg.agree - seg.disagree) * x), bits)
        scores[start : start + 256] = 1.0 / (1.0 + 2.0**-bits)
    return scores


def sharing_a_block(
    fa: np.ndarray, ba: np.ndarray, fb: np.ndarray, bb: np.ndarray, max_block: int, small: int
) -> set[tuple[int, int]]:
    """The pairs the join compares, by the rule written out: a block (the key's top bits) both
    sides share is compared whole while it holds at most `small` entries on each side; a larger
    one by its sub-blocks (the next bits), each compared whole while it holds at most `small` a
    side; a larger sub-block by its equal whole keys holding at most max_block a side, and where
    those hold more than `small` on a side (a crowd), only by pairs whose dates can agree."""

    def tree(blocks: np.ndarray) -> dict[int, dict[int, dict[int, list[int]]]]:
        found: dict[int, dict[int, dict[int, list[int]]]] = defaultdict(lambda: defaultdict(dict))
        for key, row in blocks.tolist():
            found[bloom.block_of(key)][bloom.block_of(key, 1)].setdefault(key, []).append(row)
        return found

    def rows(node: dict[int, Any] | list[int]) -> list[int]:
        return node if isinstance(node, list) else [row for child in node.values() for row in rows(child)]

    def every(one: list[int], other: list[int]) -> set[tuple[int, int]]:
        return {(i, j) for i in one for j in other}

    pairs: set[tuple[int, int]] = set()
    tree_a, tree_b = tree(ba), tree(bb)
    for block in tree_a.keys() & tree_b.keys():
        a, b = rows(tree_a[block]), rows(tree_b[block])
        if len(a) <= small and len(b) <= small:
            pairs |= every(a, b)
            continue
        for sub in tree_a[block].keys() & tree_b[block].keys():
            a, b = rows(tree_a[block][sub]), rows(tree_b[block][sub])
            if len(a) <= small and len(b) <= small:
                pairs |= every(a, b)
                continue
            for key in tree_a[block][sub].keys() & tree_b[block][sub].keys():
                a, b = tree_a[block][sub][key], tree_b[block][sub][key]
                if len(a) > max_block or len(b) > max_block:
                    continue
                if len(a) <= small and len(b) <= small:
                    pairs |= every(a, b)
                else:
                    date = bloom.DATE.start
                    pairs |= {
                        (i, j)
                        for i, j in every(a, b)
                        if bloom.dates_can_agree(int(fa[i, date]), int(fb[j, date]))
                    }
    return pairs


@pytest.mark.parametrize(
    ("max_block", "small", "more", "threshold"),
    [
        (bloom.MAX_BLOCK, bloom.SMALL_BLOCK, False, bloom.DEFAULT_THRESHOLD),
        (8, 8, False, bloom.DEFAULT_THRESHOLD),
        (8, 2, False, bloom.DEFAULT_THRESHOLD),
        (bloom.MAX_BLOCK, bloom.SMALL_BLOCK, True, bloom.DEFAULT_THRESHOLD),
        (bloom.MAX_BLOCK, bloom.SMALL_BLOCK, True, 0.05),
        (bloom.MAX_BLOCK, bloom.SMALL_BLOCK, True, 0.97),
    ],
)
def test_fuzzy_pairs_equal_a_brute_force_reference(
    max_block: int, small: int, more: bool, threshold: float
) -> None:
    """Every pair sharing a block whose score reaches the threshold, and no other: the join's
    first test, on the name alone, never drops a pair the whole score would keep."""
    rng = np.random.default_rng(4)
    make = people_with_more if more else people
    fa, ba = kernels.encode_people(make(rng, 1500), KEY)
    fb, bb = kernels.encode_people(make(rng, 1200), KEY)
    result = kernels.fuzzy_pairs(fa, ba, fb, bb, threshold, max_block, small)
    scores = reference_scores(fa, fb)
    candidates = sharing_a_block(fa, ba, fb, bb, max_block, small)
    expected = {pair for pair in candidates if scores[pair] >= threshold}
    found = list(map(tuple, result.pairs.tolist()))
    assert len(found) == len(set(found))  # each pair once, though most share several blocks
    assert set(found) == expected and len(expected) > 20
    assert result.scores.dtype == np.float32
    assert np.array_equal(result.scores, scores[result.pairs[:, 0], result.pairs[:, 1]].astype(np.float32))
    assert result.comparisons == len(kernels.candidate_pairs(fa, ba, fb, bb, max_block, small))
    assert result.comparisons >= len(candidates)


def test_the_kernel_scores_as_bloom_dice_does() -> None:
    rng = np.random.default_rng(5)
    group = people(rng, 300)[:-1]
    fa, ba = kernels.encode_people(group, KEY)
    result = kernels.fuzzy_pairs(fa, ba, fa, ba, 0.0)
    encoded = [bloom.encode_person(p, KEY) for p in group if p is not None]
    for (i, j), s in zip(result.pairs.tolist()[:500], result.scores.tolist()[:500], strict=True):
        assert s == np.float32(bloom.dice(encoded[i], encoded[j]))


def test_a_block_over_the_cap_is_skipped_and_counted() -> None:
    filters = kernels.encode_people([PersonName(("budi", "santoso"), "1984")] * 10, KEY)[0]
    blocks = np.array([[42, row] for row in range(10)], dtype=np.int64)
    capped = kernels.fuzzy_pairs(filters, blocks, filters[:2], blocks[:2], max_block=5)
    assert (len(capped.pairs), capped.comparisons, capped.skipped_blocks) == (0, 0, 1)
    allowed = kernels.fuzzy_pairs(filters, blocks, filters[:2], blocks[:2], max_block=10)
    assert (len(allowed.pairs), allowed.comparisons, allowed.skipped_blocks) == (20, 20, 0)


def test_a_large_block_is_compared_only_by_its_sub_blocks_and_theirs() -> None:
    filters = kernels.encode_people([PersonName(("budi", "santoso"), "1984")] * 8, KEY)[0]
    block = 7 << bloom.SUB_BLOCK_BITS[0]
    # One block; rows 0-3 in sub-block 1 and 4-7 in sub-block 2; within each, two finer ones.
    keys = [block | (1 + row // 4) << bloom.SUB_BLOCK_BITS[1] | (row // 2) for row in range(8)]
    blocks = np.array([[key, row] for row, key in enumerate(keys)], dtype=np.int64)
    whole = kernels.fuzzy_pairs(filters, blocks, filters, blocks, small=8)
    assert whole.comparisons == 64 and len(whole.pairs) == 64
    by_sub = kernels.fuzzy_pairs(filters, blocks, filters, blocks, small=4)
    assert by_sub.comparisons == 32
    assert {(i // 4, j // 4) for i, j in by_sub.pairs.tolist()} == {(0, 0), (1, 1)}
    by_finer = kernels.fuzzy_pairs(filters, blocks, filters, blocks, small=3)
    assert by_finer.comparisons == 16
    assert {(i // 2, j // 2) for i, j in by_finer.pairs.tolist()} == {(0, 0), (1, 1), (2, 2), (3, 3)}


def test_a_crowd_of_namesakes_is_compared_only_where_their_birth_days_can_agree() -> None:
    births = ["1984-03-12", "1984-03-12", "1984-03", "1984", "1984-05-01", "1984-03-13"]
    filters = kernels.encode_people([PersonName(("budi", "santoso"), birth) for birth in births], KEY)[0]
    blocks = np.array([[12345, row] for row in range(len(births))], dtype=np.int64)  # one whole key
    everyone = kernels.fuzzy_pairs(filters, blocks, filters, blocks, 0.0, small=len(births))
    assert everyone.comparisons == 36  # not a crowd: compared whole
    crowd = kernels.fuzzy_pairs(filters, blocks, filters, blocks, 0.0, small=4)
    compared = {(births[i], births[j]) for i, j in crowd.pairs.tolist()}
    assert crowd.comparisons == len(kernels.candidate_pairs(filters, blocks, filters, blocks, small=4))
    assert ("1984-03-12", "1984-03-12") in compared
    assert {("1984", birth) for birth in births} <= compared  # a year alone can be any day
    assert ("1984-03", "1984-03-12") in compared and ("1984-03-12", "1984-03") in compared
    for one, other in [("1984-03-12", "1984-05-01"), ("1984-03-12", "1984-03-13"), ("1984-03", "1984-05-01")]:
        assert (one, other) not in compared and (other, one) not in compared
    words = [bloom.date_word(bloom.encode_person(PersonName(("budi", "santoso"), b), KEY)) for b in births]
    expected = {(i, j) for i in range(6) for j in range(6) if bloom.dates_can_agree(words[i], words[j])}
    assert set(map(tuple, crowd.pairs.tolist())) == expected and crowd.comparisons == len(expected)


def test_fuzzy_pairs_refuse_what_is_not_an_encoding() -> None:
    filters, blocks = kernels.encode_people([PersonName(("budi", "santoso"), "1984")], KEY)
    with pytest.raises(ValueError, match="uint64"):
        kernels.fuzzy_pairs(filters.astype(np.int64), blocks, filters, blocks)
    with pytest.raises(ValueError, match="outside"):
        kernels.fuzzy_pairs(filters, blocks + np.array([0, 5]), filters, blocks)
    tampered = filters.copy()
    tampered[0, bloom.RESERVED_WORD] = 1
    with pytest.raises(ValueError, match="reserved|sets word"):
        kernels.fuzzy_pairs(tampered, blocks, filters, blocks)


def test_match_people_finds_variants_across_two_lists_and_not_strangers() -> None:
    mine = [
        PersonName(name_tokens("Budi Santoso"), "1984-05-02"),
        PersonName(name_tokens("Siti Rahayu"), "1990"),
    ]
    theirs = [
        PersonName(name_tokens("Anan Chaiyaporn"), "1962"),
        PersonName(name_tokens("SANTOSO Boedi"), "1984"),
        None,
    ]
    found = kernels.match_people(mine, theirs, KEY)
    assert [(i, j) for i, j, _ in found] == [(0, 1)]
    assert found[0][2] >= bloom.DEFAULT_THRESHOLD
    assert kernels.match_people([], theirs, KEY) == []


CACHELESS = """
import numba.core.caching as caching
caching.CacheImpl._locator_classes = []  # as where no cache directory is writable
import numpy as np
from disrupt.matching import kernels
left = np.arange(64, dtype=np.uint8).reshape(2, 32)
print(kernels.exact_pairs(left, left[::-1]).tolist())
"""


def test_the_kernels_compile_in_memory_where_no_cache_is_writable() -> None:
    env = {**os.environ, "NUMBA_CACHE_DIR": "/dev/null/numba"}
    run = subprocess.run(
        [sys.executable, "-c", CACHELESS], capture_output=True, text=True, env=env, timeout=300
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[[1, 0], [0, 1]]"


def test_keys_crowding_a_few_buckets_sort_as_uniform_ones_do() -> None:
    # An uploaded file's keys need not be keyed hashes: small keys all fall in one bucket.
    rng = np.random.default_rng(9)
    blocks = np.stack([rng.integers(0, 50, 5000), rng.permutation(5000)], axis=1).astype(np.int64)
    keys, rows = kernels._bucket_sort(blocks)
    expected = blocks[np.lexsort((blocks[:, 1], blocks[:, 0]))]
    assert np.array_equal(keys, expected[:, 0]) and np.array_equal(rows, expected[:, 1])
