from typing import Any

from django.core.management.base import BaseCommand

from disrupt.core.reference import load_countries, load_reference


class Command(BaseCommand):
    help = "Load ISO countries and the reference data (roles, crime types, sectors, indicators…)."

    def handle(self, *args: Any, **options: Any) -> None:
        countries = load_countries()
        counts = load_reference()
        summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded {countries} countries, {summary}."))
