"""`disrupt synth network`: write a synthetic smuggling network as FtM JSON lines, with its ground truth."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from disrupt.intel.synth import Params, generate, truth_path


class Command(BaseCommand):
    help = (
        "Synthetic data. `network` writes a fictional cross-border people-smuggling network as "
        "FollowTheMoney JSON lines (gzip if --out ends in .gz) and its ground truth beside it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["network"])
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--entities", type=int, default=10_000, help="node entities (people, accounts…)")
        parser.add_argument(
            "--links-per-entity", type=float, default=2.0, help="link entities (payments…) per node"
        )
        parser.add_argument("--out", type=Path, default=Path("var/synth/net.ftm.json"))
        parser.add_argument(
            "--per-country", action="store_true", help="one file per country collection (net.au.ftm.json, …)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        params = Params(options["seed"], options["entities"], options["links_per_entity"])
        started = time.monotonic()
        try:
            counts = generate(params, options["out"], per_country=options["per_country"])
        except (ValueError, OSError) as error:
            raise CommandError(str(error)) from error
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Wrote {counts['entities']} entities ({counts['nodes']} nodes, {counts['links']} links, "
            f"{counts['syndicates']} syndicates) in {seconds:.1f} s "
            f"({counts['entities'] / max(seconds, 1e-9):.0f} entities/s); "
            f"ground truth in {truth_path(options['out'])}."
        )
