"""`disrupt selectors encode|keygen`: selector-only participation, on a member's own machine.

    disrupt selectors keygen --out matching.key
    disrupt selectors encode --key-file matching.key [--country TH] [--refs refs.csv] \\
        input.ftm.jsonl[.gz] > selectors.json

`encode` reads FollowTheMoney entities (JSON lines, gzip too, '-' for standard input) and writes
only keyed encodings (selectorfile.py): no raw value leaves the machine. It needs no database and
no network: it never opens a database connection and runs no system checks. docs/matching-keys.md
says how members share the key.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from disrupt.matching.keys import MatchingKey, MatchingKeyError
from disrupt.matching.normalise import country_code
from disrupt.matching.selectorfile import write_selector_file


class Command(BaseCommand):
    help = "Encode entities into a selectors file under the matching key, or make a new key."
    requires_system_checks: list[str] = []  # type: ignore[assignment]
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        encode = sub.add_parser("encode", help="write selectors.json from FtM entities")
        encode.add_argument("input", help="FtM JSON lines (.gz too), or - for standard input")
        encode.add_argument("--key-file", required=True, type=Path, help="the members' matching key")
        encode.add_argument("--country", default="", help="phone region for numbers written nationally")
        encode.add_argument("--refs", type=Path, help="also write entity id,ref as CSV (keep it at home)")
        encode.add_argument("--out", type=Path, help="file to write (default: standard output)")
        keygen = sub.add_parser("keygen", help="make a new random matching key")
        keygen.add_argument("--out", type=Path, help="file to write, mode 0600 (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "keygen":
            self._keygen(options["out"])
        else:
            self._encode(options)

    def _keygen(self, out: Path | None) -> None:
        key = MatchingKey.generate()
        if out is None:
            self.stdout.write(key.to_text(), ending="")
            return
        try:
            key.write(out)
        except (MatchingKeyError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stderr.write(f"Wrote key {key.key_id} to {out} (mode 0600). Share it out of band only.")

    def _encode(self, options: dict[str, Any]) -> None:
        try:
            key = MatchingKey.from_file(options["key_file"])
        except MatchingKeyError as error:
            raise CommandError(str(error)) from error
        country = options["country"]
        if country and not country_code(country):
            raise CommandError(f"--country {country!r} is not a country this encoder knows.")
        source = options["input"]
        if source != "-" and not Path(source).is_file():
            raise CommandError(f"No file {source}.")
        problems: list[str] = []
        with ExitStack() as stack:
            lines = _open_input(source, stack)
            out = _open_output(options["out"], stack) if options["out"] else _Plain(self.stdout)
            refs = _open_output(options["refs"], stack) if options["refs"] else None
            counts = write_selector_file(_entities(lines, problems), key, out, country, refs)
        for problem in problems[:10]:
            self.stderr.write(problem)
        if len(problems) > 10:
            self.stderr.write(f"... and {len(problems) - 10} more lines skipped")
        self.stderr.write(
            f"Encoded {counts.records} records ({counts.selectors} selectors, {counts.people} people) "
            f"from {counts.entities} entities under key {key.key_id}; {counts.empty} had nothing to match on."
        )


def _entities(lines: IO[str], problems: list[str]) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entity = json.loads(line)
        except json.JSONDecodeError:
            problems.append(f"line {number}: not JSON, skipped")
            continue
        if isinstance(entity, dict):
            yield entity
        else:
            problems.append(f"line {number}: not an entity object, skipped")


def _open_input(source: str, stack: ExitStack) -> IO[str]:
    """Text lines of a path (gzip when it starts like gzip) or of standard input for '-'."""
    if source == "-":
        return sys.stdin
    with open(source, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return stack.enter_context(gzip.open(source, "rt", encoding="utf-8"))
    return stack.enter_context(open(source, encoding="utf-8"))  # noqa: SIM115


def _open_output(path: Path, stack: ExitStack) -> IO[str]:
    """A file to write, readable by its owner only."""
    try:
        handle = stack.enter_context(open(path, "w", encoding="utf-8", newline="\n"))  # noqa: SIM115
        path.chmod(0o600)
    except OSError as error:
        raise CommandError(f"Cannot write {path}: {error}") from error
    return handle


class _Plain:
    """Django's OutputWrapper adds line endings and styles; a selectors file needs neither."""

    def __init__(self, wrapper: Any) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)
