"""Adding, editing and deleting entities: checked by FtM, every earlier state kept, on the record,
and only by the owning agency's officers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from disrupt.access.choices import HandlingCode
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.intel import actions
from disrupt.intel.choices import VersionCause
from disrupt.intel.models import Collection, Entity, EntityVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection(cast: Cast) -> Collection:
    return actions.do_create_collection(
        cast.investigator_id, name="Kupang crew", handling_code=HandlingCode.GREEN
    )


@pytest.fixture
def budi(cast: Cast, collection: Collection) -> Entity:
    return actions.do_add_entity(
        cast.investigator_id, collection, "Person", {"name": ["Budi Santoso"], "nationality": ["Indonesia"]}
    )


def test_an_officer_adds_an_entity_cleaned_by_ftm(cast: Cast, budi: Entity) -> None:
    assert budi.properties == {"name": ["Budi Santoso"], "nationality": ["id"]}
    assert (budi.caption, budi.country, budi.version, budi.pending) == ("Budi Santoso", "id", 1, False)
    assert len(budi.ftm_id) == 32 and budi.updated_by == cast.investigator_id
    entry = AuditEntry.objects.get(action=AuditAction.ENTITY_CHANGED)
    assert entry.detail["entity"] == budi.ftm_id and entry.detail["added"] is True


def test_a_link_gets_its_graph_columns(cast: Cast, collection: Collection, budi: Entity) -> None:
    boat = actions.do_add_entity(
        cast.investigator_id, collection, "Vessel", {"name": ["Kupang Star"]}, ftm_id="v-1"
    )
    link = actions.do_add_entity(
        cast.investigator_id, collection, "Ownership", {"owner": [budi.ftm_id], "asset": [boat.ftm_id]}
    )
    assert (link.source, link.target, link.country) == (budi.ftm_id, "v-1", "id")


def test_it_refuses_an_invalid_entity_naming_the_property(cast: Cast, collection: Collection) -> None:
    with pytest.raises(ValidationError) as raised:
        actions.do_add_entity(
            cast.investigator_id, collection, "Person", {"name": ["X"], "birthDate": ["soon"], "wings": ["2"]}
        )
    assert set(raised.value.message_dict) == {"birthDate", "wings"}
    with pytest.raises(ValidationError) as raised:
        actions.do_add_entity(cast.investigator_id, collection, "Thing", {"name": ["X"]})
    assert "schema" in raised.value.message_dict
    assert not Entity.objects.exists()


def test_an_id_already_in_the_collection_is_refused(cast: Cast, collection: Collection, budi: Entity) -> None:
    with pytest.raises(ValidationError) as raised:
        actions.do_add_entity(
            cast.investigator_id, collection, "Person", {"name": ["Other"]}, ftm_id=budi.ftm_id
        )
    assert "id" in raised.value.message_dict


def test_an_edit_keeps_the_earlier_state_and_bumps_the_version(cast: Cast, budi: Entity) -> None:
    edited = actions.do_edit_entity(
        cast.focal_id,
        budi,
        {"name": ["Budi Santosa"], "nationality": ["id"]},
        reason="Spelling from the passport",
    )
    assert (edited.version, edited.caption, edited.updated_by) == (2, "Budi Santosa", cast.focal_id)
    kept = EntityVersion.objects.get(entity=edited)
    assert (kept.number, kept.cause, kept.reason, kept.replaced_by) == (
        1,
        VersionCause.EDIT,
        "Spelling from the passport",
        cast.focal_id,
    )
    assert kept.properties == {"name": ["Budi Santoso"], "nationality": ["id"]}
    again = actions.do_edit_entity(cast.focal_id, edited, {"name": ["Budi Santosa"]}, reason="No nationality")
    assert again.version == 3 and again.country == "id"  # the collection's country now
    assert list(EntityVersion.objects.filter(entity=again).values_list("number", flat=True)) == [2, 1]
    entry = AuditEntry.objects.filter(action=AuditAction.ENTITY_CHANGED).order_by("-sequence").first()
    assert entry is not None and entry.detail["changed"] == ["nationality"] and entry.detail["version"] == 3


def test_an_edit_that_changes_nothing_keeps_no_version(cast: Cast, budi: Entity) -> None:
    same = actions.do_edit_entity(
        cast.investigator_id, budi, {"nationality": ["id"], "name": ["Budi Santoso"]}
    )
    assert same.version == 1 and not EntityVersion.objects.exists()


def test_an_invalid_edit_changes_nothing(cast: Cast, budi: Entity) -> None:
    with pytest.raises(ValidationError) as raised:
        actions.do_edit_entity(cast.investigator_id, budi, {"name": ["B"], "email": ["nope"]}, reason="x")
    assert list(raised.value.message_dict) == ["email"]
    budi.refresh_from_db()
    assert budi.version == 1 and not EntityVersion.objects.exists()


def test_a_deletion_keeps_the_last_state(cast: Cast, collection: Collection, budi: Entity) -> None:
    kept = actions.do_delete_entity(cast.investigator_id, budi, reason="Entered twice")
    assert not Entity.objects.filter(collection=collection).exists()
    kept.refresh_from_db()
    assert (kept.ftm_id, kept.number, kept.cause, kept.reason) == (
        budi.ftm_id,
        1,
        VersionCause.DELETE,
        "Entered twice",
    )
    assert kept.entity is None  # the row is gone; its history stays with the collection
    entry = AuditEntry.objects.get(action=AuditAction.ENTITY_DELETED)
    assert entry.detail == {"entity": budi.ftm_id, "version": 1, "reason": "Entered twice"}


# --- Who may change entities ------------------------------------------------------------------------
# The GREEN collection is readable by every member, so these are refusals to readers (403); an
# AMBER collection does not exist for those outside its agency (404).

READERS = ["investigator_th", "investigator_au_abf", "analyst_au", "observer", "secretariat", "co_chair"]


def _attempts(cast: Cast, collection: Collection, entity: Entity, who: str) -> list[Any]:
    user = getattr(cast, who)
    return [
        lambda: actions.do_add_entity(user, collection, "Person", {"name": ["X"]}),
        lambda: actions.do_edit_entity(user, entity, {"name": ["X"]}, reason="x"),
        lambda: actions.do_delete_entity(user, entity, reason="x"),
    ]


@pytest.mark.parametrize("who", READERS)
def test_readers_cannot_change_entities(cast: Cast, collection: Collection, budi: Entity, who: str) -> None:
    for attempt in _attempts(cast, collection, budi, who):
        with pytest.raises(PermissionDenied):
            attempt()
    budi.refresh_from_db()
    assert budi.version == 1 and Entity.objects.count() == 1 and not EntityVersion.objects.exists()


@pytest.mark.parametrize("who", ["investigator_th", "observer", "investigator_au_abf"])
def test_an_amber_collection_does_not_exist_for_other_agencies(cast: Cast, budi: Entity, who: str) -> None:
    amber = actions.do_create_collection(
        cast.investigator_id, name="Restricted", handling_code=HandlingCode.AMBER
    )
    secret = actions.do_add_entity(cast.investigator_id, amber, "Person", {"name": ["Hidden"]})
    for attempt in _attempts(cast, amber, secret, who):
        with pytest.raises(Http404):
            attempt()
    assert Entity.objects.filter(collection=amber).count() == 1


def test_the_owning_agencys_officers_may_change_entities(
    cast: Cast, collection: Collection, budi: Entity
) -> None:
    for who in ("investigator_id", "focal_id"):
        user = getattr(cast, who)
        actions.do_edit_entity(user, budi, {"name": [f"Budi ({who})"]}, reason="test")
    actions.do_delete_entity(cast.focal_id, budi, reason="test")
    assert EntityVersion.objects.count() == 3
