"""The thread and the status: who replies, what answers an enquiry, who closes and withdraws."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from disrupt.access.choices import HandlingCode
from disrupt.conftest import Cast
from disrupt.exchange.actions import do_close, do_reply, do_send_enquiry, do_withdraw
from disrupt.exchange.choices import EnquiryStatus
from disrupt.exchange.models import Enquiry
from disrupt.exchange.queries import enquiries_sent
from disrupt.exchange.tests.conftest import agency

pytestmark = pytest.mark.django_db


def test_addressing_an_agency_shares_the_enquiry_with_it(cast: Cast, strict_enquiry: Enquiry) -> None:
    assert strict_enquiry.reference == f"ENQ-{timezone.now().year}-0001"
    assert strict_enquiry.owner_agency.short_name == "INP"
    assert set(strict_enquiry.shared_agencies.values_list("short_name", flat=True)) == {"AFP", "INZ"}
    assert set(strict_enquiry.recipients.values_list("short_name", flat=True)) == {"AFP", "INZ"}
    assert strict_enquiry.status == EnquiryStatus.OPEN


def test_a_recipients_reply_answers_it_the_senders_does_not(cast: Cast, strict_enquiry: Enquiry) -> None:
    do_reply(cast.investigator_id, strict_enquiry, body="Adding the hull number: SD-0001.")
    strict_enquiry.refresh_from_db()
    assert strict_enquiry.status == EnquiryStatus.OPEN
    do_reply(cast.analyst_au, strict_enquiry, body="Registered in Darwin; last port call Kupang.")
    strict_enquiry.refresh_from_db()
    assert strict_enquiry.status == EnquiryStatus.ANSWERED
    assert list(strict_enquiry.replies.values_list("agency__short_name", flat=True)) == ["INP", "AFP"]


@pytest.mark.parametrize("who", ["investigator_au_abf", "investigator_th", "observer", "secretariat"])
def test_outsiders_cannot_reply(cast: Cast, strict_enquiry: Enquiry, who: str) -> None:
    with pytest.raises(PermissionDenied):
        do_reply(getattr(cast, who), strict_enquiry, body="Not mine to answer.")
    assert not strict_enquiry.replies.exists()


def test_the_reply_page_refuses_an_outsider_with_404_and_a_reader_who_may_not_write_with_403(
    client: Client, cast: Cast, strict_enquiry: Enquiry
) -> None:
    url = reverse("exchange:enquiry_reply", args=[strict_enquiry.pk])
    client.force_login(cast.investigator_th)
    assert client.post(url, {"body": "x"}).status_code == 404
    client.force_login(cast.co_chair)  # INZ reads it, but a co-chair as such does not exchange enquiries
    assert client.post(url, {"body": "x"}).status_code == 403
    client.force_login(cast.analyst_au)
    response = client.post(url, {"body": "Registered in Darwin."})
    assert response.status_code == 302
    assert strict_enquiry.replies.get().body == "Registered in Darwin."


def test_only_the_sending_side_closes_or_withdraws(cast: Cast, strict_enquiry: Enquiry) -> None:
    with pytest.raises(PermissionDenied):
        do_close(cast.analyst_au, strict_enquiry)
    # The focal point of the sending agency speaks for it, as the author does.
    do_withdraw(cast.focal_id, strict_enquiry)
    strict_enquiry.refresh_from_db()
    assert strict_enquiry.status == EnquiryStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="already withdrawn"):
        do_close(cast.investigator_id, strict_enquiry)
    with pytest.raises(PermissionDenied):
        do_reply(cast.analyst_au, strict_enquiry, body="Too late.")


def test_overdue_is_open_and_past_its_date_for_both_sides(client: Client, cast: Cast) -> None:
    late = do_send_enquiry(
        cast.investigator_id,
        recipients=[agency("AFP")],
        subject="Crew list",
        body="Crew list of the vessel, please.",
        due_on=timezone.localdate(),
    )
    Enquiry.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    assert list(Enquiry.objects.overdue()) == [late]
    for person in (cast.investigator_id, cast.analyst_au):
        client.force_login(person)
        assert "Overdue" in client.get(late.get_absolute_url()).content.decode()
        overdue_list = client.get(reverse("exchange:enquiry_list"), {"overdue": "true"}).content.decode()
        assert "Crew list" in overdue_list
    do_reply(cast.analyst_au, late, body="Attached.")
    assert not Enquiry.objects.overdue().exists()


def test_it_refuses_an_enquiry_to_nobody_or_to_the_senders_own_agency(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="at least one agency"):
        do_send_enquiry(cast.investigator_id, recipients=[], subject="s", body="b")
    with pytest.raises(ValidationError, match="own agency"):
        do_send_enquiry(cast.investigator_id, recipients=[agency("INP")], subject="s", body="b")
    with pytest.raises(PermissionDenied):
        do_send_enquiry(cast.observer, recipients=[agency("AFP")], subject="s", body="b")
    assert not Enquiry.objects.exists()


def test_the_new_enquiry_page_sends_it(client: Client, cast: Cast) -> None:
    client.force_login(cast.investigator_id)
    response = client.post(
        reverse("exchange:enquiry_create"),
        {
            "kind": "assistance",
            "recipients": [agency("AFP").pk],
            "handling_code": HandlingCode.AMBER,
            "subject": "Joint interview",
            "body": "Could an officer join the interview on 3 May?",
            "priority": "urgent",
            "due_on": "",
            "plan": cast.plan.reference,
        },
    )
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == enquiry.get_absolute_url()
    assert (enquiry.kind, enquiry.priority, enquiry.plan) == ("assistance", "urgent", cast.plan)


def test_the_new_enquiry_page_is_refused_to_an_observer(client: Client, cast: Cast) -> None:
    client.force_login(cast.observer)
    assert client.get(reverse("exchange:enquiry_create")).status_code == 403


def test_enquiries_sent_counts_a_countrys_enquiries_within_the_period(cast: Cast) -> None:
    for _ in range(2):
        do_send_enquiry(cast.investigator_id, recipients=[agency("AFP")], subject="s", body="b")
    do_send_enquiry(cast.analyst_au, recipients=[agency("INP")], subject="s", body="b")
    inside = timezone.make_aware(dt.datetime.combine(cast.period.starts_on, dt.time(9)))
    Enquiry.objects.update(created_at=inside)
    before = do_send_enquiry(cast.investigator_id, recipients=[agency("AFP")], subject="s", body="b")
    Enquiry.objects.filter(pk=before.pk).update(created_at=inside - dt.timedelta(days=1))
    indonesia, australia, thailand = (agency(code).country for code in ("INP", "AFP", "RTP"))
    assert enquiries_sent(indonesia, cast.period) == 2
    assert enquiries_sent(australia, cast.period) == 1
    assert enquiries_sent(thailand, cast.period) == 0


def test_the_list_page_query_count_does_not_grow_with_enquiries(client: Client, cast: Cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("exchange:enquiry_list")).status_code == 200
        return len(queries)

    client.force_login(cast.analyst_au)
    do_send_enquiry(cast.investigator_id, recipients=[agency("AFP")], subject="One", body="b")
    one = count()
    for number in range(5):
        do_send_enquiry(
            cast.investigator_id, recipients=[agency("AFP"), agency("INZ")], subject=f"S{number}", body="b"
        )
    assert count() == one


def test_the_evaluation_grades_travel_with_the_enquiry_and_show_on_its_page(cast: Cast) -> None:
    enquiry = do_send_enquiry(
        cast.investigator_id,
        recipients=[agency("AFP")],
        subject="Graded",
        body="A source inside the recruitment agency says the boat leaves on Friday.",
        source_reliability="B",
        information_accuracy="2",
    )
    enquiry.refresh_from_db()
    assert (enquiry.source_reliability, enquiry.information_accuracy) == ("B", "2")
    client = Client()
    client.force_login(cast.analyst_au)
    page = client.get(reverse("exchange:enquiry_detail", args=[enquiry.pk])).content.decode()
    assert "B2: B: source usually reliable; 2: known personally to the source, not to the officer" in page


def test_an_unknown_grade_is_refused_and_nothing_is_sent(cast: Cast) -> None:
    with pytest.raises(ValidationError) as refused:
        do_send_enquiry(
            cast.investigator_id,
            recipients=[agency("AFP")],
            subject="Graded",
            body="x",
            source_reliability="Z",
        )
    assert "source_reliability" in refused.value.message_dict
    assert not Enquiry.objects.filter(subject="Graded").exists()
