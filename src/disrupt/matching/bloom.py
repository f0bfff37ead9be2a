"""Privacy-preserving person encodings: keyed q-gram Bloom filters compared by Dice similarity.

As in privacy-preserving record linkage (Schnell, Bachteler and Reiher 2009; the CLK encodings of
anonlink), a person's name and birth become a bit array: every q-gram sets a few bits at positions
drawn by HMAC double hashing under a sub-key of the matching key, so only a key holder can compute
an encoding, and two encodings of similar people share most of their bits.

The filter has two halves of BITS // 2 bits:
- the core: bigrams of each name token (tokens apart, so order never matters), a phonetic skeleton
  of each token (so "Mohammed" and "Muhammad", "Khan" and "Kan" agree), the birth year and decade,
  and month and day with less weight (a year alone still scores high against a full date);
- the address: bigrams of the address tokens, when the record has an address.
The score is the Dice similarity of the whole filter when both records have an address, else of
the core alone, so a record that says more is not penalised for it.

Blocking keys (keyed, signed 64-bit) bring candidates together without comparing everyone:
skeleton of each token with the birth year, with the birth month and day (survives a typo in the
year), and pairs of token skeletons (survives a wrong or missing birth). A block held by more than
MAX_BLOCK encodings on one side is skipped, which bounds the comparisons per record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from disrupt.matching.keys import MatchingKey
from disrupt.matching.selectors import PersonName

BITS = 1024
WORDS = BITS // 64
BYTES = BITS // 8


@dataclass(frozen=True)
class Segment:
    """A run of 64-bit words of the filter holding one attribute, with its weight in the score.

    The score is the weighted mean of the segments' Dice similarities. A required segment always
    counts (as 0 when a record lacks it); an optional one counts only when both records have it,
    so a record that says more (an address, an identity number) is not penalised for it.
    """

    name: str
    start: int
    end: int
    weight: float
    required: bool


NAME = Segment("name", 0, 6, 2.0, True)  # name bigrams and skeletons
YEAR = Segment("year", 6, 7, 1.5, True)  # birth year and decade
DATE = Segment("date", 7, 8, 0.5, False)  # birth month and day
ADDRESS = Segment("address", 8, 13, 3.0, False)  # address bigrams
NUMBERS = Segment("numbers", 13, 15, 3.0, False)  # identity numbers (bigrams)
SEGMENTS = (NAME, YEAR, DATE, ADDRESS, NUMBERS)
# The last word is never set by an encoding: kernels.py keeps each row's segment popcounts there,
# so a comparison reads one 128-byte row and nothing else.
RESERVED_WORD = WORDS - 1

# Bits each q-gram sets in its segment.
K_NAME = 6
K_SKELETON = 4
K_TOKEN = 24
K_YEAR = 12
K_DECADE = 4
K_MONTH = 8
K_DAY = 8
K_ADDRESS = 4
K_NUMBER = 8

# The evidence a pair lacks: the score's denominator starts at this weight (at similarity 0), so
# a pair known by name and birth year alone needs near-identical names, while one that also
# agrees on the date, an address and an identity number passes with typos.
PRIOR_WEIGHT = 1.25
DEFAULT_THRESHOLD = 0.62
MAX_BLOCK = 64
MAX_TOKENS = 4

# ---- phonetic folding ----------------------------------------------------------------------
# Spellings that romanisation varies (kh/k, ph/f, dj/j, w/v, c/k, oo/u, ee/i, doubled letters)
# are folded before bigrams are taken; the skeleton then also drops vowels after the first
# letter, for a blocking key that survives vowel changes.
_FOLDS = [
    (re.compile(r"sch"), "sh"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"dj"), "j"),
    (re.compile(r"([bdgkpt])h"), r"\1"),
    (re.compile(r"c(?!h)"), "k"),
    (re.compile(r"q"), "k"),
    (re.compile(r"w"), "v"),
    (re.compile(r"z"), "s"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"y"), "i"),
    (re.compile(r"oo|ou|oe"), "u"),
    (re.compile(r"ee|ie"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
]
_VOWELS = re.compile(r"[aeiouh]")


@lru_cache(maxsize=131072)
def fold(token: str) -> str:
    """ "mohammed" -> "mohamed", "qooan" -> "kuan", "djarar" -> "jarar"."""
    text = token
    for pattern, replacement in _FOLDS:
        text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=131072)
def skeleton(token: str) -> str:
    """The first letter (a vowel as "a"), then the folded consonants but h: "muhammad", "mohammed"
    -> "md"; "khan", "kan" -> "kn"; "ivanov" -> "avnv"."""
    text = fold(token)
    if not text:
        return ""
    head = "a" if text[0] in "aeiou" else text[0]
    return re.sub(r"(.)\1+", r"\1", head + _VOWELS.sub("", text[1:]))


def _bigrams(tag: str, token: str) -> list[str]:
    padded = f"_{token}_"
    return [f"{tag}{padded[i : i + 2]}" for i in range(len(padded) - 1)]


def _field_grams(field: str, value: str) -> list[tuple[str, int, Segment]]:
    """(gram, bits it sets, segment) for one value of one field of a person."""
    if field == "name":
        folded = fold(value)
        grams = [(gram, K_NAME, NAME) for gram in _bigrams("n", folded)]
        if len(value) > 1:
            grams += [(f"s{skeleton(value)}", K_SKELETON, NAME), (f"t{folded}", K_TOKEN, NAME)]
        return grams
    if field == "birth":
        grams = [(f"y{value[:4]}", K_YEAR, YEAR), (f"c{value[:3]}", K_DECADE, YEAR)]
        if len(value) >= 7:
            grams.append((f"m{value[5:7]}", K_MONTH, DATE))
        if len(value) >= 10:
            grams.append((f"d{value[8:10]}", K_DAY, DATE))
        return grams
    if field == "address":
        return [(gram, K_ADDRESS, ADDRESS) for gram in _bigrams("a", value)]
    return [(gram, K_NUMBER, NUMBERS) for gram in _bigrams("i", value)]


def _mask(key: MatchingKey, gram: str, bits: int, segment: Segment) -> int:
    """The bits one gram sets, as an int: h1 + i*h2 (mod the segment) from HMAC(sub-key, gram)."""
    cache = key.cache("bloom")
    found = cache.get(gram)
    if found is not None:
        return found  # type: ignore[no-any-return]
    digest = key.mac("bloom/person", gram.encode("utf-8"))
    h1 = int.from_bytes(digest[:8], "little")
    h2 = int.from_bytes(digest[8:16], "little") | 1
    offset, size = segment.start * 64, (segment.end - segment.start) * 64
    mask = 0
    for i in range(bits):
        mask |= 1 << (offset + (h1 + i * h2) % size)
    if len(cache) > 500_000:
        cache.clear()
    cache[gram] = mask
    return mask


def _field_mask(key: MatchingKey, field: str, value: str) -> int:
    cache = key.cache("field")
    found = cache.get((field, value))
    if found is None:
        found = 0
        for gram, bits, segment in _field_grams(field, value):
            found |= _mask(key, gram, bits, segment)
        if len(cache) > 500_000:
            cache.clear()
        cache[(field, value)] = found
    return found  # type: ignore[no-any-return]


def encode_person(person: PersonName, key: MatchingKey) -> bytes:
    """The person's BYTES-byte keyed Bloom filter (bit i of the filter is bit i%8 of byte i//8)."""
    value = 0
    for token in person.tokens:
        value |= _field_mask(key, "name", token)
    if person.birth:
        value |= _field_mask(key, "birth", person.birth)
    for token in person.address:
        value |= _field_mask(key, "address", token)
    for number in person.numbers:
        value |= _field_mask(key, "number", number)
    return value.to_bytes(BYTES, "little")


def as_words(filters: list[bytes] | bytes) -> np.ndarray:
    """Encodings as a (n, WORDS) uint64 array, as kernels.py compares them."""
    data = b"".join(filters) if isinstance(filters, list) else filters
    if len(data) % BYTES:
        raise ValueError(f"Encodings are {BYTES} bytes each.")
    return np.frombuffer(data, dtype="<u8").reshape(-1, WORDS).astype(np.uint64, copy=False)


def _block_texts(person: PersonName) -> list[str]:
    """What the blocking keys are made of. Each asks for a little of everything so that blocks
    stay small as collections grow, and together they survive any one kind of error:
    - y: one token's skeleton, another token's initial, the birth year (a typo in a name);
    - b: one token's skeleton and the full date (another name replaced or missing);
    - m: two tokens' skeletons with the day and month (a wrong year);
    - f: all the initials with the full date (typos in every name);
    - i: an identity number as written (names and birth both wrong).
    A one-token name gets its skeleton with the year, and with the day and month.
    """
    folded = sorted({fold(t) for t in person.tokens if len(t) > 1} - {""})
    if len(folded) > MAX_TOKENS:
        folded = sorted(sorted(folded, key=len, reverse=True)[:MAX_TOKENS])
    year = person.birth[:4]
    day = person.birth[5:10] if len(person.birth) >= 10 else ""
    sounds = {token: skeleton(token) for token in folded}
    texts: list[str] = []
    if len(folded) == 1:
        if year:
            texts.append(f"y|{sounds[folded[0]]}|{year}")
        if day:
            texts.append(f"d|{sounds[folded[0]]}|{day}")
    for token in folded:
        if year:
            texts.extend(f"y|{sounds[token]}|{other[0]}|{year}" for other in folded if other != token)
        if day:
            texts.append(f"b|{sounds[token]}|{year}-{day}")
    if day:
        texts.extend(
            f"m|{sounds[one]}|{sounds[other]}|{day}"
            for i, one in enumerate(folded)
            for other in folded[i + 1 :]
        )
        texts.append(f"f|{''.join(sorted(t[0] for t in folded))}|{year}-{day}")
    texts.extend(f"i|{number}" for number in person.numbers)
    return list(dict.fromkeys(texts))


def block_keys(person: PersonName, key: MatchingKey) -> list[int]:
    """The person's keyed blocking keys as signed 64-bit ints (they fit a BigIntegerField)."""
    cache = key.cache("blocks")
    keys: list[int] = []
    for text in _block_texts(person):
        found = cache.get(text)
        if found is None:
            found = int.from_bytes(key.mac("block/person", text.encode("utf-8"))[:8], "little", signed=True)
            if len(cache) > 500_000:
                cache.clear()
            cache[text] = found
        keys.append(found)
    return keys


def score(common: list[int], count_a: list[int], count_b: list[int]) -> float:
    """The weighted Dice score from per-segment counts (kernels.py computes the same in numba)."""
    total, weight = 0.0, PRIOR_WEIGHT
    for segment, both, one, other in zip(SEGMENTS, common, count_a, count_b, strict=True):
        if one and other:
            total += segment.weight * 2.0 * both / (one + other)
            weight += segment.weight
        elif segment.required:
            weight += segment.weight
    return total / weight if weight else 0.0


def dice(a: bytes, b: bytes) -> float:
    """The similarity of two encodings: per segment Dice, weighted over what the records hold."""
    if len(a) != BYTES or len(b) != BYTES:
        raise ValueError(f"Encodings are {BYTES} bytes each.")
    common, count_a, count_b = [], [], []
    for segment in SEGMENTS:
        part_a = int.from_bytes(a[segment.start * 8 : segment.end * 8], "little")
        part_b = int.from_bytes(b[segment.start * 8 : segment.end * 8], "little")
        common.append((part_a & part_b).bit_count())
        count_a.append(part_a.bit_count())
        count_b.append(part_b.bit_count())
    return score(common, count_a, count_b)
