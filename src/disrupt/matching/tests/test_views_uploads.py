"""Selector-only uploads through the pages: Thailand uploads a file it encoded on its own machine,
watches it being checked and matched, and its records meet Indonesia's raw-held ones; a wrong
file is refused with the record and field named; the owner deletes it; others get 404. And the
owner of an uploaded record discloses it by giving the entity, since the hub holds none of it."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from disrupt.access.choices import HandlingCode
from disrupt.intel.choices import JobStatus
from disrupt.matching import actions
from disrupt.matching.choices import SelectorKind
from disrupt.matching.keys import current_keys
from disrupt.matching.models import Disclosure, Hit, SelectorUpload
from disrupt.matching.selectorfile import write_selector_file
from disrupt.matching.tests.scenario import World, run_queued_jobs

pytestmark = pytest.mark.django_db

NEW = reverse("matching:upload_create")
UPLOADS = reverse("matching:upload_list")
# Thailand's own records, never sent: one shares the phone Indonesia and Australia both hold, one
# matches nobody.
THAI = [
    {
        "id": "th-caller",
        "schema": "Person",
        "properties": {"name": ["Anan Chaiyaporn"], "phone": ["+62 812 3456 7890"]},
    },
    {
        "id": "th-broker",
        "schema": "Person",
        "properties": {"name": ["Somsak Prasertwong"], "phone": ["+66 81 765 4321"]},
    },
]


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path  # where uploads are kept; the key stays the test run's


def _encoded() -> bytes:
    out = io.StringIO()
    write_selector_file(THAI, current_keys()[0], out, default_country="th")
    return out.getvalue().encode()


def _phone_hit(upload: SelectorUpload, agency: Any) -> Hit:
    """The hit between the upload's caller and `agency`'s holder of the same phone."""
    phones = Hit.objects.filter(kind=SelectorKind.PHONE)
    ours = phones.filter(Q(subject_a__upload=upload) | Q(subject_b__upload=upload))
    return ours.get(Q(subject_a__owner_agency=agency) | Q(subject_b__owner_agency=agency))


def _post(client: Client, content: bytes, **fields: Any) -> Any:
    data = {"name": "Andaman watch list", "handling_code": HandlingCode.AMBER, **fields}
    data["file"] = SimpleUploadedFile("andaman.selectors.json", content, content_type="application/json")
    return client.post(NEW, data)


def test_an_officer_uploads_watches_it_match_and_sees_the_hit(client: Client, world: World) -> None:
    cast = world.cast
    client.force_login(cast.investigator_th)
    assert "Upload and match" in client.get(NEW).content.decode()
    response = _post(client, _encoded(), plans=[cast.plan.pk])
    upload = SelectorUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == upload.get_absolute_url()
    assert list(upload.plans.all()) == [cast.plan]
    page = client.get(upload.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Queued" in page
    partial = client.get(upload.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "job-progress" in partial

    run_queued_jobs()
    assert client.get(upload.get_absolute_url(), HTTP_HX_REQUEST="true").headers.get("HX-Refresh") == "true"
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "Matched" in page and "2 records" in page and "2 new hits" in page
    assert "Anan Chaiyaporn" not in page and "+66 81 765 4321" not in page
    assert "Andaman watch list" in client.get(UPLOADS).content.decode()

    hits = client.get(reverse("matching:hit_list")).content.decode()
    assert "Indonesian National Police" in hits and "Australian Federal Police" in hits
    assert "Siti Lestari" not in hits and "Kieran Doyle" not in hits
    client.force_login(cast.investigator_id)
    hit = _phone_hit(upload, cast.investigator_id.agency)
    page = client.get(hit.get_absolute_url()).content.decode()
    assert "Royal Thai Police" in page and "selectors only" in page
    assert "Andaman watch list" not in page


def test_a_wrong_file_is_refused_naming_the_record_and_field(client: Client, world: World) -> None:
    document = json.loads(_encoded())
    document["records"][1]["selectors"][0]["digest"] = "not-hex"
    client.force_login(world.cast.investigator_th)
    _post(client, json.dumps(document).encode())
    run_queued_jobs()
    upload = SelectorUpload.objects.get()
    assert upload.status == JobStatus.INVALID
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "The file was refused: nothing was matched" in page
    assert upload.message and upload.message in page
    assert "record 2" in upload.message.lower()
    assert not Hit.objects.filter(subject_b__upload=upload).exists()


def test_form_errors_are_shown_next_to_their_fields(client: Client, world: World) -> None:
    client.force_login(world.cast.investigator_th)
    response = _post(client, b"", name="")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="id_name_error"' in page and 'id="id_file_error"' in page
    response = client.post(NEW, {"name": "x", "handling_code": "purple"})
    page = response.content.decode()
    assert "Select a valid choice" in page and 'id="id_file_error"' in page
    response = _post(client, _encoded(), shared_countries=[999999], plans=["x"])
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not SelectorUpload.objects.exists()


def test_amber_strict_refuses_whole_countries_on_the_form(client: Client, world: World) -> None:
    from disrupt.directory.models import Country

    client.force_login(world.cast.investigator_th)
    au = Country.objects.get(code="AU")
    response = _post(client, _encoded(), handling_code=HandlingCode.AMBER_STRICT, shared_countries=[au.pk])
    assert response.status_code == 200 and "named agencies only" in response.content.decode()
    assert not SelectorUpload.objects.exists()


@pytest.mark.parametrize("who", ["observer", "secretariat"])
def test_only_officers_upload(client: Client, world: World, who: str) -> None:
    client.force_login(getattr(world.cast, who))
    assert client.get(NEW).status_code == 403
    assert _post(client, _encoded()).status_code == 403
    assert not SelectorUpload.objects.exists()


def test_the_owner_deletes_an_upload_and_others_never_find_it(client: Client, world: World) -> None:
    cast = world.cast
    upload = actions.do_upload_selectors(
        cast.investigator_th,
        name="Andaman watch list",
        upload_file=io.BytesIO(_encoded()),
        shared_agencies=[cast.analyst_au.agency],
    )
    run_queued_jobs()
    delete = reverse("matching:upload_delete", args=[upload.pk])
    for who in ("investigator_id", "investigator_au_abf", "secretariat", "observer"):
        client.force_login(getattr(cast, who))
        assert client.get(upload.get_absolute_url()).status_code == 404, who
        assert client.post(delete, {"confirm": "yes"}).status_code == 404, who
        assert "Andaman watch list" not in client.get(UPLOADS).content.decode(), who
    # The agency it is shared with reads its counts, but neither deletes it nor sees its encodings.
    client.force_login(cast.analyst_au)
    page = client.get(upload.get_absolute_url()).content.decode()
    assert (
        "Andaman watch list" in page
        and "Delete this upload" not in page
        and "shared with you" in client.get(UPLOADS).content.decode()
    )
    assert client.post(delete, {"confirm": "yes"}).status_code == 403
    client.force_login(cast.investigator_th)
    assert client.get(delete).status_code == 405
    response = client.post(delete)  # not confirmed: nothing happens
    assert response.status_code == 302 and response["Location"] == upload.get_absolute_url()
    assert SelectorUpload.objects.filter(pk=upload.pk).exists()
    response = client.post(delete, {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == UPLOADS
    assert (
        not SelectorUpload.objects.exists()
        and not Hit.objects.filter(subject_b__upload__isnull=False).exists()
    )
    assert client.get(upload.get_absolute_url()).status_code == 404


def test_the_owner_of_an_uploaded_record_discloses_the_entity_it_gives(client: Client, world: World) -> None:
    cast = world.cast
    upload = actions.do_upload_selectors(
        cast.investigator_th, name="Andaman watch list", upload_file=io.BytesIO(_encoded())
    )
    run_queued_jobs()
    hit = _phone_hit(upload, cast.investigator_id.agency)
    request = actions.do_request_disclosure(cast.investigator_id, hit, "The caller of our skipper.")
    url = request.get_absolute_url()

    client.force_login(cast.investigator_th)
    page = client.get(url).content.decode()
    assert "The entity to disclose (FollowTheMoney JSON)" in page and "Find it with your encoder" in page
    response = client.post(url, {"grant": "some", "properties": ["name"]})
    assert response.status_code == 400 and 'id="id_entity_error"' in response.content.decode()
    response = client.post(url, {"grant": "some", "properties": ["name"], "entity": "{not json"})
    assert response.status_code == 400 and "This is not JSON" in response.content.decode()
    entity = {"schema": "Person", "properties": {"name": ["Anan Chaiyaporn"], "birthDate": ["1980-01-02"]}}
    response = client.post(url, {"grant": "some", "properties": ["name"], "entity": json.dumps(entity)})
    assert response.status_code == 302
    copy = Disclosure.objects.get()
    assert copy.properties == {"name": ["Anan Chaiyaporn"]} and copy.source_upload == upload

    client.force_login(cast.investigator_id)
    page = client.get(copy.get_absolute_url()).content.decode()
    assert "Anan Chaiyaporn" in page and "1980-01-02" not in page and "a selector-only record" in page
