"""disclosure-requests/ and disclosures/: from a hit a request to the other side's owner; the owner
grants all, grants chosen properties or refuses with a reason; the requester reads exactly what
was granted. The two sides only; everyone else gets a 404; bad input is a 400 naming the field.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.matching.models import Disclosure, DisclosureRequest
from disrupt.matching.tests.scenario import World
from disrupt.matching.tests.test_api_schema import API, get, hits_between, post, signed_in

pytestmark = pytest.mark.django_db

REQUESTS = f"{API}/disclosure-requests/"


def ask(client: Client, world: World, ftm_id: str = "inp-budi", **data: Any) -> Any:
    """INP's investigator asks AFP for the other side of the hit on `ftm_id`."""
    hit = hits_between(world, ftm_id)
    body = {"hit": hit.pk, "purpose": "Same man on the Kupang manifest", **data}
    return post(signed_in(client, world.cast.investigator_id), REQUESTS, body)


def decide(client: Client, user: Any, pk: int, **data: Any) -> Any:
    return post(signed_in(client, user), f"{REQUESTS}{pk}/decide/", data)


# --- Asking ------------------------------------------------------------------------------------------


def test_one_side_asks_and_the_owner_sees_the_request(client: Client, world: World) -> None:
    response = ask(client, world, plan="JPA7-02")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("DSC-") and body["status"] == "pending"
    assert (body["plan"], body["requested_by"], body["overdue"], body["disclosure"]) == (
        "JPA7-02",
        "Iwan Investigator",
        False,
        None,
    )
    assert (body["requesting_agency"]["short_name"], body["owner_agency"]["short_name"]) == ("INP", "AFP")
    assert body["owner_agency"]["country"] == "AU"
    owner = signed_in(client, world.cast.analyst_au)
    assert [r["id"] for r in get(owner, REQUESTS, direction="incoming").json()["results"]] == [body["id"]]
    assert get(owner, REQUESTS, direction="outgoing").json()["count"] == 0
    assert get(owner, f"{REQUESTS}{body['id']}/").json()["purpose"] == "Same man on the Kupang manifest"
    hit = get(owner, f"{API}/hits/{body['hit']}/").json()
    assert (hit["incoming"], hit["incoming_status"], hit["request"]) == (body["id"], "pending", None)
    mine = get(signed_in(client, world.cast.investigator_id), f"{API}/hits/{body['hit']}/").json()
    assert (mine["disclosure"], mine["request"], mine["incoming"]) == ("pending", body["id"], None)
    assert AuditEntry.objects.filter(action=AuditAction.DISCLOSURE_REQUESTED).count() == 1


OUTSIDERS = ["investigator_au_abf", "investigator_th", "observer", "secretariat", "co_chair"]


def test_a_request_does_not_exist_for_anyone_but_the_two_sides(client: Client, world: World) -> None:
    made = ask(client, world).json()
    for member in OUTSIDERS:
        api = signed_in(client, getattr(world.cast, member))
        assert get(api, REQUESTS).json()["count"] == 0, member
        assert get(api, f"{REQUESTS}{made['id']}/").status_code == 404, member
        for path in ("decide/", "withdraw/"):
            answer = post(api, f"{REQUESTS}{made['id']}/{path}", {"grant": "all"})
            assert answer.status_code == 404, (member, path, answer.content)
    assert DisclosureRequest.objects.get().status == "pending"


def test_an_unseen_hit_is_refused_like_an_unknown_one(client: Client, world: World) -> None:
    hit = hits_between(world, "inp-budi")
    thai = signed_in(client, world.cast.investigator_th)
    unseen = post(thai, REQUESTS, {"hit": hit.pk, "purpose": "Curious"})
    unknown = post(thai, REQUESTS, {"hit": 999999, "purpose": "Curious"})
    assert unseen.status_code == unknown.status_code == 400
    assert unseen.json()["hit"][0].replace(str(hit.pk), "X") == unknown.json()["hit"][0].replace(
        "999999", "X"
    )
    assert not DisclosureRequest.objects.exists()


def test_only_officers_ask(client: Client, world: World) -> None:
    hit = hits_between(world, "inp-budi")
    for who in (world.cast.observer, world.cast.secretariat, world.cast.co_chair):
        assert post(signed_in(client, who), REQUESTS, {"hit": hit.pk, "purpose": "x"}).status_code == 403
    assert not DisclosureRequest.objects.exists()


BAD_REQUESTS: list[tuple[dict[str, Any], str]] = [
    ({"purpose": ""}, "purpose"),
    ({"purpose": "   "}, "purpose"),
    ({"purpose": "a\x00b"}, "purpose"),
    ({"purpose": {"a": 1}}, "purpose"),
    ({"purpose": None}, "purpose"),
    ({"hit": "abc"}, "hit"),
    ({"hit": None}, "hit"),
    ({"hit": [1]}, "hit"),
    ({"hit": True}, "hit"),
    ({"hit": "1\x00"}, "hit"),
    ({"plan": "JPA9-99"}, "plan"),
    ({"plan": "JPA\x007-02"}, "plan"),
    ({"plan": 5.5}, "plan"),
    ({"plan": ["JPA7-02"]}, "plan"),
]


def test_a_bad_request_is_a_400_naming_the_field(client: Client, world: World) -> None:
    for data, field in BAD_REQUESTS:
        response = ask(client, world, **data)
        assert response.status_code == 400, (data, response.content)
        assert field in response.json(), data
    assert not DisclosureRequest.objects.exists()
    assert ask(client, world, purpose=12).status_code == 201  # a number is read as text


def test_an_unseen_plan_is_refused_like_an_unknown_one(client: Client, world: World) -> None:
    world.cast.plan_amber.partner_countries.clear()  # Australia no longer sees JPA7-02
    hit = hits_between(world, "inp-budi")
    afp = signed_in(client, world.cast.analyst_au)
    unseen = post(afp, REQUESTS, {"hit": hit.pk, "purpose": "x", "plan": "JPA7-02"})
    unknown = post(afp, REQUESTS, {"hit": hit.pk, "purpose": "x", "plan": "JPA9-99"})
    assert unseen.status_code == unknown.status_code == 400
    assert unseen.json()["plan"][0].replace("JPA7-02", "X") == unknown.json()["plan"][0].replace(
        "JPA9-99", "X"
    )


def test_one_open_request_per_side_and_hit(client: Client, world: World) -> None:
    assert ask(client, world).status_code == 201
    again = ask(client, world)
    assert again.status_code == 400 and "hit" in again.json()


# --- Deciding ----------------------------------------------------------------------------------------


def test_the_owner_grants_two_properties_and_the_requester_reads_exactly_those(
    client: Client, world: World
) -> None:
    made = ask(client, world).json()
    decided = decide(
        client, world.cast.analyst_au, made["id"], grant="some", properties=["name", "birthDate"]
    )
    assert decided.status_code == 200, decided.content
    body = decided.json()
    assert (body["status"], body["granted_properties"], body["decided_by"]) == (
        "partial",
        ["name", "birthDate"],
        "Ari Analyst",
    )
    requester = signed_in(client, world.cast.investigator_id)
    copy = get(requester, f"{API}/disclosures/{body['disclosure']}/").json()
    assert copy["properties"] == {"name": ["Boedi Santosa"], "birthDate": ["1984"]}
    assert (copy["schema"], copy["caption"], copy["handling_code"], copy["reference"]) == (
        "Person",
        "Boedi Santosa",
        "amber",
        made["reference"],
    )
    boedi = world.entity("afp-boedi")
    provenance = copy["provenance"]
    assert provenance | {"disclosed_at": None} == {
        "owner_agency": {
            "id": world.afp.owner_agency_id,
            "name": "Australian Federal Police",
            "short_name": "AFP",
            "country": "AU",
        },
        "source_ref": "afp-boedi",
        "source_version": boedi.version,
        "source_collection": world.afp.pk,
        "source_upload": None,
        "request": made["id"],
        "reference": made["reference"],
        "decided_by": "Ari Analyst",
        "disclosed_at": None,
    }
    assert [row["id"] for row in get(requester, f"{API}/disclosures/").json()["results"]] == [
        body["disclosure"]
    ]
    # An AMBER read is on the trail; the list is not a read of one record.
    reads = AuditEntry.objects.filter(action=AuditAction.READ, target_id=str(body["disclosure"]))
    assert [(e.actor, e.detail) for e in reads] == [(world.cast.investigator_id, {"code": "amber"})]


def test_a_disclosed_copy_is_unknown_to_everyone_but_the_two_agencies(client: Client, world: World) -> None:
    made = ask(client, world).json()
    copy_id = decide(client, world.cast.analyst_au, made["id"], grant="all").json()["disclosure"]
    url = f"{API}/disclosures/{copy_id}/"
    for reader in (world.cast.focal_id, world.cast.analyst_au):
        assert get(signed_in(client, reader), url).status_code == 200
    for outsider in (world.cast.investigator_au_abf, world.cast.investigator_th, world.cast.observer):
        api = signed_in(client, outsider)
        assert get(api, url).status_code == 404
        assert get(api, f"{API}/disclosures/").json()["count"] == 0
    assert not AuditEntry.objects.filter(
        action=AuditAction.READ, target_id=str(copy_id), actor__in=[world.cast.investigator_th]
    ).exists()


def test_grant_all_discloses_every_property_of_the_entity(client: Client, world: World) -> None:
    made = ask(client, world, ftm_id="inp-siti").json()
    body = decide(client, world.cast.focal_au, made["id"], grant="all").json()
    assert body["status"] == "granted"
    copy = Disclosure.objects.get(pk=body["disclosure"])
    assert copy.properties == world.entity("afp-caller").properties
    assert sorted(body["granted_properties"]) == sorted(copy.properties)


def test_a_stricter_code_narrows_the_copy_to_the_requester(client: Client, world: World) -> None:
    made = ask(client, world).json()
    body = decide(client, world.cast.analyst_au, made["id"], grant="all", handling_code="red").json()
    url = f"{API}/disclosures/{body['disclosure']}/"
    copy = get(signed_in(client, world.cast.investigator_id), url).json()
    assert copy["handling_code"] == "red"
    assert get(signed_in(client, world.cast.focal_id), url).status_code == 404  # same agency, not named


def test_a_refusal_needs_a_reason_and_discloses_nothing(client: Client, world: World) -> None:
    made = ask(client, world).json()
    bare = decide(client, world.cast.analyst_au, made["id"], grant="none")
    assert bare.status_code == 400 and "reason" in bare.json()
    refused = decide(client, world.cast.analyst_au, made["id"], grant="none", reason="Operation under way")
    assert refused.status_code == 200
    assert (refused.json()["status"], refused.json()["reason"], refused.json()["disclosure"]) == (
        "refused",
        "Operation under way",
        None,
    )
    assert not Disclosure.objects.exists()
    again = decide(client, world.cast.analyst_au, made["id"], grant="all")
    assert again.status_code == 403  # decided already


def test_the_requesting_side_cannot_decide_its_own_request(client: Client, world: World) -> None:
    made = ask(client, world).json()
    for who in (world.cast.investigator_id, world.cast.focal_id):
        assert decide(client, who, made["id"], grant="all").status_code == 403
    assert not Disclosure.objects.exists()


BAD_DECISIONS: list[tuple[dict[str, Any], str]] = [
    ({"grant": "most"}, "grant"),
    ({}, "grant"),
    ({"grant": 1}, "grant"),
    ({"grant": "some", "properties": ["wingspan"]}, "properties"),
    ({"grant": "some", "properties": []}, "properties"),
    ({"grant": "some", "properties": "name"}, "properties"),
    ({"grant": "some", "properties": [{"name": 1}]}, "properties"),
    ({"grant": "some", "properties": ["na\x00me"]}, "properties"),
    ({"grant": "all", "handling_code": "purple"}, "handling_code"),
    ({"grant": "none", "reason": "a\x00b"}, "reason"),
    ({"grant": "all", "entity": "not an object"}, "entity"),
]


def test_a_bad_decision_is_a_400_naming_the_field(client: Client, world: World) -> None:
    made = ask(client, world).json()
    for data, field in BAD_DECISIONS:
        response = decide(client, world.cast.analyst_au, made["id"], **data)
        assert response.status_code == 400, (data, response.content)
        assert field in response.json(), data
    assert DisclosureRequest.objects.get().status == "pending"
    assert not Disclosure.objects.exists()


# --- Withdrawing --------------------------------------------------------------------------------------


def test_the_requester_withdraws_an_open_request_and_nobody_else_does(client: Client, world: World) -> None:
    made = ask(client, world).json()
    url = f"{REQUESTS}{made['id']}/withdraw/"
    for who in (world.cast.analyst_au, world.cast.focal_id):  # the owner; the requester's colleague
        assert post(signed_in(client, who), url, {}).status_code == 403
    withdrawn = post(signed_in(client, world.cast.investigator_id), url, {"reason": "Found it elsewhere"})
    assert withdrawn.status_code == 200
    assert (withdrawn.json()["status"], withdrawn.json()["reason"]) == ("withdrawn", "Found it elsewhere")
    assert post(signed_in(client, world.cast.investigator_id), url, {}).status_code == 403
    assert decide(client, world.cast.analyst_au, made["id"], grant="all").status_code == 403
    bad = post(signed_in(client, world.cast.investigator_id), url, {"reason": ["x"]})
    assert bad.status_code in {400, 403}


def test_a_garbage_request_id_is_a_404(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.analyst_au)
    for bad in ["abc", "0x1", "9" * 20, "1%00"]:
        assert api.get(f"{REQUESTS}{bad}/").status_code == 404, bad
        assert api.post(f"{REQUESTS}{bad}/decide/", {"grant": "all"}).status_code == 404, bad
        assert api.get(f"{API}/disclosures/{bad}/").status_code == 404
