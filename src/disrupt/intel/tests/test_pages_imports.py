"""Import pages: the owner uploads FtM lines or a CSV with a mapping written by the form; a bad
line is named by line and property; nobody outside the owning agency sees the import."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from disrupt.conftest import Cast
from disrupt.directory.models import Agency
from disrupt.intel.choices import JobStatus
from disrupt.intel.models import Collection, Entity, ImportJob
from disrupt.intel.tests.importing import lines, make_collection, person, run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path


@pytest.fixture
def collection(cast: Cast) -> Collection:
    return make_collection(cast)  # the Indonesian police's, AMBER


def _upload(
    client: Client, collection: Collection, data: bytes, name: str, capture: Any, **fields: Any
) -> Any:
    with capture(execute=False):
        return client.post(
            reverse("intel:import_create", args=[collection.pk]),
            {"file": SimpleUploadedFile(name, data), "format": "ftm", **fields},
        )


def test_an_ftm_file_is_queued_and_the_page_shows_the_outcome(
    client: Client, cast: Cast, collection: Collection, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(cast.investigator_id)
    data = lines([person("p1", "Ana Lestari"), person("p2", "Budi Karang")])
    response = _upload(client, collection, data, "crew.ftm.json", django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "<progress" in page and 'hx-trigger="every 2s"' in page
    run(job)
    assert client.get(job.get_absolute_url(), headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    done = client.get(job.get_absolute_url()).content.decode()
    assert "2 entities added" in done and "<progress" not in done


def test_a_bad_line_is_named_and_nothing_is_imported(
    client: Client, cast: Cast, collection: Collection, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(cast.investigator_id)
    data = lines([person("p1", "Ana"), person("p2", "Budi", birthDate=["not a date"]), person("p3", "Citra")])
    _upload(client, collection, data, "crew.ftm.json", django_capture_on_commit_callbacks)
    job = run(ImportJob.objects.get())
    assert job.status == JobStatus.INVALID
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Nothing was imported" in page and "birthDate" in page
    assert '<td class="num">2</td>' in page
    assert not Entity.objects.filter(collection=collection).exists()


def test_the_form_writes_a_mapping_for_a_csv(
    client: Client, cast: Cast, collection: Collection, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(cast.investigator_id)
    csv = b"passport,full_name\nB123,Ana Lestari\nB456,Budi Karang\n"
    fields = {
        "format": "csv",
        "schema": "Person",
        "keys": "passport",
        "property_columns": "name = full_name\npassportNumber = passport",
    }
    response = _upload(client, collection, csv, "crew.csv", django_capture_on_commit_callbacks, **fields)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.mapping == {
        "entities": {
            "person": {
                "schema": "Person",
                "keys": ["passport"],
                "properties": {"name": {"column": "full_name"}, "passportNumber": {"column": "passport"}},
            }
        }
    }
    run(job)
    names = sorted(Entity.objects.filter(collection=collection).values_list("caption", flat=True))
    assert names == ["Ana Lestari", "Budi Karang"]


def test_a_csv_without_a_mapping_is_refused_on_the_form(
    client: Client, cast: Cast, collection: Collection, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(cast.investigator_id)
    response = _upload(
        client, collection, b"a,b\n1,2\n", "x.csv", django_capture_on_commit_callbacks, format="csv"
    )
    assert response.status_code == 200 and "needs a mapping" in response.content.decode()
    pasted = {"format": "csv", "mapping_yaml": "entities: [oops"}
    response = _upload(
        client, collection, b"a,b\n1,2\n", "x.csv", django_capture_on_commit_callbacks, **pasted
    )
    assert "This is not YAML" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("who", ["analyst_au", "investigator_th", "observer"])
def test_others_cannot_import_or_see_the_import(
    client: Client, cast: Cast, collection: Collection, who: str, django_capture_on_commit_callbacks: Any
) -> None:
    collection.shared_agencies.add(Agency.objects.get(short_name="AFP"))  # a reader, not an editor
    client.force_login(cast.investigator_id)
    _upload(
        client, collection, lines([person("p1", "Ana")]), "crew.ftm.json", django_capture_on_commit_callbacks
    )
    job = ImportJob.objects.get()
    client.force_login(getattr(cast, who))
    expected = 403 if who == "analyst_au" else 404
    assert client.get(reverse("intel:import_create", args=[collection.pk])).status_code == expected
    assert client.get(job.get_absolute_url()).status_code == 404
