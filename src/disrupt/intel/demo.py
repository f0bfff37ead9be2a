"""Demo collections: a small synthetic network, one collection per demo agency, imported for real.

`disrupt loaddemo` calls `load_demo_collections`. It writes a seeded synthetic network
(intel/synth.py, fictional people only) one file per country, and queues each file as an import
job of a demo officer of that country, through the same action a person uses on the import page;
the worker that `disrupt start` runs beside the web server imports them. The sharing differs by
country, so that each demo account sees a different part of the network (the Thai collection is
shared with nobody, so the Australian analyst's analysis is computed without it).

Idempotent: a demo collection that exists already is left as it is.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from disrupt.access.choices import HandlingCode
from disrupt.directory.models import Agency, Country, User
from disrupt.intel.actions import do_create_collection, do_start_import
from disrupt.intel.choices import ImportFormat
from disrupt.intel.models import Collection
from disrupt.intel.synth import Params, country_path, generate

DEMO_SEED = 2026
DEMO_ENTITIES = 1_500
SYNTHETIC = "Synthetic demonstration data: every person, company, vessel and account in it is fictional."


@dataclass(frozen=True)
class DemoCollection:
    country: str  # the synthetic network's collection code (lower case)
    owner_email: str  # a demo officer of the owning agency (local part)
    name: str
    code: str
    shared_agencies: tuple[str, ...] = ()  # short names
    shared_countries: tuple[str, ...] = ()  # ISO codes


DEMO_COLLECTIONS = [
    DemoCollection(
        "id",
        "investigator",
        "Kupang departures: maritime venture network",
        HandlingCode.AMBER,
        shared_agencies=("AFP",),
    ),
    DemoCollection(
        "au", "analyst", "Arrivals and onshore payments", HandlingCode.AMBER, shared_agencies=("INP",)
    ),
    DemoCollection(
        "my",
        "analyst.my",
        "Transit facilitation, Peninsular Malaysia",
        HandlingCode.AMBER,
        shared_countries=("ID", "AU"),
    ),
    DemoCollection("lk", "focal.lk", "Recruitment in coastal districts", HandlingCode.GREEN),
    DemoCollection("th", "investigator.th", "Transit through southern Thailand", HandlingCode.AMBER),
]


def load_demo_collections(domain: str) -> list[Collection]:
    """Create the demo collections that do not exist yet and queue their imports."""
    wanted = []
    for demo in DEMO_COLLECTIONS:
        owner = User.objects.filter(email=f"{demo.owner_email}@{domain}").select_related("agency").first()
        if owner is None or owner.agency is None:
            continue
        if not Collection.objects.filter(owner_agency=owner.agency, name=demo.name).exists():
            wanted.append((demo, owner))
    if not wanted:
        return []
    created = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "demo.ftm.json"
        generate(Params(DEMO_SEED, DEMO_ENTITIES), out, per_country=True)
        for demo, owner in wanted:
            path = country_path(out, demo.country)
            if not path.exists():
                continue
            with transaction.atomic():
                collection = do_create_collection(
                    owner, name=demo.name, summary=SYNTHETIC, handling_code=demo.code
                )
                collection.shared_agencies.set(Agency.objects.filter(short_name__in=demo.shared_agencies))
                collection.shared_countries.set(Country.objects.filter(code__in=demo.shared_countries))
                with path.open("rb") as stream:
                    do_start_import(
                        owner,
                        collection,
                        name=f"synthetic-{demo.country}.ftm.jsonl",
                        stream=stream,
                        format=ImportFormat.FTM,
                    )
            created.append(collection)
    return created
