from typing import Any

from django.core.management.base import BaseCommand

from disrupt.search.indexing import reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the records. Safe to repeat; run it after bulk imports, "
        "which bypass the signals that keep the index up to date."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = reindex_all()
        if options["verbosity"]:
            self.stdout.write(f"Indexed {count} records for search.")
