"""The chain: entries link by hash, the ORM refuses changes, and verify names the first bad link."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from disrupt.audit.choices import AuditAction
from disrupt.audit.models import GENESIS, AppendOnly, AuditEntry
from disrupt.audit.recorder import record
from disrupt.audit.verify import verify_chain
from disrupt.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(cast: Cast) -> list[AuditEntry]:
    """The cast's creation already wrote entries; add a few with every kind of field filled."""
    record(AuditAction.LOGIN, actor=cast.focal_id, target=cast.focal_id)
    record(AuditAction.DOWNLOAD, actor=cast.observer, target=cast.plan, detail={"n": 1, "é": "ü"})
    record(AuditAction.LOGIN_FAILED, detail={"email": "nobody@x.test"})
    record(AuditAction.EXPORT, actor=cast.secretariat)
    return list(AuditEntry.objects.order_by("sequence"))


def _raw(sql: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("TABLE", AuditEntry._meta.db_table), params)


def test_entries_are_numbered_without_gaps_and_each_hashes_the_one_before(
    chain: list[AuditEntry], cast: Cast
) -> None:
    assert [e.sequence for e in chain] == list(range(1, len(chain) + 1))
    assert chain[0].previous_hash == GENESIS
    for before, entry in zip(chain, chain[1:], strict=False):
        assert entry.previous_hash == before.hash
        assert entry.hash == entry.compute_hash()
    plan_entry = chain[-3]
    assert plan_entry.target_label == str(cast.plan) and plan_entry.target_id == str(cast.plan.pk)
    assert plan_entry.country_id == cast.plan.lead_country_id and plan_entry.actor_label == "obs@iom.test"


def test_an_untouched_trail_verifies(chain: list[AuditEntry], capsys: Any) -> None:
    call_command("audit", "verify")
    assert f"Audit trail OK: {len(chain)} entries verified." in capsys.readouterr().out


def test_the_orm_refuses_to_change_or_delete_an_entry(chain: list[AuditEntry]) -> None:
    entry = chain[2]
    entry.target_label = "something else"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(target_label="x")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert verify_chain().ok


def _broken_at() -> tuple[int | None, str]:
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    verdict = verify_chain()
    assert f"BROKEN at entry {verdict.broken_at}:" in str(failure.value)
    return verdict.broken_at, verdict.problem


def test_an_update_in_sql_is_named(chain: list[AuditEntry]) -> None:
    victim = chain[-3]
    _raw("UPDATE TABLE SET actor_label = %s WHERE sequence = %s", "someone@else.test", victim.sequence)
    assert _broken_at() == (victim.sequence, "hash mismatch: the entry was changed after it was written")


def test_an_update_that_also_rewrites_the_hash_breaks_the_next_link(chain: list[AuditEntry]) -> None:
    victim = chain[3]
    _raw("UPDATE TABLE SET hash = %s WHERE sequence = %s", "f" * 64, victim.sequence)
    at, problem = _broken_at()
    # The victim's own hash no longer matches its content: it is named first.
    assert at == victim.sequence and problem.startswith("hash mismatch")


def test_a_deleted_row_in_the_middle_is_named(chain: list[AuditEntry]) -> None:
    victim = chain[len(chain) // 2]
    _raw("DELETE FROM TABLE WHERE sequence = %s", victim.sequence)
    at, problem = _broken_at()
    assert at == victim.sequence
    assert problem == (
        f"gap in sequence: entry {victim.sequence} is missing (the next present is {victim.sequence + 1})"
    )


def test_a_deleted_last_but_one_row_is_named(chain: list[AuditEntry]) -> None:
    victim = chain[-2]
    _raw("DELETE FROM TABLE WHERE sequence = %s", victim.sequence)
    assert _broken_at()[0] == victim.sequence


def test_a_renumbered_deletion_is_caught_by_the_previous_hash(chain: list[AuditEntry]) -> None:
    victim, after = chain[4], chain[5]
    _raw("DELETE FROM TABLE WHERE sequence = %s", victim.sequence)
    _raw("UPDATE TABLE SET sequence = %s WHERE sequence = %s", victim.sequence, after.sequence)
    at, problem = _broken_at()
    assert at == victim.sequence and problem.startswith("previous-hash mismatch")


def test_verify_reads_in_small_chunks(chain: list[AuditEntry]) -> None:
    verdict = verify_chain(chunk_size=2)
    assert verdict.ok and verdict.count == len(chain)
