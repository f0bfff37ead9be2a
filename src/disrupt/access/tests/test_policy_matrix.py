"""The policy module answers exactly what the permission table says, for every row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from disrupt.access import policy
from disrupt.access.tests.matrix import MATRIX, rows
from disrupt.access.tests.scenario import Scenario, build_scenario, reread
from disrupt.conftest import build_cast, shared_records


@pytest.fixture(scope="module")
def shared_scenario(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scenario]:
    """The cast and the scenario's records, written once for the module (conftest.shared_records).
    Safe to share: every cell only reads them, and what any test writes is rolled back after it."""
    with shared_records(django_db_blocker):
        yield build_scenario(build_cast())


@pytest.fixture
def scenario(shared_scenario: Scenario, db: None) -> Scenario:
    return reread(shared_scenario)


def decide(scenario: Scenario, kind: str, action: str, member: str) -> bool:
    user = scenario.user(member)
    record = scenario.records[kind]
    if action == "view":
        return policy.can_view(user, record)
    if action == "edit":
        return policy.can_edit(user, record)
    if action == "decide" and kind.startswith("report"):
        return policy.can_view(user, record) and policy.can_decide_report(user, record)
    if action == "decide":
        return policy.can_decide_plan(user, record)  # type: ignore[arg-type]
    # Creating a record that belongs to another (a milestone of a period, an action of a
    # meeting) needs the right to edit that parent.
    if kind == "milestone":
        return policy.can_edit(user, scenario.records["period"])
    if kind == "action_item":
        return policy.can_edit(user, scenario.records["meeting"])
    if kind == "country":
        return policy.can_create(user, type(record).standings.rel.related_model)  # type: ignore[attr-defined]
    return policy.can_create(user, type(record))


@pytest.mark.parametrize(("kind", "action", "member", "allowed"), rows())
def test_the_policy_follows_the_table(
    scenario: Scenario, kind: str, action: str, member: str, allowed: bool
) -> None:
    assert decide(scenario, kind, action, member) is allowed


def test_every_kind_has_a_view_row() -> None:
    kinds = {kind for kind, _ in MATRIX}
    assert kinds - {"milestone", "action_item"} <= {kind for kind, action in MATRIX if action == "view"}


def test_anonymous_visitors_can_do_nothing(scenario: Scenario) -> None:
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    for record in scenario.records.values():
        assert not policy.can_view(anonymous, record)
        assert not policy.can_edit(anonymous, record)
