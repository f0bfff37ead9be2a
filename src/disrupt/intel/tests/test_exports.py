"""Exports: FtM JSON lines that round-trip to the byte and that followthemoney's own `ftm` tool
reads; GraphML and GEXF that networkx and igraph read back; only for those who may see the
collection, and on the record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
import pytest
from django.http import Http404

from disrupt.access.choices import HandlingCode
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.intel import exports
from disrupt.intel.choices import JobStatus
from disrupt.intel.models import Collection, Entity
from disrupt.intel.synth import NetworkGenerator, Params
from disrupt.intel.tests.importing import import_file, lines, make_collection

pytestmark = pytest.mark.django_db

FTM_CLI = Path(sys.executable).parent / "ftm"


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def synthetic(nodes: int = 200) -> list[dict[str, Any]]:
    """A small synthetic network, in the order the generator writes it (not sorted by id)."""
    return [entity for _, entity in NetworkGenerator(Params(seed=11, entities=nodes)).stream()]


def exported(collection: Collection, format: str = "ftm") -> bytes:
    chunks, _, _ = exports.export_stream(collection, format)
    return b"".join(chunks)


@pytest.fixture
def imported(cast: Cast) -> Collection:
    collection = make_collection(cast, "Synthetic")
    job = import_file(cast.investigator_id, collection, lines(synthetic()))
    assert job.status == JobStatus.DONE, job.errors
    return collection


def test_export_import_export_gives_the_same_bytes(cast: Cast, imported: Collection) -> None:
    first = exported(imported)
    again = make_collection(cast, "Round trip")
    job = import_file(cast.investigator_id, again, first)
    assert (
        job.status == JobStatus.DONE
        and job.entities_added == Entity.objects.filter(collection=imported).count()
    )
    assert exported(again) == first
    # …and a third time, through a gzip file and into a third collection.
    third = make_collection(cast, "Third")
    import_file(
        cast.investigator_id, third, lines([json.loads(line) for line in first.splitlines()], gz=True)
    )
    assert exported(third) == first


def test_the_export_is_ordered_by_id_in_one_fixed_form(imported: Collection) -> None:
    rows = [json.loads(line) for line in exported(imported).splitlines()]
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    assert all(list(row) == ["id", "schema", "properties"] for row in rows)
    assert all(list(row["properties"]) == sorted(row["properties"]) for row in rows)
    source = {entity["id"]: entity for entity in synthetic()}
    assert {row["id"] for row in rows} == set(source)
    sample = next(row for row in rows if row["schema"] == "Person")
    assert sample["properties"]["name"] == source[sample["id"]]["properties"]["name"]


def test_the_ftm_command_line_tool_accepts_the_export(imported: Collection, tmp_path: Path) -> None:
    path = tmp_path / "export.ftm.json"
    path.write_bytes(exported(imported))
    out = tmp_path / "validated.ftm.json"
    result = subprocess.run(
        [str(FTM_CLI), "validate", "-i", str(path), "-o", str(out)], capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()
    validated = [json.loads(line) for line in out.read_text().splitlines()]
    original = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(e["id"], e["schema"], e["properties"]) for e in validated] == [
        (e["id"], e["schema"], e["properties"]) for e in original
    ]


def test_graphml_reads_back_in_networkx_and_igraph(imported: Collection, tmp_path: Path) -> None:
    path = tmp_path / "export.graphml"
    path.write_bytes(exported(imported, "graphml"))
    things = Entity.objects.filter(collection=imported, source="")
    ids = set(things.values_list("ftm_id", flat=True))
    links = [
        e
        for e in Entity.objects.filter(collection=imported).exclude(source="")
        if e.source in ids and e.target in ids
    ]
    graph = nx.read_graphml(path)
    assert set(graph.nodes) == ids
    assert graph.number_of_edges() == len(links) > 0
    person = things.filter(schema="Person").first()
    assert person is not None
    assert graph.nodes[person.ftm_id] == {
        "schema": "Person",
        "caption": person.caption,
        "country": person.country,
    }
    payment = next(link for link in links if link.schema == "Payment")
    edge = next(data for _, _, data in graph.edges(data=True) if data.get("caption") == payment.caption)
    assert edge["schema"] == "Payment" and edge["amount"] == payment.amount
    loaded = igraph.Graph.Read_GraphML(str(path))
    assert loaded.is_directed() and loaded.vcount() == len(ids) and loaded.ecount() == len(links)
    assert set(loaded.vs["id"]) == ids


def test_gexf_reads_back_in_networkx(imported: Collection, tmp_path: Path) -> None:
    path = tmp_path / "export.gexf"
    path.write_bytes(exported(imported, "gexf"))
    graph = nx.read_gexf(path)
    things = Entity.objects.filter(collection=imported, source="")
    assert graph.number_of_nodes() == things.count()
    person = things.filter(schema="Person").first()
    assert person is not None
    node = graph.nodes[person.ftm_id]
    assert (node["label"], node["schema"], node["country"]) == (person.caption, "Person", person.country)
    assert graph.number_of_edges() > 0


def test_a_link_to_a_thing_outside_the_collection_is_left_out_of_the_graph(
    cast: Cast, tmp_path: Path
) -> None:
    collection = make_collection(cast)
    entities = [
        {"id": "p-1", "schema": "Person", "properties": {"name": ['A <&> "B"']}},
        {"id": "p-2", "schema": "Person", "properties": {"name": ["C"]}},
        {"id": "a-1", "schema": "Associate", "properties": {"person": ["p-1"], "associate": ["p-2"]}},
        {"id": "a-2", "schema": "Associate", "properties": {"person": ["p-1"], "associate": ["elsewhere"]}},
    ]
    import_file(cast.investigator_id, collection, lines(entities))
    for format, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"g.{format}"
        path.write_bytes(exported(collection, format))
        graph = read(path)
        assert sorted(graph.nodes) == ["p-1", "p-2"] and list(graph.edges) == [("p-1", "p-2")]
    assert 'A <&> "B"' in nx.read_graphml(tmp_path / "g.graphml").nodes["p-1"]["caption"]


# --- Who may export -----------------------------------------------------------------------------


def test_a_reader_exports_and_the_export_is_on_the_record(cast: Cast, imported: Collection) -> None:
    agency = cast.analyst_au.agency
    assert agency is not None
    imported.shared_agencies.set([agency])
    export = exports.export_for(cast.analyst_au, imported, "ftm")
    assert b"".join(export.chunks) == exported(imported)
    assert export.content_type.startswith("application/x-ndjson") and export.extension == "ftm.jsonl"
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor == cast.analyst_au and entry.detail == {
        "of": "collection",
        "collection": imported.pk,
        "format": "ftm",
    }


@pytest.mark.parametrize("who", ["investigator_th", "investigator_au_abf", "observer", "secretariat"])
def test_a_collection_one_cannot_see_does_not_exist_for_export(cast: Cast, who: str) -> None:
    collection = make_collection(cast, code=HandlingCode.AMBER)
    with pytest.raises(Http404):
        exports.export_for(getattr(cast, who), collection, "graphml")
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_an_unknown_format_is_refused(imported: Collection) -> None:
    with pytest.raises(ValueError):
        exports.export_stream(imported, "pdf")
