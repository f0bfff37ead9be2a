"""`disrupt loaddemo`: idempotent demo accounts that sign in through the real form."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from disrupt.directory.choices import RoleCode
from disrupt.directory.management.commands.loaddemo import DEFAULT_PASSWORD
from disrupt.directory.models import Agency, User


def load() -> str:
    out = StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def test_it_is_idempotent(db: Any) -> None:
    load()
    counts = (User.objects.count(), Agency.objects.count())
    load()
    assert (User.objects.count(), Agency.objects.count()) == counts


def test_it_covers_every_role_across_countries_and_organisations(db: Any) -> None:
    output = load()
    demo = User.objects.filter(is_demo=True)
    assert set(demo.values_list("roles__code", flat=True)) == set(RoleCode.values)
    assert {"ID", "AU", "NZ", "TH", "MY", "LK"} <= set(
        Agency.objects.exclude(country=None).values_list("country__code", flat=True)
    )
    assert demo.filter(roles__code=RoleCode.FOCAL_POINT).values("agency__country").distinct().count() >= 2
    assert demo.get(email="observer@demo.disrupt.test").agency.short_name == "IOM"
    assert "secretariat@demo.disrupt.test" in output and DEFAULT_PASSWORD in output


def test_the_password_comes_from_the_environment(db: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("DISRUPT_DEMO_PASSWORD", "another demo secret")
    assert "another demo secret" in load()
    assert User.objects.get(email="analyst@demo.disrupt.test").check_password("another demo secret")


def test_the_co_chair_comes_from_a_co_chairing_country_of_the_latest_period(db: Any) -> None:
    from disrupt.directory.models import Country
    from disrupt.programme.models import PeriodOfAction

    period = PeriodOfAction.objects.create(number=42)
    period.co_chairs.set(Country.objects.filter(code__in=["LK", "VN"]))
    load()
    cochair = User.objects.get(email="cochair@demo.disrupt.test")
    assert cochair.country is not None and cochair.country.code == "LK"


def test_it_refuses_to_run_in_production(db: Any, settings: Any) -> None:
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        load()
    assert not User.objects.filter(is_demo=True).exists()


def test_every_demo_account_signs_in_through_the_form_and_reaches_the_dashboard(db: Any) -> None:
    load()
    for user in User.objects.filter(is_demo=True):
        client = Client()
        response = client.post("/login/", {"username": user.email, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/", user.email
        assert client.get("/").status_code == 200, user.email
