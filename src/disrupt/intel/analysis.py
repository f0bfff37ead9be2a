"""Network analysis over the entities and links one user may see. Pure: no Django state.

The caller passes exactly the entities the requesting user may see (already filtered by the
access policy). Links whose endpoint is not among them are DROPPED here, before any graph is
built, so no metric can reflect a node the user cannot see (`build_network`).

Everything is computed with igraph on integer vertex ids; results are plain dataclasses keyed by
entity id.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import igraph

# Link schemata between people, companies and accounts (FollowTheMoney interval schemata).
LINK_SCHEMATA = frozenset(
    {"Membership", "Directorship", "Associate", "Family", "Ownership", "Employment", "UnknownLink", "Payment"}
)
# Roles that carry authority: the "command line" runs from director/organisation to member.
COMMAND_SCHEMATA = frozenset({"Membership", "Directorship"})

# Above this many vertices, betweenness is approximated by only counting shortest paths of at
# most BETWEENNESS_CUTOFF steps (exact betweenness is O(V*E), hours at a million entities).
EXACT_BETWEENNESS_LIMIT = 20_000
BETWEENNESS_CUTOFF = 6
# See default_resolution.
RESOLUTION_DIVISOR = 25


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
    for vertices in sorted(network.graph.connected_components(), key=len, reverse=True):
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


def communities(network: Network, seed: int = 0, resolution: float | None = None) -> list[Community]:
    """Leiden communities (modularity) as candidate syndicates; deterministic for a seed."""
    if resolution is None:
        resolution = default_resolution(network.graph)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        clustering = network.graph.community_leiden(
            objective_function="modularity", resolution=resolution, n_iterations=-1
        )
    finally:
        igraph.set_random_number_generator(random)
    groups = sorted(clustering, key=lambda members: (-len(members), members[0] if members else 0))
    return [
        Community(number, [network.ids[v] for v in members], _countries(network, members))
        for number, members in enumerate(groups)
        if members
    ]


def community_membership(network: Network, seed: int = 0) -> list[int]:
    """Community number per vertex (for comparing with ground truth)."""
    membership = [0] * len(network.ids)
    for community in communities(network, seed):
        for entity_id in community.members:
            membership[network.index[entity_id]] = community.number
    return membership


def betweenness(network: Network, cutoff: int | None = None) -> list[float]:
    """Betweenness per vertex: exact up to EXACT_BETWEENNESS_LIMIT vertices, else path-length cutoff."""
    if cutoff is None and network.graph.vcount() > EXACT_BETWEENNESS_LIMIT:
        cutoff = BETWEENNESS_CUTOFF
    values: list[float] = network.graph.betweenness(directed=False, cutoff=cutoff)
    return values


def brokers(
    network: Network, top: int = 20, cutoff: int | None = None, scores: list[float] | None = None
) -> list[Broker]:
    """The entities most often on shortest paths between others: who holds the network together."""
    approximate = cutoff is not None or network.graph.vcount() > EXACT_BETWEENNESS_LIMIT
    values = scores if scores is not None else betweenness(network, cutoff)
    order = sorted(range(len(values)), key=lambda v: (-values[v], network.ids[v]))[:top]
    return [Broker(network.ids[v], values[v], approximate) for v in order if values[v] > 0]


def _shape(graph: igraph.Graph) -> tuple[int, int]:
    sizes = graph.connected_components().sizes()
    return (max(sizes) if sizes else 0, len(sizes))


def disruption_targets(
    network: Network, top: int = 10, candidates: int = 50, scores: list[float] | None = None
) -> list[DisruptionTarget]:
    """Rank removals by how much they fragment the network.

    Candidates are the top betweenness vertices plus articulation points (whose removal
    certainly splits a component); each is removed in turn and the largest component and
    component count are measured again. `scores` reuses betweenness already computed.
    """
    graph = network.graph
    if graph.vcount() == 0:
        return []
    values = scores if scores is not None else betweenness(network)
    by_betweenness = sorted(range(len(values)), key=lambda v: -values[v])[:candidates]
    articulation = sorted(graph.articulation_points(), key=lambda v: -values[v])[:candidates]
    pool = list(dict.fromkeys(by_betweenness + articulation))
    largest, count = _shape(graph)
    targets: list[DisruptionTarget] = []
    for vertex in pool:
        reduced = graph.copy()
        reduced.delete_vertices([vertex])
        after_largest, after_count = _shape(reduced)
        targets.append(DisruptionTarget(network.ids[vertex], largest, after_largest, count, after_count))
    targets.sort(key=lambda t: (-t.fragmentation, -t.components_after, t.entity_id))
    return targets[:top]


def money_flows(network: Network) -> MoneyAnalysis:
    """Payments summed per (payer, beneficiary, currency); fan-in/out; round-tripping cycles.

    A cycle is a strongly connected component of the directed payment graph with more than one
    account: money that leaves an account can come back to it.
    """
    totals: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0])
    for link in network.links:
        if link.schema == "Payment":
            entry = totals[(link.source, link.target, link.currency)]
            entry[0] += link.amount
            entry[1] += 1
    flows = [MoneyFlow(s, t, c, total, int(n)) for (s, t, c), (total, n) in totals.items()]
    flows.sort(key=lambda f: (-f.total, f.source, f.target))
    pairs = {(f.source, f.target) for f in flows}
    fan_out = Counter(s for s, _ in pairs)
    fan_in = Counter(t for _, t in pairs)
    edges = [(network.index[s], network.index[t]) for s, t in pairs]
    directed = igraph.Graph(n=len(network.ids), edges=edges, directed=True)
    cycles = [
        sorted(network.ids[v] for v in group)
        for group in directed.connected_components(mode="strong")
        if len(group) > 1
    ]
    cycles.sort(key=lambda c: (-len(c), c))
    return MoneyAnalysis(flows, dict(fan_in), dict(fan_out), cycles)


def command_lines(network: Network) -> list[CommandLine]:
    """Hierarchies from Directorship/Membership links (source = director/member, target = body).

    The link points from the director/member to the organisation; authority runs the other
    way, so links are reversed and a root is a body that is not itself a director or member
    of another (a company directing a company sits below it). Depth is the breadth-first
    distance from the root.
    """
    edges = {
        (network.index[link.target], network.index[link.source])
        for link in network.links
        if link.schema in COMMAND_SCHEMATA
    }
    if not edges:
        return []
    graph = igraph.Graph(n=len(network.ids), edges=sorted(edges), directed=True)
    roots = [v for v in range(graph.vcount()) if graph.indegree(v) == 0 and graph.outdegree(v) > 0]
    result: list[CommandLine] = []
    for root in roots:
        order, layers, _ = graph.bfs(root, mode="out")
        members: dict[str, int] = {}
        for depth in range(len(layers) - 1):
            for vertex in order[layers[depth] : layers[depth + 1]]:
                members[network.ids[vertex]] = depth
        result.append(CommandLine(network.ids[root], members))
    result.sort(key=lambda c: (-len(c.members), c.root))
    return result


# The two ends of each link schema in FollowTheMoney 4 (source property, target property).
# Payments run between accounts when they are known (money flows are between accounts), else
# between the parties.
_ENDS = {
    "Membership": ("member", "organization"),
    "Directorship": ("director", "organization"),
    "Associate": ("person", "associate"),
    "Family": ("person", "relative"),
    "Ownership": ("owner", "asset"),
    "Employment": ("employee", "employer"),
    "UnknownLink": ("subject", "object"),
}


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
