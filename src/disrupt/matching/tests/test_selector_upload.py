"""Selector-only participation: Thailand encodes on its own machine, uploads only encodings, and
the hub matches them exactly as raw-held data. No raw value of the upload reaches the hub."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from django.core.management import call_command

from disrupt.access.choices import HandlingCode
from disrupt.intel.choices import JobStatus
from disrupt.matching import actions
from disrupt.matching.choices import SelectorKind
from disrupt.matching.keys import current_keys
from disrupt.matching.models import Hit, SelectorUpload
from disrupt.matching.selectorfile import write_selector_file
from disrupt.matching.tests.scenario import World, run_queued_jobs

pytestmark = pytest.mark.django_db

# Thailand's own records, never sent: one shares the Indonesian phone (written its own way), one is
# the misspelt Indonesian person again, one matches nobody.
THAI_RECORDS: list[dict[str, Any]] = [
    {
        "id": "th-case-17-caller",
        "schema": "Person",
        "properties": {"name": ["Anan Chaiyaporn"], "phone": ["+62 (812) 3456 7890"]},
    },
    {
        "id": "th-case-17-boat",
        "schema": "Person",
        "properties": {"name": ["Santoso Budi"], "birthDate": ["1984-05-02"]},
    },
    {
        "id": "th-case-17-broker",
        "schema": "Person",
        "properties": {
            "name": ["Somsak Prasertwong"],
            "birthDate": ["1977-08-19"],
            "passportNumber": ["AA 7654321"],
            "phone": ["+66 81 765 4321"],
            "email": ["somsak.broker@example.test"],
        },
    },
]
RAW_VALUES = [
    "Anan Chaiyaporn",
    "+62 (812) 3456 7890",
    "Santoso Budi",
    "Somsak Prasertwong",
    "1977-08-19",
    "AA 7654321",
    "AA7654321",
    "+66 81 765 4321",
    "+66817654321",
    "somsak.broker@example.test",
    "th-case-17-caller",
    "th-case-17-boat",
    "th-case-17-broker",
    "Chaiyaporn",
    "Prasertwong",
]


def _encode() -> str:
    out = io.StringIO()
    write_selector_file(THAI_RECORDS, current_keys()[0], out, default_country="th")
    return out.getvalue()


def _everything_stored() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def test_the_file_holds_encodings_only() -> None:
    text = _encode()
    document = json.loads(text)
    assert document["format"] == "disrupt-selectors"
    for value in RAW_VALUES:
        assert value.lower() not in text.lower(), value


def test_an_upload_matches_raw_held_data_and_leaves_no_raw_value(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    before = _everything_stored()
    upload = actions.do_upload_selectors(
        world.cast.investigator_th,
        name="Andaman watch list",
        upload_file=io.BytesIO(_encode().encode()),
        original_name="andaman.selectors.json",
        handling_code=HandlingCode.AMBER,
    )
    run_queued_jobs()
    upload.refresh_from_db()
    assert upload.status == JobStatus.DONE, upload.message
    assert (upload.record_count, upload.person_count) == (3, 3)

    on_upload = Hit.objects.filter(subject_a__upload=upload) | Hit.objects.filter(subject_b__upload=upload)
    assert {hit.kind for hit in on_upload} == {SelectorKind.PHONE, SelectorKind.PERSON}
    partners = {
        other.ref
        for hit in on_upload.select_related("subject_a", "subject_b")
        for other in (hit.subject_a, hit.subject_b)
        if other.upload_id is None
    }
    assert partners == {"inp-siti", "afp-caller", "inp-budi", "afp-boedi"}

    after = _everything_stored()
    logs = caplog.text
    for value in RAW_VALUES:
        assert after.count(value) == before.count(value), f"{value!r} reached the database"
        assert value not in logs, f"{value!r} reached the logs"
    assert "Somsak" not in after and "7654321" not in after


def test_a_file_with_an_error_is_refused_whole_with_the_record_and_field(world: World) -> None:
    document = json.loads(_encode())
    document["records"][2]["selectors"][0]["digest"] = "not-hex"
    upload = actions.do_upload_selectors(
        world.cast.investigator_th, name="Broken", upload_file=io.BytesIO(json.dumps(document).encode())
    )
    run_queued_jobs()
    upload.refresh_from_db()
    assert upload.status == JobStatus.INVALID
    assert "3" in upload.message and "digest" in upload.message
    assert not upload.subjects.exists()


def test_a_file_under_another_key_is_refused(world: World) -> None:
    from disrupt.matching.keys import MatchingKey

    out = io.StringIO()
    write_selector_file(THAI_RECORDS, MatchingKey.generate(), out)
    upload = actions.do_upload_selectors(
        world.cast.investigator_th, name="Old key", upload_file=io.BytesIO(out.getvalue().encode())
    )
    run_queued_jobs()
    upload.refresh_from_db()
    assert upload.status == JobStatus.INVALID and "key" in upload.message
    assert not SelectorUpload.objects.get(pk=upload.pk).subjects.exists()


def test_only_officers_upload(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_upload_selectors(world.cast.observer, name="x", upload_file=io.BytesIO(b"{}"))
