"""Writes of notifications. Other apps call `notify` from their own `do_*` actions.

`notify` writes one row per recipient and queues one e-mail job per row in the same
transaction (the job queue is a database table), so either both exist or neither does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from disrupt.access import policy
from disrupt.notifications.models import Notification

if TYPE_CHECKING:
    from disrupt.directory.models import User


def notify(
    recipients: Iterable[User], *, verb: str, record: Model, url: str, handling_code: str
) -> list[Notification]:
    """Tell each recipient that `verb` happened to `record` (shown at `url`).

    `verb` is a short phrase without record content ("sent you an enquiry"); above TLP:GREEN
    the e-mail carries neither the verb's record nor its title, only that something arrived.
    Each recipient is told once, however often they appear.
    """
    from disrupt.notifications.tasks import send_notification_email

    content_type = ContentType.objects.get_for_model(record)
    people = {person.pk: person for person in recipients if person.pk is not None}
    with transaction.atomic():
        made = [
            Notification.objects.create(
                recipient=person,
                verb=verb,
                content_type=content_type,
                object_id=record.pk,
                title=str(record)[:300],
                url=url,
                handling_code=handling_code,
            )
            for person in people.values()
        ]
        for notification in made:
            send_notification_email.enqueue(notification.pk)
    return made


def mark_read(user: User, notification_id: int) -> bool:
    """Mark one of the user's visible notifications read; False if there is no such one."""
    visible = policy.visible_to(user, Notification.objects.filter(pk=notification_id))
    return visible.filter(read_at__isnull=True).update(read_at=timezone.now()) > 0 or visible.exists()


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read (those hidden from them too)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
