"""The analysis core on small hand-built graphs whose answers are known."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from disrupt.intel import analysis
from disrupt.intel.analysis import (
    Entity,
    Link,
    betweenness,
    brokers,
    build_network,
    command_lines,
    communities,
    components,
    default_resolution,
    disruption_targets,
    from_ftm,
    money_flows,
    removal_effects,
    sampled_sources,
)


def people(ids: str, country: str = "id") -> list[Entity]:
    return [Entity(i, "Person", country) for i in ids]


def tie(a: str, b: str, schema: str = "Associate") -> Link:
    return Link(a, b, schema)


def two_cells_and_a_bridge() -> tuple[list[Entity], list[Link]]:
    """Two triangles (a b c in Indonesia, d e f in Australia) joined only through x."""
    entities = people("abc", "id") + people("def", "au") + [Entity("x", "Person", "my")]
    links = [tie("a", "b"), tie("b", "c"), tie("a", "c"), tie("d", "e"), tie("e", "f"), tie("d", "f")]
    links += [tie("c", "x"), tie("x", "d")]
    return entities, links


def test_components_flag_cross_border() -> None:
    entities = people("ab", "id") + people("cd", "th") + [Entity("e", "Person", "au")]
    network = build_network(entities, [tie("a", "b"), tie("c", "d"), tie("d", "e")])
    found = {frozenset(c.members): c for c in components(network)}
    assert set(found) == {frozenset("ab"), frozenset("cde")}
    assert found[frozenset("ab")].cross_border is False
    assert found[frozenset("cde")].cross_border is True
    assert found[frozenset("cde")].countries == ["au", "th"]


def test_bridge_is_top_broker_and_top_target() -> None:
    network = build_network(*two_cells_and_a_bridge())
    top = brokers(network)[0]
    assert top.entity_id == "x"
    assert top.approximate is False
    target = disruption_targets(network)[0]
    # c, x and d are all articulation points; removing x leaves two equal cells of 3.
    assert target.entity_id == "x"
    assert (target.largest_before, target.largest_after) == (7, 3)
    assert (target.components_before, target.components_after) == (1, 2)


def test_exact_betweenness_equals_networkx() -> None:
    rng = random.Random(7)
    names = [f"p{i}" for i in range(60)]
    pairs = {tuple(sorted(rng.sample(names, 2))) for _ in range(150)}
    links = [tie(a, b) for a, b in pairs]
    network = build_network([Entity(n, "Person") for n in names], links)
    ours = betweenness(network)
    reference = nx.betweenness_centrality(nx.Graph(list(pairs)), normalized=False)
    for name in names:
        assert ours[network.index[name]] == pytest.approx(reference.get(name, 0.0), abs=1e-9)


def test_leiden_is_deterministic_and_finds_the_cells() -> None:
    entities, links = two_cells_and_a_bridge()
    network = build_network(entities, links)
    first = [sorted(c.members) for c in communities(network, seed=3)]
    again = [sorted(c.members) for c in communities(network, seed=3)]
    assert first == again
    groups = [set(members) for members in first]
    assert any({"a", "b", "c"} <= g for g in groups)
    assert any({"d", "e", "f"} <= g for g in groups)
    assert not any({"a", "d"} <= g for g in groups)


def test_payment_round_trip_detected_and_flows_summed() -> None:
    entities = [Entity(i, "BankAccount", "au") for i in ("acc1", "acc2", "acc3", "acc4")]
    links = [
        Link("acc1", "acc2", "Payment", 9_500, "AUD"),
        Link("acc1", "acc2", "Payment", 9_800, "AUD"),
        Link("acc2", "acc3", "Payment", 19_000, "AUD"),
        Link("acc3", "acc1", "Payment", 18_500, "AUD"),
        Link("acc3", "acc4", "Payment", 100, "AUD"),
    ]
    money = money_flows(build_network(entities, links))
    assert money.cycles == [["acc1", "acc2", "acc3"]]
    first = next(f for f in money.flows if (f.source, f.target) == ("acc1", "acc2"))
    assert (first.total, first.count) == (19_300, 2)
    assert money.fan_out["acc3"] == 2
    assert money.fan_in["acc4"] == 1


def test_hidden_nodes_are_excluded() -> None:
    entities, links = two_cells_and_a_bridge()
    # The bridge x lives only in a collection this user cannot see: the caller leaves it out.
    visible = [e for e in entities if e.id != "x"]
    network = build_network(visible, links)
    assert network.dropped_links == 2
    assert "x" not in network.index
    assert all(b.entity_id != "x" for b in brokers(network))
    assert all(t.entity_id != "x" for t in disruption_targets(network))
    found = [set(c.members) for c in components(network)]
    assert sorted(found, key=sorted) == [set("abc"), set("def")]
    assert all(c.cross_border is False for c in components(network))


def test_command_lines_from_directorships() -> None:
    entities = [Entity("boss", "Person"), Entity("co", "Company"), Entity("sub", "Company")]
    entities += people("mn")
    links = [
        tie("boss", "co", "Directorship"),
        tie("sub", "co", "Ownership"),
        tie("sub", "co", "Membership"),
        tie("m", "sub", "Membership"),
        tie("n", "sub", "Directorship"),
    ]
    lines = command_lines(build_network(entities, links))
    assert len(lines) == 1
    assert lines[0].root == "co"
    assert lines[0].members == {"co": 0, "boss": 1, "sub": 1, "m": 2, "n": 2}


def test_from_ftm_reads_nodes_links_and_payments_between_accounts() -> None:
    person = from_ftm({"id": "p1", "schema": "Person", "properties": {}}, "th")
    assert person == Entity("p1", "Person", "th")
    payment = from_ftm(
        {
            "id": "pay1",
            "schema": "Payment",
            "properties": {
                "payer": ["p1"],
                "payerAccount": ["acc1"],
                "beneficiary": ["p2"],
                "beneficiaryAccount": ["acc2"],
                "amount": ["9500"],
                "currency": ["AUD"],
            },
        }
    )
    assert payment == Link("acc1", "acc2", "Payment", 9500.0, "AUD")
    director = from_ftm({"id": "d", "schema": "Directorship", "properties": {"director": ["p1"]}})
    assert director is None  # no organisation: not a usable link


def test_brokers_with_cutoff_are_marked_approximate() -> None:
    network = build_network(*two_cells_and_a_bridge())
    approximate = brokers(network, cutoff=3)
    assert all(b.approximate for b in approximate)
    # Paths of at most 3 steps: x lies on c-d, a-d, b-d, c-e, c-f (5); c on a-x, b-x, a-d, b-d (4).
    assert [(b.entity_id, b.betweenness) for b in approximate[:1]] == [("x", 5.0)]
    # Shorter still, the cut-off hides x's reach and its neighbours overtake it (documented bias).
    assert brokers(network, cutoff=2)[0].entity_id in {"c", "d"}


def test_default_resolution_is_one_on_small_graphs_and_grows_with_edges() -> None:
    small = build_network(*two_cells_and_a_bridge())
    assert default_resolution(small.graph) == 1.0
    names = [f"p{i}" for i in range(2_000)]
    ring = [tie(names[i], names[(i + 1) % len(names)]) for i in range(len(names))]
    ring += [tie(names[i], names[(i + 7) % len(names)]) for i in range(len(names))]
    big = build_network([Entity(n, "Person") for n in names], ring)
    assert default_resolution(big.graph) == pytest.approx((4_000**0.5) / 25)


def random_network(seed: int, size: int = 80, ties: int = 110) -> tuple[list[str], list[tuple[str, str]]]:
    """Sparse enough to have several components, leaves and articulation points."""
    rng = random.Random(seed)
    names = [f"p{i}" for i in range(size)]
    pairs = sorted({tuple(sorted(rng.sample(names, 2))) for _ in range(ties)})
    return names, [(a, b) for a, b in pairs]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_removal_effects_equal_removing_each_entity_in_networkx(seed: int) -> None:
    names, pairs = random_network(seed)
    network = build_network([Entity(n, "Person") for n in names], [tie(a, b) for a, b in pairs])
    effects = removal_effects(network.graph)
    reference = nx.Graph(pairs)
    reference.add_nodes_from(names)
    for name in names:
        reduced = reference.copy()
        own = nx.node_connected_component(reference, name)
        reduced.remove_node(name)
        pieces = [len(c) for c in nx.connected_components(reduced.subgraph(own - {name}))]
        v = network.index[name]
        assert effects.pieces[v] == len(pieces), name
        assert effects.largest_piece[v] == max(pieces, default=0), name


def test_disruption_targets_rank_as_removing_each_entity_would() -> None:
    names, pairs = random_network(4, size=120, ties=150)
    network = build_network([Entity(n, "Person") for n in names], [tie(a, b) for a, b in pairs])
    reference = nx.Graph(pairs)
    reference.add_nodes_from(names)
    largest = max(len(c) for c in nx.connected_components(reference))
    measured = {}
    for name in names:
        reduced = reference.copy()
        reduced.remove_node(name)
        sizes = [len(c) for c in nx.connected_components(reduced)]
        measured[name] = (largest - max(sizes, default=0), len(sizes))
    targets = disruption_targets(network, top=10)
    for target in targets:
        assert (target.fragmentation, target.components_after) == measured[target.entity_id]
    best = max(measured.values())
    assert (targets[0].fragmentation, targets[0].components_after) == best
    assert [t.fragmentation for t in targets] == sorted((m[0] for m in measured.values()), reverse=True)[:10]


def test_components_equal_networkx() -> None:
    names, pairs = random_network(5)
    network = build_network([Entity(n, "Person") for n in names], [tie(a, b) for a, b in pairs])
    reference = nx.Graph(pairs)
    reference.add_nodes_from(names)
    ours = sorted(sorted(c.members) for c in components(network))
    assert ours == sorted(sorted(c) for c in nx.connected_components(reference))


def test_estimated_betweenness_is_networkx_from_the_same_sources_scaled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(analysis, "EXACT_BETWEENNESS_LIMIT", 50)
    names, pairs = random_network(6, size=90, ties=200)
    network = build_network([Entity(n, "Person") for n in names], [tie(a, b) for a, b in pairs])
    ours = betweenness(network, sources=20, seed=3)
    sources = [network.ids[v] for v in sampled_sources(len(names), 20, seed=3)]
    reference = nx.Graph(pairs)
    reference.add_nodes_from(names)
    subset = nx.betweenness_centrality_subset(reference, sources, names, normalized=False)
    for name in names:
        assert ours[network.index[name]] == pytest.approx(subset[name] * len(names) / 20, abs=1e-9)
    assert all(b.approximate for b in brokers(network, scores=ours))
    # Below the limit it is exact again.
    monkeypatch.setattr(analysis, "EXACT_BETWEENNESS_LIMIT", 1_000)
    exact = nx.betweenness_centrality(reference, normalized=False)
    assert betweenness(network) == pytest.approx([exact[n] for n in network.ids], abs=1e-9)
