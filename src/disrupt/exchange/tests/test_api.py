"""The exchange under /api/v1/: enquiries, replies, attachments and sharing requests, through the policy."""

from __future__ import annotations

import pytest
from django.test import Client

from disrupt.access.choices import SharingRequestStatus
from disrupt.access.models import SharingRequest
from disrupt.conftest import Cast
from disrupt.exchange.choices import EnquiryStatus
from disrupt.exchange.models import Enquiry
from disrupt.exchange.tests.conftest import PDF_BYTES, agency

pytestmark = pytest.mark.django_db


def test_an_investigator_sends_an_enquiry(client: Client, cast: Cast) -> None:
    client.force_login(cast.investigator_id)
    response = client.post(
        "/api/v1/enquiries/",
        {
            "recipients": [agency("AFP").pk, agency("INZ").pk],
            "subject": "Vessel registration",
            "body": "Please confirm the registration.",
            "handling_code": "amber_strict",
            "due_on": "2030-01-31",
            "plan": cast.plan.reference,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    enquiry = Enquiry.objects.get()
    assert response.json()["reference"] == enquiry.reference
    assert response.json()["shared_agencies"] == sorted([agency("AFP").pk, agency("INZ").pk])
    assert enquiry.plan == cast.plan and enquiry.created_by == cast.investigator_id


@pytest.mark.parametrize(
    ("who", "data", "status"),
    [
        ("observer", {"subject": "s", "body": "b"}, 403),
        ("investigator_id", {"subject": "s", "body": "b", "handling_code": "red"}, 400),
        ("investigator_id", {"subject": "s", "body": "b", "plan": "JPA9-99"}, 400),
    ],
)
def test_it_refuses_bad_enquiries(
    client: Client, cast: Cast, who: str, data: dict[str, str], status: int
) -> None:
    client.force_login(getattr(cast, who))
    response = client.post(
        "/api/v1/enquiries/", {"recipients": [agency("AFP").pk], **data}, content_type="application/json"
    )
    assert response.status_code == status, response.content
    assert not Enquiry.objects.exists()


def test_a_recipient_replies_and_the_sender_sees_it_answered(
    client: Client, cast: Cast, strict_enquiry: Enquiry
) -> None:
    client.force_login(cast.analyst_au)
    url = f"/api/v1/enquiries/{strict_enquiry.pk}/replies/"
    created = client.post(url, {"body": "Registered in Darwin."}, content_type="application/json")
    assert created.status_code == 201, created.content
    client.force_login(cast.investigator_id)
    assert [reply["body"] for reply in client.get(url).json()] == ["Registered in Darwin."]
    assert client.get(f"/api/v1/enquiries/{strict_enquiry.pk}/").json()["status"] == EnquiryStatus.ANSWERED
    client.force_login(cast.co_chair)  # reads it (INZ) but does not exchange enquiries
    assert client.post(url, {"body": "x"}, content_type="application/json").status_code == 403


def test_only_the_sender_closes(client: Client, cast: Cast, strict_enquiry: Enquiry) -> None:
    client.force_login(cast.analyst_au)
    assert client.post(f"/api/v1/enquiries/{strict_enquiry.pk}/close/").status_code == 403
    client.force_login(cast.investigator_id)
    response = client.post(f"/api/v1/enquiries/{strict_enquiry.pk}/close/")
    assert response.status_code == 200 and response.json()["status"] == EnquiryStatus.CLOSED
    assert client.post(f"/api/v1/enquiries/{strict_enquiry.pk}/withdraw/").status_code == 400


def test_attachments_are_listed_and_downloaded_through_the_policy(
    client: Client, cast: Cast, strict_enquiry: Enquiry
) -> None:
    client.force_login(cast.focal_au)
    listed = client.get("/api/v1/attachments/", {"enquiry": strict_enquiry.pk}).json()["results"]
    assert [(row["original_name"], row["content_type"]) for row in listed] == [
        ("registration.pdf", "application/pdf")
    ]
    download = client.get(listed[0]["download"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="registration.pdf"'
    assert b"".join(download.streaming_content) == PDF_BYTES
    client.force_login(cast.investigator_au_abf)
    assert client.get("/api/v1/attachments/").json()["count"] == 0


def test_a_sharing_request_is_asked_and_decided(client: Client, cast: Cast, strict_enquiry: Enquiry) -> None:
    client.force_login(cast.analyst_au)
    asked = client.post(
        "/api/v1/sharing-requests/",
        {"enquiry": strict_enquiry.pk, "agencies": [agency("ABF").pk], "reason": "Crew manifests."},
        content_type="application/json",
    )
    assert asked.status_code == 201, asked.content
    request_id = asked.json()["id"]
    decide = f"/api/v1/sharing-requests/{request_id}/decide/"
    assert client.post(decide, {"decision": "grant"}, content_type="application/json").status_code == 403

    client.force_login(cast.investigator_th)  # knows nothing of it
    assert client.get("/api/v1/sharing-requests/").json()["count"] == 0
    assert client.post(decide, {"decision": "grant"}, content_type="application/json").status_code == 404
    outsider = client.post(
        "/api/v1/sharing-requests/",
        {"enquiry": strict_enquiry.pk, "agencies": [agency("RTP").pk], "reason": "x"},
        content_type="application/json",
    )
    assert outsider.status_code == 400 and "No such enquiry" in outsider.content.decode()

    client.force_login(cast.investigator_id)
    granted = client.post(
        decide, {"decision": "grant", "comment": "Agreed."}, content_type="application/json"
    )
    assert granted.status_code == 200 and granted.json()["status"] == SharingRequestStatus.GRANTED
    client.force_login(cast.investigator_au_abf)
    assert client.get(f"/api/v1/enquiries/{strict_enquiry.pk}/").status_code == 200
    assert SharingRequest.objects.get().decided_by == cast.investigator_id


def test_reading_an_enquiry_by_api_is_recorded(client: Client, cast: Cast, strict_enquiry: Enquiry) -> None:
    from disrupt.audit.choices import AuditAction
    from disrupt.audit.models import AuditEntry

    client.force_login(cast.focal_au)
    assert client.get(f"/api/v1/enquiries/{strict_enquiry.pk}/").status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.READ)
    assert (entry.actor, entry.target_id) == (cast.focal_au, str(strict_enquiry.pk))


def test_a_file_is_attached_by_api_and_a_disguised_program_refused(
    client: Client, cast: Cast, strict_enquiry: Enquiry
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from disrupt.exchange.tests.conftest import EXE_BYTES

    url = f"/api/v1/enquiries/{strict_enquiry.pk}/attach/"
    client.force_login(cast.analyst_au)
    made = client.post(url, {"file": SimpleUploadedFile("answer.pdf", PDF_BYTES, content_type="text/plain")})
    assert made.status_code == 201, made.content
    assert made.json()["content_type"] == "application/pdf"
    refused = client.post(url, {"file": SimpleUploadedFile("answer2.pdf", EXE_BYTES)})
    assert refused.status_code == 400 and "Windows program" in refused.content.decode()
    client.force_login(cast.investigator_au_abf)
    assert client.post(url, {"file": SimpleUploadedFile("x.pdf", PDF_BYTES)}).status_code == 404
    assert strict_enquiry.attachments.count() == 2
