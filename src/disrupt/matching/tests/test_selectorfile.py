"""The selectors file: written from entities with no raw value in it, read back checked whole."""

from __future__ import annotations

import base64
import copy
import io
import json
import re
from typing import Any

import pytest

from disrupt.matching import bloom
from disrupt.matching.keys import MatchingKey
from disrupt.matching.kinds import Kind
from disrupt.matching.selectorfile import (
    VERSION,
    SelectorFileError,
    entity_ref,
    key_id_of,
    read_selector_file,
    write_selector_file,
)

KEY = MatchingKey(bytes(range(32)))

ENTITIES: list[dict[str, Any]] = [
    {
        "id": "th-case-17-budi-santoso",
        "schema": "Person",
        "properties": {
            "name": ["Budi Santoso"],
            "birthDate": ["1984-05-02"],
            "phone": ["081 234 5678"],
            "email": ["budi.santoso@example.org"],
        },
    },
    {
        "id": "th-case-17-passport",
        "schema": "Passport",
        "properties": {"number": ["A 1234567"], "country": ["id"], "holder": ["th-case-17-budi-santoso"]},
    },
    {
        "id": "th-case-17-boat",
        "schema": "Vessel",
        "properties": {"name": ["Sea Star"], "imoNumber": ["9074729"]},
    },
    {"id": "th-case-17-note", "schema": "Note", "properties": {"description": ["nothing to match"]}},
]
RAW = [
    "Budi",
    "Santoso",
    "1984-05-02",
    "081 234 5678",
    "66812345678",
    "budi.santoso",
    "A 1234567",
    "A1234567",
]
RAW += ["9074729", "Sea Star", "th-case-17", "nothing to match"]


def written(entities: list[dict[str, Any]] = ENTITIES, key: MatchingKey = KEY) -> tuple[str, str]:
    out, refs = io.StringIO(), io.StringIO()
    write_selector_file(entities, key, out, default_country="th", refs_out=refs)
    return out.getvalue(), refs.getvalue()


def test_the_file_holds_no_raw_value_no_name_and_no_entity_id() -> None:
    text, _ = written()
    for value in RAW:
        assert value.lower() not in text.lower(), value


def test_the_counts_and_the_local_refs_file() -> None:
    out, refs = io.StringIO(), io.StringIO()
    counts = write_selector_file(ENTITIES, KEY, out, default_country="th", refs_out=refs)
    assert (counts.entities, counts.records, counts.people, counts.empty) == (4, 3, 1, 1)
    assert counts.selectors == 4  # phone, e-mail, passport, IMO
    lines = refs.getvalue().splitlines()
    assert lines[0] == "id,ref"
    holder_ref = entity_ref(KEY, "th-case-17-budi-santoso")
    assert f"th-case-17-passport,{holder_ref}" in lines  # filed under its holder


def test_a_written_file_reads_back_merged_by_holder() -> None:
    text, _ = written()
    parsed = read_selector_file(io.StringIO(text), expected_key_ids=[KEY.key_id])
    assert parsed.key_id == key_id_of(io.StringIO(text)) == KEY.key_id
    assert len(parsed) == 2
    budi, boat = list(parsed)
    assert budi.ref == entity_ref(KEY, "th-case-17-budi-santoso") and budi.schema == "Person"
    assert {kind for kind, _ in budi.selectors} == {Kind.PHONE, Kind.EMAIL, Kind.PASSPORT}
    assert (Kind.PASSPORT, KEY.blind(Kind.PASSPORT, "ID:A1234567")) in budi.selectors
    assert budi.person is not None and len(budi.person.bloom) == bloom.BYTES and budi.person.blocks
    assert boat.schema == "Vessel" and boat.selectors == ((Kind.IMO, KEY.blind(Kind.IMO, "9074729")),)
    assert boat.person is None


def test_a_file_under_another_key_is_refused_by_name() -> None:
    text, _ = written(key=MatchingKey.generate())
    with pytest.raises(SelectorFileError, match="encoded under key .* the hub matches under"):
        read_selector_file(io.StringIO(text), expected_key_ids=[KEY.key_id])


def document() -> dict[str, Any]:
    return json.loads(written()[0])


def refused(doc: Any) -> str:
    with pytest.raises(SelectorFileError) as error:
        read_selector_file(io.StringIO(doc if isinstance(doc, str) else json.dumps(doc)))
    return str(error.value)


def test_the_file_as_written_passes() -> None:
    assert len(read_selector_file(io.StringIO(json.dumps(document())))) == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "format"),
        (lambda d: d.update(version=VERSION - 1), f"version {VERSION - 1}"),  # an older encoder's
        (lambda d: d.update(version=VERSION + 1), f"version {VERSION + 1}"),
        (lambda d: d.update(key_id="XYZ"), "key_id"),
        (lambda d: d.update(created="yesterday"), "created"),
        (lambda d: d.update(count=7), "says 7 records"),
        (lambda d: d.update(names=["Budi"]), "unexpected field 'names'"),
        (lambda d: d.update(records={}), "records must be a list"),
        (lambda d: d["records"][1].update(ref="th-case-17-boat"), r"record 2 \(ref\)"),
        (lambda d: d["records"][0].update(schema="Robot"), r"record 1 \(schema\)"),
        (
            lambda d: d["records"][0].update(caption="Budi Santoso"),
            r"record 1 \(record\): unexpected field 'caption'",
        ),
        (lambda d: d["records"][0].pop("person"), "missing field 'person'"),
        (lambda d: d["records"][0]["selectors"][0].update(kind="name"), r"record 1 \(selectors\[0\]\.kind\)"),
        (lambda d: d["records"][0]["selectors"][0].update(kind="person"), "unknown kind 'person'"),
        (lambda d: d["records"][0]["selectors"][1].update(digest="ab" * 16), r"selectors\[1\]\.digest"),
        (lambda d: d["records"][0]["selectors"][1].update(value="+66812345678"), "unexpected field 'value'"),
        (lambda d: d["records"][0]["person"].update(bloom="AAAA"), r"person\.bloom"),
        (
            lambda d: d["records"][0]["person"].update(
                bloom=base64.b64encode(b"\xff" * bloom.BYTES).decode()
            ),
            "reserved",
        ),
        (lambda d: d["records"][0]["person"].update(blocks=[1.5]), r"person\.blocks"),
        (lambda d: d["records"][0]["person"].update(blocks=[2**63]), "signed 64-bit"),
        (lambda d: d["records"][0]["person"].update(blocks=[True]), "signed 64-bit"),
        (lambda d: d["records"][0]["person"].update(blocks=list(range(65))), "at most 64"),
        (lambda d: d["records"][2].update(selectors=[]), r"record 3 \(selectors\): a record needs"),
        (lambda d: d["records"].append(copy.deepcopy(d["records"][0])), "person encoding twice"),
    ],
)
def test_every_field_is_checked_and_the_error_names_record_and_field(change: Any, message: str) -> None:
    doc = document()
    change(doc)
    if message != "says 7 records" and isinstance(doc["records"], list):
        doc["count"] = len(doc["records"])  # a record added or removed on purpose keeps the count true
    assert re.search(message, refused(doc))


def test_a_truncated_or_non_json_file_is_refused() -> None:
    text, _ = written()
    assert "invalid JSON" in refused(text[: len(text) // 2])
    assert "format" in refused("[]")
