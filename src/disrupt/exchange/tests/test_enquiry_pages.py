"""The enquiry pages: refusals say what and where; the sharing panel says who can read it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from disrupt.access.choices import HandlingCode
from disrupt.conftest import Cast
from disrupt.exchange.actions import do_send_enquiry
from disrupt.exchange.models import Attachment, Enquiry
from disrupt.exchange.tests.conftest import EXE_BYTES, PDF_BYTES, agency

pytestmark = pytest.mark.django_db


def _form(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "information",
        "recipients": [agency("AFP").pk],
        "handling_code": HandlingCode.AMBER,
        "subject": "Crew list",
        "body": "The crew list, please.",
        "priority": "routine",
        **extra,
    }


def test_a_program_disguised_as_a_pdf_is_refused_on_the_page(client: Client, cast: Cast) -> None:
    client.force_login(cast.investigator_id)
    upload = SimpleUploadedFile("crew-list.pdf", EXE_BYTES, content_type="application/pdf")
    response = client.post(reverse("exchange:enquiry_create"), _form(attachments=[upload]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The enquiry was not sent" in page
    assert "“crew-list.pdf” is a Windows program (.exe or .dll), whatever its name says." in page
    assert not Enquiry.objects.exists() and not Attachment.objects.exists()


def test_a_reply_with_an_unknown_type_is_refused_and_nothing_is_kept(client: Client, cast: Cast) -> None:
    enquiry = do_send_enquiry(cast.investigator_id, recipients=[agency("AFP")], subject="s", body="b")
    client.force_login(cast.analyst_au)
    upload = SimpleUploadedFile("photo.png", b"\x00\x01\x02 not an image", content_type="image/png")
    response = client.post(
        reverse("exchange:enquiry_reply", args=[enquiry.pk]), {"body": "See photo.", "attachments": [upload]}
    )
    assert response.status_code == 400
    assert "“photo.png” is not one of the accepted types" in response.content.decode()
    assert not enquiry.replies.exists() and not Attachment.objects.exists()


def test_several_files_arrive_with_one_enquiry(client: Client, cast: Cast) -> None:
    client.force_login(cast.investigator_id)
    files = [
        SimpleUploadedFile("letter.pdf", PDF_BYTES, content_type="application/octet-stream"),
        SimpleUploadedFile("list.csv", b"name,port\nA,Kupang\nB,Rote\n", content_type="text/plain"),
    ]
    response = client.post(reverse("exchange:enquiry_create"), _form(attachments=files))
    assert response.status_code == 302
    types = sorted(Attachment.objects.values_list("original_name", "content_type"))
    assert types == [("letter.pdf", "application/pdf"), ("list.csv", "text/csv; charset=utf-8")]


def test_the_sharing_panel_says_who_can_read_it(client: Client, cast: Cast) -> None:
    enquiry = do_send_enquiry(
        cast.investigator_id,
        recipients=[agency("AFP")],
        subject="s",
        body="b",
        handling_code=HandlingCode.AMBER,
    )
    client.force_login(cast.investigator_id)
    page = client.get(enquiry.get_absolute_url()).content.decode()
    assert (
        "The people of Indonesian National Police (Indonesia), Australian Federal Police (Australia)." in page
    )
    assert "Only the sending agency can share it more widely." in page
    assert "Attachments are not virus-scanned on this installation." in page
    # The sender shares directly: no "ask" form for it.
    assert "Ask the sender to share more widely" not in page


def test_the_page_says_files_are_scanned_when_clamd_is_configured(
    client: Client, cast: Cast, settings: Any
) -> None:
    settings.CLAMD_SOCKET = "/run/clamav/clamd.ctl"
    client.force_login(cast.investigator_id)
    page = client.get(reverse("exchange:enquiry_create")).content.decode()
    assert "Files are scanned for viruses." in page
    assert "not virus-scanned" not in page


def test_the_export_holds_what_the_user_may_see_with_the_thread_and_is_recorded(
    client: Client, cast: Cast, strict_enquiry: Enquiry
) -> None:
    import csv
    import io

    from disrupt.audit.choices import AuditAction
    from disrupt.audit.models import AuditEntry
    from disrupt.exchange.actions import do_reply

    do_reply(cast.analyst_au, strict_enquiry, body="=HYPERLINK() is not run; registered in Darwin.")
    client.force_login(cast.focal_au)
    response = client.get(reverse("exchange:enquiry_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="enquiries-')
    table = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["reference"] for row in table] == [strict_enquiry.reference]
    assert table[0]["handling_code"] == "TLP:AMBER+STRICT"
    assert "AFP (Ari Analyst): =HYPERLINK()" in table[0]["replies"]
    assert table[0]["attachments"] == "registration.pdf"
    assert AuditEntry.objects.get(action=AuditAction.EXPORT).detail["count"] == 1

    client.force_login(cast.investigator_au_abf)
    outsider = b"".join(client.get(reverse("exchange:enquiry_export")).streaming_content).decode()
    assert strict_enquiry.reference not in outsider and strict_enquiry.subject not in outsider
