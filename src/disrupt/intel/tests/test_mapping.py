"""CSV and XLSX imports through a FollowTheMoney mapping: rows become linked entities as
followthemoney maps them, a bad cell is named by its row and property, a bad mapping by what is
wrong with it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from disrupt.conftest import Cast
from disrupt.intel.choices import ImportFormat, JobStatus
from disrupt.intel.mapping import check_mapping, map_record
from disrupt.intel.models import Entity, ImportJob
from disrupt.intel.tests.importing import import_file, make_collection, start

pytestmark = pytest.mark.django_db

MAPPING: dict[str, Any] = {
    "entities": {
        "person": {
            "schema": "Person",
            "keys": ["passport"],
            "properties": {
                "name": {"column": "full_name"},
                "passportNumber": {"column": "passport"},
                "birthDate": {"column": "born"},
                "country": {"column": "country"},
                "phone": {"column": "phone"},
            },
        },
        "account": {
            "schema": "BankAccount",
            "keys": ["iban"],
            "properties": {"iban": {"column": "iban"}},
        },
        "ownership": {
            "schema": "Ownership",
            "keys": ["passport", "iban"],
            "key_literal": "ownership",
            "properties": {"owner": {"entity": "person"}, "asset": {"entity": "account"}},
        },
    }
}

HEADER = ["full_name", "passport", "born", "country", "phone", "iban"]
ROWS = [
    ["Budi Santosa", "B1234567", "1980-04-02", "Indonesia", "+62 812 3456 7890", "DE89370400440532013000"],
    ["Ayu Lestari", "B7654321", "1991-11-30", "id", "+628129876543", "GB29NWBK60161331926819"],
    ["Budi Santosa", "B1234567", "", "id", "", "DE89370400440532013000"],  # the same person again
]


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def csv_bytes(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(row) for row in [HEADER, *rows]).encode() + b"\n"


def xlsx_bytes(rows: list[list[Any]], sheet: str = "People") -> bytes:
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = "Notes"
    cover.append(["Synthetic test data"])
    people = workbook.create_sheet(sheet)
    people.append(HEADER)
    for row in rows:
        people.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check(live: dict[str, Entity]) -> None:
    people = [e for e in live.values() if e.schema == "Person"]
    assert sorted(p.caption for p in people) == ["Ayu Lestari", "Budi Santosa"]
    budi = next(p for p in people if p.caption == "Budi Santosa")
    assert budi.properties["birthDate"] == ["1980-04-02"] and budi.properties["country"] == ["id"]
    assert budi.properties["phone"] == ["+6281234567890"]
    ownerships = [e for e in live.values() if e.schema == "Ownership"]
    assert len(ownerships) == 2
    assert {(o.source, live[o.target].schema) for o in ownerships} >= {(budi.ftm_id, "BankAccount")}


def test_a_csv_file_maps_rows_to_linked_entities(cast: Cast) -> None:
    collection = make_collection(cast)
    job = import_file(
        cast.investigator_id,
        collection,
        csv_bytes(ROWS),
        name="people.csv",
        format=ImportFormat.CSV,
        mapping=MAPPING,
    )
    assert job.status == JobStatus.DONE, job.errors
    assert job.entities_added == 6  # two people, two accounts, two ownerships; row 4 merges into row 2
    _check({e.ftm_id: e for e in Entity.objects.filter(collection=collection)})


def test_a_workbook_maps_the_chosen_sheet(cast: Cast) -> None:
    collection = make_collection(cast)
    rows: list[list[Any]] = [list(row) for row in ROWS]
    rows[1][1] = 7654321  # a number typed into a cell reads as the number, not 7654321.0
    job = import_file(
        cast.investigator_id,
        collection,
        xlsx_bytes(rows),
        name="people.xlsx",
        format=ImportFormat.XLSX,
        mapping={**MAPPING, "sheet": "People"},
    )
    assert job.status == JobStatus.DONE, job.errors
    live = {e.ftm_id: e for e in Entity.objects.filter(collection=collection)}
    _check(live)
    assert any(e.properties.get("passportNumber") == ["7654321"] for e in live.values())


def test_a_bad_cell_in_a_csv_file_is_named_by_line_and_property(cast: Cast) -> None:
    collection = make_collection(cast)
    rows = [list(row) for row in ROWS]
    rows[1][2] = "yesterday"
    job = import_file(
        cast.investigator_id,
        collection,
        csv_bytes(rows),
        name="people.csv",
        format=ImportFormat.CSV,
        mapping=MAPPING,
    )
    assert job.status == JobStatus.INVALID
    assert job.errors == [{"line": 3, "property": "birthDate", "message": "'yesterday' is not a valid date."}]
    assert not Entity.all_rows.filter(collection=collection).exists()


def test_a_bad_cell_in_a_workbook_is_named_by_sheet_row_and_property(cast: Cast) -> None:
    collection = make_collection(cast)
    rows: list[list[Any]] = [list(row) for row in ROWS]
    rows[2][3] = "Atlantis"
    job = import_file(
        cast.investigator_id,
        collection,
        xlsx_bytes(rows),
        name="people.xlsx",
        format=ImportFormat.XLSX,
        mapping={**MAPPING, "sheet": "People"},
    )
    assert job.status == JobStatus.INVALID
    assert [(e["sheet"], e["row"], e["property"]) for e in job.errors] == [("People", 4, "country")]


def test_a_file_that_is_not_a_workbook_is_refused_with_a_reason(cast: Cast) -> None:
    collection = make_collection(cast)
    job = import_file(
        cast.investigator_id,
        collection,
        b"not a zip",
        name="x.xlsx",
        format=ImportFormat.XLSX,
        mapping=MAPPING,
    )
    assert job.status == JobStatus.INVALID
    assert "not an Excel workbook" in job.errors[0]["message"]


def test_a_sheet_the_workbook_lacks_is_named(cast: Cast) -> None:
    collection = make_collection(cast)
    job = import_file(
        cast.investigator_id,
        collection,
        xlsx_bytes(ROWS),
        name="people.xlsx",
        format=ImportFormat.XLSX,
        mapping={**MAPPING, "sheet": "Suspects"},
    )
    assert job.status == JobStatus.INVALID and "no sheet 'Suspects'" in job.errors[0]["message"]


@pytest.mark.parametrize(
    ("mapping", "says"),
    [
        ([], "object with `entities`"),
        ({"entities": {}}, "no `entities`"),
        ({"entities": {"p": {"schema": "Spaceship", "keys": ["a"]}}}, "Invalid schema"),
        ({"entities": {"p": {"schema": "Person", "properties": {"name": {"column": "a"}}}}}, "No keys"),
        (
            {
                "entities": {
                    "p": {"schema": "Person", "keys": ["a"], "properties": {"wings": {"column": "a"}}}
                }
            },
            "wings",
        ),
        ({"entities": {"p": {"schema": "Thing", "keys": ["a"]}}}, "abstract"),
        (
            {
                "entities": {
                    "o": {"schema": "Ownership", "keys": ["a"], "properties": {"owner": {"entity": "x"}}}
                }
            },
            "No entity [x]",
        ),
    ],
)
def test_a_bad_mapping_is_refused_naming_what_is_wrong(cast: Cast, mapping: Any, says: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_mapping(mapping)
    assert says in str(raised.value.message_dict["mapping"])
    collection = make_collection(cast)
    with pytest.raises(ValidationError):
        start(cast.investigator_id, collection, b"a\n1\n", format=ImportFormat.CSV, mapping=mapping)
    assert not ImportJob.objects.exists()


def test_a_source_in_the_mapping_is_never_read() -> None:
    query = check_mapping({**MAPPING, "csv_url": "file:///etc/passwd", "database": "sqlite:///x"})
    entities, problems = map_record(query, {"full_name": "Budi", "passport": "B1"})
    assert problems == [] and [e["schema"] for e in entities] == ["Person", "Ownership"]
