#!/usr/bin/env python3
"""The project's own PostgreSQL cluster, inside the checkout (stdlib only).

Used when DATABASE_URL is unset: ``python3 sipi/localpg.py start|stop|status``.
The cluster lives in ``.pgdata/`` (git-ignored) and listens only on a unix socket in
``.pgdata/run`` (no TCP port, no system service). PostgreSQL refuses to run as root; when
started by root the server runs as an unprivileged system user (``sipi-pg``), and every
parent folder of the data folder is made traversable for that user.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# SIPI_PG_CLUSTER=bench selects the benchmark cluster in .pgbench/ instead (bench/pgcluster.py:
# no WAL archive, settings for bulk loads); every client of this module follows it.
PGROOT = BASE_DIR / (".pgbench" if os.environ.get("SIPI_PG_CLUSTER") == "bench" else ".pgdata")
DATA_DIR = PGROOT / "data"
LOG_FILE = PGROOT / "postgres.log"
DB_NAME = "sipi"
DB_USER = "sipi"
SERVICE_USER = "sipi-pg"
MIN_VERSION = 14
INSTALL_HINT = (
    "PostgreSQL >= 14 was not found (looked on PATH and in /usr/lib/postgresql/*/bin).\n"
    "Install it, for example on Debian/Ubuntu:\n"
    "    sudo apt-get install postgresql postgresql-contrib\n"
    "or set DATABASE_URL to use an existing server."
)


def socket_dir() -> Path:
    """Folder of the server's unix socket (kept short: socket paths max out at 107 bytes)."""
    run = PGROOT / "run"
    if len(str(run / ".s.PGSQL.5432")) < 100:
        return run
    digest = hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"sipi-pg-{digest}"


def _version(bindir: Path) -> int:
    try:
        out = subprocess.run(
            [str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return 0
    try:
        return int(out.split()[-1].split(".")[0])
    except ValueError:
        return 0


def find_bindir() -> Path | None:
    candidates = []
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(os.path.realpath(on_path)).parent)
    versioned = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0,
        reverse=True,
    )
    candidates += [Path(p) for p in versioned]
    for bindir in candidates:
        if (bindir / "initdb").exists() and _version(bindir) >= MIN_VERSION:
            return bindir
    return None


def _is_root() -> bool:
    return os.geteuid() == 0


def _ensure_service_user() -> None:
    import pwd

    try:
        pwd.getpwnam(SERVICE_USER)
        return
    except KeyError:
        pass
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
        check=True,
    )


def _as_server_user(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    if _is_root():
        cmd = ["runuser", "-u", SERVICE_USER, "--", *cmd]
    return subprocess.run(cmd, **kw)


def _make_reachable(path: Path) -> None:
    """Let the server user traverse every parent of ``path`` (root case only)."""
    import pwd

    pw = pwd.getpwnam(SERVICE_USER)
    for parent in reversed(path.parents):
        if _as_server_user(["test", "-x", str(parent)]).returncode == 0:
            continue
        if shutil.which("setfacl"):
            subprocess.run(["setfacl", "-m", f"u:{pw.pw_name}:x", str(parent)], check=True)
        else:
            os.chmod(parent, os.stat(parent).st_mode | 0o001)
        print(f"localpg: allowed {SERVICE_USER} to traverse {parent}")


def _prepare_dirs() -> None:
    for d in (PGROOT, socket_dir()):
        d.mkdir(parents=True, exist_ok=True)
    if _is_root():
        import pwd

        _ensure_service_user()
        pw = pwd.getpwnam(SERVICE_USER)
        for d in (PGROOT, socket_dir()):
            os.chown(d, pw.pw_uid, pw.pw_gid)
            os.chmod(d, 0o700 if d != socket_dir() else 0o755)
        if DATA_DIR.exists():
            for root, dirs, files in os.walk(DATA_DIR):
                for name in dirs + files:
                    os.lchown(os.path.join(root, name), pw.pw_uid, pw.pw_gid)
        _make_reachable(PGROOT)
        _make_reachable(socket_dir())


def is_running(bindir: Path) -> bool:
    if not (DATA_DIR / "PG_VERSION").exists():
        return False
    res = _as_server_user(
        [str(bindir / "pg_ctl"), "status", "-D", str(DATA_DIR)], capture_output=True
    )
    return res.returncode == 0


def _psql(bindir: Path, sql: str, db: str = "postgres") -> str:
    res = subprocess.run(
        [str(bindir / "psql"), "-h", str(socket_dir()), "-U", DB_USER, "-d", db, "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return res.stdout.strip()


def start() -> int:
    if PGROOT.name == ".pgbench":
        print("localpg: the benchmark cluster is started by bench/pgcluster.py", file=sys.stderr)
        return 1
    if os.environ.get("DATABASE_URL"):
        print("localpg: DATABASE_URL is set; the local cluster is not used.")
        return 0
    bindir = find_bindir()
    if bindir is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 1
    _prepare_dirs()
    if not (DATA_DIR / "PG_VERSION").exists():
        print(f"localpg: creating cluster in {DATA_DIR} ({bindir})")
        DATA_DIR.mkdir(exist_ok=True)
        if _is_root():
            import pwd

            pw = pwd.getpwnam(SERVICE_USER)
            os.chown(DATA_DIR, pw.pw_uid, pw.pw_gid)
        res = _as_server_user(
            [
                str(bindir / "initdb"),
                "-D",
                str(DATA_DIR),
                "-U",
                DB_USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            print(res.stdout + res.stderr, file=sys.stderr)
            return 1
        with open(DATA_DIR / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# sipi: unix socket only, inside the checkout\n"
                "listen_addresses = ''\n"
                f"unix_socket_directories = '{socket_dir()}'\n"
                "max_connections = 100\nshared_buffers = 256MB\nwork_mem = 16MB\n"
                "fsync = on\nsynchronous_commit = off\n"
                "timezone = 'Asia/Pontianak'\n"
            )
    if is_running(bindir) and not (socket_dir() / ".s.PGSQL.5432").exists():
        # Running but unreachable: its socket was removed (e.g. by another server that used the
        # same path and shut down). A restart recreates it.
        print("localpg: the server's socket is missing; restarting it")
        _as_server_user(
            [str(bindir / "pg_ctl"), "stop", "-D", str(DATA_DIR), "-m", "fast", "-w"],
            capture_output=True,
        )
    if not is_running(bindir):
        logfd = os.open(LOG_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        if _is_root():
            import pwd

            pw = pwd.getpwnam(SERVICE_USER)
            os.fchown(logfd, pw.pw_uid, pw.pw_gid)
        os.close(logfd)
        res = _as_server_user(
            [
                str(bindir / "pg_ctl"),
                "start",
                "-D",
                str(DATA_DIR),
                "-l",
                str(LOG_FILE),
                "-w",
                "-t",
                "60",
                "-o",
                f"-k {socket_dir()}",
            ],
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            print(res.stdout + res.stderr, file=sys.stderr)
            print(LOG_FILE.read_text()[-2000:], file=sys.stderr)
            return 1
    for _ in range(50):
        if (socket_dir() / ".s.PGSQL.5432").exists():
            break
        time.sleep(0.1)
    if _psql(bindir, f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'") != "1":
        _psql(bindir, f'CREATE DATABASE "{DB_NAME}"')
    if configure_wal_archive(bindir) != 0:  # WAL archive (section below)
        return 1
    prune_wal_archive(bindir)
    print(f"localpg: PostgreSQL {_version(bindir)} ready on socket {socket_dir()} (db {DB_NAME})")
    return 0


def stop() -> int:
    bindir = find_bindir()
    if bindir is None or not is_running(bindir):
        print("localpg: not running")
        return 0
    _as_server_user(
        [str(bindir / "pg_ctl"), "stop", "-D", str(DATA_DIR), "-m", "fast", "-w"], check=True
    )
    print("localpg: stopped")
    return 0


def status() -> int:
    bindir = find_bindir()
    running = bool(bindir) and is_running(bindir)
    print("localpg: running" if running else "localpg: not running")
    return 0 if running else 3


# --- WAL archive: point-in-time recovery (manage.py backup takes the base backups) -------------
# Every finished WAL segment is copied, gzip-compressed, into <BACKUP_DIR>/wal/<system id>/: one
# folder per cluster, since a re-created cluster starts its segment names again. With the
# physical base backup in each backup, the database can be recovered to any moment up to the last
# archived segment; archive_timeout bounds how old that segment is while the site is in use (an
# idle cluster switches no segment). WAL_ARCHIVE=off in the environment turns archiving off;
# WAL_KEEP_BASES and WAL_KEEP_HOURS bound what the archive keeps (prune_wal_archive).
WAL_ARCHIVE_TIMEOUT = 300  # seconds


def _setting(name: str, default: str) -> str:
    """A variable from the environment, else from the checkout's .env (as sipi/settings.py)."""
    if name in os.environ:
        return os.environ[name]
    env_file = BASE_DIR / ".env"
    if env_file.exists():
        for raw in env_file.read_text(encoding="utf-8").splitlines():
            key, sep, value = raw.strip().partition("=")
            if sep and key.strip() == name:
                return value.strip().strip('"').strip("'")
    return default


def backup_dir() -> Path:
    """BACKUP_DIR (default ``.backups/`` in the checkout): backups and the WAL archive."""
    return Path(_setting("BACKUP_DIR", str(BASE_DIR / ".backups")))


def wal_archive_dir(system_id: str) -> Path:
    return backup_dir() / "wal" / system_id


def wal_archive_commands(archive: Path) -> tuple[str, str]:
    """``archive_command`` (never overwrites; partial copies never carry the final name) and the
    matching ``restore_command`` for recovery."""
    a = shlex.quote(str(archive))
    archive_cmd = (
        f"test -f {a}/%f.gz || (gzip -1 -c %p > {a}/%f.gz.part && mv {a}/%f.gz.part {a}/%f.gz)"
    )
    return archive_cmd, f"gunzip -c {a}/%f.gz > %p"


def archive_dir_of(archive_command: str) -> Path | None:
    """The folder an ``archive_command`` written by :func:`wal_archive_commands` copies into
    (None for any other command)."""
    try:
        words = shlex.split(archive_command)
    except ValueError:
        return None
    if len(words) < 3 or words[:2] != ["test", "-f"] or not words[2].endswith("/%f.gz"):
        return None
    folder = Path(words[2][: -len("/%f.gz")])
    return folder if wal_archive_commands(folder)[0] == archive_command else None


def _make_backup_dir(root: Path | None = None) -> Path:
    """BACKUP_DIR, created readable by its owner only (backups hold personal data)."""
    root = root or backup_dir()
    if not root.is_dir():
        root.mkdir(parents=True, mode=0o700)
    return root


@contextlib.contextmanager
def backup_lock(root: Path | None = None, wait: bool = True):
    """One backup (or WAL clean-up) at a time in ``root`` (BACKUP_DIR); yields False when
    ``wait`` is off and another process holds it."""
    root = _make_backup_dir(root)
    with open(root / ".lock", "w") as fd:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


def configure_wal_archive(bindir: Path) -> int:
    """Turn WAL archiving on (or off with WAL_ARCHIVE=off) in the running cluster, existing ones
    included: ALTER SYSTEM, a reload, and a restart only when archive_mode itself changed."""
    enabled = _setting("WAL_ARCHIVE", "on").lower() not in {"0", "off", "false", "no"}
    wanted = {"archive_mode": "off"}
    if enabled:
        system_id = _psql(bindir, "SELECT system_identifier FROM pg_control_system()")
        archive = wal_archive_dir(system_id)
        _make_backup_dir()
        archive.mkdir(parents=True, exist_ok=True)
        if _is_root():
            import pwd

            pw = pwd.getpwnam(SERVICE_USER)
            os.chown(archive, pw.pw_uid, pw.pw_gid)
            os.chmod(archive, 0o700)
            _make_reachable(archive)
        archive_cmd, _restore = wal_archive_commands(archive)
        wanted = {
            "archive_mode": "on",
            "archive_command": archive_cmd,
            "archive_timeout": str(WAL_ARCHIVE_TIMEOUT),
        }
    changed = []
    for name, value in wanted.items():
        if _psql(bindir, f"SELECT setting FROM pg_settings WHERE name = '{name}'") != value:
            quoted = value.replace("'", "''")
            _psql(bindir, f"ALTER SYSTEM SET {name} = '{quoted}'")
            changed.append(name)
    if not changed:
        return 0
    _psql(bindir, "SELECT pg_reload_conf()")
    time.sleep(0.2)  # the postmaster re-reads the files asynchronously
    pending = _psql(bindir, "SELECT pending_restart FROM pg_settings WHERE name = 'archive_mode'")
    if pending == "t":
        print(f"localpg: archive_mode = {wanted['archive_mode']}; restarting PostgreSQL")
        res = _as_server_user(
            [
                str(bindir / "pg_ctl"),
                "restart",
                "-D",
                str(DATA_DIR),
                "-m",
                "fast",
                "-w",
                "-t",
                "60",
                "-l",
                str(LOG_FILE),
                "-o",
                f"-k {socket_dir()}",
            ],
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            print(res.stdout + res.stderr, file=sys.stderr)
            return 1
    print(f"localpg: WAL archive {'on, into ' + str(archive) if enabled else 'off'}")
    return 0


def prune_wal_archive(
    bindir: Path,
    root: Path | None = None,
    current: str | None = None,
    last_archived: str | None = None,
) -> None:
    """Delete archived WAL in ``root``/wal that point-in-time recovery will not use. Kept: the
    segments from the start of the oldest of the newest WAL_KEEP_BASES (2) base backups of that
    cluster on, and none older than WAL_KEEP_HOURS (48): the recovery window. A cluster with no
    kept base backup keeps nothing (the running one, system id ``current``, its last segment);
    timeline history files stay. ``current`` unset: the local cluster is asked. Skipped while a
    backup runs."""
    root = root or backup_dir()
    wal_root = root / "wal"
    if not wal_root.is_dir():
        return
    keep_bases = max(1, int(_setting("WAL_KEEP_BASES", "2")))
    cutoff = time.time() - float(_setting("WAL_KEEP_HOURS", "48")) * 3600
    if current is None:
        current = _psql(bindir, "SELECT system_identifier FROM pg_control_system()")
        last_archived = _psql(bindir, "SELECT last_archived_wal FROM pg_stat_archiver")
    with backup_lock(root, wait=False) as locked:
        if not locked:
            return
        starts: dict[str, list[str]] = {}
        for manifest in root.glob("*/manifest.json"):
            try:
                physical = json.loads(manifest.read_text()).get("physical") or {}
            except (OSError, ValueError):
                continue
            sid, start_wal = physical.get("system_id"), physical.get("start_wal")
            if sid and start_wal:
                starts.setdefault(sid, []).append(start_wal)
        for folder in wal_root.iterdir():
            if not folder.is_dir():
                continue
            bases = sorted(starts.get(folder.name, []), key=lambda name: name[8:24])
            oldest = bases[-keep_bases:][0] if bases else None
            if oldest is None and folder.name == current:
                oldest = (last_archived or "").split(".")[0]  # .history/.backup: its segment
            if not oldest:
                if folder.name != current:
                    shutil.rmtree(folder, ignore_errors=True)
                continue
            subprocess.run(
                [str(bindir / "pg_archivecleanup"), "-x", ".gz", str(folder), oldest[:24]],
                capture_output=True,
                check=False,
            )
            for path in folder.glob("*.gz"):
                if path.name.endswith(".history.gz"):
                    continue
                label = path.name.endswith(".backup.gz") and path.name[8:24] < oldest[8:24]
                with contextlib.suppress(FileNotFoundError):
                    if label or path.stat().st_mtime < cutoff:
                        path.unlink()


# --- Streaming replication: the primary's side (used by sipi/localreplica.py) ------------------
# PostgreSQL >= 10 defaults already allow a local replica (wal_level = replica, 10 WAL senders,
# initdb --auth=trust writes `local replication all trust`). A cluster made otherwise is fixed
# here on demand, without touching anything that is already right: ALTER SYSTEM for the settings
# (a restart only when one of them changed), a pg_hba.conf line appended (a reload only).
REPLICATION_MIN = {"max_wal_senders": 4, "max_replication_slots": 2}


def ensure_replication(bindir: Path) -> bool:
    """Make the running cluster accept ``pg_basebackup -R`` over its unix socket. True when
    something was changed."""
    changed, restart = False, False
    if _psql(bindir, "SHOW wal_level") not in ("replica", "logical"):
        _psql(bindir, "ALTER SYSTEM SET wal_level = 'replica'")
        restart = True
    for name, minimum in REPLICATION_MIN.items():
        if int(_psql(bindir, f"SHOW {name}")) < minimum:
            _psql(bindir, f"ALTER SYSTEM SET {name} = {max(minimum, 10)}")
            restart = True
    rules = _psql(
        bindir,
        "SELECT count(*) FROM pg_hba_file_rules WHERE type = 'local' AND error IS NULL"
        " AND auth_method <> 'reject' AND 'replication' = ANY(database)",
    )
    if rules == "0":
        hba = Path(_psql(bindir, "SHOW hba_file"))
        with open(hba, "a") as conf:
            conf.write(
                "\n# sipi: streaming replicas over the local socket (sipi/localreplica.py)\n"
                "local   replication     all                                     trust\n"
            )
        _psql(bindir, "SELECT pg_reload_conf()")
        changed = True
    if restart:
        print("localpg: restarting the cluster for streaming replication (wal_level, senders)")
        _as_server_user(
            [str(bindir / "pg_ctl"), "restart", "-D", str(DATA_DIR), "-m", "fast", "-w"]
            + ["-t", "60", "-l", str(LOG_FILE), "-o", f"-k {socket_dir()}"],
            capture_output=True,
            check=True,
        )
        changed = True
    return changed


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "start"
    sys.exit({"start": start, "stop": stop, "status": status}.get(action, start)())
