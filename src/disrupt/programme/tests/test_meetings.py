"""The meeting pages: list, detail, create, edit, statement document and action items."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from disrupt.access.tests.matrix import MATRIX, rows
from disrupt.access.tests.scenario import Scenario, build_scenario
from disrupt.conftest import Cast
from disrupt.programme.choices import ActionStatus, MeetingKind
from disrupt.programme.models import ActionItem, Meeting

KINDS = {"meeting", "action_item"}
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def scenario(cast: Cast) -> Scenario:
    return build_scenario(cast)


def meeting_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": MeetingKind.DEBRIEF,
        "title": "7th period debrief",
        "starts_on": "2027-03-10",
        "ends_on": "2027-03-11",
        "date_precision": "day",
        "mode": "in_person",
        "city": "Bali",
        "host_country": "",
        "attending_countries": [],
    }
    data.update(changes)
    return data


def action_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"text": "Circulate the plans (updated)", "status": ActionStatus.IN_PROGRESS}
    data.update(changes)
    return data


def url_for(scenario: Scenario, kind: str, action: str) -> str:
    meeting = scenario.records["meeting"]
    if kind == "meeting":
        if action == "create":
            return reverse("programme:meeting_create")
        name = "programme:meeting_detail" if action == "view" else "programme:meeting_edit"
        return reverse(name, args=[meeting.pk])
    if action == "create":
        return reverse("programme:action_create", args=[meeting.pk])
    return reverse("programme:action_edit", args=[scenario.records["action_item"].pk])


@pytest.mark.parametrize(("kind", "action", "member", "allowed"), [r for r in rows() if r[0] in KINDS])
def test_meeting_pages_follow_the_table(
    client: Client, scenario: Scenario, kind: str, action: str, member: str, allowed: bool
) -> None:
    client.force_login(scenario.user(member))
    url = url_for(scenario, kind, action)
    visible = member in MATRIX.get((kind, "view"), MATRIX[("meeting", "view")])
    refused = 404 if not visible and action != "create" else 403
    assert client.get(url).status_code == (200 if allowed else refused)
    if action == "view":
        return
    meeting = scenario.records["meeting"]
    item = scenario.records["action_item"]
    assert isinstance(meeting, Meeting) and isinstance(item, ActionItem)
    if kind == "meeting" and action == "create":
        response = client.post(url, meeting_data())
        assert Meeting.objects.filter(title="7th period debrief").exists() is allowed
    elif kind == "meeting":
        response = client.post(url, meeting_data(title="Renamed workshop", kind=meeting.kind))
        meeting.refresh_from_db()
        assert (meeting.title == "Renamed workshop") is allowed
    elif action == "create":
        response = client.post(url, action_data(text="Share the contact list"))
        assert ActionItem.objects.filter(text="Share the contact list").exists() is allowed
    else:
        response = client.post(url, action_data())
        item.refresh_from_db()
        assert (item.status == ActionStatus.IN_PROGRESS) is allowed
    assert response.status_code == (302 if allowed else refused)


def test_the_owner_updates_only_the_status(client: Client, scenario: Scenario, cast: Cast) -> None:
    item = scenario.records["action_item"]
    assert isinstance(item, ActionItem)
    client.force_login(cast.focal_id)
    url = reverse("programme:action_edit", args=[item.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' in page and 'name="text"' not in page
    client.post(url, {"status": ActionStatus.DONE, "text": "Something else"})
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE and item.text == "Circulate the plans"


def test_the_list_filters_by_kind_year_and_period(client: Client, scenario: Scenario, cast: Cast) -> None:
    Meeting.objects.create(
        kind=MeetingKind.ROUNDTABLE, title="Regional Roundtable", starts_on=dt.date(2014, 9, 24)
    )
    client.force_login(cast.observer)
    url = reverse("programme:meeting_list")
    page = client.get(url).content.decode()
    assert "Regional Roundtable" in page and "planning workshop" in page
    page = client.get(url, {"kind": "roundtable", "year": 2014}).content.decode()
    assert "24 September 2014" in page and "planning workshop" not in page
    page = client.get(url, {"period": 7}).content.decode()
    assert "Regional Roundtable" not in page and "planning workshop" in page
    assert client.get(url, {"year": "nonsense", "period": "x"}).status_code == 200


def test_the_detail_shows_where_who_and_overdue_actions(
    client: Client, scenario: Scenario, cast: Cast
) -> None:
    meeting = scenario.records["meeting"]
    assert isinstance(meeting, Meeting)
    ActionItem.objects.create(meeting=meeting, text="Report back", due_on=dt.date(2020, 1, 1))
    client.force_login(cast.investigator_th)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Bangkok" in page and "20 August 2026" in page and "New Zealand" in page
    assert "Overdue" in page and "Circulate the plans" in page and "Indonesia" in page
    assert "Attach the document" not in page  # not an editor


def test_an_online_meeting_with_a_city_is_refused(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("programme:meeting_create"), meeting_data(mode="online", online_platform="Teams")
    )
    assert response.status_code == 200
    assert "An online meeting has no city." in response.context["form"].errors["city"]
    assert not Meeting.objects.filter(title="7th period debrief").exists()
    response = client.post(reverse("programme:meeting_create"), meeting_data(title=""))
    assert "title" in response.context["form"].errors


def statement_url(scenario: Scenario) -> str:
    return reverse("programme:meeting_statement", args=[scenario.records["meeting"].pk])


def test_a_real_pdf_is_accepted_and_downloaded_as_an_attachment(
    client: Client, scenario: Scenario, cast: Cast
) -> None:
    client.force_login(cast.secretariat)
    upload = SimpleUploadedFile("statement.exe", PDF_BYTES, content_type="application/octet-stream")
    response = client.post(statement_url(scenario), {"document": upload})
    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=scenario.records["meeting"].pk)
    assert meeting.statement_document.name.endswith(".pdf")

    client.force_login(cast.observer)
    response = client.get(statement_url(scenario))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]


def test_an_exe_renamed_pdf_is_refused(client: Client, scenario: Scenario, cast: Cast) -> None:
    client.force_login(cast.co_chair)
    upload = SimpleUploadedFile(
        "statement.pdf", b"MZ\x90\x00\x03\x00\x00\x00" * 64, content_type="application/pdf"
    )
    response = client.post(statement_url(scenario), {"document": upload})
    assert response.status_code == 200
    assert "not a PDF, Word, OpenDocument or plain text document" in response.content.decode()
    assert not Meeting.objects.get(pk=scenario.records["meeting"].pk).statement_document


def test_an_oversize_file_is_refused(client: Client, scenario: Scenario, cast: Cast, settings: Any) -> None:
    settings.MAX_UPLOAD_BYTES = 1024
    client.force_login(cast.secretariat)
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2048, content_type="application/pdf")
    response = client.post(statement_url(scenario), {"document": upload})
    assert "the largest accepted is" in response.content.decode()
    assert not Meeting.objects.get(pk=scenario.records["meeting"].pk).statement_document


def test_docx_odt_and_text_are_recognised_by_content(client: Client, scenario: Scenario, cast: Cast) -> None:
    def archive(entries: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zipped:
            for name, content in entries.items():
                zipped.writestr(name, content)
        return buffer.getvalue()

    docx = archive({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    odt = archive({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    other_zip = archive({"payload.bin": b"\x00"})
    client.force_login(cast.secretariat)
    for name, content, extension in (
        ("s.docx", docx, ".docx"),
        ("s.odt", odt, ".odt"),
        ("s.txt", "Co-chairs’ statement\n".encode(), ".txt"),
    ):
        assert (
            client.post(statement_url(scenario), {"document": SimpleUploadedFile(name, content)}).status_code
            == 302
        )
        assert Meeting.objects.get(pk=scenario.records["meeting"].pk).statement_document.name.endswith(
            extension
        )
    response = client.post(statement_url(scenario), {"document": SimpleUploadedFile("s.docx", other_zip)})
    assert response.status_code == 200 and "not a PDF" in response.content.decode()


def test_only_editors_upload_and_a_missing_document_is_not_found(
    client: Client, scenario: Scenario, cast: Cast
) -> None:
    client.force_login(cast.observer)
    assert client.get(statement_url(scenario)).status_code == 404
    upload = SimpleUploadedFile("statement.pdf", PDF_BYTES)
    assert client.post(statement_url(scenario), {"document": upload}).status_code == 403
    client.logout()
    assert client.get(statement_url(scenario)).status_code == 302
