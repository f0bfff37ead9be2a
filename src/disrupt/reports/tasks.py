"""Report reminders, sent by the worker (`disrupt worker`): once per milestone, country and kind.

The sweep `send_report_reminders` is safe to run any number of times, by any number of
workers, and after a worker was killed in the middle of it:

1. it makes sure the next sweep is queued (so a sweep that dies still has a successor);
2. it records the reminders that are due as `Reminder` rows; the unique constraint on
   (milestone, country, kind) means a reminder is recorded once, ever;
3. it sends each unsent reminder in its own transaction: the row is locked (other workers skip
   it), the e-mail goes out, and `sent_at` is written before the lock is released. A worker
   killed before the commit leaves the row unsent, and the next sweep sends it.

The e-mail says only which report is due, when, and where to go: never a plan, a figure or a
word of a report. See docs/reminders.md.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult, get_date_max

from disrupt.directory.choices import RoleCode
from disrupt.directory.models import User
from disrupt.lib.dates import DatePrecision, format_day
from disrupt.programme.choices import MilestoneKind
from disrupt.programme.models import Milestone
from disrupt.reports.choices import ReminderKind, ReportKind, VersionStatus
from disrupt.reports.deadlines import days_before
from disrupt.reports.models import Reminder, ReportVersion

logger = logging.getLogger(__name__)

REPORT_MILESTONES = {
    MilestoneKind.MIDTERM_REPORT: ReportKind.MIDTERM,
    MilestoneKind.FINAL_REPORT: ReportKind.FINAL,
}
DEFAULT_SWEEP_HOURS = 24


def sweep_interval() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "DISRUPT_REMINDER_SWEEP_HOURS", DEFAULT_SWEEP_HOURS)))


# --- Which reminders are due ------------------------------------------------------------------------


def _open_report_milestones() -> QuerySet[Milestone]:
    return Milestone.objects.open().filter(
        kind__in=REPORT_MILESTONES, due_on__isnull=False, due_precision=DatePrecision.DAY
    )


def _submitted(milestones: list[Milestone]) -> set[tuple[int, int, str]]:
    """(period, country, report kind) of every report submitted at least once."""
    versions = ReportVersion.objects.filter(
        report__period__in={m.period_id for m in milestones}, submitted_at__isnull=False
    ).exclude(status=VersionStatus.DRAFT)
    return set(versions.values_list("report__period_id", "report__country_id", "report__kind"))


def record_due_reminders(today: dt.date | None = None) -> int:
    """Create the Reminder rows due on `today`; returns how many were new."""
    today = today or timezone.localdate()
    soon = days_before()
    milestones = list(
        _open_report_milestones().select_related("period").prefetch_related("period__participants")
    )
    submitted = _submitted(milestones)
    created = 0
    for milestone in milestones:
        assert milestone.due_on is not None
        if milestone.due_on < today:
            kind = ReminderKind.OVERDUE
        elif (milestone.due_on - today).days <= soon:
            kind = ReminderKind.BEFORE
        else:
            continue
        report_kind = REPORT_MILESTONES[MilestoneKind(milestone.kind)]
        for country in milestone.period.participants.all():
            if (milestone.period_id, country.pk, report_kind) in submitted:
                continue
            _, new = Reminder.objects.get_or_create(milestone=milestone, country=country, kind=kind)
            created += new
    return created


# --- Sending -----------------------------------------------------------------------------------------


def focal_points(country_id: int) -> list[str]:
    users = User.objects.filter(
        is_active=True, agency__country=country_id, roles__code=RoleCode.FOCAL_POINT
    ).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def compose_reminder(reminder: Reminder) -> tuple[str, str]:
    """Subject and body: which report, when, and the link. Nothing else."""
    milestone = reminder.milestone
    assert milestone.due_on is not None
    what = REPORT_MILESTONES[MilestoneKind(milestone.kind)].label.replace("Mid-term", "mid-term")
    what = what[0].lower() + what[1:]
    due = format_day(milestone.due_on)
    period = milestone.period
    link = settings.SITE_URL + reverse("reports:deadlines", args=[period.number])
    if reminder.kind == ReminderKind.OVERDUE:
        subject = f"Disrupt: {what} overdue since {due}"
        first = (
            f"The {what} of {reminder.country} for the {period} was due on {due} and has not been submitted."
        )
    else:
        subject = f"Disrupt: {what} due {due}"
        first = f"The {what} of {reminder.country} for the {period} is due on {due}."
    body = (
        f"{first}\n\n"
        f"See what is due and submit the report here:\n{link}\n\n"
        "--\nYou receive this because you are a focal point on Disrupt. "
        "Reports are never sent by e-mail: sign in to read or write them.\n"
    )
    return subject, body


def _is_still_due(reminder: Reminder) -> bool:
    """A reminder recorded before a kill may be sent days later: only if the report is still owed."""
    milestone = reminder.milestone
    if not Milestone.objects.open().filter(pk=milestone.pk).exists():
        return False
    report_kind = REPORT_MILESTONES[MilestoneKind(milestone.kind)]
    return not ReportVersion.objects.filter(
        report__period=milestone.period_id,
        report__country=reminder.country_id,
        report__kind=report_kind,
        submitted_at__isnull=False,
    ).exists()


def send_one_reminder() -> bool:
    """Send the next unsent reminder nobody else is sending; False when none is left."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(sent_at__isnull=True)
            .select_related("milestone__period", "country")
            .order_by("pk")
            .first()
        )
        if reminder is None:
            return False
        recipients = focal_points(reminder.country_id) if _is_still_due(reminder) else []
        if recipients:
            subject, body = compose_reminder(reminder)
            # Inside the transaction: if the worker dies before the commit, the row stays
            # unsent and the next sweep sends it again (at least once, never lost).
            EmailMessage(subject, body, to=recipients).send()
        else:
            logger.warning("Reminder %s not sent: no longer due or no active focal point", reminder.pk)
        reminder.sent_at = timezone.now()
        reminder.recipients = len(recipients)
        reminder.save(update_fields=["sent_at", "recipients"])
    return True


def send_unsent_reminders() -> int:
    sent = 0
    while send_one_reminder():
        sent += 1
    return sent


# --- Scheduling -------------------------------------------------------------------------------------


def _sweeps() -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.filter(task_path=send_report_reminders.module_path, status="READY")


def ensure_sweep_queued() -> None:
    """Queue a sweep to run now, unless one is already waiting to run now (called at worker start)."""
    if not _sweeps().filter(run_after=get_date_max()).exists():
        send_report_reminders.enqueue()


def ensure_next_sweep() -> None:
    """Queue the next sweep one interval from now, unless one is already queued for later."""
    later = _sweeps().filter(run_after__gt=timezone.now()).exclude(run_after=get_date_max())
    if not later.exists():
        send_report_reminders.using(run_after=timezone.now() + sweep_interval()).enqueue()


@task()
def send_report_reminders() -> dict[str, int]:
    """The sweep: queue its successor, record the reminders due today, send the unsent ones."""
    ensure_next_sweep()
    recorded = record_due_reminders()
    sent = send_unsent_reminders()
    return {"recorded": recorded, "handled": sent}
