"""The hits pages: each owner sees its own side of the three hits and only the other side's
agency, country, code and kind; nobody else sees a hit (404 for one); judging and asking for
disclosure from the hit's page, with errors next to their fields and no server error."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disrupt.conftest import Cast
from disrupt.intel import actions as intel_actions
from disrupt.matching import actions
from disrupt.matching.choices import DisclosureStatus, SelectorKind, Verdict
from disrupt.matching.models import DisclosureRequest, Hit, Judgement
from disrupt.matching.tests.scenario import World, run_queued_jobs

pytestmark = pytest.mark.django_db

HITS = reverse("matching:hit_list")
# What Australia holds and Indonesia must never read on a hit page, and the other way round.
AU_CONTENT = [
    "Boedi Santosa",
    "Marcus Whitfield",
    "Kieran Doyle",
    "B-1234567",
    "+62 812-3456-7890",
    "afp-",
    "Darwin arrivals",
]
ID_CONTENT = [
    "Budi Santoso",
    "Rahmat Kurniawan",
    "Siti Lestari",
    "b 1234567",
    "0812 3456 7890",
    "inp-",
    "Kupang departures",
]


def _hit(kind: str) -> Hit:
    return Hit.objects.get(kind=kind)


def _page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def test_each_owner_lists_its_own_side_of_the_three_hits(client: Client, world: World) -> None:
    client.force_login(world.cast.investigator_id)
    page = _page(client, HITS)
    for caption in ("Rahmat Kurniawan", "Budi Santoso", "Siti Lestari"):
        assert caption in page
    assert "Passport number" in page and "Phone number" in page and "Person (name and birth)" in page
    assert "Australian Federal Police" in page and "(Australia)" in page
    assert "TLP:AMBER" in page  # their code
    for content in AU_CONTENT:
        assert content not in page, content
    # Each of my captions links to my entity's page.
    assert world.entity("inp-rahmat").get_absolute_url() in page

    client.force_login(world.cast.analyst_au)
    page = _page(client, HITS)
    assert "Marcus Whitfield" in page and "Indonesian National Police" in page
    for content in ID_CONTENT:
        assert content not in page, content


def test_new_hits_stand_out_until_judged(client: Client, world: World) -> None:
    client.force_login(world.cast.investigator_id)
    assert _page(client, HITS).count('class="matching-new"') == 3
    actions.do_judge_hit(world.cast.investigator_id, _hit(SelectorKind.PASSPORT), Verdict.CONFIRMED)
    page = _page(client, HITS)
    assert page.count('class="matching-new"') == 2
    assert "Confirmed" in page
    # The other side's hit is still new to them.
    client.force_login(world.cast.analyst_au)
    assert _page(client, HITS).count('class="matching-new"') == 3


@pytest.mark.parametrize(
    "who", ["secretariat", "observer", "investigator_th", "investigator_au_abf", "co_chair"]
)
def test_nobody_else_sees_a_hit(client: Client, world: World, who: str) -> None:
    client.force_login(getattr(world.cast, who))
    page = _page(client, HITS)
    for content in AU_CONTENT[:3] + ID_CONTENT[:3]:
        assert content not in page
    for hit in (_hit(SelectorKind.PASSPORT), _hit(SelectorKind.PHONE), _hit(SelectorKind.PERSON)):
        assert client.get(hit.get_absolute_url()).status_code == 404
        judged = client.post(reverse("matching:hit_judge", args=[hit.pk]), {"verdict": Verdict.CONFIRMED})
        assert judged.status_code == 404
        asked = client.post(reverse("matching:hit_request", args=[hit.pk]), {"purpose": "x"})
        assert asked.status_code == 404
    assert not Judgement.objects.exists() and not DisclosureRequest.objects.exists()


def test_filters_narrow_the_list(client: Client, world: World) -> None:
    client.force_login(world.cast.investigator_id)
    page = _page(client, HITS, kind=SelectorKind.PHONE)
    assert "Siti Lestari" in page and "Rahmat Kurniawan" not in page
    page = _page(client, HITS, min_score="0.99")
    assert "Budi Santoso" not in page and "Siti Lestari" in page
    actions.do_judge_hit(world.cast.investigator_id, _hit(SelectorKind.PASSPORT), Verdict.REJECTED)
    page = _page(client, HITS, verdict="none")
    assert "Rahmat Kurniawan" not in page and "Budi Santoso" in page
    assert "Rahmat Kurniawan" in _page(client, HITS, verdict=Verdict.REJECTED)
    actions.do_request_disclosure(
        world.cast.investigator_id, _hit(SelectorKind.PHONE), "Crew of the Kupang boat"
    )
    page = _page(client, HITS, disclosure=DisclosureStatus.PENDING)
    assert "Siti Lestari" in page and "Budi Santoso" not in page


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "nonsense"},
        {"min_score": "abc"},
        {"plan": "999999"},
        {"plan": "x"},
        {"page": "-3"},
        {"verdict": "\x00"},
    ],
)
def test_a_bad_filter_is_shown_not_a_server_error(
    client: Client, world: World, params: dict[str, str]
) -> None:
    client.force_login(world.cast.investigator_id)
    response = client.get(HITS, params)
    assert response.status_code == 200
    if "page" not in params:
        assert "field__error" in response.content.decode()


def test_the_hit_page_shows_my_record_and_only_metadata_of_theirs(client: Client, world: World) -> None:
    client.force_login(world.cast.investigator_id)
    page = _page(client, _hit(SelectorKind.PASSPORT).get_absolute_url())
    assert "Rahmat Kurniawan" in page and "Kupang departures" in page
    assert "Australian Federal Police" in page and "Person" in page
    for content in AU_CONTENT:
        assert content not in page, content
    assert "Request disclosure" in page and "Is it the same?" in page


def test_an_owner_judges_a_hit_with_a_note(client: Client, world: World) -> None:
    client.force_login(world.cast.analyst_au)
    url = reverse("matching:hit_judge", args=[_hit(SelectorKind.PERSON).pk])
    response = client.post(url, {"verdict": Verdict.CONFIRMED, "note": "Same man, visa file"})
    assert (
        response.status_code == 302 and response["Location"] == _hit(SelectorKind.PERSON).get_absolute_url()
    )
    judgement = Judgement.objects.get()
    assert judgement.agency == world.cast.analyst_au.agency and judgement.verdict == Verdict.CONFIRMED
    page = _page(client, _hit(SelectorKind.PERSON).get_absolute_url())
    assert "Same man, visa file" in page and "Change the verdict" in page


def test_a_judgement_without_a_verdict_is_refused_next_to_its_field(client: Client, world: World) -> None:
    client.force_login(world.cast.analyst_au)
    response = client.post(
        reverse("matching:hit_judge", args=[_hit(SelectorKind.PERSON).pk]), {"verdict": "maybe"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="field field--choices exchange-codes field--error"' in page
    assert "Select a valid choice" in page
    assert not Judgement.objects.exists()


def test_an_owner_asks_for_disclosure_from_the_hit(client: Client, world: World) -> None:
    cast = world.cast
    client.force_login(cast.investigator_id)
    url = reverse("matching:hit_request", args=[_hit(SelectorKind.PASSPORT).pk])
    response = client.post(url, {"purpose": "The passport is on a boat manifest.", "plan": cast.plan.pk})
    request = DisclosureRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert request.owner_agency == cast.analyst_au.agency and request.plan == cast.plan
    page = _page(client, _hit(SelectorKind.PASSPORT).get_absolute_url())
    assert request.reference in page and "Follow it" in page
    # A second request while the first is open is refused, on the form.
    again = client.post(url, {"purpose": "Again"})
    assert again.status_code == 400 and "already has a request open" in again.content.decode()
    assert DisclosureRequest.objects.count() == 1


def test_a_request_without_a_purpose_or_with_a_foreign_plan_is_refused(client: Client, world: World) -> None:
    client.force_login(world.cast.investigator_id)
    url = reverse("matching:hit_request", args=[_hit(SelectorKind.PASSPORT).pk])
    response = client.post(url, {"purpose": "  "})
    assert response.status_code == 400
    assert 'id="id_purpose_error"' in response.content.decode()
    response = client.post(url, {"purpose": "Why", "plan": "999999"})
    assert response.status_code == 400 and 'id="id_plan_error"' in response.content.decode()
    assert not DisclosureRequest.objects.exists()


def test_bad_ids_and_methods_never_end_in_a_server_error(client: Client, world: World) -> None:
    client.force_login(world.cast.investigator_id)
    assert client.get("/matching/hits/999999/").status_code == 404
    assert client.get("/matching/hits/abc/").status_code == 404
    assert client.get(reverse("matching:hit_judge", args=[_hit(SelectorKind.PASSPORT).pk])).status_code == 405
    assert (
        client.post(reverse("matching:hit_judge", args=[_hit(SelectorKind.PASSPORT).pk]), {}).status_code
        == 400
    )
    assert (
        client.post(
            reverse("matching:hit_request", args=[_hit(SelectorKind.PASSPORT).pk]), {"plan": "\x00"}
        ).status_code
        == 400
    )


def test_the_entity_page_lists_its_hits_for_the_owner_only(client: Client, world: World) -> None:
    cast = world.cast
    rahmat = world.entity("inp-rahmat")
    client.force_login(cast.investigator_id)
    page = _page(client, rahmat.get_absolute_url())
    assert 'id="entity-hits-heading"' in page and _hit(SelectorKind.PASSPORT).get_absolute_url() in page
    # A reader of a shared collection learns nothing of who else holds what.
    intel_actions.do_set_sharing(
        cast.investigator_id,
        world.inp,
        handling_code="amber",
        agencies=[cast.investigator_au_abf.agency],
    )
    client.force_login(cast.investigator_au_abf)
    page = _page(client, rahmat.get_absolute_url())
    assert 'id="entity-hits-heading"' not in page and "Australian Federal Police" not in page


def _more_hits(cast: Cast, count: int) -> None:
    """`count` more passport hits between the two collections."""
    from disrupt.intel.models import Collection

    inp = Collection.objects.get(name="Kupang departures")
    afp = Collection.objects.get(name="Darwin arrivals")
    for n in range(count):
        number = f"P{n:07d}"
        intel_actions.do_add_entity(
            cast.investigator_id,
            inp,
            "Person",
            {"name": [f"Crew member {n}"], "passportNumber": [number]},
            ftm_id=f"id-crew-{n}",
        )
        intel_actions.do_add_entity(
            cast.analyst_au,
            afp,
            "Person",
            {"name": [f"Passenger {n}"], "passportNumber": [number]},
            ftm_id=f"au-pax-{n}",
        )
    run_queued_jobs()


def test_the_list_costs_the_same_queries_however_many_hits(client: Client, world: World) -> None:
    cast = world.cast
    actions.do_judge_hit(cast.investigator_id, _hit(SelectorKind.PASSPORT), Verdict.CONFIRMED)
    actions.do_request_disclosure(cast.investigator_id, _hit(SelectorKind.PHONE), "Crew")
    client.force_login(cast.investigator_id)
    _page(client, HITS)  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert _page(client, HITS).count("matching-new") >= 2
    _more_hits(cast, 12)
    for hit in Hit.objects.filter(kind=SelectorKind.PASSPORT).order_by("pk")[1:5]:
        actions.do_judge_hit(cast.investigator_id, hit, Verdict.REJECTED)
        actions.do_request_disclosure(cast.investigator_id, hit, "More crew")
    with CaptureQueriesContext(connection) as more:
        page = _page(client, HITS)
    assert "Crew member" in page
    assert len(more) == len(few), [q["sql"] for q in more.captured_queries]
