"""The data behind the network, money-flow and community views: only what the user sees now."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from disrupt.conftest import build_cast
from disrupt.intel.actions import do_request_analysis
from disrupt.intel.models import AnalysisNode, AnalysisRun, Entity
from disrupt.intel.tests.analysis_scenario import Scenario, three_countries
from disrupt.intel.views_data import community_summary, money_flows, network_elements, run_overview
from disrupt.notifications.tests.helpers import run_queued_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario() -> Scenario:
    return three_countries(build_cast())


@pytest.fixture
def shared_run(scenario: Scenario, django_capture_on_commit_callbacks: Any) -> AnalysisRun:
    """A run made while Thailand shared its collection with the analyst's agency."""
    scenario.th.shared_agencies.add(scenario.afp)
    with django_capture_on_commit_callbacks(execute=True):
        run = do_request_analysis(scenario.cast.analyst_au)
    run_queued_jobs()
    run.refresh_from_db()
    assert AnalysisNode.objects.filter(run=run, ftm_id="p-x").exists()
    return run


def ids(elements: dict[str, Any], kind: str = "nodes") -> set[str]:
    return {element["data"]["id"] for element in elements[kind]}


def test_the_network_holds_the_visible_nodes_and_their_links(
    scenario: Scenario, shared_run: AnalysisRun
) -> None:
    elements = network_elements(shared_run, scenario.cast.analyst_au)
    assert "p-x" in ids(elements)
    assert elements["total"] == 15 and elements["truncated"] is False and elements["narrowed"] is False
    first = elements["nodes"][0]["data"]
    # Strongest broker first, with what the page draws.
    assert first["id"] == "p-x"
    assert (first["label"], first["schema"], first["country"]) == ("Xan Prasert", "Person", "th")
    assert {"community", "component", "betweenness"} <= set(first)
    assert {"l-cx", "l-xd", "pay-1"} <= ids(elements, "edges")
    edge = next(e["data"] for e in elements["edges"] if e["data"]["id"] == "l-cx")
    assert (edge["source"], edge["target"], edge["schema"]) == ("p-c", "p-x", "Associate")


def test_an_entity_whose_sharing_narrowed_after_the_run_is_never_returned(
    scenario: Scenario, shared_run: AnalysisRun
) -> None:
    analyst = scenario.cast.analyst_au
    scenario.th.shared_agencies.remove(scenario.afp)
    hidden = {"p-x", "acc-3"}
    elements = network_elements(shared_run, analyst)
    assert elements["narrowed"] is True
    assert not hidden & ids(elements)
    assert elements["total"] == 13
    for edge in elements["edges"]:
        assert edge["data"]["source"] not in hidden and edge["data"]["target"] not in hidden
    # However the page filters it.
    community = AnalysisNode.objects.get(run=shared_run, ftm_id="p-x").community
    assert not hidden & ids(network_elements(shared_run, analyst, community=community))
    assert not ids(network_elements(shared_run, analyst, country="th"))
    overview = run_overview(shared_run, analyst)
    assert all(b["id"] not in hidden for b in overview["brokers"])
    assert all(t["id"] not in hidden for t in overview["targets"])
    assert all(m["id"] not in hidden for c in overview["communities"] for m in c["members"])
    money = money_flows(shared_run, analyst)
    assert all(f["beneficiary"] not in hidden for f in money["flows"])
    assert money["countries_partial"] is True
    summary = community_summary(shared_run, analyst, community)
    assert all(m["id"] not in hidden for m in summary["members"])


def test_nobody_but_the_requester_reads_the_run(scenario: Scenario, shared_run: AnalysisRun) -> None:
    other = scenario.cast.focal_au  # same agency, same country: still not theirs
    for read in (
        lambda: network_elements(shared_run, other),
        lambda: money_flows(shared_run, other),
        lambda: community_summary(shared_run, other, 0),
        lambda: run_overview(shared_run, other),
    ):
        with pytest.raises(Http404):
            read()


def test_filters_by_community_country_schema_and_limit(scenario: Scenario, shared_run: AnalysisRun) -> None:
    analyst = scenario.cast.analyst_au
    community = AnalysisNode.objects.get(run=shared_run, ftm_id="p-a").community
    members = set(
        AnalysisNode.objects.filter(run=shared_run, community=community).values_list("ftm_id", flat=True)
    )
    assert ids(network_elements(shared_run, analyst, community=community)) == members
    assert ids(network_elements(shared_run, analyst, country="TH")) == {"p-x", "acc-3"}
    accounts = network_elements(shared_run, analyst, schema="BankAccount")
    assert ids(accounts) == {"acc-1", "acc-2", "acc-3", "acc-4"}
    assert ids(accounts, "edges") == {"pay-1", "pay-2", "pay-3", "pay-23"}
    few = network_elements(shared_run, analyst, limit=3)
    assert len(few["nodes"]) == 3 and few["truncated"] is True and few["total"] == 15


def test_the_time_filter_keeps_links_in_the_window_and_undated_ones(
    scenario: Scenario, shared_run: AnalysisRun
) -> None:
    analyst = scenario.cast.analyst_au
    window = network_elements(shared_run, analyst, since=dt.date(2021, 1, 1), until=dt.date(2021, 12, 31))
    edges = ids(window, "edges")
    assert {"l-de", "l-xd"} <= edges  # dated 2021
    assert "l-cx" not in edges  # 2019
    assert "l-df" not in edges  # 2023
    assert "l-ef" in edges  # undated: kept
    later = ids(network_elements(shared_run, analyst, since=dt.date(2023, 1, 1)), "edges")
    assert "l-df" in later and "l-xd" not in later


def test_money_flows_with_captions_countries_fans_and_cycles(
    scenario: Scenario, shared_run: AnalysisRun
) -> None:
    money = money_flows(shared_run, scenario.cast.analyst_au)
    top = money["flows"][0]
    assert (top["payer_caption"], top["beneficiary_caption"], top["total"], top["count"]) == (
        "Account 1",
        "Account 4",
        19300.0,
        2,
    )
    assert (top["payer_country"], top["beneficiary_country"], top["currency"]) == ("au", "au", "AUD")
    assert {"from": "id", "to": "th", "currency": "AUD", "total": 7000.0, "count": 1} in money["countries"]
    assert money["countries_partial"] is False
    assert [[m["id"] for m in c["members"]] for c in money["cycles"]] == [["acc-1", "acc-4"]]
    assert {r["id"]: r["count"] for r in money["fan_in"]}["acc-3"] == 1
    assert money["flow_count"] == 3


def test_a_community_summary_has_roles_countries_and_money(
    scenario: Scenario, shared_run: AnalysisRun
) -> None:
    analyst = scenario.cast.analyst_au
    number = AnalysisNode.objects.get(run=shared_run, ftm_id="p-a").community
    summary = community_summary(shared_run, analyst, number)
    members = {m["id"]: m for m in summary["members"]}
    assert members["p-a"]["role"] == "recruiter"
    assert members["p-a"]["caption"] == "Arlo Venn"
    assert summary["size"] == len(members)
    # Cell A's accounts pay each other round: money within, none in or out.
    assert {"p-a", "acc-1", "acc-4"} <= set(members)
    assert summary["money"]["within"]["AUD"] == {"total": 37300.0, "count": 3}
    assert summary["money"]["in"] == summary["money"]["out"] == {}
    assert "au" in summary["countries"]
    with pytest.raises(Http404):
        community_summary(shared_run, analyst, 999)


def test_an_entity_edited_since_is_drawn_as_it_is_now(scenario: Scenario, shared_run: AnalysisRun) -> None:
    Entity.objects.filter(ftm_id="p-a").update(caption="Arlo Venn-Castle")
    elements = network_elements(shared_run, scenario.cast.analyst_au)
    labels = {n["data"]["id"]: n["data"]["label"] for n in elements["nodes"]}
    assert labels["p-a"] == "Arlo Venn-Castle"


def test_the_network_is_read_in_a_few_queries_whatever_its_size(
    scenario: Scenario, shared_run: AnalysisRun, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        elements = network_elements(shared_run, scenario.cast.analyst_au)
    assert len(elements["nodes"]) == 15
