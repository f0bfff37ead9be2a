"""The cross-border world (scenario.build_world) once per test module instead of once per test.

Building it runs the real actions and matching, seconds each time; the tests of a module then
read it, or write on top of it (judgements, disclosure requests and decisions, edits, uploads,
more matching), each in a savepoint of its own that is rolled back after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from disrupt.conftest import analyze_tables, build_cast, shared_records
from disrupt.matching.tests.scenario import World, build_world, reread


@pytest.fixture(scope="module")
def shared_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The cast, the three collections and their three hits, written once for the module in a
    transaction rolled back when it ends (conftest.shared_records). Safe to share because every
    test runs in its own savepoint of that transaction (`db`): a test's writes are gone before
    the next test starts, and each test gets its own Python objects (`world`). The world writes
    no files: the matching key is the test run's, as it was when each test built its own."""
    with shared_records(django_db_blocker):
        world = build_world(build_cast())
        analyze_tables()
        yield world


@pytest.fixture
def world(shared_world: World, db: None) -> World:
    """The shared world for one test, its cast, collections and plans read afresh."""
    return reread(shared_world)
