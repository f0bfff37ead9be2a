"""Accounts: who sees, opens and edits which; the set-password e-mail; deactivation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from disrupt.access.tests.matrix import EVERYONE
from disrupt.conftest import Cast
from disrupt.directory.models import Agency, Role, User

# The Indonesian investigator's account, as each cast member reaches it.
DETAIL = {"secretariat": 200, "focal_id": 200, "investigator_id": 200}
EDIT = {"secretariat": 200, "focal_id": 200, "investigator_id": 403}
CREATE = {"secretariat": 200, "focal_id": 200, "focal_au": 200}


def roles(*codes: str) -> list[int]:
    return list(Role.objects.filter(code__in=codes).values_list("pk", flat=True))


def account(agency: Agency, *role_codes: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "email": "New.Person@inp.test",
        "full_name": "Nadia Newcomer",
        "job_title": "Case officer",
        "agency": agency.pk,
        "roles": roles(*role_codes),
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("member", sorted(EVERYONE))
def test_who_reaches_which_account_page(client: Client, cast: Cast, member: str) -> None:
    client.force_login(getattr(cast, member))
    target = cast.investigator_id.pk
    assert client.get("/users/").status_code == 200
    assert client.get(f"/users/{target}/").status_code == DETAIL.get(member, 404)
    assert client.get(f"/users/{target}/edit/").status_code == EDIT.get(member, 404)
    assert client.get("/users/new/").status_code == CREATE.get(member, 403)


def test_everyone_sees_their_own_account(client: Client, cast: Cast) -> None:
    for user in cast.everyone.values():
        client.force_login(user)
        assert client.get(f"/users/{user.pk}/").status_code == 200


def test_the_list_shows_only_visible_accounts(client: Client, cast: Cast) -> None:
    client.force_login(cast.focal_id)
    page = client.get("/users/").content.decode()
    assert cast.investigator_id.full_name in page
    assert cast.analyst_au.full_name not in page
    client.force_login(cast.secretariat)
    page = client.get("/users/").content.decode()
    assert cast.analyst_au.full_name in page and cast.observer.full_name in page


def test_a_focal_point_opens_an_account_for_their_country_and_it_is_e_mailed_a_link(
    client: Client, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(cast.focal_id)
    inp = Agency.objects.get(short_name="INP")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/users/new/", account(inp, "analyst"))
    person = User.objects.get(email="new.person@inp.test")
    assert response.status_code == 302 and response["Location"] == f"/users/{person.pk}/"
    assert person.agency == inp and person.role_codes == {"analyst"}
    assert person.has_usable_password()  # random and unknown, so a later reset works too
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["new.person@inp.test"]
    assert "/password/reset/" in body and "2 hours" in body
    assert "Indonesian National Police" not in body and "analyst" not in body.lower()


def test_the_set_password_link_works(
    client: Client, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(cast.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/users/new/", account(Agency.objects.get(short_name="INP"), "investigator"))
    client.logout()
    path = mail.outbox[0].body.split("http://127.0.0.1:8000", 1)[1].split()[0]
    form = client.get(path, follow=True)
    assert "Choose your password" in form.content.decode()
    chosen = "my very own passphrase"
    client.post(form.redirect_chain[-1][0], {"new_password1": chosen, "new_password2": chosen})
    response = client.post("/login/", {"username": "new.person@inp.test", "password": chosen})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_focal_point_cannot_open_an_account_in_another_country(client: Client, cast: Cast) -> None:
    client.force_login(cast.focal_id)
    afp = Agency.objects.get(short_name="AFP")
    response = client.post("/users/new/", account(afp, "analyst"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(email="new.person@inp.test").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["focal_point", "secretariat", "co_chair", "observer"])
def test_a_focal_point_cannot_give_roles_beyond_investigator_and_analyst(
    client: Client, cast: Cast, role: str
) -> None:
    client.force_login(cast.focal_id)
    response = client.post("/users/new/", account(Agency.objects.get(short_name="INP"), role))
    assert response.status_code == 200 and "field__error" in response.content.decode()
    assert not User.objects.filter(email="new.person@inp.test").exists()


def test_a_focal_point_cannot_promote_their_investigator(client: Client, cast: Cast) -> None:
    client.force_login(cast.focal_id)
    target = cast.investigator_id
    data = account(
        target.agency, "focal_point", email=target.email, full_name=target.full_name, is_active="on"
    )
    response = client.post(f"/users/{target.pk}/edit/", data)
    assert response.status_code == 200
    assert target.role_codes == {"investigator"}
    assert User.objects.get(pk=target.pk).roles.filter(code="focal_point").exists() is False


def test_a_focal_point_cannot_edit_another_country_s_account(client: Client, cast: Cast) -> None:
    client.force_login(cast.focal_id)
    target = cast.analyst_au
    response = client.post(
        f"/users/{target.pk}/edit/",
        account(target.agency, "analyst", email=target.email, full_name="Changed"),
    )
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.full_name == "Ari Analyst"


def test_a_focal_point_edits_their_investigator(client: Client, cast: Cast) -> None:
    client.force_login(cast.focal_id)
    target = cast.investigator_id
    data = account(
        target.agency, "investigator", "analyst", email=target.email, full_name="Iwan Renamed", is_active="on"
    )
    response = client.post(f"/users/{target.pk}/edit/", data)
    assert response.status_code == 302
    person = User.objects.get(pk=target.pk)
    assert person.full_name == "Iwan Renamed" and person.role_codes == {"investigator", "analyst"}


def test_deactivating_keeps_the_account_and_ends_its_sign_in_and_feed(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    target = cast.investigator_th
    token = target.feed_token
    data = account(target.agency, "investigator", email=target.email, full_name=target.full_name)
    response = client.post(f"/users/{target.pk}/edit/", data)  # is_active left unticked
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active and target.feed_token != token
    assert User.objects.filter(pk=target.pk).exists()
    assert client.post("/logout/").status_code == 302
    assert client.post("/login/", {"username": target.email, "password": "x"}).status_code == 200
    client.force_login(cast.secretariat)
    assert target.full_name not in client.get("/users/").content.decode()
    assert target.full_name in client.get("/users/?inactive=1").content.decode()


def test_the_secretariat_cannot_deactivate_themself(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    me = cast.secretariat
    response = client.post(f"/users/{me.pk}/edit/", account(me.agency, "secretariat", email=me.email))
    assert (
        response.status_code == 200 and "You cannot deactivate your own account" in response.content.decode()
    )
    me.refresh_from_db()
    assert me.is_active


def test_the_secretariat_appoints_a_focal_point_anywhere(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    rtp = Agency.objects.get(short_name="RTP")
    response = client.post("/users/new/", account(rtp, "focal_point", email="focal@rtp.test"))
    assert response.status_code == 302
    assert User.objects.get(email="focal@rtp.test").role_codes == {"focal_point"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-address", "Enter a valid email address"),
        ("email", "INV@inp.test", "Another account already uses this e-mail address"),
        ("full_name", "", "This field is required"),
        ("roles", [], "This field is required"),
        ("agency", "", "This field is required"),
    ],
)
def test_bad_input_shows_the_field_error_and_saves_nothing(
    client: Client, cast: Cast, field: str, value: Any, message: str
) -> None:
    client.force_login(cast.secretariat)
    before = User.objects.count()
    data = account(Agency.objects.get(short_name="INP"), "investigator")
    data[field] = value
    response = client.post("/users/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == before
