"""`disrupt remind`: the report reminder sweep, for a cron job or by hand.

Runs the same sweep as the worker does daily; safe to run at any time, as often as wanted:
a reminder goes out once per milestone, country and kind, whoever sends it.
"""

from typing import Any

from django.core.management.base import BaseCommand

from disrupt.reports.tasks import ensure_sweep_queued, record_due_reminders, send_unsent_reminders


class Command(BaseCommand):
    help = "Record the report reminders due today and send those not sent yet (or --enqueue for the worker)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the sweep for the worker instead of running it here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            ensure_sweep_queued()
            self.stdout.write("Reminder sweep queued for the worker.")
            return
        recorded = record_due_reminders()
        handled = send_unsent_reminders()
        self.stdout.write(f"Reminders recorded: {recorded}; handled: {handled}.")
