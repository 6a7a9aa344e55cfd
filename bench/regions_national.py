"""Benchmark: load the national region file (91,599 rows) into a throw-away database.

    .venv/bin/python bench/regions_national.py [--db sipi_bench] [--keep]

Creates the scratch database on the project's local PostgreSQL (``make db``), migrates it, times
``manage.py load_regions ikm/data/regions/indonesia.csv.gz`` (must stay under 60 s) and a second,
idempotent run (must create and update nothing), checks the counts per level, prints the
figures and drops the database (unless ``--keep``). The shared dev database is never touched.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
NATIONAL = ROOT / "ikm" / "data" / "regions" / "indonesia.csv.gz"
LIMIT_SECONDS = 60.0
# All of Indonesia, 2025 edition (see ikm/data/regions/README.md).
EXPECTED = {"provinsi": 38, "kabupaten+kota": 514, "kecamatan": 7285, "desa+kelurahan": 83762}


def admin_connection():
    sys.path.insert(0, str(ROOT))
    import psycopg2

    if os.environ.get("DATABASE_URL"):
        sys.exit("regions_national: runs on the local cluster only (unset DATABASE_URL, make db).")
    from sipi.localpg import DB_USER, socket_dir

    conn = psycopg2.connect(dbname="postgres", user=DB_USER, host=str(socket_dir()))
    conn.autocommit = True
    return conn


def manage(db: str, *args: str) -> tuple[float, str]:
    env = {**os.environ, "SIPI_DB_NAME": db, "DJANGO_DEBUG": "0", "SECRET_KEY": "bench-only"}
    env.pop("DATABASE_URL", None)
    started = time.perf_counter()
    res = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if res.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{res.stdout}\n{res.stderr}")
    return elapsed, res.stdout.strip()


def counts(db: str) -> dict[str, int]:
    import psycopg2

    from sipi.localpg import DB_USER, socket_dir

    with psycopg2.connect(dbname=db, user=DB_USER, host=str(socket_dir())) as conn:
        with conn.cursor() as cur:
            cur.execute("SELECT level, count(*) FROM ikm_region GROUP BY level")
            by_level = dict(cur.fetchall())
    return {
        "provinsi": by_level.get("provinsi", 0),
        "kabupaten+kota": by_level.get("kabupaten", 0) + by_level.get("kota", 0),
        "kecamatan": by_level.get("kecamatan", 0),
        "desa+kelurahan": by_level.get("desa", 0) + by_level.get("kelurahan", 0),
    }


def loader_seconds(output: str) -> str:
    match = re.search(r"\(([0-9.]+) dtk\)", output)
    return match.group(1) if match else "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sipi_bench", help="scratch database name")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", args.db) or args.db in ("sipi", "postgres"):
        sys.exit("regions_national: choose another scratch database name.")

    conn = admin_connection()
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{args.db}"')
        cur.execute(f'CREATE DATABASE "{args.db}"')
    ok = True
    try:
        migrate_s, _ = manage(args.db, "migrate", "--noinput", "-v0")
        first_s, first_out = manage(args.db, "load_regions", str(NATIONAL))
        second_s, second_out = manage(args.db, "load_regions", str(NATIONAL))
        got = counts(args.db)

        print(f"scratch database {args.db}: migrate {migrate_s:.1f} s")
        print(
            f"first load : {first_s:.1f} s wall (loader {loader_seconds(first_out)} s) — "
            f"{first_out}"
        )
        print(
            f"second load: {second_s:.1f} s wall (loader {loader_seconds(second_out)} s) — "
            f"{second_out}"
        )
        print("counts     : " + ", ".join(f"{k} {v:,}" for k, v in got.items()))
        if got != EXPECTED:
            print(f"FAIL: expected {EXPECTED}")
            ok = False
        if first_s >= LIMIT_SECONDS:
            print(f"FAIL: first load took {first_s:.1f} s (limit {LIMIT_SECONDS:.0f} s)")
            ok = False
        if not re.search(r"\b0 baru, 0 diperbarui\b", second_out):
            print("FAIL: the second load changed something")
            ok = False
        print("OK" if ok else "FAILED")
    finally:
        if not args.keep:
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
            print(f"scratch database {args.db} dropped")
        conn.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
