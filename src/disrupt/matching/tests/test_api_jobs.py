"""matching-jobs/: a collection's officers run matching on it and follow the job; the secretariat
matches everything or re-indexes; nobody else learns of a job. Bad input is a 400, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from disrupt.access.choices import HandlingCode
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.matching.models import Hit, MatchingJob
from disrupt.matching.tests.scenario import World, fill, run_queued_jobs
from disrupt.matching.tests.test_api_schema import API, get, post, signed_in

pytestmark = pytest.mark.django_db

JOBS = f"{API}/matching-jobs/"


def ids(response: Any) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_an_officer_runs_matching_on_their_collection_and_follows_the_job(
    client: Client, world: World
) -> None:
    api = signed_in(client, world.cast.focal_id)
    response = post(api, JOBS, {"collection": world.inp.pk})
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["kind"], body["status"], body["collection"], body["percent"]) == (
        "collection",
        "queued",
        world.inp.pk,
        0,
    )
    run_queued_jobs()
    done = get(api, f"{JOBS}{body['id']}/").json()
    assert (done["status"], done["percent"], done["hits_new"]) == ("done", 100, 0)  # nothing new since
    assert done["finished_at"] and done["started_at"]
    assert AuditEntry.objects.filter(action=AuditAction.MATCHING_REQUESTED).count() == 1


def test_a_job_already_waiting_takes_the_request_along(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.investigator_id)
    first = post(api, JOBS, {"collection": world.inp.pk}).json()
    second = post(api, JOBS, {"collection": world.inp.pk}).json()
    assert first["id"] == second["id"]


def test_a_collection_one_reads_but_does_not_own_is_a_403_and_an_unseen_one_a_400(
    client: Client, world: World
) -> None:
    open_register = fill(world.cast.investigator_th, "Open register", [], code=HandlingCode.GREEN)
    inp = signed_in(client, world.cast.investigator_id)
    assert post(inp, JOBS, {"collection": open_register.pk}).status_code == 403
    unseen = post(inp, JOBS, {"collection": world.afp.pk})
    unknown = post(inp, JOBS, {"collection": 999999})
    assert unseen.status_code == unknown.status_code == 400
    assert unseen.json()["collection"][0].replace(str(world.afp.pk), "X") == unknown.json()["collection"][
        0
    ].replace("999999", "X")
    assert not MatchingJob.objects.filter(status="queued").exists()


@pytest.mark.parametrize("kind", ["bulk", "reindex"])
def test_the_secretariat_matches_everything_and_an_officer_may_not(
    client: Client, world: World, kind: str
) -> None:
    hits_before = sorted(Hit.objects.values_list("subject_a", "subject_b", "kind"))
    refused = post(signed_in(client, world.cast.investigator_id), JOBS, {"kind": kind})
    assert refused.status_code == 403
    admin = signed_in(client, world.cast.secretariat)
    response = post(admin, JOBS, {"kind": kind})
    assert response.status_code == 202, response.content
    assert (response.json()["kind"], response.json()["collection"]) == (kind, None)
    [job] = run_queued_jobs()
    assert job.status == "done", job.message
    # Matching everything again finds the same hits, none twice.
    assert sorted(Hit.objects.values_list("subject_a", "subject_b", "kind")) == hits_before


def test_nobody_but_officers_and_the_secretariat_runs_matching(client: Client, world: World) -> None:
    for member in ("observer", "co_chair"):
        api = signed_in(client, getattr(world.cast, member))
        assert post(api, JOBS, {}).status_code == 403, member
        assert post(api, JOBS, {"collection": world.inp.pk}).status_code == 403, member
    assert not MatchingJob.objects.filter(status="queued").exists()


def test_the_secretariat_does_not_run_a_collections_matching(client: Client, world: World) -> None:
    response = post(signed_in(client, world.cast.secretariat), JOBS, {"collection": world.inp.pk})
    assert response.status_code in {400, 403}  # it does not read the AMBER collection


BAD_RUNS: list[tuple[dict[str, Any], str]] = [
    ({"kind": "upload"}, "kind"),
    ({"kind": "everything"}, "kind"),
    ({"kind": 3}, "kind"),
    ({"kind": None}, "kind"),
    ({"collection": "abc"}, "collection"),
    ({"collection": [1]}, "collection"),
    ({"collection": True}, "collection"),
    ({"collection": "1\x00"}, "collection"),
]


def test_a_bad_run_is_a_400_naming_the_field(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.secretariat)
    for data, field in BAD_RUNS:
        response = post(api, JOBS, data)
        assert response.status_code == 400, (data, response.content)
        assert field in response.json(), data
    assert not MatchingJob.objects.filter(status="queued").exists()


def test_each_sees_the_jobs_of_their_own_records_only(client: Client, world: World) -> None:
    inp_jobs = set(MatchingJob.objects.filter(collection=world.inp).values_list("pk", flat=True))
    afp_jobs = set(MatchingJob.objects.filter(collection=world.afp).values_list("pk", flat=True))
    assert inp_jobs and afp_jobs
    bulk = post(signed_in(client, world.cast.secretariat), JOBS, {}).json()["id"]
    assert ids(get(signed_in(client, world.cast.investigator_id), JOBS)) == inp_jobs
    assert ids(get(signed_in(client, world.cast.analyst_au), JOBS)) == afp_jobs
    assert ids(get(signed_in(client, world.cast.secretariat), JOBS)) == {bulk}
    assert ids(get(signed_in(client, world.cast.observer), JOBS)) == set()
    job = min(inp_jobs)
    for outsider in (world.cast.analyst_au, world.cast.investigator_th, world.cast.secretariat):
        assert get(signed_in(client, outsider), f"{JOBS}{job}/").status_code == 404
    api = signed_in(client, world.cast.investigator_id)
    assert ids(get(api, JOBS, collection=world.inp.pk)) == inp_jobs
    assert ids(get(api, JOBS, collection=world.afp.pk)) == set()
    assert ids(get(api, JOBS, status="done")) == inp_jobs
    assert get(api, JOBS, status="lost").status_code == 400
    assert get(api, JOBS, collection="abc").status_code == 400


def test_a_garbage_job_id_is_a_404(client: Client, world: World) -> None:
    api = signed_in(client, world.cast.secretariat)
    for bad in ["abc", "-3", "9" * 20, "1%00"]:
        assert api.get(f"{JOBS}{bad}/").status_code == 404, bad
