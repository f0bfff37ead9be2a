from typing import Any

from django.core.management.base import BaseCommand
from waitress import serve

from disrupt.wsgi import application


class Command(BaseCommand):
    help = "Serve the platform with waitress (static files through WhiteNoise)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Open http://{options['host']}:{options['port']}/ in a browser (Ctrl-C stops).")
        serve(application, host=options["host"], port=options["port"], threads=options["threads"], ident="")
