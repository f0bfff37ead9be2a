"""Loading reference data: ISO countries from pycountry, and data/reference.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pycountry
import yaml
from django.db import transaction

from disrupt.directory.choices import AgencyKind
from disrupt.directory.models import Agency, Country, Role
from disrupt.programme.models import CrimeType, Objective, Sector
from disrupt.reports.models import Indicator

REFERENCE_FILE = Path(__file__).resolve().parent.parent / "data" / "reference.yaml"


def load_countries() -> int:
    """Every ISO 3166-1 country, keyed by alpha-2. Names follow pycountry's common names."""
    count = 0
    for entry in pycountry.countries:
        name = getattr(entry, "common_name", None) or entry.name
        Country.objects.update_or_create(
            code=entry.alpha_2,
            defaults={
                "alpha3": entry.alpha_3,
                "numeric": entry.numeric,
                "name": name,
                "official_name": getattr(entry, "official_name", ""),
            },
        )
        count += 1
    return count


def _load_terms(model: Any, rows: list[dict[str, Any]]) -> None:
    for position, row in enumerate(rows, start=1):
        model.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "position": position * 10}
        )


@transaction.atomic
def load_reference(path: Path = REFERENCE_FILE) -> dict[str, int]:
    data = yaml.safe_load(path.read_text())
    for row in data["roles"]:
        # The two-factor requirement is an administrator's decision: set it only on creation.
        Role.objects.get_or_create(
            code=row["code"], defaults={"requires_two_factor": row["requires_two_factor"]}
        )
    _load_terms(CrimeType, data["crime_types"])
    _load_terms(Sector, data["sectors"])
    _load_terms(Objective, data["objectives"])
    for position, row in enumerate(data["indicators"], start=1):
        Indicator.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "position": position * 10,
                "is_victim_count": row.get("victims", False),
                "has_currency": row.get("currency", False),
            },
        )
    for row in data["organisations"]:
        Agency.objects.update_or_create(
            kind=AgencyKind.INTERNATIONAL,
            short_name=row["short_name"],
            defaults={"name": row["name"], "country": None},
        )
    return {key: len(value) for key, value in data.items()}
