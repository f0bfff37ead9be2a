"""The owner decides who reads a collection or an assessment: widening, narrowing, the code's
limits, the people told, the audit trail; a recipient and an outsider cannot change it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from disrupt.access import policy
from disrupt.access.choices import HandlingCode
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.directory.models import Agency, Country
from disrupt.intel.actions import do_create_collection, do_set_sharing
from disrupt.intel.models import Assessment, Collection
from disrupt.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection(cast: Cast) -> Collection:
    return do_create_collection(cast.investigator_id, name="Kupang boats", handling_code=HandlingCode.AMBER)


def _afp() -> Agency:
    return Agency.objects.get(short_name="AFP")


def test_the_owner_shares_with_an_agency_whose_officers_then_read_it_and_are_told(
    cast: Cast, collection: Collection
) -> None:
    assert not policy.can_view(cast.analyst_au, collection)
    do_set_sharing(cast.investigator_id, collection, handling_code=HandlingCode.AMBER, agencies=[_afp()])
    assert policy.can_view(cast.analyst_au, collection)
    assert not policy.can_view(cast.investigator_au_abf, collection)  # same country, other agency
    told = Notification.objects.filter(object_id=collection.pk, verb__startswith="shared a collection")
    assert set(told.values_list("recipient__email", flat=True)) == {
        cast.analyst_au.email,
        cast.focal_au.email,
    }
    entry = AuditEntry.objects.get(action=AuditAction.SHARING_WIDENED, target_id=str(collection.pk))
    assert entry.detail["agencies_added"] == [str(_afp())]


def test_narrowing_to_red_takes_it_away_from_the_agency(cast: Cast, collection: Collection) -> None:
    do_set_sharing(cast.investigator_id, collection, handling_code=HandlingCode.AMBER, agencies=[_afp()])
    do_set_sharing(cast.investigator_id, collection, handling_code=HandlingCode.RED, people=[cast.analyst_au])
    assert policy.can_view(cast.analyst_au, collection)  # named
    assert not policy.can_view(cast.focal_au, collection)  # the agency no longer
    assert not policy.can_view(cast.focal_id, collection)  # nor the owner's own focal point, at RED
    assert AuditEntry.objects.filter(
        action=AuditAction.SHARING_CHANGED, target_id=str(collection.pk)
    ).exists()


def test_the_code_limits_the_sharing_and_a_refusal_changes_nothing(
    cast: Cast, collection: Collection
) -> None:
    malaysia = Country.objects.get(code="MY")
    with pytest.raises(ValidationError, match="named agencies only"):
        do_set_sharing(
            cast.investigator_id, collection, handling_code=HandlingCode.AMBER_STRICT, countries=[malaysia]
        )
    collection.refresh_from_db()
    assert collection.handling_code == HandlingCode.AMBER
    assert not collection.shared_countries.exists()


def test_a_recipient_cannot_pass_it_on(cast: Cast, collection: Collection) -> None:
    do_set_sharing(cast.investigator_id, collection, handling_code=HandlingCode.AMBER, agencies=[_afp()])
    thai = Agency.objects.get(short_name="RTP")
    with pytest.raises(PermissionDenied):
        do_set_sharing(cast.analyst_au, collection, handling_code=HandlingCode.AMBER, agencies=[_afp(), thai])
    assert not policy.can_view(cast.investigator_th, collection)


def test_the_page_is_the_owners_a_recipient_gets_403_an_outsider_404(
    client: Client, cast: Cast, collection: Collection
) -> None:
    do_set_sharing(cast.investigator_id, collection, handling_code=HandlingCode.AMBER, agencies=[_afp()])
    url = reverse("intel:collection_sharing", args=[collection.pk])
    client.force_login(cast.investigator_th)
    assert client.get(url).status_code == 404
    client.force_login(cast.analyst_au)
    assert client.get(url).status_code == 403
    assert client.post(url, {"handling_code": HandlingCode.GREEN}).status_code == 403
    client.force_login(cast.focal_id)  # the owning agency's focal point decides too
    response = client.post(
        url, {"handling_code": HandlingCode.AMBER_STRICT, "countries": [Country.objects.get(code="TH").pk]}
    )
    assert response.status_code == 200
    assert "named agencies only" in response.content.decode()
    response = client.post(url, {"handling_code": HandlingCode.GREEN})
    assert response.status_code == 302
    collection.refresh_from_db()
    assert collection.handling_code == HandlingCode.GREEN
    assert policy.can_view(cast.investigator_th, collection)


def test_an_assessment_is_shared_the_same_way(client: Client, cast: Cast) -> None:
    assessment = Assessment.objects.create(
        title="Kupang syndicate", owner_agency=cast.investigator_id.agency, created_by=cast.investigator_id
    )
    url = reverse("intel:assessment_sharing", args=[assessment.pk])
    client.force_login(cast.investigator_id)
    page = client.get(url).content.decode()
    assert "Who can read Kupang syndicate" in page
    assert client.post(url, {"handling_code": HandlingCode.AMBER, "agencies": [_afp().pk]}).status_code == 302
    assert policy.can_view(cast.analyst_au, assessment)
    assert not policy.can_view(cast.investigator_th, assessment)


def test_the_api_sets_the_sharing_for_the_owner_only(
    client: Client, cast: Cast, collection: Collection
) -> None:
    from disrupt.intel.tests.test_api_schema import conforms

    url = reverse("api:collection-sharing", args=[collection.pk])
    body = {"handling_code": HandlingCode.AMBER, "agencies": [_afp().pk], "countries": ["MY"]}
    client.force_login(cast.investigator_th)
    assert client.post(url, body, content_type="application/json").status_code == 404
    client.force_login(cast.investigator_id)
    response = client.post(url, body, content_type="application/json")
    conforms(response)
    assert response.status_code == 200, response.content
    assert response.json()["countries"] == ["MY"]
    assert policy.can_view(cast.analyst_au, collection)
    client.force_login(cast.analyst_au)  # now a reader, never the owner
    response = client.post(url, {"handling_code": HandlingCode.GREEN}, content_type="application/json")
    conforms(response)
    assert response.status_code == 403
    client.force_login(cast.investigator_id)
    refused = client.post(
        url, {"handling_code": HandlingCode.RED, "agencies": [_afp().pk]}, content_type="application/json"
    )
    conforms(refused)
    assert refused.status_code == 400
    collection.refresh_from_db()
    assert collection.handling_code == HandlingCode.AMBER


def test_named_people_are_given_by_address_and_an_unknown_one_is_refused(
    client: Client, cast: Cast, collection: Collection
) -> None:
    url = reverse("intel:collection_sharing", args=[collection.pk])
    client.force_login(cast.investigator_id)
    page = client.get(url).content.decode()
    assert cast.investigator_th.email not in page  # the form lists nobody
    refused = client.post(url, {"handling_code": HandlingCode.RED, "people": "nobody@nowhere.test"})
    assert "No officer of an agency has the address nobody@nowhere.test" in refused.content.decode()
    observer = client.post(url, {"handling_code": HandlingCode.RED, "people": cast.observer.email})
    assert "No officer of an agency" in observer.content.decode()  # observers read no RED
    collection.refresh_from_db()
    assert collection.handling_code == HandlingCode.AMBER
    saved = client.post(
        url, {"handling_code": HandlingCode.RED, "people": f"{cast.analyst_au.email.upper()}\n"}
    )
    assert saved.status_code == 302
    assert list(collection.named_people.all()) == [cast.analyst_au]
    assert cast.analyst_au.email in client.get(url).content.decode()  # shown back as it was given
