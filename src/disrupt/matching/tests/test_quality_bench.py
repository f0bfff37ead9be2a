"""The matching quality benchmark (bench/matching_quality_bench.py) runs end to end, offline.

Its --quick mode runs here on a sample, so the bench cannot rot; the figures themselves are the
bench's business (bench/RESULTS.md). What must hold here: both systems produce pairs, the scoring
is right on hand-made cases, and nothing reaches the network.
"""

from __future__ import annotations

import importlib
import ipaddress
import socket
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[4] / "bench"


@pytest.fixture
def bench_modules(monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, ModuleType]:
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("matching_data"), importlib.import_module("matching_quality_bench")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection beyond this machine fails the test (Splink's example data, DuckDB's
    extension downloads would try one)."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            if host != "localhost" and not _loopback(host):
                raise AssertionError(f"the benchmark tried to reach {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def test_metrics_count_each_pair_once_whichever_side_found_it(bench_modules: Any) -> None:
    data, _ = bench_modules
    truth = {("a1", "b1"), ("a2", "b2"), ("a4", "b4"), ("a5", "b5")}
    predicted = [("a1", "b1"), ("b1", "a1"), ("b2", "a2"), ("a3", "b9")]
    result = data.metrics(predicted, truth)
    assert (result.predicted, result.true_positives) == (3, 2)
    assert result.precision == pytest.approx(2 / 3)
    assert result.recall == pytest.approx(1 / 2)
    assert result.f1 == pytest.approx(4 / 7)


def test_metrics_of_no_pairs_are_zero_not_an_error(bench_modules: Any) -> None:
    data, _ = bench_modules
    result = data.metrics([], {("a1", "b1")})
    assert (result.precision, result.recall, result.f1, result.predicted) == (0.0, 0.0, 0.0, 0)


def test_one_to_one_keeps_the_best_partner_from_each_other_source(bench_modules: Any) -> None:
    data, _ = bench_modules
    source_of = {"a1": "a", "a2": "a", "b1": "b", "b2": "b", "c1": "c"}
    scored = [
        ("a1", "b1", 0.90),
        ("a1", "b2", 0.95),
        ("a2", "b2", 0.80),  # b2 is taken by a1
        ("b1", "a2", 0.70),  # left for a2 once a1 has b2
        ("a1", "c1", 0.60),  # a1 may still take one partner from source c
        ("b2", "a1", 0.50),  # the same pair again, scored lower: counted once, at its best
    ]
    kept = data.one_to_one(scored, source_of)
    assert [(x, y) for x, y, _ in kept] == [("a1", "b2"), ("a2", "b1"), ("a1", "c1")]
    assert [score for _, _, score in kept] == [0.95, 0.70, 0.60]


def test_best_threshold_is_the_one_with_the_highest_f1(bench_modules: Any) -> None:
    data, _ = bench_modules
    truth = {("a1", "b1"), ("a2", "b2")}
    scored = [("a1", "b1", 0.9), ("a3", "b3", 0.8), ("a2", "b2", 0.7), ("a4", "b4", 0.6)]
    threshold, best = data.best_threshold(scored, truth)
    assert threshold == 0.7
    assert (best.predicted, best.true_positives) == (3, 2)
    assert data.at_threshold(scored, 0.9, truth).f1 == pytest.approx(2 / 3)


def test_febrl_dates_keep_their_most_precise_valid_prefix(bench_modules: Any) -> None:
    data, _ = bench_modules
    assert data.iso_date("19560409") == "1956-04-09"
    assert data.iso_date("19560230") == "1956-02"
    assert data.iso_date("19561301") == "1956"
    assert data.iso_date(None) is None
    assert data.iso_date("1956") is None


def test_a_febrl_record_becomes_a_person_that_person_of_reads(bench_modules: Any) -> None:
    from disrupt.matching.selectors import person_of

    data, _ = bench_modules
    columns = dict.fromkeys(data.FEBRL_COLUMNS)
    columns.update(given_name="michaela", surname="neumann", date_of_birth="19151111")
    columns.update(street_number="8", address_1="stanley street", suburb="winston hills", postcode="4223")
    columns.update(soc_sec_id="5304218")
    entity = data.febrl_person("rec-1070-org", columns)
    assert entity["properties"]["address"] == ["8 stanley street, winston hills 4223"]
    assert entity["properties"]["socialSecurityNumber"] == ["5304218"]
    person = person_of(entity)
    assert person is not None
    assert set(person.tokens) == {"michaela", "neumann"}
    assert person.birth == "1915-11-11"


def test_quick_run_scores_both_systems_offline(bench_modules: Any, no_network: None, tmp_path: Path) -> None:
    _, bench = bench_modules
    out = tmp_path / "quality.json"
    report = bench.main(["--quick", "--json", str(out)])
    assert out.exists()
    names = [dataset["name"] for dataset in report["datasets"]]
    assert names[0] == "FEBRL4" and names[1].startswith("synthetic network")
    febrl = report["datasets"][0]
    assert (febrl["records"], febrl["true_pairs"]) == (2_000, 1_000)
    for dataset in report["datasets"]:
        assert dataset["true_pairs"] > 0
        at_default = [row for row in dataset["rows"] if row["threshold_label"] != "best (oracle)"]
        systems = {row["system"] for row in at_default}
        assert "ours" in systems and any(system.startswith("Splink") for system in systems)
        for row in at_default:
            found = row["metrics"]
            assert found["predicted"] > 0 and found["true_positives"] > 0, row
            assert 0.0 < found["f1"] <= 1.0
        assert dataset["sweep"], "the threshold sweep of ours is reported"
