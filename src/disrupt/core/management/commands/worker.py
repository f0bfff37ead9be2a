from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the background worker: takes jobs from the database queue and runs them. Run as many as "
        "you need, on as many machines; a job is taken by one worker only."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--batch", action="store_true", help="Exit when the queue is empty.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["batch"]:
            # django-tasks has no scheduler: a long-running worker queues the reminder sweep,
            # which queues its own successor a day later (docs/reminders.md).
            from disrupt.reports.tasks import ensure_sweep_queued

            ensure_sweep_queued()
            # Imports and analyses whose worker died are queued again (intel/jobs.py).
            from disrupt.intel.tasks import ensure_watchdog_queued

            ensure_watchdog_queued()
            # Overdue disclosure requests go to the owner's focal points (matching/actions.py).
            from disrupt.matching.tasks import ensure_sweep_queued as ensure_disclosure_sweep

            ensure_disclosure_sweep()
        call_command(
            "db_worker",
            queue_name="*",
            interval=options["interval"],
            batch=options["batch"],
            no_startup_delay=True,
            verbosity=options["verbosity"],
        )
