"""Person encodings: variants of one person score at or above the threshold, others below."""

from __future__ import annotations

import pytest

from disrupt.matching import bloom
from disrupt.matching.keys import MatchingKey
from disrupt.matching.normalise import name_tokens
from disrupt.matching.selectors import PersonName

KEY = MatchingKey(bytes(range(32)))
THRESHOLD = bloom.DEFAULT_THRESHOLD


def person(
    name: str, birth: str = "1984-05-02", address: str = "", numbers: tuple[str, ...] = ()
) -> PersonName:
    return PersonName(name_tokens(name), birth, name_tokens(address) if address else (), numbers)


def score(one: PersonName, other: PersonName) -> float:
    return bloom.dice(bloom.encode_person(one, KEY), bloom.encode_person(other, KEY))


def shared_blocks(one: PersonName, other: PersonName) -> set[int]:
    return set(bloom.block_keys(one, KEY)) & set(bloom.block_keys(other, KEY))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (person("Budi Santoso"), person("Budi Santosa")),  # misspelt
        (person("Budi Santoso"), person("SANTOSO, Budi")),  # swapped order
        (person("Budi Santoso"), person("Boedi Santoso")),  # old Indonesian spelling
        (person("Дмитрий Шевченко"), person("Dmitry Shevchenko")),  # Cyrillic and its Latin form
        (person("Mohammed Rahman"), person("Muhammad Rahman")),  # romanisation
        (person("Abdul Khan"), person("Abdool Kan")),  # kh/k, oo/u
        (person("Budi Santoso"), person("Budi Santoso", "1984")),  # the year only, against a full date
        (person("Budi Santoso"), person("Budi Santosa", "1984")),  # misspelt, and the year only
        (person("Budi Santoso"), person("Budi Santoso", "1984-05-20")),  # a typo in the day
    ],
)
def test_variants_of_one_person_reach_the_threshold_and_share_a_block(
    one: PersonName, other: PersonName
) -> None:
    assert score(one, other) >= THRESHOLD
    assert shared_blocks(one, other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (person("Budi Santoso"), person("Siti Rahayu")),  # same birth, other names
        (person("Budi Santoso"), person("Budi Santoso", "1991-05-02")),  # same name, other birth year
        (
            person("Budi Santoso"),
            person("Budi Santoso", ""),
        ),  # same name, no birth: names alone are not enough
        (person("Budi Santoso", "1984"), person("Budi Hartono", "1984")),  # one name in common
        (person("Somchai Prasert"), person("Anan Chaiyaporn", "1962-11-30")),
    ],
)
def test_other_people_score_below_the_threshold(one: PersonName, other: PersonName) -> None:
    assert score(one, other) < THRESHOLD


def test_a_year_alone_scores_below_a_full_matching_date_but_above_a_wrong_one() -> None:
    full = person("Budi Santoso")
    assert (
        score(full, full)
        > score(full, person("Budi Santoso", "1984"))
        > score(full, person("Budi Santoso", "1985"))
    )


def test_evidence_rises_with_similarity_from_disagreement_to_agreement() -> None:
    for segment in bloom.SEGMENTS:
        assert segment.disagree <= 0 < segment.agree
        assert segment.evidence(0.0) == segment.evidence(segment.low) == segment.disagree
        assert segment.evidence(1.0) == segment.evidence(segment.high) == segment.agree
        assert segment.disagree < segment.evidence((segment.low + segment.high) / 2) < segment.agree
    # A name alone, however exact, is not enough; with the birth year it is.
    assert bloom.probability(bloom.PRIOR + bloom.NAME.agree) < THRESHOLD
    assert bloom.probability(bloom.PRIOR + bloom.NAME.agree + bloom.YEAR.agree) >= THRESHOLD


def test_an_address_or_identity_number_on_one_side_only_does_not_lower_the_score() -> None:
    plain = person("Budi Santoso")
    richer = person("Budi Santoso", address="Jl. Merdeka 12 Jakarta", numbers=("3174012345670001",))
    assert score(plain, richer) == pytest.approx(score(plain, plain))


def test_agreeing_addresses_and_numbers_carry_a_pair_whose_names_were_mistyped() -> None:
    one = person("Budi Santoso", address="12 Jl Merdeka Jakarta", numbers=("3174012345670001",))
    other = person("Bdi Snatoso", address="12 Jl Merdeka Jakarta", numbers=("3174012345670001",))
    assert score(person("Budi Santoso"), person("Bdi Snatoso")) < THRESHOLD <= score(one, other)
    stranger = person("Budi Santoso", address="7 Soi Sukhumvit Bangkok", numbers=("9900112233",))
    assert score(one, stranger) < score(person("Budi Santoso"), person("Budi Santoso"))


def test_the_encoding_is_keyed_and_deterministic() -> None:
    budi = person("Budi Santoso")
    other_key = MatchingKey(bytes(range(1, 33)))
    assert bloom.encode_person(budi, KEY) == bloom.encode_person(budi, MatchingKey(bytes(range(32))))
    assert bloom.encode_person(budi, KEY) != bloom.encode_person(budi, other_key)
    assert bloom.block_keys(budi, KEY) == bloom.block_keys(budi, MatchingKey(bytes(range(32))))
    assert not set(bloom.block_keys(budi, KEY)) & set(bloom.block_keys(budi, other_key))
    # Under two keys the same person is no more alike than strangers are.
    assert bloom.dice(bloom.encode_person(budi, KEY), bloom.encode_person(budi, other_key)) < THRESHOLD


def test_an_encoding_has_the_documented_shape() -> None:
    encoded = bloom.encode_person(person("Budi Santoso", address="Jakarta", numbers=("12345",)), KEY)
    assert len(encoded) == bloom.BYTES == bloom.BITS // 8
    assert not any(encoded[bloom.RESERVED_WORD * 8 :])
    words = bloom.as_words([encoded, encoded])
    assert words.shape == (2, bloom.WORDS)
    for segment in bloom.SEGMENTS:
        assert any(words[0, segment.start : segment.end]), segment.name
    with pytest.raises(ValueError):
        bloom.as_words([encoded[:-1]])


def test_block_keys_are_signed_64_bit() -> None:
    for key in bloom.block_keys(person("Budi Santoso"), KEY):
        assert -(2**63) <= key < 2**63


def test_dice_is_symmetric_one_for_identical_and_refuses_other_lengths() -> None:
    one, other = (
        bloom.encode_person(person("Budi Santoso"), KEY),
        bloom.encode_person(person("Siti Rahayu"), KEY),
    )
    assert bloom.dice(one, other) == bloom.dice(other, one)
    # Identical records score what full agreement on what they hold is worth, from the prior.
    assert bloom.dice(one, one) == pytest.approx(
        bloom.probability(bloom.PRIOR + bloom.NAME.agree + bloom.YEAR.agree + bloom.DATE.agree)
    )
    with pytest.raises(ValueError):
        bloom.dice(one, one[:-8])


def test_the_skeleton_folds_romanisation_variants() -> None:
    assert bloom.skeleton("muhammad") == bloom.skeleton("mohammed") == bloom.skeleton("mohamed")
    assert bloom.skeleton("khan") == bloom.skeleton("kan")
    assert bloom.skeleton("djoko") == bloom.skeleton("joko")
    assert bloom.skeleton("soeharto") == bloom.skeleton("suharto")
    assert bloom.skeleton("budi") != bloom.skeleton("siti")
