"""Importing FtM JSON lines into a collection: all of the file or none of it, every bad row named,
replaced entities kept as versions, and only the owning agency's officers may import.

The job is run as the worker's task runs it (jobs.claim, then imports.run_import_job); the real
worker process, killed and restarted, is in test_import_worker.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from disrupt.access.choices import HandlingCode
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.intel import imports
from disrupt.intel.choices import JobStatus, VersionCause
from disrupt.intel.models import Entity, EntityVersion, ImportJob
from disrupt.intel.tests.importing import import_file, lines, make_collection, person, run, start
from disrupt.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def network(count: int) -> list[dict[str, Any]]:
    """`count` people, each but the first a member of a company, and one payment."""
    entities = [{"id": "c-laut", "schema": "Company", "properties": {"name": ["PT Laut Biru"]}}]
    for n in range(count):
        entities.append(person(f"p-{n}", f"Person {n}", country=["id"]))
        entities.append(
            {
                "id": f"m-{n}",
                "schema": "Membership",
                "properties": {"member": [f"p-{n}"], "organization": ["c-laut"], "role": ["crew"]},
            }
        )
    entities.append(
        {
            "id": "pay-1",
            "schema": "Payment",
            "properties": {
                "payer": ["p-0"],
                "beneficiary": ["c-laut"],
                "amount": ["1500.5"],
                "currency": ["USD"],
            },
        }
    )
    return entities


def test_a_file_of_ftm_lines_becomes_the_collections_entities(cast: Cast) -> None:
    collection = make_collection(cast)
    job = import_file(cast.investigator_id, collection, lines(network(3)))
    assert job.status == JobStatus.DONE, job.errors
    assert (job.entities_added, job.entities_replaced, job.error_count) == (8, 0, 0)
    assert job.lines_done == 8 and job.percent == 100
    assert not job.path.exists()  # the upload is discarded once applied
    assert Entity.all_rows.filter(pending=True).count() == 0
    live = {e.ftm_id: e for e in Entity.objects.filter(collection=collection)}
    assert set(live) == {"c-laut", "p-0", "p-1", "p-2", "m-0", "m-1", "m-2", "pay-1"}
    assert live["p-1"].caption == "Person 1" and live["p-1"].country == "id"
    assert live["c-laut"].country == "id"  # no country of its own: the collection's (INP)
    assert (live["m-2"].source, live["m-2"].target) == ("p-2", "c-laut")
    payment = live["pay-1"]
    assert (payment.source, payment.target, payment.amount, payment.currency) == (
        "p-0",
        "c-laut",
        1500.5,
        "USD",
    )
    applied = AuditEntry.objects.get(action=AuditAction.IMPORT_APPLIED)
    assert applied.actor == cast.investigator_id and applied.detail["added"] == 8
    assert Notification.objects.filter(recipient=cast.investigator_id, url=job.get_absolute_url()).exists()


def test_a_gzip_file_imports_the_same(cast: Cast) -> None:
    collection = make_collection(cast)
    job = import_file(cast.investigator_id, collection, lines(network(2), gz=True), name="net.ftm.json.gz")
    assert job.status == JobStatus.DONE and job.entities_added == 6


def test_one_bad_row_in_the_middle_imports_nothing_and_names_the_row_and_property(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "BATCH_LINES", 100)  # the good rows before it are committed as pending
    collection = make_collection(cast)
    entities = network(300)  # 602 lines
    entities[400] = person("p-bad", "Bad Date", birthDate=["31/31/1990"])
    job = import_file(cast.investigator_id, collection, lines(entities))
    assert job.status == JobStatus.INVALID
    assert job.error_count == 1
    assert job.errors == [
        {"line": 401, "property": "birthDate", "message": "'31/31/1990' is not a valid date."}
    ]
    assert job.entities_written > 0  # rows were written before the bad one was reached…
    assert not Entity.all_rows.filter(collection=collection).exists()  # …and are gone
    assert job.entities_added == 0 and "nothing was imported" in job.message
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT_REFUSED).count() == 1
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORT_APPLIED).exists()
    assert Notification.objects.filter(recipient=cast.investigator_id, verb__contains="could not").exists()


def test_every_kind_of_bad_line_is_named(cast: Cast) -> None:
    collection = make_collection(cast)
    data = b"\n".join(
        [
            lines([person("p-1", "Good One")]).strip(),
            b"{not json",
            b'{"id": "x", "schema": "Spaceship", "properties": {}}',
            b'{"id": "x", "schema": "Thing", "properties": {}}',
            b'{"schema": "Person", "properties": {"name": ["No Id"]}}',
            b'{"id": "y", "schema": "Person", "properties": {"colour": ["blue"]}}',
            b'{"id": "' + b"z" * 201 + b'", "schema": "Person", "properties": {}}',
            b'{"id": "w", "schema": "Person", "properties": {"name": [{"first": "A"}]}}',
            b"[1, 2]",
            b'{"id": "v", "schema": "Person", "properties": {"email": ["not-an-email"]}}',
        ]
    )
    job = import_file(cast.investigator_id, collection, data)
    assert job.status == JobStatus.INVALID
    found = [(e["line"], e["property"]) for e in job.errors]
    assert found == [
        (2, ""),
        (3, "schema"),
        (4, "schema"),
        (5, "id"),
        (6, "colour"),
        (7, "id"),
        (8, "name"),
        (9, ""),
        (10, "email"),
    ]
    assert not Entity.all_rows.filter(collection=collection).exists()


def test_it_counts_every_error_and_keeps_the_first_200(cast: Cast) -> None:
    collection = make_collection(cast)
    entities = [person(f"p-{n}", f"P {n}", birthDate=["never"]) for n in range(250)]
    job = import_file(cast.investigator_id, collection, lines(entities))
    assert job.status == JobStatus.INVALID
    assert job.error_count == 250 and len(job.errors) == 200
    assert job.errors[-1]["line"] == 200


def test_the_same_id_twice_is_one_entity_merged_as_ftm_merges_fragments(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "BATCH_LINES", 2)  # the fragments fall in different batches
    collection = make_collection(cast)
    entities = [
        {"id": "le-1", "schema": "LegalEntity", "properties": {"name": ["Laut Biru"]}},
        person("p-1", "One"),
        person("p-2", "Two"),
        {"id": "le-1", "schema": "Company", "properties": {"name": ["PT Laut Biru"], "jurisdiction": ["id"]}},
        {"id": "le-1", "schema": "Company", "properties": {"name": ["Laut Biru"]}},
    ]
    job = import_file(cast.investigator_id, collection, lines(entities))
    assert job.status == JobStatus.DONE and job.entities_added == 3
    merged = Entity.objects.get(collection=collection, ftm_id="le-1")
    assert merged.schema == "Company"
    assert merged.properties == {"jurisdiction": ["id"], "name": ["Laut Biru", "PT Laut Biru"]}


def test_an_id_that_is_a_person_and_a_company_is_an_error(cast: Cast) -> None:
    collection = make_collection(cast)
    entities = [person("x-1", "One"), {"id": "x-1", "schema": "Company", "properties": {"name": ["One Ltd"]}}]
    job = import_file(cast.investigator_id, collection, lines(entities))
    assert job.status == JobStatus.INVALID
    assert [(e["line"], e["property"]) for e in job.errors] == [(2, "schema")]


def test_a_second_import_replaces_what_changed_and_keeps_the_earlier_state(cast: Cast) -> None:
    collection = make_collection(cast)
    import_file(
        cast.investigator_id, collection, lines([person("p-1", "Budi Santoso"), person("p-2", "Ayu")])
    )
    first = Entity.objects.get(collection=collection, ftm_id="p-1")
    job = import_file(
        cast.investigator_id,
        collection,
        lines([person("p-1", "Budi Santosa"), person("p-2", "Ayu"), person("p-3", "Citra")]),
    )
    assert job.status == JobStatus.DONE
    assert (job.entities_added, job.entities_replaced) == (1, 1)
    assert "1 unchanged" in job.message
    budi = Entity.objects.get(collection=collection, ftm_id="p-1")
    assert budi.pk == first.pk and budi.version == 2 and budi.caption == "Budi Santosa"
    kept = EntityVersion.objects.get(ftm_id="p-1")
    assert (kept.number, kept.cause, kept.entity_id) == (1, VersionCause.IMPORT, budi.pk)
    assert kept.properties == {"name": ["Budi Santoso"]}
    assert Entity.objects.get(collection=collection, ftm_id="p-2").version == 1  # unchanged: no version
    assert Entity.objects.filter(collection=collection).count() == 3


def test_the_same_id_in_another_collection_is_another_entity(cast: Cast) -> None:
    one, two = make_collection(cast, "One"), make_collection(cast, "Two")
    import_file(cast.investigator_id, one, lines([person("p-1", "Budi")]))
    job = import_file(cast.investigator_id, two, lines([person("p-1", "Budi S")]))
    assert job.entities_added == 1
    assert Entity.objects.get(collection=one).caption == "Budi"


def test_an_unreadable_gzip_file_is_refused_with_a_reason(cast: Cast) -> None:
    collection = make_collection(cast)
    broken = lines(network(50), gz=True)[:-40]  # cut off before its end
    job = import_file(cast.investigator_id, collection, broken)
    assert job.status == JobStatus.INVALID
    assert "cannot be read" in job.errors[-1]["message"]
    assert not Entity.all_rows.filter(collection=collection).exists()


def test_a_finished_job_queued_again_changes_nothing(cast: Cast) -> None:
    collection = make_collection(cast)
    job = import_file(cast.investigator_id, collection, lines([person("p-1", "Budi")]))
    from disrupt.intel.jobs import claim

    assert claim(ImportJob, job.pk) is None
    assert Entity.objects.filter(collection=collection).count() == 1


# --- Who may import -----------------------------------------------------------------------------


def test_the_owning_agencys_officers_may_import(cast: Cast) -> None:
    collection = make_collection(cast)
    job = import_file(cast.focal_id, collection, lines([person("p-1", "Budi")]))
    assert job.status == JobStatus.DONE


def test_another_countrys_officer_cannot_import_into_a_collection_they_cannot_see(cast: Cast) -> None:
    collection = make_collection(cast)  # AMBER: INP only
    with pytest.raises(Http404):
        start(cast.investigator_th, collection, lines([person("p-1", "Budi")]))
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("who", ["investigator_th", "investigator_au_abf", "analyst_au", "observer"])
def test_readers_of_a_shared_collection_cannot_import_into_it(cast: Cast, who: str) -> None:
    collection = make_collection(cast, code=HandlingCode.GREEN)  # every member may read it
    with pytest.raises(PermissionDenied):
        start(getattr(cast, who), collection, lines([person("p-1", "Budi")]))
    assert not ImportJob.objects.exists()


def test_an_empty_file_and_an_unknown_format_are_refused(cast: Cast) -> None:
    collection = make_collection(cast)
    with pytest.raises(ValidationError, match="empty"):
        start(cast.investigator_id, collection, b"")
    with pytest.raises(ValidationError, match="Unknown format"):
        start(cast.investigator_id, collection, b"x", format="pdf")
    with pytest.raises(ValidationError, match="mapping"):
        start(cast.investigator_id, collection, b"a,b\n", format="csv")


def test_the_job_survives_a_missing_upload_as_a_failure(cast: Cast) -> None:
    collection = make_collection(cast)
    job = start(cast.investigator_id, collection, lines([person("p-1", "Budi")]))
    job.path.unlink()
    job = run(job)
    assert job.status == JobStatus.FAILED and "no longer there" in job.message
