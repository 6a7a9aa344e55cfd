#!/usr/bin/env python3
"""Benchmark: import 100,000 IKM units from CSV with ``manage.py import_data``, then re-import.

    .venv/bin/python bench/import_units.py [--rows 100000] [--keep]

Creates a scratch database (``sipi_bench_import``) on the project's local PostgreSQL, migrates
it and loads the Kalbar regions, writes a CSV of valid units (real desa/kelurahan codes from
``ikm/data/regions/kalbar.csv``, Indonesian number formats, NIKs, ``;`` delimiter, UTF-8 BOM),
runs the import as a province official, runs the same file again (it must change nothing), then a
file in which every row changed, checks the counts and history rows, prints the three times and
drops the scratch database.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
DB = "sipi_bench_import"
PY = str(BASE_DIR / ".venv" / "bin" / "python")
GROUPS = ["Makanan", "minuman", "KERAJINAN", "fesyen", "herbal", "furnitur", "kosmetik"]


def admin_connection():
    import psycopg2

    from sipi.localpg import DB_USER, socket_dir

    conn = psycopg2.connect(dbname="postgres", user=DB_USER, host=str(socket_dir()))
    conn.autocommit = True
    return conn


def manage(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "SIPI_DB_NAME": DB}
    return subprocess.run(
        [PY, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=env,
        check=check,
        capture_output=True,
        text=True,
    )


def rupiah(n: int) -> str:
    return "Rp " + f"{n:,}".replace(",", ".") + ",00"


def bench_nik(desa_code: str, i: int) -> str:
    """A NIK with meaning (its kecamatan, a valid birth date, serial not 0000), unique per i."""
    k, serial = divmod(i, 9999)
    day = 1 + k % 28 + (40 if i % 2 else 0)
    month = 1 + (k // 28) % 12
    year = 60 + (k // 336) % 40
    region = desa_code[0:2] + desa_code[3:5] + desa_code[6:8]
    return f"{region}{day:02d}{month:02d}{year:02d}{serial + 1:04d}"


def write_csv(path: Path, rows: int, owner: str = "Pemilik") -> None:
    desa = []
    with open(BASE_DIR / "ikm" / "data" / "regions" / "kalbar.csv", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            if rec["level"] in ("desa", "kelurahan"):
                desa.append(rec["code"])
    rnd = random.Random(64)
    headers = [
        "NIB",
        "Nama usaha",
        "Nama pemilik",
        "NIK",
        "Kelompok komoditas",
        "Kode wilayah",
        "Alamat usaha",
        "Tenaga kerja",
        "Nilai investasi (Rp)",
        "WhatsApp",
        "Tahun berdiri",
    ]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(headers)
        for i in range(rows):
            workers = rnd.randint(1, 40)
            investment = rnd.randint(5, 3000) * 1_000_000
            writer.writerow(
                [
                    f"91{i:011d}",
                    f"Usaha Bench {i}",
                    f"{owner} {i}",
                    bench_nik(desa[i % len(desa)], i),
                    GROUPS[i % len(GROUPS)],
                    desa[i % len(desa)],
                    f"Jl. Contoh No. {i % 300 + 1}",
                    str(workers),
                    rupiah(investment) if i % 2 else f"{investment:,}".replace(",", "."),
                    f"0812{i:08d}",  # stored as +62812…
                    str(1990 + i % 35),
                ]
            )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    conn = admin_connection()
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        cur.execute(f'CREATE DATABASE "{DB}"')
    try:
        manage("migrate", "--noinput")
        manage("load_regions")
        manage(
            "shell",
            "-c",
            "from django.contrib.auth.models import User; from ikm.models import Official; "
            "u = User.objects.create_user('bench_prov', is_staff=True); "
            "Official.objects.create(user=u)",
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "units.csv"
            t0 = time.monotonic()
            write_csv(path, args.rows)
            print(
                f"wrote {args.rows} rows ({path.stat().st_size / 1e6:.1f} MB) "
                f"in {time.monotonic() - t0:.1f}s"
            )
            changed = Path(tmp) / "units-changed.csv"
            write_csv(changed, args.rows, owner="Penanggung jawab")
            runs = [
                ("fresh import", path),
                ("re-import (idempotent)", path),
                ("every row changed", changed),
            ]
            for label, file in runs:
                t0 = time.monotonic()
                run = manage("import_data", "units", str(file), "--user", "bench_prov", check=False)
                seconds = time.monotonic() - t0
                print(f"{label}: {seconds:.1f}s  | {run.stdout.strip()}")
                if run.returncode:
                    print(run.stderr[-3000:])
                    return 1
        counts = (
            manage(
                "shell",
                "-c",
                "from ikm.models import IKMUnit; "
                "print(IKMUnit.objects.count(), IKMUnit.history.count(), "
                "IKMUnit.history.filter(history_user__username='bench_prov').count())",
            )
            .stdout.strip()
            .splitlines()[-1]
            .split()
        )
        print(f"units: {counts[0]}, history rows: {counts[1]} (by bench_prov: {counts[2]})")
        # one "created" row per unit, none for the unchanged re-import, one "changed" row each
        ok = int(counts[0]) == args.rows and int(counts[1]) == 2 * args.rows
        print("OK" if ok else "UNEXPECTED COUNTS")
        return 0 if ok else 1
    finally:
        if not args.keep:
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    [DB],
                )
                cur.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
