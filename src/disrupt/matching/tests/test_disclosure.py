"""From a hit to a disclosed copy: the request, the owner's decision, the deadline, the trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from disrupt.access.policy import visible_to
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.exchange.queries import enquiries_sent
from disrupt.matching import actions
from disrupt.matching.choices import DisclosureStatus, SelectorKind
from disrupt.matching.models import Disclosure, DisclosureRequest, Hit
from disrupt.matching.tests.scenario import World
from disrupt.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _told(user: Any, record: Model) -> QuerySet[Notification]:
    """The user's notifications about exactly this record: an id alone also matches a hit's."""
    content_type = ContentType.objects.get_for_model(record)
    return Notification.objects.filter(recipient=user, content_type=content_type, object_id=record.pk)


def _person_hit() -> Hit:
    return Hit.objects.get(kind=SelectorKind.PERSON)


def _ask(world: World) -> DisclosureRequest:
    return actions.do_request_disclosure(
        world.cast.investigator_id, _person_hit(), "Same man as our Kupang skipper?", plan=world.cast.plan
    )


def test_the_request_goes_to_the_owner_and_counts_as_an_enquiry(world: World) -> None:
    cast = world.cast
    before = enquiries_sent(cast.investigator_id.country, cast.period)
    request = _ask(world)
    assert request.reference.startswith(f"DSC-{timezone.now().year}-")
    assert request.owner_agency == cast.analyst_au.agency
    assert request.subject.ref == "afp-boedi"
    assert request.due_at - request.requested_at == dt.timedelta(hours=48)
    assert _told(cast.analyst_au, request).exists()
    assert AuditEntry.objects.filter(action=AuditAction.DISCLOSURE_REQUESTED).exists()
    assert enquiries_sent(cast.investigator_id.country, cast.period) == before + 1


def test_nobody_off_the_hit_may_ask(world: World) -> None:
    for user in (world.cast.investigator_th, world.cast.secretariat, world.cast.investigator_au_abf):
        with pytest.raises(Http404):
            actions.do_request_disclosure(user, _person_hit(), "curious")


def test_a_purpose_is_required_and_one_open_request_per_agency(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.do_request_disclosure(world.cast.investigator_id, _person_hit(), "  ")
    assert "purpose" in error.value.message_dict
    _ask(world)
    with pytest.raises(ValidationError):
        _ask(world)


def test_the_owner_grants_two_properties_and_the_requester_sees_exactly_those(world: World) -> None:
    cast = world.cast
    request = _ask(world)
    decided = actions.do_decide_disclosure(
        cast.analyst_au, request, grant="some", properties=["name", "birthDate"], reason="Enough to confirm."
    )
    assert decided.status == DisclosureStatus.PARTIAL
    copy = Disclosure.objects.get(request=request)
    assert copy.properties == {"name": ["Boedi Santosa"], "birthDate": ["1984"]}
    assert copy.handling_code == world.afp.handling_code
    assert copy.owner_agency == cast.analyst_au.agency
    assert copy.source_ref == "afp-boedi" and copy.source_version == 1
    assert visible_to(cast.investigator_id, Disclosure.objects.all()).get() == copy
    # The requester's agency reads it, nobody else outside the owner does; the entity stays closed.
    assert not visible_to(cast.investigator_th, Disclosure.objects.all()).exists()
    assert not visible_to(cast.investigator_au_abf, Disclosure.objects.all()).exists()
    assert AuditEntry.objects.filter(action=AuditAction.DISCLOSURE).exists()
    assert _told(cast.investigator_id, copy).exists()


def test_granting_everything_is_a_full_grant(world: World) -> None:
    request = _ask(world)
    actions.do_decide_disclosure(world.cast.analyst_au, request, grant="all")
    request.refresh_from_db()
    assert request.status == DisclosureStatus.GRANTED
    assert Disclosure.objects.get(request=request).properties == world.entity("afp-boedi").properties


def test_a_refusal_needs_a_reason_and_discloses_nothing(world: World) -> None:
    request = _ask(world)
    with pytest.raises(ValidationError) as error:
        actions.do_decide_disclosure(world.cast.analyst_au, request, grant="none")
    assert "reason" in error.value.message_dict
    actions.do_decide_disclosure(world.cast.analyst_au, request, grant="none", reason="Live operation.")
    request.refresh_from_db()
    assert request.status == DisclosureStatus.REFUSED and request.reason == "Live operation."
    assert not Disclosure.objects.exists()


def test_the_requester_cannot_decide_and_unknown_properties_are_refused(world: World) -> None:
    request = _ask(world)
    with pytest.raises(PermissionDenied):
        actions.do_decide_disclosure(world.cast.investigator_id, request, grant="all")
    with pytest.raises(ValidationError) as error:
        actions.do_decide_disclosure(
            world.cast.analyst_au, request, grant="some", properties=["passportNumber"]
        )
    assert "properties" in error.value.message_dict
    with pytest.raises(Http404):
        actions.do_decide_disclosure(world.cast.investigator_th, request, grant="all")


def test_an_overdue_request_goes_to_the_owners_focal_point_once(world: World) -> None:
    cast = world.cast
    request = _ask(world)
    later = request.due_at + dt.timedelta(minutes=1)
    assert actions.escalate_overdue(now=request.due_at - dt.timedelta(minutes=1)) == 0
    assert actions.escalate_overdue(now=later) == 1
    assert actions.escalate_overdue(now=later) == 0
    request.refresh_from_db()
    assert list(request.escalated_to.all()) == [cast.focal_au]
    assert _told(cast.focal_au, request).count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.DISCLOSURE_ESCALATED).exists()
    actions.do_decide_disclosure(cast.focal_au, request, grant="some", properties=["name"])


def test_the_requester_may_withdraw(world: World) -> None:
    request = _ask(world)
    with pytest.raises(PermissionDenied):
        actions.do_withdraw_disclosure(world.cast.analyst_au, request)
    actions.do_withdraw_disclosure(world.cast.investigator_id, request, "Identified otherwise.")
    request.refresh_from_db()
    assert request.status == DisclosureStatus.WITHDRAWN
    with pytest.raises(PermissionDenied):
        actions.do_decide_disclosure(world.cast.analyst_au, request, grant="all")


def test_the_copy_outlives_the_source_entity(world: World) -> None:
    from disrupt.intel import actions as intel_actions

    request = _ask(world)
    actions.do_decide_disclosure(world.cast.analyst_au, request, grant="some", properties=["name"])
    intel_actions.do_delete_entity(world.cast.analyst_au, world.entity("afp-boedi"), reason="merged")
    copy = Disclosure.objects.get()
    assert copy.reference == request.reference and copy.properties == {"name": ["Boedi Santosa"]}
