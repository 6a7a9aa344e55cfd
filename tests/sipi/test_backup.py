"""Backups and the restore drill, for real: pg_dump and pg_basebackup of a server archiving its
WAL, `make restore-drill` restoring into a fresh cluster (initdb in a temporary folder), serving
the site from it and recovering to a point in time past the backup through the WAL archive."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from certifications.models import RequestDocument
from ikm.models import IKMUnit
from jobs.models import Job
from products.images import photo_add
from products.models import Product, ProductPhoto
from sipi import localpg
from sipi.backup import BackupError, backup_create, libpq_env, list_backups, read_manifest
from sipi.drill import ScratchCluster
from tests.factories import ProductFactory, UnitFactory, UserFactory
from tests.support.requests import file_roots, jpeg_bytes, make_request  # noqa: F401 - fixture
from tests.support.worker import BASE_DIR, wait_for

DB = ["default", "direct"]


def _site_data() -> dict:
    """Two units, three published products with photos, a request with its documents."""
    owner = UserFactory(username="pemilik_cadangan")
    units = [
        UnitFactory(owner=owner, name="Tenun Ikat Sintang"),
        UnitFactory(name="Lempok Durian Sanggau"),
    ]
    products = [
        ProductFactory(unit=units[0], name="Kain Tenun <Ikat> Motif Dayak"),
        ProductFactory(unit=units[0], name="Selendang Tenun"),
        ProductFactory(unit=units[1], name="Lempok Durian 250 g"),
    ]
    for i, product in enumerate(products):
        photo_add(product=product, file=jpeg_bytes(size=(320, 240), color=(40 * i, 90, 160)))
    make_request(units[0], owner, products=products[:1])
    return {"units": units, "products": products}


def _roots() -> dict[str, Path]:
    """The folders the ``file_roots`` fixture points the settings at."""
    from django.conf import settings

    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def _subprocess_env(roots: dict, database_url: str) -> dict:
    """A manage.py or make subprocess on the stand-in server and the test's file folders.
    BACKUP_DIR is not set (the tests pass --dir): `make db` points the project's cluster's WAL
    archive at BACKUP_DIR."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    env.pop("SIPI_DB_NAME", None)
    return {
        **env,
        "DATABASE_URL": database_url,
        "BACKUP_PHYSICAL": "1",  # off by default with DATABASE_URL (production)
        "MEDIA_ROOT": str(roots["media"]),
        "PRIVATE_MEDIA_ROOT": str(roots["private"]),
    }


def _files_under(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def _switch_and_archive_wal(cursor) -> str:
    """Close the current WAL segment and wait until the archiver has copied it."""
    cursor.execute("SELECT pg_walfile_name(pg_switch_wal())")
    segment = cursor.fetchone()[0]

    def archived():
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh statistics inside a transaction
        cursor.execute("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
        return cursor.fetchone()[0][:24] >= segment

    wait_for(archived, timeout=60)
    return segment


@pytest.fixture
def source_server(tmp_path):
    """A PostgreSQL server standing in for the live one: a fresh cluster archiving its WAL the
    way the project's cluster does (sipi/localpg.py), holding a copy of the test database. Its
    base backup and WAL stay small whatever else the project's shared cluster holds."""
    cluster = ScratchCluster(localpg.find_bindir())
    try:
        cluster.start(archive=True)
        dbname = connections["default"].settings_dict["NAME"]
        with contextlib.closing(cluster.connect()) as conn, conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{dbname}" TEMPLATE template0')
        cluster.dbname = dbname
        yield cluster
    finally:
        cluster.close()


def _copy_test_database(server: ScratchCluster, tmp_path: Path) -> None:
    dump = tmp_path / "copy.dump"
    bindir = localpg.find_bindir()
    subprocess.run(
        [str(bindir / "pg_dump"), "--format=custom", f"--file={dump}"],
        env=libpq_env(connections["direct"].settings_dict),
        check=True,
    )
    subprocess.run(
        [
            str(bindir / "pg_restore"),
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "-d",
            server.dbname,
            str(dump),
        ],
        env=libpq_env(server.params(server.dbname)),
        check=True,
    )


def _drill_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("sipi-drill-*")}


@pytest.mark.django_db(transaction=True, databases=DB)
@pytest.mark.usefixtures("file_roots")
def test_backup_then_make_restore_drill_restores_serves_and_recovers_to_a_point_in_time(
    regions, tmp_path, source_server
):
    roots = _roots()
    _site_data()
    _copy_test_database(source_server, tmp_path)
    backups = tmp_path / "backups"
    env = _subprocess_env(roots, source_server.database_url(source_server.dbname))
    photos = list(ProductPhoto.objects.order_by("pk"))
    docs = list(RequestDocument.objects.all())
    assert photos and docs

    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "manage.py", "backup", "--dir", str(backups)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    backup_seconds = time.monotonic() - started
    assert out.returncode == 0, out.stderr
    [backup] = list_backups(backups)
    assert str(backup) in out.stdout and "basis fisik (PITR)" in out.stdout

    # A write after the backup: only the WAL archive has it.
    with contextlib.closing(source_server.connect(source_server.dbname)) as conn:
        with conn.cursor() as cur:
            cur.execute(
                "CREATE TABLE setelah_cadangan (id int); INSERT INTO setelah_cadangan VALUES (1)"
            )
            _switch_and_archive_wal(cur)

    before = _drill_folders()
    report_path = tmp_path / "drill.json"
    started = time.monotonic()
    drill = subprocess.run(
        [
            "make",
            "-s",
            "-o",
            ".venv/.installed",
            "restore-drill",
            f"DRILL_ARGS=--dir {backups} --report {report_path}",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    drill_seconds = time.monotonic() - started
    print(out.stdout, drill.stdout, sep="\n")
    print(f"(backup subprocess {backup_seconds:.1f} s, make restore-drill {drill_seconds:.1f} s)")
    assert drill.returncode == 0, drill.stdout + drill.stderr

    # What the backup recorded: every table's rows in the dump's snapshot, every file's checksum.
    manifest = read_manifest(backup)
    tables = manifest["database"]["tables"]
    assert tables["public.ikm_ikmunit"] == IKMUnit.objects.count() == 2
    assert tables["public.products_product"] == Product.objects.count() == 3
    assert tables["public.products_productphoto"] == len(photos)
    assert tables["public.certifications_requestdocument"] == len(docs)
    assert tables["public.ikm_region"] > 1000
    on_disk = {f"media/{k}": v for k, v in _files_under(roots["media"]).items()}
    on_disk |= {f"private/{k}": v for k, v in _files_under(roots["private"]).items()}
    assert {k: v["sha256"] for k, v in manifest["checksums"].items()} == on_disk
    assert {f"media/{p.image.name}" for p in photos} <= set(on_disk)
    assert {f"private/{d.file.name}" for d in docs} <= set(on_disk)
    assert manifest["physical"]["start_wal"]
    assert manifest["physical"]["wal_archive"] == str(source_server.archive)
    assert "public.setelah_cadangan" not in tables

    # The drill: restored, counted, checked, served from the copy, and recovered to a point in
    # time past the backup.
    report = json.loads(report_path.read_text())
    assert report["ok"] and report["problems"] == []
    assert report["backup"] == backup.name
    assert report["tables"] == len(tables) and report["rows"] == sum(tables.values())
    assert report["files"] == {"restored": len(on_disk), "verified": len(on_disk), "bad": []}
    urls = [h["url"] for h in report["http"] if h["status"] == 200]
    product = Product.objects.filter(photos__isnull=False).order_by("pk").first()
    first_photo = product.photos.order_by("position", "pk").first()
    assert urls == ["/", f"/produk/{product.slug}/", f"/media/{first_photo.image.name}"]
    assert report["pitr"]["tables"]["public.setelah_cadangan"] == 1  # the later write too
    assert report["pitr"]["tables"]["public.products_product"] == 3
    assert report["pitr"]["replayed_until"] >= manifest["database"]["snapshot_at"]
    assert report["recovery_point"]["backup"] == manifest["database"]["snapshot_at"]
    assert report["recovery_point"]["wal"]["last_archived_wal"]
    for step in ("1. cadangan", "2. pemulihan", "3. verifikasi", "4. PITR", "Titik pemulihan"):
        assert step in drill.stdout
    assert "Hasil: BERHASIL" in drill.stdout
    assert set(report["seconds"]) == {"backup", "restore", "verify", "pitr"}
    # The temporary clusters are gone; the live test database is as it was.
    assert _drill_folders() <= before
    assert Product.objects.count() == 3 and ProductPhoto.objects.count() == len(photos)

    # A damaged backup fails the drill, naming what is wrong.
    counts = json.loads((backup / "manifest.json").read_text())
    counts["database"]["tables"]["public.products_product"] = 5
    (backup / "manifest.json").write_text(json.dumps(counts))
    (backup / "files" / f"media/{first_photo.image.name}").write_bytes(b"rusak")
    with pytest.raises(CommandError) as failed:
        call_command("restore_drill", "--from", str(backup), "--no-pitr", "--sample", "0")
    message = str(failed.value)
    assert "tabel public.products_product: 3 baris, manifes 5" in message
    assert f"berkas media/{first_photo.image.name}" in message
    assert "foto berbeda dari yang dicadangkan" in message
    (backup / "db.dump").write_bytes(b"bukan dump")
    with pytest.raises(CommandError, match="db.dump rusak: SHA-256 tidak cocok"):
        call_command("restore_drill", "--from", str(backup))
    assert _drill_folders() <= before


@pytest.mark.django_db(transaction=True, databases=DB)
@pytest.mark.usefixtures("file_roots")
def test_backups_keep_the_last_n_link_unchanged_files_and_never_run_twice(
    regions, tmp_path, settings
):
    settings.BACKUP_DIR = tmp_path / "backups"
    _site_data()
    first = backup_create(keep=2, physical=False)
    (settings.BACKUP_DIR / ".partial-20200101T000000Z").mkdir()  # an interrupted backup
    UnitFactory(name="Unit Baru")
    second = backup_create(keep=2, physical=False)
    third = backup_create(keep=2, physical=False)

    assert list_backups(settings.BACKUP_DIR) == [second, third]
    assert not first.exists() and not list(settings.BACKUP_DIR.glob(".partial-*"))
    assert read_manifest(second)["database"]["tables"]["public.ikm_ikmunit"] == 3
    # Unchanged files are the previous backup's copies (hard links), checksums still recorded.
    m2, m3 = read_manifest(second), read_manifest(third)
    assert m3["checksums"] == m2["checksums"] and m3["checksums"]
    for rel in m3["checksums"]:
        assert (third / "files" / rel).stat().st_ino == (second / "files" / rel).stat().st_ino
    assert m3["files"]["media"]["linked"] == m3["files"]["media"]["count"] > 0
    assert oct((third).stat().st_mode & 0o777) == oct(0o700)  # personal data

    with localpg.backup_lock(settings.BACKUP_DIR):
        with pytest.raises(BackupError, match="Pencadangan lain sedang berjalan"):
            backup_create(physical=False)
    assert list_backups(settings.BACKUP_DIR) == [second, third]


@pytest.mark.django_db(transaction=True, databases=DB)
@pytest.mark.usefixtures("file_roots")
def test_the_nightly_backup_runs_as_a_job_in_the_worker(regions, tmp_path, start_worker):
    from sipi.celery import app

    roots = _roots()
    _site_data()
    backups = tmp_path / "backups"
    start_worker(
        {
            "BACKUP_DIR": str(backups),  # a worker never reconfigures the cluster's archive
            "BACKUP_PHYSICAL": "0",
            "MEDIA_ROOT": str(roots["media"]),
            "PRIVATE_MEDIA_ROOT": str(roots["private"]),
        }
    )
    app.send_task("sipi.backup")  # what beat sends at night
    job = wait_for(
        lambda: Job.objects.filter(kind="sipi.backup", status__in=["done", "failed"]).first()
    )
    assert job.status == "done", job.error
    [backup] = list_backups(backups)
    assert job.result["backup"] == backup.name
    assert job.result["files"] == len(read_manifest(backup)["checksums"]) > 0
    assert job.result["physical"] is False
    assert read_manifest(backup)["database"]["tables"]["public.products_product"] == 3


def test_wal_archive_clean_up_keeps_the_recovery_window(tmp_path, monkeypatch):
    monkeypatch.setenv("WAL_KEEP_BASES", "2")
    monkeypatch.setenv("WAL_KEEP_HOURS", "48")
    bindir = localpg.find_bindir()
    root = tmp_path / "backups"
    wal = root / "wal"
    segments = [f"00000001000000000000000{c}" for c in "123456789"]
    for sid in ("111", "222", "333"):
        (wal / sid).mkdir(parents=True)
        for seg in segments:
            (wal / sid / f"{seg}.gz").write_bytes(b"x")
        (wal / sid / f"{segments[1]}.00000028.backup.gz").write_bytes(b"x")
        (wal / sid / "00000002.history.gz").write_bytes(b"x")
    # Three kept backups of cluster 111, their base backups starting at segments 3, 5 and 6.
    for day, start in ((1, segments[2]), (2, segments[4]), (3, segments[5])):
        (root / f"2026010{day}T000000Z").mkdir()
        physical = {"system_id": "111", "start_wal": start}
        (root / f"2026010{day}T000000Z" / "manifest.json").write_text(
            json.dumps({"physical": physical})
        )
    old = time.time() - 49 * 3600
    os.utime(wal / "111" / f"{segments[5]}.gz", (old, old))  # archived 49 hours ago

    localpg.prune_wal_archive(bindir, root=root, current="222", last_archived=segments[8])

    def left(sid):
        return sorted(p.name for p in (wal / sid).iterdir())

    # cluster 111: from the oldest of the two newest base backups on, nothing older than 48 h
    assert left("111") == [f"{s}.gz" for s in (segments[4], *segments[6:])] + [
        "00000002.history.gz"
    ]
    # the running cluster, without a base backup: nothing before its last archived segment
    assert left("222") == [f"{segments[8]}.gz", "00000002.history.gz"]
    # a cluster no kept backup belongs to: gone
    assert not (wal / "333").exists()


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the project's own cluster only")
def test_archive_command_round_trip_and_the_live_cluster_archives(tmp_path):
    folder = tmp_path / "wal dir" / "42"
    command, restore = localpg.wal_archive_commands(folder)
    assert localpg.archive_dir_of(command) == folder
    assert localpg.archive_dir_of("cp %p /mnt/server/archivedir/%f") is None
    assert "gunzip" in restore and "%p" in restore
    # The project's cluster (configured by `make db`) archives with exactly that command, and
    # configuring it again changes nothing (no restart).
    bindir = localpg.find_bindir()
    started = localpg._psql(bindir, "SELECT pg_postmaster_start_time()")
    assert localpg.configure_wal_archive(bindir) == 0
    assert localpg._psql(bindir, "SELECT pg_postmaster_start_time()") == started
    assert localpg._psql(bindir, "SHOW archive_mode") == "on"
    live = localpg.archive_dir_of(localpg._psql(bindir, "SHOW archive_command"))
    sid = localpg._psql(bindir, "SELECT system_identifier FROM pg_control_system()")
    assert live == localpg.wal_archive_dir(sid) and live.is_dir()
    # …and it works: a closed segment lands there, compressed and whole.
    live_conn = psycopg2.connect(
        host=str(localpg.socket_dir()), user=localpg.DB_USER, dbname="postgres"
    )
    live_conn.autocommit = True
    with contextlib.closing(live_conn), live_conn.cursor() as cur:
        segment = _switch_and_archive_wal(cur)
    archived = live / f"{segment}.gz"
    assert subprocess.run(["gzip", "-t", str(archived)]).returncode == 0
