"""The cross-border world the matching tests share, built through the real actions.

Indonesia's police (INP) and the Australian Federal Police (AFP) each hold a collection. They
share, typed differently, exactly three things: a passport number ("b 1234567" against
"B-1234567", both Indonesian), a phone number (national "0812 3456 7890" in Indonesia against
international "+62 812-3456-7890") and a person (Budi Santoso born 1984-05-02 against a misspelt
Boedi Santosa born 1984). Everything else differs. The Thai police hold a collection of their
own that shares nothing. All names are synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from disrupt.access.choices import HandlingCode
from disrupt.conftest import Cast, refetched
from disrupt.intel import actions as intel_actions
from disrupt.intel.jobs import claim
from disrupt.intel.models import Collection, Entity
from disrupt.matching.choices import SelectorKind
from disrupt.matching.models import MatchingJob
from disrupt.matching.runs import run_matching_job


def _person(ftm_id: str, name: str, **props: list[str]) -> dict[str, Any]:
    return {"id": ftm_id, "schema": "Person", "properties": {"name": [name], **props}}


INP_ENTITIES = [
    _person("inp-budi", "Budi Santoso", birthDate=["1984-05-02"], nationality=["id"]),
    _person(
        "inp-rahmat",
        "Rahmat Kurniawan",
        birthDate=["1979-11-23"],
        passportNumber=["b 1234567"],
        nationality=["id"],
    ),
    _person("inp-siti", "Siti Lestari", birthDate=["1991-02-14"], phone=["0812 3456 7890"], country=["id"]),
    _person(
        "inp-other", "Dewi Anggraini", birthDate=["1988-07-30"], phone=["0813 9999 0000"], country=["id"]
    ),
]
AFP_ENTITIES = [
    _person("afp-boedi", "Boedi Santosa", birthDate=["1984"], gender=["male"]),
    _person("afp-holder", "Marcus Whitfield", birthDate=["1970-01-09"]),
    {
        "id": "afp-passport",
        "schema": "Passport",
        "properties": {"number": ["B-1234567"], "country": ["id"], "holder": ["afp-holder"]},
    },
    _person("afp-caller", "Kieran Doyle", birthDate=["1995-09-12"], phone=["+62 812-3456-7890"]),
    _person("afp-other", "Priya Raman", birthDate=["1986-03-03"], phone=["+61 412 345 678"]),
]
RTP_ENTITIES = [
    _person(
        "rtp-somchai", "Somchai Wongsakul", birthDate=["1982-12-01"], phone=["081 234 5678"], country=["th"]
    ),
]

# The three hits: (INP entity, AFP entity, kind).
EXPECTED = {
    ("inp-rahmat", "afp-holder", SelectorKind.PASSPORT),
    ("inp-siti", "afp-caller", SelectorKind.PHONE),
    ("inp-budi", "afp-boedi", SelectorKind.PERSON),
}
# Values that must never show on the other side before disclosure.
SECRETS = [
    "Boedi Santosa",
    "Marcus Whitfield",
    "Kieran Doyle",
    "B-1234567",
    "+62 812-3456-7890",
    "Budi Santoso",
    "Rahmat Kurniawan",
    "Siti Lestari",
    "b 1234567",
    "0812 3456 7890",
]


@dataclass
class World:
    cast: Cast
    inp: Collection
    afp: Collection
    rtp: Collection

    def entity(self, ftm_id: str) -> Entity:
        return Entity.objects.get(ftm_id=ftm_id)


def fill(user: Any, name: str, entities: list[dict[str, Any]], code: str = HandlingCode.AMBER) -> Collection:
    collection = intel_actions.do_create_collection(user, name=name, handling_code=code)
    for entity in entities:
        intel_actions.do_add_entity(
            user, collection, entity["schema"], entity["properties"], ftm_id=entity["id"]
        )
    return collection


def run_queued_jobs() -> list[MatchingJob]:
    """What the worker's run_matching task does, for every queued matching job, in this process."""
    done = []
    for pk in MatchingJob.objects.filter(status="queued").order_by("pk").values_list("pk", flat=True):
        job = claim(MatchingJob, pk)
        if job is not None:
            run_matching_job(job)
            job.refresh_from_db()
            done.append(job)
    return done


def build_world(cast: Cast) -> World:
    inp = fill(cast.investigator_id, "Kupang departures", INP_ENTITIES)
    afp = fill(cast.analyst_au, "Darwin arrivals", AFP_ENTITIES)
    rtp = fill(cast.investigator_th, "Andaman coast", RTP_ENTITIES)
    run_queued_jobs()
    return World(cast, inp, afp, rtp)


def reread(world: World) -> World:
    """The same world read afresh from the database, for one test of a module that shares it
    (conftest.py): what a test does to these Python objects stays with that test."""
    collections = Collection.objects.in_bulk([world.inp.pk, world.afp.pk, world.rtp.pk])
    return World(
        refetched(world.cast),
        collections[world.inp.pk],
        collections[world.afp.pk],
        collections[world.rtp.pk],
    )
