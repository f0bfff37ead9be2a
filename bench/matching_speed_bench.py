"""Matching speed: each of the project's kernels beside a baseline measured in the same run.

Run (one command; about five minutes with the 1M people per side, most of it encoding them):

    .venv/bin/python bench/matching_speed_bench.py            # everything, up to 1M people per side
    .venv/bin/python bench/matching_speed_bench.py --quick    # small sizes, well under a minute

What it prints:
1. Hashing selector values (values per second): keys.MatchingKey.blind_many against plain CPython
   `hmac.new` on the same values, and against OpenSSL's HMAC-SHA256 from C (libcrypto through a
   small program compiled here with gcc, timed inside C: one-shot HMAC() per value, and the same
   pad-state copying blind_many does).
2. Exact matching of 1M x 1M indexed selectors (random 32-byte digests, half shared):
   kernels.exact_pairs against DuckDB joining the same digests (FIXED BLOB columns): the join
   fetched as pairs, and `count(*)` of the join (the floor). DuckDB uses every core, ours one.
3. Fuzzy matching at 10k, 100k and 1M synthetic people per side (seeded generator below:
   Zipf-distributed syllable names, a fifth of side B noisy copies of side A with typos,
   transliteration variants, swapped order, year-only births): encoding seconds (Python), then
   the kernel: setup (sorting the blocking keys, segment popcounts) and the join, comparisons,
   pairs, recall of the planted copies, blocks skipped over the cap, and cost per person; and
   the setup's first run, which also pays for mapping the memory its arrays take.
4. Fuzzy comparisons per second on the largest size's encodings: the join of kernels.fuzzy_pairs
   (merging the blocks, scoring segments, keeping pairs) against a bare AND + popcount loop in C
   (gcc -O3 -march=native) over the same encodings: over exactly the pairs the join compares, in
   its order (the same memory access), and dense, every row of one cache-resident tile against
   every row of another (what the same loop does when nothing waits for memory: the ceiling).
   The join is also timed over that tile, given to it as blocks of MAX_BLOCK x MAX_BLOCK rows
   compared whole that hold every pair once: the comparisons it makes when its rows are in cache.

Timings are wall seconds of the best of a few runs (the machine is shared). CPU features and the
load average are printed first.
"""

from __future__ import annotations

import argparse
import ctypes
import hashlib
import hmac
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from disrupt.matching import bloom, kernels
from disrupt.matching.keys import MatchingKey
from disrupt.matching.kinds import Kind
from disrupt.matching.selectors import PersonName

C_SOURCE = r"""
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

static double now(void) {
    struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9;
}

/* One-shot HMAC() per value: what a C program calling OpenSSL plainly does. */
double hmac_oneshot(const unsigned char *key, int keylen, const unsigned char *data,
                    const int64_t *offsets, int64_t n, unsigned char *out) {
    double start = now();
    unsigned int len;
    for (int64_t i = 0; i < n; i++)
        HMAC(EVP_sha256(), key, keylen, data + offsets[i], offsets[i + 1] - offsets[i], out + 32 * i, &len);
    return now() - start;
}

/* Inner and outer SHA-256 states after the key block, copied per value (as blind_many does). */
double hmac_states(const unsigned char *key, int keylen, const unsigned char *data,
                   const int64_t *offsets, int64_t n, unsigned char *out) {
    double start = now();
    unsigned char block[64], pad[64];
    memset(block, 0, 64); memcpy(block, key, keylen);
    SHA256_CTX inner, outer, c;
    for (int k = 0; k < 64; k++) pad[k] = block[k] ^ 0x36;
    SHA256_Init(&inner); SHA256_Update(&inner, pad, 64);
    for (int k = 0; k < 64; k++) pad[k] = block[k] ^ 0x5c;
    SHA256_Init(&outer); SHA256_Update(&outer, pad, 64);
    unsigned char mid[32];
    for (int64_t i = 0; i < n; i++) {
        c = inner; SHA256_Update(&c, data + offsets[i], offsets[i + 1] - offsets[i]); SHA256_Final(mid, &c);
        c = outer; SHA256_Update(&c, mid, 32); SHA256_Final(out + 32 * i, &c);
    }
    return now() - start;
}

/* AND + popcount over the given pairs of rows; counts pairs whose Dice reaches the threshold. */
double popcount_pairs(const uint64_t *a, const uint64_t *b, const int64_t *pairs, int64_t m,
                      const int64_t *count_a, const int64_t *count_b, double threshold, int64_t *hits) {
    double start = now();
    int64_t found = 0;
    for (int64_t k = 0; k < m; k++) {
        const uint64_t *x = a + WORDS * pairs[2 * k], *y = b + WORDS * pairs[2 * k + 1];
        int64_t c = 0;
        for (int w = 0; w < WORDS; w++) c += __builtin_popcountll(x[w] & y[w]);
        found += 2.0 * c >= threshold * (double)(count_a[pairs[2 * k]] + count_b[pairs[2 * k + 1]]);
    }
    *hits = found;
    return now() - start;
}

/* The same, dense: every row of a tile of a against every row of a tile of b. */
double popcount_dense(const uint64_t *a, int64_t na, const uint64_t *b, int64_t nb,
                      const int64_t *count_a, const int64_t *count_b, double threshold, int64_t *hits) {
    double start = now();
    int64_t found = 0;
    for (int64_t i = 0; i < na; i++) {
        const uint64_t *x = a + WORDS * i;
        for (int64_t j = 0; j < nb; j++) {
            const uint64_t *y = b + WORDS * j;
            int64_t c = 0;
            for (int w = 0; w < WORDS; w++) c += __builtin_popcountll(x[w] & y[w]);
            found += 2.0 * c >= threshold * (double)(count_a[i] + count_b[j]);
        }
    }
    *hits = found;
    return now() - start;
}
"""


def build_c(folder: Path) -> ctypes.CDLL:
    source = folder / "matching_bench.c"
    library = folder / "matching_bench.so"
    source.write_text(C_SOURCE)
    command = [
        "gcc", "-O3", "-march=native", "-shared", "-fPIC", f"-DWORDS={bloom.WORDS}",
        "-Wno-deprecated-declarations", "-o", str(library), str(source), "-lcrypto",
    ]  # fmt: skip
    subprocess.run(command, check=True)
    lib = ctypes.CDLL(str(library))
    pointer = ctypes.c_void_p
    lib.hmac_oneshot.restype = lib.hmac_states.restype = ctypes.c_double
    lib.hmac_oneshot.argtypes = lib.hmac_states.argtypes = [
        pointer, ctypes.c_int, pointer, pointer, ctypes.c_int64, pointer,
    ]  # fmt: skip
    lib.popcount_pairs.restype = lib.popcount_dense.restype = ctypes.c_double
    lib.popcount_pairs.argtypes = [
        pointer, pointer, pointer, ctypes.c_int64, pointer, pointer, ctypes.c_double, pointer,
    ]  # fmt: skip
    lib.popcount_dense.argtypes = [
        pointer, ctypes.c_int64, pointer, ctypes.c_int64, pointer, pointer, ctypes.c_double, pointer,
    ]  # fmt: skip
    return lib


def best(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The shortest wall time of `runs` runs, and the last result. Each run starts after the
    last one's result is released, as a worker's next job would: a run that had to map fresh
    memory for its arrays would time the kernel's page faults (on this machine, with huge pages
    on request, about half a second for the 1M people's setup) rather than the work."""
    times, result = [], None
    for _ in range(runs):
        result = None
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def ptr(array: np.ndarray) -> int:
    return int(array.ctypes.data)


# ---- 1. hashing -------------------------------------------------------------------------
def bench_hashing(lib: ctypes.CDLL, count: int) -> None:
    rng = random.Random(1)
    values = [f"+62{rng.randrange(10**9, 10**10)}" for _ in range(count)]
    key = MatchingKey.generate()
    key.blind_many(Kind.PHONE, values[:10])
    ours, digests = best(3, lambda: key.blind_many(Kind.PHONE, values))
    assert digests[123] == key.blind(Kind.PHONE, values[123])
    sub = key.subkey("blind/phone")
    plain, reference = best(2, lambda: [hmac.new(sub, v.encode(), hashlib.sha256).digest() for v in values])
    assert reference == digests, "blind_many is HMAC-SHA256 under the phone sub-key"
    data = b"".join(v.encode() for v in values)
    offsets = np.zeros(count + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(v) for v in values])
    buffer = np.frombuffer(data, dtype=np.uint8)
    out = np.zeros(32 * count, dtype=np.uint8)
    key_buffer = np.frombuffer(sub, dtype=np.uint8)
    oneshot = min(
        lib.hmac_oneshot(ptr(key_buffer), 32, ptr(buffer), ptr(offsets), count, ptr(out)) for _ in range(3)
    )
    assert out[:32].tobytes() == digests[0]
    states = min(
        lib.hmac_states(ptr(key_buffer), 32, ptr(buffer), ptr(offsets), count, ptr(out)) for _ in range(3)
    )
    assert out[-32:].tobytes() == digests[-1]
    print(f"\n1. Hashing {count:,} phone numbers (HMAC-SHA256), values per second")
    rates = {
        "ours, blind_many (CPython, copied pad states)": count / ours,
        "plain CPython hmac.new per value": count / plain,
        "OpenSSL from C, one-shot HMAC() per value": count / oneshot,
        "OpenSSL from C, copied pad states (no Python)": count / states,
    }
    for label, rate in rates.items():
        print(f"   {label:<48} {rate:>12,.0f}   ours / this x{(count / ours) / rate:.2f}")


# ---- 2. exact -----------------------------------------------------------------------------
def bench_exact(count: int) -> None:
    import duckdb
    import pyarrow as pa

    rng = np.random.default_rng(2)
    left = rng.integers(0, 256, (count, 32), dtype=np.uint8)
    right = np.concatenate(
        [left[: count // 2], rng.integers(0, 256, (count - count // 2, 32), dtype=np.uint8)]
    )
    right = right[rng.permutation(count)]
    kernels.exact_pairs(left[:100], right[:100])  # compile or load the cache
    ours, pairs = best(3, lambda: kernels.exact_pairs(left, right))
    assert len(pairs) == count // 2

    def table(name: str, digests: np.ndarray) -> pa.Table:
        column = pa.FixedSizeBinaryArray.from_buffers(
            pa.binary(32), len(digests), [None, pa.py_buffer(digests)]
        )
        return pa.table({name: np.arange(len(digests), dtype=np.int64), "digest": column})

    con = duckdb.connect()
    con.register("left_arrow", table("i", left))
    con.register("right_arrow", table("j", right))
    con.execute("CREATE TABLE l AS SELECT * FROM left_arrow")
    con.execute("CREATE TABLE r AS SELECT * FROM right_arrow")
    threads = con.execute("SELECT current_setting('threads')").fetchone()
    joined, got = best(3, lambda: con.execute("SELECT l.i, r.j FROM l JOIN r USING (digest)").fetchnumpy())
    assert len(got["i"]) == count // 2
    counted, n = best(3, lambda: con.execute("SELECT count(*) FROM l JOIN r USING (digest)").fetchone())
    assert n == (count // 2,)
    print(f"\n2. Exact matching {count:,} x {count:,} indexed selectors ({count // 2:,} equal), seconds")
    workers = threads[0] if threads else "?"
    times = {
        "ours, exact_pairs (one core)": ours,
        f"DuckDB join fetched as pairs ({workers} threads)": joined,
        f"DuckDB count(*) of the join, the floor ({workers} threads)": counted,
    }
    for label, seconds in times.items():
        print(f"   {label:<52} {seconds:8.3f}   ours / this x{ours / seconds:.2f}")


# ---- synthetic people ---------------------------------------------------------------------
_ONSETS = [
    "b",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "z",
    "ch",
    "sh",
    "kh",
    "th",
    "ng",
]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ou", "ee"]
_CODAS = ["", "", "", "n", "m", "r", "l", "s", "t", "ng"]
_VARIANTS = [
    ("u", "oo"),
    ("oo", "u"),
    ("kh", "k"),
    ("k", "kh"),
    ("ph", "f"),
    ("j", "dj"),
    ("w", "v"),
    ("ee", "i"),
    ("sh", "sch"),
    ("c", "k"),
]


def _vocabulary(rng: random.Random, size: int, syllables: tuple[int, int]) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.randint(*syllables))]
        words.add("".join(parts) + rng.choice(_CODAS))
    return sorted(words)


def _zipf_picker(rng: np.random.Generator, size: int, exponent: float) -> Callable[[int], np.ndarray]:
    weights = 1.0 / np.arange(1, size + 1) ** exponent
    cumulative = np.cumsum(weights / weights.sum())
    return lambda n: np.minimum(np.searchsorted(cumulative, rng.random(n)), size - 1)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word + rng.choice("aeiou")
    i = rng.randrange(1, len(word))
    what = rng.randrange(4)
    if what == 0:
        return word[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[i + 1 :]
    if what == 1:
        return word[:i] + word[i + 1 :]
    if what == 2:
        return word[:i] + rng.choice("aeiou") + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _variant(rng: random.Random, word: str) -> str:
    rules = [(a, b) for a, b in _VARIANTS if a in word]
    if not rules:
        return _typo(rng, word)
    a, b = rng.choice(rules)
    return word.replace(a, b, 1)


def synthetic_people(
    size: int, seed: int = 7
) -> tuple[list[PersonName], list[PersonName], list[tuple[int, int]]]:
    """Side A: `size` people. Side B: `size` people, a fifth of them noisy copies of A's (the truth)."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    given = _vocabulary(rng, 20_000, (1, 3))
    family = _vocabulary(rng, 60_000, (2, 3))
    pick_given = _zipf_picker(nrng, len(given), 0.9)
    pick_family = _zipf_picker(nrng, len(family), 0.9)

    def people(n: int) -> list[tuple[str, str, str]]:
        g, f = pick_given(n), pick_family(n)
        years = nrng.integers(1950, 2006, n)
        days = nrng.integers(0, 365, n)
        return [
            (given[a], family[b], f"{y}-{1 + d // 31 % 12:02d}-{1 + d % 28:02d}")
            for a, b, y, d in zip(g.tolist(), f.tolist(), years.tolist(), days.tolist(), strict=True)
        ]

    side_a = people(size)
    copies = size // 5
    chosen = sorted(rng.sample(range(size), copies))
    side_b = people(size - copies)
    truth = []
    for i in chosen:
        first, last, birth = side_a[i]
        change = rng.random()
        if change < 0.4:
            first = _typo(rng, first) if rng.random() < 0.5 else first
            last = last if first != side_a[i][0] else _typo(rng, last)
        elif change < 0.7:
            first, last = _variant(rng, first), _variant(rng, last)
        if rng.random() < 0.5:
            birth = birth[:4]
        elif rng.random() < 0.1:
            birth = birth[:8] + f"{rng.randint(1, 28):02d}"
        truth.append((i, len(side_b)))
        side_b.append((last, first, birth) if rng.random() < 0.3 else (first, last, birth))
    order = list(range(len(side_b)))
    rng.shuffle(order)
    position = {old: new for new, old in enumerate(order)}
    shuffled = [side_b[old] for old in order]
    truth = [(i, position[j]) for i, j in truth]
    as_person = lambda row: PersonName(tuple(sorted({row[0], row[1]})), row[2])  # noqa: E731
    return [as_person(r) for r in side_a], [as_person(r) for r in shuffled], truth


# ---- 3 and 4. fuzzy -----------------------------------------------------------------------
def bench_fuzzy(lib: ctypes.CDLL, sizes: list[int], key: MatchingKey) -> None:
    """Part 3 at every size; part 4 (against the C loops) on the encodings of the largest."""
    threshold = bloom.DEFAULT_THRESHOLD
    print("\n3. Fuzzy matching by size (people per side; seconds; setup = sorting keys and popcounts)")
    print(
        f"   {'people':>9} {'encode':>7} {'setup':>7} {'join':>7} {'total':>7} {'comparisons':>12} "
        f"{'per person':>10} {'pairs':>9} {'recall':>7} {'skipped':>8} {'us/person':>9} {'cold setup':>10}"
    )
    measured: list[tuple[int, float, int]] = []
    largest: dict[str, Any] = {}
    for size in sizes:
        people_a, people_b, truth = synthetic_people(size)
        start = time.perf_counter()
        fa, ba = kernels.encode_people(people_a, key)
        fb, bb = kernels.encode_people(people_b, key)
        encode = time.perf_counter() - start
        del people_a, people_b
        kernels.fuzzy_pairs(fa[:50], ba[ba[:, 1] < 50], fb[:50], bb[bb[:, 1] < 50], threshold)  # compiled
        runs = 3 if size < 1_000_000 else 2
        start = time.perf_counter()
        kernels.prepare_side(fa, ba), kernels.prepare_side(fb, bb)
        cold = time.perf_counter() - start  # the first run, on memory the process has not used yet
        setup, (side_a, side_b) = best(
            runs,
            lambda fa=fa, ba=ba, fb=fb, bb=bb: (kernels.prepare_side(fa, ba), kernels.prepare_side(fb, bb)),
        )
        join, result = best(runs, lambda a=side_a, b=side_b: kernels.join_sides(a, b, threshold))
        total = setup + join
        found = set(map(tuple, result.pairs.tolist()))
        recall = sum(1 for pair in truth if pair in found) / len(truth)
        print(
            f"   {size:>9,} {encode:7.1f} {setup:7.3f} {join:7.3f} {total:7.3f} {result.comparisons:>12,} "
            f"{result.comparisons / size:>10.1f} {len(result.pairs):>9,} {recall:7.4f} "
            f"{result.skipped_blocks:>8,} {1e6 * total / size:9.2f} {cold:10.3f}"
        )
        measured.append((size, total, result.comparisons))
        largest = {
            "size": size, "fa": fa, "ba": ba, "fb": fb, "bb": bb, "join": join, "result": result,
            "sides": (side_a, side_b),
        }  # fmt: skip
    for (small, t_small, c_small), (large, t_large, c_large) in zip(measured, measured[1:], strict=False):
        growth = np.log(large / small)
        print(
            f"   {small:,} -> {large:,}: people x{large / small:.0f}, "
            f"time x{t_large / t_small:.1f} (n^{np.log(t_large / t_small) / growth:.2f}), "
            f"comparisons x{c_large / c_small:.1f} (n^{np.log(c_large / c_small) / growth:.2f})"
        )
    _against_c(lib, largest, threshold)


def _against_c(lib: ctypes.CDLL, largest: dict[str, Any], threshold: float) -> None:
    fa, ba, fb, bb, result = largest["fa"], largest["ba"], largest["fb"], largest["bb"], largest["result"]
    pairs = np.ascontiguousarray(kernels.candidate_pairs(fa, ba, fb, bb))
    assert len(pairs) == result.comparisons
    count_a = np.ascontiguousarray(np.bitwise_count(fa).sum(axis=1).astype(np.int64))
    count_b = np.ascontiguousarray(np.bitwise_count(fb).sum(axis=1).astype(np.int64))
    hits = np.zeros(1, dtype=np.int64)
    c_pairs = min(
        lib.popcount_pairs(
            ptr(fa), ptr(fb), ptr(pairs), len(pairs), ptr(count_a), ptr(count_b), threshold, ptr(hits)
        )
        for _ in range(3)
    )
    tile = 2048
    ta, tb = np.ascontiguousarray(fa[:tile]), np.ascontiguousarray(fb[:tile])
    c_dense = min(
        lib.popcount_dense(ptr(ta), tile, ptr(tb), tile, ptr(count_a), ptr(count_b), threshold, ptr(hits))
        for _ in range(3)
    )
    dense_rate = _dense_join(ta, tb, threshold)
    comparisons, join = result.comparisons, largest["join"]
    side_a, side_b = largest["sides"]
    small, cap = min(bloom.SMALL_BLOCK, bloom.MAX_BLOCK), bloom.MAX_BLOCK
    merge, _ = best(3, lambda: kernels._blocks(side_a.keys, side_b.keys, small, cap))
    ceiling = len(pairs) / c_pairs
    rates = {
        "ours, the join (merge blocks, score segments, keep)": comparisons / join,
        "ours, scoring alone (the join less its merge)": comparisons / max(join - merge, 1e-9),
        "C AND+popcount over the same pairs": ceiling,
        f"ours, the join over that tile in blocks of {bloom.MAX_BLOCK}x{bloom.MAX_BLOCK}": dense_rate,
        f"C AND+popcount dense, {tile}x{tile} rows in cache (the ceiling)": tile * tile / c_dense,
    }
    print(
        f"\n   the join's merge of the sorted blocking keys alone: {merge:.3f} s of {join:.3f} s "
        f"({len(side_a.keys) + len(side_b.keys):,} keys)"
    )
    print(
        f"\n4. Fuzzy comparisons per second, one core, on the {largest['size']:,} x {largest['size']:,} "
        f"people above ({comparisons:,} comparisons of {bloom.BITS}-bit encodings)"
    )
    dense_ceiling = tile * tile / c_dense
    for label, rate in rates.items():
        ratios = f"/ same pairs x{rate / ceiling:.2f}   / dense x{rate / dense_ceiling:.2f}"
        print(f"   {label:<58} {rate:>13,.0f}   {ratios}")


def _dense_join(ta: np.ndarray, tb: np.ndarray, threshold: float) -> float:
    """Comparisons per second of kernels.join_sides over every pair of two cache-resident tiles,
    given to it as blocks of MAX_BLOCK x MAX_BLOCK rows compared whole (small=MAX_BLOCK, so no
    block is a crowd whose pairs are first sifted by date): the rows of group u of a and of
    group v of b share one blocking key of their own, for every u and v, so each pair is in
    exactly one block. What the dense C loop does, through the join."""
    group = bloom.MAX_BLOCK
    groups = len(ta) // group
    rng = np.random.default_rng(11)
    key = rng.integers(-(2**63), 2**63 - 1, (groups, groups), dtype=np.int64)
    rows = np.arange(groups * group)
    blocks_a = np.stack([key[rows // group, :].ravel(), np.repeat(rows, groups)], axis=1)
    blocks_b = np.stack([key[:, rows // group].T.ravel(), np.repeat(rows, groups)], axis=1)
    side_a = kernels.prepare_side(ta[: groups * group], blocks_a)
    side_b = kernels.prepare_side(tb[: groups * group], blocks_b)
    seconds, result = best(5, lambda: kernels.join_sides(side_a, side_b, threshold, small=group))
    assert result.comparisons == (groups * group) ** 2 and result.skipped_blocks == 0
    return result.comparisons / seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes: a smoke run in well under a minute"
    )
    parser.add_argument("--sizes", type=int, nargs="+", help="people per side for part 4")
    options = parser.parse_args()
    quick = options.quick
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as folder:
        lib = build_c(Path(folder))
        key = MatchingKey.generate()
        bench_hashing(lib, 100_000 if quick else 1_000_000)
        bench_exact(100_000 if quick else 1_000_000)
        bench_fuzzy(lib, options.sizes or ([10_000, 30_000] if quick else [10_000, 100_000, 1_000_000]), key)


if __name__ == "__main__":
    main()
