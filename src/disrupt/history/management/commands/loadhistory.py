from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from disrupt.history.loader import PUBLIC_RECORD_FILE, HistoryError, load_history


class Command(BaseCommand):
    help = "Load the public record (data/public_record.yaml), all or nothing. Safe to repeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=PUBLIC_RECORD_FILE, help="Another data file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loader = load_history(options["file"])
        except HistoryError as error:
            raise CommandError(f"Public record not loaded, nothing changed: {error}") from None
        summary = ", ".join(
            f"{total} {name} ({loader.created[name]} new)" for name, total in loader.total.items()
        )
        self.stdout.write(self.style.SUCCESS(f"Loaded the public record: {summary}."))
