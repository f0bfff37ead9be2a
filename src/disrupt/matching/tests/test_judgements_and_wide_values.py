"""Judgements feed later matching; values held too widely are capped for an administrator."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from disrupt.matching import actions
from disrupt.matching.choices import SelectorKind, Verdict, WideValueStatus
from disrupt.matching.models import Hit, Judgement, MatchingJob, Subject, WideValue
from disrupt.matching.tests.scenario import World, fill, run_queued_jobs

pytestmark = pytest.mark.django_db


def test_each_side_judges_once_and_may_change_its_mind(world: World) -> None:
    hit = Hit.objects.get(kind=SelectorKind.PERSON)
    actions.do_judge_hit(world.cast.investigator_id, hit, Verdict.REJECTED, "different father's name")
    actions.do_judge_hit(world.cast.focal_id, hit, Verdict.CONFIRMED)
    actions.do_judge_hit(world.cast.analyst_au, hit, Verdict.CONFIRMED)
    assert dict(Judgement.objects.values_list("agency__short_name", "verdict")) == {
        "INP": Verdict.CONFIRMED,
        "AFP": Verdict.CONFIRMED,
    }
    with pytest.raises(ValidationError):
        actions.do_judge_hit(world.cast.analyst_au, hit, "maybe")
    with pytest.raises(Http404):
        actions.do_judge_hit(world.cast.investigator_th, hit, Verdict.CONFIRMED)


def test_a_rejected_hit_is_not_raised_again_by_later_matching(world: World) -> None:
    hit = Hit.objects.get(kind=SelectorKind.PHONE)
    actions.do_judge_hit(world.cast.investigator_id, hit, Verdict.REJECTED)
    Subject.objects.update(dirty=True)
    MatchingJob.objects.create(kind="bulk", stage="Matching")
    run_queued_jobs()
    again = Hit.objects.get(kind=SelectorKind.PHONE)
    assert again.pk == hit.pk and again.judgements.get().verdict == Verdict.REJECTED


def test_a_judged_hit_that_no_longer_matches_is_kept_but_not_current(world: World) -> None:
    from disrupt.intel import actions as intel_actions

    hit = Hit.objects.get(kind=SelectorKind.PHONE)
    actions.do_judge_hit(world.cast.analyst_au, hit, Verdict.CONFIRMED)
    siti = world.entity("inp-siti")
    intel_actions.do_edit_entity(world.cast.investigator_id, siti, {"name": ["Siti Lestari"]})
    run_queued_jobs()
    hit.refresh_from_db()
    assert hit.current is False


def test_a_value_held_too_widely_makes_no_hits_until_allowed(world: World, settings: object) -> None:
    cast = world.cast
    settings.MATCHING_WIDE_VALUE_CAP = 3  # type: ignore[attr-defined]
    office = "+61 2 6131 3000"
    fill(
        cast.analyst_au,
        "Switchboard",
        [
            {
                "id": f"afp-desk-{n}",
                "schema": "Person",
                "properties": {"name": [f"Desk Officer {n}"], "phone": [office]},
            }
            for n in range(3)
        ],
    )
    fill(
        cast.investigator_id,
        "Liaison list",
        [
            {
                "id": "inp-liaison",
                "schema": "Person",
                "properties": {"name": ["Liaison Desk"], "phone": [office]},
            }
        ],
    )
    run_queued_jobs()
    assert not Hit.objects.filter(subject_a__ref__startswith="afp-desk").exists()
    assert not Hit.objects.filter(subject_b__ref__startswith="afp-desk").exists()
    wide = WideValue.objects.get()
    assert (wide.kind, wide.holders, wide.owners, wide.status) == (
        SelectorKind.PHONE,
        4,
        2,
        WideValueStatus.CAPPED,
    )
    with pytest.raises(Http404):
        actions.do_decide_wide_value(cast.analyst_au, wide, WideValueStatus.ALLOWED)
    actions.do_decide_wide_value(cast.secretariat, wide, WideValueStatus.ALLOWED)
    run_queued_jobs()
    assert Hit.objects.filter(kind=SelectorKind.PHONE).count() == 1 + 3
    actions.do_decide_wide_value(cast.secretariat, wide, WideValueStatus.EXCLUDED)
    Subject.objects.update(dirty=True)
    MatchingJob.objects.create(kind="bulk", stage="Matching")
    run_queued_jobs()
    assert Hit.objects.filter(kind=SelectorKind.PHONE).count() == 1
