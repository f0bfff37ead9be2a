"""What the import, export and entity tests share: a collection of the cast's Indonesian police,
files of FtM lines, and running a queued import the way the worker task does (claim, then run)."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable
from typing import Any

from disrupt.access.choices import HandlingCode
from disrupt.conftest import Cast
from disrupt.directory.models import User
from disrupt.intel import actions, jobs
from disrupt.intel.choices import ImportFormat
from disrupt.intel.imports import run_import_job
from disrupt.intel.models import Collection, ImportJob


def make_collection(cast: Cast, name: str = "Kupang crew", code: str = HandlingCode.AMBER) -> Collection:
    return actions.do_create_collection(cast.investigator_id, name=name, handling_code=code)


def person(ftm_id: str, name: str, **props: list[str]) -> dict[str, Any]:
    return {"id": ftm_id, "schema": "Person", "properties": {"name": [name], **props}}


def lines(entities: Iterable[dict[str, Any]], gz: bool = False) -> bytes:
    data = "".join(json.dumps(e) + "\n" for e in entities).encode()
    return gzip.compress(data) if gz else data


def start(
    user: User,
    collection: Collection,
    data: bytes,
    name: str = "file.ftm.json",
    format: str = ImportFormat.FTM,
    mapping: dict[str, Any] | None = None,
) -> ImportJob:
    return actions.do_start_import(
        user, collection, name=name, stream=io.BytesIO(data), format=format, mapping=mapping
    )


def run(job: ImportJob) -> ImportJob:
    """What intel.tasks.run_import does in the worker, in this process."""
    claimed = jobs.claim(ImportJob, job.pk)
    assert claimed is not None
    run_import_job(claimed)
    job.refresh_from_db()
    return job


def import_file(user: User, collection: Collection, data: bytes, **kwargs: Any) -> ImportJob:
    return run(start(user, collection, data, **kwargs))
