"""The notification e-mail, sent by the worker (`disrupt worker`).

Safe to run twice: a notification already e-mailed is skipped. Above TLP:GREEN the e-mail
names neither the record nor its title: it says that something arrived and links to it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from disrupt.access import policy
from disrupt.notifications.choices import EMAIL_NAMEABLE_CODES
from disrupt.notifications.models import Notification, NotificationPreference


def compose_email(notification: Notification) -> tuple[str, str]:
    """The subject and body of the e-mail for one notification."""
    # The link opens the notification, which marks it read and leads on to the record if the
    # recipient may still see it; the address itself says nothing about the record.
    link = settings.SITE_URL + reverse("notifications:open", args=[notification.pk])
    kind = notification.content_type.name
    if notification.handling_code in EMAIL_NAMEABLE_CODES:
        subject = f"Disrupt: {notification.title}"
        body = f"Someone {notification.verb} on Disrupt: {notification.title}\n\nOpen it here: {link}\n"
    else:
        subject = f"A new {kind} update has arrived for you on Disrupt"
        body = (
            f"Something about a {kind} has arrived for you on Disrupt.\n"
            "Its content is not sent by e-mail: sign in to read it.\n\n"
            f"{link}\n"
        )
    settings_link = settings.SITE_URL + reverse("notifications:list")
    footer = (
        "\n--\nYou receive this because you have an account on Disrupt. "
        f"You can turn these e-mails off on your notifications page: {settings_link}\n"
    )
    return subject[:250], body + footer


def _wants_email(notification: Notification) -> bool:
    person = notification.recipient
    if not person.is_active or not person.email:
        return False
    preference = NotificationPreference.objects.filter(user=person).first()
    if preference is not None and not preference.email_enabled:
        return False
    # The sharing may have been narrowed since the notification was made.
    return policy.visible_to(person, Notification.objects.filter(pk=notification.pk)).exists()


@task()
def send_notification_email(notification_id: int) -> None:
    notification = (
        Notification.objects.select_related("recipient", "content_type").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at is not None:
        return
    if _wants_email(notification):
        subject, body = compose_email(notification)
        send_mail(subject, body, None, [notification.recipient.email])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
