"""Sign-in attempts are limited per address (on top of axes' per-account lock-out)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from disrupt.conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db


def test_it_answers_429_beyond_the_login_rate_from_one_address(cast: Cast, settings: Any) -> None:
    # A day-long window: windows are fixed, and crossing a boundary would reset the count.
    settings.LOGIN_RATE = "3/d"
    client = Client(REMOTE_ADDR="203.0.113.7")
    # Different accounts, so axes' per-account lock-out is not what stops them.
    for person in (cast.observer, cast.analyst_au, cast.focal_id):
        response = client.post(reverse("login"), {"username": person.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": cast.investigator_th.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "signing in" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The page itself is not limited, and another address may still sign in.
    assert client.get(reverse("login")).status_code == 200
    other = Client(REMOTE_ADDR="198.51.100.2")
    response = other.post(reverse("login"), {"username": cast.investigator_th.email, "password": PASSWORD})
    assert response.status_code == 302
