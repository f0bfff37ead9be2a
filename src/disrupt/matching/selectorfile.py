"""The selector-only upload format: what `disrupt selectors encode` writes and the hub reads.

A member that keeps its data at home encodes it on its own machine under the shared key and
uploads only this file. It is one JSON document:

    {"format": "disrupt-selectors", "version": 1, "key_id": "3f2a9c...", "created": "2026-...Z",
     "records": [
       {"ref": "<32 hex>", "schema": "Person",
        "selectors": [{"kind": "phone", "digest": "<64 hex>"}, ...],
        "person": {"bloom": "<base64 of bloom.BYTES bytes>", "blocks": [int64, ...]} | null},
       ...],
     "count": <number of records>}

Nothing raw travels: no value, no name, no caption, no property. `ref` is HMAC(key, entity id)
cut to 128 bits, because FtM ids are often made from names; the encoder can also write a local
CSV of entity id -> ref for the owner's own use (to find the entity a hit is about).

A passport, identification, user account or wallet is filed under its holder's ref (see
selectors.holder_of), as the hub does for raw-held data, so one person is one subject. The
writer streams, so a ref may appear on several records; read_selector_file merges them.

read_selector_file checks everything before returning anything, and raises SelectorFileError
naming the record and the field at the first problem: the upload job writes nothing from a file
that has one.
"""

from __future__ import annotations

import base64
import binascii
import csv
import json
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TextIO

from followthemoney import model

from disrupt.matching import bloom
from disrupt.matching.keys import MatchingKey
from disrupt.matching.kinds import EXACT_KINDS, Kind
from disrupt.matching.selectors import extract, holder_of, person_of

FORMAT = "disrupt-selectors"
VERSION = 2  # 2: evidence-weighted scores, whole-value grams, number and address blocking keys
MAX_RECORDS = 5_000_000
MAX_SELECTORS = 1_000  # per record
MAX_BLOCKS = 64  # per person

_REF = re.compile(r"^[0-9a-f]{32}$")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_KEY_ID = re.compile(r"^[0-9a-f]{16}$")
_KINDS = {kind.value: kind for kind in EXACT_KINDS}
_HELD = frozenset({"Passport", "Identification", "UserAccount", "CryptoWallet"})
_INT64 = (-(2**63), 2**63 - 1)


class TextOut(Protocol):
    def write(self, text: str, /) -> int: ...


class SelectorFileError(ValueError):
    """A selectors file the hub refuses; the message names the record (1-based) and the field."""


@dataclass(frozen=True)
class UploadPerson:
    bloom: bytes
    blocks: tuple[int, ...]


@dataclass(frozen=True)
class UploadRecord:
    ref: str
    schema: str
    selectors: tuple[tuple[Kind, bytes], ...]
    person: UploadPerson | None


@dataclass
class SelectorFile:
    """A checked file: its key and its records (iterating gives the records)."""

    key_id: str
    created: str
    records: list[UploadRecord] = field(default_factory=list)

    def __iter__(self) -> Iterator[UploadRecord]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


@dataclass
class Counts:
    records: int = 0  # records written
    selectors: int = 0
    people: int = 0
    entities: int = 0  # entities read
    empty: int = 0  # entities with nothing to encode


# ---- writing ------------------------------------------------------------------------------
def entity_ref(key: MatchingKey, entity_id: str) -> str:
    """The opaque ref of an entity id under the key (128 bits of HMAC, hex)."""
    return key.mac("ref", entity_id.encode("utf-8")).hex()[:32]


def encode_record(
    entity: Mapping[str, Any], key: MatchingKey, default_country: str = ""
) -> dict[str, Any] | None:
    """The record for one entity, or None when it has nothing to match on (or no id)."""
    entity_id = entity.get("id")
    schema = entity.get("schema")
    if (
        not isinstance(entity_id, str)
        or not entity_id
        or not isinstance(schema, str)
        or model.get(schema) is None
    ):
        return None
    by_kind: dict[Kind, list[str]] = {}
    for selector in extract(entity, default_country):
        by_kind.setdefault(selector.kind, []).append(selector.value)
    selectors = [
        {"kind": kind.value, "digest": digest.hex()}
        for kind, values in by_kind.items()
        for digest in key.blind_many(kind, values)
    ]
    person = person_of(entity)
    encoded = None
    if person is not None:
        encoded = {
            "bloom": base64.b64encode(bloom.encode_person(person, key)).decode("ascii"),
            "blocks": sorted(set(bloom.block_keys(person, key))),
        }
    if not selectors and encoded is None:
        return None
    holder = holder_of(entity)
    ref = entity_ref(key, holder if holder else entity_id)
    return {"ref": ref, "schema": schema, "selectors": selectors, "person": encoded}


def write_selector_file(
    entities: Iterable[Mapping[str, Any]],
    key: MatchingKey,
    out: TextOut,
    default_country: str = "",
    refs_out: TextOut | None = None,
) -> Counts:
    """Encode entities into `out` as they come (one record a line); optionally id,ref CSV lines."""
    counts = Counts()
    created = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    out.write(
        f'{{"format": "{FORMAT}", "version": {VERSION}, "key_id": "{key.key_id}", '
        f'"created": "{created}", "records": [\n'
    )
    refs = csv.writer(refs_out, lineterminator="\n") if refs_out is not None else None
    if refs is not None:
        refs.writerow(["id", "ref"])
    for entity in entities:
        counts.entities += 1
        record = encode_record(entity, key, default_country) if isinstance(entity, Mapping) else None
        if record is None:
            counts.empty += 1
            continue
        out.write(("" if counts.records == 0 else ",\n") + json.dumps(record, separators=(",", ":")))
        counts.records += 1
        counts.selectors += len(record["selectors"])
        counts.people += record["person"] is not None
        if refs is not None:
            refs.writerow([entity["id"], record["ref"]])
    out.write(f'\n], "count": {counts.records}}}\n')
    return counts


# ---- reading ------------------------------------------------------------------------------
def _fail(number: int, where: str, problem: str) -> SelectorFileError:
    return SelectorFileError(f"record {number} ({where}): {problem}")


def _exact_keys(value: Any, wanted: set[str], number: int, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _fail(number, where, "expected an object")
    if set(value) != wanted:
        extra, missing = sorted(set(value) - wanted), sorted(wanted - set(value))
        detail = f"unexpected field {extra[0]!r}" if extra else f"missing field {missing[0]!r}"
        raise _fail(number, where, detail)
    return value


def _selector(value: Any, number: int, index: int) -> tuple[Kind, bytes]:
    where = f"selectors[{index}]"
    item = _exact_keys(value, {"kind", "digest"}, number, where)
    kind = _KINDS.get(item["kind"]) if isinstance(item["kind"], str) else None
    if kind is None:
        raise _fail(number, f"{where}.kind", f"unknown kind {item['kind']!r}")
    digest = item["digest"]
    if not isinstance(digest, str) or not _DIGEST.match(digest):
        raise _fail(number, f"{where}.digest", "expected 64 lower-case hex digits (a 32-byte digest)")
    return kind, bytes.fromhex(digest)


def _person(value: Any, number: int) -> UploadPerson | None:
    if value is None:
        return None
    item = _exact_keys(value, {"bloom", "blocks"}, number, "person")
    encoded = item["bloom"]
    try:
        raw = base64.b64decode(encoded, validate=True) if isinstance(encoded, str) else b""
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != bloom.BYTES:
        raise _fail(number, "person.bloom", f"expected base64 of {bloom.BYTES} bytes")
    if any(raw[bloom.RESERVED_WORD * 8 :]):
        raise _fail(number, "person.bloom", "sets the reserved last word: not an encoding of this version")
    blocks = item["blocks"]
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        raise _fail(number, "person.blocks", f"expected a list of at most {MAX_BLOCKS} integers")
    for block in blocks:
        if type(block) is not int or not _INT64[0] <= block <= _INT64[1]:
            raise _fail(number, "person.blocks", f"{block!r} is not a signed 64-bit integer")
    return UploadPerson(raw, tuple(blocks))


def _record(value: Any, number: int) -> UploadRecord:
    item = _exact_keys(value, {"ref", "schema", "selectors", "person"}, number, "record")
    ref, schema, selectors = item["ref"], item["schema"], item["selectors"]
    if not isinstance(ref, str) or not _REF.match(ref):
        raise _fail(number, "ref", "expected 32 lower-case hex digits")
    if not isinstance(schema, str) or model.get(schema) is None:
        raise _fail(number, "schema", f"{schema!r} is not a FollowTheMoney schema")
    if not isinstance(selectors, list) or len(selectors) > MAX_SELECTORS:
        raise _fail(number, "selectors", f"expected a list of at most {MAX_SELECTORS}")
    checked = tuple(_selector(s, number, i) for i, s in enumerate(selectors))
    person = _person(item["person"], number)
    if not checked and person is None:
        raise _fail(number, "selectors", "a record needs a selector or a person")
    return UploadRecord(ref, schema, checked, person)


def _merge(one: UploadRecord, other: UploadRecord, number: int) -> UploadRecord:
    """A holder's record and the records of what it holds, filed under the same ref."""
    if one.person is not None and other.person is not None:
        raise _fail(number, "person", f"ref {other.ref} has a person encoding twice")
    schema = one.schema if other.schema in _HELD or one.schema not in _HELD else other.schema
    selectors = tuple(dict.fromkeys(one.selectors + other.selectors))
    return UploadRecord(one.ref, schema, selectors, one.person or other.person)


def read_selector_file(fp: TextIO, expected_key_ids: Collection[str] | None = None) -> SelectorFile:
    """Parse and check a whole selectors file; SelectorFileError at the first problem."""
    try:
        document = json.load(fp)
    except json.JSONDecodeError as error:
        raise SelectorFileError(f"not a selectors file: invalid JSON at line {error.lineno}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SelectorFileError(f'not a selectors file: "format" must be {FORMAT!r}')
    if document.get("version") != VERSION:
        raise SelectorFileError(
            f"version {document.get('version')!r} is not supported (this hub reads {VERSION})"
        )
    unexpected = sorted(set(document) - {"format", "version", "key_id", "created", "records", "count"})
    if unexpected:
        raise SelectorFileError(f"unexpected field {unexpected[0]!r} in the file")
    key_id = document.get("key_id")
    if not isinstance(key_id, str) or not _KEY_ID.match(key_id):
        raise SelectorFileError("key_id must be the 16 hex digits `disrupt selectors encode` writes")
    if expected_key_ids is not None and key_id not in expected_key_ids:
        wanted = ", ".join(sorted(expected_key_ids)) or "none configured"
        raise SelectorFileError(f"encoded under key {key_id}; the hub matches under {wanted}")
    created = document.get("created")
    try:
        datetime.fromisoformat(str(created).replace("Z", "+00:00"))
    except ValueError as error:
        raise SelectorFileError("created must be an ISO 8601 date and time") from error
    records = document.get("records")
    if not isinstance(records, list):
        raise SelectorFileError("records must be a list")
    if len(records) > MAX_RECORDS:
        raise SelectorFileError(f"{len(records):,} records: at most {MAX_RECORDS:,} in one file")
    if "count" in document and document["count"] != len(records):
        raise SelectorFileError(f"the file says {document['count']!r} records but holds {len(records)}")
    merged: dict[str, UploadRecord] = {}
    for number, value in enumerate(records, start=1):
        record = _record(value, number)
        seen = merged.get(record.ref)
        merged[record.ref] = record if seen is None else _merge(seen, record, number)
    return SelectorFile(key_id=key_id, created=str(created), records=list(merged.values()))


_HEADER_KEY = re.compile(r'"key_id"\s*:\s*"([^"]*)"')


def key_id_of(fp: TextIO) -> str:
    """The key_id a selectors file names, read from its head ('' when it names none)."""
    found = _HEADER_KEY.search(fp.read(4096))
    return found.group(1) if found else ""
