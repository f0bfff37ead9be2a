"""Quantities add up honestly, whatever the order, and read as the group writes them."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disrupt.reports.choices import Qualifier
from disrupt.reports.quantities import BOUND_WORDS, VAGUE_WORDS, ZERO, Quantity, sum_quantities

counts = st.integers(min_value=0, max_value=10**6)
quantities = st.one_of(
    st.builds(Quantity.exact, counts),
    st.builds(Quantity.at_least, counts, st.sampled_from(BOUND_WORDS)),
    st.builds(Quantity.unquantified, st.sampled_from((*VAGUE_WORDS, "")), st.none() | counts),
)


@given(quantities, quantities, quantities)
def test_addition_is_associative(a: Quantity, b: Quantity, c: Quantity) -> None:
    assert (a + b) + c == a + (b + c)


@given(quantities, quantities)
def test_addition_is_commutative(a: Quantity, b: Quantity) -> None:
    assert a + b == b + a


@given(quantities)
def test_exact_zero_adds_nothing(a: Quantity) -> None:
    assert a + ZERO == a == ZERO + a
    assert a + Quantity.parse("0") == a


@given(st.lists(quantities, max_size=8))
def test_a_total_is_the_same_in_any_order(items: list[Quantity]) -> None:
    assert sum_quantities(items) == sum_quantities(reversed(items)) == sum(items, ZERO)


@given(st.lists(quantities, min_size=1, max_size=8))
def test_a_total_keeps_the_weakest_qualifier_and_every_known_number(items: list[Quantity]) -> None:
    total = sum_quantities(items)
    qualifiers = {item.qualifier for item in items}
    if Qualifier.UNQUANTIFIED in qualifiers:
        assert total.qualifier == Qualifier.UNQUANTIFIED
    elif Qualifier.AT_LEAST in qualifiers:
        assert total.qualifier == Qualifier.AT_LEAST
    else:
        assert total.qualifier == Qualifier.EXACT
    assert (total.value or 0) == sum(item.value or 0 for item in items)


@given(quantities)
def test_what_is_displayed_parses_back_when_it_is_a_single_figure(a: Quantity) -> None:
    if a.is_unquantified and (a.value is not None or not a.wording):
        return  # a total with a known part, or no word: shown in words that are not a figure
    assert Quantity.parse(a.display) == a


def test_exact_plus_exact_is_exact() -> None:
    assert Quantity.parse("59") + Quantity.parse("seven") == Quantity.exact(66)
    assert (Quantity.exact(59) + Quantity.exact(7)).display == "66"


def test_exact_plus_at_least_is_at_least() -> None:
    total = Quantity.exact(32) + Quantity.parse("over 30")
    assert total == Quantity.at_least(62, "over")
    assert total.display == "over 62"


def test_bounds_keep_their_words_when_they_agree_and_say_over_when_they_do_not() -> None:
    assert (Quantity.parse("at least 5") + Quantity.parse("at least 3")).display == "at least 8"
    assert (Quantity.parse("more than 5") + Quantity.parse("more than 3")).display == "more than 8"
    assert (Quantity.parse("at least 5") + Quantity.parse("more than 3")).display == "over 8"


def test_anything_plus_unquantified_is_unquantified_and_keeps_the_known_part() -> None:
    total = sum_quantities([Quantity.exact(40), Quantity.parse("over 2"), Quantity.parse("numerous")])
    assert total.qualifier == Qualifier.UNQUANTIFIED
    assert total.value == 42
    assert total.display == "at least 42, plus numerous"
    assert (Quantity.parse("several") + Quantity.parse("several")).display == "several"
    # Different vague words: the total says only that the rest is not quantified.
    assert (Quantity.parse("several") + Quantity.parse("numerous")).display == "not quantified"
    assert (Quantity.exact(3) + Quantity.unquantified("")).display == "at least 3, plus an unstated number"


@pytest.mark.parametrize(
    ("words", "expected", "shown"),
    [
        ("59", Quantity.exact(59), "59"),
        ("1,234", Quantity.exact(1234), "1,234"),
        ("seven", Quantity.exact(7), "7"),
        ("One", Quantity.exact(1), "1"),
        ("twenty", Quantity.exact(20), "20"),
        ("Sixty-two", Quantity.exact(62), "62"),
        ("over 70", Quantity.at_least(70, "over"), "over 70"),
        ("Over  seventy", Quantity.at_least(70, "over"), "over 70"),
        ("more than 30", Quantity.at_least(30, "more than"), "more than 30"),
        ("at least five", Quantity.at_least(5, "at least"), "at least 5"),
        ("numerous", Quantity.unquantified("numerous"), "numerous"),
        ("Several", Quantity.unquantified("several"), "several"),
    ],
)
def test_it_reads_the_words_the_sources_use(words: str, expected: Quantity, shown: str) -> None:
    assert Quantity.parse(words) == expected
    assert Quantity.parse(words).display == shown


@pytest.mark.parametrize("words", ["", "lots", "over", "over lots", "-3", "7.5", "1,23", "about 70"])
def test_it_refuses_words_that_are_not_a_quantity(words: str) -> None:
    with pytest.raises(ValueError, match="Not a quantity"):
        Quantity.parse(words)


def test_it_refuses_impossible_quantities() -> None:
    with pytest.raises(ValueError, match="never negative"):
        Quantity.exact(-1)
    with pytest.raises(ValueError, match="number is required"):
        Quantity(Qualifier.AT_LEAST, None)
    with pytest.raises(ValueError, match="no qualifying words"):
        Quantity(Qualifier.EXACT, 3, "over")
    with pytest.raises(ValueError, match="lower bound"):
        Quantity.at_least(3, "about")
    with pytest.raises(ValueError, match="unquantified"):
        Quantity.unquantified("lots")
    with pytest.raises(TypeError):
        Quantity.exact(True)


def test_a_quantity_cannot_change() -> None:
    quantity = Quantity.exact(59)
    with pytest.raises(dataclasses.FrozenInstanceError):
        quantity.value = 60  # type: ignore[misc]


def test_nothing_adds_up_to_exact_zero() -> None:
    assert sum_quantities([]) == ZERO
    assert ZERO.display == "0"


def test_a_published_phrase_gives_its_qualifying_word_and_invents_none() -> None:
    assert Quantity.of("at_least", 70, "over 70 bilateral and international enquiries").display == "over 70"
    assert Quantity.of("at_least", 70, "").display == "over 70"
    assert Quantity.of("unquantified", None, "made numerous enquiries").display == "numerous"
    assert Quantity.of("unquantified", None, "conducted awareness-raising activities").display == (
        "not quantified"
    )
    assert Quantity.of("exact", 7, "executed seven search warrants") == Quantity.exact(7)
