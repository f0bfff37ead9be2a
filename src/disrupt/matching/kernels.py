"""Compiled matching kernels: equal digests (exact selectors) and blocked Bloom comparisons (people).

Both are numba functions over numpy arrays, cached on disk after the first compilation (a second
or two). Where no cache directory is writable (a read-only install, a locked-down home) they are
compiled in memory for each process instead: slower to start, same results.

- exact_pairs: a hash join on the first 8 bytes of each 32-byte digest, verified on all 32.
- fuzzy_pairs: blocks of candidates meet on equal blocking keys (a merge over both sides' keys
  sorted); every pair inside a small block, or inside a shared small sub-block of a large one,
  or a shared finer sub-block of a large sub-block, is scored by AND and popcount per segment of
  the filter (bloom.score); a finer sub-block larger than max_block on either side is skipped,
  and in one larger than small (a crowd of namesakes) only pairs whose birth days can agree are
  scored. So the comparisons per record stay about the same, and the cost grows with the number
  of records, not its square.
- match_people: encode, block and compare two lists of people, end to end.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from disrupt.matching import bloom
from disrupt.matching.keys import MatchingKey
from disrupt.matching.selectors import PersonName

logger = logging.getLogger(__name__)


def _jit(function: Callable[..., Any], **options: Any) -> Any:
    """njit with an on-disk cache, or without one where no cache location is writable."""
    try:
        return numba.njit(cache=True, nogil=True, **options)(function)
    except RuntimeError as error:  # numba: "cannot cache function ...: no locator available"
        logger.info("numba cache unavailable (%s); compiling %s in memory", error, function.__name__)
        return numba.njit(cache=False, nogil=True, **options)(function)


def _jit_inline(function: Callable[..., Any]) -> Any:
    """As _jit, inlined into its callers by numba (a call passing arrays costs tens of ns)."""
    return _jit(function, inline="always")


def _popcount_intrinsic(typingctx: Any, value: Any) -> Any:
    """llvm.ctpop on a uint64: one POPCNT instruction (or a vector popcount once vectorised)."""
    signature = types.uint64(types.uint64)

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        return builder.ctpop(args[0])

    return signature, codegen


def _prefetch_intrinsic(typingctx: Any, array: Any, row: Any, column: Any) -> Any:
    """llvm.prefetch of array[row, column] into all cache levels (a hint: never faults)."""
    signature = types.void(array, row, column)

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        kind = sig.args[0]
        view = context.make_array(kind)(context, builder, value=args[0])
        pointer = cgutils.get_item_pointer2(
            context,
            builder,
            data=view.data,
            shape=cgutils.unpack_tuple(builder, view.shape),
            strides=cgutils.unpack_tuple(builder, view.strides),
            layout=kind.layout,
            inds=[args[1], args[2]],
        )
        byte_pointer = builder.bitcast(pointer, ir.IntType(8).as_pointer())
        i32 = ir.IntType(32)
        function = builder.module.declare_intrinsic(
            "llvm.prefetch",
            [byte_pointer.type],
            ir.FunctionType(ir.VoidType(), [byte_pointer.type, i32, i32, i32]),
        )
        builder.call(function, [byte_pointer, i32(0), i32(3), i32(1)])  # read, keep in all levels, data
        return context.get_dummy_value()

    return signature, codegen


_prefetch = cast(Callable[[Any, Any, Any], None], intrinsic(_prefetch_intrinsic))


_popcount = cast(Callable[[Any], Any], intrinsic(_popcount_intrinsic))


# ---- exact ------------------------------------------------------------------------------------
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@_jit
def _exact_join(left: np.ndarray, right: np.ndarray, bits: int) -> np.ndarray:
    n, m = left.shape[0], right.shape[0]
    size = np.int64(1) << bits
    mask = np.uint64(size - 1)
    shift = np.uint64(64 - bits)
    # (first word, row) side by side, so one probe touches one cache line.
    table_key = np.zeros(size, dtype=np.uint64)
    table_row = np.full(size, -1, dtype=np.int64)
    for i in range(n):
        word = left[i, 0]
        slot = np.int64((word * _GOLDEN) >> shift)
        while table_row[slot] != -1:
            slot = np.int64((np.uint64(slot) + np.uint64(1)) & mask)
        table_key[slot] = word
        table_row[slot] = i
    capacity = max(16, min(n, m))
    out = np.empty((capacity, 2), dtype=np.int64)
    found = 0
    for j in range(m):
        word = right[j, 0]
        slot = np.int64((word * _GOLDEN) >> shift)
        while table_row[slot] != -1:
            if table_key[slot] == word:
                i = table_row[slot]
                if left[i, 1] == right[j, 1] and left[i, 2] == right[j, 2] and left[i, 3] == right[j, 3]:
                    if found == capacity:
                        capacity *= 2
                        grown = np.empty((capacity, 2), dtype=np.int64)
                        grown[:found] = out[:found]
                        out = grown
                    out[found, 0] = i
                    out[found, 1] = j
                    found += 1
            slot = np.int64((np.uint64(slot) + np.uint64(1)) & mask)
    return out[:found].copy()


def _as_digest_words(digests: np.ndarray, side: str) -> np.ndarray:
    array = np.asarray(digests)
    if array.dtype.kind == "S":
        if array.dtype.itemsize != 32 or array.ndim != 1:
            raise ValueError(f"{side}: digests as bytes must be a 1-d 'S32' array.")
        array = np.ascontiguousarray(array).view(np.uint8).reshape(-1, 32)
    if array.dtype != np.uint8 or array.ndim != 2 or array.shape[1] != 32:
        raise ValueError(f"{side}: digests must be (n, 32) uint8 or 'S32', not {array.dtype} {array.shape}.")
    return np.ascontiguousarray(array).view(np.uint64).reshape(-1, 4)


def exact_pairs(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Every (i, j) with left[i] == right[j], as an int64 (m, 2) array (order unspecified)."""
    a, b = _as_digest_words(left, "left"), _as_digest_words(right, "right")
    if not len(a) or not len(b):
        return np.empty((0, 2), dtype=np.int64)
    swap = len(a) > len(b)  # the table is built on the smaller side
    build, probe = (b, a) if swap else (a, b)
    bits = max(4, int(2 * len(build) - 1).bit_length())
    pairs: np.ndarray = _exact_join(build, probe, bits)
    return pairs[:, ::-1].copy() if swap else pairs


# ---- fuzzy ------------------------------------------------------------------------------------
# What the compiled code takes as constants is written here, not read from bloom.py: numba's
# cache is keyed on this file only, so a constant from another module could go stale in it.
# The weights, which one tunes, are passed at each call (see _score_parameters).
_WORDS = 16
_RESERVED = 15  # the word an encoding never sets
_LAYOUT = ((0, 6), (6, 7), (7, 8), (8, 13), (13, 15))  # the segments' words, as in bloom.SEGMENTS
# A prepared row (_prepare) moves the words after the name one on, into the reserved word, and
# keeps the segments' popcounts just after the name: the first test of a pair (_may_match)
# reads the name and the popcounts, which are the row's first cache line (64 bytes).
_META = 6
_PREPARED = ((0, 6), (7, 8), (8, 9), (9, 14), (14, 16))
_DATE = 8  # the prepared row's DATE word (the crowd rule: bloom.dates_can_agree)
_SEGMENTS = 5
_COUNT_BITS = 10  # a segment's popcount in the reserved word: at most 1023 bits per segment
_PRESENT_SHIFT = 50  # then one bit per segment the row uses
_SUB_BITS, _FINER_BITS = 24, 12  # the bits of a blocking key below its block and its sub-block
_AHEAD = 16  # pairs prefetched ahead
_INSERTION_LIMIT = 32  # a bucket of more keys is merge-sorted
_CHUNK = 4096  # pairs laid out before scoring
_FIXED = 16  # _may_match's similarities: fixed point, in 1 / 2**_FIXED
_SEG_START = np.array([start for start, _ in _PREPARED], dtype=np.int64)
_SEG_END = np.array([end for _, end in _PREPARED], dtype=np.int64)
# The comparison loop is written out for this layout (a loop over the segments is 1.6 times
# slower): a change to bloom.SEGMENTS' words must change _approx_bits, _LAYOUT and _PREPARED.
assert tuple((seg.start, seg.end) for seg in bloom.SEGMENTS) == _LAYOUT, "update kernels._LAYOUT"
assert tuple(end - start for start, end in _PREPARED) == tuple(end - start for start, end in _LAYOUT)
assert _PREPARED[0] == _LAYOUT[0] == (0, _META) and _LAYOUT[-1][1] == _RESERVED
assert _PREPARED[2] == (_DATE, _DATE + 1) and bloom.SEGMENTS[2] is bloom.DATE
assert (bloom.WORDS, bloom.RESERVED_WORD, len(bloom.SEGMENTS)) == (_WORDS, _RESERVED, _SEGMENTS)
assert bloom.SUB_BLOCK_BITS == (_SUB_BITS, _FINER_BITS)
assert max(end - start for start, end in _LAYOUT) * 64 < 1 << _COUNT_BITS
assert _PRESENT_SHIFT == _COUNT_BITS * _SEGMENTS


def _score_parameters() -> np.ndarray:
    """bloom's segments as rows (agree, disagree, low, high, 1 / (high - low)), then a last row
    holding PRIOR: what the compiled code reads the score from."""
    table = np.zeros((_SEGMENTS + 1, 5), dtype=np.float64)
    for s, seg in enumerate(bloom.SEGMENTS):
        table[s] = (seg.agree, seg.disagree, seg.low, seg.high, 1.0 / (seg.high - seg.low))
    table[_SEGMENTS, 0] = bloom.PRIOR
    return table


@_jit
def _prepare(filters: np.ndarray, rows: np.ndarray) -> bool:
    """Fill rows (as many as filters) with the filters in the prepared layout (_PREPARED), each
    row's segment popcounts packed in word _META and one bit per segment it uses above them;
    False, leaving rows unfinished, when a filter sets the reserved word (it is no encoding)."""
    for i in range(filters.shape[0]):
        if filters[i, _RESERVED] != 0:
            return False
        for w in range(_META):
            rows[i, w] = filters[i, w]
        for w in range(_META, _RESERVED):
            rows[i, w + 1] = filters[i, w]
        meta = np.uint64(0)
        for s in range(_SEGMENTS):
            c = np.uint64(0)
            for w in range(_SEG_START[s], _SEG_END[s]):
                c += _popcount(rows[i, w])
            meta |= c << np.uint64(_COUNT_BITS * s)
            if c:
                meta |= np.uint64(1) << np.uint64(_PRESENT_SHIFT + s)
        rows[i, _META] = meta
    return True


def _aligned_rows(n: int) -> np.ndarray:
    """An (n, _WORDS) uint64 array whose rows start on 64-byte cache lines."""
    flat = np.empty(n * _WORDS + 8, dtype=np.uint64)
    skip = (-flat.ctypes.data % 64) // 8
    return flat[skip : skip + n * _WORDS].reshape(n, _WORDS)


@_jit_inline
def _evidence(params: np.ndarray, s: int, similarity: float) -> float:
    """bloom.Segment.evidence: the same operations in the same order (the same float)."""
    x = (similarity - params[s, 2]) / (params[s, 3] - params[s, 2])
    x = 0.0 if x < 0.0 else 1.0 if x > 1.0 else x
    return params[s, 1] + (params[s, 0] - params[s, 1]) * x


@_jit_inline
def _exact_score(fa: np.ndarray, i: int, fb: np.ndarray, j: int, params: np.ndarray) -> float:
    """bloom.score of prepared rows fa[i] and fb[j]: the same operations in the same order (the
    same float)."""
    bits = params[_SEGMENTS, 0]
    mask = np.uint64((1 << _COUNT_BITS) - 1)
    for s in range(_SEGMENTS):
        one = np.int64((fa[i, _META] >> np.uint64(_COUNT_BITS * s)) & mask)
        other = np.int64((fb[j, _META] >> np.uint64(_COUNT_BITS * s)) & mask)
        if one and other:
            common = np.uint64(0)
            for w in range(_SEG_START[s], _SEG_END[s]):
                common += _popcount(fa[i, w] & fb[j, w])
            bits += _evidence(params, s, 2.0 * np.int64(common) / (one + other))
    return 1.0 / (1.0 + 2.0**-bits)


@_jit_inline
def _segment_bits(
    c: np.uint64, meta_a: np.uint64, meta_b: np.uint64, s: int, params: np.ndarray, recip: np.ndarray
) -> float:
    """A segment's evidence from its common popcount, with the tabled 2 / (popcount sum) and
    1 / (high - low): within rounding of _evidence, without a division or a branch."""
    mask = np.uint64((1 << _COUNT_BITS) - 1)
    shift = np.uint64(_COUNT_BITS * s)
    similarity = (
        np.float64(np.int64(c)) * recip[np.int64(((meta_a >> shift) & mask) + ((meta_b >> shift) & mask))]
    )
    x = min(max((similarity - params[s, 2]) * params[s, 4], 0.0), 1.0)
    return params[s, 1] + (params[s, 0] - params[s, 1]) * x


@_jit_inline
def _approx_bits(
    fa: np.ndarray, i: int, fb: np.ndarray, j: int, params: np.ndarray, recip: np.ndarray
) -> float:
    """The pair's evidence in bits, bloom.evidence_bits within rounding: every segment's, each
    counted when both rows use it, without a branch (the pairs it scores passed _may_match, and
    which of their segments count is as good as random)."""
    meta_a, meta_b = fa[i, _META], fb[j, _META]
    both = (meta_a & meta_b) >> np.uint64(_PRESENT_SHIFT)
    one = np.uint64(1)
    name = (
        _popcount(fa[i, 0] & fb[j, 0]) + _popcount(fa[i, 1] & fb[j, 1]) + _popcount(fa[i, 2] & fb[j, 2])
        + _popcount(fa[i, 3] & fb[j, 3]) + _popcount(fa[i, 4] & fb[j, 4]) + _popcount(fa[i, 5] & fb[j, 5])
    )  # fmt: skip
    year = _popcount(fa[i, 7] & fb[j, 7])
    day = _popcount(fa[i, 8] & fb[j, 8])
    address = (
        _popcount(fa[i, 9] & fb[j, 9]) + _popcount(fa[i, 10] & fb[j, 10]) + _popcount(fa[i, 11] & fb[j, 11])
        + _popcount(fa[i, 12] & fb[j, 12]) + _popcount(fa[i, 13] & fb[j, 13])
    )  # fmt: skip
    numbers = _popcount(fa[i, 14] & fb[j, 14]) + _popcount(fa[i, 15] & fb[j, 15])
    bits = params[_SEGMENTS, 0]
    bits += _segment_bits(name, meta_a, meta_b, 0, params, recip) * np.float64(both & one)
    bits += _segment_bits(year, meta_a, meta_b, 1, params, recip) * np.float64((both >> one) & one)
    bits += _segment_bits(day, meta_a, meta_b, 2, params, recip) * np.float64((both >> np.uint64(2)) & one)
    bits += _segment_bits(address, meta_a, meta_b, 3, params, recip) * np.float64(
        (both >> np.uint64(3)) & one
    )
    bits += _segment_bits(numbers, meta_a, meta_b, 4, params, recip) * np.float64(
        (both >> np.uint64(4)) & one
    )
    return bits


@_jit_inline
def _may_match(fa: np.ndarray, i: int, fb: np.ndarray, j: int, least: np.ndarray, allowed: np.ndarray) -> int:
    """1 when the pair may reach the threshold, 0 when its name alone shows it cannot (whatever
    the other segments hold): the first test of every pair, without a branch, from the rows'
    first cache lines only. least[segments both use] is the least name similarity that can
    still reach the threshold, rounded down; allowed[...] says whether pairs without a name on
    both sides can reach it."""
    meta_a, meta_b = fa[i, _META], fb[j, _META]
    both = np.int64((meta_a & meta_b) >> np.uint64(_PRESENT_SHIFT))
    c = (
        _popcount(fa[i, 0] & fb[j, 0]) + _popcount(fa[i, 1] & fb[j, 1]) + _popcount(fa[i, 2] & fb[j, 2])
        + _popcount(fa[i, 3] & fb[j, 3]) + _popcount(fa[i, 4] & fb[j, 4]) + _popcount(fa[i, 5] & fb[j, 5])
    )  # fmt: skip
    mask = np.uint64((1 << _COUNT_BITS) - 1)
    total = np.int64((meta_a & mask) + (meta_b & mask))
    return np.int64(np.int64(c) << np.int64(_FIXED + 1) >= least[both] * total) & allowed[both]


@_jit
def _merge_sort_bucket(keys: np.ndarray, rows: np.ndarray, start: int, end: int) -> None:
    """Sort a crowded bucket keys[start:end] by (key, row), rows alongside, by a stable merge sort."""
    segment_keys, segment_rows = keys[start:end], rows[start:end]
    by_row = np.argsort(segment_rows, kind="mergesort")
    order = by_row[np.argsort(segment_keys[by_row], kind="mergesort")]  # by key, then row
    keys[start:end] = segment_keys[order]
    rows[start:end] = segment_rows[order]


@_jit_inline
def _sort_bucket(keys: np.ndarray, rows: np.ndarray, start: int, end: int) -> None:
    """Sort keys[start:end] by (key, row), rows alongside: by insertion while the bucket holds a
    few entries, as it does for keyed hashes; by merge sort when it is crowded (an uploaded
    file's keys need not be uniform), so that no input makes the sort quadratic."""
    if end - start > _INSERTION_LIMIT:
        _merge_sort_bucket(keys, rows, start, end)
        return
    for x in range(start + 1, end):
        key, row = keys[x], rows[x]
        y = x - 1
        while y >= start and (keys[y] > key or (keys[y] == key and rows[y] > row)):
            keys[y + 1] = keys[y]
            rows[y + 1] = rows[y]
            y -= 1
        keys[y + 1] = key
        rows[y + 1] = row


@_jit
def _bucket_sort(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(keys, rows) of (block key, row) entries in key order. Keys are HMAC outputs, uniform over
    64 bits, so two counting passes on their top bits leave buckets of a few entries, each then
    sorted by _sort_bucket: linear time for keyed hashes, never worse than n log n. The first
    pass deals the entries into at most 1,024 buckets of their top bits (few enough for the
    writes to stream); the second deals each of those, now in cache, by the next bits, from a
    copy of it back into its place (no second array as large as the input)."""
    n = blocks.shape[0]
    flip = np.uint64(1) << np.uint64(63)  # signed order is unsigned order with the sign bit flipped
    top = 1
    while top < 10 and (np.int64(1) << (top + 12)) < n:
        top += 1
    shift = np.uint64(64 - top)
    starts = np.zeros((1 << top) + 1, dtype=np.int64)
    for x in range(n):
        starts[np.int64((np.uint64(blocks[x, 0]) ^ flip) >> shift) + 1] += 1
    for b in range(1 << top):
        starts[b + 1] += starts[b]
    keys = np.empty(n, dtype=np.int64)
    rows = np.empty(n, dtype=np.int64)
    fill = starts[:-1].copy()
    largest = 0
    for b in range(1 << top):
        largest = max(largest, starts[b + 1] - starts[b])
    for x in range(n):
        bucket = np.int64((np.uint64(blocks[x, 0]) ^ flip) >> shift)
        keys[fill[bucket]] = blocks[x, 0]
        rows[fill[bucket]] = blocks[x, 1]
        fill[bucket] += 1
    # The second pass deals each bucket from a copy of it back into its place.
    held_keys = np.empty(largest, dtype=np.int64)
    held_rows = np.empty(largest, dtype=np.int64)
    inner = np.zeros((1 << 16) + 1, dtype=np.int64)
    for b in range(1 << top):
        lo, hi = starts[b], starts[b + 1]
        size = hi - lo
        bits = 0  # about four entries a bucket
        while bits < 16 and (np.int64(1) << (bits + 2)) < size:
            bits += 1
        low_shift = np.uint64(64 - top - bits)
        mask = np.uint64((1 << bits) - 1)
        inner[: (1 << bits) + 1] = 0
        for x in range(size):
            held_keys[x] = keys[lo + x]
            held_rows[x] = rows[lo + x]
            inner[np.int64(((np.uint64(held_keys[x]) ^ flip) >> low_shift) & mask) + 1] += 1
        for c in range(1 << bits):
            inner[c + 1] += inner[c]
        for c in range((1 << bits) + 1):
            inner[c] += lo
        for x in range(size):
            sub = np.int64(((np.uint64(held_keys[x]) ^ flip) >> low_shift) & mask)
            keys[inner[sub]] = held_keys[x]
            rows[inner[sub]] = held_rows[x]
            inner[sub] += 1
        # Each sub-bucket c now ends at inner[c], and starts where the one before it ended.
        first = lo
        for c in range(1 << bits):
            _sort_bucket(keys, rows, first, inner[c])
            first = inner[c]
    return keys, rows


@_jit_inline
def _emit(
    out: np.ndarray, found: int, p: int, p_end: int, q: int, q_end: int, crowd: int
) -> tuple[np.ndarray, int]:
    out[found, 0] = p
    out[found, 1] = p_end
    out[found, 2] = q
    out[found, 3] = q_end
    out[found, 4] = crowd
    return out, found + 1


@_jit_inline
def _dates_can_agree(fa: np.ndarray, i: int, fb: np.ndarray, j: int) -> int:
    """bloom.dates_can_agree of two prepared rows, as 1 or 0."""
    one, other = fa[i, _DATE], fb[j, _DATE]
    both = one & other
    return int(np.int64(both == one) | np.int64(both == other))


@_jit_inline
def _group_end(keys: np.ndarray, start: int, end: int, value: np.int64, shift: np.int64) -> int:
    """The end of the run of sorted keys from start whose top bits (keys >> shift) are value."""
    stop = start + 1
    while stop < end and keys[stop] >> shift == value:
        stop += 1
    return stop


@_jit_inline
def _next_shared(
    keys_a: np.ndarray, p: int, p_end: int, keys_b: np.ndarray, q: int, q_end: int, shift: np.int64
) -> tuple[int, int, int, int]:
    """The next run of keys whose top bits (keys >> shift) both sides share, from p and q on:
    (start a, end a, start b, end b); (p_end, p_end, q_end, q_end) when there is none."""
    while p < p_end and q < q_end:
        x, y = keys_a[p] >> shift, keys_b[q] >> shift
        if x != y:
            # Most runs are on one side only: step without a branch to mispredict.
            p += x < y
            q += y < x
            continue
        return p, _group_end(keys_a, p, p_end, x, shift), q, _group_end(keys_b, q, q_end, x, shift)
    return p_end, p_end, q_end, q_end


@_jit
def _blocks(keys_a: np.ndarray, keys_b: np.ndarray, small: int, max_block: int) -> tuple[np.ndarray, int]:
    """What to compare, as rows (start a, end a, start b, end b, crowd) into the sorted keys,
    and how many finest sub-blocks were skipped for holding more than max_block on a side.

    A key's top bits name its block, the next bits a sub-block, the last a finer sub-block
    (bloom.block_keys). A block both sides share is compared whole while it holds at most `small`
    entries on each side; a larger one only by the sub-blocks both share, each compared whole
    while it holds at most `small` a side; a larger sub-block only by its finer sub-blocks, which
    are compared when they hold at most max_block a side and skipped when they hold more. A
    finer sub-block compared with more than `small` on a side is a crowd (crowd is 1): only its
    pairs whose birth days can agree are compared (_dates_can_agree)."""
    na, nb = keys_a.shape[0], keys_b.shape[0]
    # Blocks are disjoint runs of keys on each side, so there are at most min(na, nb) of them:
    # the array never grows (only the pages written to are ever mapped).
    out = np.empty((min(na, nb) + 1, 5), dtype=np.int64)
    found = 0
    skipped = 0
    shift_block, shift_sub, whole = np.int64(_SUB_BITS), np.int64(_FINER_BITS), np.int64(0)
    p, p_end, q, q_end = _next_shared(keys_a, 0, na, keys_b, 0, nb, shift_block)
    while p < p_end:
        if p_end - p <= small and q_end - q <= small:
            out, found = _emit(out, found, p, p_end, q, q_end, 0)
        else:
            # A large block: its sub-blocks, inside it.
            sp, sp_end, sq, sq_end = _next_shared(keys_a, p, p_end, keys_b, q, q_end, shift_sub)
            while sp < sp_end:
                if sp_end - sp <= small and sq_end - sq <= small:
                    out, found = _emit(out, found, sp, sp_end, sq, sq_end, 0)
                else:
                    # A large sub-block: its finer sub-blocks (equal whole keys), capped.
                    fp, fp_end, fq, fq_end = _next_shared(keys_a, sp, sp_end, keys_b, sq, sq_end, whole)
                    while fp < fp_end:
                        if fp_end - fp > max_block or fq_end - fq > max_block:
                            skipped += 1
                        else:
                            crowd = np.int64(fp_end - fp > small or fq_end - fq > small)
                            out, found = _emit(out, found, fp, fp_end, fq, fq_end, crowd)
                        fp, fp_end, fq, fq_end = _next_shared(
                            keys_a, fp_end, sp_end, keys_b, fq_end, sq_end, whole
                        )
                sp, sp_end, sq, sq_end = _next_shared(keys_a, sp_end, p_end, keys_b, sq_end, q_end, shift_sub)
        p, p_end, q, q_end = _next_shared(keys_a, p_end, na, keys_b, q_end, nb, shift_block)
    return out[:found], skipped


@_jit_inline
def _lay_out_crowd(
    block: np.ndarray,
    rows_a: np.ndarray,
    rows_b: np.ndarray,
    filters_a: np.ndarray,
    filters_b: np.ndarray,
    out_i: np.ndarray,
    out_j: np.ndarray,
    n: int,
) -> int:
    """Write the pairs of a crowd (a row of _blocks) whose birth days can agree to out_i and
    out_j from n on, without a branch, and return the new end. (Other blocks are laid out where
    they are scored: a call per block there costs more than its pairs' scores.)"""
    for x in range(block[0], block[1]):
        i = rows_a[x]
        for y in range(block[2], block[3]):
            j = rows_b[y]
            out_i[n] = i
            out_j[n] = j
            n += _dates_can_agree(filters_a, i, filters_b, j)
    return n


@_jit
def _name_tables(threshold_bits: float, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """_may_match's tables, for each set of segments both rows use: the least name similarity
    (in 1 / 2**_FIXED, rounded down) at which the prior and the name still reach threshold_bits
    if every other segment agreed, and whether a pair whose rows do not both have a name can
    reach it (1) or not (0)."""
    count = 1 << _SEGMENTS
    least = np.zeros(count, dtype=np.int64)
    allowed = np.ones(count, dtype=np.int64)
    agree, disagree, low, high = params[0, 0], params[0, 1], params[0, 2], params[0, 3]
    for mask in range(count):
        others = 0.0
        for s in range(1, _SEGMENTS):
            if (mask >> s) & 1:
                others += params[s, 0]
        need = threshold_bits - others - 1e-6 - params[_SEGMENTS, 0]  # what the name must reach
        if not mask & 1:
            allowed[mask] = 1 if need <= 0.0 else 0
        elif need > agree:
            least[mask] = (np.int64(1) << _FIXED) + 1  # more than a similarity of 1: never
        elif need > disagree:
            similarity = low + (need - disagree) / (agree - disagree) * (high - low)
            least[mask] = max(np.int64(0), np.int64(np.floor(similarity * (1 << _FIXED))) - 1)
    return least, allowed


@_jit
def _fuzzy_join(
    filters_a: np.ndarray,
    keys_a: np.ndarray,
    rows_a: np.ndarray,
    filters_b: np.ndarray,
    keys_b: np.ndarray,
    rows_b: np.ndarray,
    threshold: float,
    small: int,
    max_block: int,
    params: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, int, int]:
    blocks, skipped = _blocks(keys_a, keys_b, small, max_block)
    # The threshold as evidence in bits.
    threshold_bits = (
        -np.inf if threshold <= 0.0 else np.log2(threshold / (1.0 - threshold)) if threshold < 1.0 else np.inf
    )
    least, allowed = _name_tables(threshold_bits, params)
    # 2 / (popcount sum) for every possible sum: a multiplication instead of a division per
    # segment. The sum is within rounding of bloom.evidence_bits; a pair within a hair of the
    # threshold is scored exactly.
    recip = np.zeros(2 << _COUNT_BITS, dtype=np.float64)
    for t in range(1, recip.shape[0]):
        recip[t] = 2.0 / t

    capacity = 1024
    out_pairs = np.empty((capacity, 2), dtype=np.int64)
    out_scores = np.empty(capacity, dtype=np.float32)
    found = 0
    comparisons = 0
    # Pairs are laid out a chunk at a time, then tested in two passes. The first tests every
    # pair's name (_may_match) without a branch, prefetching the first cache line of the rows
    # of the pair _AHEAD places on, and keeps the few that pass; the second scores those,
    # prefetching their second lines. Most blocks hold one or two rows a side, so the cost is
    # the rows' fetches from memory: a branch mispredicted in the first pass would throw away
    # the fetches under way.
    chunk_i = np.empty(_CHUNK + max_block * max_block, dtype=np.int64)
    chunk_j = np.empty(_CHUNK + max_block * max_block, dtype=np.int64)
    kept = np.empty(_CHUNK + max_block * max_block, dtype=np.int64)
    nblocks = blocks.shape[0]
    t = 0
    while t < nblocks:
        n = 0
        while t < nblocks and n < _CHUNK:
            if blocks[t, 4]:
                n = _lay_out_crowd(blocks[t], rows_a, rows_b, filters_a, filters_b, chunk_i, chunk_j, n)
            else:
                for x in range(blocks[t, 0], blocks[t, 1]):
                    i = rows_a[x]
                    for y in range(blocks[t, 2], blocks[t, 3]):
                        chunk_i[n] = i
                        chunk_j[n] = rows_b[y]
                        n += 1
            t += 1
        comparisons += n
        m = 0
        for k in range(n):
            if k + _AHEAD < n:
                _prefetch(filters_b, chunk_j[k + _AHEAD], 0)
                _prefetch(filters_a, chunk_i[k + _AHEAD], 0)
            kept[m] = k
            m += _may_match(filters_a, chunk_i[k], filters_b, chunk_j[k], least, allowed)
        for r in range(m):
            if r + _AHEAD < m:
                _prefetch(filters_b, chunk_j[kept[r + _AHEAD]], 8)
                _prefetch(filters_a, chunk_i[kept[r + _AHEAD]], 8)
            i = chunk_i[kept[r]]
            j = chunk_j[kept[r]]
            approx = _approx_bits(filters_a, i, filters_b, j, params, recip)
            if approx >= threshold_bits - 1e-6:
                exact = _exact_score(filters_a, i, filters_b, j, params)
                if exact >= threshold:
                    if found == capacity:
                        capacity *= 2
                        grown_pairs = np.empty((capacity, 2), dtype=np.int64)
                        grown_pairs[:found] = out_pairs[:found]
                        out_pairs = grown_pairs
                        grown_scores = np.empty(capacity, dtype=np.float32)
                        grown_scores[:found] = out_scores[:found]
                        out_scores = grown_scores
                    out_pairs[found, 0] = i
                    out_pairs[found, 1] = j
                    out_scores[found] = exact
                    found += 1
    return out_pairs[:found].copy(), out_scores[:found].copy(), comparisons, skipped


@_jit
def _candidates(
    filters_a: np.ndarray,
    keys_a: np.ndarray,
    rows_a: np.ndarray,
    filters_b: np.ndarray,
    keys_b: np.ndarray,
    rows_b: np.ndarray,
    small: int,
    max_block: int,
) -> np.ndarray:
    """The (row a, row b) pairs _fuzzy_join scores, in the same order (for references and benches)."""
    blocks, _ = _blocks(keys_a, keys_b, small, max_block)
    total = 0
    for t in range(blocks.shape[0]):
        total += (blocks[t, 1] - blocks[t, 0]) * (blocks[t, 3] - blocks[t, 2])
    out_i = np.empty(total, dtype=np.int64)
    out_j = np.empty(total, dtype=np.int64)
    found = 0
    for t in range(blocks.shape[0]):
        if blocks[t, 4]:
            found = _lay_out_crowd(blocks[t], rows_a, rows_b, filters_a, filters_b, out_i, out_j, found)
            continue
        for x in range(blocks[t, 0], blocks[t, 1]):
            for y in range(blocks[t, 2], blocks[t, 3]):
                out_i[found] = rows_a[x]
                out_j[found] = rows_b[y]
                found += 1
    out = np.empty((found, 2), dtype=np.int64)
    out[:, 0] = out_i[:found]
    out[:, 1] = out_j[:found]
    return out


@_jit
def _each_pair_once(pairs: np.ndarray, scores: np.ndarray, rows_a: int) -> tuple[np.ndarray, np.ndarray]:
    """The pairs sorted by (a, b), each once (a pair met in several blocks was found in each,
    with the same score), and their scores: a counting sort on a, then by insertion on b among
    the few pairs of each a (a merge sort first where there are many), in time linear in the
    pairs and the rows."""
    m = pairs.shape[0]
    starts = np.zeros(rows_a + 1, dtype=np.int64)
    for k in range(m):
        starts[pairs[k, 0] + 1] += 1
    for i in range(rows_a):
        starts[i + 1] += starts[i]
    fill = starts[:-1].copy()
    by_a = np.empty(m, dtype=np.int64)  # b of each pair, grouped by a
    by_a_score = np.empty(m, dtype=np.float32)
    for k in range(m):
        i = pairs[k, 0]
        by_a[fill[i]] = pairs[k, 1]
        by_a_score[fill[i]] = scores[k]
        fill[i] += 1
    out = np.empty((m, 2), dtype=np.int64)
    out_scores = np.empty(m, dtype=np.float32)
    found = 0
    for i in range(rows_a):
        lo, hi = starts[i], starts[i + 1]
        if hi - lo > _INSERTION_LIMIT:  # many pairs of one a (a file's rows can hold many keys)
            order = np.argsort(by_a[lo:hi], kind="mergesort")
            by_a[lo:hi] = by_a[lo:hi][order]
            by_a_score[lo:hi] = by_a_score[lo:hi][order]
        for x in range(lo + 1, hi):  # sort this a's b by insertion, scores alongside
            j, score = by_a[x], by_a_score[x]
            y = x - 1
            while y >= lo and by_a[y] > j:
                by_a[y + 1] = by_a[y]
                by_a_score[y + 1] = by_a_score[y]
                y -= 1
            by_a[y + 1] = j
            by_a_score[y + 1] = score
        for x in range(lo, hi):
            if x == lo or by_a[x] != by_a[x - 1]:
                out[found, 0] = i
                out[found, 1] = by_a[x]
                out_scores[found] = by_a_score[x]
                found += 1
    return out[:found].copy(), out_scores[:found].copy()


@dataclass(frozen=True)
class FuzzyResult:
    pairs: np.ndarray  # int64 (m, 2): (row in a, row in b), each pair once, sorted
    scores: np.ndarray  # float32 (m,), bloom.score of each pair
    comparisons: int  # pairs scored (a pair in several blocks is scored in each)
    skipped_blocks: int = 0  # sub-blocks of large blocks over max_block on a side, not compared


def _check_filters(filters: np.ndarray, side: str) -> np.ndarray:
    array = np.asarray(filters)
    if array.dtype != np.uint64 or array.ndim != 2 or array.shape[1] != bloom.WORDS:
        raise ValueError(
            f"{side}: filters must be (n, {bloom.WORDS}) uint64, not {array.dtype} {array.shape}."
        )
    return np.ascontiguousarray(array)


def _sorted_blocks(blocks: np.ndarray, rows: int, side: str) -> tuple[np.ndarray, np.ndarray]:
    array = np.asarray(blocks)
    if array.ndim != 2 or array.shape[1] != 2 or array.dtype.kind not in "iu":
        raise ValueError(f"{side}: blocks must be (k, 2) int64 of (block key, row).")
    array = array.astype(np.int64, copy=False)
    if len(array) and (array[:, 1].min() < 0 or array[:, 1].max() >= rows):
        raise ValueError(f"{side}: a block names a row outside the filters.")
    keys, block_rows = _bucket_sort(np.ascontiguousarray(array))
    return keys, block_rows


@dataclass(frozen=True)
class Side:
    """One side of a fuzzy match, ready for the join: the filters with their segment popcounts in
    the reserved word, and the (block key, row) entries sorted by key."""

    rows: np.ndarray
    keys: np.ndarray
    block_rows: np.ndarray


def prepare_side(filters: np.ndarray, blocks: np.ndarray, name: str = "a") -> Side:
    checked = _check_filters(filters, name)
    keys, block_rows = _sorted_blocks(blocks, len(checked), name)
    rows = _aligned_rows(len(checked))
    if not _prepare(checked, rows):
        raise ValueError(f"{name}: a filter sets word {_RESERVED}, which no encoding (bloom.py) sets.")
    return Side(rows, keys, block_rows)


def join_sides(
    a: Side,
    b: Side,
    threshold: float = bloom.DEFAULT_THRESHOLD,
    max_block: int = bloom.MAX_BLOCK,
    small: int = bloom.SMALL_BLOCK,
) -> FuzzyResult:
    """The comparisons themselves: merge the sorted keys, score every pair in each shared block."""
    pairs, scores, comparisons, skipped = _fuzzy_join(
        a.rows, a.keys, a.block_rows, b.rows, b.keys, b.block_rows, float(threshold),
        min(int(small), int(max_block)), int(max_block),
        _score_parameters(),
    )  # fmt: skip
    pairs, scores = _each_pair_once(pairs, scores, len(a.rows))
    return FuzzyResult(pairs, scores, int(comparisons), int(skipped))


def fuzzy_pairs(
    filters_a: np.ndarray,
    blocks_a: np.ndarray,
    filters_b: np.ndarray,
    blocks_b: np.ndarray,
    threshold: float = bloom.DEFAULT_THRESHOLD,
    max_block: int = bloom.MAX_BLOCK,
    small: int = bloom.SMALL_BLOCK,
) -> FuzzyResult:
    """Pairs of rows (a, b) sharing a blocking key whose score (bloom.score) reaches threshold.

    filters are (n, WORDS) uint64 encodings; blocks are (k, 2) int64 of (block key, row).
    """
    return join_sides(
        prepare_side(filters_a, blocks_a, "a"),
        prepare_side(filters_b, blocks_b, "b"),
        threshold,
        max_block,
        small,
    )


def candidate_pairs(
    filters_a: np.ndarray,
    blocks_a: np.ndarray,
    filters_b: np.ndarray,
    blocks_b: np.ndarray,
    max_block: int = bloom.MAX_BLOCK,
    small: int = bloom.SMALL_BLOCK,
) -> np.ndarray:
    """Every pair fuzzy_pairs scores, in its order, repeats included (a pair in several blocks)."""
    a, b = prepare_side(filters_a, blocks_a, "a"), prepare_side(filters_b, blocks_b, "b")
    pairs: np.ndarray = _candidates(
        a.rows,
        a.keys,
        a.block_rows,
        b.rows,
        b.keys,
        b.block_rows,
        min(int(small), int(max_block)),
        int(max_block),
    )
    return pairs


def encode_people(people: Sequence[PersonName | None], key: MatchingKey) -> tuple[np.ndarray, np.ndarray]:
    """(filters, blocks) for kernels: a row per person; None gets an empty filter and no blocks."""
    empty = bytes(bloom.BYTES)
    filters = bloom.as_words([bloom.encode_person(p, key) if p is not None else empty for p in people])
    keys: list[int] = []
    rows: list[int] = []
    for row, person in enumerate(people):
        if person is not None:
            found = set(bloom.block_keys(person, key))
            keys.extend(found)
            rows.extend([row] * len(found))
    blocks = np.empty((len(keys), 2), dtype=np.int64)
    blocks[:, 0] = keys
    blocks[:, 1] = rows
    return filters, blocks


def match_people(
    people_a: Sequence[PersonName | None],
    people_b: Sequence[PersonName | None],
    key: MatchingKey,
    threshold: float = bloom.DEFAULT_THRESHOLD,
) -> list[tuple[int, int, float]]:
    """(index in a, index in b, score) for every pair of people at or above threshold, sorted."""
    filters_a, blocks_a = encode_people(people_a, key)
    filters_b, blocks_b = encode_people(people_b, key)
    result = fuzzy_pairs(filters_a, blocks_a, filters_b, blocks_b, threshold)
    return [
        (int(i), int(j), float(s))
        for (i, j), s in zip(result.pairs.tolist(), result.scores.tolist(), strict=True)
    ]
