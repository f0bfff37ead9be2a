"""Quantities as the group writes them, and totals that keep their qualifier honest.

A figure is known exactly ("59"), only as a lower bound ("over 70", "more than 70",
"at least 70"), or not at all ("numerous", "several", or no number given). `Quantity`
holds one such figure; adding two follows the rules of the reporting issue:

- exact + exact = exact: 59 + 10 = 69.
- exact + at least, at least + at least = at least, the sum of the bounds:
  over 70 + 5 = over 75. The bound keeps its words when every bound added used the
  same ones ("at least 5" + "at least 3" = "at least 8"). Mixed words become "over",
  which is still true: mixed words always include a strict one ("over" or "more than"),
  and a strict bound plus any bound is a strict bound.
- anything + unquantified = unquantified, and the total still shows the part that is
  known, as a lower bound: 42 + numerous = "at least 42, plus numerous". The known part
  is the sum of every exact value and every bound (a bound's surplus is simply part of
  the unknown remainder, so "at least" is honest whichever words the bounds used).
  The vague word stays when every unquantified part used the same one; otherwise the
  total says only that the rest is not quantified ("an unstated number").

Exact 0 is the identity of addition, and addition is associative and commutative, so a
total does not depend on the order in which reports arrive (tests/test_quantities.py
checks this with hypothesis). A quantity is immutable and never negative.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from disrupt.lib.text import number_words
from disrupt.reports.choices import Qualifier

# Words that make a number a lower bound, as the sources write them. "over" and
# "more than" are strict; "at least" is not. Mixed bounds are written "over".
BOUND_WORDS = ("over", "more than", "at least")
DEFAULT_BOUND = "over"

# Words that stand for an unstated number. "" means the source gave no word at all.
VAGUE_WORDS = ("numerous", "several", "many")
DEFAULT_VAGUE = "numerous"

# "seven", "twenty-one"… as the sources write them, read back to numbers.
NUMBER_WORDS: dict[str, int] = {number_words(n): n for n in range(100)}

_DIGITS = re.compile(r"\d+|\d{1,3}(?:,\d{3})+")


def _number(text: str) -> int:
    if _DIGITS.fullmatch(text):
        return int(text.replace(",", ""))
    # "twenty one" and "twenty-one" are the same number.
    word = re.sub(r"\s+", "-", text)
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    raise ValueError(f"Not a number: {text!r}.")


def _same_or(words: Iterable[str], fallback: str) -> str:
    distinct = set(words)
    return distinct.pop() if len(distinct) == 1 else fallback


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure with its qualifier.

    `value` is the number for an exact figure, the bound for an "at least" figure, and for
    an unquantified figure the part of it that is known (None when nothing is). `wording`
    is the qualifying word: the bound's words ("over") or the vague word ("numerous");
    an exact figure has none.
    """

    qualifier: Qualifier
    value: int | None = None
    wording: str = ""

    def __post_init__(self) -> None:
        qualifier = Qualifier(self.qualifier)
        object.__setattr__(self, "qualifier", qualifier)
        if self.value is not None and (isinstance(self.value, bool) or not isinstance(self.value, int)):
            raise TypeError(f"A quantity's value is a whole number, not {self.value!r}.")
        if self.value is not None and self.value < 0:
            raise ValueError(f"A quantity is never negative: {self.value}.")
        if qualifier == Qualifier.UNQUANTIFIED:
            if self.wording not in (*VAGUE_WORDS, ""):
                raise ValueError(f"Unknown word for an unquantified figure: {self.wording!r}.")
            if self.value == 0:  # nothing known is written as nothing known
                object.__setattr__(self, "value", None)
            return
        if self.value is None:
            raise ValueError("A number is required unless the figure is unquantified.")
        if qualifier == Qualifier.EXACT and self.wording:
            raise ValueError("An exact figure has no qualifying words.")
        if qualifier == Qualifier.AT_LEAST:
            if not self.wording:
                object.__setattr__(self, "wording", DEFAULT_BOUND)
            elif self.wording not in BOUND_WORDS:
                raise ValueError(f"Unknown words for a lower bound: {self.wording!r}.")

    # --- Making quantities ------------------------------------------------------------------

    @classmethod
    def exact(cls, value: int) -> Quantity:
        return cls(Qualifier.EXACT, value)

    @classmethod
    def at_least(cls, value: int, wording: str = DEFAULT_BOUND) -> Quantity:
        return cls(Qualifier.AT_LEAST, value, wording)

    @classmethod
    def unquantified(cls, wording: str = DEFAULT_VAGUE, known: int | None = None) -> Quantity:
        return cls(Qualifier.UNQUANTIFIED, known, wording)

    @classmethod
    def parse(cls, text: str) -> Quantity:
        """A quantity from the words of a source: "59", "seven", "over 70", "numerous"…"""
        words = " ".join(str(text).lower().split())
        if words in VAGUE_WORDS:
            return cls.unquantified(words)
        try:
            for bound in BOUND_WORDS:
                if words.startswith(bound + " "):
                    return cls.at_least(_number(words[len(bound) + 1 :]), bound)
            return cls.exact(_number(words))
        except ValueError:
            raise ValueError(
                f'Not a quantity: {text!r}. Write a number ("59", "seven"), a bound ("over 70") '
                'or a word such as "numerous".'
            ) from None

    @classmethod
    def of(cls, qualifier: str, value: int | None, phrase: str = "") -> Quantity:
        """A recorded figure, taking its qualifying word from the phrase the group published.

        "over 70 bilateral and international enquiries" gives "over"; "conducted
        awareness-raising activities" names no amount, so none is invented.
        """
        words = f" {' '.join(phrase.lower().split())} "
        if qualifier == Qualifier.AT_LEAST:
            found = [w for w in BOUND_WORDS if f" {w} " in words]
            return cls(Qualifier.AT_LEAST, value, found[0] if found else DEFAULT_BOUND)
        if qualifier == Qualifier.UNQUANTIFIED:
            found = [w for w in VAGUE_WORDS if f" {w} " in words]
            return cls(Qualifier.UNQUANTIFIED, value, found[0] if found else "")
        return cls(Qualifier.EXACT, value)

    # --- Adding ---------------------------------------------------------------------------

    @property
    def is_exact(self) -> bool:
        return self.qualifier == Qualifier.EXACT

    @property
    def is_unquantified(self) -> bool:
        return self.qualifier == Qualifier.UNQUANTIFIED

    def __add__(self, other: object) -> Quantity:
        if not isinstance(other, Quantity):
            return NotImplemented
        known = (self.value or 0) + (other.value or 0)
        parts = (self, other)
        if any(q.is_unquantified for q in parts):
            vague = [q.wording for q in parts if q.is_unquantified]
            return Quantity(Qualifier.UNQUANTIFIED, known, _same_or(vague, ""))
        if any(q.qualifier == Qualifier.AT_LEAST for q in parts):
            bounds = [q.wording for q in parts if q.qualifier == Qualifier.AT_LEAST]
            return Quantity(Qualifier.AT_LEAST, known, _same_or(bounds, DEFAULT_BOUND))
        return Quantity(Qualifier.EXACT, known)

    def __radd__(self, other: object) -> Quantity:
        # So that the built-in sum() works from its start value 0.
        if other == 0:
            return self
        return NotImplemented

    # --- Showing ----------------------------------------------------------------------------

    @property
    def display(self) -> str:
        """In the group's words: "59", "over 70", "numerous", "at least 42, plus numerous"."""
        if self.qualifier == Qualifier.EXACT:
            return f"{self.value:,}"
        if self.qualifier == Qualifier.AT_LEAST:
            return f"{self.wording} {self.value:,}"
        if self.value is None:
            return self.wording or "not quantified"
        return f"at least {self.value:,}, plus {self.wording or 'an unstated number'}"

    def __str__(self) -> str:
        return self.display


ZERO = Quantity.exact(0)


def sum_quantities(quantities: Iterable[Quantity]) -> Quantity:
    """The honest total of `quantities`; exact 0 when there are none."""
    total = ZERO
    for quantity in quantities:
        total = total + quantity
    return total
