#!/usr/bin/env python3
"""The project's own PostgreSQL cluster, inside the checkout (stdlib only).

Used when DATABASE_URL is unset: ``python3 sipi/localpg.py start|stop|status``.
The cluster lives in ``.pgdata/`` (git-ignored) and listens only on a unix socket in
``.pgdata/run`` (no TCP port, no system service). PostgreSQL refuses to run as root; when
started by root the server runs as an unprivileged system user (``sipi-pg``), and every
parent folder of the data folder is made traversable for that user.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PGROOT = BASE_DIR / ".pgdata"
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


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "start"
    sys.exit({"start": start, "stop": stop, "status": status}.get(action, start)())
