"""The shared test cast: people of several countries and organisations across every role.

Reference data (ISO countries, roles, crime types…) is loaded once per test database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings

from disrupt.access.choices import HandlingCode
from disrupt.directory.choices import AgencyKind, RoleCode
from disrupt.directory.models import Agency, Country, Role, User
from disrupt.programme.choices import PeriodStatus, PlanStatus
from disrupt.programme.models import PeriodOfAction, Plan

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Hashing every cast member's password with PBKDF2 would cost seconds per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _two_factor_enrolment_deferred(settings: Any) -> None:
    """Every role that reads TLP:AMBER requires a second factor (data/reference.yaml); the cast
    signs in with `force_login`, so enrolment is deferred here as for a trial installation.
    Tests of the requirement turn it back on (directory/tests/test_two_factor*.py)."""
    settings.TWO_FACTOR_ENFORCED = False


@pytest.fixture(autouse=True)
def _rate_limits_start_afresh() -> None:
    """Rate-limit counters live in the process's cache; one test's sign-ins must not count
    against the next test's (core/ratelimits.py)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Reference data, and planner statistics for every table (analyze_tables): a test's rows are
    never committed, so autovacuum never analyzes them, and PostgreSQL plans the access policy's
    nested queries for tables it has never analyzed so badly that one page can take seconds."""
    from disrupt.core.reference import load_countries, load_reference

    with django_db_blocker.unblock():
        load_countries()
        load_reference()
        analyze_tables()


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """For transactional tests (browser, worker), which flush the database after each test."""
    from disrupt.core.reference import load_countries, load_reference

    if not Country.objects.exists():
        load_countries()
    load_reference()
    analyze_tables()  # the previous transactional test's flush emptied the tables, and their statistics


def make_agency(
    name: str, country_code: str | None, kind: str = AgencyKind.POLICE, short: str = ""
) -> Agency:
    country = Country.objects.get(code=country_code) if country_code else None
    agency, _ = Agency.objects.get_or_create(
        name=name, country=country, defaults={"kind": kind, "short_name": short}
    )
    return agency


def make_user(email: str, name: str, agency: Agency, *roles: str) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=name, agency=agency)
    user.roles.set(Role.objects.filter(code__in=roles))
    return user


@dataclass
class Cast:
    secretariat: User
    co_chair: User  # New Zealand, co-chairing `period`
    co_chair_other: User  # Fiji, co-chair role but not of `period`
    focal_id: User  # Indonesia's focal point
    investigator_id: User  # Indonesian police investigator
    focal_au: User
    analyst_au: User  # Australian Federal Police analyst, partner in `plan`
    investigator_au_abf: User  # Australian Border Force: same country, another agency
    investigator_th: User  # Thailand: outside `plan`
    observer: User  # IOM
    period: PeriodOfAction
    plan: Plan  # Indonesia leads, Australia partners, GREEN, nominated in `period`
    plan_amber: Plan  # same countries, AMBER, approved

    @property
    def everyone(self) -> dict[str, User]:
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


def build_cast() -> Cast:
    rso = Agency.objects.get(short_name="RSO")
    iom = Agency.objects.get(short_name="IOM")
    inp = make_agency("Indonesian National Police", "ID", short="INP")
    afp = make_agency("Australian Federal Police", "AU", short="AFP")
    abf = make_agency("Australian Border Force", "AU", kind=AgencyKind.BORDER, short="ABF")
    inz = make_agency("Immigration New Zealand", "NZ", kind=AgencyKind.IMMIGRATION, short="INZ")
    fiji = make_agency("Fiji Police Force", "FJ", short="FPF")
    rtp = make_agency("Royal Thai Police", "TH", short="RTP")

    cast = dict(
        secretariat=make_user("sec@rso.test", "Sam Secretariat", rso, RoleCode.SECRETARIAT),
        co_chair=make_user("cochair@inz.test", "Casey Cochair", inz, RoleCode.CO_CHAIR),
        co_chair_other=make_user("cochair@fpf.test", "Fran Fijicochair", fiji, RoleCode.CO_CHAIR),
        focal_id=make_user("focal@inp.test", "Indah Focal", inp, RoleCode.FOCAL_POINT),
        investigator_id=make_user("inv@inp.test", "Iwan Investigator", inp, RoleCode.INVESTIGATOR),
        focal_au=make_user("focal@afp.test", "Alex Focal", afp, RoleCode.FOCAL_POINT),
        analyst_au=make_user("analyst@afp.test", "Ari Analyst", afp, RoleCode.ANALYST),
        investigator_au_abf=make_user("inv@abf.test", "Bo Border", abf, RoleCode.INVESTIGATOR),
        investigator_th=make_user("inv@rtp.test", "Tida Outsider", rtp, RoleCode.INVESTIGATOR),
        observer=make_user("obs@iom.test", "Olu Observer", iom, RoleCode.OBSERVER),
    )
    countries = {c.code: c for c in Country.objects.filter(code__in=["ID", "AU", "NZ", "TH", "MY", "FJ"])}
    period = PeriodOfAction.objects.create(
        number=7, starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2027, 2, 28), status=PeriodStatus.ACTIVE
    )
    period.co_chairs.set([countries["NZ"], countries["MY"]])
    period.participants.set([countries[c] for c in ("ID", "AU", "NZ", "TH")])
    plan = Plan.objects.create(
        reference="JPA7-01",
        title="Maritime venture departing Kupang",
        lead_country=countries["ID"],
        status=PlanStatus.NOMINATED,
        handling_code=HandlingCode.GREEN,
        by_sea=True,
    )
    plan.partner_countries.set([countries["AU"]])
    plan.periods.set([period])
    plan_amber = Plan.objects.create(
        reference="JPA7-02",
        title="Recruitment agency network",
        lead_country=countries["ID"],
        status=PlanStatus.APPROVED,
        handling_code=HandlingCode.AMBER,
        by_air=True,
    )
    plan_amber.partner_countries.set([countries["AU"]])
    plan_amber.periods.set([period])
    return Cast(period=period, plan=plan, plan_amber=plan_amber, **cast)


def refetched(cast: Cast) -> Cast:
    """The same people, period and plans read afresh from the database: a test that changes one
    of these Python objects (a field, a cached property) cannot pass the change to the next test."""
    users = User.objects.in_bulk([user.pk for user in cast.everyone.values()])
    plans = Plan.objects.in_bulk([cast.plan.pk, cast.plan_amber.pk])
    return Cast(
        period=PeriodOfAction.objects.get(pk=cast.period.pk),
        plan=plans[cast.plan.pk],
        plan_amber=plans[cast.plan_amber.pk],
        **{name: users[user.pk] for name, user in cast.everyone.items()},
    )


@pytest.fixture
def cast(db: Any) -> Cast:
    return build_cast()


def analyze_tables() -> None:
    """Planner statistics for every table of the test database (PostgreSQL; without them the
    access policy's nested queries are planned badly enough that a page takes seconds, and with
    the records a module shares in them a search takes a tenth of the time). The tables are named:
    a bare ANALYZE also takes the cluster's shared catalogues, and inside a module's transaction it
    would hold them until the module ends, so another worker's ANALYZE would wait for all of it."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(name) for name in connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


@contextmanager
def shared_records(django_db_blocker: Any, **overrides: Any) -> Iterator[None]:
    """For a module-scoped fixture: what is written inside is written once for the module's tests,
    in a transaction rolled back when the module ends. Each test still runs in a savepoint of its
    own (`db`), rolled back after it, so a test that writes (a judgement, a disclosure, an edit)
    leaves the shared records as they were for the next. Settings that the per-test fixtures set
    (fast password hashing) are set here too, with `overrides`, for the records' creation."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], **overrides),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


# --- Browser tests ---------------------------------------------------------------------------------
# Playwright for Python drives Debian's Chromium (never a downloaded browser). The sync API runs
# an event loop in the test thread, so Django's async-safety guard is lifted for these tests only.

BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives Chromium carries the `browser` mark, so `-m "not browser"` skips them all."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Any:
    import os
    import shutil

    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield chromium
        chromium.close()


@dataclass
class BrowserSession:
    """A browser tab on the live server that records every console error and failed request."""

    page: Any
    base_url: str
    problems: list[str]

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, f"{path}: HTTP {response and response.status}"
        return response

    def sign_in(self, user: User, password: str = PASSWORD) -> None:
        self.page.goto(self.base_url + "/login/")
        self.page.get_by_label("E-mail address").fill(user.email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        assert "/login/" not in self.page.url, f"sign-in failed for {user.email}"

    def sign_out(self) -> None:
        self.page.context.clear_cookies()

    def screenshot(self, name: str) -> None:
        """Saves var/screenshots/<name>.png for a person to look at; asserts nothing."""
        from pathlib import Path

        folder = Path("var/screenshots")
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _open_session(browser: Any, live_server: Any, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "response",
        lambda r: (
            problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 and "/static/" in r.url else None
        ),
    )
    return context, BrowserSession(page=page, base_url=live_server.url, problems=problems)


@pytest.fixture
def desktop(browser: Any, live_server: Any, reference_data: None) -> Any:
    context, session = _open_session(browser, live_server, DESKTOP)
    yield session
    context.close()
    assert session.problems == [], session.problems


@pytest.fixture
def phone(browser: Any, live_server: Any, reference_data: None) -> Any:
    context, session = _open_session(browser, live_server, PHONE)
    yield session
    context.close()
    assert session.problems == [], session.problems
