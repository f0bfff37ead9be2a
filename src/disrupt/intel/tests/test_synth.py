"""The synthetic network generator: valid FtM, deterministic, truthful about itself, bounded in memory."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tracemalloc
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from followthemoney import model
from followthemoney.types import registry

from disrupt.intel.synth import LINK_SCHEMATA, Params, country_path, generate, truth_path

Network = tuple[list[dict[str, Any]], dict[str, Any]]


def read_lines(path: Path) -> list[dict[str, Any]]:
    opener: Any = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Network:
    out = tmp_path_factory.mktemp("synth") / "net.ftm.json"
    generate(Params(seed=11, entities=2000, links_per_entity=2.0), out)
    return read_lines(out), json.loads(truth_path(out).read_text())


def references(entity: dict[str, Any]) -> list[str]:
    schema = model.get(entity["schema"])
    assert schema is not None
    return [
        value
        for name, values in entity["properties"].items()
        if schema.properties[name].type == registry.entity
        for value in values
    ]


def test_every_entity_is_valid_and_already_clean(network: Network) -> None:
    entities, _ = network
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None, entity
        assert schema.validate(entity) is None  # raises InvalidData naming the property otherwise
        # validate() only checks the properties that are present, so the required ones separately.
        assert all(entity["properties"].get(name) for name in schema.required), entity
        # FtM's own cleaning changes nothing: the values were written in canonical form.
        proxy = model.get_proxy({k: v for k, v in entity.items() if k != "collection"}, cleaned=False)
        cleaned = proxy.to_dict()["properties"]
        written = {k: sorted(v) for k, v in entity["properties"].items()}
        assert {k: sorted(v) for k, v in cleaned.items()} == written, entity
        assert entity["properties"]["publisher"][0].startswith("Disrupt synthetic network generator")


def test_references_point_at_entities_of_the_file(network: Network) -> None:
    entities, _ = network
    ids = {e["id"] for e in entities}
    assert len(ids) == len(entities)
    dangling = [(e["id"], ref) for e in entities for ref in references(e) if ref not in ids]
    assert dangling == []


def test_the_counts_are_as_asked(network: Network) -> None:
    entities, truth = network
    nodes = [e for e in entities if e["schema"] not in LINK_SCHEMATA]
    assert len(nodes) == 2000 == truth["counts"]["nodes"]
    assert len(entities) - len(nodes) == truth["counts"]["links"]
    assert 1.8 <= truth["counts"]["links"] / len(nodes) <= 2.2
    assert truth["synthetic"] is True and truth["seed"] == 11


def test_every_person_is_in_one_syndicate_or_unaffiliated(network: Network) -> None:
    entities, truth = network
    people = {e["id"] for e in entities if e["schema"] == "Person"}
    placed: dict[str, int] = defaultdict(int)
    for syndicate in truth["syndicates"]:
        for person in syndicate["members"]:
            placed[person] += 1
    for person in truth["unaffiliated"]:
        placed[person] += 1
    assert set(placed) == people
    assert set(placed.values()) == {1}
    assert len(truth["syndicates"]) == truth["counts"]["syndicates"] >= 10


def test_identity_clusters_are_existing_people_of_one_syndicate(
    network: Network,
) -> None:
    entities, truth = network
    by_id = {e["id"]: e for e in entities}
    syndicate_of = {p: s["id"] for s in truth["syndicates"] for p in s["members"]}
    assert len(truth["identities"]) >= 5
    for cluster in truth["identities"]:
        assert len(cluster) >= 2
        records = [by_id[i] for i in cluster]
        assert {r["schema"] for r in records} == {"Person"}
        assert len({syndicate_of[i] for i in cluster}) == 1
        # The same human in different countries' collections, under different spellings...
        assert len({r["collection"] for r in records}) == len(cluster)
        assert all(r["properties"]["name"] != records[0]["properties"]["name"] for r in records[1:])
        # ...with the same birth year and the same phone.
        assert len({r["properties"]["birthDate"][0][:4] for r in records}) == 1
        assert len({r["properties"]["phone"][0] for r in records}) == 1


def test_brokers_have_fan_in_and_fan_out(network: Network) -> None:
    entities, truth = network
    payers_into: dict[str, set[str]] = defaultdict(set)
    payees_from: dict[str, set[str]] = defaultdict(set)
    for e in entities:
        if e["schema"] == "Payment" and "payerAccount" in e["properties"]:
            payer, payee = e["properties"]["payerAccount"][0], e["properties"]["beneficiaryAccount"][0]
            payers_into[payee].add(payer)
            payees_from[payer].add(payee)
    busiest = max(truth["brokers"], key=lambda b: len(payers_into[b["account"]]))
    assert len(payers_into[busiest["account"]]) >= 5
    assert len(payees_from[busiest["account"]]) >= 5


def test_payment_cycles_and_structuring_are_in_the_payments(
    network: Network,
) -> None:
    entities, truth = network
    flows: dict[tuple[str, str], list[int]] = defaultdict(list)
    for e in entities:
        if e["schema"] == "Payment" and "payerAccount" in e["properties"]:
            key = (e["properties"]["payerAccount"][0], e["properties"]["beneficiaryAccount"][0])
            flows[key].append(int(e["properties"]["amount"][0]))
    assert truth["cycles"]
    for cycle in truth["cycles"]:
        for i, account in enumerate(cycle):
            assert flows[(account, cycle[(i + 1) % len(cycle)])]
    assert truth["structuring"]
    for run in truth["structuring"]:
        below = [a for a in flows[(run["payer_account"], run["beneficiary_account"])] if 9000 <= a < 10_000]
        assert len(below) >= run["payments"] >= 4


def test_syndicates_cross_borders(network: Network) -> None:
    entities, truth = network
    collection_of = {e["id"]: e["collection"] for e in entities}
    crossing = [s for s in truth["syndicates"] if len({collection_of[p] for p in s["members"]}) >= 2]
    assert len(crossing) >= 0.8 * len(truth["syndicates"])
    # The links themselves cross collections: a link recorded in one country names an entity of another.
    links = [e for e in entities if e["schema"] in LINK_SCHEMATA]
    assert any(collection_of[ref] != e["collection"] for e in links for ref in references(e))


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    for name in ("a.ftm.json", "b.ftm.json", "c.ftm.json.gz", "d.ftm.json.gz"):
        generate(Params(seed=3 if name[0] != "b" else 4, entities=1000), tmp_path / name)
    assert (tmp_path / "a.ftm.json").read_bytes() != (tmp_path / "b.ftm.json").read_bytes()
    generate(Params(seed=4, entities=1000), tmp_path / "e.ftm.json")
    assert (tmp_path / "b.ftm.json").read_bytes() == (tmp_path / "e.ftm.json").read_bytes()
    assert (tmp_path / "b.truth.json").read_bytes() == (tmp_path / "e.truth.json").read_bytes()
    generate(Params(seed=3, entities=1000), tmp_path / "d.ftm.json.gz")
    assert (tmp_path / "c.ftm.json.gz").read_bytes() == (tmp_path / "d.ftm.json.gz").read_bytes()
    unzipped = gzip.decompress((tmp_path / "c.ftm.json.gz").read_bytes())
    assert unzipped == (tmp_path / "a.ftm.json").read_bytes()


def test_per_country_files_hold_the_same_entities(tmp_path: Path) -> None:
    single, split = tmp_path / "one.ftm.json", tmp_path / "split.ftm.json"
    generate(Params(seed=5, entities=1000), single)
    counts = generate(Params(seed=5, entities=1000), split, per_country=True)
    by_collection: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in read_lines(single):
        by_collection[e.pop("collection")].append(e)
    assert set(by_collection) == set(counts["collections"])
    for collection, expected in by_collection.items():
        assert read_lines(country_path(split, collection)) == expected


def test_memory_stays_bounded_at_200k_entities(tmp_path: Path) -> None:
    out = tmp_path / "big.ftm.json"
    tracemalloc.start()
    try:
        counts = generate(Params(seed=1, entities=70_000, links_per_entity=2.0), out)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert counts["entities"] >= 200_000
    size = out.stat().st_size
    # The ground-truth lists of unaffiliated people and identities grow with the run; the
    # entities themselves never accumulate.
    assert peak < size / 10, (peak, size)


def test_the_command_writes_the_network_and_its_truth(tmp_path: Path) -> None:
    out = tmp_path / "cmd.ftm.json"
    call_command("synth", "network", "--seed", "9", "--entities", "500", "--out", str(out))
    lines = read_lines(out)
    assert sum(e["schema"] not in LINK_SCHEMATA for e in lines) == 500
    assert json.loads(truth_path(out).read_text())["seed"] == 9


def test_the_command_refuses_a_tiny_network_and_an_unknown_kind(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="at least 200"):
        call_command("synth", "network", "--entities", "10", "--out", str(tmp_path / "x.ftm.json"))
    with pytest.raises(CommandError):
        call_command("synth", "people", "--out", str(tmp_path / "x.ftm.json"))
    assert not (tmp_path / "x.ftm.json").exists()


def test_the_ftm_command_line_tool_accepts_the_file_unchanged(tmp_path: Path) -> None:
    out, checked = tmp_path / "net.ftm.json", tmp_path / "checked.ftm.json"
    generate(Params(seed=2, entities=300), out)
    ftm = Path(sys.executable).with_name("ftm")
    command = [str(ftm), "validate", "-i", str(out), "-o", str(checked)]
    subprocess.run(command, check=True, capture_output=True)

    def essence(entity: dict[str, Any]) -> tuple[Any, ...]:
        properties = {k: sorted(v) for k, v in entity["properties"].items()}
        return entity["id"], entity["schema"], entity["collection"], properties

    assert [essence(e) for e in read_lines(checked)] == [essence(e) for e in read_lines(out)]


def test_the_bytes_do_not_depend_on_the_process_hash_seed(tmp_path: Path) -> None:
    # Set iteration order changes with PYTHONHASHSEED; the output must not.
    script = (
        "import sys; from pathlib import Path; from disrupt.intel.synth import Params, generate; "
        "generate(Params(seed=5, entities=1000), Path(sys.argv[1]))"
    )
    for hash_seed in ("1", "2"):
        out = tmp_path / f"h{hash_seed}.ftm.json"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, env=env, capture_output=True)
    assert (tmp_path / "h1.ftm.json").read_bytes() == (tmp_path / "h2.ftm.json").read_bytes()
    assert (tmp_path / "h1.truth.json").read_bytes() == (tmp_path / "h2.truth.json").read_bytes()
