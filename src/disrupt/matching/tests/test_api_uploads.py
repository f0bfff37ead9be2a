"""selector-uploads/: a member uploads the encodings it made on its own machine; the hub checks and
matches them as it matches the collections it holds, shows the upload by its counts and status
(never a digest), and only its owner withdraws it.

The Thai police encode two people on their own machine (`selectorfile.write_selector_file`, what
`disrupt selectors encode` runs): one shares Siti Lestari's phone number with INP's collection.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.intel.tests.test_api_schema import conforms
from disrupt.matching.keys import current_keys
from disrupt.matching.models import DisclosureRequest, MatchingJob, SelectorUpload
from disrupt.matching.tests.scenario import World, run_queued_jobs
from disrupt.matching.tests.test_api_schema import API, get, post, signed_in

pytestmark = pytest.mark.django_db

UPLOADS = f"{API}/selector-uploads/"
THAI_PEOPLE = [
    {
        "id": "rtp-local-1",
        "schema": "Person",
        "properties": {"name": ["Anong Chaiyaporn"], "phone": ["+62 812 3456 7890"]},
    },
    {
        "id": "rtp-local-2",
        "schema": "Person",
        "properties": {"name": ["Kittisak Boonmee"], "birthDate": ["1990-06-06"]},
    },
]
RAW = [
    "Anong Chaiyaporn",
    "Kittisak Boonmee",
    "rtp-local-1",
    "rtp-local-2",
    "+62 812 3456 7890",
    "1990-06-06",
]


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings: Any, tmp_path: Path) -> None:
    """Uploaded files are kept on disk, which no test's transaction rolls back."""
    settings.DATA_DIR = tmp_path


def encoded(entities: list[dict[str, Any]] = THAI_PEOPLE) -> bytes:
    """What the member's own machine writes, under the members' shared key."""
    from disrupt.matching.selectorfile import write_selector_file

    out = io.StringIO()
    write_selector_file(entities, current_keys()[0], out, default_country="TH")
    return out.getvalue().encode()


# What the hub stores before the worker reads it: enough for the tests of the route itself.
UNREAD = b'{"format": "disrupt-selectors", "records": []}'


def upload(client: Client, body: bytes = UNREAD, **fields: Any) -> Any:
    data = {"name": "Phuket recruiters", "handling_code": "amber", **fields}
    data["file"] = io.BytesIO(body)
    data["file"].name = "selectors.json"
    return conforms(client.post(UPLOADS, data))


def test_an_officer_uploads_encodings_and_the_hub_matches_them(client: Client, world: World) -> None:
    thai = signed_in(client, world.cast.investigator_th)
    body_bytes = encoded()
    response = upload(thai, body_bytes, plans=["JPA7-01"])
    assert response.status_code == 202, response.content
    body = response.json()
    upload_body, job = body["upload"], body["job"]
    assert (upload_body["status"], upload_body["size"], upload_body["plans"], upload_body["country"]) == (
        "queued",
        len(body_bytes),
        ["JPA7-01"],
        "TH",
    )
    assert (job["kind"], job["status"], job["upload"]) == ("upload", "queued", upload_body["id"])
    run_queued_jobs()
    done = get(thai, f"{UPLOADS}{upload_body['id']}/").json()
    assert (done["status"], done["record_count"], done["person_count"], done["message"]) == ("done", 2, 2, "")
    assert done["key_id"] == current_keys()[0].key_id
    assert done["selector_count"] >= 1
    finished = get(thai, f"{API}/matching-jobs/{job['id']}/").json()
    assert (finished["status"], finished["percent"]) == ("done", 100)
    # INP sees the hit on Siti's phone, held by the Thai police as selectors only.
    [hit] = [
        row
        for row in get(signed_in(client, world.cast.investigator_id), f"{API}/hits/").json()["results"]
        if row["theirs"]["uploaded"]
    ]
    assert (hit["mine"]["label"], hit["kind"], hit["theirs"]["agency"], hit["theirs"]["country"]) == (
        "Siti Lestari",
        "phone",
        "Royal Thai Police",
        "TH",
    )
    mine = get(signed_in(client, world.cast.investigator_th), f"{API}/hits/{hit['id']}/").json()["mine"]
    assert (mine["upload"], mine["entity"], mine["record_name"]) == (
        upload_body["id"],
        None,
        "Phuket recruiters",
    )
    assert AuditEntry.objects.filter(action=AuditAction.SELECTORS_UPLOADED).count() == 1


def test_an_upload_answer_carries_no_digest_and_no_raw_value(client: Client, world: World) -> None:
    thai = signed_in(client, world.cast.investigator_th)
    made = upload(thai, encoded()).json()
    run_queued_jobs()
    digests = {s["digest"] for r in json.loads(encoded())["records"] for s in r["selectors"]}
    texts = [
        get(thai, UPLOADS).content.decode(),
        get(thai, f"{UPLOADS}{made['upload']['id']}/").content.decode(),
    ]
    texts.append(get(signed_in(client, world.cast.investigator_id), f"{API}/hits/").content.decode())
    for text in texts:
        assert not [d for d in digests if d in text or d[:16] in text]
        assert not [value for value in RAW if value in text]


def test_the_uploaded_side_discloses_the_entity_it_chooses(client: Client, world: World) -> None:
    made = upload(signed_in(client, world.cast.investigator_th), encoded()).json()
    run_queued_jobs()
    inp = signed_in(client, world.cast.investigator_id)
    [hit] = [row for row in get(inp, f"{API}/hits/").json()["results"] if row["theirs"]["uploaded"]]
    asked = post(inp, f"{API}/disclosure-requests/", {"hit": hit["id"], "purpose": "Who calls Siti?"}).json()
    decide = f"{API}/disclosure-requests/{asked['id']}/decide/"
    thai = signed_in(client, world.cast.investigator_th)
    missing = post(thai, decide, {"grant": "all"})
    assert missing.status_code == 400 and "entity" in missing.json()  # the hub holds no content
    bad = post(
        thai, decide, {"grant": "all", "entity": {"schema": "Person", "properties": {"wingspan": ["3"]}}}
    )
    assert bad.status_code == 400 and "entity" in bad.json()
    entity = {"schema": "Person", "properties": {"name": ["Anong Chaiyaporn"], "nationality": ["th"]}}
    granted = post(thai, decide, {"grant": "some", "properties": ["name"], "entity": entity})
    assert granted.status_code == 200, granted.content
    copy = get(
        signed_in(client, world.cast.investigator_id), f"{API}/disclosures/{granted.json()['disclosure']}/"
    )
    assert copy.json()["properties"] == {"name": ["Anong Chaiyaporn"]}
    assert copy.json()["provenance"]["source_upload"] == made["upload"]["id"]
    assert DisclosureRequest.objects.get().status == "partial"


def test_a_file_the_hub_cannot_read_is_refused_with_the_reason(client: Client, world: World) -> None:
    thai = signed_in(client, world.cast.investigator_th)
    made = upload(thai, b'{"format": "disrupt-selectors", "version": 99, "records": []}')
    assert made.status_code == 202
    run_queued_jobs()
    body = get(thai, f"{UPLOADS}{made.json()['upload']['id']}/").json()
    assert body["status"] == "invalid" and body["message"]
    assert body["record_count"] == 0
    assert MatchingJob.objects.get(pk=made.json()["job"]["id"]).status == "invalid"


def test_only_officers_upload(client: Client, world: World) -> None:
    for member in ("observer", "secretariat", "co_chair"):
        assert upload(signed_in(client, getattr(world.cast, member))).status_code == 403, member
    assert not SelectorUpload.objects.exists()


BAD_UPLOADS: list[tuple[dict[str, Any], str]] = [
    ({"handling_code": "purple"}, "handling_code"),
    ({"name": ""}, "name"),
    ({"name": "a\x00b"}, "name"),
    ({"plans": ["JPA7-02"]}, "plans"),  # Thailand does not see this plan: as if unknown
    ({"plans": ["JPA9-99"]}, "plans"),
    ({"plans": ["JPA\x007-01"]}, "plans"),
    ({"shared_agencies": ["abc"]}, "shared_agencies"),
    ({"shared_agencies": ["999999"]}, "shared_agencies"),
    ({"shared_countries": ["XX"]}, "shared_countries"),
]


def test_a_bad_upload_is_a_400_naming_the_field(client: Client, world: World) -> None:
    thai = signed_in(client, world.cast.investigator_th)
    for fields, field in BAD_UPLOADS:
        response = upload(thai, **fields)
        assert response.status_code == 400, (fields, response.content)
        assert field in response.json(), fields
    assert not SelectorUpload.objects.exists()


def test_an_upload_needs_a_nonempty_file(client: Client, world: World) -> None:
    thai = signed_in(client, world.cast.investigator_th)
    assert "file" in upload(thai, b"").json()
    missing = conforms(thai.post(UPLOADS, {"name": "No file"}))
    assert missing.status_code == 400 and "file" in missing.json()
    as_json = conforms(thai.post(UPLOADS, {"name": "x"}, content_type="application/json"))
    assert as_json.status_code in {400, 415}
    assert not SelectorUpload.objects.exists()


def test_a_sharing_the_code_refuses_is_a_400(client: Client, world: World) -> None:
    response = upload(
        signed_in(client, world.cast.investigator_th), handling_code="red", shared_countries=["ID"]
    )
    assert response.status_code == 400
    assert not SelectorUpload.objects.exists()


def test_an_upload_is_read_by_its_sharers_withdrawn_by_its_owner_and_unknown_to_the_rest(
    client: Client, world: World
) -> None:
    inp = world.inp.owner_agency
    made = upload(signed_in(client, world.cast.investigator_th), shared_agencies=[str(inp.pk)]).json()
    url = f"{UPLOADS}{made['upload']['id']}/"
    assert made["upload"]["shared_agencies"] == [inp.pk]
    reader = signed_in(client, world.cast.investigator_id)
    assert get(reader, url).status_code == 200
    assert conforms(reader.delete(url)).status_code == 403  # reads it, does not own it
    for outsider in (world.cast.analyst_au, world.cast.observer, world.cast.secretariat):
        api = signed_in(client, outsider)
        assert get(api, url).status_code == 404
        assert get(api, UPLOADS).json()["count"] == 0
        assert conforms(api.delete(url)).status_code == 404
    assert conforms(signed_in(client, world.cast.investigator_th).delete(url)).status_code == 204
    assert not SelectorUpload.objects.exists()
    assert get(signed_in(client, world.cast.investigator_th), url).status_code == 404


def test_a_garbage_upload_id_is_a_404(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.investigator_th)
    for bad in ["abc", "1e3", "9" * 20, "1%00"]:
        assert api.get(f"{UPLOADS}{bad}/").status_code == 404, bad
        assert api.delete(f"{UPLOADS}{bad}/").status_code == 404, bad


def test_uploads_are_filtered_by_status(client: Client, world: World) -> None:
    thai = signed_in(client, world.cast.investigator_th)
    upload(thai)
    assert get(thai, UPLOADS, status="queued").json()["count"] == 1
    assert get(thai, UPLOADS, status="done").json()["count"] == 0
    assert get(thai, UPLOADS, status="lost").status_code == 400
