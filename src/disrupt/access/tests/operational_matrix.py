"""Who reads an operational record: one table, by handling code and relationship.

docs/access-policy.md carries the same table ("Who reads an operational record at each code");
`test_operational_matrix.py` parses it and compares, so the two cannot drift. The relationships
are built around the shared cast in `operational_scenario.py`; the paths every cell is checked
through are in `operational_paths.py`.
"""

from __future__ import annotations

import re
from pathlib import Path

from disrupt.access.choices import HandlingCode

DOCS = Path(__file__).resolve().parents[4] / "docs" / "access-policy.md"
DOCS_HEADING = "### Who reads an operational record at each code"

# The relationships, in the docs' column order (the docs write them with spaces).
RELATIONSHIPS = (
    "author",
    "owner",
    "shared-agency",
    "same-country",
    "shared-country",
    "plan-country",
    "named-person",
    "other-country",
    "observer",
    "secretariat",
    "co-chair",
)

EVERYONE = frozenset(RELATIONSHIPS)

# handling code -> the relationships that read the record.
READERS: dict[str, frozenset[str]] = {
    HandlingCode.CLEAR: EVERYONE,
    HandlingCode.GREEN: EVERYONE,
    HandlingCode.AMBER: frozenset({"author", "owner", "shared-agency", "shared-country", "plan-country"}),
    HandlingCode.AMBER_STRICT: frozenset({"author", "owner", "shared-agency"}),
    HandlingCode.RED: frozenset({"author", "named-person"}),
}


def reads(code: str, relationship: str) -> bool:
    return relationship in READERS[code]


def docs_table(text: str | None = None) -> dict[str, frozenset[str]]:
    """The table of the docs, as {handling code: relationships marked yes}."""
    text = DOCS.read_text() if text is None else text
    section = text.split(DOCS_HEADING, 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert header[0] == "code", header
    columns = [re.sub(r"\s+", "-", name) for name in header[1:]]
    labels = {str(label): value for value, label in HandlingCode.choices}
    table: dict[str, frozenset[str]] = {}
    for line in rows[2:]:  # after the header and its |---| line
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] not in labels:
            break
        marks = dict(zip(columns, cells[1:], strict=True))
        assert set(marks.values()) <= {"yes", "no"}, line
        table[labels[cells[0]]] = frozenset(name for name, mark in marks.items() if mark == "yes")
    assert tuple(columns) == RELATIONSHIPS, columns
    return table
