"""The signed-in person's own page: roles, agency, two-factor status, calendar feed."""

from __future__ import annotations

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from disrupt.conftest import Cast


def test_it_shows_roles_agency_and_the_feed_address(client: Client, cast: Cast) -> None:
    client.force_login(cast.analyst_au)
    page = client.get("/me/").content.decode()
    assert "Analyst" in page and "Australian Federal Police" in page
    assert f"/calendar/feed/{cast.analyst_au.feed_token}.ics" in page
    assert "/password/change/" in page and "Set up an authenticator app" in page


def test_it_shows_two_factor_on_once_enrolled(client: Client, cast: Cast) -> None:
    TOTPDevice.objects.create(user=cast.analyst_au, name="app", confirmed=True)
    client.force_login(cast.analyst_au)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=cast.analyst_au).persistent_id
    session.save()
    page = client.get("/me/").content.decode()
    assert "Move it to a new phone" in page


def test_resetting_the_feed_token_retires_the_old_address(client: Client, cast: Cast) -> None:
    client.force_login(cast.observer)
    old = cast.observer.feed_token
    response = client.post("/me/", {"action": "reset_feed"})
    assert response.status_code == 302
    cast.observer.refresh_from_db()
    assert cast.observer.feed_token != old
    assert cast.observer.feed_token in client.get("/me/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, db: object) -> None:
    assert client.get("/me/")["Location"].startswith("/login/")
