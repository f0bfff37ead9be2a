"""`disrupt start`: the embedded default in one command. Prepares the database, loads the public
record and the demo accounts, then runs the web server and a background worker until interrupted."""

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prepare the database, load history and demo accounts, and serve with a background worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-demo", action="store_true", help="Do not create the demo accounts.")

    def handle(self, *args: Any, **options: Any) -> None:
        db = settings.DATABASES["default"]
        self.stdout.write(f"Database: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}")
        call_command("setup", verbosity=1)
        if not options["no_demo"] and "loaddemo" in get_commands():
            call_command("loaddemo")
        worker = subprocess.Popen([sys.executable, "-m", "disrupt", "worker"])
        try:
            call_command("serve", host=options["host"], port=options["port"])
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
