"""Signing in by e-mail, lock-out after repeated failures, password reset, idle expiry."""

from __future__ import annotations

import re
import time
from typing import Any

from django.conf import settings
from django.core import mail
from django.test import Client

from disrupt.conftest import PASSWORD, Cast


def sign_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post("/login/", {"username": email, "password": password})


def test_the_sign_in_page_asks_for_e_mail_and_password(client: Client, db: Any) -> None:
    page = client.get("/login/").content.decode()
    assert "E-mail address" in page and "Password" in page and ">Sign in</button>" in page


def test_it_signs_in_with_e_mail_and_password(client: Client, cast: Cast) -> None:
    response = sign_in(client, "FOCAL@inp.test")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_refuses_a_wrong_password_without_saying_which_part_is_wrong(client: Client, cast: Cast) -> None:
    response = sign_in(client, cast.focal_id.email, "not the password")
    assert response.status_code == 200
    assert "The e-mail address or the password is not right" in response.content.decode()
    assert client.get("/").status_code == 302


def test_it_locks_the_account_after_repeated_failures_with_a_clear_page(client: Client, cast: Cast) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, cast.focal_id.email, "wrong guess").status_code == 200
    locked = sign_in(client, cast.focal_id.email, "wrong guess")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in locked for a while" in page and "Try again in 30 minutes" in page
    # Even the right password is refused until the pause ends.
    assert sign_in(client, cast.focal_id.email).status_code == 429
    assert client.get("/").status_code == 302


def test_signing_out_ends_the_session(client: Client, cast: Cast) -> None:
    sign_in(client, cast.focal_id.email)
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_a_password_reset_e_mail_carries_only_the_link_and_its_expiry(client: Client, cast: Cast) -> None:
    response = client.post("/password/reset/", {"email": cast.investigator_id.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.investigator_id.email]
    assert "2 hours" in message.body
    for detail in (cast.investigator_id.full_name, "Indonesian National Police", "plan", "Kupang"):
        assert detail not in message.body
    link = re.search(r"https?://\S+", message.body)
    assert link is not None
    path = link.group(0).split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and "Choose your password" in form_page.content.decode()
    new = "a brand new passphrase"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert sign_in(client, cast.investigator_id.email, new).status_code == 302


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client: Client, db: Any) -> None:
    response = client.post("/password/reset/", {"email": "nobody@nowhere.test"})
    assert response.status_code == 302 and response["Location"] == "/password/reset/sent/"
    assert mail.outbox == []


def test_a_used_reset_link_says_it_no_longer_works(client: Client, db: Any) -> None:
    page = client.get("/password/reset/MQ/set-password/").content.decode()
    assert "This link no longer works" in page


def test_a_signed_in_user_changes_their_password(client: Client, cast: Cast) -> None:
    client.force_login(cast.analyst_au)
    assert client.get("/password/change/").status_code == 200
    new = "another long passphrase"
    response = client.post(
        "/password/change/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    cast.analyst_au.refresh_from_db()
    assert cast.analyst_au.check_password(new)


def test_a_password_change_with_the_wrong_old_password_changes_nothing(client: Client, cast: Cast) -> None:
    client.force_login(cast.analyst_au)
    new = "another long passphrase"
    response = client.post(
        "/password/change/", {"old_password": "nope", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200 and "field__error" in response.content.decode()
    cast.analyst_au.refresh_from_db()
    assert cast.analyst_au.check_password(PASSWORD)


def test_sessions_end_after_idleness_and_activity_keeps_them_alive(
    client: Client, cast: Cast, settings: Any
) -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    settings.SESSION_COOKIE_AGE = 2
    client.force_login(cast.focal_id)
    for _ in range(3):  # 3.3 seconds of activity, longer than the idle limit
        assert client.get("/").status_code == 200
        time.sleep(1.1)
    time.sleep(1.5)  # now idle for 2.6 seconds
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_configured_idle_limit_is_short() -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60


def test_a_locked_account_does_not_lock_out_colleagues_at_the_same_address(
    client: Client, cast: Cast
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, cast.focal_id.email, "wrong guess")
    assert sign_in(client, cast.focal_id.email).status_code == 429
    assert sign_in(client, cast.investigator_id.email).status_code == 302
