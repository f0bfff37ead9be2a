"""Analysis speed: the project's analysis (intel/analysis.py, igraph) against networkx, same graph.

Run (one command, all three sizes):

    .venv/bin/python bench/analysis_bench.py --sizes 10000 100000 1000000 \\
        --million-file /tmp/big.ftm.json

(the 1M file from `disrupt synth network --seed 7 --entities 1000000 --links-per-entity 5.25
--out /tmp/big.ftm.json`, about three CPU minutes to write once; without `--million-file` the
1M network is generated in memory, same seed, same graph).

For each size the synthetic network (seed 7) becomes one graph; on exactly the same vertices
and edges both libraries compute the metrics the analysis reports, and the ratio is printed:
- connected components (checked equal);
- betweenness as the project computes it at that size: exact up to EXACT_BETWEENNESS_LIMIT
  vertices, else from the same BETWEENNESS_SOURCES sampled sources scaled by n/k (networkx:
  betweenness_centrality / betweenness_centrality_subset; checked equal to 1e-6);
- communities: Leiden (the project's configuration) against networkx's Louvain at the same
  resolution (networkx has no Leiden of its own: `leiden_communities` only dispatches to other
  backends), both scored by adjusted Rand index against the synthetic syndicates and by
  modularity; Leiden run to convergence is shown too, to compare quality;
- the whole set: the project's complete pipeline (components, communities, betweenness,
  brokers, disruption targets over every vertex, money flows with cycles, command lines)
  against networkx doing only the graph work of the same metrics (components, betweenness,
  Louvain, biconnected components and articulation points, strongly connected components of
  the payment graph): the networkx side leaves out the pure-Python aggregation, so the ratio
  is conservative.
networkx is skipped above --networkx-limit vertices (at 1M its sampled betweenness alone takes
hours). CPU seconds (time.process_time) are printed: the machine is shared.

`--job 100000` instead stores that network in the database (DATABASE_URL, a migrated scratch
database; with COPY on PostgreSQL) and runs the real analysis job over it (`tasks.run_analysis`,
through the policy); `--job 1000000 --million-file F` does so for the 1M file.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import igraph
import networkx as nx

from disrupt.intel import analysis
from disrupt.intel.analysis import Entity, Link, Network, build_network, community_membership, from_ftm
from disrupt.intel.synth import COUNTRIES, NetworkGenerator, Params


def generated(size: int) -> tuple[Iterator[tuple[str, dict[str, Any]]], Callable[[], dict[str, str]]]:
    generator = NetworkGenerator(Params(seed=7, entities=size))

    def truth() -> dict[str, str]:
        return {member: s["id"] for s in generator.truth_syndicates for member in s["members"]}

    return generator.stream(), truth


def from_file(path: Path) -> tuple[Iterator[tuple[str, dict[str, Any]]], Callable[[], dict[str, str]]]:
    def lines() -> Iterator[tuple[str, dict[str, Any]]]:
        with path.open(encoding="utf-8") as stream:
            for line in stream:
                raw = json.loads(line)
                yield raw.get("collection", ""), raw

    def truth() -> dict[str, str]:
        stem = path.name.split(".")[0]
        data = json.loads(path.with_name(f"{stem}.truth.json").read_text(encoding="utf-8"))
        return {member: s["id"] for s in data["syndicates"] for member in s["members"]}

    return lines(), truth


def load(stream: Iterable[tuple[str, dict[str, Any]]]) -> tuple[list[Entity], list[Link]]:
    entities: list[Entity] = []
    links: list[Link] = []
    for collection, raw in stream:
        item = from_ftm(raw, collection)
        if isinstance(item, Entity):
            entities.append(item)
        elif item is not None:
            links.append(item)
    return entities, links


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


def report(name: str, ours: float, theirs: float | None, note: str) -> None:
    if theirs is None:
        print(f"  {name:<30} project {ours:8.3f}s  networkx  skipped            {note}")
        return
    ratio = theirs / ours if ours > 0 else float("inf")
    print(f"  {name:<30} project {ours:8.3f}s  networkx {theirs:8.3f}s  {ratio:6.1f}x  {note}")


def full_analysis(network: Network, seed: int = 7) -> dict[str, float]:
    """The project's whole pipeline, as the job runs it; CPU seconds per step."""
    steps: dict[str, float] = {}
    _, steps["components"] = timed(lambda: analysis.components(network))
    _, steps["communities"] = timed(lambda: analysis.communities(network, seed=seed))
    scores, steps["betweenness"] = timed(lambda: analysis.betweenness(network))
    _, steps["brokers"] = timed(lambda: analysis.brokers(network, scores=scores))
    _, steps["disruption targets"] = timed(lambda: analysis.disruption_targets(network, scores=scores))
    _, steps["money flows"] = timed(lambda: analysis.money_flows(network))
    _, steps["command lines"] = timed(lambda: analysis.command_lines(network))
    return steps


def payment_pairs(network: Network) -> list[tuple[int, int]]:
    return sorted(
        {
            (network.index[link.source], network.index[link.target])
            for link in network.links
            if link.schema == "Payment"
        }
    )


def run(size: int, source: str | None, networkx_limit: int) -> None:
    stream, truth_of = from_file(Path(source)) if source else generated(size)
    (entities, links), load_time = timed(lambda: load(stream))
    network, build_time = timed(lambda: build_network(entities, links))
    entities.clear()  # the network keeps what it needs
    link_count = len(links)
    links.clear()
    truth = truth_of()
    graph = network.graph
    n = graph.vcount()
    origin = f"read from {source}" if source else "generated in memory"
    print(f"\n{size} nodes requested ({origin}): {n} vertices, {graph.ecount()} edges ({link_count} links)")
    print(f"  load {load_time:.1f}s (JSON and FtM to nodes and links), build_network {build_time:.1f}s")
    with_networkx = n <= networkx_limit
    nxg: nx.Graph | None = None
    if with_networkx:
        nxg = nx.Graph(graph.get_edgelist())
        nxg.add_nodes_from(range(n))

    networkx_times: list[float] = []
    ours_comp, ig_t = timed(graph.connected_components)
    if nxg is not None:
        theirs_comp, nx_t = timed(lambda: list(nx.connected_components(nxg)))
        same = sorted(sorted(c) for c in ours_comp) == sorted(sorted(c) for c in theirs_comp)
        report("components", ig_t, nx_t, f"same: {same}")
        networkx_times.append(nx_t)
    else:
        report("components", ig_t, None, "")

    estimated = analysis.betweenness_is_estimated(network)
    sources = analysis.sampled_sources(n, analysis.BETWEENNESS_SOURCES) if estimated else list(range(n))
    label = f"betweenness ({len(sources)} sources)" if estimated else "betweenness (exact)"
    ours_bt, ig_t = timed(lambda: analysis.betweenness(network))
    if nxg is not None:
        if estimated:
            scale = n / len(sources)
            theirs, nx_t = timed(
                lambda: nx.betweenness_centrality_subset(nxg, sources, list(range(n)), normalized=False)
            )
            theirs = {v: value * scale for v, value in theirs.items()}
        else:
            theirs, nx_t = timed(lambda: nx.betweenness_centrality(nxg, normalized=False))
        diff = max(abs(ours_bt[v] - theirs[v]) for v in range(n))
        report(label, ig_t, nx_t, f"max diff {diff:.1e}")
        networkx_times.append(nx_t)
    else:
        report(label, ig_t, None, "")

    resolution = analysis.default_resolution(graph)
    leiden, ig_t = timed(lambda: community_membership(network, seed=7))
    quality = (
        f"ARI {ari(network, truth, leiden):.3f}, modularity {graph.modularity(leiden, resolution=1):.3f}"
    )
    if nxg is not None:
        louvain_sets, nx_t = timed(
            lambda: nx.community.louvain_communities(nxg, seed=7, resolution=resolution)
        )
        louvain = [0] * n
        for number, members in enumerate(louvain_sets):
            for v in members:
                louvain[v] = number
        networkx_times.append(nx_t)
        theirs_quality = f"ARI {ari(network, truth, louvain):.3f}, modularity {graph.modularity(louvain):.3f}"
        report(
            f"leiden ({analysis.LEIDEN_ITERATIONS} passes) vs louvain",
            ig_t,
            nx_t,
            f"leiden {quality}; louvain {theirs_quality} (resolution {resolution:.1f})",
        )
    else:
        report(f"leiden ({analysis.LEIDEN_ITERATIONS} passes)", ig_t, None, quality)
    converged = _leiden_to_convergence(graph, resolution)
    print(
        f"  (leiden run to convergence: ARI {ari(network, truth, converged):.3f}, "
        f"modularity {graph.modularity(converged):.3f})"
    )

    wall = time.monotonic()
    steps, whole = timed(lambda: full_analysis(network))
    wall = time.monotonic() - wall
    breakdown = ", ".join(f"{name} {seconds:.2f}" for name, seconds in steps.items())
    if nxg is not None:
        graph_nx = nxg
        pairs = payment_pairs(network)

        def structure() -> None:
            list(nx.biconnected_components(graph_nx))
            list(nx.articulation_points(graph_nx))
            list(nx.strongly_connected_components(nx.DiGraph(pairs)))

        # networkx's components, betweenness and Louvain were timed above; only the rest runs here.
        _, rest = timed(structure)
        report("WHOLE set of metrics", whole, sum(networkx_times) + rest, "")
    else:
        report("WHOLE analysis", whole, None, f"networkx skipped above {networkx_limit} vertices (hours)")
    print(f"    project pipeline steps (s): {breakdown}")
    print(
        f"  whole analysis of the graph in memory: {whole:.1f}s CPU ({wall:.1f}s wall); "
        f"with load and build: {whole + load_time + build_time:.1f}s"
    )


def _leiden_to_convergence(graph: igraph.Graph, resolution: float) -> list[int]:
    igraph.set_random_number_generator(random.Random(7))
    try:
        clustering = graph.community_leiden(
            objective_function="modularity", resolution=resolution, n_iterations=-1
        )
    finally:
        igraph.set_random_number_generator(random)
    membership: list[int] = clustering.membership
    return membership


def job(size: int, source: str | None = None) -> None:
    """The real analysis job on PostgreSQL: `size` synthetic nodes stored as entities of one
    collection per country (all AMBER, owned by one agency), analysed for one analyst through
    the policy, AnalysisNode rows written. Needs DATABASE_URL of a migrated scratch database."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disrupt.settings")
    django.setup()
    from django.db import connection

    from disrupt.core.reference import load_countries, load_reference
    from disrupt.directory.models import Agency, Country, Role, User
    from disrupt.intel import tasks
    from disrupt.intel.actions import do_request_analysis
    from disrupt.intel.analysis_runs import READING
    from disrupt.intel.analysis_runs import STAGES as JOB_STAGES
    from disrupt.intel.models import Collection
    from disrupt.intel.models import Entity as StoredEntity

    if not Country.objects.exists():
        load_countries()
    load_reference()
    agency, _ = Agency.objects.get_or_create(name="Bench agency", country=Country.objects.get(code="AU"))
    analyst = User.objects.filter(email="bench@analysis.test").first() or User.objects.create_user(
        email="bench@analysis.test", password=None, full_name="Bench Analyst", agency=agency
    )
    analyst.roles.set(Role.objects.filter(code="analyst"))
    Collection.objects.filter(name__startswith="Bench ").delete()
    collections: dict[str, Collection] = {}
    started = time.time()

    # Every collection first: nothing else may run on the connection while COPY does.
    for country in COUNTRIES:
        collections[country] = Collection.objects.create(
            name=f"Bench {country}", owner_agency=agency, handling_code="amber"
        )

    def collection_of(country: str) -> int:
        return collections[country].pk

    generated = NetworkGenerator(Params(seed=7, entities=size)).stream()
    stream = from_file(Path(source))[0] if source else generated
    if connection.vendor == "postgresql":
        # COPY, as the import job writes its rows (6M rows by INSERT would take most of an hour).
        from django.utils import timezone

        from disrupt.intel.imports import _copy_rows

        now = timezone.now()

        def copy_rows() -> Iterator[tuple[Any, ...]]:
            for country, raw in stream:
                item = from_ftm(raw, country)
                link = item if isinstance(item, Link) else None
                yield (
                    collection_of(country),
                    raw["id"],
                    raw["schema"],
                    (raw["properties"].get("name") or [""])[0][:500],
                    json.dumps(raw["properties"], ensure_ascii=False),
                    link.source if link else "",
                    link.target if link else "",
                    link.amount if link and link.schema == "Payment" else None,
                    link.currency if link else "",
                    item.country[:8] if isinstance(item, Entity) else "",
                    1,
                    now,
                    now,
                    None,
                    False,
                    None,
                )

        _copy_rows(copy_rows())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        rows: list[StoredEntity] = []
        for country, raw in stream:
            item = from_ftm(raw, country)
            link = item if isinstance(item, Link) else None
            rows.append(
                StoredEntity(
                    collection_id=collection_of(country),
                    ftm_id=raw["id"],
                    schema=raw["schema"],
                    caption=(raw["properties"].get("name") or [""])[0][:500],
                    properties=raw["properties"],
                    source=link.source if link else "",
                    target=link.target if link else "",
                    amount=link.amount if link and link.schema == "Payment" else None,
                    currency=link.currency if link else "",
                    country=item.country if isinstance(item, Entity) else "",
                )
            )
            if len(rows) >= 5_000:
                StoredEntity.objects.bulk_create(rows)
                rows = []
        StoredEntity.objects.bulk_create(rows)
    stored = StoredEntity.objects.filter(collection__in=collections.values()).count()
    print(f"\njob on {connection.vendor}: {stored} entities stored in {time.time() - started:.0f}s")
    run = do_request_analysis(analyst, list(collections.values()))
    wall, cpu = time.time(), time.process_time()
    tasks.run_analysis.call(run.pk)
    run.refresh_from_db()
    print(
        f"  analysis job: {run.status} in {time.time() - wall:.1f}s wall, "
        f"{time.process_time() - cpu:.1f}s CPU "
        f"(this process; PostgreSQL's own time not counted); {run.node_count} nodes, {run.link_count} links, "
        f"{run.nodes.count()} AnalysisNode rows, result {len(json.dumps(run.result)) / 1024:.0f} kB"
    )
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak resident memory of this process (storing and the job): {peak:.0f} MB")
    timings = run.result.get("timings", {})
    for kind in ("cpu", "wall"):
        spent = timings.get(kind, {})
        print(
            f"  stages ({kind} s): "
            + ", ".join(f"{stage} {spent[stage]:.1f}" for stage in (READING, *JOB_STAGES) if stage in spent)
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--million-file", help="read the 1,000,000-node network from this synth file")
    parser.add_argument("--networkx-limit", type=int, default=200_000, help="skip networkx above this")
    parser.add_argument("--job", type=int, metavar="SIZE", help="also run the real job on the database")
    args = parser.parse_args()
    if args.job:
        job(args.job, args.million_file if args.job == 1_000_000 else None)
        return
    for size in args.sizes:
        source = args.million_file if size == 1_000_000 else None
        run(size, source, args.networkx_limit)


if __name__ == "__main__":
    main()
