"""Import rate on PostgreSQL through the real job path, beside two baselines on the same lines.

Run (one command; PostgreSQL on 127.0.0.1:5432, user postgres, trust):

    .venv/bin/python bench/import_bench.py --sizes 10000 100000 [1000000] \
        [--database postgres://postgres@127.0.0.1:5432/disrupt_h1_bench] [--data-dir /tmp/h1/bench]

For each size a synthetic file of exactly that many entities (disrupt.intel.synth, seed 7: people,
accounts, vessels… and the links and payments between them) is written as FtM JSON lines. Then:

- **import**: the file is queued with `intel.actions.do_start_import` as an Indonesian investigator,
  and a real worker subprocess (`disrupt worker --batch`) runs the job to the end; the bench
  prints the job's progress while it runs, the job's own running time (claim to DONE, from its
  row), entities/second, and the worker's peak RSS (from wait4 on that process);
- **copy**: a bare psycopg COPY of the same lines, one jsonb column of an UNLOGGED table, no
  checking at all — what the database alone takes to write the bytes;
- **ftm**: followthemoney's own parse and clean of the same lines (json.loads, get_proxy with
  cleaned=False, caption), in this process, no database — what checking alone takes.

The database is created if missing, migrated, and each collection is deleted after its run.
The machine is shared: the load average is printed beside each figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/disrupt_h1_bench"
# Link entities per node the generator writes (~2.9 entities per node at its defaults).
ENTITIES_PER_NODE = 2.9


def setup(database: str, data_dir: Path) -> None:
    import psycopg

    name = database.rsplit("/", 1)[1]
    with psycopg.connect(database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = database
    os.environ["DISRUPT_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disrupt.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def write_file(path: Path, size: int) -> int:
    from disrupt.intel.synth import NetworkGenerator, Params

    nodes = max(200, int(size / ENTITIES_PER_NODE) + 1)
    written = 0
    with path.open("w") as out:
        for _, entity in NetworkGenerator(Params(seed=7, entities=nodes)).stream():
            out.write(json.dumps(entity, ensure_ascii=False, separators=(",", ":")) + "\n")
            written += 1
            if written == size:
                break
    return written


def officer() -> Any:
    from disrupt.core.reference import load_countries, load_reference
    from disrupt.directory.choices import RoleCode
    from disrupt.directory.models import Agency, Country, Role, User

    if not Country.objects.exists():
        load_countries()
    load_reference()
    agency, _ = Agency.objects.get_or_create(
        name="Indonesian National Police (bench)", defaults={"country": Country.objects.get(code="ID")}
    )
    user, made = User.objects.get_or_create(
        email="bench@inp.test", defaults={"full_name": "Bench Investigator", "agency": agency}
    )
    if made:
        user.roles.set(Role.objects.filter(code=RoleCode.INVESTIGATOR))
    return user


def load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def run_import(user: Any, path: Path, size: int) -> dict[str, Any]:
    from django.db import connection

    from disrupt.intel import actions
    from disrupt.intel.models import Entity

    collection = actions.do_create_collection(user, name=f"Bench {size}")
    with path.open("rb") as stream:
        job = actions.do_start_import(user, collection, name=path.name, stream=stream)
    log = path.with_suffix(".worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "disrupt", "worker", "--batch", "--interval", "0.2"],
        env={**os.environ},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    shown = -10
    while True:
        # wait4 gives this one process's peak RSS (ru_maxrss, kB), which poll() would lose.
        pid, _, usage = os.wait4(worker.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(1)
        job.refresh_from_db()
        if job.percent - shown >= 10:
            print(f"    progress {job.percent:3d}%  {job.lines_done:>9} lines  {job.stage}", flush=True)
            shown = job.percent
    worker.returncode = 0
    log.close()
    job.refresh_from_db()
    if job.status != "done":
        raise SystemExit(f"import {job.pk} ended {job.status}: {job.message} {job.errors[:3]}")
    assert job.started_at and job.finished_at
    seconds = (job.finished_at - job.started_at).total_seconds()
    live = Entity.objects.filter(collection=collection).count()
    result = {
        "entities": job.entities_added,
        "live": live,
        "seconds": seconds,
        "rate": job.entities_added / seconds,
        "peak_rss_mb": usage.ru_maxrss / 1024,
    }
    with connection.cursor() as cursor:  # a million rows: not through the ORM's collector
        cursor.execute("DELETE FROM intel_entity WHERE collection_id = %s", [collection.pk])
    collection.delete()
    return result


def run_copy(database: str, path: Path) -> float:
    import psycopg

    with psycopg.connect(database) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw")
        conn.execute("CREATE UNLOGGED TABLE bench_raw (doc jsonb)")
        started = time.perf_counter()
        with (
            path.open() as lines,
            conn.cursor() as cursor,
            cursor.copy("COPY bench_raw (doc) FROM STDIN") as copy,
        ):
            for line in lines:
                copy.write_row([line.rstrip("\n")])
        conn.commit()
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE bench_raw")
    return seconds


def run_ftm(path: Path) -> float:
    from followthemoney import model

    started = time.perf_counter()
    with path.open() as lines:
        for line in lines:
            proxy = model.get_proxy(json.loads(line), cleaned=False)
            proxy.caption  # noqa: B018 (computed for its cost)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/h1/bench"))
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    setup(args.database, args.data_dir)
    user = officer()
    print(f"cpus {os.cpu_count()}, PostgreSQL {args.database.rsplit('@', 1)[-1]}")
    rows = []
    for size in args.sizes:
        path = args.data_dir / f"bench-{size}.ftm.json"
        count = write_file(path, size)
        mb = path.stat().st_size / 1024**2
        print(f"{count} entities, {mb:.0f} MB, load {load()}", flush=True)
        imported = run_import(user, path, count)
        print(
            f"  import  {imported['seconds']:8.1f} s  {imported['rate']:9.0f} entities/s  "
            f"peak RSS {imported['peak_rss_mb']:.0f} MB  (load {load()})",
            flush=True,
        )
        copy_s = run_copy(args.database, path)
        print(f"  copy    {copy_s:8.1f} s  {count / copy_s:9.0f} entities/s  (load {load()})", flush=True)
        ftm_s = run_ftm(path)
        print(f"  ftm     {ftm_s:8.1f} s  {count / ftm_s:9.0f} entities/s  (load {load()})", flush=True)
        rows.append((count, mb, imported, copy_s, ftm_s))
        path.unlink()
    columns = ["entities", "MB", "import s", "import entities/s", "worker peak RSS MB"]
    columns += ["bare COPY entities/s", "FtM parse+clean entities/s"]
    print("\n| " + " | ".join(columns) + " |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for count, mb, imported, copy_s, ftm_s in rows:
        print(
            f"| {count:,} | {mb:.0f} | {imported['seconds']:.1f} | {imported['rate']:,.0f} | "
            f"{imported['peak_rss_mb']:.0f} | {count / copy_s:,.0f} | {count / ftm_s:,.0f} |"
        )


if __name__ == "__main__":
    main()
