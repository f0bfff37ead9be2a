"""Report reminders: recorded and e-mailed once per milestone, country and kind; no content."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from disrupt.conftest import Cast, make_agency, make_user
from disrupt.directory.choices import RoleCode
from disrupt.programme.choices import PeriodStatus
from disrupt.reports.choices import ReminderKind, ReportKind, VersionStatus
from disrupt.reports.models import Reminder
from disrupt.reports.tasks import (
    compose_reminder,
    ensure_sweep_queued,
    record_due_reminders,
    send_report_reminders,
    send_unsent_reminders,
)
from disrupt.reports.tests.deadline_data import MIDTERM_DUE, add_report_milestones, add_version

pytestmark = pytest.mark.django_db

BEFORE = MIDTERM_DUE - dt.timedelta(days=3)
AFTER = MIDTERM_DUE + dt.timedelta(days=2)


def _sweep(today: dt.date) -> None:
    record_due_reminders(today)
    send_unsent_reminders()


def _sent() -> list[tuple[str, str]]:
    return sorted((", ".join(message.to), message.subject) for message in mail.outbox)


def test_focal_points_of_countries_without_a_submission_are_reminded_once(cast: Cast) -> None:
    add_report_milestones(cast.period)
    add_version(cast.period, "AU", submitted_on=BEFORE - dt.timedelta(days=1))
    _sweep(BEFORE)
    _sweep(BEFORE)
    _sweep(BEFORE + dt.timedelta(days=1))
    # Indonesia has a focal point and owes its report; Australia submitted; New Zealand and
    # Thailand have no focal point in the cast, so their reminders reach nobody.
    assert _sent() == [("focal@inp.test", "Disrupt: mid-term report due 1 December 2026")]
    rows = Reminder.objects.order_by("country__code")
    assert [(r.country.code, r.kind, r.recipients) for r in rows] == [
        ("ID", ReminderKind.BEFORE, 1),
        ("NZ", ReminderKind.BEFORE, 0),
        ("TH", ReminderKind.BEFORE, 0),
    ]
    assert all(r.sent_at is not None for r in rows)


def test_an_overdue_report_gets_one_more_reminder_and_no_more(cast: Cast) -> None:
    add_report_milestones(cast.period)
    _sweep(BEFORE)
    add_version(cast.period, "AU", submitted_on=MIDTERM_DUE)
    _sweep(AFTER)
    _sweep(AFTER + dt.timedelta(days=5))
    assert _sent() == [
        ("focal@afp.test", "Disrupt: mid-term report due 1 December 2026"),
        ("focal@inp.test", "Disrupt: mid-term report due 1 December 2026"),
        ("focal@inp.test", "Disrupt: mid-term report overdue since 1 December 2026"),
    ]
    assert Reminder.objects.filter(country__code="ID").count() == 2


def test_every_active_focal_point_of_the_country_is_reminded(cast: Cast) -> None:
    add_report_milestones(cast.period)
    rtp = make_agency("Royal Thai Police", "TH", short="RTP")
    make_user("focal@rtp.test", "Thanom Focal", rtp, RoleCode.FOCAL_POINT)
    gone = make_user("former@rtp.test", "Former Focal", rtp, RoleCode.FOCAL_POINT)
    gone.is_active = False
    gone.save()
    make_user(
        "second@inp.test",
        "Second Focal",
        make_agency("Indonesian National Police", "ID"),
        RoleCode.FOCAL_POINT,
    )
    _sweep(BEFORE)
    assert [m.to for m in mail.outbox if "inp.test" in m.to[0]] == [["focal@inp.test", "second@inp.test"]]
    assert [m.to for m in mail.outbox if "rtp.test" in m.to[0]] == [["focal@rtp.test"]]
    assert all(cast.investigator_id.email not in m.to for m in mail.outbox)


def test_the_email_carries_no_operational_content(cast: Cast) -> None:
    add_report_milestones(cast.period)
    secret = "Boat leaves Kupang on the ninth with 41 passengers"
    add_version(cast.period, "ID", status=VersionStatus.DRAFT, what_was_done=secret, intelligence=secret)
    add_version(cast.period, "AU", submitted_on=MIDTERM_DUE)
    _sweep(AFTER)
    (message,) = mail.outbox
    text = message.subject + message.body
    for forbidden in (secret, "Kupang", cast.plan.reference, cast.plan.title, cast.plan_amber.title, "41"):
        assert forbidden not in text
    assert (
        "mid-term report of Indonesia for the 7th Joint Period of Action was due on 1 December 2026" in text
    )
    assert message.body.count("/periods/7/deadlines/") == 1


def test_the_link_points_at_the_site(cast: Cast, settings: Any) -> None:
    settings.SITE_URL = "https://disrupt.example.org"
    before, _ = add_report_milestones(cast.period)
    reminder = Reminder.objects.create(
        milestone=before, country=cast.focal_id.country, kind=ReminderKind.BEFORE
    )
    subject, body = compose_reminder(reminder)
    assert subject == "Disrupt: mid-term report due 1 December 2026"
    assert "https://disrupt.example.org/periods/7/deadlines/" in body


def test_the_final_report_is_named_in_the_subject(cast: Cast) -> None:
    _, final = add_report_milestones(cast.period)
    _sweep(final.due_on - dt.timedelta(days=1))  # type: ignore[operator]
    assert [sent for sent in _sent() if "final" in sent[1]] == [
        ("focal@afp.test", "Disrupt: final report due 15 March 2027"),
        ("focal@inp.test", "Disrupt: final report due 15 March 2027"),
    ]


def test_a_reminder_recorded_before_a_submission_is_not_sent_after_it(cast: Cast) -> None:
    add_report_milestones(cast.period)
    record_due_reminders(BEFORE)
    add_version(cast.period, "ID", submitted_on=BEFORE)
    send_unsent_reminders()
    assert _sent() == [("focal@afp.test", "Disrupt: mid-term report due 1 December 2026")]
    assert Reminder.objects.get(country__code="ID").recipients == 0


def test_no_reminders_for_a_closed_period_or_a_done_milestone(cast: Cast) -> None:
    midterm, _ = add_report_milestones(cast.period)
    midterm.done_on = timezone.localdate()
    midterm.save()
    _sweep(AFTER)
    assert Reminder.objects.count() == 0
    cast.period.status = PeriodStatus.CLOSED
    cast.period.save()
    _sweep(dt.date(2027, 3, 20))
    assert Reminder.objects.count() == 0


def test_a_returned_report_is_not_chased_as_missing(cast: Cast) -> None:
    add_report_milestones(cast.period)
    add_version(
        cast.period, "ID", kind=ReportKind.MIDTERM, status=VersionStatus.RETURNED, submitted_on=BEFORE
    )
    _sweep(AFTER)
    assert not Reminder.objects.filter(country__code="ID").exists()


def test_the_sweep_queues_its_successor_once(cast: Cast) -> None:
    today = timezone.localdate()
    add_report_milestones(
        cast.period, midterm=today + dt.timedelta(days=2), final=today + dt.timedelta(days=90)
    )
    send_report_reminders.call()
    send_report_reminders.call()
    assert sorted(m.to[0] for m in mail.outbox) == ["focal@afp.test", "focal@inp.test"]
    later = DBTaskResult.objects.filter(task_path=send_report_reminders.module_path, status="READY")
    assert later.count() == 1
    assert later.get().run_after > timezone.now() + dt.timedelta(hours=23)
    ensure_sweep_queued()
    ensure_sweep_queued()
    assert later.count() == 2  # one for tomorrow, one to run now
