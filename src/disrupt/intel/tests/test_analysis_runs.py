"""The analysis job, run by the real task over collections of three agencies in the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from disrupt.access import policy
from disrupt.conftest import build_cast
from disrupt.intel import tasks
from disrupt.intel.actions import do_request_analysis
from disrupt.intel.choices import JobStatus
from disrupt.intel.models import AnalysisNode, AnalysisRun
from disrupt.intel.tests.analysis_scenario import Scenario, three_countries
from disrupt.notifications.models import Notification
from disrupt.notifications.tests.helpers import run_queued_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario() -> Scenario:
    return three_countries(build_cast())


def analyse(user: Any, capture: Any, collections: Any = None) -> AnalysisRun:
    """Ask for the analysis as a page would, then let the queued task run as the worker would."""
    with capture(execute=True):
        run = do_request_analysis(user, collections)
    assert DBTaskResult.objects.filter(task_path=tasks.run_analysis.module_path).exists()
    run_queued_jobs()
    run.refresh_from_db()
    return run


def ranked(run: AnalysisRun) -> list[str]:
    return [b["id"] for b in run.result["brokers"]]


def test_a_broker_only_the_hidden_collection_holds_does_not_rank(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    run = analyse(scenario.cast.analyst_au, django_capture_on_commit_callbacks)
    assert run.status == JobStatus.DONE
    assert run.result["collections"] == sorted([scenario.au.pk, scenario.id.pk])
    nodes = set(AnalysisNode.objects.filter(run=run).values_list("ftm_id", flat=True))
    assert "p-x" not in nodes and "acc-3" not in nodes
    assert "p-x" not in ranked(run)
    assert all(t["id"] != "p-x" for t in run.result["targets"])
    # c-x, x-d and the payment into x's account point at what the analyst cannot see.
    assert run.result["counts"]["dropped_links"] == 3
    # Without x the two cells are two networks, neither crossing a border.
    assert run.result["counts"]["components"] == 2
    assert run.result["counts"]["cross_border_components"] == 0
    members = {frozenset(c["members"]) for c in run.result["communities"]}
    assert not any({"p-a", "p-d"} <= m for m in members)


def test_the_same_broker_ranks_first_for_whoever_may_see_it(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    scenario.th.shared_agencies.add(scenario.afp)
    run = analyse(scenario.cast.analyst_au, django_capture_on_commit_callbacks)
    assert run.status == JobStatus.DONE
    assert ranked(run)[0] == "p-x"
    assert run.result["targets"][0]["id"] == "p-x"
    assert run.result["counts"]["components"] == 1
    assert run.result["counts"]["cross_border_components"] == 1
    assert run.result["parameters"]["betweenness"] == "exact"


def test_the_job_reads_through_the_policy_again_when_it_runs(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    """Asked for while Thailand shared its collection, run after it stopped: x is left out."""
    scenario.th.shared_agencies.add(scenario.afp)
    with django_capture_on_commit_callbacks(execute=True):
        run = do_request_analysis(scenario.cast.analyst_au, [scenario.au, scenario.id, scenario.th])
    scenario.th.shared_agencies.remove(scenario.afp)
    run_queued_jobs()
    run.refresh_from_db()
    assert run.status == JobStatus.DONE
    assert "p-x" not in ranked(run)
    assert not AnalysisNode.objects.filter(run=run, ftm_id="p-x").exists()
    assert run.result["collections"] == sorted([scenario.au.pk, scenario.id.pk])


def test_the_result_holds_every_metric_and_the_requester_is_told(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    analyst = scenario.cast.analyst_au
    run = analyse(analyst, django_capture_on_commit_callbacks)
    result = run.result
    assert run.node_count == AnalysisNode.objects.filter(run=run).count() == 13
    assert set(result) >= {"counts", "parameters", "components", "communities", "brokers", "targets", "money"}
    money = result["money"]
    assert money["cycle_count"] == 1
    assert money["cycles"][0]["members"] == ["acc-1", "acc-4"]
    top = money["flows"][0]
    assert (top["payer"], top["beneficiary"], top["total"], top["count"]) == ("acc-1", "acc-4", 19300.0, 2)
    assert {"from": "au", "to": "au", "currency": "AUD", "total": 37300.0, "count": 3} in money["countries"]
    lines = result["command_lines"]
    assert lines[0]["root"] == "org-syn"
    assert {m["id"]: m["depth"] for m in lines[0]["members"]} == {"org-syn": 0, "p-a": 1, "p-b": 1}
    assert run.stage == "" and run.progress_done == run.progress_total > 0
    told = Notification.objects.get(recipient=analyst, object_id=run.pk)
    assert told.url == run.get_absolute_url()
    assert told.handling_code == "amber"
    # Nobody else is told, and nobody else may read the run.
    assert Notification.objects.filter(object_id=run.pk, content_type=told.content_type).count() == 1
    assert policy.visible_to(analyst, AnalysisRun.objects.filter(pk=run.pk)).exists()
    assert not policy.visible_to(scenario.cast.focal_au, AnalysisRun.objects.filter(pk=run.pk)).exists()


def test_a_run_whose_worker_died_starts_over_with_one_copy_of_its_results(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    analyst = scenario.cast.analyst_au
    first = analyse(analyst, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        again = do_request_analysis(analyst)
    # A worker took it, wrote part of what it found, and died: RUNNING with a stale heartbeat.
    stale = timezone.now() - dt.timedelta(minutes=5)
    AnalysisRun.objects.filter(pk=again.pk).update(
        status=JobStatus.RUNNING, attempts=1, heartbeat_at=stale, started_at=stale, stage="Money flows"
    )
    AnalysisNode.objects.create(run=again, ftm_id="p-a", community=99, component=99, betweenness=1e9)
    tasks.run_analysis.call(again.pk)
    again.refresh_from_db()
    assert again.status == JobStatus.DONE and again.attempts == 2
    rows = list(
        AnalysisNode.objects.filter(run=again).values_list("ftm_id", "community", "component", "betweenness")
    )
    assert len(rows) == len({row[0] for row in rows}) == again.node_count
    before = sorted(
        AnalysisNode.objects.filter(run=first).values_list("ftm_id", "community", "component", "betweenness")
    )
    assert sorted(rows) == before

    def same(result: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in result.items() if key != "timings"}

    assert same(again.result) == same(first.result)
    # Run once more by a task queued twice: a finished run is left alone.
    tasks.run_analysis.call(again.pk)
    again.refresh_from_db()
    assert again.attempts == 2
    assert AnalysisNode.objects.filter(run=again).count() == again.node_count


def test_a_run_alive_in_another_worker_is_not_taken(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        run = do_request_analysis(scenario.cast.analyst_au)
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=JobStatus.RUNNING, attempts=1, heartbeat_at=timezone.now()
    )
    tasks.run_analysis.call(run.pk)
    run.refresh_from_db()
    assert run.status == JobStatus.RUNNING and run.attempts == 1
    assert not AnalysisNode.objects.filter(run=run).exists()


def test_a_broken_run_fails_with_its_reason(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        run = do_request_analysis(scenario.cast.analyst_au, parameters={"seed": "not a number"})
    tasks.run_analysis.call(run.pk)
    run.refresh_from_db()
    assert run.status == JobStatus.FAILED
    assert "ValueError" in run.message
    assert not AnalysisNode.objects.filter(run=run).exists()
