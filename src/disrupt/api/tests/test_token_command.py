"""`disrupt token EMAIL` prints a token that signs in to the API."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from disrupt.conftest import Cast


def run(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue().strip()


def test_it_prints_a_new_token_and_then_the_same_one(cast: Cast) -> None:
    first = run("sec@rso.test")
    assert first == Token.objects.get(user=cast.secretariat).key
    assert run("SEC@rso.test") == first


def test_the_printed_token_signs_in_to_the_api(cast: Cast, client) -> None:
    key = run("focal@inp.test")
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["email"] == "focal@inp.test"


def test_reset_replaces_the_token_and_the_old_one_stops_working(cast: Cast, client) -> None:
    old = run("sec@rso.test")
    new = run("sec@rso.test", "--reset")
    assert new != old
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {old}").status_code == 401
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {new}").status_code == 200


def test_it_refuses_an_unknown_email(cast: Cast) -> None:
    with pytest.raises(CommandError, match="nobody@nowhere.test"):
        run("nobody@nowhere.test")
    assert not Token.objects.exists()


def test_it_refuses_a_deactivated_account(cast: Cast) -> None:
    cast.observer.is_active = False
    cast.observer.save()
    with pytest.raises(CommandError, match="deactivated"):
        run("obs@iom.test")
