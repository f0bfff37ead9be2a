"""`disrupt selectors encode|keygen` on a member's machine: no database, no network, no raw value out."""

from __future__ import annotations

import gzip
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from disrupt.matching.keys import MatchingKey
from disrupt.matching.selectorfile import entity_ref, read_selector_file

ENTITIES: list[dict[str, Any]] = [
    {
        "id": "my-op-7-siti-rahayu",
        "schema": "Person",
        "properties": {
            "name": ["Siti Rahayu"],
            "birthDate": ["1990-11-03"],
            "phone": ["012-345 6789"],
            "email": ["Siti.Rahayu@example.net"],
            "passportNumber": ["K 9988776"],
        },
    },
    {
        "id": "my-op-7-account",
        "schema": "UserAccount",
        "properties": {
            "username": ["@SitiR_Boats"],
            "service": ["Telegram"],
            "owner": ["my-op-7-siti-rahayu"],
        },
    },
    {"id": "my-op-7-van", "schema": "Vehicle", "properties": {"registrationNumber": ["WXY 4321"]}},
]
RAW = [
    "Siti",
    "Rahayu",
    "1990-11-03",
    "012-345 6789",
    "60123456789",
    "Siti.Rahayu",
    "siti.rahayu@example.net",
]
RAW += ["K 9988776", "K9988776", "SitiR_Boats", "sitir_boats", "WXY 4321", "WXY4321", "my-op-7", "Telegram"]


def run(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        # Unreachable on purpose: the command must not need a database at all.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "DISRUPT_DATA_DIR": str(tmp_path / "data"),
    }
    return subprocess.run(
        [sys.executable, "-m", "disrupt", "selectors", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=600,
    )


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "matching.key"
    done = run(tmp_path, "keygen", "--out", str(path))
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def entities_file(tmp_path: Path) -> Path:
    path = tmp_path / "op7.ftm.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in ENTITIES) + "this line is not json\n")
    return path


def test_keygen_writes_a_private_key_file_and_never_overwrites_it(tmp_path: Path, key_file: Path) -> None:
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    key = MatchingKey.from_file(key_file)
    again = run(tmp_path, "keygen", "--out", str(key_file))
    assert again.returncode != 0 and "exists already" in again.stderr
    assert MatchingKey.from_file(key_file) == key
    printed = run(tmp_path, "keygen")
    assert printed.returncode == 0 and MatchingKey.from_text(printed.stdout).key_id != key.key_id


def test_encode_works_without_a_database_and_writes_no_raw_value(
    tmp_path: Path, key_file: Path, entities_file: Path
) -> None:
    refs = tmp_path / "refs.csv"
    done = run(
        tmp_path,
        "encode",
        "--key-file",
        str(key_file),
        "--country",
        "MY",
        "--refs",
        str(refs),
        str(entities_file),
    )
    assert done.returncode == 0, done.stderr
    for value in RAW:
        assert value.lower() not in done.stdout.lower(), value
    key = MatchingKey.from_file(key_file)
    parsed = read_selector_file(io.StringIO(done.stdout), expected_key_ids=[key.key_id])
    assert [r.ref for r in parsed] == [entity_ref(key, "my-op-7-siti-rahayu"), entity_ref(key, "my-op-7-van")]
    siti = parsed.records[0]
    assert sorted(kind.value for kind, _ in siti.selectors) == ["email", "handle", "passport", "phone"]
    assert siti.person is not None
    assert "line 4: not JSON, skipped" in done.stderr and "Encoded 3 records" in done.stderr
    assert stat.S_IMODE(os.stat(refs).st_mode) == 0o600
    assert "my-op-7-account," + entity_ref(key, "my-op-7-siti-rahayu") in refs.read_text()


def test_encode_reads_gzip_and_standard_input_and_writes_to_a_file(
    tmp_path: Path, key_file: Path, entities_file: Path
) -> None:
    packed = tmp_path / "op7.ftm.jsonl.gz"
    packed.write_bytes(gzip.compress(entities_file.read_bytes()))
    out = tmp_path / "selectors.json"
    from_gzip = run(tmp_path, "encode", "--key-file", str(key_file), "--out", str(out), str(packed))
    assert from_gzip.returncode == 0, from_gzip.stderr
    from_stdin = run(tmp_path, "encode", "--key-file", str(key_file), "-", stdin=entities_file.read_text())
    assert from_stdin.returncode == 0, from_stdin.stderr
    records = lambda text: json.loads(text)["records"]  # noqa: E731
    assert records(out.read_text()) == records(from_stdin.stdout)


def test_encode_refuses_a_missing_or_bad_key_and_a_missing_input(tmp_path: Path, entities_file: Path) -> None:
    missing = run(tmp_path, "encode", "--key-file", str(tmp_path / "none.key"), str(entities_file))
    assert missing.returncode != 0 and "No matching key file" in missing.stderr and not missing.stdout
    bad = tmp_path / "bad.key"
    bad.write_text("c2hvcnQ=\n")
    short = run(tmp_path, "encode", "--key-file", str(bad), str(entities_file))
    assert short.returncode != 0 and "at least 32" in short.stderr
    good = tmp_path / "good.key"
    MatchingKey.generate().write(good)
    absent = run(tmp_path, "encode", "--key-file", str(good), str(tmp_path / "absent.jsonl"))
    assert absent.returncode != 0 and "No file" in absent.stderr
    country = run(tmp_path, "encode", "--key-file", str(good), "--country", "Atlantis", str(entities_file))
    assert country.returncode != 0 and "--country" in country.stderr
