"""`disrupt intel import|export`: a collection's entities in and out, for operators and scripts.

    disrupt intel import --collection 3 --as analyst@afp.test net.ftm.json.gz [--wait]
    disrupt intel import --collection 3 --as analyst@afp.test people.csv --mapping people.yml
    disrupt intel export --collection 3 --as analyst@afp.test --format graphml --out net.graphml

Both act as the person named by --as, through the same actions and access policy as the pages:
the import is queued for the worker (do_start_import), the export is recorded in the audit trail.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from disrupt.directory.models import User
from disrupt.intel import actions, exports
from disrupt.intel.choices import ExportFormat, ImportFormat, JobStatus
from disrupt.intel.models import Collection, ImportJob

FORMATS_BY_SUFFIX = {".csv": ImportFormat.CSV, ".xlsx": ImportFormat.XLSX}


class Command(BaseCommand):
    help = "Import a file of entities into a collection, or export a collection, as a named user."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("import", "export"):
            action = sub.add_parser(name)
            action.add_argument("--collection", type=int, required=True, help="the collection's number")
            action.add_argument("--as", dest="email", required=True, help="e-mail of the user who acts")
        importing = sub.choices["import"]
        importing.add_argument("file", type=Path, help="FtM JSON lines (.gz too), CSV or XLSX")
        importing.add_argument(
            "--format",
            choices=ImportFormat.values,
            help="default: from the file name (.csv, .xlsx, else ftm)",
        )
        importing.add_argument("--mapping", type=Path, help="YAML or JSON FtM mapping (CSV and XLSX)")
        importing.add_argument("--wait", action="store_true", help="wait for the worker and print progress")
        exporting = sub.choices["export"]
        exporting.add_argument("--format", choices=ExportFormat.values, default=ExportFormat.FTM)
        exporting.add_argument("--out", type=Path, help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['email']}.")
        collection = Collection.objects.select_related("owner_agency__country").filter(
            pk=options["collection"]
        )
        found = collection.first()
        try:
            if found is None:
                raise Http404
            if options["action"] == "import":
                self._import(user, found, options)
            else:
                self._export(user, found, options)
        except Http404 as error:
            raise CommandError(f"No collection {options['collection']} that {user.email} may see.") from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error

    def _import(self, user: User, collection: Collection, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        fmt = options["format"] or FORMATS_BY_SUFFIX.get(path.suffix.lower(), ImportFormat.FTM)
        mapping = None
        if options["mapping"]:
            mapping = yaml.safe_load(options["mapping"].read_text())
        with path.open("rb") as stream:
            job = actions.do_start_import(
                user, collection, name=path.name, stream=stream, format=fmt, mapping=mapping
            )
        self.stdout.write(f"Import {job.pk} of {path.name} ({job.size} bytes) queued.")
        if options["wait"]:
            self._wait(job)

    def _wait(self, job: ImportJob) -> None:
        shown = None
        while True:
            job.refresh_from_db()
            line = f"{job.get_status_display()}: {job.percent}% {job.stage}".strip()
            if line != shown:
                self.stdout.write(line)
                shown = line
            if job.is_finished:
                break
            time.sleep(1)
        if job.status == JobStatus.DONE:
            self.stdout.write(f"{job.entities_added} added, {job.entities_replaced} replaced. {job.message}")
            return
        for error in job.errors[:20]:
            where = ", ".join(f"{k} {error[k]}" for k in ("sheet", "row", "line") if k in error)
            self.stderr.write(f"{where}: {error.get('property') or '-'}: {error.get('message')}")
        raise CommandError(job.message or job.get_status_display())

    def _export(self, user: User, collection: Collection, options: dict[str, Any]) -> None:
        export = exports.export_for(user, collection, options["format"])
        if not options["out"]:
            for chunk in export.chunks:
                self.stdout.write(chunk.decode(), ending="")
            return
        with options["out"].open("wb") as out:
            for chunk in export.chunks:
                out.write(chunk)
