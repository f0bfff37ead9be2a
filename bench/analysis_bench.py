"""Analysis speed, igraph (the project's analysis) against networkx, on the same synthetic graph.

Run: `.venv/bin/python bench/analysis_bench.py --sizes 10000 [100000] [--sources 200]`.

For each size the synthetic network (disrupt.intel.synth, seed 7) is built in memory and turned
into one graph; both libraries then compute, on exactly the same vertices and edges:
- connected components (checked equal);
- betweenness from the same random sample of source vertices to all targets (igraph subset
  betweenness, networkx betweenness_centrality_subset; checked equal to 1e-6);
- communities: igraph Leiden (modularity) against networkx Louvain, both scored by adjusted Rand
  index against the synthetic syndicates (over the vertices that belong to a true syndicate).
Then the whole analysis.py pipeline is timed once (brokers approximate above
EXACT_BETWEENNESS_LIMIT vertices). Graph construction is not timed. CPU seconds are printed:
the machine is shared.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

import igraph
import networkx as nx

from disrupt.intel import analysis
from disrupt.intel.analysis import Entity, Link, Network, build_network, community_membership, from_ftm
from disrupt.intel.synth import NetworkGenerator, Params


def synthetic(size: int) -> tuple[Network, dict[str, str], int]:
    generator = NetworkGenerator(Params(seed=7, entities=size))
    entities: list[Entity] = []
    links: list[Link] = []
    for collection, raw in generator.stream():
        item = from_ftm(raw, collection)
        if isinstance(item, Entity):
            entities.append(item)
        elif item is not None:
            links.append(item)
    truth = {member: s["id"] for s in generator.truth_syndicates for member in s["members"]}
    return build_network(entities, links), truth, len(links)


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    started = time.process_time()
    result = work()
    return result, time.process_time() - started


def ari(network: Network, truth: dict[str, str], membership: list[int]) -> float:
    labels = {label: n for n, label in enumerate(sorted(set(truth.values())))}
    vertices = [network.index[e] for e in truth if e in network.index]
    found = [membership[v] for v in vertices]
    true = [labels[truth[network.ids[v]]] for v in vertices]
    return float(igraph.compare_communities(true, found, method="adjusted_rand"))


def run(size: int, sample: int) -> None:
    network, truth, link_count = synthetic(size)
    graph = network.graph
    nxg = nx.Graph(graph.get_edgelist())
    nxg.add_nodes_from(range(graph.vcount()))
    print(f"\n{size} nodes requested: {graph.vcount()} vertices, {graph.ecount()} edges ({link_count} links)")

    ig_comp, ig_t = timed(graph.connected_components)
    nx_comp, nx_t = timed(lambda: list(nx.connected_components(nxg)))
    same = sorted(sorted(c) for c in ig_comp) == sorted(sorted(c) for c in nx_comp)
    report("components", ig_t, nx_t, f"same: {same}")

    sources = random.Random(1).sample(range(graph.vcount()), min(sample, graph.vcount()))
    ig_bt, ig_t = timed(lambda: graph.betweenness(directed=False, sources=sources, targets=None))
    nx_bt, nx_t = timed(
        lambda: nx.betweenness_centrality_subset(nxg, sources, list(nxg.nodes), normalized=False)
    )
    diff = max(abs(ig_bt[v] - nx_bt[v]) for v in range(graph.vcount()))
    report(f"betweenness ({len(sources)} sources)", ig_t, nx_t, f"max diff {diff:.1e}")

    leiden, ig_t = timed(lambda: community_membership(network, seed=7))
    louvain_sets, nx_t = timed(lambda: nx.community.louvain_communities(nxg, seed=7))
    louvain = [0] * graph.vcount()
    for number, members in enumerate(louvain_sets):
        for v in members:
            louvain[v] = number
    scores = f"ARI leiden {ari(network, truth, leiden):.3f}, louvain {ari(network, truth, louvain):.3f}"
    report("leiden vs louvain", ig_t, nx_t, scores)

    _, whole = timed(lambda: full_analysis(network))
    print(f"  whole analysis.py pipeline (all six analyses): {whole:.2f}s")


def full_analysis(network: Network) -> None:
    analysis.components(network)
    analysis.communities(network, seed=7)
    scores = analysis.betweenness(network)
    analysis.brokers(network, scores=scores)
    analysis.disruption_targets(network, scores=scores)
    analysis.money_flows(network)
    analysis.command_lines(network)


def report(name: str, ours: float, theirs: float, note: str) -> None:
    ratio = theirs / ours if ours > 0 else float("inf")
    print(f"  {name:<28} igraph {ours:8.3f}s  networkx {theirs:8.3f}s  ratio {ratio:7.1f}x  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--sources", type=int, default=200, help="betweenness source sample size")
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.sources)


if __name__ == "__main__":
    main()
