"""Backups of the whole site: the database, the uploaded files, and a manifest to check them by.

``manage.py backup`` (and the nightly beat entry, as a job) writes into BACKUP_DIR::

    <YYYYmmddTHHMMSSZ>/manifest.json    what the backup holds (below), written last
                       db.dump          pg_dump --format=custom
                       base/            physical base backup (pg_basebackup, tar + gzip), the
                                        start of point-in-time recovery with the WAL archive
                       files/media/…    copy of MEDIA_ROOT
                       files/private/…  copy of PRIVATE_MEDIA_ROOT (request documents, job files)
    wal/<system id>/                    the WAL archive (archive_command, sipi/localpg.py)

The manifest records the row count of every table, counted in the very snapshot pg_dump dumps
(an exported snapshot), the SHA-256 of the dump and of every file, and when the snapshot was
taken (the recovery point of the dump). A backup is built in ``.partial-<name>`` and renamed once
complete, so a folder named like a timestamp is always a whole backup. A file unchanged since the
previous backup (same size and modification time) is a hard link to that backup's copy, so a
nightly backup of mostly unchanged photos costs little space. The last BACKUP_KEEP backups are
kept; archived WAL older than the oldest kept base backup is deleted.

``sipi/drill.py`` restores a backup into a fresh cluster and checks it (``make restore-drill``).
After restoring a backup for real, run ``manage.py reapply_erasures``: owners erased after the
backup was taken (UU PDP, the journal at settings.ERASURE_JOURNAL) are erased again; the drill
does the same on its copy (docs/privacy.md).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import psycopg2
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from psycopg2 import sql

from sipi import localpg

MANIFEST = "manifest.json"
DUMP = "db.dump"
FORMAT = 1
NAME_RE = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
# The database connection backups use: never through a pooler (an exported snapshot lives in one
# server session), see DATABASES["direct"].
ALIAS = "direct"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on, with a message for the operator (Indonesian)."""


# --- helpers shared with the drill ----------------------------------------------------------
def pg_bindir() -> Path:
    bindir = localpg.find_bindir()
    if bindir is None:
        raise BackupError(
            "Program PostgreSQL (pg_dump, pg_restore, initdb ≥ 14) tidak ditemukan; "
            "pasang paket postgresql."
        )
    return bindir


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def table_counts(cursor) -> dict[str, int]:
    """Rows of every ordinary table outside the system schemas (extension tables excepted)."""
    cursor.execute(
        """
        SELECT n.nspname, c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r'
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_%%'
          AND NOT EXISTS (
              SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e'
          )
        ORDER BY 1, 2
        """
    )
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(
            sql.SQL("SELECT count(*) FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
        )
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def libpq_env(params: dict) -> dict[str, str]:
    """Environment for pg_dump/pg_basebackup from a Django database settings dict."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    mapping = {"PGHOST": "HOST", "PGPORT": "PORT", "PGUSER": "USER", "PGPASSWORD": "PASSWORD"}
    for var, key in mapping.items():
        if params.get(key):
            env[var] = str(params[key])
    env["PGDATABASE"] = params["NAME"]
    options = params.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(key):
            env[f"PG{key.upper()}"] = str(options[key])
    return env


def list_backups(root: Path) -> list[Path]:
    """Complete backups in ``root``, oldest first."""
    if not root.is_dir():
        return []

    def key(path: Path) -> tuple[str, int]:
        stamp, _sep, n = path.name.partition("-")
        return stamp, int(n or 1)

    found = [p for p in root.iterdir() if NAME_RE.match(p.name) and (p / MANIFEST).is_file()]
    return sorted(found, key=key)


def latest_backup(root: Path) -> Path | None:
    backups = list_backups(root)
    return backups[-1] if backups else None


def read_manifest(path: Path) -> dict:
    try:
        return json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"Manifes cadangan {path} tidak terbaca: {exc}") from exc


def _run(cmd: list[str], *, env: dict | None = None, what: str, timeout: float | None = None):
    try:
        res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{what} tidak selesai dalam {timeout:.0f} detik.") from exc
    if res.returncode != 0:
        raise BackupError(f"{what} gagal: {(res.stderr or res.stdout).strip()[-1500:]}")
    return res


def _now() -> datetime.datetime:
    return datetime.datetime.now(tz=datetime.UTC)


# --- the backup -------------------------------------------------------------------------------
def file_roots() -> dict[str, Path | str]:
    """The folders of uploaded files; a storage that is not on this disk (object storage) is
    named with the reason it is not copied."""
    roots: dict[str, Path | str] = {}
    for name, alias, fallback in (
        ("media", "default", settings.MEDIA_ROOT),
        ("private", "private", settings.PRIVATE_MEDIA_ROOT),
    ):
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            roots[name] = Path(storage.location or fallback)
        else:
            roots[name] = f"penyimpanan objek ({type(storage).__name__}): tidak disalin"
    return roots


def _dump_database(target: Path, bindir: Path, timeout: float) -> dict:
    """pg_dump of the database, and the row count of every table in the same snapshot."""
    params = connections[ALIAS].settings_dict
    conn = psycopg2.connect(**connections[ALIAS].get_connection_params())
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cur:
            cur.execute("SELECT pg_export_snapshot(), now(), current_setting('server_version')")
            snapshot, snapshot_at, server_version = cur.fetchone()
            counts = table_counts(cur)
            _run(
                [
                    str(bindir / "pg_dump"),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={target / DUMP}",
                ],
                env=libpq_env(params),
                what="pg_dump",
                timeout=timeout,
            )
        conn.rollback()
    finally:
        conn.close()
    return {
        "name": params["NAME"],
        "user": params.get("USER") or "",
        "server_version": server_version,
        "snapshot_at": snapshot_at.isoformat(),
        "dump": DUMP,
        "size": (target / DUMP).stat().st_size,
        "sha256": sha256_file(target / DUMP),
        "tables": counts,
    }


def archive_status(alias: str = ALIAS) -> dict | None:
    """The server's WAL archiving: its system id, the last archived segment and when; None when
    it does not archive."""
    with connections[alias].cursor() as cur:
        cur.execute("SELECT current_setting('archive_mode')")
        if cur.fetchone()[0] == "off":
            return None
        cur.execute(
            "SELECT (SELECT system_identifier::text FROM pg_control_system()),"
            " current_setting('archive_command'),"
            " last_archived_wal, last_archived_time, failed_count, last_failed_time"
            " FROM pg_stat_archiver"
        )
        sid, command, wal, at, failed, failed_at = cur.fetchone()
    return {
        "system_id": sid,
        "archive_command": command,
        "last_archived_wal": wal,
        "last_archived_time": at.isoformat() if at else None,
        "failed_count": failed,
        "last_failed_time": failed_at.isoformat() if failed_at else None,
    }


def _base_backup(target: Path, bindir: Path, archiving: dict, timeout: float) -> dict:
    """A physical base backup (tar, gzip, its own WAL streamed in): the starting point of a
    point-in-time recovery that replays the WAL archive from there."""
    base = target / "base"
    params = connections[ALIAS].settings_dict
    _run(
        [
            str(bindir / "pg_basebackup"),
            f"--pgdata={base}",
            "--format=tar",
            "--compress=1",
            "--wal-method=stream",
            "--checkpoint=fast",
            f"--label=sipi {target.name}",
        ],
        env=libpq_env(params),
        what="pg_basebackup",
        timeout=timeout,
    )
    archive = localpg.archive_dir_of(archiving["archive_command"])
    wal_ranges = json.loads((base / "backup_manifest").read_text())["WAL-Ranges"]
    start_lsn = wal_ranges[0]["Start-LSN"]
    with connections[ALIAS].cursor() as cur:
        cur.execute("SELECT pg_walfile_name(%s::pg_lsn)", [start_lsn])
        start_wal = cur.fetchone()[0]
    files = {
        p.name: {"size": p.stat().st_size, "sha256": sha256_file(p)}
        for p in sorted(base.iterdir())
        if p.is_file()
    }
    return {
        "path": "base",
        "system_id": archiving["system_id"],
        "start_lsn": start_lsn,
        "start_wal": start_wal,
        "end_lsn": wal_ranges[-1]["End-LSN"],
        # Where the server archives WAL, when it is the local cluster's own archive_command.
        "wal_archive": str(archive) if archive and archive.is_dir() else None,
        "files": files,
    }


def _copy_files(
    target: Path, previous: Path | None, progress: Callable | None
) -> tuple[dict, dict]:
    """Copy each file folder into ``files/<name>/``, hashing as it goes; a file unchanged since
    the previous backup is a hard link to its copy there."""
    prev_sums = read_manifest(previous).get("checksums", {}) if previous else {}
    roots, checksums = {}, {}
    sources = []
    for name, root in file_roots().items():
        if isinstance(root, str):
            roots[name] = {"skipped": root}
            continue
        roots[name] = {"root": str(root), "count": 0, "bytes": 0, "linked": 0}
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    sources.append((name, root, path))
    for done, (name, root, path) in enumerate(sources, start=1):
        rel = f"{name}/{path.relative_to(root).as_posix()}"
        dst = target / "files" / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            st = path.stat()
            old = prev_sums.get(rel)
            linked = False
            if old and old["size"] == st.st_size and old.get("mtime_ns") == st.st_mtime_ns:
                try:
                    os.link(previous / "files" / rel, dst)
                    digest, linked = old["sha256"], True
                except OSError:
                    pass
            if not linked:
                sha = hashlib.sha256()
                with open(path, "rb") as src, open(dst, "wb") as out:
                    while block := src.read(CHUNK):
                        sha.update(block)
                        out.write(block)
                os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns))
                digest = sha.hexdigest()
        except FileNotFoundError:  # deleted since the listing (a photo removed meanwhile)
            dst.unlink(missing_ok=True)
            continue
        checksums[rel] = {"sha256": digest, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        roots[name]["count"] += 1
        roots[name]["bytes"] += st.st_size
        roots[name]["linked"] += linked
        if progress:
            progress(done, len(sources))
    return roots, checksums


def _unique_name(root: Path, moment: datetime.datetime) -> str:
    name = moment.strftime("%Y%m%dT%H%M%SZ")
    candidate, n = name, 1
    while (root / candidate).exists() or (root / f".partial-{candidate}").exists():
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def prune_backups(root: Path, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` complete backups, and leftovers of interrupted ones
    (called with the backup lock held)."""
    removed = []
    for leftover in root.glob(".partial-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    backups = list_backups(root)
    for old in backups[: max(0, len(backups) - max(keep, 1))]:
        shutil.rmtree(old)
        removed.append(old.name)
    return removed


def backup_create(
    *,
    root: Path | None = None,
    keep: int | None = None,
    physical: bool | None = None,
    progress: Callable | None = None,
    timeout: float | None = None,
) -> Path:
    """Take a backup into ``root`` (BACKUP_DIR); return its folder. Raises BackupError."""
    root = Path(root or settings.BACKUP_DIR)
    keep = settings.BACKUP_KEEP if keep is None else keep
    physical = settings.BACKUP_PHYSICAL if physical is None else physical
    timeout = timeout or settings.BACKUP_TIMEOUT
    bindir = pg_bindir()
    started = _now()
    t0 = time.monotonic()
    with localpg.backup_lock(root, wait=False) as locked:
        if not locked:
            raise BackupError(f"Pencadangan lain sedang berjalan di {root}.")
        previous = latest_backup(root)
        name = _unique_name(root, started)
        partial = root / f".partial-{name}"
        partial.mkdir(mode=0o700)
        try:
            steps = {}
            t = time.monotonic()
            database = _dump_database(partial, bindir, timeout)
            steps["database"] = round(time.monotonic() - t, 3)
            base = None
            archiving = archive_status()
            if archiving and physical:
                t = time.monotonic()
                base = _base_backup(partial, bindir, archiving, timeout)
                steps["physical"] = round(time.monotonic() - t, 3)
            t = time.monotonic()
            roots, checksums = _copy_files(partial, previous, progress)
            steps["files"] = round(time.monotonic() - t, 3)
            steps["total"] = round(time.monotonic() - t0, 3)
            manifest = {
                "format": FORMAT,
                "name": name,
                "started_at": started.isoformat(),
                "finished_at": _now().isoformat(),
                "seconds": steps,
                "database": database,
                "physical": base,
                "files": roots,
                "checksums": checksums,
            }
            tmp = partial / f"{MANIFEST}.tmp"
            tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
            tmp.rename(partial / MANIFEST)
            partial.rename(root / name)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        prune_backups(root, keep)
    localpg.prune_wal_archive(
        bindir,
        root=root,
        current=archiving["system_id"] if archiving else "",
        last_archived=archiving["last_archived_wal"] if archiving else "",
    )
    return root / name


def describe(path: Path) -> str:
    """One line about a backup, for the command's output."""
    m = read_manifest(path)
    db = m["database"]
    files = sum(v.get("count", 0) for v in m["files"].values())
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    extra = " + basis fisik (PITR)" if m.get("physical") else ""
    return (
        f"{path}: {len(db['tables'])} tabel, {sum(db['tables'].values())} baris, "
        f"{files} berkas{extra}; {size / 1e6:.1f} MB; {m['seconds']['total']:.1f} s; "
        f"titik pulih {db['snapshot_at']}"
    )
