"""Two countries sharing a passport, a phone and a person get exactly those three hits, shown to
both owners and to nobody else, and neither can read the other's entity before disclosure."""

from __future__ import annotations

import pytest

from disrupt.access.policy import visible_to
from disrupt.intel import actions as intel_actions
from disrupt.intel.models import Entity
from disrupt.matching.choices import SelectorKind
from disrupt.matching.models import Hit, MatchingJob, Selector, Subject
from disrupt.matching.present import hit_for
from disrupt.matching.tests.scenario import EXPECTED, World, run_queued_jobs

pytestmark = pytest.mark.django_db


def _pairs() -> set[tuple[str, str, str]]:
    found = set()
    for hit in Hit.objects.select_related("subject_a", "subject_b"):
        a, b = hit.subject_a, hit.subject_b
        inp, afp = (a, b) if a.ref.startswith("inp") else (b, a)
        found.add((inp.ref, afp.ref, hit.kind))
    return found


def test_it_finds_exactly_the_three_shared_things(world: World) -> None:
    assert _pairs() == EXPECTED
    assert all(job.status == "done" for job in MatchingJob.objects.all())


def test_the_passport_is_the_holders_not_the_documents(world: World) -> None:
    hit = Hit.objects.get(kind=SelectorKind.PASSPORT)
    assert {hit.subject_a.ref, hit.subject_b.ref} == {"inp-rahmat", "afp-holder"}


def test_both_owners_see_the_hits_and_nobody_else_does(world: World) -> None:
    cast = world.cast
    owners = {"investigator_id", "focal_id", "analyst_au", "focal_au"}
    for name, user in cast.everyone.items():
        seen = visible_to(user, Hit.objects.all()).count()
        assert seen == (3 if name in owners else 0), name


def test_each_side_sees_its_own_record_and_only_who_holds_the_other(world: World) -> None:
    user = world.cast.investigator_id
    for hit in visible_to(user, Hit.objects.all()):
        view = hit_for(user, hit)
        assert view.mine.subject.ref.startswith("inp-")
        assert view.theirs.agency == "Australian Federal Police"
        assert view.theirs.country_code == "AU"
        assert view.theirs.handling_code == "amber"
        assert not hasattr(view.theirs, "ref") and not hasattr(view.theirs, "label")


def test_neither_side_reads_the_others_entities(world: World) -> None:
    cast = world.cast
    assert not visible_to(cast.investigator_id, Entity.objects.filter(collection=world.afp)).exists()
    assert not visible_to(cast.analyst_au, Entity.objects.filter(collection=world.inp)).exists()


def test_rematching_finds_nothing_twice(world: World) -> None:
    before = set(Hit.objects.values_list("pk", "subject_a", "subject_b", "kind"))
    Subject.objects.update(dirty=True)
    MatchingJob.objects.create(kind="bulk")
    run_queued_jobs()
    assert set(Hit.objects.values_list("pk", "subject_a", "subject_b", "kind")) == before


def test_an_edit_that_removes_the_phone_retires_the_hit(world: World) -> None:
    siti = world.entity("inp-siti")
    intel_actions.do_edit_entity(
        world.cast.investigator_id, siti, {"name": ["Siti Lestari"], "birthDate": ["1991-02-14"]}
    )
    run_queued_jobs()
    assert {kind for _, _, kind in _pairs()} == {SelectorKind.PASSPORT, SelectorKind.PERSON}


def test_deleting_the_passport_retires_the_holders_hit(world: World) -> None:
    passport = world.entity("afp-passport")
    intel_actions.do_delete_entity(world.cast.analyst_au, passport, reason="entered in error")
    run_queued_jobs()
    assert {kind for _, _, kind in _pairs()} == {SelectorKind.PHONE, SelectorKind.PERSON}


def test_nothing_raw_is_stored(world: World) -> None:
    digests = [bytes(d) for d in Selector.objects.values_list("digest", flat=True)]
    assert digests and all(len(d) == 32 for d in digests)
    assert not any(b"1234567" in d or b"812" in d for d in digests)
