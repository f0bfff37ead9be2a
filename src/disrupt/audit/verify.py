"""Verification of the chain: recompute every hash in order, name the first broken link."""

from __future__ import annotations

from dataclasses import dataclass

from disrupt.audit.models import GENESIS, AuditEntry


@dataclass
class Verdict:
    count: int
    broken_at: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(chunk_size: int = 2000) -> Verdict:
    """Recompute every hash in sequence order, holding one chunk of rows in memory at a time."""
    expected_sequence, previous_hash, count = 1, GENESIS, 0
    entries = AuditEntry.objects.order_by("sequence").iterator(chunk_size=chunk_size)
    for entry in entries:
        if entry.sequence != expected_sequence:
            missing = (
                f"{expected_sequence}"
                if entry.sequence == expected_sequence + 1
                else f"{expected_sequence} to {entry.sequence - 1}"
            )
            return Verdict(
                count,
                expected_sequence,
                f"gap in sequence: entry {missing} is missing (the next present is {entry.sequence})",
            )
        if entry.previous_hash != previous_hash:
            return Verdict(
                count,
                entry.sequence,
                "previous-hash mismatch: it does not name the hash of the entry before it",
            )
        if entry.compute_hash() != entry.hash:
            return Verdict(count, entry.sequence, "hash mismatch: the entry was changed after it was written")
        expected_sequence, previous_hash, count = entry.sequence + 1, entry.hash, count + 1
    return Verdict(count)
