"""The restore drill: prove that a backup (``sipi/backup.py``) restores and serves the site.

``make restore-drill`` (``manage.py restore_drill --backup``) takes a backup, then restores the
latest one into a FRESH PostgreSQL cluster (initdb in a temporary folder, its own unix socket, no
TCP port) and a fresh files folder, and checks it:

1. the dump's SHA-256 against the manifest, before restoring it;
2. the row count of every table against the counts recorded in the dump's own snapshot;
3. a sample of the restored files against their SHA-256;
4. the site itself, run on the restored copy (``DATABASE_URL`` at the fresh cluster, MEDIA_ROOT at
   the restored files, a cache of its own): the home page, a product page and that product's
   photo answer 200, and the photo's bytes are the backed-up ones.

It prints the time of each step (backup, restore, verification) and the recovery point: when the
dump's snapshot was taken, and the last WAL segment the server archived (the point a
point-in-time recovery from the backup's physical base could reach). The temporary cluster and
files are removed afterwards, whatever happened.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import html
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import psycopg2
from django.conf import settings
from django.utils import timezone

from sipi import localpg
from sipi.backup import (
    BackupError,
    archive_status,
    backup_create,
    latest_backup,
    libpq_env,
    pg_bindir,
    read_manifest,
    sha256_file,
    table_counts,
)

BASE_DIR = Path(__file__).resolve().parent.parent
SERVE_TIMEOUT = 60  # seconds for the drill's web server to answer


def _sql_quote(value: str) -> str:
    return value.replace("'", "''")


class ScratchCluster:
    """A throwaway PostgreSQL cluster in a temporary folder, listening only on its own unix
    socket. When root, it runs as the service user (PostgreSQL refuses root), as in
    ``sipi/localpg.py``. ``close()`` stops it and deletes the folder."""

    def __init__(self, bindir: Path, user: str = localpg.DB_USER):
        self.bindir = bindir
        self.user = user  # the role the drill connects as
        self.root = Path(tempfile.mkdtemp(prefix="sipi-drill-"))
        self.data = self.root / "data"
        self.run = self.root / "run"
        self.log = self.root / "postgres.log"
        self.archive = self.root / "wal"
        self.started = False

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        res = localpg._as_server_user(
            [str(self.bindir / "pg_ctl"), *args, "-D", str(self.data)],
            capture_output=True,
            text=True,
        )
        if check and res.returncode != 0:
            log = self.log.read_text()[-1500:] if self.log.exists() else ""
            raise BackupError(f"pg_ctl {args[0]} gagal: {res.stderr.strip()}\n{log}")
        return res

    def _prepare(self) -> None:
        for folder in (self.data, self.run):
            folder.mkdir(mode=0o700)
        self.log.touch()
        if localpg._is_root():
            localpg._ensure_service_user()
            self._chown(self.root, self.data, self.run, self.log)
            localpg._make_reachable(self.root)

    def _chown(self, *paths: Path, recursive: bool = False) -> None:
        if not localpg._is_root():
            return
        import pwd

        pw = pwd.getpwnam(localpg.SERVICE_USER)
        for path in paths:
            os.chown(path, pw.pw_uid, pw.pw_gid)
            if recursive:
                for folder, dirs, names in os.walk(path):
                    for name in dirs + names:
                        os.lchown(os.path.join(folder, name), pw.pw_uid, pw.pw_gid)

    def _start(self, *extra: str) -> None:
        # A scratch copy: no durability, no TCP port, its own socket.
        options = (
            f"-k {self.run} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
            " -c synchronous_commit=off " + " ".join(extra)
        )
        self._pg_ctl("start", "-w", "-t", "120", "-l", str(self.log), "-o", options)
        self.started = True

    def start(self, archive: bool = False) -> ScratchCluster:
        """A new, empty cluster (initdb); with ``archive``, archiving its WAL into
        ``<folder>/wal`` like the project's cluster does (a stand-in for a live server)."""
        self._prepare()
        res = localpg._as_server_user(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                localpg.DB_USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            raise BackupError(f"initdb gagal: {res.stderr.strip()}")
        archiving = "-c archive_mode=off"
        if archive:
            self.archive.mkdir(mode=0o700)
            self._chown(self.archive)
            command, _restore = localpg.wal_archive_commands(self.archive)
            with open(self.data / "postgresql.auto.conf", "a") as conf:
                conf.write(f"archive_mode = on\narchive_command = '{_sql_quote(command)}'\n")
            archiving = ""
        self._start("-c max_connections=30", archiving)
        return self

    def start_from_base(self, base: Path, archive: Path, timeout: float = 300) -> ScratchCluster:
        """A copy of the backed-up cluster: its physical base backup, then every archived WAL
        segment replayed (archive recovery to the end of the archive), then promoted."""
        self._prepare()
        for tar, into in (("base.tar.gz", self.data), ("pg_wal.tar.gz", self.data / "pg_wal")):
            into.mkdir(exist_ok=True, mode=0o700)
            res = subprocess.run(
                ["tar", "-xzf", str(base / tar), "-C", str(into)], capture_output=True, text=True
            )
            if res.returncode != 0:
                raise BackupError(f"{tar} tidak bisa dibuka: {res.stderr.strip()}")
        _archive_cmd, restore_cmd = localpg.wal_archive_commands(archive)
        # Only the drill reaches this copy (its own socket in a private folder): trust it, and
        # start without the configuration files a packaged server keeps outside its data folder.
        (self.data / "pg_hba.conf").write_text("local all all trust\n")
        (self.data / "postgresql.conf").touch()
        with open(self.data / "postgresql.auto.conf", "a") as conf:
            # Never archive into the live cluster's archive (same system id), whatever the copied
            # configuration says; replay everything the archive holds, then promote.
            conf.write(
                "\n# sipi restore drill\narchive_mode = off\n"
                f"restore_command = '{_sql_quote(restore_cmd)}'\n"
                "recovery_target_timeline = 'latest'\n"
            )
        (self.data / "recovery.signal").touch()
        self._chown(self.data, recursive=True)
        self._start("-c archive_mode=off -c hot_standby=on")
        deadline = time.monotonic() + timeout
        while True:
            try:
                with contextlib.closing(self.connect()) as conn, conn.cursor() as cur:
                    cur.execute("SELECT pg_is_in_recovery()")
                    if not cur.fetchone()[0]:
                        return self
            except psycopg2.OperationalError:
                pass
            if time.monotonic() > deadline:
                raise BackupError("Pemulihan WAL tidak selesai: " + _tail(self.log))
            time.sleep(0.2)

    def params(self, dbname: str = "postgres") -> dict:
        return {"HOST": str(self.run), "USER": self.user, "NAME": dbname}

    def connect(self, dbname: str = "postgres"):
        conn = psycopg2.connect(host=str(self.run), user=self.user, dbname=dbname)
        conn.autocommit = True
        return conn

    def database_url(self, dbname: str) -> str:
        host = urllib.parse.quote(str(self.run), safe="")
        return f"postgres://{urllib.parse.quote(self.user)}@{host}/{urllib.parse.quote(dbname)}"

    def close(self) -> None:
        if self.started:
            self._pg_ctl("stop", "-m", "immediate", "-w", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> ScratchCluster:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with _opener.open(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@contextlib.contextmanager
def serve(cluster: ScratchCluster, dbname: str, media: Path, private: Path, log: Path):
    """The project's web server on the restored copy; yields its base URL."""
    port = _free_port()
    env = _site_env(cluster, dbname, media, private)
    env["DJANGO_DEBUG"] = "1"  # runserver serves the media and the unhashed static files
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                "--noreload",
                "--skip-checks",
                f"127.0.0.1:{port}",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVE_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise BackupError("Server web pada salinan pulihan berhenti: " + _tail(log))
            try:
                _get(base + "/robots.txt", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise BackupError("Server web pada salinan pulihan tidak menjawab.") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _site_env(cluster: ScratchCluster, dbname: str, media: Path, private: Path) -> dict:
    """Environment of a manage.py process on the restored copy: nothing of the live site's
    databases (pooler, replica, direct, scratch name) reaches it."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DATABASE_")
        and k not in {"SIPI_DB_NAME", "SIPI_WEB_PROCESS", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="sipi.drill_settings",
        DATABASE_URL=cluster.database_url(dbname),
        MEDIA_ROOT=str(media),
        PRIVATE_MEDIA_ROOT=str(private),
    )
    return env


def reapply_erasures(cluster: ScratchCluster, dbname: str, log: Path) -> dict:
    """``manage.py reapply_erasures`` on the restored copy: the erasure journal (outside the
    database, settings.ERASURE_JOURNAL) erases again whoever the backup still holds."""
    env = _site_env(cluster, dbname, log.parent / "media", log.parent / "private")
    env["ERASURE_JOURNAL"] = str(settings.ERASURE_JOURNAL)
    proc = subprocess.run(
        [sys.executable, "manage.py", "reapply_erasures", "--skip-checks"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = (proc.stdout + proc.stderr).strip()
    log.write_text(output, encoding="utf-8")
    return {"ok": proc.returncode == 0, "output": output}


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-1500:] if path.exists() else ""


def _restore_files(backup: Path, target: Path) -> int:
    source = backup / "files"
    count = 0
    if source.is_dir():
        for path in source.rglob("*"):
            if path.is_file():
                dst = target / path.relative_to(source)
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dst)
                count += 1
    for name in ("media", "private"):
        (target / name).mkdir(parents=True, exist_ok=True)
    return count


def _sample_product(conn) -> tuple[str, str, str | None] | None:
    """A product the public site shows (published, verified unit), one with a photo first."""
    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT p.slug, p.name, ph.image
            FROM products_product p
            JOIN ikm_ikmunit u ON u.id = p.unit_id
            LEFT JOIN products_productphoto ph ON ph.product_id = p.id
            WHERE p.is_published AND u.verified
            ORDER BY ph.id IS NULL, p.id, ph.position, ph.id
            LIMIT 1
            """
        )
        return cur.fetchone()


def _local(iso: str | None) -> str:
    """An ISO time in the site's time zone (WIB), to the second."""
    if not iso:
        return "-"
    moment = timezone.localtime(datetime.datetime.fromisoformat(iso))
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z")


def _age(iso: str | None, now: datetime.datetime) -> str:
    if not iso:
        return "-"
    seconds = (now - datetime.datetime.fromisoformat(iso)).total_seconds()
    if seconds < 120:
        return f"{seconds:.0f} detik lalu"
    if seconds < 7200:
        return f"{seconds / 60:.0f} menit lalu"
    return f"{seconds / 3600:.1f} jam lalu"


def _pitr(backup: Path, manifest: dict, bindir: Path) -> dict:
    """Point-in-time recovery of the backup's physical base with the WAL archive, to the end of
    the archive: how far it got and the row counts of the site's database there."""
    physical = manifest["physical"]
    base = backup / physical["path"]
    for name, entry in physical["files"].items():
        if sha256_file(base / name) != entry["sha256"]:
            raise BackupError(f"Basis fisik {name} rusak: SHA-256 tidak cocok dengan manifes.")
    archive = Path(physical["wal_archive"])
    # A copy of the whole cluster: its roles are the backed-up server's.
    user = manifest["database"].get("user") or localpg.DB_USER
    with ScratchCluster(bindir, user=user) as cluster:
        cluster.start_from_base(base, archive)
        dbname = manifest["database"]["name"]
        with contextlib.closing(cluster.connect(dbname)) as conn, conn.cursor() as cur:
            cur.execute(
                "SELECT pg_last_xact_replay_timestamp(), timeline_id FROM pg_control_checkpoint()"
            )
            replayed, timeline = cur.fetchone()
            counts = table_counts(cur)
    return {
        "replayed_until": replayed.isoformat() if replayed else None,
        "timeline": timeline,
        "tables": counts,
        "missing_tables": sorted(set(manifest["database"]["tables"]) - set(counts)),
    }


def restore_drill(
    *,
    root: Path | None = None,
    backup: Path | None = None,
    take_backup: bool = False,
    physical: bool | None = None,
    pitr: bool = True,
    sample: int = 200,
    out: Callable[[str], None] = print,
) -> dict:
    """Run the drill; return its report (``report["ok"]``). Raises BackupError when a backup
    cannot be taken or restored at all; failed checks are in the report."""
    root = Path(root or settings.BACKUP_DIR)
    seconds: dict[str, float] = {}
    if take_backup:
        t = time.monotonic()
        backup = backup_create(root=root, physical=physical)
        seconds["backup"] = round(time.monotonic() - t, 3)
    backup = backup or latest_backup(root)
    if backup is None:
        raise BackupError(
            f"Belum ada cadangan di {root}: jalankan `manage.py backup` "
            "(atau `make restore-drill`, yang mencadangkan lebih dulu)."
        )
    manifest = read_manifest(backup)
    seconds.setdefault("backup", manifest["seconds"]["total"])
    db = manifest["database"]
    report: dict = {
        "backup": backup.name,
        "path": str(backup),
        "backup_taken_now": take_backup,
        "seconds": seconds,
        "problems": [],
    }
    problems: list[str] = report["problems"]
    out(f"Latihan pemulihan dari cadangan {backup}")
    out(
        f"  1. cadangan    {seconds['backup']:7.2f} s"
        + ("" if take_backup else " (tercatat saat pencadangan)")
    )
    bindir = pg_bindir()
    verify = 0.0
    t = time.monotonic()
    if sha256_file(backup / db["dump"]) != db["sha256"]:
        raise BackupError(f"Berkas {db['dump']} rusak: SHA-256 tidak cocok dengan manifes.")
    verify += time.monotonic() - t

    t = time.monotonic()
    with ScratchCluster(bindir) as cluster:
        cluster.start()
        files = cluster.root / "files"
        # --- restore: a fresh cluster (above), the database into it, the files into a fresh
        # folder.
        with contextlib.closing(cluster.connect()) as conn, conn.cursor() as cur:
            cur.execute(
                f"CREATE DATABASE \"{db['name']}\" TEMPLATE template0 ENCODING 'UTF8'"
                " LOCALE 'C.UTF-8'"
            )
        try:
            subprocess.run(
                [
                    str(bindir / "pg_restore"),
                    "--no-owner",
                    "--no-acl",
                    "--exit-on-error",
                    "--jobs=2",
                    f"--dbname={db['name']}",
                    str(backup / db["dump"]),
                ],
                env=libpq_env(cluster.params(db["name"])),
                capture_output=True,
                text=True,
                check=True,
            )
        except subprocess.CalledProcessError as exc:
            raise BackupError(f"pg_restore gagal: {exc.stderr.strip()[-1500:]}") from exc
        restored_files = _restore_files(backup, files)
        seconds["restore"] = round(time.monotonic() - t, 3)
        out(
            f"  2. pemulihan   {seconds['restore']:7.2f} s (klaster baru {cluster.root}, "
            f"basis data {db['size'] / 1e6:.1f} MB, {restored_files} berkas)"
        )

        # --- verification: row counts, file checksums, the site on the restored copy.
        t = time.monotonic()
        with contextlib.closing(cluster.connect(db["name"])) as conn:
            with conn.cursor() as cur:
                counts = table_counts(cur)
            product = _sample_product(conn)
        expected = db["tables"]
        for table in sorted(set(expected) | set(counts)):
            if expected.get(table) != counts.get(table):
                problems.append(
                    f"tabel {table}: {counts.get(table, 'tidak ada')} baris, "
                    f"manifes {expected.get(table, 'tidak ada')}"
                )
        report["tables"] = len(counts)
        report["rows"] = sum(counts.values())

        checksums = manifest["checksums"]
        names = sorted(checksums)
        chosen = set(
            names if sample <= 0 else random.Random().sample(names, min(sample, len(names)))
        )
        if product and product[2]:
            chosen.add(f"media/{product[2]}")
        bad = []
        for rel in sorted(chosen):
            path = files / rel
            if rel not in checksums or not path.is_file():
                bad.append(rel)
            elif sha256_file(path) != checksums[rel]["sha256"]:
                bad.append(rel)
        problems += [f"berkas {rel}: hilang atau SHA-256 tidak cocok" for rel in bad]
        report["files"] = {"restored": restored_files, "verified": len(chosen), "bad": bad}

        # UU PDP: erasures made after this backup was taken must not come back with it.
        erasures = reapply_erasures(cluster, db["name"], cluster.root / "erasures.log")
        report["erasures"] = erasures
        if not erasures["ok"]:
            problems.append("reapply_erasures gagal: " + erasures["output"][-500:])
        else:
            out("     " + (erasures["output"].splitlines() or [""])[-1])

        http = []
        with serve(
            cluster, db["name"], files / "media", files / "private", cluster.root / "web.log"
        ) as base:
            pages = [("/", None, None)]
            if product:
                slug, name, image = product
                pages.append((f"/produk/{slug}/", html.escape(name).encode(), None))
                media_skipped = "skipped" in manifest["files"].get("media", {})
                if image and not media_skipped:
                    pages.append(
                        (
                            settings.MEDIA_URL + urllib.parse.quote(image),
                            None,
                            checksums.get(f"media/{image}", {}).get("sha256"),
                        )
                    )
            else:
                problems.append("tidak ada produk tayang di cadangan untuk diperiksa")
            for url, must_contain, sha in pages:
                status, body = _get(base + url)
                entry = {"url": url, "status": status}
                if status != 200:
                    problems.append(f"GET {url} → {status}")
                elif must_contain and must_contain not in body:
                    problems.append(f"GET {url}: isi halaman bukan dari salinan pulihan")
                elif sha and hashlib.sha256(body).hexdigest() != sha:
                    problems.append(f"GET {url}: foto berbeda dari yang dicadangkan")
                http.append(entry)
        report["http"] = http
        verify += time.monotonic() - t
        seconds["verify"] = round(verify, 3)
        mismatched = sum(1 for p in problems if p.startswith("tabel "))
        out(
            f"  3. verifikasi  {seconds['verify']:7.2f} s ({len(counts)} tabel, "
            f"{report['rows']} baris, {mismatched} selisih; {len(chosen)} berkas diperiksa, "
            f"{len(bad)} rusak; " + ", ".join(f"GET {h['url']} {h['status']}" for h in http) + ")"
        )

    # --- point-in-time recovery: the physical base and the WAL archive, in another fresh cluster
    physical = manifest.get("physical")
    archive = Path(physical["wal_archive"]) if physical and physical.get("wal_archive") else None
    report["pitr"] = None
    if pitr and physical and archive and archive.is_dir():
        t = time.monotonic()
        result = _pitr(backup, manifest, bindir)
        seconds["pitr"] = round(time.monotonic() - t, 3)
        report["pitr"] = result
        problems += [f"PITR: tabel {name} tidak ada" for name in result["missing_tables"]]
        out(
            f"  4. PITR        {seconds['pitr']:7.2f} s (basis fisik + arsip WAL {archive}: "
            + (
                f"transaksi terakhir {_local(result['replayed_until'])}, "
                if result["replayed_until"]
                else "tidak ada transaksi sesudah basis fisik, "
            )
            + f"{len(result['tables'])} tabel)"
        )
    elif pitr and physical:
        out("  4. PITR        dilewati: arsip WAL cadangan ini tidak ada di mesin ini")

    # --- the recovery point
    now = datetime.datetime.now(tz=datetime.UTC)
    wal = None
    try:
        wal = archive_status()
    except Exception as exc:  # the drill's verdict does not depend on the live server
        out(f"  (status arsip WAL tidak terbaca: {exc})")
    if wal:
        wal.pop("archive_command", None)
    report["recovery_point"] = {
        "backup": db["snapshot_at"],
        "wal": wal,
        "pitr_replayed_until": (report["pitr"] or {}).get("replayed_until"),
    }
    out(
        f"Titik pemulihan: cadangan {_local(db['snapshot_at'])} "
        f"({_age(db['snapshot_at'], now)}) dari pg_dump"
    )
    if wal and wal["last_archived_wal"]:
        note = (
            "dengan basis fisik cadangan ini, pulih ke titik waktu mana pun sampai saat itu"
            if physical
            else "cadangan ini tanpa basis fisik: arsip WAL tidak bisa dipakai darinya"
        )
        out(
            f"                 arsip WAL: terakhir {wal['last_archived_wal']} pada "
            f"{_local(wal['last_archived_time'])} ({_age(wal['last_archived_time'], now)}); "
            f"{note}"
        )
    elif wal:
        out("                 arsip WAL: aktif, belum ada segmen yang diarsipkan")
    else:
        out("                 arsip WAL: tidak aktif di server ini")
    report["ok"] = not problems
    for problem in problems:
        out(f"MASALAH: {problem}")
    out("Hasil: BERHASIL" if report["ok"] else f"Hasil: GAGAL ({len(problems)} masalah)")
    return report


def write_report(report: dict, path: Path) -> None:
    path.write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")
