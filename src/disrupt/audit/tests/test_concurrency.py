"""Writers at the same moment never fork the chain (PostgreSQL: the advisory lock)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.audit.recorder import record
from disrupt.audit.verify import verify_chain

WRITERS, EACH = 4, 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every write itself")
def test_concurrent_writers_keep_one_unbroken_chain(transactional_db: Any) -> None:
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(number: int) -> None:
        try:
            start.wait()
            for index in range(EACH):
                record(AuditAction.EXPORT, detail={"writer": number, "index": index})
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert AuditEntry.objects.count() == WRITERS * EACH
    verdict = verify_chain()
    assert verdict.ok and verdict.count == WRITERS * EACH
