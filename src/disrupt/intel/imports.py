"""The import job: a file of entities checked line by line, then applied all at once or not at all.

`run_import_job` is what the worker runs (intel/tasks.run_import, after jobs.claim). It has two
steps, each safe to repeat after a crash:

1. **Write.** The file is streamed (FtM JSON lines, gzip or not; CSV or XLSX rows through a
   mapping, intel/mapping.py) and every entity is checked by followthemoney (intel/ftm.py).
   Good entities go in as *pending* rows of this job, in batches; each batch is committed with
   how far the job got (`lines_done`, the errors so far, bytes read for the progress bar). A
   worker that dies loses at most the batch under way: the next one skips the lines already
   committed. An id seen twice in the file is one entity, its fragments merged as FtM merges
   them (the common schema, the values of both), also across batches. After the first error
   nothing more is written, but the rest of the file is still read so that every bad row is
   named.
2. **Apply** (no error) or **refuse** (any error), in one transaction each. Applying replaces
   the live entities whose id the file holds (their earlier state kept as an EntityVersion) and
   makes the others live; an identical entity is left as it was. Refusing deletes the pending
   rows. The collection never shows half a file.

Pending rows are written with PostgreSQL's COPY there, with bulk_create elsewhere (SQLite).
"""

from __future__ import annotations

import gzip
import json
import logging
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone

from disrupt.audit.choices import AuditAction
from disrupt.audit.recorder import record
from disrupt.intel import jobs
from disrupt.intel.choices import ImportFormat, JobStatus, VersionCause
from disrupt.intel.ftm import Problem, caption_of, checked_entity, graph_columns, merge_entities
from disrupt.intel.models import Collection, Entity, EntityVersion, ImportJob

logger = logging.getLogger(__name__)

# Lines (or rows) per committed batch.
BATCH_LINES = 2000
# Errors kept on the job to show; all are counted.
MAX_ERRORS_KEPT = 200
# A line longer than this is not an entity (and must not take the worker's memory).
MAX_LINE_BYTES = 16 * 1024 * 1024

# Committed with each batch.
PROGRESS_FIELDS = ("lines_done", "entities_written", "errors", "error_count", "progress_done", "heartbeat_at")
# Copied from a pending row when it merges into another.
ENTITY_FIELDS = ("schema", "caption", "properties", "source", "target", "amount", "currency", "country")

STAGE_READING = "Reading and checking the file"
STAGE_APPLYING = "Applying to the collection"


class UnreadableFile(Exception):
    """The file as a whole cannot be read (not gzip, not a workbook…); the message says why."""


@dataclass
class Unit:
    """One line of JSON, or one row of a sheet, and what came out of it."""

    where: dict[str, Any]
    entities: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    captions: list[str] | None = None  # when already known, one per entity


class _Counted:
    """The raw file, so the progress bar can show bytes read (of the file as stored)."""

    def __init__(self, path: Path) -> None:
        self.raw: IO[bytes] = path.open("rb")

    @property
    def position(self) -> int:
        return self.raw.tell()

    def stream(self) -> IO[bytes]:
        """The content, through gzip when the file is gzip (seen from its first bytes)."""
        magic = self.raw.read(2)
        self.raw.seek(0)
        if magic == b"\x1f\x8b":
            return gzip.GzipFile(fileobj=self.raw, mode="rb")  # type: ignore[return-value]
        return self.raw

    def close(self) -> None:
        self.raw.close()


# --- Reading ---------------------------------------------------------------------------------------


def _ftm_units(stream: IO[bytes], skip: int) -> Iterator[Unit]:
    number = 0
    while line := stream.readline(MAX_LINE_BYTES):
        number += 1
        if number <= skip:
            continue
        where = {"line": number}
        if not line.endswith(b"\n") and len(line) >= MAX_LINE_BYTES:
            raise UnreadableFile(f"Line {number} is longer than {MAX_LINE_BYTES // 1024**2} MB.")
        if not line.strip():
            yield Unit(where)
            continue
        try:
            data = json.loads(line)
        except UnicodeDecodeError:
            yield Unit(where, problems=[Problem("", "The line is not UTF-8 text.")])
            continue
        except ValueError as error:
            yield Unit(where, problems=[Problem("", f"The line is not JSON ({error.args[0][:80]}).")])
            continue
        entity, caption, problems = checked_entity(data)
        yield Unit(where, [entity] if entity else [], problems, [caption])


def _mapped_units(job: ImportJob, counted: _Counted, skip: int) -> Iterator[Unit]:
    from disrupt.intel.mapping import check_mapping, csv_records, map_record, xlsx_records

    query = check_mapping(job.mapping)
    if job.format == ImportFormat.XLSX:
        records = xlsx_records(job.path, job.mapping.get("sheet"))
    else:
        records = csv_records(counted.stream())
    for number, (where, row) in enumerate(records, start=1):
        if number <= skip:
            continue
        entities, problems = map_record(query, row)
        yield Unit(where, entities, problems)


def _units(job: ImportJob, counted: _Counted) -> Iterator[Unit]:
    """Every unit after those already committed, turning a broken file into UnreadableFile."""
    from disrupt.lib.xlsx import UnreadableWorkbook

    try:
        if job.format == ImportFormat.FTM:
            yield from _ftm_units(counted.stream(), job.lines_done)
        else:
            yield from _mapped_units(job, counted, job.lines_done)
    except (OSError, EOFError, zlib.error) as error:
        raise UnreadableFile(f"The file cannot be read to its end ({error}).") from error
    except UnicodeDecodeError as error:
        raise UnreadableFile("The file is not UTF-8 text.") from error
    except UnreadableWorkbook as error:
        raise UnreadableFile(str(error)) from error


# --- Writing pending rows ------------------------------------------------------------------------------


@dataclass
class Batch:
    """The entities of the lines read since the last commit, merged by id."""

    entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    captions: dict[str, str] = field(default_factory=dict)
    where: dict[str, dict[str, Any]] = field(default_factory=dict)
    lines: int = 0


class Writer:
    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.country = job.collection.country_code
        self.batch = Batch()
        self.errors: list[dict[str, Any]] = list(job.errors)

    def error(self, where: dict[str, Any], problem: Problem) -> None:
        self.job.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append({**where, **problem.as_dict()})

    def add(self, unit: Unit) -> None:
        self.batch.lines += 1
        for problem in unit.problems:
            self.error(unit.where, problem)
        if self.job.error_count:
            self.batch.entities.clear()  # nothing more is written once the file is known bad
            return
        for n, entity in enumerate(unit.entities):
            known = self.batch.entities.get(entity["id"])
            if known is None:
                self.batch.entities[entity["id"]] = entity
                self.batch.where[entity["id"]] = unit.where
                if unit.captions is not None:
                    self.batch.captions[entity["id"]] = unit.captions[n]
                continue
            merged, trouble = merge_entities(known, entity)
            if merged is None:
                self.error(unit.where, trouble or Problem("", "Cannot merge."))
            else:
                self.batch.entities[entity["id"]] = merged
                self.batch.captions.pop(entity["id"], None)

    def commit(self, position: int) -> None:
        """Write the batch and how far the job got, in one transaction."""
        job = self.job
        with transaction.atomic():
            if self.batch.entities and not job.error_count:
                job.entities_written += self._write(self.batch)
            job.lines_done += self.batch.lines
            job.errors = self.errors
            job.progress_done = position
            job.heartbeat_at = timezone.now()
            ImportJob.objects.filter(pk=job.pk).update(
                **{name: getattr(job, name) for name in PROGRESS_FIELDS}
            )
        self.batch = Batch()

    def _write(self, batch: Batch) -> int:
        """Merge into the pending rows of earlier batches that have the same id; insert the rest.
        Returns how many rows are new."""
        earlier = Entity.all_rows.filter(
            import_job=self.job, pending=True, ftm_id__in=list(batch.entities)
        ).only("pk", "ftm_id", "schema", "properties")
        updated: list[Entity] = []
        for row in earlier:
            merged, trouble = merge_entities(row.to_ftm(), batch.entities.pop(row.ftm_id))
            if merged is None:
                self.error(batch.where[row.ftm_id], trouble or Problem("", "Cannot merge."))
                continue
            self._fill(row, merged)
            updated.append(row)
        if self.job.error_count:
            return 0
        if updated:
            Entity.all_rows.bulk_update(updated, ENTITY_FIELDS)
        if connection.vendor == "postgresql":
            _copy_rows(self._rows(batch))
        else:
            rows = [
                self._fill(self._pending(), entity, batch.captions.get(i))
                for i, entity in batch.entities.items()
            ]
            Entity.all_rows.bulk_create(rows, batch_size=500)
        return len(batch.entities)

    def _pending(self) -> Entity:
        now = timezone.now()
        return Entity(
            collection_id=self.job.collection_id,
            pending=True,
            import_job=self.job,
            updated_by_id=self.job.created_by_id,
            created_at=now,
            updated_at=now,
        )

    def _rows(self, batch: Batch) -> Iterator[tuple[Any, ...]]:
        """The batch as COPY rows (COPY_FIELDS order), without building model instances."""
        job, now = self.job, timezone.now()
        for ftm_id, entity in batch.entities.items():
            caption = batch.captions.get(ftm_id)
            if caption is None:
                caption = caption_of(entity)
            columns = graph_columns(entity["schema"], entity["properties"], self.country)
            properties = json.dumps(entity["properties"], ensure_ascii=False)
            yield (
                job.collection_id,
                ftm_id,
                entity["schema"],
                caption,
                properties,
                columns.source,
                columns.target,
                columns.amount,
                columns.currency,
                columns.country[:8],
                1,
                now,
                now,
                job.created_by_id,
                True,
                job.pk,
            )

    def _fill(self, row: Entity, entity: dict[str, Any], caption: str | None = None) -> Entity:
        columns = graph_columns(entity["schema"], entity["properties"], self.country)
        row.ftm_id = entity["id"]
        row.schema = entity["schema"]
        row.properties = entity["properties"]
        row.caption = caption if caption is not None else caption_of(entity)
        row.source = columns.source
        row.target = columns.target
        row.amount = columns.amount
        row.currency = columns.currency
        row.country = columns.country[:8]
        return row


COPY_FIELDS = (
    "collection",
    "ftm_id",
    "schema",
    "caption",
    "properties",
    "source",
    "target",
    "amount",
    "currency",
    "country",
    "version",
    "created_at",
    "updated_at",
    "updated_by",
    "pending",
    "import_job",
)


def _copy_rows(rows: Iterable[tuple[Any, ...]]) -> None:
    """PostgreSQL's COPY: several times faster than INSERT for a million rows."""
    opts = Entity._meta
    columns = ", ".join(connection.ops.quote_name(str(opts.get_field(name).column)) for name in COPY_FIELDS)  # type: ignore[union-attr]
    sql = f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


# --- The job --------------------------------------------------------------------------------------


def run_import_job(job: ImportJob) -> None:
    """Check the whole file, then apply it or refuse it (see the module's docstring)."""
    job = ImportJob.objects.select_related("collection__owner_agency__country", "created_by").get(pk=job.pk)
    with jobs.heartbeat(job):
        if not job.path.exists():
            _delete_pending(job)
            jobs.finish(job, JobStatus.FAILED, "The uploaded file is no longer there; upload it again.")
            return
        if job.stage != STAGE_APPLYING:
            _read(job)
        if job.error_count:
            _refuse(job)
        else:
            _apply(job)
    from disrupt.intel.actions import discard_upload

    discard_upload(job)


def _read(job: ImportJob) -> None:
    jobs.beat(job, stage=STAGE_READING)
    writer = Writer(job)
    counted = _Counted(job.path)
    try:
        for unit in _units(job, counted):
            writer.add(unit)
            if writer.batch.lines >= BATCH_LINES:
                writer.commit(counted.position)
    except UnreadableFile as error:
        writer.error({"line": job.lines_done + writer.batch.lines + 1}, Problem("", str(error)))
    finally:
        counted.close()
    writer.commit(job.size)
    jobs.beat(job, stage=STAGE_APPLYING if not job.error_count else "")


def _table() -> str:
    return connection.ops.quote_name(Entity._meta.db_table)


def _delete_pending(job: ImportJob) -> int:
    # Pending rows have no versions or assessment members (nothing can see them), so a plain
    # DELETE is right; the ORM's would load every row to look for them.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()} WHERE import_job_id = %s AND pending = %s", [job.pk, True])
        return cursor.rowcount


def _notify(job: ImportJob, verb: str) -> None:
    from disrupt.notifications.actions import notify

    collection = job.collection
    notify(
        [job.created_by],
        verb=verb,
        record=collection,
        url=job.get_absolute_url(),
        handling_code=collection.handling_code,
    )


def _refuse(job: ImportJob) -> None:
    with transaction.atomic():
        _delete_pending(job)
        jobs.finish(
            job,
            JobStatus.INVALID,
            f"{job.error_count} error{'s' if job.error_count != 1 else ''} in the file; "
            "nothing was imported.",
        )
        record(
            AuditAction.IMPORT_REFUSED,
            actor=job.created_by,
            target=job.collection,
            detail={"import": job.pk, "file": job.original_name, "errors": job.error_count},
        )
        _notify(job, "could not import your file into")


def _apply(job: ImportJob) -> None:
    """Pending rows replace the live entities with their id, or become live; all in one go."""
    entity, version = _table(), connection.ops.quote_name(EntityVersion._meta.db_table)
    now = timezone.now()
    same_id = "live.collection_id = %s AND live.pending = %s AND live.ftm_id = p.ftm_id"
    with transaction.atomic():
        # One import (or edit) at a time changes a collection's live entities.
        Collection.objects.select_for_update().filter(pk=job.collection_id).first()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The planner must know how many pending rows there are: with statistics from
                # before the import it takes a new collection for empty, and pairs every pending
                # row with every other of the collection (seen: minutes for 29k rows beside 6M
                # others). ANALYZE reads a sample, a second or two whatever the table's size.
                cursor.execute(f"ANALYZE {entity}")
            # An entity identical to the live one changes nothing (no new version).
            cursor.execute(
                f"DELETE FROM {entity} WHERE import_job_id = %s AND pending = %s AND EXISTS ("
                f"SELECT 1 FROM {entity} live WHERE live.collection_id = %s AND live.pending = %s "
                f"AND live.ftm_id = {entity}.ftm_id AND live.schema = {entity}.schema "
                f"AND live.properties = {entity}.properties)",
                [job.pk, True, job.collection_id, False],
            )
            unchanged = cursor.rowcount
            cursor.execute(
                f"INSERT INTO {version} (collection_id, entity_id, ftm_id, number, schema, properties, "
                "cause, reason, replaced_at, replaced_by_id) SELECT live.collection_id, live.id, "
                "live.ftm_id, live.version, live.schema, live.properties, %s, %s, %s, %s "
                f"FROM {entity} live JOIN {entity} p ON p.import_job_id = %s AND p.pending = %s "
                f"WHERE {same_id}",
                [
                    VersionCause.IMPORT,
                    f"Import {job.pk}",
                    now,
                    job.created_by_id,
                    job.pk,
                    True,
                    job.collection_id,
                    False,
                ],
            )
            cursor.execute(
                f"UPDATE {entity} AS live SET schema = p.schema, caption = p.caption, "
                "properties = p.properties, source = p.source, target = p.target, amount = p.amount, "
                "currency = p.currency, country = p.country, version = live.version + 1, "
                "updated_at = %s, updated_by_id = %s, import_job_id = %s "
                f"FROM {entity} AS p WHERE p.import_job_id = %s AND p.pending = %s AND {same_id}",
                [now, job.created_by_id, job.pk, job.pk, True, job.collection_id, False],
            )
            replaced = cursor.rowcount
            cursor.execute(
                f"DELETE FROM {entity} WHERE import_job_id = %s AND pending = %s AND EXISTS ("
                f"SELECT 1 FROM {entity} live WHERE live.collection_id = %s AND live.pending = %s "
                f"AND live.ftm_id = {entity}.ftm_id)",
                [job.pk, True, job.collection_id, False],
            )
            cursor.execute(
                f"UPDATE {entity} SET pending = %s WHERE import_job_id = %s AND pending = %s",
                [False, job.pk, True],
            )
            added = cursor.rowcount
        Collection.objects.filter(pk=job.collection_id).update(updated_at=now)
        jobs.finish(
            job,
            JobStatus.DONE,
            f"{added} added, {replaced} replaced, {unchanged} unchanged.",
            entities_added=added,
            entities_replaced=replaced,
            progress_done=job.size,
        )
        record(
            AuditAction.IMPORT_APPLIED,
            actor=job.created_by,
            target=job.collection,
            detail={
                "import": job.pk,
                "file": job.original_name,
                "added": added,
                "replaced": replaced,
                "unchanged": unchanged,
            },
        )
        _notify(job, "imported your file into")
        # The collection changed: it is matched against every other owner's (matching/runs.py).
        from disrupt.matching.actions import queue_collection

        queue_collection(job.collection)
