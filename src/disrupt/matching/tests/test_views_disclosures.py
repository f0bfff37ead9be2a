"""Disclosure pages: the owner decides (all, chosen properties with their values, or a refusal
with a reason), the requester sees exactly what was granted, with provenance, and withdraws an
open request; overdue requests come first and are marked; outsiders get 404 everywhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from disrupt.access.choices import HandlingCode
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.matching import actions
from disrupt.matching.choices import DisclosureStatus, SelectorKind
from disrupt.matching.models import Disclosure, DisclosureRequest, Hit
from disrupt.matching.tests.scenario import World

pytestmark = pytest.mark.django_db

REQUESTS = reverse("matching:request_list")


def _hit(kind: str) -> Hit:
    return Hit.objects.get(kind=kind)


@pytest.fixture
def asked(world: World) -> DisclosureRequest:
    """Australia asks Indonesia for the man both hold (Indonesia's record: name, birth, nationality)."""
    hit = _hit(SelectorKind.PERSON)
    return actions.do_request_disclosure(world.cast.analyst_au, hit, "He is on a visa file in Darwin.")


def _decide_url(request: DisclosureRequest) -> str:
    return reverse("matching:request_detail", args=[request.pk])


def test_the_owner_sees_the_request_to_decide_and_the_requester_theirs(
    client: Client, world: World, asked: DisclosureRequest
) -> None:
    client.force_login(world.cast.investigator_id)
    page = client.get(REQUESTS).content.decode()
    assert asked.reference in page and "Australian Federal Police" in page and "1 open" in page
    client.force_login(world.cast.analyst_au)
    page = client.get(REQUESTS).content.decode()
    assert asked.reference in page and "Asked by your agency" in page


def test_the_decision_form_shows_the_owner_its_values_and_the_requester_none(
    client: Client, world: World, asked: DisclosureRequest
) -> None:
    client.force_login(world.cast.investigator_id)
    page = client.get(_decide_url(asked)).content.decode()
    assert "Your decision" in page
    assert "Budi Santoso" in page and "1984-05-02" in page and "Nationality" in page
    assert "He is on a visa file in Darwin." in page
    client.force_login(world.cast.analyst_au)
    page = client.get(_decide_url(asked)).content.decode()
    assert "Your decision" not in page and "Withdraw" in page
    assert "Budi Santoso" not in page and "1984" not in page and "Nationality" not in page


def test_the_owner_grants_two_properties_and_the_requester_sees_exactly_those(
    client: Client, world: World, asked: DisclosureRequest
) -> None:
    client.force_login(world.cast.investigator_id)
    response = client.post(
        _decide_url(asked),
        {"grant": "some", "properties": ["name", "birthDate"], "reason": "Nationality withheld."},
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == DisclosureStatus.PARTIAL
    assert sorted(asked.granted_properties) == ["birthDate", "name"]
    copy = Disclosure.objects.get()

    client.force_login(world.cast.analyst_au)
    page = client.get(_decide_url(asked)).content.decode()
    assert copy.get_absolute_url() in page and "Nationality withheld." in page
    page = client.get(copy.get_absolute_url()).content.decode()
    disclosed = page.split('id="properties-heading"')[1].split('id="provenance-heading"')[0]
    assert "Budi Santoso" in disclosed and "1984-05-02" in disclosed
    assert "Nationality" not in disclosed and "2 properties" in disclosed
    assert "Indonesian National Police" in page and "(Indonesia)" in page
    assert "inp-budi" in page and "version 1" in page and asked.reference in page
    assert "Iwan Investigator" in page and "TLP:AMBER" in page
    reads = AuditEntry.objects.filter(action=AuditAction.READ, actor=world.cast.analyst_au)
    assert reads.filter(detail__reference=asked.reference).exists()


def test_outsiders_get_404_for_the_request_and_the_copy(
    client: Client, world: World, asked: DisclosureRequest
) -> None:
    actions.do_decide_disclosure(world.cast.investigator_id, asked, grant="all")
    copy = Disclosure.objects.get()
    for who in ("investigator_th", "secretariat", "observer", "investigator_au_abf"):
        client.force_login(getattr(world.cast, who))
        assert client.get(_decide_url(asked)).status_code == 404, who
        assert client.get(copy.get_absolute_url()).status_code == 404, who
        assert client.post(reverse("matching:request_withdraw", args=[asked.pk])).status_code == 404, who
        assert asked.reference not in client.get(REQUESTS).content.decode(), who


def test_the_requester_cannot_decide(client: Client, world: World, asked: DisclosureRequest) -> None:
    client.force_login(world.cast.analyst_au)
    response = client.post(_decide_url(asked), {"grant": "all"})
    assert response.status_code == 403
    asked.refresh_from_db()
    assert asked.status == DisclosureStatus.PENDING and not Disclosure.objects.exists()


def test_a_refusal_needs_a_reason_next_to_its_field(
    client: Client, world: World, asked: DisclosureRequest
) -> None:
    client.force_login(world.cast.investigator_id)
    response = client.post(_decide_url(asked), {"grant": "none", "reason": " "})
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    response = client.post(_decide_url(asked), {"grant": "some"})
    assert response.status_code == 400 and "Choose at least one property" in response.content.decode()
    response = client.post(_decide_url(asked), {"grant": "some", "properties": ["nosuch"]})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == DisclosureStatus.PENDING
    response = client.post(_decide_url(asked), {"grant": "none", "reason": "An open investigation."})
    assert response.status_code == 302
    client.force_login(world.cast.analyst_au)
    page = client.get(_decide_url(asked)).content.decode()
    assert "Refused" in page and "An open investigation." in page


def test_a_stricter_code_goes_with_the_copy(client: Client, world: World, asked: DisclosureRequest) -> None:
    client.force_login(world.cast.investigator_id)
    response = client.post(_decide_url(asked), {"grant": "all", "handling_code": HandlingCode.AMBER_STRICT})
    assert response.status_code == 302
    assert Disclosure.objects.get().handling_code == HandlingCode.AMBER_STRICT
    # Decided: there is nothing left to decide.
    assert "Your decision" not in client.get(_decide_url(asked)).content.decode()


def test_a_looser_code_than_the_records_is_refused(
    client: Client, world: World, asked: DisclosureRequest
) -> None:
    client.force_login(world.cast.investigator_id)
    response = client.post(_decide_url(asked), {"grant": "all", "handling_code": HandlingCode.GREEN})
    assert response.status_code == 400 and 'id="id_handling_code_error"' in response.content.decode()
    assert not Disclosure.objects.exists()


def test_the_requester_withdraws_an_open_request(
    client: Client, world: World, asked: DisclosureRequest
) -> None:
    client.force_login(world.cast.analyst_au)
    response = client.post(
        reverse("matching:request_withdraw", args=[asked.pk]), {"reason": "Found elsewhere"}
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == DisclosureStatus.WITHDRAWN
    # Withdrawn is final; the owner has nothing left to decide.
    assert client.post(reverse("matching:request_withdraw", args=[asked.pk])).status_code == 403
    client.force_login(world.cast.investigator_id)
    page = client.get(_decide_url(asked)).content.decode()
    assert "Withdrawn" in page and "Your decision" not in page
    assert client.post(reverse("matching:request_withdraw", args=[asked.pk])).status_code == 403


def test_overdue_requests_come_first_and_are_marked(client: Client, world: World) -> None:
    cast = world.cast
    fresh = actions.do_request_disclosure(cast.analyst_au, _hit(SelectorKind.PASSPORT), "Recent")
    late = actions.do_request_disclosure(cast.analyst_au, _hit(SelectorKind.PHONE), "Older")
    DisclosureRequest.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=3))
    client.force_login(cast.investigator_id)
    page = client.get(REQUESTS).content.decode()
    to_decide = page.split('id="incoming-heading"')[1].split('id="outgoing-heading"')[0]
    assert to_decide.index(late.reference) < to_decide.index(fresh.reference)
    assert 'class="matching-overdue"' in to_decide and "Overdue" in to_decide
    assert "Overdue since" in client.get(_decide_url(late)).content.decode()


def test_bad_ids_and_posts_never_end_in_a_server_error(
    client: Client, world: World, asked: DisclosureRequest
) -> None:
    client.force_login(world.cast.investigator_id)
    assert client.get("/matching/requests/999999/").status_code == 404
    assert client.get("/matching/disclosures/999999/").status_code == 404
    assert client.get(reverse("matching:request_withdraw", args=[asked.pk])).status_code == 405
    for data in (
        {},
        {"grant": "\x00"},
        {"grant": "some", "properties": "\x00"},
        {"grant": "all", "handling_code": "x"},
    ):
        assert client.post(_decide_url(asked), data).status_code == 400, data
