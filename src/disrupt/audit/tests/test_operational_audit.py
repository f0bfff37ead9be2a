"""Reads of AMBER and above, downloads and exports are in the trail, under the owner's country;
the trail's API serves the secretariat all of it and a focal point their country's entries."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from disrupt.access.choices import HandlingCode
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.audit.recorder import record
from disrupt.conftest import Cast
from disrupt.directory.models import Agency
from disrupt.exchange.actions import do_send_enquiry
from disrupt.exchange.models import Enquiry

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
SUBJECT = "Crew list of the KM Synthetic Dawn"


@pytest.fixture(autouse=True)
def _files(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""


def send(cast: Cast, code: str) -> Enquiry:
    """From the Indonesian police to the Australian Federal Police and Immigration New Zealand."""
    return do_send_enquiry(
        cast.investigator_id,
        recipients=list(Agency.objects.filter(short_name__in=["AFP", "INZ"])),
        subject=SUBJECT,
        body="Please send the crew list.",
        handling_code=code,
        files=[("crew.pdf", io.BytesIO(PDF))],
    )


def reads_of(enquiry: Enquiry, action: str = AuditAction.READ) -> Any:
    return AuditEntry.objects.filter(action=action, target_id=str(enquiry.pk))


@pytest.mark.parametrize("code", [HandlingCode.AMBER, HandlingCode.AMBER_STRICT])
def test_a_read_of_an_amber_enquiry_is_recorded_under_indonesia_without_its_subject(
    cast: Cast, client: Client, code: str
) -> None:
    enquiry = send(cast, code)
    client.force_login(cast.analyst_au)
    assert client.get(enquiry.get_absolute_url()).status_code == 200
    (entry,) = reads_of(enquiry)
    assert entry.actor == cast.analyst_au
    assert entry.country is not None and entry.country.code == "ID"
    # The trail's readers need not be among those it is shared with: the reference, not the subject.
    assert enquiry.reference in entry.target_label and SUBJECT not in entry.target_label


def test_a_read_through_the_api_is_recorded_too(cast: Cast, client: Client) -> None:
    enquiry = send(cast, HandlingCode.AMBER_STRICT)
    client.force_login(cast.co_chair)  # Immigration New Zealand is a recipient
    assert client.get(f"/api/v1/enquiries/{enquiry.pk}/").status_code == 200
    assert reads_of(enquiry).get().actor == cast.co_chair


def test_a_green_enquiry_is_read_without_an_entry(cast: Cast, client: Client) -> None:
    enquiry = send(cast, HandlingCode.GREEN)
    client.force_login(cast.investigator_th)
    assert client.get(enquiry.get_absolute_url()).status_code == 200
    assert not reads_of(enquiry).exists()


def test_a_refused_read_leaves_no_read_entry(cast: Cast, client: Client) -> None:
    enquiry = send(cast, HandlingCode.AMBER_STRICT)
    client.force_login(cast.investigator_au_abf)
    assert client.get(enquiry.get_absolute_url()).status_code == 404
    assert not reads_of(enquiry).exists()


@pytest.mark.parametrize("route", ["/attachments/{pk}/", "/api/v1/attachments/{pk}/download/"])
def test_every_download_of_an_attachment_is_recorded_under_the_owner_country(
    cast: Cast, client: Client, route: str
) -> None:
    enquiry = send(cast, HandlingCode.AMBER_STRICT)
    attachment = enquiry.attachments.get()
    client.force_login(cast.analyst_au)
    response = client.get(route.format(pk=attachment.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    entry = reads_of(enquiry, AuditAction.DOWNLOAD).get()
    assert entry.country.code == "ID" and entry.detail["attachment"] == attachment.pk  # type: ignore[union-attr]


def test_indonesia_focal_point_sees_who_read_indonesian_records_and_australia_does_not(
    cast: Cast, client: Client
) -> None:
    enquiry = send(cast, HandlingCode.AMBER_STRICT)
    client.force_login(cast.analyst_au)
    client.get(enquiry.get_absolute_url())

    client.force_login(cast.focal_id)
    page = client.get("/audit/?action=read").content.decode()
    assert cast.analyst_au.email in page and enquiry.reference in page
    api = client.get("/api/v1/audit/?action=read").json()
    assert [row["actor"] for row in api["results"]] == [cast.analyst_au.email]
    assert api["results"][0]["country"] == "ID"

    client.force_login(cast.focal_au)
    assert client.get("/api/v1/audit/?action=read").json()["results"] == []
    assert enquiry.reference not in client.get("/audit/?action=read").content.decode()


def test_the_trail_export_never_carries_an_amber_subject_and_is_itself_recorded(
    cast: Cast, client: Client
) -> None:
    enquiry = send(cast, HandlingCode.AMBER_STRICT)
    client.force_login(cast.analyst_au)
    client.get(enquiry.get_absolute_url())
    client.force_login(cast.secretariat)
    response = client.get("/audit/export.csv")
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert enquiry.reference in text and SUBJECT not in text
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=cast.secretariat).exists()


# --- The API of the trail -------------------------------------------------------------------------


def test_the_secretariat_reads_the_whole_trail_newest_first(cast: Cast, client: Client) -> None:
    enquiry = send(cast, HandlingCode.AMBER)
    client.force_login(cast.analyst_au)
    client.get(enquiry.get_absolute_url())
    client.force_login(cast.secretariat)
    payload = client.get("/api/v1/audit/?limit=500").json()
    assert payload["count"] == AuditEntry.objects.count()
    sequences = [row["sequence"] for row in payload["results"]]
    assert sequences == sorted(sequences, reverse=True)
    newest = AuditEntry.objects.order_by("-sequence").first()
    assert newest is not None
    one = client.get(f"/api/v1/audit/{newest.sequence}/").json()
    assert one["hash"] == newest.hash and one["previous_hash"] == newest.previous_hash


def test_a_focal_point_gets_only_their_country_entries(cast: Cast, client: Client) -> None:
    send(cast, HandlingCode.AMBER)
    thai = record(AuditAction.ACCOUNT_CHANGED, actor=cast.secretariat, target=cast.investigator_th)
    assert thai.country is not None and thai.country.code == "TH"
    client.force_login(cast.focal_id)
    rows = client.get("/api/v1/audit/?limit=500").json()["results"]
    assert rows and {row["country"] for row in rows} == {"ID"}
    assert client.get(f"/api/v1/audit/{thai.sequence}/").status_code == 404


@pytest.mark.parametrize("member", ["investigator_id", "analyst_au", "co_chair", "observer"])
def test_everyone_else_is_refused_the_trail(cast: Cast, client: Client, member: str) -> None:
    send(cast, HandlingCode.AMBER)
    client.force_login(getattr(cast, member))
    assert client.get("/api/v1/audit/").status_code == 403
    assert client.get("/api/v1/audit/1/").status_code == 403


def test_anonymous_visitors_are_refused_and_nobody_writes_through_it(cast: Cast, client: Client) -> None:
    assert client.get("/api/v1/audit/").status_code in {401, 403}
    client.force_login(cast.secretariat)
    assert client.post("/api/v1/audit/", {}, content_type="application/json").status_code == 405
    entry = AuditEntry.objects.order_by("sequence").first()
    if entry is not None:
        url = f"/api/v1/audit/{entry.sequence}/"
        assert client.patch(url, {"action": "read"}, content_type="application/json").status_code == 405
        assert client.delete(url).status_code == 405


def test_the_trail_is_in_the_openapi_document(cast: Cast, client: Client) -> None:
    client.force_login(cast.secretariat)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/audit/" in paths and "/api/v1/audit/{sequence}/" in paths
    assert set(paths["/api/v1/audit/"]) == {"get"}
