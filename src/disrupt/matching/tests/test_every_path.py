"""The cross-border world (scenario.build_world) through every path, for every person of the cast.

(a) Neither side reads the other's entities or collection through any path of the access matrix
    (operational_paths.PATHS["entity"] and ["collection"]: pages, search, exports, API list and
    detail, notifications, counts); each owner reads its own through every one of them, so a
    check that could never say yes would fail here.
(b) Every matching page and API route (hits, disclosure requests, the notifications of both)
    answers the officers of the two owners and gives everyone else a 404 or nothing.
(c) No page or API answer anyone gets holds a value of a side they are not on (scenario.SECRETS):
    the Indonesian investigator's hit pages never hold "Boedi Santosa" or "B-1234567".

The world is built once for the module, with one disclosure request each way, inside a
transaction rolled back at the end; each test's own writes (audit entries) are rolled back after it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from disrupt.access.tests.operational_paths import (
    PATHS,
    NoSuchPath,
    Path,
    forget_pages,
    forget_words,
    get_page,
    known_as,
    tell_everyone,
)
from disrupt.conftest import Cast, analyze_tables, build_cast
from disrupt.intel.models import Collection, Entity
from disrupt.matching import actions
from disrupt.matching.choices import SelectorKind
from disrupt.matching.models import DisclosureRequest, Hit, MatchingJob
from disrupt.matching.tests.scenario import (
    AFP_ENTITIES,
    INP_ENTITIES,
    RTP_ENTITIES,
    SECRETS,
    World,
    build_world,
)

# Every person of the cast (a meta-test keeps this in step with conftest.Cast) and the side each
# speaks for: the officers of the agency owning a collection. Nobody else is on any side.
PEOPLE = (
    "investigator_id",
    "focal_id",
    "analyst_au",
    "focal_au",
    "investigator_au_abf",
    "investigator_th",
    "observer",
    "secretariat",
    "co_chair",
    "co_chair_other",
)
SIDE = {
    "investigator_id": "inp",
    "focal_id": "inp",
    "analyst_au": "afp",
    "focal_au": "afp",
    "investigator_th": "rtp",
}
# The two owners of the three hits.
HIT_SIDES = {"inp", "afp"}

ENTITIES = {"inp": INP_ENTITIES, "afp": AFP_ENTITIES, "rtp": RTP_ENTITIES}
ENTITY_SIDE = {entity["id"]: side for side, entities in ENTITIES.items() for entity in entities}
HIT_KINDS = (SelectorKind.PASSPORT, SelectorKind.PHONE, SelectorKind.PERSON)


def _secret_side(secret: str) -> str:
    """The one side whose entities hold the value."""
    holders = [side for side, entities in ENTITIES.items() if secret in json.dumps(entities)]
    assert len(holders) == 1, (secret, holders)
    return holders[0]


SECRET_SIDE = {secret: _secret_side(secret) for secret in SECRETS}


def _forms() -> dict[str, set[str]]:
    """Each value as given and as the platform stores it (a phone is kept in E.164), lower-cased:
    the forms a page could show it in."""
    forms = {}
    for secret in SECRETS:
        found = {secret.lower()}
        for entity in ENTITIES[SECRET_SIDE[secret]]:
            for prop, values in entity["properties"].items():
                if secret in values:
                    stored = Entity.objects.get(ftm_id=entity["id"]).properties.get(prop, [])
                    found |= {value.lower() for value in stored}
        forms[secret] = found
    return forms


def _held() -> dict[str, set[str]]:
    """Every value each side's own entities hold, as stored, lower-cased."""
    held: dict[str, set[str]] = {side: set() for side in ENTITIES}
    for entity in Entity.objects.filter(ftm_id__in=ENTITY_SIDE):
        for values in entity.properties.values():
            held[ENTITY_SIDE[entity.ftm_id]] |= {value.lower() for value in values}
    return held


@dataclass
class CrossBorder:
    world: World
    clients: dict[str, Client]
    requests: dict[str, DisclosureRequest]  # "inp-asks" (about AFP's person), "afp-asks" (INP's passport)
    forms: dict[str, set[str]]  # secret -> the forms it may show in
    held: dict[str, set[str]]  # side -> every value its own entities hold

    def forbidden(self, person: str) -> set[str]:
        """What `person` must never get: the other sides' values, in every form, but those their
        own side holds too (both hold the phone number: that is the hit)."""
        side = SIDE.get(person, "")
        other = {
            form
            for secret, form_set in self.forms.items()
            if SECRET_SIDE[secret] != side
            for form in form_set
        }
        return other - self.held.get(side, set())

    @property
    def cast(self) -> Cast:
        return self.world.cast

    def person(self, name: str) -> Any:
        return getattr(self.cast, name)

    def collection(self, side: str) -> Collection:
        return {"inp": self.world.inp, "afp": self.world.afp, "rtp": self.world.rtp}[side]

    def hit(self, kind: str) -> Hit:
        return Hit.objects.get(kind=kind)


def _ask(world: World) -> dict[str, DisclosureRequest]:
    """One request each way, through the real action, so request pages and notifications exist.
    Neither is decided: nothing is disclosed, so nothing of the other side may show."""
    cast = world.cast
    return {
        "inp-asks": actions.do_request_disclosure(
            cast.investigator_id, Hit.objects.get(kind=SelectorKind.PERSON), "Same man on the Kupang boat?"
        ),
        "afp-asks": actions.do_request_disclosure(
            cast.analyst_au, Hit.objects.get(kind=SelectorKind.PASSPORT), "Who travels on this passport?"
        ),
    }


# Every answer of (c), once per person and address: 403 (the audit trail refused) is an answer too.
_ANSWERS: dict[tuple[str, str], tuple[int, str]] = {}


@pytest.fixture(scope="module")
def crossborder(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[CrossBorder]:
    files = tmp_path_factory.mktemp("every-path")
    with (
        django_db_blocker.unblock(),
        override_settings(
            DATA_DIR=files,
            MATCHING_KEY_FILE=str(files / "matching.key"),
            MATCHING_PREVIOUS_KEY_FILE="",
            CLAMD_SOCKET="",
            CLAMD_HOST="",
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        forget_pages()
        forget_words()
        _ANSWERS.clear()
        world = build_world(build_cast())
        requests = _ask(world)
        # The paths look a record up by its word: an entity by its caption, a collection by its name.
        for entity in Entity.objects.filter(collection__in=[world.inp, world.afp, world.rtp]):
            known_as(entity, entity.caption)
        collections = [world.inp, world.afp, world.rtp]
        for collection in collections:
            known_as(collection, collection.name)
        people = [getattr(world.cast, name) for name in PEOPLE]
        tell_everyone(people, collections)
        clients = {}
        for name, person in zip(PEOPLE, people, strict=True):
            # Signed in here, outside the tests' own transactions, so the sessions outlive them.
            clients[name] = Client()
            clients[name].force_login(person)
        analyze_tables()
        yield CrossBorder(world, clients, requests, _forms(), _held())
        forget_pages()
        forget_words()
        _ANSWERS.clear()
        transaction.set_rollback(True)


def test_the_people_are_the_whole_cast(crossborder: CrossBorder, db: None) -> None:
    assert set(PEOPLE) == set(crossborder.cast.everyone)


def test_the_world_holds_what_the_cases_name(crossborder: CrossBorder, db: None) -> None:
    refs = set(
        Entity.objects.filter(collection__in=[crossborder.collection(s) for s in ENTITIES]).values_list(
            "ftm_id", flat=True
        )
    )
    assert refs == set(ENTITY_SIDE)
    assert sorted(Hit.objects.values_list("kind", flat=True)) == sorted(HIT_KINDS)


# --- (a) entities and collections through every path of the matrix ------------------------------


def _record_cases() -> list[Any]:
    found = []
    records = {"entity": sorted(ENTITY_SIDE), "collection": sorted(ENTITIES)}
    for kind, names in records.items():
        for path_name, path in PATHS[kind].items():
            if isinstance(path, NoSuchPath):
                continue
            for name in names:
                for person in PEOPLE:
                    case_id = f"{person}-{kind}:{name}-{path_name}"
                    found.append(pytest.param(person, kind, name, path_name, id=case_id))
    return found


@pytest.mark.parametrize(("person", "kind", "name", "path_name"), _record_cases())
def test_only_the_owner_reads_a_record_through_each_path(
    crossborder: CrossBorder, db: None, person: str, kind: str, name: str, path_name: str
) -> None:
    path = PATHS[kind][path_name]
    assert isinstance(path, Path) and not path.missing, f"{kind}.{path_name}: {path}"
    if kind == "entity":
        record: Any = Entity.objects.get(ftm_id=name)
        side = ENTITY_SIDE[name]
    else:
        record, side = crossborder.collection(name), name
    got = path.check(crossborder.clients[person], crossborder.person(person), record)
    owner = SIDE.get(person) == side
    assert got is owner, (
        f"{person} {'got' if got else 'did not get'} {side}'s {kind} {name} through {path_name}"
    )


# --- (b) hits and disclosure requests: the two owners' officers, nobody else -------------------------

Got = Callable[[CrossBorder, str], set[Any]]


def _status(cb: CrossBorder, person: str, url: str) -> int:
    status, _ = get_page(cb.clients[person], cb.person(person), url)
    return status


def _listed(cb: CrossBorder, person: str, url: str) -> str:
    status, text = get_page(cb.clients[person], cb.person(person), url)
    assert status == 200, f"{url}: HTTP {status}"
    return text


def _api_ids(cb: CrossBorder, person: str, url: str) -> set[int]:
    payload = json.loads(_listed(cb, person, f"{url}?limit=1000"))
    return {row["id"] for row in payload["results"]}


def _notified(cb: CrossBorder, person: str) -> str:
    pages, number = [], 1
    while True:
        page = _listed(cb, person, f"{reverse('notifications:list')}?page={number}")
        pages.append(page)
        if 'rel="next"' not in page:
            return "\n".join(pages)
        number += 1


def _hit_pages(cb: CrossBorder, person: str) -> set[Any]:
    page = _listed(cb, person, reverse("matching:hit_list"))
    return {h.kind for h in Hit.objects.all() if f'href="{h.get_absolute_url()}"' in page}


def _hit_detail(kind: str) -> Got:
    def got(cb: CrossBorder, person: str) -> set[Any]:
        return {kind} if _status(cb, person, cb.hit(kind).get_absolute_url()) == 200 else set()

    return got


def _api_hits(cb: CrossBorder, person: str) -> set[Any]:
    ids = _api_ids(cb, person, reverse("api:hit-list"))
    return {h.kind for h in Hit.objects.filter(pk__in=ids)}


def _api_hit_detail(kind: str) -> Got:
    def got(cb: CrossBorder, person: str) -> set[Any]:
        url = reverse("api:hit-detail", args=[cb.hit(kind).pk])
        return {kind} if _status(cb, person, url) == 200 else set()

    return got


def _hits_notified(cb: CrossBorder, person: str) -> set[Any]:
    page = _notified(cb, person)
    return {h.kind for h in Hit.objects.all() if f"Hit {h.pk}: {h.get_kind_display()}" in page}


def _request_list(cb: CrossBorder, person: str) -> set[Any]:
    page = _listed(cb, person, reverse("matching:request_list"))
    return {name for name, r in cb.requests.items() if f'href="{r.get_absolute_url()}"' in page}


def _request_detail(name: str) -> Got:
    def got(cb: CrossBorder, person: str) -> set[Any]:
        return {name} if _status(cb, person, cb.requests[name].get_absolute_url()) == 200 else set()

    return got


def _api_requests(cb: CrossBorder, person: str) -> set[Any]:
    ids = _api_ids(cb, person, reverse("api:disclosure-request-list"))
    return {name for name, r in cb.requests.items() if r.pk in ids}


def _api_request_detail(name: str) -> Got:
    def got(cb: CrossBorder, person: str) -> set[Any]:
        url = reverse("api:disclosure-request-detail", args=[cb.requests[name].pk])
        return {name} if _status(cb, person, url) == 200 else set()

    return got


def _requests_notified(cb: CrossBorder, person: str) -> set[Any]:
    """A request is told to the officers of the side it asks (the asker knows it already)."""
    page = _notified(cb, person)
    return {name for name, r in cb.requests.items() if f">{r.reference}<" in page}


REQUESTS = ("inp-asks", "afp-asks")
# route -> (what a person got, what an officer of each owner gets: {side: expected})
ALL_HITS = set(HIT_KINDS)
MATCHING_ROUTES: dict[str, tuple[Got, dict[str, set[Any]]]] = {
    "hit_list": (_hit_pages, {"inp": ALL_HITS, "afp": ALL_HITS}),
    **{f"hit_detail[{kind}]": (_hit_detail(kind), {"inp": {kind}, "afp": {kind}}) for kind in HIT_KINDS},
    "api_hit_list": (_api_hits, {"inp": ALL_HITS, "afp": ALL_HITS}),
    **{
        f"api_hit_detail[{kind}]": (_api_hit_detail(kind), {"inp": {kind}, "afp": {kind}})
        for kind in HIT_KINDS
    },
    "hit_notifications": (_hits_notified, {"inp": ALL_HITS, "afp": ALL_HITS}),
    "request_list": (_request_list, {"inp": set(REQUESTS), "afp": set(REQUESTS)}),
    **{
        f"request_detail[{name}]": (_request_detail(name), {"inp": {name}, "afp": {name}})
        for name in REQUESTS
    },
    "api_request_list": (_api_requests, {"inp": set(REQUESTS), "afp": set(REQUESTS)}),
    **{
        f"api_request_detail[{name}]": (_api_request_detail(name), {"inp": {name}, "afp": {name}})
        for name in REQUESTS
    },
    # INP is asked by AFP's request, AFP by INP's.
    "request_notifications": (_requests_notified, {"inp": {"afp-asks"}, "afp": {"inp-asks"}}),
}


@pytest.mark.parametrize("route", list(MATCHING_ROUTES))
@pytest.mark.parametrize("person", PEOPLE)
def test_hits_and_requests_reach_the_two_owners_officers_only(
    crossborder: CrossBorder, db: None, person: str, route: str
) -> None:
    got, expected = MATCHING_ROUTES[route]
    side = SIDE.get(person, "")
    want = expected.get(side, set()) if side in HIT_SIDES else set()
    assert got(crossborder, person) == want, f"{person} through {route}"


# --- (c) no page or answer holds the other side's values --------------------------------------------

Urls = Callable[[CrossBorder], list[str]]


def _one(route: str, query: str = "") -> Urls:
    return lambda cb: [reverse(route) + query]


def _per_collection(route: str, query: str = "") -> Urls:
    return lambda cb: [reverse(route, args=[cb.collection(s).pk]) + query for s in ENTITIES]


def _per_entity(route: str) -> Urls:
    return lambda cb: [
        reverse(route, args=[Entity.objects.get(ftm_id=ref).pk]) for ref in sorted(ENTITY_SIDE)
    ]


def _per_hit(route: str) -> Urls:
    return lambda cb: [reverse(route, args=[cb.hit(kind).pk]) for kind in HIT_KINDS]


def _per_request(route: str) -> Urls:
    return lambda cb: [reverse(route, args=[cb.requests[name].pk]) for name in REQUESTS]


def _per_job(route: str) -> Urls:
    return lambda cb: [reverse(route, args=[pk]) for pk in MatchingJob.objects.values_list("pk", flat=True)]


def _searched(route: str) -> Urls:
    """A search for each value by its longest word: the page repeats the word asked, never the
    whole value, so the whole value on the page is a leak."""
    words = sorted({max(re.findall(r"\w+", secret), key=len) for secret in SECRETS})
    return lambda cb: [f"{reverse(route)}?{urlencode({'q': word})}" for word in words]


def _notification_pages(cb: CrossBorder) -> list[str]:
    return [f"{reverse('notifications:list')}?page={n}" for n in (1, 2)]


PAGES: dict[str, Urls] = {
    "dashboard": _one("core:dashboard"),
    "notifications": _notification_pages,
    "audit_trail": _one("audit:trail"),
    "api_audit": _one("api:audit-entry-list", "?limit=1000"),
    "collection_list": _one("intel:collection_list"),
    "collection_detail": _per_collection("intel:collection_detail"),
    "entity_list": _per_collection("intel:entity_list"),
    "collection_export": _per_collection("intel:collection_export", "?format=ftm"),
    "entity_detail": _per_entity("intel:entity_detail"),
    "entity_history": _per_entity("intel:entity_history"),
    "search": _searched("search:search"),
    "entity_search": _searched("intel:entity_search"),
    "api_collection_list": _one("api:collection-list", "?limit=1000"),
    "api_collection_detail": _per_collection("api:collection-detail"),
    "api_collection_export": _per_collection("api:collection-export", "?format=ftm"),
    "api_entity_list": _one("api:entity-list", "?limit=1000"),
    "api_entity_search": _searched("api:entity-list"),
    "api_entity_detail": _per_entity("api:entity-detail"),
    "api_entity_versions": _per_entity("api:entity-versions"),
    "hit_list": _one("matching:hit_list"),
    "hit_detail": _per_hit("matching:hit_detail"),
    "request_list": _one("matching:request_list"),
    "request_detail": _per_request("matching:request_detail"),
    "upload_list": _one("matching:upload_list"),
    "job_detail": _per_job("matching:job_detail"),
    "api_hit_list": _one("api:hit-list", "?limit=1000"),
    "api_hit_detail": _per_hit("api:hit-detail"),
    "api_request_list": _one("api:disclosure-request-list", "?limit=1000"),
    "api_request_detail": _per_request("api:disclosure-request-detail"),
    "api_disclosure_list": _one("api:disclosure-list", "?limit=1000"),
    "api_upload_list": _one("api:selector-upload-list", "?limit=1000"),
    "api_job_list": _one("api:matching-job-list", "?limit=1000"),
    "api_job_detail": _per_job("api:matching-job-detail"),
}


def _answer(cb: CrossBorder, person: str, url: str) -> tuple[int, str]:
    if (person, url) not in _ANSWERS:
        response = cb.clients[person].get(url)
        assert response.status_code in {200, 403, 404}, f"{url}: HTTP {response.status_code}"
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        _ANSWERS[person, url] = (response.status_code, body.decode(errors="replace"))
    return _ANSWERS[person, url]


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("person", PEOPLE)
def test_no_answer_holds_the_other_sides_values(
    crossborder: CrossBorder, db: None, person: str, page: str
) -> None:
    urls = PAGES[page](crossborder)
    assert urls, page
    for url in urls:
        _, text = _answer(crossborder, person, url)
        lowered = text.lower()
        leaked = sorted(form for form in crossborder.forbidden(person) if form in lowered)
        assert not leaked, f"{person} got {leaked} at {url} ({page})"


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_answers_someone(crossborder: CrossBorder, db: None, page: str) -> None:
    """Else (c) would pass on error pages alone."""
    for url in PAGES[page](crossborder):
        answered = [person for person in PEOPLE if _answer(crossborder, person, url)[0] == 200]
        assert answered, f"{url} ({page}) answers nobody"


@pytest.mark.parametrize("secret", SECRETS)
def test_each_side_gets_its_own_values(crossborder: CrossBorder, db: None, secret: str) -> None:
    """The same pages show a value to its own side, in one of its forms: (c) looks for it where
    it would show."""
    side = SECRET_SIDE[secret]
    forms = crossborder.forms[secret]
    officers = [person for person, their in SIDE.items() if their == side]
    for person in officers:
        shown = [
            url
            for urls in PAGES.values()
            for url in urls(crossborder)
            if any(form in _answer(crossborder, person, url)[1].lower() for form in forms)
        ]
        assert shown, f"{person} of {side} never gets {secret!r} (as any of {sorted(forms)})"
