"""Network analysis over the entities and links one user may see. Pure: no Django state.

The caller passes exactly the entities the requesting user may see (already filtered by the
access policy). Links whose endpoint is not among them are DROPPED here, before any graph is
built, so no metric can reflect a node the user cannot see (`build_network`).

Everything is computed with igraph on integer vertex ids; results are plain dataclasses keyed by
entity id.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import igraph

# The two ends of each link schema: one definition, shared with the stored entities (intel/ftm.py).
from disrupt.intel.ftm import LINK_ENDS as _ENDS

# Link schemata between people, companies and accounts (FollowTheMoney interval schemata).
LINK_SCHEMATA = frozenset(
    {"Membership", "Directorship", "Associate", "Family", "Ownership", "Employment", "UnknownLink", "Payment"}
)
# Roles that carry authority: the "command line" runs from director/organisation to member.
COMMAND_SCHEMATA = frozenset({"Membership", "Directorship"})

# Above this many vertices, betweenness is estimated from the shortest paths of a random sample
# of BETWEENNESS_SOURCES source vertices, scaled by n/k (Brandes & Pich 2007): exact betweenness
# is O(V*E), hours at a million entities, while k sources cost k breadth-first searches.
EXACT_BETWEENNESS_LIMIT = 20_000
BETWEENNESS_SOURCES = 200
# See default_resolution.
RESOLUTION_DIVISOR = 25
# Leiden passes (igraph's default is 2; -1 repeats until nothing moves). On the synthetic
# network at 100k entities two passes give the same partition quality as running to
# convergence (ARI 0.987, modularity 0.983 both) in 70 % of the time (bench/RESULTS.md).
LEIDEN_ITERATIONS = 2


@dataclass(frozen=True)
class Entity:
    id: str
    schema: str
    country: str = ""


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    schema: str
    amount: float = 0.0
    currency: str = ""


@dataclass
class Network:
    """An undirected igraph over the visible entities, plus the directed links kept for money."""

    ids: list[str]
    index: dict[str, int]
    countries: list[str]
    graph: igraph.Graph
    links: list[Link]
    dropped_links: int


@dataclass
class Component:
    number: int
    members: list[str]
    countries: list[str]
    cross_border: bool


@dataclass
class Community:
    number: int
    members: list[str]
    countries: list[str]


@dataclass
class Broker:
    entity_id: str
    betweenness: float
    approximate: bool


@dataclass
class DisruptionTarget:
    entity_id: str
    largest_before: int
    largest_after: int
    components_before: int
    components_after: int
    # Entities its removal cuts off from the largest remaining piece of its own component.
    separated: int = 0

    @property
    def fragmentation(self) -> int:
        """How many entities leave the largest component when this one is removed."""
        return self.largest_before - self.largest_after


@dataclass
class MoneyFlow:
    source: str
    target: str
    currency: str
    total: float
    count: int


@dataclass
class MoneyAnalysis:
    flows: list[MoneyFlow]
    fan_in: dict[str, int]
    fan_out: dict[str, int]
    cycles: list[list[str]] = field(default_factory=list)


@dataclass
class CommandLine:
    root: str
    members: dict[str, int]  # entity id -> depth below the root


def build_network(entities: Iterable[Entity], links: Iterable[Link]) -> Network:
    """Index the visible entities and keep only links with both ends visible."""
    ids: list[str] = []
    index: dict[str, int] = {}
    countries: list[str] = []
    for entity in entities:
        if entity.id in index:
            continue
        index[entity.id] = len(ids)
        ids.append(entity.id)
        countries.append(entity.country)
    kept: list[Link] = []
    dropped = 0
    for link in links:
        if link.source in index and link.target in index and link.source != link.target:
            kept.append(link)
        else:
            dropped += 1
    edges = [(index[link.source], index[link.target]) for link in kept]
    graph = igraph.Graph(n=len(ids), edges=edges, directed=False)
    # Parallel links (two payments, a family tie and a directorship) count once for structure.
    graph.simplify(multiple=True, loops=True)
    return Network(ids, index, countries, graph, kept, dropped)


def _countries(network: Network, members: Sequence[int]) -> list[str]:
    return sorted({network.countries[v] for v in members if network.countries[v]})


def components(network: Network) -> list[Component]:
    """Connected components, largest first, each flagged when its members span >1 country."""
    result: list[Component] = []
    clusters = network.graph.connected_components()
    for vertices in sorted(clusters, key=len, reverse=True):
        countries = _countries(network, vertices)
        result.append(
            Component(len(result), [network.ids[v] for v in vertices], countries, len(countries) > 1)
        )
    return result


def default_resolution(graph: igraph.Graph) -> float:
    """Modularity resolution growing with sqrt(edges), against the resolution limit.

    At resolution 1 modularity merges small groups once the graph is large (ARI against the
    synthetic syndicates fell from 0.95 at 10k entities to 0.52 at 100k); sqrt(m)/25 gave
    1.0 at 10k and 0.99 at 100k (bench/RESULTS.md) and stays 1 on small graphs.
    """
    return max(1.0, math.sqrt(graph.ecount()) / RESOLUTION_DIVISOR)


def _leiden(network: Network, seed: int, resolution: float | None) -> tuple[list[int], list[int]]:
    """Leiden's community number per vertex, numbered largest first (ties: lowest vertex), and
    the community sizes; deterministic for a seed."""
    if resolution is None:
        resolution = default_resolution(network.graph)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        clustering = network.graph.community_leiden(
            objective_function="modularity", resolution=resolution, n_iterations=LEIDEN_ITERATIONS
        )
    finally:
        igraph.set_random_number_generator(random)
    raw: list[int] = clustering.membership
    sizes = [0] * (max(raw, default=-1) + 1)
    first = [len(raw)] * len(sizes)
    for vertex, label in enumerate(raw):
        sizes[label] += 1
        if first[label] > vertex:
            first[label] = vertex
    order = sorted(
        (label for label in range(len(sizes)) if sizes[label]), key=lambda c: (-sizes[c], first[c])
    )
    number = [0] * len(sizes)
    for rank, label in enumerate(order):
        number[label] = rank
    return [number[label] for label in raw], [sizes[label] for label in order]


def communities(network: Network, seed: int = 0, resolution: float | None = None) -> list[Community]:
    """Leiden communities (modularity) as candidate syndicates; deterministic for a seed."""
    membership, sizes = _leiden(network, seed, resolution)
    groups: list[list[int]] = [[] for _ in sizes]
    for vertex, number in enumerate(membership):
        groups[number].append(vertex)
    return [
        Community(number, [network.ids[v] for v in members], _countries(network, members))
        for number, members in enumerate(groups)
    ]


def community_membership(network: Network, seed: int = 0, resolution: float | None = None) -> list[int]:
    """Community number per vertex, numbered as `communities` numbers them."""
    return _leiden(network, seed, resolution)[0]


def betweenness_is_estimated(network: Network) -> bool:
    return network.graph.vcount() > EXACT_BETWEENNESS_LIMIT


def betweenness(
    network: Network, cutoff: int | None = None, sources: int = BETWEENNESS_SOURCES, seed: int = 0
) -> list[float]:
    """Betweenness per vertex: exact up to EXACT_BETWEENNESS_LIMIT vertices, else estimated.

    The estimate counts the shortest paths from `sources` vertices drawn at random (seeded) to
    every other vertex and scales by n/k: an unbiased estimate of the exact value whose ranking
    of the strongest brokers is stable (Brandes & Pich, "Centrality estimation in large
    networks", 2007). `cutoff` instead counts only paths of at most that many steps.
    """
    graph = network.graph
    if cutoff is not None:
        values: list[float] = graph.betweenness(directed=False, cutoff=cutoff)
        return values
    n = graph.vcount()
    if n <= EXACT_BETWEENNESS_LIMIT or sources >= n:
        values = graph.betweenness(directed=False)
        return values
    sample = sampled_sources(n, sources, seed)
    scale = n / len(sample)
    return [value * scale for value in graph.betweenness(directed=False, sources=sample, targets=None)]


def sampled_sources(n: int, k: int, seed: int = 0) -> list[int]:
    """The source vertices of the betweenness estimate (the benchmark hands the same to networkx)."""
    return sorted(random.Random(seed).sample(range(n), min(k, n)))


def brokers(
    network: Network, top: int = 20, cutoff: int | None = None, scores: list[float] | None = None
) -> list[Broker]:
    """The entities most often on shortest paths between others: who holds the network together."""
    approximate = cutoff is not None or betweenness_is_estimated(network)
    values = scores if scores is not None else betweenness(network, cutoff)
    order = heapq.nsmallest(top, range(len(values)), key=lambda v: (-values[v], network.ids[v]))
    return [Broker(network.ids[v], values[v], approximate) for v in order if values[v] > 0]


@dataclass
class RemovalEffects:
    """For every vertex, what its removal does to its own component (all vertices at once)."""

    component: list[int]  # component number per vertex
    sizes: list[int]  # size per component number
    pieces: list[int]  # how many components its own component falls into without it
    largest_piece: list[int]  # the largest of those (0 if it was alone)


def removal_effects(graph: igraph.Graph) -> RemovalEffects:
    """Pieces left by removing each vertex, exactly, in O(V + E) and without copying the graph.

    Only an articulation point splits its component. The biconnected blocks and the
    articulation points form a forest (the block-cut tree); weighting each block by its vertices
    that are not articulation points and each articulation point by 1, the pieces left by
    removing an articulation point are the weights of the subtrees hanging off it, and the rest
    of its component (size - 1 - their sum) when that is not empty.
    """
    clustering = graph.connected_components()
    component = clustering.membership
    sizes = clustering.sizes()
    n = graph.vcount()
    pieces = [1 if sizes[component[v]] > 1 else 0 for v in range(n)]
    largest_piece = [sizes[component[v]] - 1 for v in range(n)]
    blocks, cuts = graph.biconnected_components(return_articulation_points=True)
    if not cuts:
        return RemovalEffects(component, sizes, pieces, largest_piece)
    block_count = len(blocks)
    cut_node = {vertex: block_count + i for i, vertex in enumerate(cuts)}
    weight = [0] * (block_count + len(cuts)) + [0]
    tree_edges: list[tuple[int, int]] = []
    for block, members in enumerate(blocks):
        for vertex in members:
            node = cut_node.get(vertex)
            if node is None:
                weight[block] += 1
            else:
                tree_edges.append((block, node))
    for node in cut_node.values():
        weight[node] = 1
    # One extra root tied to one node of every tree, so that a single search orders the forest.
    root = len(weight) - 1
    tree = igraph.Graph(n=len(weight), edges=tree_edges, directed=False)
    firsts: dict[int, int] = {}
    for node, tree_number in enumerate(tree.connected_components().membership[:root]):
        firsts.setdefault(tree_number, node)
    tree.add_edges([(root, node) for node in firsts.values()])
    order, _, parents = tree.bfs(root)
    subtree = weight[:]
    below: dict[int, list[int]] = defaultdict(list)  # cut node -> weights of the subtrees below it
    for node in reversed(order[1:]):
        parent = parents[node]
        subtree[parent] += subtree[node]
        if parent >= block_count and parent != root:
            below[parent].append(subtree[node])
    for vertex, node in cut_node.items():
        parts = below[node]
        rest = sizes[component[vertex]] - 1 - sum(parts)
        if rest > 0:
            parts = [*parts, rest]
        pieces[vertex] = len(parts)
        largest_piece[vertex] = max(parts, default=0)
    return RemovalEffects(component, sizes, pieces, largest_piece)


def disruption_targets(
    network: Network, top: int = 10, scores: list[float] | None = None
) -> list[DisruptionTarget]:
    """Rank removals by how much they fragment the network, over every entity, exactly.

    A removal is measured as the old approach measured it on a copy of the graph — the largest
    component and the number of components afterwards — but for all vertices at once from the
    block-cut tree (`removal_effects`). Ranked by the drop of the largest component, then by how
    many entities are cut off from the rest of their own network, then by the number of pieces;
    `scores` (betweenness already computed) breaks the remaining ties.
    """
    graph = network.graph
    n = graph.vcount()
    if n == 0:
        return []
    effects = removal_effects(graph)
    sizes = effects.sizes
    ranked = sorted(range(len(sizes)), key=lambda c: -sizes[c])
    largest, second = sizes[ranked[0]], (sizes[ranked[1]] if len(ranked) > 1 else 0)
    count = len(sizes)
    values = scores or [0.0] * n

    def after(v: int) -> int:
        others = second if effects.component[v] == ranked[0] else largest
        return max(others, effects.largest_piece[v])

    def key(v: int) -> tuple[int, int, int, float, str]:
        separated = sizes[effects.component[v]] - 1 - effects.largest_piece[v]
        return (after(v) - largest, -separated, -effects.pieces[v], -values[v], network.ids[v])

    # An articulation point splits its component; any other vertex only leaves it one smaller.
    # The best of each kind are candidates, so that the ranking is exact over all vertices.
    cuts = [v for v in range(n) if effects.pieces[v] > 1]
    chosen = set(cuts)
    others = (v for v in range(n) if v not in chosen)
    pool = heapq.nsmallest(
        top, heapq.nsmallest(top, cuts, key=key) + heapq.nsmallest(top, others, key=key), key=key
    )
    return [
        DisruptionTarget(
            network.ids[v],
            largest,
            after(v),
            count,
            count - 1 + effects.pieces[v],
            separated=sizes[effects.component[v]] - 1 - effects.largest_piece[v],
        )
        for v in pool
    ]


def money_flows(network: Network) -> MoneyAnalysis:
    """Payments summed per (payer, beneficiary, currency); fan-in/out; round-tripping cycles.

    A cycle is a strongly connected component of the directed payment graph with more than one
    account: money that leaves an account can come back to it.
    """
    totals: dict[tuple[str, str, str], list[float]] = {}
    for link in network.links:
        if link.schema == "Payment":
            key = (link.source, link.target, link.currency)
            entry = totals.get(key)
            if entry is None:
                totals[key] = [link.amount, 1]
            else:
                entry[0] += link.amount
                entry[1] += 1
    # Sorting plain tuples is several times faster than sorting objects by a key function.
    ordered = sorted((-total, s, t, c, int(n)) for (s, t, c), (total, n) in totals.items())
    flows = [MoneyFlow(s, t, c, -total, n) for total, s, t, c, n in ordered]
    pairs = {(s, t) for s, t, _ in totals}
    fan_out = Counter(s for s, _ in pairs)
    fan_in = Counter(t for _, t in pairs)
    index = network.index
    directed = igraph.Graph(n=len(network.ids), edges=[(index[s], index[t]) for s, t in pairs], directed=True)
    membership = directed.connected_components(mode="strong").membership
    sizes = Counter(membership)
    groups: dict[int, list[str]] = defaultdict(list)
    for vertex, group in enumerate(membership):
        if sizes[group] > 1:
            groups[group].append(network.ids[vertex])
    cycles = sorted((sorted(members) for members in groups.values()), key=lambda c: (-len(c), c))
    return MoneyAnalysis(flows, dict(fan_in), dict(fan_out), cycles)


def command_lines(network: Network) -> list[CommandLine]:
    """Hierarchies from Directorship/Membership links (source = director/member, target = body).

    The link points from the director/member to the organisation; authority runs the other
    way, so links are reversed and a root is a body that is not itself a director or member
    of another (a company directing a company sits below it). Depth is the breadth-first
    distance from the root.
    """
    below: dict[int, set[int]] = defaultdict(set)  # body -> its directors and members
    has_superior: set[int] = set()
    for link in network.links:
        if link.schema in COMMAND_SCHEMATA:
            body, member = network.index[link.target], network.index[link.source]
            below[body].add(member)
            has_superior.add(member)
    result: list[CommandLine] = []
    # A breadth-first walk per root over the (small) command graph only, never over all vertices.
    for root in sorted(v for v in below if v not in has_superior):
        members = {network.ids[root]: 0}
        seen = {root}
        layer, depth = [root], 0
        while layer:
            depth += 1
            following: list[int] = []
            for body in layer:
                for member in sorted(below.get(body, ())):
                    if member not in seen:
                        seen.add(member)
                        members[network.ids[member]] = depth
                        following.append(member)
            layer = following
        result.append(CommandLine(network.ids[root], members))
    result.sort(key=lambda c: (-len(c.members), c.root))
    return result


def _first(props: dict[str, list[str]], name: str) -> str:
    values = props.get(name) or [""]
    return values[0]


def from_ftm(entity: dict[str, Any], collection: str = "") -> Entity | Link | None:
    """Turn one FtM entity dict into a node or a link; None for a link with a missing end.

    A node's country is its own `country` property, else the collection's country.
    """
    schema = entity["schema"]
    props = entity.get("properties", {})
    if schema == "Payment":
        source = _first(props, "payerAccount") or _first(props, "payer")
        target = _first(props, "beneficiaryAccount") or _first(props, "beneficiary")
        try:
            amount = float(_first(props, "amount") or 0)
        except ValueError:
            amount = 0.0
        link = Link(source, target, schema, amount, _first(props, "currency"))
    elif schema in _ENDS:
        start, end = _ENDS[schema]
        link = Link(_first(props, start), _first(props, end), schema)
    else:
        return Entity(entity["id"], schema, _first(props, "country") or collection)
    return link if link.source and link.target else None
