"""hits/ and hits/{id}/judgement/: each side of a hit sees its own record and who holds the other,
nobody else knows the hit exists, and bad input is a 400 naming the field.

The world (tests/scenario.py): INP and AFP share a passport number, a phone number and a person,
each typed differently; RTP shares nothing. A real matching run makes the hits.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from disrupt.intel import actions as intel_actions
from disrupt.matching.models import Judgement
from disrupt.matching.tests.scenario import (
    AFP_ENTITIES,
    INP_ENTITIES,
    SECRETS,
    World,
    run_queued_jobs,
)
from disrupt.matching.tests.test_api_schema import API, get, hits_between, post, signed_in

pytestmark = pytest.mark.django_db

INP_CAPTIONS = {"Budi Santoso", "Rahmat Kurniawan", "Siti Lestari"}
AFP_CAPTIONS = {"Boedi Santosa", "Marcus Whitfield", "Kieran Doyle"}


def labels(response: Any) -> set[str]:
    return {row["mine"]["label"] for row in response.json()["results"]}


# member -> the labels of their own side's records in their hit list
SEEN = {
    "investigator_id": INP_CAPTIONS,
    "focal_id": INP_CAPTIONS,
    "analyst_au": AFP_CAPTIONS,
    "focal_au": AFP_CAPTIONS,
    "investigator_au_abf": set(),  # AFP's country, another agency
    "investigator_th": set(),  # another country's officer, holding records of their own
    "observer": set(),
    "secretariat": set(),  # runs matching, sees no hit
    "co_chair": set(),
}


def test_the_hit_list_holds_each_sides_own_records_and_is_empty_for_everyone_else(
    client: Client, world: World
) -> None:
    for member, seen in SEEN.items():
        response = get(signed_in(client, getattr(world.cast, member)), f"{API}/hits/")
        assert response.status_code == 200
        assert (member, labels(response), response.json()["count"]) == (member, seen, len(seen))


def test_a_hit_shows_my_record_and_only_who_holds_the_other(client: Client, world: World) -> None:
    hit = hits_between(world, "inp-rahmat")
    body = get(signed_in(client, world.cast.investigator_id), f"{API}/hits/{hit.pk}/").json()
    rahmat = world.entity("inp-rahmat")
    assert (body["kind"], body["score"], body["current"], body["is_new"]) == ("passport", 1.0, True, True)
    assert body["mine"] == {
        "subject": rahmat.match_subject.pk,
        "schema": "Person",
        "label": "Rahmat Kurniawan",
        "entity": rahmat.pk,
        "collection": world.inp.pk,
        "upload": None,
        "record_name": "Kupang departures",
        "handling_code": "amber",
    }
    assert body["theirs"] == {
        "agency": "Australian Federal Police",
        "country": "AU",
        "country_name": "Australia",
        "handling_code": "amber",
        "schema": "Person",
        "uploaded": False,
    }
    assert (body["my_verdict"], body["their_verdict"], body["disclosure"], body["request"]) == (
        "",
        "",
        "",
        None,
    )
    # The other side sees the same hit from its own side.
    theirs = get(signed_in(client, world.cast.analyst_au), f"{API}/hits/{hit.pk}/").json()
    assert (theirs["mine"]["label"], theirs["theirs"]["country"]) == ("Marcus Whitfield", "ID")


def values_of(entities: list[dict[str, Any]]) -> set[str]:
    """Every FtM id and property value of a side (long enough not to occur by chance)."""
    found = {e["id"] for e in entities}
    found |= {value for e in entities for values in e["properties"].values() for value in values}
    return {value for value in found if len(value) > 4}


def test_no_answer_about_a_hit_carries_the_other_sides_ids_or_values(client: Client, world: World) -> None:
    sides = [
        (world.cast.investigator_id, INP_ENTITIES, AFP_ENTITIES),
        (world.cast.analyst_au, AFP_ENTITIES, INP_ENTITIES),
    ]
    for user, ours, theirs in sides:
        api = signed_in(client, user)
        listed = get(api, f"{API}/hits/")
        texts = [listed.content.decode()]
        texts += [get(api, f"{API}/hits/{row['id']}/").content.decode() for row in listed.json()["results"]]
        foreign = values_of(theirs) - values_of(ours)
        assert foreign >= {v for v in SECRETS if v in values_of(theirs)}
        leaked = [value for value in foreign for text in texts if value in text]
        assert not leaked, leaked


OUTSIDERS = ["investigator_au_abf", "investigator_th", "observer", "secretariat", "co_chair"]


def test_a_hit_does_not_exist_for_anyone_but_its_two_sides(client: Client, world: World) -> None:
    hit = hits_between(world, "inp-siti")
    for member in OUTSIDERS:
        api = signed_in(client, getattr(world.cast, member))
        assert get(api, f"{API}/hits/{hit.pk}/").status_code == 404, member
        # Judging it is refused exactly like judging a hit that does not exist.
        unseen = post(api, f"{API}/hits/{hit.pk}/judgement/", {"verdict": "rejected"})
        unknown = post(api, f"{API}/hits/999999/judgement/", {"verdict": "rejected"})
        assert unseen.status_code == unknown.status_code == 404, member
        assert unseen.json() == unknown.json()
    assert not Judgement.objects.exists()


def test_each_side_judges_for_itself_and_sees_the_others_verdict(client: Client, world: World) -> None:
    hit = hits_between(world, "inp-budi")
    url = f"{API}/hits/{hit.pk}/judgement/"
    mine = post(
        signed_in(client, world.cast.investigator_id), url, {"verdict": "confirmed", "note": "Same DOB"}
    )
    assert mine.status_code == 200, mine.content
    assert (mine.json()["my_verdict"], mine.json()["their_verdict"], mine.json()["is_new"]) == (
        "confirmed",
        "",
        False,
    )
    theirs = post(signed_in(client, world.cast.analyst_au), url, {"verdict": "rejected"})
    assert (theirs.json()["my_verdict"], theirs.json()["their_verdict"]) == ("rejected", "confirmed")
    # A second judgement replaces the side's first.
    again = post(signed_in(client, world.cast.focal_id), url, {"verdict": "rejected"})
    assert again.json()["my_verdict"] == "rejected"
    assert Judgement.objects.filter(hit=hit).count() == 2


BAD_JUDGEMENTS: list[tuple[dict[str, Any], str]] = [
    ({"verdict": "maybe"}, "verdict"),
    ({}, "verdict"),
    ({"verdict": 7}, "verdict"),
    ({"verdict": ["confirmed"]}, "verdict"),
    ({"verdict": None}, "verdict"),
    ({"verdict": "confirmed", "note": "x\x00y"}, "note"),
    ({"verdict": "confirmed", "note": ["a list"]}, "note"),
    ({"verdict": "confirmed", "note": "n" * 501}, "note"),
]


def test_a_bad_judgement_is_a_400_naming_the_field(client: Client, world: World) -> None:
    hit = hits_between(world, "inp-budi")
    api = signed_in(client, world.cast.investigator_id)
    for body, field in BAD_JUDGEMENTS:
        response = post(api, f"{API}/hits/{hit.pk}/judgement/", body)
        assert response.status_code == 400, body
        assert field in response.json(), body
    assert not Judgement.objects.exists()


def test_a_judgement_that_is_not_json_is_a_400(client: Client, world: World) -> None:
    hit = hits_between(world, "inp-budi")
    api = signed_in(client, world.cast.investigator_id)
    response = api.post(f"{API}/hits/{hit.pk}/judgement/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_a_garbage_hit_id_is_a_404(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.investigator_id)
    for bad in ["abc", "1.5", "-1", "9" * 20, "%00", "1%00"]:
        assert api.get(f"{API}/hits/{bad}/").status_code == 404, bad
        assert api.post(f"{API}/hits/{bad}/judgement/", {"verdict": "confirmed"}).status_code == 404, bad


FILTERED: list[tuple[dict[str, str], set[str]]] = [
    ({"kind": "passport"}, {"Rahmat Kurniawan"}),
    ({"kind": "phone"}, {"Siti Lestari"}),
    ({"kind": "person"}, {"Budi Santoso"}),
    ({"kind": "email"}, set()),
    ({"min_score": "1"}, {"Rahmat Kurniawan", "Siti Lestari"}),
    ({"min_score": "0"}, INP_CAPTIONS),
    ({"current": "true"}, INP_CAPTIONS),
    ({"current": "false"}, set()),
    ({"verdict": "none"}, INP_CAPTIONS),
    ({"verdict": "confirmed"}, set()),
    ({"disclosure": "pending"}, set()),
]


def test_hits_are_filtered_as_on_the_page(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.investigator_id)
    for query, seen in FILTERED:
        response = get(api, f"{API}/hits/", **query)
        assert response.status_code == 200, query
        assert labels(response) == seen, query


def test_the_verdict_and_plan_filters_follow_the_sides_own_records(client: Client, world: World) -> None:
    hit = hits_between(world, "inp-siti")
    api = signed_in(client, world.cast.investigator_id)
    post(api, f"{API}/hits/{hit.pk}/judgement/", {"verdict": "confirmed"})
    assert labels(get(api, f"{API}/hits/", verdict="confirmed")) == {"Siti Lestari"}
    assert labels(get(api, f"{API}/hits/", verdict="none")) == {"Budi Santoso", "Rahmat Kurniawan"}
    # AFP has judged nothing: INP's verdict is not theirs.
    assert labels(get(signed_in(client, world.cast.analyst_au), f"{API}/hits/", verdict="confirmed")) == set()
    world.inp.plans.set([world.cast.plan_amber])
    api = signed_in(client, world.cast.investigator_id)
    assert labels(get(api, f"{API}/hits/", plan="JPA7-02")) == INP_CAPTIONS
    assert labels(get(api, f"{API}/hits/", plan="JPA7-01")) == set()
    # The plan is INP's side's: AFP's records do not belong to it.
    assert labels(get(signed_in(client, world.cast.analyst_au), f"{API}/hits/", plan="JPA7-02")) == set()


def test_an_unseen_plan_filter_is_refused_like_an_unknown_one(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.investigator_th)
    unseen = get(api, f"{API}/hits/", plan="JPA7-02")
    unknown = get(api, f"{API}/hits/", plan="JPA9-99")
    assert unseen.status_code == unknown.status_code == 400
    assert unseen.json()["plan"][0].replace("JPA7-02", "X") == unknown.json()["plan"][0].replace(
        "JPA9-99", "X"
    )


BAD_FILTERS: list[tuple[dict[str, str], str]] = [
    ({"kind": "dragon"}, "kind"),
    ({"min_score": "high"}, "min_score"),
    ({"min_score": "1e999"}, "min_score"),
    ({"verdict": "maybe"}, "verdict"),
    ({"disclosure": "lost"}, "disclosure"),
    ({"kind": "pass\x00port"}, "kind"),
    ({"plan": "JPA\x007-02"}, "plan"),
]


def test_a_bad_filter_is_a_400_naming_it(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.investigator_id)
    for query, field in BAD_FILTERS:
        response = get(api, f"{API}/hits/", **query)
        assert response.status_code == 400, query
        assert field in response.json(), query
    # As everywhere in the API, an unreadable page size or yes/no is ignored, not refused.
    for query in ({"limit": "many"}, {"current": "perhaps"}):
        assert get(api, f"{API}/hits/", **query).status_code == 200, query


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_hit_list_costs_the_same_for_three_hits_as_for_a_dozen(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.investigator_id)
    before = get(api, f"{API}/hits/").json()["count"]
    few = _queries(api, f"{API}/hits/")
    for i in range(9):  # nine more phone numbers both hold, typed differently
        intel_actions.do_add_entity(
            world.cast.investigator_id,
            world.inp,
            "Person",
            {"name": [f"Ina Putri {i}"], "phone": [f"0812 3456 70{i:02d}"], "nationality": ["id"]},
        )
        intel_actions.do_add_entity(
            world.cast.analyst_au,
            world.afp,
            "Person",
            {"name": [f"Liam Carter {i}"], "phone": [f"+62 812-3456-70{i:02d}"]},
        )
    run_queued_jobs()
    hit = hits_between(world, "inp-budi")
    post(api, f"{API}/hits/{hit.pk}/judgement/", {"verdict": "confirmed"})
    assert get(api, f"{API}/hits/").json()["count"] == before + 9
    assert _queries(api, f"{API}/hits/") == few
