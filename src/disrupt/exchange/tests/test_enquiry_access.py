"""The AMBER+STRICT enquiry from Indonesia to Australia and New Zealand: those three agencies
read it; nobody else learns it exists, by page, list, API or attachment."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.exchange.models import Enquiry
from disrupt.exchange.tests.conftest import STRICT_SUBJECT

pytestmark = pytest.mark.django_db

READERS = ["investigator_id", "focal_id", "focal_au", "analyst_au", "co_chair"]  # INP, AFP, INZ
OUTSIDERS = ["investigator_au_abf", "investigator_th", "observer", "secretariat", "co_chair_other"]


@pytest.mark.parametrize("who", READERS)
def test_the_three_agencies_read_it(client: Client, cast: Cast, strict_enquiry: Enquiry, who: str) -> None:
    client.force_login(getattr(cast, who))
    detail = client.get(reverse("exchange:enquiry_detail", args=[strict_enquiry.pk]))
    assert detail.status_code == 200
    assert STRICT_SUBJECT in detail.content.decode()
    listing = client.get(reverse("exchange:enquiry_list"))
    assert STRICT_SUBJECT in listing.content.decode()
    api_list = client.get("/api/v1/enquiries/")
    assert [row["id"] for row in api_list.json()["results"]] == [strict_enquiry.pk]
    assert client.get(f"/api/v1/enquiries/{strict_enquiry.pk}/").status_code == 200
    attachment = strict_enquiry.attachments.get()
    download = client.get(reverse("exchange:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("who", OUTSIDERS)
def test_everyone_else_gets_404_and_finds_nothing(
    client: Client, cast: Cast, strict_enquiry: Enquiry, who: str
) -> None:
    client.force_login(getattr(cast, who))
    assert client.get(reverse("exchange:enquiry_detail", args=[strict_enquiry.pk])).status_code == 404
    listing = client.get(reverse("exchange:enquiry_list"))
    assert listing.status_code == 200
    assert STRICT_SUBJECT not in listing.content.decode()
    assert "0 enquiries you may see" in listing.content.decode()
    api_list = client.get("/api/v1/enquiries/").json()
    assert api_list["count"] == 0 and api_list["results"] == []
    assert client.get(f"/api/v1/enquiries/{strict_enquiry.pk}/").status_code == 404
    assert client.get(f"/api/v1/enquiries/{strict_enquiry.pk}/replies/").status_code == 404
    attachment = strict_enquiry.attachments.get()
    assert client.get(reverse("exchange:attachment_download", args=[attachment.pk])).status_code == 404
    assert client.get(f"/api/v1/attachments/{attachment.pk}/download/").status_code == 404


def test_reading_it_is_recorded_in_the_audit_trail(
    client: Client, cast: Cast, strict_enquiry: Enquiry
) -> None:
    client.force_login(cast.analyst_au)
    client.get(reverse("exchange:enquiry_detail", args=[strict_enquiry.pk]))
    attachment = strict_enquiry.attachments.get()
    client.get(reverse("exchange:attachment_download", args=[attachment.pk]))
    actions = list(
        AuditEntry.objects.filter(actor=cast.analyst_au, target_id=str(strict_enquiry.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.READ, AuditAction.DOWNLOAD]


def test_sending_it_is_recorded_as_a_disclosure(cast: Cast, strict_enquiry: Enquiry) -> None:
    entry = AuditEntry.objects.get(action=AuditAction.DISCLOSURE, target_id=str(strict_enquiry.pk))
    assert entry.actor == cast.investigator_id
    assert entry.detail["to_agencies"] == ["AFP", "INZ"]


def test_a_refused_outsider_leaves_no_read_in_the_trail(
    client: Client, cast: Cast, strict_enquiry: Enquiry
) -> None:
    client.force_login(cast.investigator_th)
    client.get(reverse("exchange:enquiry_detail", args=[strict_enquiry.pk]))
    assert not AuditEntry.objects.filter(action=AuditAction.READ, target_id=str(strict_enquiry.pk)).exists()
