"""Every kind of operational record × handling code × relationship × path, from one table.

The table (operational_matrix.READERS) is the one docs/access-policy.md shows; the paths
(operational_paths.PATHS) are every way a record reaches a person. The scenario is built once
for the module inside a transaction that is rolled back at the end; each test's own writes
(audit entries, notifications) are rolled back after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings

from disrupt.access.choices import HandlingCode
from disrupt.access.tests.operational_matrix import READERS, RELATIONSHIPS, docs_table, reads
from disrupt.access.tests.operational_paths import (
    INTEL_WRITES,
    MATCHING_WRITES,
    PATH_NAMES,
    PATHS,
    WRITES,
    NoSuchPath,
    Path,
    forget_pages,
    tell_everyone,
)
from disrupt.access.tests.operational_scenario import (
    CODE_WORDS,
    OperationalScenario,
    build_operational_scenario,
    token,
)
from disrupt.conftest import analyze_tables

# The role each relationship's person holds in the scenario (shown in the test ids).
ROLES = {
    "author": "investigator",
    "owner": "focal_point",
    "shared-agency": "analyst",
    "same-country": "investigator",
    "shared-country": "investigator",
    "plan-country": "investigator",
    "named-person": "investigator",
    "other-country": "investigator",
    "observer": "observer",
    "secretariat": "secretariat",
    "co-chair": "co_chair",
}


@pytest.fixture(scope="module")
def world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[OperationalScenario]:
    files = tmp_path_factory.mktemp("matrix-files")
    with (
        django_db_blocker.unblock(),
        override_settings(
            DATA_DIR=files,
            CLAMD_SOCKET="",
            CLAMD_HOST="",
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        forget_pages()
        _CLIENTS.clear()
        scenario = build_operational_scenario()
        tell_everyone(list(scenario.people.values()), list(scenario.records.values()))
        for relationship in scenario.people:
            # Signed in here, outside the tests' own transactions, so the sessions outlive them.
            signed_in(scenario, relationship)
        analyze_tables()
        yield scenario
        forget_pages()
        _CLIENTS.clear()
        transaction.set_rollback(True)


def cases() -> list[Any]:
    found = []
    for kind, paths in PATHS.items():
        for path_name, path in paths.items():
            if isinstance(path, NoSuchPath):
                continue
            for code in CODE_WORDS:
                for relationship in RELATIONSHIPS:
                    case_id = f"{kind}-{CODE_WORDS[code]}-{relationship}({ROLES[relationship]})-{path_name}"
                    found.append(pytest.param(kind, code, relationship, path_name, id=case_id))
    return found


_CLIENTS: dict[str, Client] = {}


def signed_in(world: OperationalScenario, relationship: str) -> Client:
    """One signed-in client per person for the whole module: signing in once, not 1,300 times."""
    if relationship not in _CLIENTS:
        _CLIENTS[relationship] = Client()
        _CLIENTS[relationship].force_login(world.people[relationship])
    return _CLIENTS[relationship]


@pytest.mark.parametrize(("kind", "code", "relationship", "path_name"), cases())
def test_each_path_gives_exactly_what_the_table_says(
    world: OperationalScenario, db: None, kind: str, code: str, relationship: str, path_name: str
) -> None:
    # `db` also tells pytest-django to create the test database when only these cases are chosen.
    path = PATHS[kind][path_name]
    assert isinstance(path, Path)
    if path.missing:
        pytest.skip(f"MISSING PATH {kind}.{path_name}: no route {', '.join(path.missing)} (meta-test fails)")
    user = world.people[relationship]
    got = path.check(signed_in(world, relationship), user, world.record(kind, code))
    assert got is reads(code, relationship), (
        f"{relationship} ({user.email}) {'got' if got else 'did not get'} the {CODE_WORDS[code]} "
        f"{kind} through {path_name}"
    )


# --- Meta-tests: the table, the docs, the kinds, the paths and the routes --------------------------------


def test_the_docs_show_the_same_table() -> None:
    assert docs_table() == READERS


def test_every_code_has_a_row_and_the_table_narrows_as_the_code_rises() -> None:
    assert set(READERS) == set(HandlingCode.values)
    assert READERS[HandlingCode.CLEAR] == READERS[HandlingCode.GREEN] == frozenset(RELATIONSHIPS)
    assert READERS[HandlingCode.AMBER_STRICT] < READERS[HandlingCode.AMBER] < READERS[HandlingCode.GREEN]


def test_every_kind_of_operational_record_has_a_row_of_paths() -> None:
    from django.apps import apps

    from disrupt.access.models import OperationalRecord

    kinds = {
        model._meta.model_name
        for model in apps.get_models()
        if issubclass(model, OperationalRecord) or getattr(model, "access_parent", None)
    }
    assert kinds == set(PATHS), "a kind of operational record without paths in operational_paths.PATHS"


def test_every_kind_has_every_path_and_every_path_exists() -> None:
    missing = []
    for kind, paths in PATHS.items():
        assert tuple(paths) == PATH_NAMES or set(paths) == set(PATH_NAMES), f"{kind}: {sorted(paths)}"
        for name, path in paths.items():
            if isinstance(path, Path) and path.missing:
                missing.append(f"{kind}.{name} (no route {', '.join(path.missing)})")
    assert not missing, "paths not built yet: " + "; ".join(missing)


def _exchange_routes() -> set[str]:
    from disrupt.api.urls import router
    from disrupt.exchange.urls import urlpatterns

    names = {f"exchange:{pattern.name}" for pattern in urlpatterns if getattr(pattern, "name", None)}
    for url in router.urls:
        callback = getattr(url, "callback", None)
        module = getattr(getattr(callback, "cls", None), "__module__", "")
        if module.startswith("disrupt.exchange") and getattr(url, "name", None):
            names.add(f"api:{url.name}")
    return names


def test_every_route_of_the_exchange_is_a_path_or_a_listed_write() -> None:
    covered = {
        route for paths in PATHS.values() for p in paths.values() if isinstance(p, Path) for route in p.routes
    }
    routes = _exchange_routes()
    assert routes - covered - set(WRITES) == set(), "routes that read records but no path checks"
    assert set(WRITES) - routes == set(), "listed writes that no longer exist"


def _intel_routes() -> set[str]:
    from disrupt.api.urls import router
    from disrupt.intel.urls import urlpatterns

    names = {f"intel:{pattern.name}" for pattern in urlpatterns if getattr(pattern, "name", None)}
    for url in router.urls:
        callback = getattr(url, "callback", None)
        module = getattr(getattr(callback, "cls", None), "__module__", "")
        if module.startswith("disrupt.intel") and getattr(url, "name", None):
            names.add(f"api:{url.name}")
    return names


def test_every_route_of_intel_is_a_path_or_a_listed_write() -> None:
    covered = {
        route for paths in PATHS.values() for p in paths.values() if isinstance(p, Path) for route in p.routes
    }
    routes = _intel_routes()
    assert routes - covered - set(INTEL_WRITES) == set(), "intel routes that read records but no path checks"
    assert set(INTEL_WRITES) - routes == set(), "listed intel routes that no longer exist"


def _matching_routes() -> set[str]:
    from disrupt.api.urls import router
    from disrupt.matching.urls import urlpatterns

    names = {f"matching:{pattern.name}" for pattern in urlpatterns if getattr(pattern, "name", None)}
    for url in router.urls:
        callback = getattr(url, "callback", None)
        module = getattr(getattr(callback, "cls", None), "__module__", "")
        if module.startswith("disrupt.matching") and getattr(url, "name", None):
            names.add(f"api:{url.name}")
    return names


def test_every_route_of_matching_is_a_path_or_a_listed_write() -> None:
    covered = {
        route for paths in PATHS.values() for p in paths.values() if isinstance(p, Path) for route in p.routes
    }
    routes = _matching_routes()
    assert routes, "no route of cross-border matching found: the check would pass on nothing"
    unlisted = routes - covered - set(MATCHING_WRITES)
    assert unlisted == set(), "matching routes that read records but no path checks"
    assert set(MATCHING_WRITES) - routes == set(), "listed matching routes that no longer exist"
    assert set(MATCHING_WRITES) & covered == set(), "a listed matching route is also a read path"


def test_the_people_hold_the_roles_the_ids_say(world: OperationalScenario, db: None) -> None:
    assert {name: sorted(person.role_codes) for name, person in world.people.items()} == {
        name: [role] for name, role in ROLES.items()
    }


def test_write_routes_show_nothing_on_a_get(world: OperationalScenario, db: None, client: Client) -> None:
    from django.urls import reverse

    client.force_login(world.people["author"])
    enquiry = world.record("enquiry", HandlingCode.AMBER)
    for route in WRITES:
        if "sharing-request" in route and not route.endswith("decide"):
            continue
        args = [] if route == "exchange:enquiry_create" else [enquiry.pk]
        if route == "exchange:sharing_request_decide" or route == "api:sharing-request-decide":
            args = [1]
        response = client.get(reverse(route, args=args))
        body = response.content.decode()
        assert response.status_code in {200, 404, 405}, (route, response.status_code)
        assert all(token(kind, code) not in body for kind in PATHS for code in CODE_WORDS), route
