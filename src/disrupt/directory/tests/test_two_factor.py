"""TOTP two-factor: enrolment forced by a role, verification after every sign-in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from disrupt.conftest import PASSWORD, Cast
from disrupt.directory.choices import RoleCode
from disrupt.directory.models import Role, User


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{value:0{device.digits}d}"


@pytest.fixture
def required(cast: Cast, settings: Any) -> User:
    """The Indonesian investigator, whose role now requires a second factor."""
    settings.TWO_FACTOR_ENFORCED = True
    Role.objects.filter(code=RoleCode.INVESTIGATOR).update(requires_two_factor=True)
    return cast.investigator_id


def enrol(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def test_a_role_that_requires_two_factor_sends_its_holder_to_set_up_first(
    client: Client, required: User
) -> None:
    client.force_login(required)
    response = client.get("/plans/")
    assert response.status_code == 302
    assert response["Location"] == "/two-factor/setup/?next=%2Fplans%2F"


def test_the_setup_page_shows_an_inline_qr_code_and_the_key(client: Client, required: User) -> None:
    client.force_login(required)
    page = client.get("/two-factor/setup/").content.decode()
    device = TOTPDevice.objects.get(user=required)
    assert not device.confirmed
    assert "<svg" in page and "<script" not in page.split("<main", 1)[1]
    assert ' style="' not in page
    from base64 import b32encode

    assert b32encode(device.bin_key).decode() in page
    # A second visit shows the same unconfirmed device, not a new one each time.
    client.get("/two-factor/setup/")
    assert TOTPDevice.objects.filter(user=required).count() == 1


def test_confirming_with_the_right_code_lets_them_reach_the_dashboard(client: Client, required: User) -> None:
    client.force_login(required)
    client.get("/two-factor/setup/")
    device = TOTPDevice.objects.get(user=required)
    response = client.post("/two-factor/setup/", {"token": code_for(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_a_wrong_code_is_refused_at_setup(client: Client, required: User) -> None:
    client.force_login(required)
    client.get("/two-factor/setup/")
    device = TOTPDevice.objects.get(user=required)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post("/two-factor/setup/", {"token": wrong})
    assert response.status_code == 200 and "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/").status_code == 302


def test_letters_are_refused_as_a_field_error(client: Client, required: User) -> None:
    client.force_login(required)
    response = client.post("/two-factor/setup/", {"token": "abcdef"})
    assert response.status_code == 200 and "digits only" in response.content.decode()


def test_after_signing_in_an_enrolled_user_must_give_a_code(client: Client, cast: Cast) -> None:
    device = enrol(cast.focal_au)
    response = client.post("/login/", {"username": cast.focal_au.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert client.get("/")["Location"].startswith("/two-factor/verify/")
    verified = client.post("/two-factor/verify/?next=/", {"token": code_for(device)})
    assert verified.status_code == 302 and verified["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_code_is_refused_at_verification(client: Client, cast: Cast) -> None:
    device = enrol(cast.focal_au)
    client.force_login(cast.focal_au)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post("/two-factor/verify/", {"token": wrong})
    assert response.status_code == 200 and "not right" in response.content.decode()
    assert client.get("/").status_code == 302


def test_knowing_the_password_is_not_enough_to_enrol_a_new_phone(client: Client, cast: Cast) -> None:
    enrol(cast.focal_au)
    client.force_login(cast.focal_au)
    response = client.get("/two-factor/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/two-factor/verify/")
    assert TOTPDevice.objects.filter(user=cast.focal_au).count() == 1


def test_the_switch_defers_enrolment_for_a_trial_installation(
    client: Client, required: User, settings: Any
) -> None:
    settings.TWO_FACTOR_ENFORCED = False
    client.force_login(required)
    assert client.get("/").status_code == 200


def test_people_whose_role_does_not_require_it_are_not_asked(client: Client, cast: Cast) -> None:
    client.force_login(cast.observer)
    assert client.get("/").status_code == 200
    assert client.get("/two-factor/verify/").status_code == 302  # nothing to verify: off to setup
