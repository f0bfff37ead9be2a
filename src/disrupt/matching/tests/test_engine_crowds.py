"""A crowd of namesakes born the same year is compared by the engine as the kernel compares it:
only where the birth days can agree (bloom.dates_can_agree)."""

from __future__ import annotations

import numpy as np
import pytest

from disrupt.matching import bloom, kernels
from disrupt.matching.choices import SelectorKind
from disrupt.matching.models import BlockKey, Hit, PersonEncoding, Subject
from disrupt.matching.tests.scenario import World, fill, run_queued_jobs

pytestmark = pytest.mark.django_db

# Six of each owner, all "Budi Hartono" born in 1984 (synthetic): one whole blocking key, a crowd.
AFP_BIRTHS = ["1984-03-12", "1984-07-01", "1984-09", "1984", "1984-11-30", "1984-02-14"]
INP_BIRTHS = ["1984-03-13", "1984-07-01", "1984-09-21", "1984-10-10", "1984-11-30", "1984-04-04"]
STREET = "Jalan Kenanga Gang Melati"  # no number: an address without blocking keys of its own


def _crowd(prefix: str, births: list[str]) -> list[dict[str, object]]:
    people = []
    for n, birth in enumerate(births):
        properties: dict[str, list[str]] = {"name": ["Budi Hartono"], "birthDate": [birth]}
        if n == 0:
            properties["address"] = [STREET]
        people.append({"id": f"{prefix}-budi-{n}", "schema": "Person", "properties": properties})
    return people


def _side(refs: list[str]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    subjects = list(Subject.objects.filter(ref__in=refs).order_by("ref"))
    encodings = [PersonEncoding.objects.get(subject=subject) for subject in subjects]
    filters = bloom.as_words([bytes(e.bloom) for e in encodings])
    row = {encoding.pk: n for n, encoding in enumerate(encodings)}
    blocks = np.array(
        [
            [key, row[encoding]]
            for encoding, key in BlockKey.objects.filter(encoding__in=row).values_list("encoding", "key")
        ],
        dtype=np.int64,
    )
    return filters, blocks, [subject.pk for subject in subjects]


def test_the_engine_compares_a_crowd_of_namesakes_as_the_kernel_does(world: World) -> None:
    cast = world.cast
    fill(cast.analyst_au, "Namesakes AU", _crowd("afp", AFP_BIRTHS))
    fill(cast.investigator_id, "Namesakes ID", _crowd("inp", INP_BIRTHS))
    run_queued_jobs()
    afp = [f"afp-budi-{n}" for n in range(6)]
    inp = [f"inp-budi-{n}" for n in range(6)]
    fa, ba, subjects_a = _side(afp)
    fb, bb, subjects_b = _side(inp)
    result = kernels.fuzzy_pairs(fa, ba, fb, bb)
    expected = {frozenset((subjects_a[i], subjects_b[j])) for i, j in result.pairs.tolist()}
    found = {
        frozenset(pair)
        for pair in Hit.objects.filter(
            kind=SelectorKind.PERSON,
            subject_a__in=subjects_a + subjects_b,
            subject_b__in=subjects_a + subjects_b,
        ).values_list("subject_a", "subject_b")
    }
    assert found == expected
    refs = {
        pk: ref for pk, ref in Subject.objects.filter(pk__in=subjects_a + subjects_b).values_list("pk", "ref")
    }
    named = {frozenset(refs[pk] for pk in pair) for pair in found}
    # The same day, or a year or a month alone on one side: one person, as far as the score goes.
    assert frozenset({"afp-budi-1", "inp-budi-1"}) in named  # 1984-07-01 both
    assert frozenset({"afp-budi-3", "inp-budi-3"}) in named  # a year alone meets every day
    assert frozenset({"afp-budi-2", "inp-budi-2"}) in named  # September, and a day in it
    # A day apart with the same street would score as one person, but in a crowd the days
    # cannot agree, so the pair is not compared (and its street has no key of its own).
    assert frozenset({"afp-budi-0", "inp-budi-0"}) not in named
    assert all(frozenset({f"afp-budi-{n}", "inp-budi-3"}) not in named for n in (0, 1, 4, 5))
