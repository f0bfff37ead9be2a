"""Matching on demand and its jobs: the secretariat runs everything again or re-indexes and
decides wide values (nobody else finds those pages); a collection's owner presses "Match now";
a job's page shows its progress (htmx polls it) and its counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from disrupt.intel import actions as intel_actions
from disrupt.intel.choices import JobStatus
from disrupt.matching.choices import JobKind, SelectorKind, WideValueStatus
from disrupt.matching.models import Hit, MatchingJob, WideValue
from disrupt.matching.tests.scenario import World, fill, run_queued_jobs

pytestmark = pytest.mark.django_db

RUN = reverse("matching:run")
WIDE = reverse("matching:wide_values")
OFFICE = "+61 2 6131 3000"


@pytest.fixture
def wide(world: World, settings: Any) -> WideValue:
    """An office switchboard number four records hold: capped, it makes no hits."""
    settings.MATCHING_WIDE_VALUE_CAP = 3
    desks = [
        {"id": f"afp-desk-{n}", "schema": "Person", "properties": {"name": [f"Desk {n}"], "phone": [OFFICE]}}
        for n in range(3)
    ]
    fill(world.cast.analyst_au, "Switchboard", desks)
    liaison = {
        "id": "inp-liaison",
        "schema": "Person",
        "properties": {"name": ["Liaison"], "phone": [OFFICE]},
    }
    fill(world.cast.investigator_id, "Liaison list", [liaison])
    run_queued_jobs()
    return WideValue.objects.get()


def test_the_secretariat_queues_matching_over_everything(client: Client, world: World) -> None:
    client.force_login(world.cast.secretariat)
    page = client.get(RUN).content.decode()
    assert "Everything, on demand" in page and "Re-index under the configured keys" in page
    response = client.post(RUN, {"kind": JobKind.BULK})
    job = MatchingJob.objects.get(kind=JobKind.BULK)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Everything, on demand" in page and 'hx-trigger="every 2s"' in page
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Done" in page and "records compared" in page
    # The administrator sees counts, never a hit.
    assert client.get(Hit.objects.first().get_absolute_url()).status_code == 404  # type: ignore[union-attr]
    assert "Budi Santoso" not in page and "Boedi" not in page


def test_a_reindex_is_queued_and_a_bad_kind_is_refused_on_the_form(client: Client, world: World) -> None:
    client.force_login(world.cast.secretariat)
    assert client.post(RUN, {"kind": JobKind.REINDEX}).status_code == 302
    assert MatchingJob.objects.filter(kind=JobKind.REINDEX).exists()
    for kind in ("collection", "", "\x00"):
        response = client.post(RUN, {"kind": kind})
        assert response.status_code == 400 and "field__error" in response.content.decode()
    assert not MatchingJob.objects.filter(kind=JobKind.COLLECTION, collection__isnull=True).exists()


@pytest.mark.parametrize("who", ["investigator_id", "analyst_au", "observer", "co_chair", "focal_au"])
def test_nobody_else_finds_the_administrators_pages(client: Client, world: World, who: str) -> None:
    client.force_login(getattr(world.cast, who))
    assert client.get(RUN).status_code == 404
    assert client.post(RUN, {"kind": JobKind.BULK}).status_code == 404
    assert client.get(WIDE).status_code == 404
    assert not MatchingJob.objects.filter(kind=JobKind.BULK).exists()


def test_the_navigation_offers_hits_to_officers_and_matching_to_the_secretariat(
    client: Client, world: World
) -> None:
    client.force_login(world.cast.investigator_id)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert f'href="{reverse("matching:hit_list")}"' in page and f'href="{RUN}"' not in page
    client.force_login(world.cast.secretariat)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert f'href="{RUN}"' in page and f'href="{reverse("matching:hit_list")}"' not in page
    client.force_login(world.cast.observer)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert f'href="{RUN}"' not in page and f'href="{reverse("matching:hit_list")}"' not in page


def test_an_owner_matches_a_collection_now_and_a_reader_cannot(client: Client, world: World) -> None:
    cast = world.cast
    client.force_login(cast.investigator_id)
    page = client.get(world.inp.get_absolute_url()).content.decode()
    match_now = reverse("matching:collection_match", args=[world.inp.pk])
    assert match_now in page
    response = client.post(match_now)
    job = MatchingJob.objects.filter(collection=world.inp, status=JobStatus.QUEUED).get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert client.get(job.get_absolute_url()).status_code == 200
    # A reader of the shared collection reads it, but neither matches it nor sees its job.
    intel_actions.do_set_sharing(
        cast.investigator_id, world.inp, handling_code="amber", agencies=[cast.analyst_au.agency]
    )
    client.force_login(cast.analyst_au)
    assert match_now not in client.get(world.inp.get_absolute_url()).content.decode()
    assert client.post(match_now).status_code == 403
    assert client.get(job.get_absolute_url()).status_code == 404
    client.force_login(cast.investigator_th)
    assert client.post(match_now).status_code == 404
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("matching:collection_match", args=[world.inp.pk])).status_code == 405


def test_the_job_page_answers_htmx_with_its_progress_then_a_refresh(client: Client, world: World) -> None:
    client.force_login(world.cast.investigator_id)
    job = MatchingJob.objects.create(kind=JobKind.COLLECTION, collection=world.inp)
    response = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    part = response.content.decode()
    assert part.lstrip().startswith("<section") and "<html" not in part and "waiting for a worker" in part
    run_queued_jobs()
    response = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert response.headers.get("HX-Refresh") == "true"


def test_the_secretariat_sees_and_decides_wide_values(client: Client, world: World, wide: WideValue) -> None:
    admin = world.cast.secretariat
    client.force_login(admin)
    page = client.get(WIDE).content.decode()
    assert wide.short_digest in page and "Phone number" in page and "Capped" in page
    assert OFFICE not in page and "Desk 0" not in page
    assert wide.short_digest in client.get(WIDE, {"status": WideValueStatus.CAPPED}).content.decode()
    assert wide.short_digest not in client.get(WIDE, {"status": WideValueStatus.ALLOWED}).content.decode()
    assert client.get(WIDE, {"status": "nonsense", "page": "x"}).status_code == 200

    response = client.post(reverse("matching:wide_value_decide", args=[wide.pk]), {"status": "allowed"})
    assert response.status_code == 302
    wide.refresh_from_db()
    assert wide.status == WideValueStatus.ALLOWED and wide.decided_by == admin
    run_queued_jobs()
    assert Hit.objects.filter(kind=SelectorKind.PHONE).count() == 1 + 3
    page = client.get(WIDE).content.decode()
    assert "Allowed by an administrator" in page and "Exclude" in page

    response = client.post(reverse("matching:wide_value_decide", args=[wide.pk]), {"status": "capped"})
    assert response.status_code == 302
    wide.refresh_from_db()
    assert wide.status == WideValueStatus.ALLOWED
    assert "Choose excluded or allowed" in client.get(WIDE).content.decode()
    assert (
        client.post(reverse("matching:wide_value_decide", args=[999999]), {"status": "allowed"}).status_code
        == 404
    )


def test_an_officer_cannot_decide_a_wide_value(client: Client, world: World, wide: WideValue) -> None:
    client.force_login(world.cast.analyst_au)
    response = client.post(reverse("matching:wide_value_decide", args=[wide.pk]), {"status": "allowed"})
    assert response.status_code == 404
    wide.refresh_from_db()
    assert wide.status == WideValueStatus.CAPPED
