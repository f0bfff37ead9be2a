"""The trail page and its CSV export, per role."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disrupt.access.tests.matrix import EVERYONE
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.audit.recorder import record
from disrupt.conftest import Cast
from disrupt.directory.models import User
from disrupt.programme.choices import MeetingKind
from disrupt.programme.models import Meeting

pytestmark = pytest.mark.django_db
TRAIL = reverse("audit:trail")
EXPORT = reverse("audit:export")


@pytest.fixture
def entries(cast: Cast) -> dict[str, AuditEntry]:
    return {
        "indonesian": record(AuditAction.DOWNLOAD, actor=cast.investigator_au_abf, target=cast.plan_amber),
        "thai": record(AuditAction.LOGIN, actor=cast.investigator_th, target=cast.investigator_th),
        "no_country": record(AuditAction.EXPORT, actor=cast.secretariat),
    }


def test_the_secretariat_sees_the_whole_trail(client: Client, cast: Cast, entries: Any) -> None:
    client.force_login(cast.secretariat)
    response = client.get(TRAIL)
    assert response.status_code == 200
    shown = {entry.pk for entry in response.context["entries"]}
    assert {e.pk for e in entries.values()} <= shown
    page = response.content.decode()
    assert "<h1>Audit trail</h1>" in page and "inv@rtp.test" in page


def test_the_trail_filters_by_action_actor_and_dates(client: Client, cast: Cast, entries: Any) -> None:
    client.force_login(cast.secretariat)
    shown = client.get(TRAIL, {"action": "download", "actor": "ABF.test"}).context["entries"]
    assert [e.pk for e in shown] == [entries["indonesian"].pk]
    today = entries["thai"].at.date().isoformat()
    assert client.get(TRAIL, {"since": today, "until": today}).context["entries"]
    assert not client.get(TRAIL, {"until": "2000-01-01"}).context["entries"]
    response = client.get(TRAIL, {"since": "not a date", "action": "nonsense", "page": "x"})
    assert response.status_code == 200 and "since" in response.context["filter"].form.errors


def test_a_focal_point_sees_who_touched_their_countrys_records_only(
    client: Client, cast: Cast, entries: Any
) -> None:
    client.force_login(cast.focal_id)
    response = client.get(TRAIL)
    assert response.status_code == 200
    shown = list(response.context["entries"])
    assert entries["indonesian"] in shown
    assert entries["thai"] not in shown and entries["no_country"] not in shown
    assert all(entry.country_id == cast.focal_id.country_id for entry in shown)
    assert "inv@abf.test" in response.content.decode()


# Who reaches the trail: the secretariat (all of it) and the focal points (their country's part).
READERS = frozenset({"secretariat", "focal_id", "focal_au"})


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_who_reaches_the_trail_and_its_export(client: Client, cast: Cast, who: str) -> None:
    client.force_login(getattr(cast, who))
    expected = 200 if who in READERS else 403
    assert client.get(TRAIL).status_code == expected
    assert client.get(EXPORT).status_code == expected


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    for url in (TRAIL, EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def _csv(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_the_csv_export_holds_the_filtered_entries_and_is_itself_recorded(
    client: Client, cast: Cast, entries: Any
) -> None:
    client.force_login(cast.secretariat)
    response = client.get(EXPORT, {"action": "download"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    rows = _csv(response)
    assert rows[0][:4] == ["sequence", "at (UTC)", "actor", "action"]
    assert [row[0] for row in rows[1:]] == [str(entries["indonesian"].sequence)]
    assert rows[1][2] == "inv@abf.test" and rows[1][7] == "ID" and rows[1][-1] == entries["indonesian"].hash
    export = AuditEntry.objects.filter(action=AuditAction.EXPORT).order_by("-sequence").first()
    assert export is not None and export.actor == cast.secretariat
    assert export.detail == {"of": "audit trail", "filters": {"action": "download"}}


def test_a_focal_points_export_holds_only_their_countrys_entries(
    client: Client, cast: Cast, entries: Any
) -> None:
    client.force_login(cast.focal_id)
    rows = _csv(client.get(EXPORT))
    assert rows[1:] and {row[7] for row in rows[1:]} == {"ID"}
    assert str(entries["thai"].sequence) not in {row[0] for row in rows[1:]}


def test_a_formula_in_a_label_is_defused_in_the_csv(client: Client, cast: Cast) -> None:
    meeting = Meeting.objects.create(kind=MeetingKind.PLANNING, title='=HYPERLINK("x")', city="Bali")
    record(AuditAction.READ, actor=cast.secretariat, target=meeting)
    client.force_login(cast.secretariat)
    rows = _csv(client.get(EXPORT, {"action": "read"}))
    assert rows[1][6] == '\'=HYPERLINK("x")'


def test_the_admin_lists_entries_but_cannot_add_change_or_delete(client: Client, cast: Cast) -> None:
    admin = User.objects.create_superuser("root@rso.test", "x", full_name="Root")
    client.force_login(admin)
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    entry = AuditEntry.objects.order_by("sequence").first()
    assert entry is not None
    response = client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"actor_label": "x"})
    assert response.status_code == 403 or AuditEntry.objects.get(pk=entry.pk).actor_label != "x"
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403


def test_the_trail_costs_the_same_queries_whatever_the_number_of_entries(
    client: Client, cast: Cast, entries: Any
) -> None:
    client.force_login(cast.secretariat)
    with CaptureQueriesContext(connection) as few:
        client.get(TRAIL)
    for _ in range(30):
        record(AuditAction.DOWNLOAD, actor=cast.observer, target=cast.plan)
    with CaptureQueriesContext(connection) as more:
        client.get(TRAIL)
    assert len(more) == len(few)
