"""In the browser: an investigator sends an enquiry with an attachment, the recipient replies,
the sender sees it answered; the e-mails sent carry nothing of the enquiry. And the pages fit
a desktop and a phone screen."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from disrupt.access.choices import HandlingCode
from disrupt.conftest import build_cast
from disrupt.exchange.actions import do_reply, do_send_enquiry
from disrupt.exchange.models import Enquiry
from disrupt.exchange.tests.conftest import PDF_BYTES, agency

pytestmark = pytest.mark.browser

SUBJECT = "Passenger manifest of KM Synthetic Dawn"
BODY = "Please send the manifest for the 3 May sailing from Kupang; we suspect 40 people aboard."
REPLY = "Manifest attached: 38 passengers listed, four without documents."


def _run_worker() -> None:
    """Run the queued e-mail jobs as `disrupt worker` would (in this process, to see mail.outbox)."""
    for job in DBTaskResult.objects.ready().order_by("enqueued_at"):
        job.task.call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])
        job.set_successful(None)


def _assert_no_content_in(messages: list[Any]) -> None:
    assert messages, "no e-mail was sent"
    for message in messages:
        for text in (SUBJECT, BODY, REPLY, "Synthetic Dawn", "manifest"):
            assert text not in message.subject and text not in message.body, (text, message.subject)


def _fits(session: Any, name: str) -> None:
    assert session.page.get_by_role("heading", level=1).count() == 1, name
    assert session.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name


def test_an_enquiry_with_an_attachment_is_sent_answered_and_seen_answered(
    desktop: Any, tmp_path: Path
) -> None:
    cast = build_cast()
    page = desktop.page
    document = tmp_path / "request-letter.pdf"
    document.write_bytes(PDF_BYTES)

    desktop.sign_in(cast.investigator_id)
    desktop.goto(reverse("exchange:enquiry_create"))
    _fits(desktop, "enquiry-form")
    desktop.screenshot("exchange-enquiry-form-desktop")
    page.get_by_label("Kind of enquiry").select_option(label="Request for information")
    page.get_by_label("Send to").select_option(label=["Australian Federal Police (Australia)"])
    page.get_by_role("radio", name=re.compile(r"AMBER\+STRICT")).check()
    page.get_by_label("Subject").fill(SUBJECT)
    page.get_by_label("Enquiry", exact=True).fill(BODY)
    page.get_by_label("Reply wanted by").fill((dt.date.today() + dt.timedelta(days=5)).isoformat())
    page.get_by_label("Attachments").set_input_files(str(document))
    page.get_by_role("button", name="Send enquiry").click()
    page.wait_for_load_state()

    enquiry = Enquiry.objects.get()
    assert page.url.endswith(enquiry.get_absolute_url())
    assert page.get_by_text(f"Enquiry {enquiry.reference} sent.").is_visible()
    assert page.get_by_role("link", name="request-letter.pdf").is_visible()
    assert enquiry.handling_code == HandlingCode.AMBER_STRICT
    assert enquiry.attachments.get().content_type == "application/pdf"

    _run_worker()
    sent_to_recipients = list(mail.outbox)
    assert {address for m in sent_to_recipients for address in m.to} == {
        cast.focal_au.email,
        cast.analyst_au.email,
    }
    _assert_no_content_in(sent_to_recipients)

    desktop.sign_out()
    desktop.sign_in(cast.analyst_au)
    desktop.goto(reverse("exchange:enquiry_list"))
    page.get_by_role("link", name=SUBJECT).click()
    page.wait_for_load_state()
    assert page.get_by_text(BODY).is_visible()
    page.get_by_label("Your reply").fill(REPLY)
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_load_state()
    assert page.get_by_text("Reply sent.").is_visible()

    _run_worker()
    to_sender = mail.outbox[len(sent_to_recipients) :]
    # The sending agency's officers are told: the author and its focal point.
    assert {address for m in to_sender for address in m.to} == {
        cast.investigator_id.email,
        cast.focal_id.email,
    }
    _assert_no_content_in(to_sender)

    desktop.sign_out()
    desktop.sign_in(cast.investigator_id)
    desktop.goto(reverse("exchange:enquiry_list"))
    row = page.get_by_role("row", name=re.compile(re.escape(SUBJECT)))
    assert row.get_by_text("Answered").is_visible()
    _fits(desktop, "enquiry-list")
    desktop.screenshot("exchange-enquiry-list-desktop")
    row.get_by_role("link", name=SUBJECT).click()
    page.wait_for_load_state()
    assert page.get_by_text(REPLY).is_visible()
    _fits(desktop, "enquiry-detail")
    desktop.screenshot("exchange-enquiry-detail-desktop")


def test_the_enquiry_pages_fit_a_phone(phone: Any) -> None:
    cast = build_cast()
    enquiry = do_send_enquiry(
        cast.investigator_id,
        recipients=[agency("AFP"), agency("INZ")],
        subject=SUBJECT,
        body=BODY,
        handling_code=HandlingCode.AMBER_STRICT,
        due_on=dt.date.today(),
        files=[("request-letter.pdf", io.BytesIO(PDF_BYTES))],
    )
    Enquiry.objects.filter(pk=enquiry.pk).update(due_on=dt.date.today() - dt.timedelta(days=2))
    do_reply(cast.investigator_id, enquiry, body="Any news?")
    phone.sign_in(cast.analyst_au)
    for name, path in (
        ("enquiry-list", reverse("exchange:enquiry_list")),
        ("enquiry-detail", enquiry.get_absolute_url()),
        ("enquiry-form", reverse("exchange:enquiry_create")),
    ):
        phone.goto(path)
        _fits(phone, name)
        phone.screenshot(f"exchange-{name}-phone")
