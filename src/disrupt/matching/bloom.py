"""Privacy-preserving person encodings: keyed q-gram Bloom filters compared by Dice similarity.

As in privacy-preserving record linkage (Schnell, Bachteler and Reiher 2009; the CLK encodings of
anonlink), a person's name and birth become a bit array: every q-gram sets a few bits at positions
drawn by HMAC double hashing under a sub-key of the matching key, so only a key holder can compute
an encoding, and two encodings of similar people share most of their bits.

The filter's 1,024 bits are cut into segments, one per attribute (SEGMENTS): the name (bigrams
of each token, tokens apart so order never matters, a phonetic skeleton of each token so that
"Mohammed" and "Muhammad" agree, and the whole token), the birth year and decade, the birth month
and day, the address (bigrams and whole tokens) and identity numbers (bigrams and the whole
number). Each segment's Dice similarity is read as evidence for or against one person, in bits,
as in the Fellegi-Sunter model record linkage has used since 1969; the score is the probability
that the evidence gives. An attribute only one record holds counts for nothing either way.

Blocking keys (keyed, signed 64-bit) bring candidates together without comparing everyone
(_block_texts lists them): names with parts of the birth, identity numbers whole and with one
character left out, and numbers in the address with each other and with its words. A block held
by more than MAX_BLOCK encodings on one side is skipped, which bounds the comparisons per record.
"""

from __future__ import annotations

import re
import zlib
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
    """A run of 64-bit words of the filter holding one attribute, and what its agreement is worth.

    The score weighs evidence as Fellegi and Sunter do (and Splink after them): each attribute
    both records hold adds `agree` bits of evidence when its Dice similarity is `high` or more,
    `disagree` (zero or less) when it is `low` or less, and in proportion between. An attribute
    only one record holds adds nothing, so a record that says more is not penalised for it.
    Agreement and disagreement are not symmetrical: equal identity numbers say a great deal,
    different ones little (numbers are mistyped, or a person holds several).
    """

    name: str
    start: int
    end: int
    agree: float
    disagree: float
    low: float
    high: float

    def evidence(self, similarity: float) -> float:
        """Bits of evidence from this segment's Dice similarity (kernels.py computes the same)."""
        x = (similarity - self.low) / (self.high - self.low)
        x = 0.0 if x < 0.0 else 1.0 if x > 1.0 else x
        return self.disagree + (self.agree - self.disagree) * x


NAME = Segment("name", 0, 6, 6.0, -1.5, 0.45, 0.85)  # name bigrams, skeletons and whole tokens
YEAR = Segment("year", 6, 7, 3.0, -2.0, 0.2, 0.9)  # birth year and decade
DATE = Segment("date", 7, 8, 0.5, -3.0, 0.4, 0.9)  # birth month and day
ADDRESS = Segment("address", 8, 13, 8.0, -3.0, 0.3, 0.8)  # address bigrams and tokens
NUMBERS = Segment("numbers", 13, 15, 8.0, 0.0, 0.2, 0.9)  # identity numbers, bigrams and whole
SEGMENTS = (NAME, YEAR, DATE, ADDRESS, NUMBERS)
# The last word is never set by an encoding: kernels.py keeps each row's segment popcounts there,
# so a comparison reads one 128-byte row and nothing else.
RESERVED_WORD = WORDS - 1

# The evidence two records start from: the odds, in bits, that two records picked at random are
# one person. A name alone, however exact, stays below the threshold (NAME.agree + PRIOR < 0);
# a name with the birth year, or with an address or a number, reaches it.
PRIOR = -7.0
# The score is the probability the evidence gives: 1 / (1 + 2 ** -(PRIOR + evidence)).
DEFAULT_THRESHOLD = 0.5
MAX_BLOCK = 64  # a sub-block with more encodings on a side is not compared
SMALL_BLOCK = 4  # a block (or sub-block) with at most this many on each side is compared whole
# A finer sub-block with more than SMALL_BLOCK on a side (a crowd: namesakes born the same year)
# is compared only by pairs whose birth day and month can agree (dates_can_agree).
SUB_BLOCK_BITS = (24, 12)  # a key's bits below the block, and below the sub-block
_MIDDLE_MASK = (1 << SUB_BLOCK_BITS[0]) - (1 << SUB_BLOCK_BITS[1])
_LOW_MASK = (1 << SUB_BLOCK_BITS[1]) - 1
MAX_TOKENS = 4
MIN_NEIGHBOUR_NUMBER = 6  # identity numbers this long also get keys with one character left out
MAX_ADDRESS_NUMBERS = 3

# Bits each q-gram sets in its segment.
K_NAME = 6
K_SKELETON = 4
K_TOKEN = 24
K_YEAR = 12
K_DECADE = 4
K_MONTH = 8
K_DAY = 8
K_ADDRESS = 1
K_NUMBER = 2
K_ADDRESS_TOKEN = 2  # a whole address token, beside its bigrams
K_NUMBER_WHOLE = 8  # a whole identity number, beside its bigrams: equal numbers weigh more

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
        return [(gram, K_ADDRESS, ADDRESS) for gram in _bigrams("a", value)] + [
            (f"A{value}", K_ADDRESS_TOKEN, ADDRESS)
        ]
    return [(gram, K_NUMBER, NUMBERS) for gram in _bigrams("i", value)] + [
        (f"I{value}", K_NUMBER_WHOLE, NUMBERS)
    ]


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


def dates_can_agree(one: int, other: int) -> bool:
    """Whether two encodings' DATE words (the month's bits, with the day's if known; nothing
    when the birth is a year or unknown) can be one birth day: equal, or one a part of the
    other (the same month, one side without the day; or a side without either). Namesakes born
    the same year whose day or month differ are told apart by this in a crowd."""
    both = one & other
    return both in (one, other)


def date_word(encoding: bytes) -> int:
    """The DATE segment's word of an encoding (one 64-bit word, little-endian like the rest)."""
    return int.from_bytes(encoding[8 * DATE.start : 8 * DATE.end], "little")


def as_words(filters: list[bytes] | bytes) -> np.ndarray:
    """Encodings as a (n, WORDS) uint64 array, as kernels.py compares them."""
    data = b"".join(filters) if isinstance(filters, list) else filters
    if len(data) % BYTES:
        raise ValueError(f"Encodings are {BYTES} bytes each.")
    return np.frombuffer(data, dtype="<u8").reshape(-1, WORDS).astype(np.uint64, copy=False)


def _pick(token: str, salt: str = "") -> str:
    """One bigram of the token, the same one whatever its neighbours (a min-hash of its bigrams;
    another salt picks another): a typo elsewhere in the token leaves it as it is, and two
    unrelated tokens rarely agree on it."""
    if len(token) < 2:
        return token
    return min(
        (token[i : i + 2] for i in range(len(token) - 1)),
        key=lambda gram: zlib.crc32(f"{salt}{gram}".encode()),
    )


# (block, sub-block, finer sub-block) texts.
BlockText = tuple[str, str, str]


def _block_texts(person: PersonName) -> list[BlockText]:
    """What the blocking keys are made of. Each block asks for a little of everything so that
    blocks stay small as collections grow, and together they survive any one kind of error:
    - y: one token's skeleton, another token's initial, the birth year (a typo in a name);
    - b: one token's skeleton and the full date (another name replaced or missing);
    - m: two tokens' skeletons with the day and month (a wrong year);
    - f: all the initials with the full date (typos in every name);
    - i: an identity number as written (names and birth both wrong), and j: the number with one
      character left out, for each character (a number mistyped by one character or with two
      neighbours swapped shares one of these with the right one);
    - p and q: numbers in the address (house number and postcode) two by two, and each with the
      skeleton of one of the address's two longest words (a record whose names were replaced).
    A one-token name gets its skeleton with the year, and with the day and month.

    Each block has two levels of sub-blocks that say a little more (bigrams picked from another
    token, the birth decade and year, bigrams of the address). The join compares a block whole
    while it is small, and only its sub-blocks once common names make it large, and theirs once
    they are large too (kernels._blocks): blocks stay small however large the collections grow,
    so the comparisons per person stay about the same.
    """
    folded = sorted({fold(t) for t in person.tokens if len(t) > 1} - {""})
    if len(folded) > MAX_TOKENS:
        folded = sorted(sorted(folded, key=len, reverse=True)[:MAX_TOKENS])
    year = person.birth[:4]
    day = person.birth[5:10] if len(person.birth) >= 10 else ""
    # A skeleton of one or two letters ("b" for "ba", "bo" and "abu") says too little: such a
    # token stands for itself.
    sounds = {token: sound if len(sound := skeleton(token)) > 2 else token for token in folded}
    texts: list[BlockText] = []
    if len(folded) == 1:
        only = folded[0]
        if year:
            texts.append((f"y|{sounds[only]}|{year}", _pick(only), _pick(only, "2")))
        if day:
            texts.append((f"d|{sounds[only]}|{day}", year[:3], year))
    for token in folded:
        others = [other for other in folded if other != token]
        if year:
            texts.extend(
                (f"y|{sounds[token]}|{other[0]}|{year}", _pick(other), _pick(other, "2")) for other in others
            )
        if day:
            initials = "".join(sorted(o[0] for o in others))
            texts.append((f"b|{sounds[token]}|{year}-{day}", initials, "".join(_pick(o) for o in others)))
    if day:
        texts.extend(
            (f"m|{sounds[one]}|{sounds[other]}|{day}", year[:3], year)
            for i, one in enumerate(folded)
            for other in folded[i + 1 :]
        )
        longest = max(folded, key=lambda t: (len(t), t)) if folded else ""
        texts.append(
            (f"f|{''.join(sorted(t[0] for t in folded))}|{year}-{day}", _pick(longest), _pick(longest, "2"))
        )
    for number in person.numbers:
        texts.append((f"i|{number}", "", ""))
        if len(number) >= MIN_NEIGHBOUR_NUMBER:
            texts.extend((f"j|{number[:k]}{number[k + 1 :]}", "", "") for k in range(len(number)))
    texts.extend(_address_texts(person.address))
    return list(dict.fromkeys(texts))


def _address_texts(address: tuple[str, ...]) -> list[BlockText]:
    """Address keys: the numbers in it two by two (a house number with a postcode), and each
    number with the skeleton of each of the two longest words (a street or a place)."""
    numbers = sorted(t for t in address if t.isdigit())[:MAX_ADDRESS_NUMBERS]
    words = sorted((t for t in address if t.isalpha() and len(t) > 2), key=lambda t: (-len(t), t))
    first, second = (_pick(words[0]), _pick(words[0], "2")) if words else ("", "")
    texts = [
        (f"p|{one}|{other}", first, second) for i, one in enumerate(numbers) for other in numbers[i + 1 :]
    ]
    texts.extend((f"q|{number}|{skeleton(word)}", "", "") for number in numbers for word in words[:2])
    return texts


def block_of(key: int, level: int = 0) -> int:
    """The block (level 0) or sub-block (level 1) a blocking key belongs to: its top bits."""
    return key >> SUB_BLOCK_BITS[level]


def block_keys(person: PersonName, key: MatchingKey) -> list[int]:
    """The person's keyed blocking keys as signed 64-bit ints (they fit a BigIntegerField): the
    block's keyed hash in the top 40 bits, the sub-block's in the next 12 and the finer
    sub-block's in the last 12, so the keys of a block, and of a sub-block, sort together."""
    cache = key.cache("blocks")
    keys: list[int] = []
    for text in _block_texts(person):
        found = cache.get(text)
        if found is None:
            block, sub, finer = text
            top = int.from_bytes(key.mac("block/person", block.encode("utf-8"))[:8], "little", signed=True)
            middle = int.from_bytes(key.mac("block/person/sub", f"{block}#{sub}".encode())[:4], "little")
            low = int.from_bytes(key.mac("block/person/sub", f"{block}#{sub}#{finer}".encode())[:4], "little")
            found = (
                (top >> SUB_BLOCK_BITS[0] << SUB_BLOCK_BITS[0])
                | ((middle << SUB_BLOCK_BITS[1]) & _MIDDLE_MASK)
                | (low & _LOW_MASK)
            )
            if len(cache) > 500_000:
                cache.clear()
            cache[text] = found
        keys.append(found)
    return keys


def evidence_bits(common: list[int], count_a: list[int], count_b: list[int]) -> float:
    """PRIOR plus each segment's evidence, from per-segment counts (kernels.py adds the same)."""
    total = PRIOR
    for segment, both, one, other in zip(SEGMENTS, common, count_a, count_b, strict=True):
        if one and other:
            total += segment.evidence(2.0 * both / (one + other))
    return total


def probability(bits: float) -> float:
    """The score shown for a pair: the probability that its evidence (in bits) gives."""
    return 1.0 / (1.0 + 2.0**-bits)


def score(common: list[int], count_a: list[int], count_b: list[int]) -> float:
    """The score of a pair from per-segment counts."""
    return probability(evidence_bits(common, count_a, count_b))


def dice(a: bytes, b: bytes) -> float:
    """The score of two encodings: per segment Dice, weighed as evidence over what both records hold."""
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
