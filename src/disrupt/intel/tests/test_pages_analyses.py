"""Analysis pages: asking, progress, findings, the network view's data and the money flows.
A run is its requester's only: anyone else gets 404 on every page of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from disrupt.conftest import Cast
from disrupt.intel.choices import JobStatus
from disrupt.intel.models import AnalysisRun
from disrupt.intel.tests.analysis_scenario import Scenario, three_countries
from disrupt.notifications.tests.helpers import run_queued_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(cast: Cast) -> Scenario:
    return three_countries(cast)


def _ask(client: Client, capture: Any, scenario: Scenario) -> AnalysisRun:
    """The analyst asks on the page; the queued task runs as the worker would."""
    client.force_login(scenario.cast.analyst_au)
    with capture(execute=True):
        response = client.post(
            reverse("intel:analysis_create"), {"collections": [scenario.au.pk, scenario.id.pk], "seed": "0"}
        )
    run = AnalysisRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    return run


@pytest.fixture
def done(client: Client, scenario: Scenario, django_capture_on_commit_callbacks: Any) -> AnalysisRun:
    run = _ask(client, django_capture_on_commit_callbacks, scenario)
    run_queued_jobs()
    run.refresh_from_db()
    assert run.status == JobStatus.DONE
    return run


def test_the_form_offers_only_readable_collections(client: Client, scenario: Scenario) -> None:
    client.force_login(scenario.cast.analyst_au)
    page = client.get(reverse("intel:analysis_create")).content.decode()
    assert "AFP cell A" in page and "INP cell B" in page and "RTP broker" not in page


def test_a_hidden_collection_cannot_be_asked_for(client: Client, scenario: Scenario) -> None:
    client.force_login(scenario.cast.analyst_au)
    response = client.post(reverse("intel:analysis_create"), {"collections": [scenario.th.pk]})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not AnalysisRun.objects.exists()


def test_an_observer_cannot_ask_for_an_analysis(client: Client, cast: Cast) -> None:
    client.force_login(cast.observer)
    assert client.get(reverse("intel:analysis_create")).status_code == 403
    assert client.post(reverse("intel:analysis_create"), {}).status_code == 403


def test_while_queued_the_page_polls_its_progress(
    client: Client, scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    run = _ask(client, django_capture_on_commit_callbacks, scenario)
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page and "<progress" in page and "waiting for a worker" in page
    partial = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert (
        partial.content.decode().lstrip().startswith("<section") and "<html" not in partial.content.decode()
    )
    run_queued_jobs()
    finished = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert finished["HX-Refresh"] == "true"


def test_the_findings_show_communities_brokers_and_links_to_the_views(
    client: Client, done: AnalysisRun
) -> None:
    page = client.get(done.get_absolute_url()).content.decode()
    assert "Candidate syndicates" in page and "Brokers" in page and "Disruption targets" in page
    assert reverse("intel:network", args=[done.pk]) in page
    assert reverse("intel:money", args=[done.pk]) in page
    assert f"{reverse('intel:assessment_create')}?analysis={done.pk}&amp;community=" in page
    assert "Xan Prasert" not in page


def test_the_network_data_is_placed_and_filtered(client: Client, done: AnalysisRun) -> None:
    assert client.get(reverse("intel:network", args=[done.pk])).status_code == 200
    url = reverse("intel:network_data", args=[done.pk])
    data = client.get(url).json()
    ids = {node["data"]["id"] for node in data["nodes"]}
    assert {"p-a", "p-d"} <= ids and "p-x" not in ids
    assert all("x" in node["position"] and "y" in node["position"] for node in data["nodes"])
    assert {e["data"]["source"] for e in data["edges"]} <= ids
    australian = client.get(url, {"country": "au"}).json()
    assert {n["data"]["country"] for n in australian["nodes"]} == {"au"}
    community = data["nodes"][0]["data"]["community"]
    one = client.get(url, {"community": community}).json()
    assert {n["data"]["community"] for n in one["nodes"]} == {community}
    accounts = client.get(url, {"schema": "BankAccount"}).json()
    assert {n["data"]["schema"] for n in accounts["nodes"]} == {"BankAccount"}
    assert client.get(url, {"limit": "2"}).json()["truncated"] is True


def test_the_money_view_shows_flows_between_countries_and_the_cycle(
    client: Client, done: AnalysisRun
) -> None:
    page = client.get(reverse("intel:money", args=[done.pk])).content.decode()
    assert "Between countries" in page and "Account 1" in page and "Account 4" in page
    assert "Round-tripping" in page and "back to the first" in page
    assert "<svg" in page and "Account 3" not in page


@pytest.mark.parametrize("who", ["investigator_id", "investigator_th", "focal_au", "observer"])
def test_nobody_but_the_requester_finds_the_run(
    client: Client, done: AnalysisRun, scenario: Scenario, who: str
) -> None:
    client.force_login(getattr(scenario.cast, who))
    for name in ("analysis_detail", "network", "network_data", "money"):
        assert client.get(reverse(f"intel:{name}", args=[done.pk])).status_code == 404, name
    assert f"Analysis {done.pk}" not in client.get(reverse("intel:analysis_list")).content.decode()
