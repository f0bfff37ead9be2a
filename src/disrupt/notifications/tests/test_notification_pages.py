"""The notifications page and the top-bar count: one's own, and only about what one may still see."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from disrupt.access.choices import HandlingCode
from disrupt.conftest import Cast
from disrupt.directory.models import Agency
from disrupt.exchange.models import Enquiry
from disrupt.notifications.actions import notify
from disrupt.notifications.models import Notification, NotificationPreference
from disrupt.search.tests.helpers import make_enquiry

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def _tell(people: list, enquiry: Enquiry) -> list[Notification]:
    return notify(
        people,
        verb="sent you an enquiry",
        record=enquiry,
        url=enquiry.get_absolute_url(),
        handling_code=enquiry.handling_code,
    )


@pytest.fixture
def enquiry(cast: Cast) -> Enquiry:
    return make_enquiry(
        cast.investigator_id, ["AFP", "INZ"], subject="Savu Sea transfer", body="Who owns it?"
    )


def test_the_list_shows_only_ones_own(client: Client, cast: Cast, enquiry: Enquiry) -> None:
    _tell([cast.analyst_au], enquiry)
    _tell([cast.co_chair], enquiry)
    client.force_login(cast.analyst_au)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Savu Sea transfer" in response.content.decode()
    assert len(response.context["notifications"]) == 1
    client.force_login(cast.focal_au)
    page = client.get(LIST).content.decode()
    assert "Savu Sea transfer" not in page
    assert "Nothing has arrived for you yet" in page


def test_narrowed_sharing_hides_the_notification_and_its_title(
    client: Client, cast: Cast, enquiry: Enquiry
) -> None:
    (note,) = _tell([cast.analyst_au], enquiry)
    client.force_login(cast.analyst_au)
    assert "Savu Sea transfer" in client.get(LIST).content.decode()
    enquiry.shared_agencies.remove(Agency.objects.get(short_name="AFP"))
    page = client.get(LIST).content.decode()
    assert "Savu Sea transfer" not in page
    assert enquiry.reference not in page
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[note.pk])).status_code == 404
    # The count in the top bar leaves it out too.
    assert "topbar-notifications__count" not in page


def test_the_top_bar_counts_unread(client: Client, cast: Cast, enquiry: Enquiry) -> None:
    _tell([cast.analyst_au], enquiry)
    _tell([cast.analyst_au], make_enquiry(cast.investigator_id, ["AFP"], subject="Second", body="x"))
    client.force_login(cast.analyst_au)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert '<span class="badge badge--info topbar-notifications__count">2<' in page


def test_opening_marks_read_and_leads_to_the_record(client: Client, cast: Cast, enquiry: Enquiry) -> None:
    (note,) = _tell([cast.analyst_au], enquiry)
    client.force_login(cast.analyst_au)
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == enquiry.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None


def test_someone_elses_notification_is_not_found(client: Client, cast: Cast, enquiry: Enquiry) -> None:
    (note,) = _tell([cast.analyst_au], enquiry)
    client.force_login(cast.co_chair)  # may see the enquiry, but it is not their notification
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_is_a_post(client: Client, cast: Cast, enquiry: Enquiry) -> None:
    _tell([cast.analyst_au, cast.co_chair], enquiry)
    client.force_login(cast.analyst_au)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=cast.analyst_au, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=cast.co_chair, read_at__isnull=True).exists()


def test_unread_come_first(client: Client, cast: Cast, enquiry: Enquiry) -> None:
    (first,) = _tell([cast.analyst_au], enquiry)
    (second,) = _tell(
        [cast.analyst_au], make_enquiry(cast.investigator_id, ["AFP"], subject="Later", body="x")
    )
    client.force_login(cast.analyst_au)
    client.post(reverse("notifications:read", args=[second.pk]))
    shown = list(client.get(LIST).context["notifications"])
    assert shown == [first, second]


def test_the_email_preference_is_saved(client: Client, cast: Cast) -> None:
    client.force_login(cast.analyst_au)
    response = client.post(reverse("notifications:preferences"), {})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=cast.analyst_au).email_enabled is False
    client.post(reverse("notifications:preferences"), {"email_enabled": "on"})
    assert NotificationPreference.objects.get(user=cast.analyst_au).email_enabled is True


def test_an_enquiry_email_carries_no_subject_or_body(cast: Cast, enquiry: Enquiry) -> None:
    from django.core import mail

    from disrupt.notifications.tests.helpers import run_queued_jobs

    for code in (HandlingCode.AMBER, HandlingCode.AMBER_STRICT):
        mail.outbox.clear()
        enquiry.handling_code = code
        enquiry.save()
        _tell([cast.analyst_au], enquiry)
        run_queued_jobs()
        (message,) = mail.outbox
        text = message.subject + message.body
        assert "Savu" not in text and "Who owns it" not in text and enquiry.reference not in text
        assert "enquiry" in message.subject


def test_the_query_count_does_not_grow_with_the_notifications(
    client: Client, cast: Cast, enquiry: Enquiry
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _tell([cast.analyst_au], enquiry)
    client.force_login(cast.analyst_au)
    client.get(LIST)  # the first request also fills caches (content types)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(6):
        _tell([cast.analyst_au], make_enquiry(cast.investigator_id, ["AFP"], subject=f"More {n}", body="x"))
    notify([cast.analyst_au], verb="nominated a plan", record=cast.plan, url="/", handling_code="green")
    with CaptureQueriesContext(connection) as more:
        page = client.get(LIST).content.decode()
    assert "More 5" in page
    # One more kind of record (a plan) adds its visibility subquery to the same query, not a query.
    assert len(more) <= len(few) + 1
