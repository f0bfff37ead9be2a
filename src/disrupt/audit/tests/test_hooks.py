"""What is recorded without anyone calling record(): sign-ins, failures, roles, flags, downloads."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.audit.verify import verify_chain
from disrupt.conftest import PASSWORD, Cast
from disrupt.directory.choices import RoleCode
from disrupt.directory.models import Role
from disrupt.programme.choices import MeetingKind
from disrupt.programme.models import Meeting

pytestmark = pytest.mark.django_db


def last(action: str) -> AuditEntry:
    entry = AuditEntry.objects.filter(action=action).order_by("-sequence").first()
    assert entry is not None, f"no {action} entry"
    return entry


def test_a_sign_in_through_the_form_and_a_sign_out_are_recorded(client: Client, cast: Cast) -> None:
    response = client.post("/login/", {"username": cast.observer.email, "password": PASSWORD})
    assert response.status_code == 302
    entry = last(AuditAction.LOGIN)
    assert entry.actor == cast.observer and entry.actor_label == "obs@iom.test"
    assert entry.ip_address == "127.0.0.1" and entry.target_id == str(cast.observer.pk)
    client.post("/logout/")
    assert last(AuditAction.LOGOUT).actor == cast.observer


def test_a_failed_sign_in_keeps_the_address_tried_and_never_the_password(client: Client, cast: Cast) -> None:
    response = client.post("/login/", {"username": cast.focal_id.email, "password": "wrong guess 123"})
    assert response.status_code == 200
    entry = last(AuditAction.LOGIN_FAILED)
    assert entry.detail == {"email": "focal@inp.test"}
    assert entry.actor is None and entry.actor_label == ""
    assert entry.country_id == cast.focal_id.country_id  # Indonesia's focal points see it
    assert "wrong guess" not in entry.canonical()

    client.post("/login/", {"username": "nobody@nowhere.test", "password": "x"})
    unknown = last(AuditAction.LOGIN_FAILED)
    assert unknown.detail == {"email": "nobody@nowhere.test"} and unknown.target_id == ""
    assert verify_chain().ok


def test_role_changes_are_recorded_with_who_made_them(cast: Cast) -> None:
    user = cast.investigator_id
    user.roles.add(Role.objects.get(code=RoleCode.ANALYST))
    added = last(AuditAction.ROLE_CHANGED)
    assert added.detail == {"added": ["analyst"]} and added.target_id == str(user.pk)
    user.roles.remove(Role.objects.get(code=RoleCode.INVESTIGATOR))
    assert last(AuditAction.ROLE_CHANGED).detail == {"removed": ["investigator"]}
    user.roles.clear()
    assert last(AuditAction.ROLE_CHANGED).detail == {"removed": ["analyst"]}


def test_roles_and_deactivation_on_the_account_page_name_the_person_who_made_them(
    client: Client, cast: Cast
) -> None:
    target = cast.investigator_id
    client.force_login(cast.focal_id)
    roles = list(Role.objects.filter(code__in=["investigator", "analyst"]).values_list("pk", flat=True))
    data = {"email": target.email, "full_name": target.full_name, "agency": target.agency_id, "roles": roles}
    response = client.post(reverse("directory:user_edit", args=[target.pk]), data)  # is_active unticked
    assert response.status_code == 302
    role_entry = last(AuditAction.ROLE_CHANGED)
    assert role_entry.actor == cast.focal_id and role_entry.ip_address == "127.0.0.1"
    assert "analyst" in str(role_entry.detail) and role_entry.target_id == str(target.pk)
    flags = last(AuditAction.PERMISSION_CHANGED)
    assert flags.actor == cast.focal_id and flags.detail == {"is_active": [True, False]}
    assert verify_chain().ok


def test_account_flags_are_recorded_but_a_sign_in_costs_no_entry_of_its_own(cast: Cast) -> None:
    user = cast.investigator_th
    user.is_active = False
    user.save()
    entry = last(AuditAction.PERMISSION_CHANGED)
    assert entry.detail == {"is_active": [True, False]} and entry.target_id == str(user.pk)
    before = AuditEntry.objects.count()
    user.save(update_fields=["last_login"])
    user.full_name = "Tida Renamed"
    user.save()
    assert AuditEntry.objects.count() == before


def test_a_new_account_is_recorded(cast: Cast) -> None:
    entry = last(AuditAction.ACCOUNT_CREATED)
    assert entry.target_label  # the cast's last account
    assert AuditEntry.objects.filter(action=AuditAction.ACCOUNT_CREATED).count() >= len(cast.everyone)


def test_downloading_a_meeting_statement_is_recorded(
    client: Client, cast: Cast, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting = Meeting.objects.create(kind=MeetingKind.PLANNING, title="Planning workshop", city="Bali")
    meeting.statement_document.save("statement.txt", ContentFile(b"Agreed."), save=True)
    client.force_login(cast.investigator_th)
    response = client.get(reverse("programme:meeting_statement", args=[meeting.pk]))
    assert response.status_code == 200
    entry = last(AuditAction.DOWNLOAD)
    assert entry.actor == cast.investigator_th and entry.target_id == str(meeting.pk)
    assert entry.detail == {"document": "statement"}

    empty = Meeting.objects.create(kind=MeetingKind.PLANNING, title="No document yet", city="Bali")
    response = client.get(reverse("programme:meeting_statement", args=[empty.pk]))
    assert response.status_code == 404
    assert last(AuditAction.DOWNLOAD).target_id == str(meeting.pk)  # nothing recorded for a 404
