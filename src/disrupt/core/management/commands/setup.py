from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prepare a database: migrate, load reference data and the public record. Safe to repeat."

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        call_command("loadreference", verbosity=verbosity)
        if "loadhistory" in get_commands():
            call_command("loadhistory", verbosity=verbosity)
