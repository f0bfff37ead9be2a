"""notify(): rows for each recipient, one e-mail each through the worker, no content above GREEN."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from disrupt.access.choices import HandlingCode
from disrupt.conftest import Cast
from disrupt.notifications.actions import notify
from disrupt.notifications.models import Notification, NotificationPreference
from disrupt.notifications.tasks import compose_email
from disrupt.notifications.tests.helpers import run_queued_jobs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", [HandlingCode.AMBER, HandlingCode.AMBER_STRICT, HandlingCode.RED])
def test_it_sends_no_content_above_green(cast: Cast, code: str) -> None:
    plan = cast.plan_amber
    plan.summary = "Boat leaves Kupang on the ninth"
    plan.save()
    made = notify(
        [cast.investigator_id, cast.analyst_au],
        verb="shared a plan with you",
        record=plan,
        url=plan.get_absolute_url(),
        handling_code=code,
    )
    assert len(made) == 2
    run_queued_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.investigator_id.email, cast.analyst_au.email])
    for message in mail.outbox:
        text = message.subject + message.body
        assert plan.title not in text
        assert plan.reference not in text
        assert plan.summary not in text
        assert "has arrived for you on Disrupt" in message.subject
        assert any(f"/notifications/{note.pk}/" in message.body for note in made)


def test_it_names_a_green_record(cast: Cast) -> None:
    notify(
        [cast.investigator_th],
        verb="nominated a plan",
        record=cast.plan,
        url=cast.plan.get_absolute_url(),
        handling_code=HandlingCode.GREEN,
    )
    run_queued_jobs()
    assert len(mail.outbox) == 1
    assert cast.plan.title in mail.outbox[0].subject


def test_it_sends_each_email_once_even_when_the_job_runs_again(cast: Cast) -> None:
    from disrupt.notifications.tasks import send_notification_email

    (made,) = notify(
        [cast.analyst_au],
        verb="shared a plan with you",
        record=cast.plan_amber,
        url="/plans/x/",
        handling_code=HandlingCode.AMBER,
    )
    run_queued_jobs()
    send_notification_email.call(made.pk)
    assert len(mail.outbox) == 1


def test_it_sends_no_email_when_the_person_turned_them_off(cast: Cast) -> None:
    NotificationPreference.objects.create(user=cast.analyst_au, email_enabled=False)
    notify(
        [cast.analyst_au],
        verb="shared a plan with you",
        record=cast.plan_amber,
        url="/plans/x/",
        handling_code=HandlingCode.AMBER,
    )
    run_queued_jobs()
    assert mail.outbox == []
    assert Notification.objects.get(recipient=cast.analyst_au).emailed_at is not None


def test_it_sends_no_email_about_a_record_the_recipient_no_longer_sees(cast: Cast) -> None:
    # Thailand is not in the AMBER plan: the notification exists but is invisible to them.
    notify(
        [cast.investigator_th],
        verb="shared a plan with you",
        record=cast.plan_amber,
        url="/plans/x/",
        handling_code=HandlingCode.AMBER,
    )
    run_queued_jobs()
    assert mail.outbox == []


def test_compose_email_for_green_and_amber_differ(cast: Cast, settings: Any) -> None:
    settings.SITE_URL = "https://disrupt.example"
    (made,) = notify(
        [cast.analyst_au], verb="x", record=cast.plan_amber, url="/p/", handling_code=HandlingCode.AMBER
    )
    subject, body = compose_email(made)
    assert f"https://disrupt.example/notifications/{made.pk}/" in body
    assert cast.plan_amber.title not in subject + body
