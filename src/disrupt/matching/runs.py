"""Running a matching job: index (resumable by cursor), then match what is dirty (resumable by flag).

The kinds (choices.JobKind):
- COLLECTION: a collection changed (an import applied, an entity added, edited or deleted).
- UPLOAD: a selector-only upload: validated whole first (nothing is written from a file with an
  error), then written and matched.
- BULK: on demand, everything is compared again (subjects marked dirty in one statement first).
- REINDEX: every collection re-indexed under the configured keys (a key rotation), digests under
  retired keys dropped, then matched.
Progress is written with each batch, so the page's bar moves and a restarted job resumes.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import QuerySet

from disrupt.intel.choices import JobStatus
from disrupt.intel.jobs import beat, finish, heartbeat
from disrupt.intel.models import Collection, Entity
from disrupt.matching.choices import JobKind
from disrupt.matching.engine import match_batch
from disrupt.matching.indexing import drop_other_keys, index_entities, write_uploaded
from disrupt.matching.keys import current_keys
from disrupt.matching.models import MatchingJob, SelectorUpload, Subject

logger = logging.getLogger(__name__)

INDEX_BATCH = 1000
MATCH_BATCH = 500


def run_matching_job(job: MatchingJob) -> None:
    """Carry the claimed job to its end (or to a clear failure)."""
    try:
        with heartbeat(job):
            if job.kind == JobKind.UPLOAD:
                if not _load_upload(job):
                    return
                scope: QuerySet[Subject] = Subject.objects.filter(upload=job.upload_id)
            elif job.kind == JobKind.COLLECTION:
                assert job.collection is not None
                _index_collection(job, job.collection)
                scope = Subject.objects.filter(collection=job.collection_id)
            elif job.kind == JobKind.REINDEX:
                keys = current_keys()
                for collection in Collection.objects.filter(pk__gt=job.cursor).order_by("pk"):
                    _index_collection(job, collection, resume=False)
                    MatchingJob.objects.filter(pk=job.pk).update(cursor=collection.pk)
                drop_other_keys(keys)
                scope = Subject.objects.all()
            else:
                if job.subjects_matched == 0 and job.stage != "Matching":
                    Subject.objects.update(dirty=True)
                scope = Subject.objects.all()
            _match(job, scope)
    except Exception as exc:  # noqa: BLE001 - the job records why it stopped, then the worker goes on
        logger.exception("matching job %s failed", job.pk)
        finish(job, JobStatus.FAILED, f"The job stopped: {type(exc).__name__}.")
        return
    finish(job, JobStatus.DONE, f"{job.hits_new} new hits.")


def _index_collection(job: MatchingJob, collection: Collection, resume: bool = True) -> None:
    keys = current_keys()
    entities = Entity.objects.filter(collection=collection).order_by("pk")
    total = entities.count()
    start = job.cursor if resume else 0
    done = entities.filter(pk__lte=start).count()
    beat(job, stage="Indexing", done=done, total=total)
    while True:
        batch = list(entities.filter(pk__gt=start)[:INDEX_BATCH])
        if not batch:
            break
        with transaction.atomic():
            changed = index_entities(collection, batch, keys)
            start = batch[-1].pk
            done += len(batch)
            job.subjects_indexed += changed
            fields = {"subjects_indexed": job.subjects_indexed}
            if resume:
                fields["cursor"] = start
            MatchingJob.objects.filter(pk=job.pk).update(**fields)
            beat(job, done=done)


def records_key_id(upload: SelectorUpload) -> str:
    from disrupt.matching.selectorfile import key_id_of

    with open(upload.path, encoding="utf-8") as fp:
        return key_id_of(fp)[:16]


def _load_upload(job: MatchingJob) -> bool:
    from disrupt.matching.selectorfile import SelectorFileError, read_selector_file

    assert job.upload_id is not None
    upload = SelectorUpload.objects.get(pk=job.upload_id)
    beat(job, stage="Checking the file")
    try:
        with open(upload.path, encoding="utf-8") as fp:
            records = list(read_selector_file(fp, expected_key_ids=[k.key_id for k in current_keys()]))
    except (SelectorFileError, UnicodeDecodeError, OSError) as exc:
        message = str(exc) if isinstance(exc, SelectorFileError) else f"{upload.original_name}: {exc}"
        SelectorUpload.objects.filter(pk=upload.pk).update(status=JobStatus.INVALID, message=message)
        finish(job, JobStatus.INVALID, message)
        return False
    total = len(records)
    beat(job, stage="Writing", done=job.cursor, total=total)
    # The file was checked against the configured keys: its digests are stored under its key.
    upload.key_id = records_key_id(upload)
    SelectorUpload.objects.filter(pk=upload.pk).update(status=JobStatus.RUNNING, key_id=upload.key_id)
    for start in range(job.cursor, total, INDEX_BATCH):
        chunk = records[start : start + INDEX_BATCH]
        with transaction.atomic():
            job.subjects_indexed += write_uploaded(upload, chunk)
            MatchingJob.objects.filter(pk=job.pk).update(
                cursor=start + len(chunk), subjects_indexed=job.subjects_indexed
            )
            beat(job, done=start + len(chunk))
    SelectorUpload.objects.filter(pk=upload.pk).update(
        status=JobStatus.DONE,
        record_count=total,
        selector_count=sum(len(r.selectors) for r in records),
        person_count=sum(1 for r in records if r.person),
    )
    return True


def _match(job: MatchingJob, scope: QuerySet[Subject]) -> None:
    from disrupt.matching.notices import tell_about_hits

    dirty = scope.filter(dirty=True).order_by("pk")
    remaining = dirty.count()
    done = job.subjects_matched
    beat(job, stage="Matching", done=done, total=done + remaining)
    while True:
        ids = list(dirty.values_list("pk", flat=True)[:MATCH_BATCH])
        if not ids:
            break
        with transaction.atomic():
            result = match_batch(ids)
            done += result.matched
            job.subjects_matched = done
            job.hits_new += len(result.new_hits)
            MatchingJob.objects.filter(pk=job.pk).update(subjects_matched=done, hits_new=job.hits_new)
            beat(job, done=done)
            # Told in the same transaction: a job killed after this batch has told, one killed
            # before it has not, and its rerun finds the hits new again.
            tell_about_hits(result.new_hits)
