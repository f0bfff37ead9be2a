"""`disrupt intel import|export`: as the named user, through the same actions and policy."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.intel.choices import JobStatus
from disrupt.intel.models import ImportJob
from disrupt.intel.tests.importing import import_file, lines, make_collection, person, run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_import_queues_the_file_for_the_worker(cast: Cast, tmp_path: Path) -> None:
    collection = make_collection(cast)
    path = tmp_path / "people.ftm.json"
    path.write_bytes(lines([person("p-1", "Budi"), person("p-2", "Ayu")]))
    out = StringIO()
    call_command(
        "intel", "import", "--collection", str(collection.pk), "--as", "inv@inp.test", str(path), stdout=out
    )
    job = ImportJob.objects.get()
    assert f"Import {job.pk} of people.ftm.json" in out.getvalue()
    assert (job.created_by, job.status, job.format) == (cast.investigator_id, JobStatus.QUEUED, "ftm")
    assert run(job).entities_added == 2


def test_import_refuses_a_user_who_may_not_import(cast: Cast, tmp_path: Path) -> None:
    collection = make_collection(cast)
    path = tmp_path / "people.ftm.json"
    path.write_bytes(lines([person("p-1", "Budi")]))
    with pytest.raises(CommandError, match="No collection"):
        call_command("intel", "import", "--collection", str(collection.pk), "--as", "inv@rtp.test", str(path))
    assert not ImportJob.objects.exists()


def test_export_writes_the_collection_and_records_it(cast: Cast, tmp_path: Path) -> None:
    collection = make_collection(cast)
    import_file(cast.investigator_id, collection, lines([person("p-2", "Ayu"), person("p-1", "Budi")]))
    out = StringIO()
    call_command("intel", "export", "--collection", str(collection.pk), "--as", "focal@inp.test", stdout=out)
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == ["p-1", "p-2"]
    target = tmp_path / "net.graphml"
    call_command(
        "intel",
        "export",
        "--collection",
        str(collection.pk),
        "--as",
        "inv@inp.test",
        "--format",
        "graphml",
        "--out",
        str(target),
    )
    assert b"<graphml" in target.read_bytes()
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 2
    with pytest.raises(CommandError, match="No collection"):
        call_command("intel", "export", "--collection", str(collection.pk), "--as", "obs@iom.test")
