"""A recipient cannot pass an enquiry on: it asks the owner to widen the sharing, and the owner decides."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from disrupt.access import policy
from disrupt.access.choices import HandlingCode, SharingRequestStatus
from disrupt.access.models import SharingRequest
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.exchange.actions import do_decide_widening, do_request_widening, do_send_enquiry
from disrupt.exchange.models import Enquiry
from disrupt.exchange.tests.conftest import agency

pytestmark = pytest.mark.django_db


def test_the_owner_grants_and_the_new_agency_reads_but_may_not_reply(
    cast: Cast, strict_enquiry: Enquiry
) -> None:
    assert not policy.can_view(cast.investigator_au_abf, strict_enquiry)
    request = do_request_widening(
        cast.analyst_au, strict_enquiry, agencies=[agency("ABF")], reason="ABF holds the crew manifests."
    )
    assert request.status == SharingRequestStatus.PENDING
    assert not policy.can_view(cast.investigator_au_abf, strict_enquiry)  # asking changes nothing

    do_decide_widening(cast.investigator_id, request, grant=True, comment="Agreed.")
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (SharingRequestStatus.GRANTED, cast.investigator_id)
    assert policy.can_view(cast.investigator_au_abf, strict_enquiry)
    assert not policy.can_reply_enquiry(cast.investigator_au_abf, strict_enquiry)
    assert not policy.can_view(cast.investigator_th, strict_enquiry)
    entry = AuditEntry.objects.get(action=AuditAction.SHARING_WIDENED)
    assert entry.actor == cast.investigator_id and entry.detail["agencies"] == ["ABF"]


def test_a_refusal_shares_nothing(cast: Cast, strict_enquiry: Enquiry) -> None:
    request = do_request_widening(
        cast.analyst_au, strict_enquiry, agencies=[agency("ABF")], reason="Manifests."
    )
    do_decide_widening(cast.focal_id, request, grant=False, comment="Not at this stage.")
    assert not policy.can_view(cast.investigator_au_abf, strict_enquiry)
    assert not AuditEntry.objects.filter(action=AuditAction.SHARING_WIDENED).exists()


def test_only_the_owning_agency_decides(cast: Cast, strict_enquiry: Enquiry) -> None:
    request = do_request_widening(
        cast.analyst_au, strict_enquiry, agencies=[agency("ABF")], reason="Manifests."
    )
    for who in (cast.analyst_au, cast.focal_au, cast.co_chair):
        with pytest.raises(PermissionDenied):
            do_decide_widening(who, request, grant=True)
    assert not policy.can_view(cast.investigator_au_abf, strict_enquiry)


def test_amber_strict_goes_to_agencies_never_countries(cast: Cast, strict_enquiry: Enquiry) -> None:
    thailand = Country.objects.get(code="TH")
    with pytest.raises(ValidationError, match="agencies, not countries"):
        do_request_widening(cast.analyst_au, strict_enquiry, countries=[thailand], reason="Transit country.")
    assert not SharingRequest.objects.exists()


def test_at_amber_a_country_can_be_added(cast: Cast) -> None:
    enquiry = do_send_enquiry(
        cast.investigator_id,
        recipients=[agency("AFP")],
        subject="s",
        body="b",
        handling_code=HandlingCode.AMBER,
    )
    thailand = Country.objects.get(code="TH")
    request = do_request_widening(cast.analyst_au, enquiry, countries=[thailand], reason="Transit country.")
    do_decide_widening(cast.investigator_id, request, grant=True)
    assert policy.can_view(cast.investigator_th, enquiry)


def test_who_may_not_ask(cast: Cast, strict_enquiry: Enquiry) -> None:
    with pytest.raises(PermissionDenied):  # the owner shares directly; it does not ask itself
        do_request_widening(cast.investigator_id, strict_enquiry, agencies=[agency("ABF")], reason="x")
    with pytest.raises(PermissionDenied):  # an outsider does not know it exists
        do_request_widening(cast.investigator_th, strict_enquiry, agencies=[agency("RTP")], reason="x")
    with pytest.raises(ValidationError, match="not already shared"):
        do_request_widening(cast.analyst_au, strict_enquiry, agencies=[agency("INZ")], reason="x")


def test_the_pages_ask_and_decide(client: Client, cast: Cast, strict_enquiry: Enquiry) -> None:
    client.force_login(cast.analyst_au)
    page = client.get(strict_enquiry.get_absolute_url()).content.decode()
    assert "Ask the sender to share more widely" in page
    assert "Nobody else, not even other agencies of the same countries." in page
    response = client.post(
        reverse("exchange:sharing_request_create", args=[strict_enquiry.pk]),
        {"agencies": [agency("ABF").pk], "reason": "ABF holds the crew manifests."},
    )
    assert response.status_code == 302
    request = SharingRequest.objects.get()

    client.force_login(cast.investigator_au_abf)  # not yet a reader
    decide = reverse("exchange:sharing_request_decide", args=[request.pk])
    assert client.post(decide, {"decision": "grant"}).status_code == 404

    client.force_login(cast.investigator_id)
    page = client.get(strict_enquiry.get_absolute_url()).content.decode()
    assert "ABF holds the crew manifests." in page
    assert client.post(decide, {"decision": "grant", "comment": ""}).status_code == 302
    client.force_login(cast.investigator_au_abf)
    assert client.get(strict_enquiry.get_absolute_url()).status_code == 200
