"""Writes of the directory that touch several records or leave the machine (e-mail)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from disrupt.directory.forms import StandingForm, UserForm
from disrupt.directory.models import Country, CountryStanding, User


def set_password_link(user: User) -> str:
    """An absolute link to choose a password, valid for PASSWORD_RESET_TIMEOUT seconds."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("password_reset_confirm", args=[uid, token])


def send_set_password_email(user: User) -> None:
    """The invitation to a new account: a link and how long it works, nothing else."""
    context = {
        "user": user,
        "link": set_password_link(user),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string("registration/set_password_subject.txt", context).strip()
    body = render_to_string("registration/set_password_email.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def do_create_user(form: UserForm) -> User:
    """Creates the account with an unknown password and e-mails the person a link to choose one."""
    user = form.save(commit=False)
    # A random password rather than an unusable one, so "Forgot your password?" works for
    # them too once the invitation link has expired.
    user.set_password(secrets.token_urlsafe(32))
    user.save()
    form.save_m2m()
    transaction.on_commit(lambda: send_set_password_email(user))
    return user


@transaction.atomic
def do_update_user(form: UserForm) -> User:
    user = form.save()
    if not user.is_active:
        # A deactivated account loses its calendar feed too: the token is a credential.
        user.reset_feed_token()
    return user


@transaction.atomic
def do_add_standing(country: Country, form: StandingForm) -> CountryStanding:
    """Records a new standing; an open standing that began earlier ends the day before."""
    standing = form.save(commit=False)
    standing.country = country
    standing.full_clean()
    if standing.since:
        open_before = country.standings.filter(until__isnull=True, since__lt=standing.since)
        for previous in open_before.select_for_update():
            previous.until = standing.since - dt.timedelta(days=1)
            previous.save(update_fields=["until"])
    standing.save()
    return standing
