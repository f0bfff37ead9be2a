"""Network intelligence under /api/v1/: every route for the owner, a shared-agency recipient,
another country's officer and an observer; every answer checked against the OpenAPI document.

The world: Indonesia's police (INP) hold an AMBER collection shared with the Australian Federal
Police (AFP) and a GREEN one; Thailand's police (RTP) hold an AMBER collection with a link to an
Indonesian person, which nobody outside RTP may see.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from disrupt.access.choices import HandlingCode
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.directory.models import Agency
from disrupt.intel.choices import JobStatus, VersionCause
from disrupt.intel.models import AnalysisRun, Assessment, Collection, Entity, EntityVersion, ImportJob
from disrupt.intel.tests.test_api_schema import conforms

pytestmark = pytest.mark.django_db

API = "/api/v1"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class World:
    cast: Cast
    amber: Collection  # INP, AMBER, shared with AFP, tied to plan JPA7-02
    green: Collection  # INP, GREEN, tied to JPA7-02 too (which Thailand may not see)
    thai: Collection  # RTP, AMBER, shared with nobody
    budi: Entity  # a person of `amber`
    company: Entity  # a company of `amber`
    directorship: Entity  # budi directs company (amber)
    hidden_link: Entity  # a Thai person associated with budi (thai)


def entity(collection: Collection, ftm_id: str, schema: str, caption: str, **props: list[str]) -> Entity:
    ends = {"Directorship": ("director", "organization"), "Associate": ("person", "associate")}.get(schema)
    source, target = (props[ends[0]][0], props[ends[1]][0]) if ends else ("", "")
    return Entity.objects.create(
        collection=collection,
        ftm_id=ftm_id,
        schema=schema,
        caption=caption,
        properties=props,
        source=source,
        target=target,
        country=(props.get("country") or [""])[0],
    )


def build_world(cast: Cast) -> World:
    inp, afp, rtp = (Agency.objects.get(short_name=name) for name in ("INP", "AFP", "RTP"))
    amber = Collection.objects.create(
        name="Kupang boat crew",
        owner_agency=inp,
        created_by=cast.investigator_id,
        handling_code=HandlingCode.AMBER,
    )
    amber.shared_agencies.set([afp])
    amber.plans.set([cast.plan_amber])
    green = Collection.objects.create(
        name="Open vessel register",
        owner_agency=inp,
        created_by=cast.investigator_id,
        handling_code=HandlingCode.GREEN,
    )
    green.plans.set([cast.plan_amber, cast.plan])
    thai = Collection.objects.create(
        name="Bangkok recruiters",
        owner_agency=rtp,
        created_by=cast.investigator_th,
        handling_code=HandlingCode.AMBER,
    )
    budi = entity(amber, "p-budi", "Person", "Budi Santosa", name=["Budi Santosa"], country=["id"])
    company = entity(amber, "c-laut", "Company", "PT Laut Biru", name=["PT Laut Biru"])
    directorship = entity(
        amber,
        "d-1",
        "Directorship",
        "Director",
        director=["p-budi"],
        organization=["c-laut"],
        role=["Director"],
    )
    entity(green, "v-star", "Vessel", "Kupang Star", name=["Kupang Star"])
    entity(thai, "p-somchai", "Person", "Somchai Recruiter", name=["Somchai Recruiter"])
    hidden = entity(thai, "a-1", "Associate", "Associate", person=["p-somchai"], associate=["p-budi"])
    EntityVersion.objects.create(
        collection=amber,
        entity=budi,
        ftm_id="p-budi",
        number=1,
        schema="Person",
        properties={"name": ["Budi Santoso"]},
        cause=VersionCause.EDIT,
        reason="Spelling from the passport",
        replaced_by=cast.investigator_id,
    )
    return World(cast, amber, green, thai, budi, company, directorship, hidden)


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def get(client: Client, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    conforms(response)
    return response


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    response = client.post(url, data, content_type="application/json")
    conforms(response)
    return response


def names(response: Any) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


def reads_of(target: Any) -> int:
    return AuditEntry.objects.filter(action=AuditAction.READ, target_id=str(target.pk)).count()


# --- Collections ----------------------------------------------------------------------------------

SEEN_COLLECTIONS = {
    "investigator_id": {"Kupang boat crew", "Open vessel register"},  # the owner
    "analyst_au": {"Kupang boat crew", "Open vessel register"},  # AFP: shared with it
    "investigator_au_abf": {"Open vessel register"},  # AFP's country, another agency
    "investigator_th": {"Bangkok recruiters", "Open vessel register"},  # another country's officer
    "observer": {"Open vessel register"},
}


@pytest.mark.parametrize(("member", "seen"), sorted(SEEN_COLLECTIONS.items()))
def test_the_collection_list_holds_what_each_member_may_see(
    client: Client, world: World, member: str, seen: set[str]
) -> None:
    response = get(signed_in(client, getattr(world.cast, member)), f"{API}/collections/")
    assert response.status_code == 200
    assert names(response) == seen


def test_a_collection_is_read_by_its_sharers_and_does_not_exist_for_the_others(
    client: Client, world: World
) -> None:
    url = f"{API}/collections/{world.amber.pk}/"
    body = get(signed_in(client, world.cast.analyst_au), url).json()
    assert body | {"created_at": None, "updated_at": None, "owner_agency": None} == {
        "id": world.amber.pk,
        "name": "Kupang boat crew",
        "summary": "",
        "owner_agency": None,
        "country": "ID",
        "handling_code": "amber",
        "plans": ["JPA7-02"],
        "entity_count": 3,
        "created_at": None,
        "updated_at": None,
    }
    assert reads_of(world.amber) == 1  # AMBER: the read is in the trail
    for outsider in (world.cast.investigator_th, world.cast.investigator_au_abf, world.cast.observer):
        assert get(signed_in(client, outsider), url).status_code == 404
    assert reads_of(world.amber) == 1
    assert (
        get(signed_in(client, world.cast.observer), f"{API}/collections/{world.green.pk}/").status_code == 200
    )
    assert reads_of(world.green) == 0  # GREEN reads are not


def test_a_collection_names_only_the_plans_its_reader_may_see(client: Client, world: World) -> None:
    url = f"{API}/collections/{world.green.pk}/"
    assert get(signed_in(client, world.cast.analyst_au), url).json()["plans"] == ["JPA7-01", "JPA7-02"]
    assert get(signed_in(client, world.cast.investigator_th), url).json()["plans"] == ["JPA7-01"]


@pytest.mark.parametrize(
    ("query", "seen"),
    [
        ({"plan": "JPA7-02"}, {"Kupang boat crew", "Open vessel register"}),
        ({"plan": "JPA7-01"}, {"Open vessel register"}),
        ({"handling_code": "amber"}, {"Kupang boat crew"}),
        ({"country": "ID"}, {"Kupang boat crew", "Open vessel register"}),
        ({"country": "TH"}, set()),  # Thailand's collection exists, but not for an Australian
    ],
)
def test_collections_are_filtered_by_plan_code_and_country(
    client: Client, world: World, query: dict[str, str], seen: set[str]
) -> None:
    response = get(signed_in(client, world.cast.analyst_au), f"{API}/collections/", **query)
    assert response.status_code == 200
    assert names(response) == seen


def test_an_unseen_plan_filter_is_refused_like_an_unknown_one(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.investigator_th)
    unseen = get(api, f"{API}/collections/", plan="JPA7-02")
    unknown = get(api, f"{API}/collections/", plan="JPA9-99")
    assert unseen.status_code == unknown.status_code == 400
    assert unseen.json()["plan"][0].replace("JPA7-02", "X") == unknown.json()["plan"][0].replace(
        "JPA9-99", "X"
    )


def test_an_officer_creates_a_collection_of_their_own_agency(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.investigator_th)
    response = post(api, f"{API}/collections/", {"name": "Phuket boats", "handling_code": "amber_strict"})
    assert response.status_code == 201, response.content
    made = Collection.objects.get(pk=response.json()["id"])
    assert (made.owner_agency.short_name, made.created_by, made.handling_code) == (
        "RTP",
        world.cast.investigator_th,
        "amber_strict",
    )
    assert response.json()["country"] == "TH" and response.json()["entity_count"] == 0
    assert AuditEntry.objects.filter(action=AuditAction.COLLECTION_CREATED, target_id=str(made.pk)).exists()


def test_it_refuses_collections_from_non_officers_and_on_unseen_plans(client: Client, world: World) -> None:
    for who in (world.cast.observer, world.cast.secretariat, world.cast.co_chair):
        assert post(signed_in(client, who), f"{API}/collections/", {"name": "x"}).status_code == 403
    api = signed_in(client, world.cast.investigator_th)
    unseen = post(api, f"{API}/collections/", {"name": "x", "plans": ["JPA7-02"]})
    unknown = post(api, f"{API}/collections/", {"name": "x", "plans": ["JPA9-99"]})
    assert unseen.status_code == unknown.status_code == 400
    assert "plans" in unseen.json()
    assert not Collection.objects.filter(name="x").exists()


# --- Entities -------------------------------------------------------------------------------------


def captions(response: Any) -> set[str]:
    return {row["caption"] for row in response.json()["results"]}


def test_the_entity_list_holds_the_entities_of_the_collections_one_may_see(
    client: Client, world: World
) -> None:
    everything = {"Budi Santosa", "PT Laut Biru", "Director", "Kupang Star"}
    assert captions(get(signed_in(client, world.cast.analyst_au), f"{API}/entities/")) == everything
    thai = captions(get(signed_in(client, world.cast.investigator_th), f"{API}/entities/"))
    assert thai == {"Kupang Star", "Somchai Recruiter", "Associate"}
    assert captions(get(signed_in(client, world.cast.observer), f"{API}/entities/")) == {"Kupang Star"}


@pytest.mark.parametrize(
    ("query", "seen"),
    [
        ({"schema": "Person"}, {"Budi Santosa"}),
        ({"q": "laut"}, {"PT Laut Biru"}),
        ({"q": "santosa", "schema": "Company"}, set()),
    ],
)
def test_entities_are_filtered_by_schema_and_caption(
    client: Client, world: World, query: dict[str, str], seen: set[str]
) -> None:
    api = signed_in(client, world.cast.investigator_id)
    response = get(api, f"{API}/entities/", collection=world.amber.pk, **query)
    assert response.status_code == 200
    assert captions(response) == seen


def test_an_entity_list_of_an_unseen_collection_is_empty_like_an_unknown_ones(
    client: Client, world: World
) -> None:
    api = signed_in(client, world.cast.investigator_th)
    assert get(api, f"{API}/entities/", collection=world.amber.pk).json()["count"] == 0
    assert get(api, f"{API}/entities/", collection=999999).json()["count"] == 0
    assert get(api, f"{API}/entities/", collection=world.thai.pk).json()["count"] == 2
    assert get(api, f"{API}/entities/", collection="abc").status_code == 400


def test_an_entity_shows_its_properties_and_only_the_links_its_reader_may_see(
    client: Client, world: World
) -> None:
    api = signed_in(client, world.cast.analyst_au)
    budi = get(api, f"{API}/entities/{world.budi.pk}/").json()
    assert budi["properties"] == {"name": ["Budi Santosa"], "country": ["id"]}
    assert [
        (link["schema"], link["other"]["caption"], link["other"]["id"]) for link in budi["links_out"]
    ] == [("Directorship", "PT Laut Biru", world.company.pk)]
    assert budi["links_in"] == []  # the Thai association exists, but not for AFP
    company = get(api, f"{API}/entities/{world.company.pk}/").json()
    assert [(link["id"], link["other"]["ftm_id"]) for link in company["links_in"]] == [
        (world.directorship.pk, "p-budi")
    ]


def test_a_link_to_an_entity_one_may_not_see_names_only_its_id(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.investigator_th)
    somchai = Entity.objects.get(ftm_id="p-somchai")
    [link] = get(api, f"{API}/entities/{somchai.pk}/").json()["links_out"]
    assert link["other"] == {"ftm_id": "p-budi", "id": None, "schema": "", "caption": ""}
    assert get(api, f"{API}/entities/{world.budi.pk}/").status_code == 404


def test_reading_an_amber_entity_is_audited_and_a_refusal_is_not(client: Client, world: World) -> None:
    url = f"{API}/entities/{world.budi.pk}/"
    assert get(signed_in(client, world.cast.investigator_au_abf), url).status_code == 404
    assert get(signed_in(client, world.cast.observer), url).status_code == 404
    assert reads_of(world.budi) == 0
    assert get(signed_in(client, world.cast.investigator_id), url).status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.READ, target_id=str(world.budi.pk))
    assert entry.actor == world.cast.investigator_id and entry.detail == {"code": "amber"}


def test_an_entitys_earlier_states_are_read_through_its_collection(client: Client, world: World) -> None:
    url = f"{API}/entities/{world.budi.pk}/versions/"
    response = get(signed_in(client, world.cast.analyst_au), url)
    assert [(v["number"], v["properties"], v["cause"], v["replaced_by"]) for v in response.json()] == [
        (1, {"name": ["Budi Santoso"]}, "edit", "Iwan Investigator")
    ]
    assert reads_of(world.budi) == 1
    assert get(signed_in(client, world.cast.investigator_th), url).status_code == 404


# --- Import jobs ----------------------------------------------------------------------------------

FTM_LINE = b'{"id": "p-new", "schema": "Person", "properties": {"name": ["Dewi Kartika"]}}\n'


def upload(client: Client, collection: Collection, body: bytes = FTM_LINE, **fields: Any) -> Any:
    data = {"file": io.BytesIO(body), "collection": collection.pk, "format": "ftm", **fields}
    data["file"].name = "crew.ftm.jsonl"
    response = client.post(f"{API}/import-jobs/", data)
    conforms(response)
    return response


def test_an_officer_of_the_owning_agency_uploads_an_import(client: Client, world: World) -> None:
    response = upload(signed_in(client, world.cast.investigator_id), world.amber)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["percent"], body["original_name"], body["size"]) == (
        "queued",
        0,
        "crew.ftm.jsonl",
        len(FTM_LINE),
    )
    job = ImportJob.objects.get(pk=body["id"])
    assert job.path.read_bytes() == FTM_LINE and job.created_by == world.cast.investigator_id
    job.path.unlink()


@pytest.mark.parametrize(
    ("member", "status"),
    [
        ("analyst_au", 403),  # shared with AFP: reads it, cannot change it
        ("investigator_th", 400),  # does not know it exists: no such collection
        ("observer", 403),  # not an officer
    ],
)
def test_it_refuses_imports_from_anyone_outside_the_owning_agency(
    client: Client, world: World, member: str, status: int
) -> None:
    response = upload(signed_in(client, getattr(world.cast, member)), world.amber)
    assert response.status_code == status, response.content
    assert not ImportJob.objects.exists()


def test_a_spreadsheet_import_needs_a_mapping(client: Client, world: World) -> None:
    response = upload(
        signed_in(client, world.cast.investigator_id), world.amber, b"name\nDewi\n", format="csv"
    )
    assert response.status_code == 400
    assert "mapping" in response.json()
    bad_json = upload(signed_in(client, world.cast.investigator_id), world.amber, mapping="{not json")
    assert bad_json.status_code == 400 and "mapping" in bad_json.json()


def test_a_spreadsheet_import_takes_its_mapping_as_json(client: Client, world: World) -> None:
    mapping = {
        "entities": {
            "person": {"schema": "Person", "keys": ["name"], "properties": {"name": {"column": "name"}}}
        }
    }
    api = signed_in(client, world.cast.investigator_id)
    response = upload(api, world.amber, b"name\nDewi Kartika\n", format="csv", mapping=json.dumps(mapping))
    assert response.status_code == 201, response.content
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert (job.format, job.mapping) == ("csv", mapping)
    job.path.unlink()
    broken = {"entities": {"person": {"schema": "Dragon", "properties": {}}}}
    refused = upload(api, world.amber, b"name\nDewi\n", format="csv", mapping=json.dumps(broken))
    assert refused.status_code == 400 and "mapping" in refused.json()


def test_an_import_shows_its_progress_and_errors_to_the_owning_agency_only(
    client: Client, world: World
) -> None:
    job = ImportJob.objects.create(
        collection=world.amber,
        created_by=world.cast.investigator_id,
        original_name="crew.ftm.jsonl",
        stored_name="x.upload",
        status=JobStatus.INVALID,
        progress_done=50,
        progress_total=200,
        stage="checking",
        errors=[{"line": 7, "property": "birthDate", "message": "Not a date: '31/02'"}],
        error_count=1,
    )
    url = f"{API}/import-jobs/{job.pk}/"
    body = get(signed_in(client, world.cast.focal_id), url).json()
    assert (body["percent"], body["stage"], body["errors"], body["error_count"]) == (
        25,
        "checking",
        [{"line": 7, "property": "birthDate", "message": "Not a date: '31/02'"}],
        1,
    )
    assert [row["id"] for row in get(client, f"{API}/import-jobs/").json()["results"]] == [job.pk]
    for outsider in (world.cast.analyst_au, world.cast.investigator_th, world.cast.observer):
        api = signed_in(client, outsider)
        assert get(api, url).status_code == 404
        assert get(api, f"{API}/import-jobs/").json()["count"] == 0


# --- Analyses -------------------------------------------------------------------------------------


def test_an_officer_asks_for_an_analysis_of_collections_they_may_see(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.analyst_au)
    response = post(api, f"{API}/analyses/", {"collections": [world.amber.pk], "parameters": {"seed": 3}})
    assert response.status_code == 201, response.content
    run = AnalysisRun.objects.get(pk=response.json()["id"])
    assert run.requested_by == world.cast.analyst_au and list(run.collections.all()) == [world.amber]
    assert (response.json()["status"], response.json()["parameters"]) == ("queued", {"seed": 3})
    everything = post(api, f"{API}/analyses/", {})
    assert everything.status_code == 201
    assert set(everything.json()["collections"]) == {world.amber.pk, world.green.pk}


def test_it_refuses_analyses_of_unseen_collections_and_from_non_officers(
    client: Client, world: World
) -> None:
    thai = signed_in(client, world.cast.investigator_th)
    unseen = post(thai, f"{API}/analyses/", {"collections": [world.amber.pk]})
    unknown = post(thai, f"{API}/analyses/", {"collections": [999999]})
    assert unseen.status_code == unknown.status_code == 400
    assert unseen.json()["collections"][0].replace(str(world.amber.pk), "X") == unknown.json()["collections"][
        0
    ].replace("999999", "X")
    observer = signed_in(client, world.cast.observer)
    assert post(observer, f"{API}/analyses/", {"collections": [world.green.pk]}).status_code == 403
    assert not AnalysisRun.objects.exists()


def test_an_analysis_and_its_result_are_its_requesters_only(client: Client, world: World) -> None:
    run = AnalysisRun.objects.create(
        requested_by=world.cast.investigator_id,
        status=JobStatus.DONE,
        result={"components": [{"size": 3, "countries": ["id"]}]},
        node_count=2,
        link_count=1,
    )
    run.collections.set([world.amber])
    url = f"{API}/analyses/{run.pk}/"
    body = get(signed_in(client, world.cast.investigator_id), url).json()
    assert (body["percent"], body["result"], body["collections"]) == (
        100,
        {"components": [{"size": 3, "countries": ["id"]}]},
        [world.amber.pk],
    )
    assert "result" not in get(client, f"{API}/analyses/").json()["results"][0]
    # The same agency's focal point, and a reader of the same collection, know nothing of it.
    for other in (world.cast.focal_id, world.cast.analyst_au):
        api = signed_in(client, other)
        assert get(api, url).status_code == 404
        assert get(api, f"{API}/analyses/").json()["count"] == 0


# --- Entity writes --------------------------------------------------------------------------------


def send(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    response = getattr(client, method)(url, data or {}, content_type="application/json")
    conforms(response)
    return response


def test_an_officer_of_the_owning_agency_adds_edits_and_deletes_an_entity(
    client: Client, world: World
) -> None:
    api = signed_in(client, world.cast.investigator_id)
    added = send(
        api,
        "post",
        f"{API}/entities/",
        {
            "collection": world.amber.pk,
            "schema": "Person",
            "properties": {"name": ["Dewi Kartika"]},
            "ftm_id": "p-dewi",
        },
    )
    assert added.status_code == 201, added.content
    assert (added.json()["ftm_id"], added.json()["caption"], added.json()["version"]) == (
        "p-dewi",
        "Dewi Kartika",
        1,
    )
    url = f"{API}/entities/{added.json()['id']}/"
    edited = send(
        api, "patch", url, {"properties": {"name": ["Dewi Kartika", "D. Kartika"]}, "reason": "Alias"}
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["version"] == 2
    assert edited.json()["properties"]["name"] == ["Dewi Kartika", "D. Kartika"]
    [earlier] = get(api, url + "versions/").json()
    assert (earlier["number"], earlier["properties"], earlier["reason"]) == (
        1,
        {"name": ["Dewi Kartika"]},
        "Alias",
    )
    deleted = api.delete(url + "?reason=Duplicate")
    conforms(deleted)
    assert deleted.status_code == 204
    assert not Entity.objects.filter(ftm_id="p-dewi").exists()
    assert EntityVersion.objects.get(ftm_id="p-dewi", cause=VersionCause.DELETE).reason == "Duplicate"
    assert get(api, url).status_code == 404


def test_a_bad_entity_is_a_400_naming_the_property(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.investigator_id)
    response = send(
        api,
        "post",
        f"{API}/entities/",
        {"collection": world.amber.pk, "schema": "Person", "properties": {"wingspan": ["3 m"]}},
    )
    assert response.status_code == 400
    assert "wingspan" in response.json()
    unknown = send(
        api, "post", f"{API}/entities/", {"collection": world.amber.pk, "schema": "Dragon", "properties": {}}
    )
    assert unknown.status_code == 400 and "schema" in unknown.json()


# member -> the answer to a change of an AMBER entity (shared with AFP) and of a GREEN one, both INP's.
ENTITY_WRITES = {
    "focal_id": (200, 200),  # the owning agency's focal point is one of its officers
    "analyst_au": (403, 403),  # AFP reads the AMBER one (shared) and the GREEN one: changes neither
    "investigator_au_abf": (404, 403),
    "investigator_th": (404, 403),
    "observer": (404, 403),
    "secretariat": (404, 403),
}


@pytest.mark.parametrize(("member", "answers"), sorted(ENTITY_WRITES.items()))
def test_entity_changes_are_answered_as_the_policy_says(
    client: Client, world: World, member: str, answers: tuple[int, int]
) -> None:
    api = signed_in(client, getattr(world.cast, member))
    vessel = Entity.objects.get(ftm_id="v-star")
    for target, expected in zip((world.budi, vessel), answers, strict=True):
        url = f"{API}/entities/{target.pk}/"
        change = send(api, "patch", url, {"properties": {"name": ["Renamed"]}})
        assert change.status_code == expected, (target, change.content)
        if expected != 200:
            removal = api.delete(url)
            assert conforms(removal).status_code == expected
    assert Entity.objects.filter(pk=world.budi.pk).exists()


@pytest.mark.parametrize(
    ("member", "status"),
    [("analyst_au", 403), ("investigator_th", 400), ("observer", 403), ("secretariat", 403)],
)
def test_only_the_owning_agencys_officers_add_entities(
    client: Client, world: World, member: str, status: int
) -> None:
    api = signed_in(client, getattr(world.cast, member))
    data = {"collection": world.amber.pk, "schema": "Person", "properties": {"name": ["Intruder"]}}
    assert send(api, "post", f"{API}/entities/", data).status_code == status
    assert not Entity.objects.filter(caption="Intruder").exists()


# --- Exports --------------------------------------------------------------------------------------


def exported(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def test_a_reader_exports_a_collection_in_each_format(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.analyst_au)
    url = f"{API}/collections/{world.amber.pk}/export/"
    ftm = conforms(api.get(url, {"format": "ftm"}))
    assert ftm.status_code == 200 and ftm["Content-Type"].startswith("application/x-ndjson")
    assert ftm["Content-Disposition"] == f'attachment; filename="collection-{world.amber.pk}.ftm.jsonl"'
    lines = exported(ftm).splitlines()
    assert [line.split('"')[3] for line in lines] == ["c-laut", "d-1", "p-budi"]
    graphml = conforms(api.get(url, {"format": "graphml"}))
    assert "<graphml" in exported(graphml) and graphml["Content-Type"].startswith("application/graphml+xml")
    assert "<gexf" in exported(conforms(api.get(url, {"format": "gexf"})))
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, target_id=str(world.amber.pk)).count() == 3


def test_an_export_is_refused_in_an_unknown_format_and_to_whom_may_not_know_the_collection(
    client: Client, world: World
) -> None:
    url = f"{API}/collections/{world.amber.pk}/export/"
    assert conforms(signed_in(client, world.cast.analyst_au).get(url, {"format": "pdf"})).status_code == 400
    assert conforms(signed_in(client, world.cast.investigator_th).get(url)).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


# --- Assessments ----------------------------------------------------------------------------------


def write_assessment(client: Client, **data: Any) -> Any:
    body = {
        "title": "The Kupang syndicate",
        "summary": "Boats leave Kupang monthly.",
        "handling_code": "amber",
        "countries": ["ID", "AU"],
        "plans": ["JPA7-02"],
        "members": [{"ftm_id": "p-budi", "role": "Organiser"}, {"ftm_id": "c-laut", "role": "Front company"}],
        **data,
    }
    return send(client, "post", f"{API}/assessments/", body)


def test_an_officer_writes_an_assessment_and_their_agency_keeps_it_up_to_date(
    client: Client, world: World
) -> None:
    made = write_assessment(signed_in(client, world.cast.investigator_id))
    assert made.status_code == 201, made.content
    body = made.json()
    assert [(m["ftm_id"], m["caption"], m["role"]) for m in body["members"]] == [
        ("p-budi", "Budi Santosa", "Organiser"),
        ("c-laut", "PT Laut Biru", "Front company"),
    ]
    assert (body["country"], sorted(body["countries"]), body["plans"], body["version"]) == (
        "ID",
        ["AU", "ID"],
        ["JPA7-02"],
        1,
    )
    url = f"{API}/assessments/{body['id']}/"
    changed = send(
        signed_in(client, world.cast.focal_id), "patch", url, {"title": "The Kupang–Darwin syndicate"}
    )
    assert changed.status_code == 200, changed.content
    after = changed.json()
    assert (after["title"], after["version"], after["summary"]) == (
        "The Kupang–Darwin syndicate",
        2,
        body["summary"],
    )
    assert after["members"] == body["members"] and after["plans"] == ["JPA7-02"]


def test_it_refuses_assessments_from_non_officers_and_of_unseen_entities(
    client: Client, world: World
) -> None:
    assert write_assessment(signed_in(client, world.cast.observer)).status_code == 403
    unseen = write_assessment(
        signed_in(client, world.cast.investigator_id), members=[{"ftm_id": "p-somchai"}]
    )
    assert unseen.status_code == 400 and "members" in unseen.json()
    assert not Assessment.objects.exists()


def test_an_assessment_is_read_by_its_sharers_changed_by_its_agency_and_unknown_to_the_rest(
    client: Client, world: World
) -> None:
    made = write_assessment(signed_in(client, world.cast.investigator_id)).json()
    assessment = Assessment.objects.get(pk=made["id"])
    assessment.shared_agencies.set([Agency.objects.get(short_name="AFP")])
    url = f"{API}/assessments/{assessment.pk}/"
    reader = signed_in(client, world.cast.analyst_au)
    assert get(reader, url).json()["title"] == "The Kupang syndicate"
    assert reads_of(assessment) == 1
    assert send(reader, "patch", url, {"title": "Mine now"}).status_code == 403
    document = conforms(reader.get(url + "docx/"))
    assert document.status_code == 200 and document["Content-Type"] == DOCX
    from disrupt.lib.documents import docx_text

    assert "The Kupang syndicate" in docx_text(document.content)
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, target_id=str(assessment.pk)).count() == 1
    for outsider in (world.cast.investigator_th, world.cast.observer, world.cast.investigator_au_abf):
        api = signed_in(client, outsider)
        assert get(api, url).status_code == 404
        assert conforms(api.get(url + "docx/")).status_code == 404
        assert send(api, "patch", url, {"title": "x"}).status_code == 404
        assert get(api, f"{API}/assessments/").json()["count"] == 0
    assessment.refresh_from_db()
    assert (assessment.title, assessment.version) == ("The Kupang syndicate", 1)


@pytest.mark.parametrize("parameters", [{"seed": "abc"}, {"seed": -1}, {"resolution": 0}, "seed=3"])
def test_analysis_parameters_the_job_cannot_use_are_a_400(
    client: Client, world: World, parameters: Any
) -> None:
    api = signed_in(client, world.cast.investigator_id)
    response = post(api, f"{API}/analyses/", {"collections": [world.amber.pk], "parameters": parameters})
    assert response.status_code == 400 and "parameters" in response.json()
    assert not AnalysisRun.objects.exists()


# --- Query counts ---------------------------------------------------------------------------------


def add_collections(world: World, n: int) -> None:
    for i in range(n):
        collection = Collection.objects.create(
            name=f"Extra {i}", owner_agency=world.amber.owner_agency, handling_code=HandlingCode.GREEN
        )
        collection.plans.set([world.cast.plan])
        entity(collection, f"p-extra-{i}", "Person", f"Extra person {i}", name=[f"Extra person {i}"])
        Assessment.objects.create(title=f"Extra {i}", owner_agency=world.amber.owner_agency)


@pytest.mark.parametrize("route", ["collections", "entities", "assessments"])
def test_a_list_costs_the_same_for_two_records_as_for_twelve(
    client: Client, world: World, route: str
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = signed_in(client, world.cast.analyst_au)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(f"{API}/{route}/").status_code == 200
        return len(captured)

    add_collections(world, 2)
    few = queries()
    add_collections(world, 10)
    assert queries() == few
