"""A collection's live entities as a stream: FtM JSON lines, GraphML or GEXF.

FtM JSON lines are written in one fixed form — entities ordered by id, keys `id`, `schema`,
`properties` in that order, properties sorted by name, values as stored, compact JSON in UTF-8
— so exporting, importing into a new collection and exporting again gives the same bytes, and
`ftm validate` (followthemoney's own reader) accepts the file.

GraphML and GEXF (for Gephi, yEd, Cytoscape, networkx, igraph) carry the graph: nodes are the
things (people, companies, accounts, vessels…) with their schema, caption and country; edges are
the links between two things of the collection (memberships, payments…), directed from source
to target, with schema, caption and, for payments, amount and currency.

`export_for(user, …)` is the one way out for a person: it answers 404 for a collection the user
may not see and records the export in the audit trail. `export_stream` is the stream alone, for
a caller that has done both (the collection page's export view).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest

from disrupt.access import policy
from disrupt.audit.choices import AuditAction
from disrupt.audit.recorder import record
from disrupt.intel.choices import ExportFormat
from disrupt.intel.models import Collection, Entity
from disrupt.intel.models.collections import EntityQuerySet

# Rows fetched per round trip (server-side cursor on PostgreSQL), and lines per chunk sent.
FETCH = 2000
CHUNK_LINES = 500

CONTENT_TYPES = {
    ExportFormat.FTM: ("application/x-ndjson; charset=utf-8", "ftm.jsonl"),
    ExportFormat.GRAPHML: ("application/graphml+xml; charset=utf-8", "graphml"),
    ExportFormat.GEXF: ("application/gexf+xml; charset=utf-8", "gexf"),
}

# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Export:
    chunks: Iterator[bytes]
    content_type: str
    extension: str


def export_for(user: Any, collection: Collection, format: str, request: HttpRequest | None = None) -> Export:
    """The export of a collection the user may see (Http404 otherwise), recorded as an export."""
    if not policy.can_view(user, collection):
        raise Http404("No such collection.")
    chunks, content_type, extension = export_stream(collection, format)
    record(
        AuditAction.EXPORT,
        actor=user,
        target=collection,
        request=request,
        detail={"of": "collection", "collection": collection.pk, "format": format},
    )
    return Export(chunks, content_type, extension)


def export_stream(collection: Collection, format: str) -> tuple[Iterator[bytes], str, str]:
    """(chunks, content type, file extension); the caller has checked the user may see it."""
    if format not in CONTENT_TYPES:
        raise ValueError(f"Unknown export format {format!r}.")
    content_type, extension = CONTENT_TYPES[ExportFormat(format)]
    writers = {ExportFormat.FTM: ftm_lines, ExportFormat.GRAPHML: graphml, ExportFormat.GEXF: gexf}
    return writers[ExportFormat(format)](collection), content_type, extension


def _live(collection: Collection) -> EntityQuerySet:
    return Entity.objects.filter(collection=collection).order_by("ftm_id")  # type: ignore[return-value]


def _chunked(lines: Iterable[str]) -> Iterator[bytes]:
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= CHUNK_LINES:
            yield "".join(chunk).encode()
            chunk = []
    if chunk:
        yield "".join(chunk).encode()


# --- FtM JSON lines ---------------------------------------------------------------------------------


def ftm_line(ftm_id: str, schema: str, properties: dict[str, list[str]]) -> str:
    """One entity as exported (the fixed form the module's docstring describes)."""
    dump = json.dumps
    props = dump(properties, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f'{{"id":{dump(ftm_id, ensure_ascii=False)},"schema":{dump(schema)},"properties":{props}}}\n'


def ftm_lines(collection: Collection) -> Iterator[bytes]:
    rows = _live(collection).values_list("ftm_id", "schema", "properties").iterator(chunk_size=FETCH)
    return _chunked(ftm_line(*row) for row in rows)


# --- Graphs ------------------------------------------------------------------------------------------


def _nodes(collection: Collection) -> Iterator[tuple[str, str, str, str]]:
    rows = _live(collection).nodes().values_list("ftm_id", "schema", "caption", "country")
    return rows.iterator(chunk_size=FETCH)  # type: ignore[return-value]


def _edges(collection: Collection) -> Iterator[tuple[str, str, str, str, str, float | None, str]]:
    """Links with both ends among the collection's things (a graph file cannot point elsewhere)."""
    things = Entity.objects.filter(collection=collection, source="")
    rows = (
        _live(collection)
        .links()
        .filter(
            Exists(things.filter(ftm_id=OuterRef("source"))),
            Exists(things.filter(ftm_id=OuterRef("target"))),
        )
        .values_list("ftm_id", "source", "target", "schema", "caption", "amount", "currency")
    )
    return rows.iterator(chunk_size=FETCH)  # type: ignore[return-value]


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


NODE_KEYS = ("schema", "caption", "country")
EDGE_KEYS = (("schema", "string"), ("caption", "string"), ("amount", "double"), ("currency", "string"))


def graphml(collection: Collection) -> Iterator[bytes]:
    def lines() -> Iterator[str]:
        yield '<?xml version="1.0" encoding="UTF-8"?>\n'
        yield '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
        for name in NODE_KEYS:
            yield f'  <key id="n_{name}" for="node" attr.name="{name}" attr.type="string"/>\n'
        for name, kind in EDGE_KEYS:
            yield f'  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n'
        yield f'  <graph id={_attr(f"collection-{collection.pk}")} edgedefault="directed">\n'
        for ftm_id, schema, caption, country in _nodes(collection):
            data = "".join(
                f'<data key="n_{key}">{_text(value)}</data>'
                for key, value in zip(NODE_KEYS, (schema, caption, country), strict=True)
                if value
            )
            yield f"    <node id={_attr(ftm_id)}>{data}</node>\n"
        for ftm_id, source, target, schema, caption, amount, currency in _edges(collection):
            values: list[tuple[str, Any]] = [
                ("schema", schema),
                ("caption", caption),
                ("amount", amount),
                ("currency", currency),
            ]
            data = "".join(
                f'<data key="e_{key}">{_text(repr(value) if key == "amount" else value)}</data>'
                for key, value in values
                if value not in (None, "")
            )
            ends = f"source={_attr(source)} target={_attr(target)}"
            yield f"    <edge id={_attr(ftm_id)} {ends}>{data}</edge>\n"
        yield "  </graph>\n</graphml>\n"

    return _chunked(lines())


def gexf(collection: Collection) -> Iterator[bytes]:
    def attvalues(names: Iterable[str], values: Iterable[Any]) -> str:
        inner = "".join(
            f'<attvalue for="{name}" value={_attr(repr(value) if isinstance(value, float) else value)}/>'
            for name, value in zip(names, values, strict=True)
            if value not in (None, "")
        )
        return f"<attvalues>{inner}</attvalues>" if inner else ""

    def lines() -> Iterator[str]:
        yield '<?xml version="1.0" encoding="UTF-8"?>\n'
        yield '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
        description = f"<description>{_text(collection.name)}</description>"
        yield f"  <meta><creator>Disrupt</creator>{description}</meta>\n"
        yield '  <graph defaultedgetype="directed" mode="static">\n'
        yield '    <attributes class="node">'
        yield "".join(f'<attribute id="{name}" title="{name}" type="string"/>' for name in NODE_KEYS)
        yield '</attributes>\n    <attributes class="edge">'
        yield "".join(f'<attribute id="{name}" title="{name}" type="{kind}"/>' for name, kind in EDGE_KEYS)
        yield "</attributes>\n    <nodes>\n"
        for ftm_id, schema, caption, country in _nodes(collection):
            values = attvalues(NODE_KEYS, (schema, caption, country))
            yield f"      <node id={_attr(ftm_id)} label={_attr(caption or ftm_id)}>{values}</node>\n"
        yield "    </nodes>\n    <edges>\n"
        for ftm_id, source, target, schema, caption, amount, currency in _edges(collection):
            values = attvalues([n for n, _ in EDGE_KEYS], (schema, caption, amount, currency))
            yield (
                f"      <edge id={_attr(ftm_id)} source={_attr(source)} target={_attr(target)} "
                f"label={_attr(schema)}>{values}</edge>\n"
            )
        yield "    </edges>\n  </graph>\n</gexf>\n"

    return _chunked(lines())
