"""`disrupt audit verify`: walk the chain and name the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from disrupt.audit.verify import verify_chain


class Command(BaseCommand):
    help = "The audit trail. `verify` checks every link of the chain and names the first broken one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = verify_chain()
        if not verdict.ok:
            raise CommandError(
                f"Audit trail BROKEN at entry {verdict.broken_at}: {verdict.problem}. "
                f"{verdict.count} entries before it verified."
            )
        self.stdout.write(f"Audit trail OK: {verdict.count} entries verified.")
