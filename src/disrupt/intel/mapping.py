"""CSV and XLSX rows to FollowTheMoney entities, through a mapping in FtM's own format.

A mapping is the `query` part of an FtM mapping file (what `ftm map` reads), without the
source, because the source is the uploaded file:

    entities:
      person:
        schema: Person
        keys: [passport]
        properties:
          name: {column: full_name}
          passportNumber: {column: passport}
      account:
        schema: BankAccount
        keys: [iban]
        properties:
          iban: {column: iban}
          holder: {entity: person}

For a workbook, `sheet: <name>` chooses the sheet (the first one otherwise). Rows are mapped by
followthemoney's mapping classes (`QueryMapping`, `PropertyMapping`); the only thing done here
beyond them is to keep the values they discard, so that a bad cell is named by row and property
instead of vanishing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from disrupt.intel.ftm import Problem, ftm_model, validate_entity

if TYPE_CHECKING:
    from followthemoney.mapping.query import QueryMapping

# Keys of an FtM query that name a source: here the upload is the source, and a mapping must
# never make the server read a URL, a path or a database of its choosing, so they are dropped.
SOURCE_KEYS = ("csv_url", "csv_urls", "database", "tables", "table", "joins")
# An uploaded workbook may expand to this much XML (a million rows of twenty columns is ~1 GB).
MAX_XLSX_UNCOMPRESSED = 4 * 1024**3

Record = dict[str, str]


def _query(mapping: dict[str, Any]) -> QueryMapping:
    from followthemoney.mapping.query import QueryMapping

    # The source a mapping file names is ignored (the upload is read instead); QueryMapping
    # insists on one, so it is given a placeholder it never reads.
    query = {key: value for key, value in mapping.items() if key not in SOURCE_KEYS}
    return QueryMapping(ftm_model(), {**query, "csv_url": "upload"})


def check_mapping(mapping: Any) -> QueryMapping:
    """The mapping as followthemoney reads it; ValidationError naming what is wrong."""
    from followthemoney.exc import InvalidMapping

    if not isinstance(mapping, dict):
        raise ValidationError({"mapping": "A mapping is an object with `entities`."})
    entities = mapping.get("entities")
    if not isinstance(entities, dict) or not entities:
        raise ValidationError({"mapping": "The mapping has no `entities`."})
    for name, spec in entities.items():
        if not isinstance(spec, dict):
            raise ValidationError({"mapping": f"Entity {name!r}: expected schema, keys and properties."})
        properties = spec.get("properties", {})
        if not isinstance(properties, dict) or not all(isinstance(p, dict) for p in properties.values()):
            raise ValidationError({"mapping": f"Entity {name!r}: each property maps to {{column: …}}."})
    sheet = mapping.get("sheet")
    if sheet is not None and not isinstance(sheet, str):
        raise ValidationError({"mapping": "`sheet` is the name of a sheet of the workbook."})
    try:
        query = _query(mapping)
    except InvalidMapping as error:
        raise ValidationError({"mapping": str(error)}) from error
    for entity in query.entities:
        if entity.schema.abstract:
            schema = entity.schema.name
            raise ValidationError(
                {"mapping": f"Entity {entity.name!r}: {schema} is abstract; use a kind of it."}
            )
    return query


def columns(mapping: dict[str, Any]) -> set[str]:
    """Every column the mapping reads (for checking a header)."""
    return set().union(*(entity.refs for entity in _query(mapping).entities))


def map_record(query: QueryMapping, record: Record) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The entities one row makes (as validate_entity returns them), and its problems.

    This follows `QueryMapping.map`/`EntityMapping.map` (dependency order, country columns
    first so phone numbers read in that country, the key computed last, entities without a key
    or a required value skipped) but keeps what `PropertyMapping.map` discards as problems.
    """
    from followthemoney.exc import InvalidData
    from followthemoney.proxy import EntityProxy
    from followthemoney.types import registry

    made: dict[str, EntityProxy] = {}
    problems: list[Problem] = []
    for mapping in query.entities:
        proxy = EntityProxy(mapping.schema, {}, cleaned=True)
        ordered = sorted(mapping.properties, key=lambda p: p.prop.type != registry.country)
        for prop in ordered:
            try:
                discarded = prop.map(proxy, record, made)
            except InvalidData as error:  # e.g. an entity made its own owner by its keys
                problems.append(Problem(prop.prop.name, str(error)))
                continue
            for value in discarded:
                label = prop.prop.type.label.lower()
                problems.append(Problem(prop.prop.name, f"{value[:80]!r} is not a valid {label}."))
        proxy.id = mapping.compute_key(record)
        if proxy.id is None:
            continue
        if any(p.required and not proxy.has(p.prop) for p in mapping.properties):
            continue
        made[mapping.name] = proxy
    entities: list[dict[str, Any]] = []
    for proxy in made.values():
        cleaned, found = validate_entity(proxy.to_dict())
        problems.extend(found)
        if cleaned is not None:
            entities.append(cleaned)
    return entities, problems


# --- Reading the rows --------------------------------------------------------------------------


def csv_records(stream: IO[bytes]) -> Iterator[tuple[dict[str, Any], Record]]:
    """(where, record) per data row of a UTF-8 CSV file; `where` is {"line": n}, the header
    being line 1 (a cell spanning lines counts once, as a spreadsheet shows it)."""
    from followthemoney.util import sanitize_text

    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text, skipinitialspace=True)
    for number, row in enumerate(reader, start=2):
        record: Record = {}
        for column, raw in row.items():
            if column is None:  # more cells than headers
                continue
            value = sanitize_text(raw)
            if value is not None and value.strip():
                record[column.strip()] = value
        yield {"line": number}, record


def _cell_text(value: Any) -> str | None:
    from followthemoney.util import sanitize_text

    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed into a cell (an account, a phone) is not 12.0
    text = sanitize_text(value)
    return text if text and text.strip() else None


def xlsx_records(path: Path, sheet: str | None = None) -> Iterator[tuple[dict[str, Any], Record]]:
    """(where, record) per data row of one sheet, read as a stream (openpyxl read-only);
    `where` is {"sheet": name, "row": n} as the spreadsheet numbers its rows."""
    from openpyxl import load_workbook

    from disrupt.lib.xlsx import UnreadableWorkbook, check_archive

    check_archive(path, MAX_XLSX_UNCOMPRESSED)
    stream = path.open("rb")  # a file object: openpyxl judges a path by its suffix
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds (KeyError, XML errors…) for bad files
        stream.close()
        raise UnreadableWorkbook("The file could not be read as an Excel workbook (.xlsx).") from error
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise UnreadableWorkbook(f"The workbook has no sheet {sheet!r}.")
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
        for number, row in enumerate(rows, start=2):
            record: Record = {}
            for column, cell in zip(header, row, strict=False):
                value = _cell_text(cell)
                if column and value is not None:
                    record[column] = value
            yield {"sheet": worksheet.title, "row": number}, record
    finally:
        workbook.close()
        stream.close()
