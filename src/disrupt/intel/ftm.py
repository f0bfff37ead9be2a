"""One FollowTheMoney entity: checked and cleaned by followthemoney 4, and its graph columns.

Everything that turns an entity dict from outside (an import line, a mapped spreadsheet row, a
form) into what is stored goes through `validate_entity`: the schema must exist and not be
abstract, the id must be there and short enough, every property must belong to the schema and
every value must clean. The cleaned form is deterministic — properties sorted by name, values
in the order given, without repeats — so an exported collection imports back to the same bytes.

No Django state: `analysis.py` (which must stay importable without Django) takes the link ends
from here. followthemoney is loaded on first use, because importing it costs seconds.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from followthemoney.model import Model
    from followthemoney.proxy import EntityProxy
    from followthemoney.schema import Schema

# FollowTheMoney ids are hashes or slugs; longer ones are refused with a clear error.
MAX_ENTITY_ID = 200
# A caption is kept for lists and graphs, cut to the column's length.
MAX_CAPTION = 500

# The two ends of each link schema in FollowTheMoney 4 (source property, target property).
LINK_ENDS = {
    "Membership": ("member", "organization"),
    "Directorship": ("director", "organization"),
    "Associate": ("person", "associate"),
    "Family": ("person", "relative"),
    "Ownership": ("owner", "asset"),
    "Employment": ("employee", "employer"),
    "UnknownLink": ("subject", "object"),
}
# Payments run between accounts when they are known (money flows are between accounts), else
# between the parties.
PAYMENT_ENDS = (("payerAccount", "payer"), ("beneficiaryAccount", "beneficiary"))
# Where an entity's own country is written, in order of preference.
COUNTRY_PROPERTIES = ("country", "jurisdiction", "nationality")

Properties = dict[str, list[str]]


@dataclass(frozen=True)
class Problem:
    """What is wrong with one entity; `property` is "" when it is the entity as a whole."""

    property: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"property": self.property, "message": self.message}


@dataclass(frozen=True)
class GraphColumns:
    """What the graph needs of an entity, copied out of its properties (see Entity)."""

    source: str = ""
    target: str = ""
    amount: float | None = None
    currency: str = ""
    country: str = ""


@functools.cache
def ftm_model() -> Model:
    from followthemoney import model

    return model


def _first(props: Properties, name: str) -> str:
    values = props.get(name) or [""]
    return values[0]


def link_ends(schema: str, props: Properties) -> tuple[str, str] | None:
    """(source, target) FtM ids of a link entity, '' for a missing end; None for a thing."""
    if schema == "Payment":
        (payer_account, payer), (beneficiary_account, beneficiary) = PAYMENT_ENDS
        return (
            _first(props, payer_account) or _first(props, payer),
            _first(props, beneficiary_account) or _first(props, beneficiary),
        )
    if schema in LINK_ENDS:
        start, end = LINK_ENDS[schema]
        return _first(props, start), _first(props, end)
    return None


def entity_country(props: Properties, default: str = "") -> str:
    for name in COUNTRY_PROPERTIES:
        if value := _first(props, name):
            return value
    return default


def graph_columns(schema: str, props: Properties, collection_country: str = "") -> GraphColumns:
    """The link ends, a payment's amount and currency, and the country (the entity's own
    country, jurisdiction or nationality, else the collection's)."""
    country = entity_country(props, collection_country)
    ends = link_ends(schema, props)
    if ends is None:
        return GraphColumns(country=country)
    amount: float | None = None
    currency = ""
    if schema == "Payment":
        try:
            amount = float(_first(props, "amount")) if _first(props, "amount") else None
        except ValueError:  # FtM keeps "1,500.5" as written; it is not a float we can sum
            amount = None
        currency = _first(props, "currency")[:8]
    return GraphColumns(ends[0], ends[1], amount, currency, country)


def _schema(name: Any) -> tuple[Schema | None, Problem | None]:
    if not isinstance(name, str) or not name:
        return None, Problem("schema", "The entity has no schema.")
    schema = ftm_model().get(name)
    if schema is None:
        return None, Problem("schema", f"There is no FollowTheMoney schema {name!r}.")
    if schema.abstract:
        return None, Problem("schema", f"{name} is an abstract schema; use one of its kinds.")
    return schema, None


def _entity_id(value: Any) -> tuple[str, Problem | None]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return "", Problem("id", "The entity has no id.")
    if len(value) > MAX_ENTITY_ID:
        return "", Problem("id", f"The id is longer than {MAX_ENTITY_ID} characters.")
    return value, None


def _values(raw: Any) -> list[str] | None:
    """The property's values as strings, or None when they are not strings or numbers."""
    items = raw if isinstance(raw, list) else [raw]
    values: list[str] = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            return None
        values.append(str(item))
    return values


def validate_entity(data: Any) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Check one FtM entity dict and clean it with followthemoney (see checked_entity)."""
    entity, _, problems = checked_entity(data)
    return entity, problems


def checked_entity(data: Any) -> tuple[dict[str, Any] | None, str, list[Problem]]:
    """Check one FtM entity dict and clean it with followthemoney; its caption too.

    Returns the cleaned entity `{id, schema, properties}` (None when anything is wrong), its
    caption (from the same proxy: an import makes a million of them) and the problems, each
    naming the property at fault. Keys other than these three (Aleph's `collection`, a
    `caption`…) are context FtM keeps aside; they are not stored.
    """
    if not isinstance(data, dict):
        return None, "", [Problem("", "A line must be a JSON object with id, schema and properties.")]
    problems: list[Problem] = []
    schema, problem = _schema(data.get("schema"))
    if problem:
        problems.append(problem)
    entity_id, problem = _entity_id(data.get("id"))
    if problem:
        problems.append(problem)
    raw = data.get("properties") or {}
    if not isinstance(raw, dict):
        problems.append(Problem("properties", "properties must be an object of lists of values."))
        raw = {}
    if schema is None:
        return None, "", problems
    from followthemoney.exc import InvalidData
    from followthemoney.proxy import EntityProxy
    from followthemoney.types import registry

    proxy = EntityProxy(schema, {"id": entity_id or "x"}, cleaned=True)

    # Countries first: phone numbers are read in the entity's country (as FtM's mappings do).
    def countries_first(name: str) -> bool:
        prop = schema.get(name)
        return prop is None or prop.type != registry.country

    for name in sorted(raw, key=countries_first):
        prop = schema.get(name)
        if prop is None:
            problems.append(Problem(str(name), f"{schema.name} has no property {name!r}."))
            continue
        if prop.stub:
            problems.append(Problem(name, f"{name} is set on the other entity, not on a {schema.name}."))
            continue
        values = _values(raw[name])
        if values is None:
            problems.append(Problem(name, "Values must be text (a list of strings)."))
            continue
        for value in values:
            if not value.strip():
                continue
            try:
                added = proxy.unsafe_add(prop, value)
                if added is None and prop.type == registry.phone:
                    # FtM 4 reads a national number only with a region given: the entity's own.
                    for country in sorted(proxy.countries):
                        added = proxy.unsafe_add(prop, value, format=country)
                        if added is not None:
                            break
            except InvalidData as error:  # an entity pointing at itself, say
                problems.append(Problem(name, str(error)))
                continue
            if added is None:
                problems.append(Problem(name, f"{value[:80]!r} is not a valid {prop.type.label.lower()}."))
    if problems:
        return None, "", problems
    cleaned = {"id": entity_id, "schema": schema.name, "properties": _sorted(proxy.properties)}
    return cleaned, proxy.caption[:MAX_CAPTION], []


def _sorted(props: Properties) -> Properties:
    return {name: props[name] for name in sorted(props) if props[name]}


def proxy_of(entity: dict[str, Any]) -> EntityProxy:
    """A proxy over an already cleaned entity (as validate_entity returns it)."""
    return ftm_model().get_proxy(entity, cleaned=True)


def caption_of(entity: dict[str, Any]) -> str:
    return proxy_of(entity).caption[:MAX_CAPTION]


def merge_entities(
    first: dict[str, Any], second: dict[str, Any]
) -> tuple[dict[str, Any] | None, Problem | None]:
    """Two fragments of one entity (the same id) merged as FollowTheMoney merges them: the
    common schema, and the values of both (the first's first). A Person and a Company cannot
    be one entity: that is a problem naming the schema."""
    from followthemoney.exc import InvalidData

    try:
        merged = proxy_of(first).merge(proxy_of(second))
    except InvalidData:
        return None, Problem(
            "schema",
            f"The id {first['id']!r} is already a {first['schema']} in this file; it cannot also be a "
            f"{second['schema']}.",
        )
    return {"id": merged.id, "schema": merged.schema.name, "properties": _sorted(merged.properties)}, None
