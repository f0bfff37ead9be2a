"""Collection and entity pages: the owner reads and changes, a recipient of a shared collection
reads only, another country's officer gets 404 everywhere, an observer creates nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from disrupt.access.choices import HandlingCode
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.intel.models import Collection, Entity, EntityVersion
from disrupt.intel.tests.analysis_scenario import Scenario, three_countries

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(cast: Cast) -> Scenario:
    return three_countries(cast)


def _entity(collection: Collection, ftm_id: str) -> Entity:
    return Entity.objects.get(collection=collection, ftm_id=ftm_id)


def test_the_list_shows_what_the_analyst_may_read_and_nothing_else(
    client: Client, scenario: Scenario
) -> None:
    client.force_login(scenario.cast.analyst_au)
    page = client.get(reverse("intel:collection_list")).content.decode()
    assert "AFP cell A" in page and "INP cell B" in page
    assert "RTP broker" not in page
    mine = client.get(reverse("intel:collection_list"), {"holder": "mine"}).content.decode()
    assert "AFP cell A" in mine and "INP cell B" not in mine


def test_the_owner_sees_contents_import_and_export(client: Client, scenario: Scenario) -> None:
    client.force_login(scenario.cast.analyst_au)
    response = client.get(scenario.au.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "People" in page and "Import entities" in page
    assert reverse("intel:collection_export", args=[scenario.au.pk]) in page
    read = AuditEntry.objects.filter(action=AuditAction.READ, target_id=str(scenario.au.pk))
    assert read.exists()


def test_a_recipient_reads_a_shared_collection_but_cannot_change_it(
    client: Client, scenario: Scenario
) -> None:
    client.force_login(scenario.cast.analyst_au)
    page = client.get(scenario.id.get_absolute_url()).content.decode()
    assert "INP cell B" in page and "Import entities" not in page
    assert "only Indonesian National Police changes it" in page
    assert client.get(reverse("intel:import_create", args=[scenario.id.pk])).status_code == 403
    dewi = _entity(scenario.id, "p-d")
    assert client.get(dewi.get_absolute_url()).status_code == 200
    assert client.get(reverse("intel:entity_edit", args=[dewi.pk])).status_code == 403
    response = client.post(reverse("intel:entity_edit", args=[dewi.pk]), {"prop_name": "X", "reason": "r"})
    assert response.status_code == 403
    assert _entity(scenario.id, "p-d").version == 1


@pytest.mark.parametrize("who", ["investigator_th", "observer", "investigator_au_abf"])
def test_others_get_404_for_the_collection_its_entities_and_their_history(
    client: Client, scenario: Scenario, who: str
) -> None:
    client.force_login(getattr(scenario.cast, who))
    arlo = _entity(scenario.au, "p-a")
    for url in (
        scenario.au.get_absolute_url(),
        reverse("intel:entity_list", args=[scenario.au.pk]),
        reverse("intel:collection_export", args=[scenario.au.pk]),
        reverse("intel:import_create", args=[scenario.au.pk]),
        arlo.get_absolute_url(),
        reverse("intel:entity_edit", args=[arlo.pk]),
        reverse("intel:entity_history", args=[arlo.pk]),
    ):
        assert client.get(url).status_code == 404, url
    found = client.get(reverse("intel:entity_search"), {"q": "Arlo"}).content.decode()
    assert "Arlo Venn" not in found


def test_an_observer_cannot_create_a_collection(client: Client, cast: Cast) -> None:
    client.force_login(cast.observer)
    assert client.get(reverse("intel:collection_create")).status_code == 403
    response = client.post(reverse("intel:collection_create"), {"name": "x", "handling_code": "amber"})
    assert response.status_code == 403
    assert not Collection.objects.exists()


def test_an_officer_creates_a_collection_of_their_agency(client: Client, cast: Cast) -> None:
    client.force_login(cast.investigator_id)
    response = client.post(
        reverse("intel:collection_create"),
        {"name": "Kupang crew", "summary": "Crew lists", "handling_code": HandlingCode.AMBER_STRICT},
    )
    collection = Collection.objects.get()
    assert response.status_code == 302 and response["Location"] == collection.get_absolute_url()
    assert collection.owner_agency == cast.investigator_id.agency
    assert collection.handling_code == HandlingCode.AMBER_STRICT


def test_the_entity_list_searches_names_and_filters_by_kind(client: Client, scenario: Scenario) -> None:
    client.force_login(scenario.cast.analyst_au)
    url = reverse("intel:entity_list", args=[scenario.au.pk])
    page = client.get(url, {"q": "arlo"}).content.decode()
    assert "Arlo Venn" in page and "Brin Tassel" not in page
    accounts = client.get(url, {"schema": "BankAccount"}).content.decode()
    assert "Account 1" in accounts and "Arlo Venn" not in accounts


def test_search_finds_across_visible_collections_only(client: Client, scenario: Scenario) -> None:
    client.force_login(scenario.cast.analyst_au)
    url = reverse("intel:entity_search")
    assert "Choose" not in client.get(url).content.decode()
    page = client.get(url, {"q": "a"}).content.decode()
    assert "Arlo Venn" in page and "Dewi Larang" in page
    assert "Xan Prasert" not in page


def test_the_entity_page_shows_links_only_to_what_the_reader_may_see(
    client: Client, scenario: Scenario
) -> None:
    client.force_login(scenario.cast.analyst_au)
    cade = _entity(scenario.au, "p-c")
    page = client.get(cade.get_absolute_url()).content.decode()
    assert "Brin Tassel" in page and "Arlo Venn" in page
    # c-x is in the AFP's collection, but Xan is only in Thailand's: the end is not named.
    assert "Xan Prasert" not in page
    assert "not among what you may read" in page


def test_the_owner_edits_an_entity_and_the_history_keeps_the_earlier_version(
    client: Client, scenario: Scenario
) -> None:
    client.force_login(scenario.cast.analyst_au)
    arlo = _entity(scenario.au, "p-a")
    form = client.get(reverse("intel:entity_edit", args=[arlo.pk])).content.decode()
    assert 'name="prop_country"' in form and 'name="reason"' in form
    response = client.post(
        reverse("intel:entity_edit", args=[arlo.pk]),
        {"prop_country": "au", "prop_name": "Arlo Venn\nArlo Ven", "reason": "Alias from the manifest"},
    )
    assert response.status_code == 302
    arlo.refresh_from_db()
    assert arlo.version == 2 and arlo.properties["name"] == ["Arlo Venn", "Arlo Ven"]
    version = EntityVersion.objects.get(ftm_id="p-a")
    assert version.reason == "Alias from the manifest"
    history = client.get(reverse("intel:entity_history", args=[arlo.pk])).content.decode()
    assert "Version 1" in history and "Alias from the manifest" in history and "name" in history


def test_a_bad_value_is_named_on_the_edit_form(client: Client, scenario: Scenario) -> None:
    client.force_login(scenario.cast.analyst_au)
    arlo = _entity(scenario.au, "p-a")
    response = client.post(
        reverse("intel:entity_edit", args=[arlo.pk]),
        {"prop_country": "au", "add_property": "birthDate", "add_value": "not a date", "reason": "r"},
    )
    assert response.status_code == 200
    assert "could not be saved" in response.content.decode() or "field__error" in response.content.decode()
    assert _entity(scenario.au, "p-a").version == 1


@pytest.mark.parametrize("fmt,start", [("ftm", b'{"id":'), ("graphml", b"<?xml"), ("gexf", b"<?xml")])
def test_the_export_is_a_download_and_is_recorded(
    client: Client, scenario: Scenario, fmt: str, start: bytes
) -> None:
    client.force_login(scenario.cast.analyst_au)
    response = client.get(reverse("intel:collection_export", args=[scenario.au.pk]), {"format": fmt})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(start)  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, detail__format=fmt).exists()
    url = reverse("intel:collection_export", args=[scenario.au.pk])
    assert client.get(url, {"format": "pdf"}).status_code == 404


def test_the_collection_list_costs_a_fixed_number_of_queries(
    client: Client, scenario: Scenario, django_assert_max_num_queries: Any
) -> None:
    afp = scenario.au.owner_agency
    for number in range(10):
        Collection.objects.create(name=f"Extra {number}", owner_agency=afp, handling_code="amber")
    client.force_login(scenario.cast.analyst_au)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("intel:collection_list")).status_code == 200
