"""Numbered references such as JPA7-01 or ENQ-2026-0001."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet


def next_reference(records: QuerySet[Any], prefix: str, width: int, field: str = "reference") -> str:
    """The next free `prefix` + number among `records` (call inside the transaction that saves it)."""
    used = [0]
    taken = records.filter(**{f"{field}__startswith": prefix}).values_list(field, flat=True)
    for reference in taken:
        match = re.fullmatch(rf"{re.escape(prefix)}(\d+)", reference)
        if match:
            used.append(int(match.group(1)))
    return f"{prefix}{max(used) + 1:0{width}d}"
