"""Writes of network intelligence: collections, imports, entity edits, analyses, assessments.

Pages and the API only call these. Each checks the access policy first (PermissionDenied, or
Http404 where the user may not know the record exists), raises ValidationError naming the field
for bad data, and writes its audit entry inside the same transaction. Jobs are queued once the
transaction commits, so a worker never looks for a row that is not there yet.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from disrupt.access import policy
from disrupt.access.choices import HandlingCode
from disrupt.audit.choices import AuditAction
from disrupt.audit.recorder import record
from disrupt.directory.models import User
from disrupt.intel import tasks
from disrupt.intel.choices import ImportFormat
from disrupt.intel.models import AnalysisRun, Collection, ImportJob
from disrupt.programme.models import Plan

# Largest file an import takes (a million synthetic entities is about 400 MB of JSON lines).
MAX_IMPORT_BYTES = 2 * 1024**3


def _visible_or_404(user: User, record: Any) -> None:
    if not policy.can_view(user, record):
        raise Http404("No such record.")


# --- Collections -----------------------------------------------------------------------------------


@transaction.atomic
def do_create_collection(
    user: User,
    *,
    name: str,
    summary: str = "",
    handling_code: str = HandlingCode.AMBER,
    plans: Iterable[Plan] = (),
) -> Collection:
    """A new, empty collection of the user's agency, at first readable by that agency only
    (AMBER and above) or by everyone signed in (CLEAR, GREEN)."""
    if not policy.can_create(user, Collection):
        raise PermissionDenied("Only officers of an agency hold collections.")
    plans = list(plans)
    visible_plans = policy.visible_to(user, Plan.objects.filter(pk__in=[p.pk for p in plans]))
    if len(plans) != visible_plans.count():
        raise ValidationError({"plans": "No such plan."})
    collection = Collection(
        owner_agency=user.agency,
        created_by=user,
        name=name.strip(),
        summary=summary.strip(),
        handling_code=handling_code,
    )
    collection.full_clean()
    collection.save()
    collection.plans.set(plans)
    record(AuditAction.COLLECTION_CREATED, actor=user, target=collection)
    return collection


# --- Imports ----------------------------------------------------------------------------------------


def _store_upload(stream: IO[bytes], limit: int = MAX_IMPORT_BYTES) -> tuple[str, int]:
    """Copy the upload under DATA_DIR/imports/ with a name of our own; refuse it past `limit`."""
    stored = f"{uuid.uuid4().hex}.upload"
    path = ImportJob(stored_name=stored).path
    path.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with path.open("wb") as out:
        while chunk := stream.read(1024 * 1024):
            size += len(chunk)
            if size > limit:
                out.close()
                path.unlink(missing_ok=True)
                raise ValidationError({"file": f"The file is larger than {limit // 1024**2} MB."})
            out.write(chunk)
    if size == 0:
        path.unlink(missing_ok=True)
        raise ValidationError({"file": "The file is empty."})
    return stored, size


def do_start_import(
    user: User,
    collection: Collection,
    *,
    name: str,
    stream: IO[bytes],
    format: str = ImportFormat.FTM,
    mapping: dict[str, Any] | None = None,
) -> ImportJob:
    """Keep the file and queue its import; the worker checks every line and applies all or none."""
    _visible_or_404(user, collection)
    if not policy.can_edit_collection(user, collection):
        raise PermissionDenied("Only the owning agency's officers import into a collection.")
    if format not in ImportFormat.values:
        raise ValidationError({"format": f"Unknown format {format!r}."})
    if format != ImportFormat.FTM and not mapping:
        raise ValidationError({"mapping": "A CSV or spreadsheet import needs a column mapping."})
    if mapping:
        from disrupt.intel.mapping import check_mapping

        check_mapping(mapping)  # raises ValidationError naming the part of the mapping at fault
    stored, size = _store_upload(stream)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                collection=collection,
                created_by=user,
                format=format,
                original_name=Path(name).name[:255] or "upload",
                stored_name=stored,
                size=size,
                mapping=mapping or {},
                progress_total=size,
            )
            record(
                AuditAction.IMPORT_STARTED,
                actor=user,
                target=collection,
                detail={"import": job.pk, "file": job.original_name, "bytes": size},
            )
            transaction.on_commit(lambda: _enqueue_import(job))
    except Exception:
        ImportJob(stored_name=stored).path.unlink(missing_ok=True)
        raise
    return job


def _enqueue_import(job: ImportJob) -> None:
    result = tasks.run_import.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


def discard_upload(job: ImportJob) -> None:
    """The kept file, once the import is finished either way (the entities are in the database)."""
    job.path.unlink(missing_ok=True)
    shutil.rmtree(job.path.with_suffix(".parts"), ignore_errors=True)


# --- Analyses ---------------------------------------------------------------------------------------


def do_request_analysis(
    user: User, collections: Iterable[Collection] | None = None, parameters: dict[str, Any] | None = None
) -> AnalysisRun:
    """Queue an analysis over the given collections (default: every collection the user may see).

    The job reads the entities through the access policy again when it runs: a collection
    whose sharing narrowed in between is left out then.
    """
    if not policy.can_create(user, AnalysisRun):
        raise PermissionDenied("Only officers of an agency run analyses.")
    visible = Collection.objects.visible_to(user)
    if collections is None:
        chosen = list(visible)
    else:
        wanted = {c.pk for c in collections}
        chosen = list(visible.filter(pk__in=wanted))
        if len(chosen) != len(wanted):
            raise Http404("No such collection.")
    if not chosen:
        raise ValidationError({"collections": "Choose at least one collection you may read."})
    with transaction.atomic():
        run = AnalysisRun.objects.create(requested_by=user, parameters=parameters or {})
        run.collections.set(chosen)
        record(
            AuditAction.ANALYSIS_REQUESTED,
            actor=user,
            detail={"analysis": run.pk, "collections": sorted(c.pk for c in chosen)},
        )
        transaction.on_commit(lambda: _enqueue_analysis(run))
    return run


def _enqueue_analysis(run: AnalysisRun) -> None:
    result = tasks.run_analysis.enqueue(run.pk)
    AnalysisRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
