#!/usr/bin/env python3
"""PgBouncer in transaction mode in front of the project's local PostgreSQL (stdlib only).

    python3 sipi/localpgbouncer.py start|stop|status [NAME] [UPSTREAM_SOCKET_DIR]

Like ``sipi/localpg.py`` and ``sipi/localredis.py``: no system service, no TCP port. Each pooler
(``NAME``, default ``main``) keeps its files in ``.pgbouncer/NAME/`` (git-ignored) and listens on
a unix socket there (``.s.PGSQL.6432``); it forwards every database name (``*``) to the
PostgreSQL whose socket folder is ``UPSTREAM_SOCKET_DIR`` (default: the local cluster's, a
replica's for a replica pooler). Tests and ``bench/load.py`` start their own named poolers.

Transaction pooling: a server connection belongs to a client for one transaction only, so the
Django alias that uses it needs ``DISABLE_SERVER_SIDE_CURSORS`` (sipi/settings.py sets it for
``DATABASE_POOLED_URL``) and must not rely on session state. PgBouncer 1.18 refuses the
``options`` startup parameter, so the server connections turn JIT off themselves
(``connect_query``), as the direct connections do with ``-c jit=off``. PgBouncer refuses to run
as root: then it runs as the cluster's service user (``sipi-pg``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

try:
    from sipi import localpg
except ImportError:  # run as a script: python3 sipi/localpgbouncer.py
    import localpg  # type: ignore[no-redef]

BASE_DIR = Path(__file__).resolve().parent.parent
ROOT = BASE_DIR / ".pgbouncer"
PORT = 6432
INSTALL_HINT = (
    "pgbouncer was not found (looked on PATH and in /usr/sbin).\n"
    "Install it, for example on Debian/Ubuntu:\n"
    "    sudo apt-get install pgbouncer"
)


def binary() -> str | None:
    found = shutil.which("pgbouncer")
    if found:
        return found
    return "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None


def folder(name: str = "main") -> Path:
    return ROOT / name


def socket_dir(name: str = "main") -> Path:
    """The pooler's socket folder (kept short: socket paths max out at 107 bytes)."""
    path = folder(name)
    if len(str(path / f".s.PGSQL.{PORT}")) < 100:
        return path
    digest = hashlib.sha1(f"{BASE_DIR}:{name}".encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"sipi-pgb-{digest}"


def url(name: str = "main", db: str = localpg.DB_NAME) -> str:
    """``postgres://`` URL of the pooler for DATABASE_POOLED_URL (host = the socket folder)."""
    return f"postgres://{localpg.DB_USER}@{quote(str(socket_dir(name)), safe='')}:{PORT}/{db}"


def _pid(name: str) -> int | None:
    try:
        pid = int((folder(name) / "pgbouncer.pid").read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return pid if b"pgbouncer" in cmdline else None


def is_running(name: str = "main") -> bool:
    return _pid(name) is not None and (socket_dir(name) / f".s.PGSQL.{PORT}").exists()


def admin(name: str, command: str) -> str:
    """A command on the pooler's admin console (``SHOW POOLS``, ``SHOW STATS``…), as text."""
    bindir = localpg.find_bindir()
    res = subprocess.run(
        [str(bindir / "psql"), "-h", str(socket_dir(name)), "-p", str(PORT)]
        + ["-U", localpg.DB_USER, "-d", "pgbouncer", "-AF", "\t", "-c", command],
        capture_output=True,
        text=True,
        check=True,
    )
    return res.stdout


def admin_rows(name: str, command: str) -> list[dict[str, str]]:
    lines = [line for line in admin(name, command).splitlines() if "\t" in line]
    if not lines:
        return []
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]


def _write_config(name: str, upstream: Path, pool_size: int) -> Path:
    root = folder(name)
    (root / "userlist.txt").write_text(f'"{localpg.DB_USER}" ""\n')
    ini = root / "pgbouncer.ini"
    ini.write_text(
        "; sipi: written by sipi/localpgbouncer.py (unix socket only, transaction pooling)\n"
        "[databases]\n"
        f"* = host={upstream} port=5432 connect_query='SET jit = off'\n"
        "\n[pgbouncer]\n"
        f"listen_port = {PORT}\n"
        f"unix_socket_dir = {socket_dir(name)}\n"
        "unix_socket_mode = 0777\n"
        "auth_type = trust\n"
        f"auth_file = {root / 'userlist.txt'}\n"
        f"admin_users = {localpg.DB_USER}\n"
        "pool_mode = transaction\n"
        f"default_pool_size = {pool_size}\n"
        "max_client_conn = 500\n"
        "server_reset_query =\n"
        "server_check_delay = 10\n"
        "ignore_startup_parameters = extra_float_digits\n"
        "log_connections = 0\n"
        "log_disconnections = 0\n"
        f"logfile = {root / 'pgbouncer.log'}\n"
        f"pidfile = {root / 'pgbouncer.pid'}\n"
    )
    return ini


def reap_orphans() -> None:
    """Stop and remove poolers named ``<anything>-<pid>`` (tests, bench) whose process died."""
    if not ROOT.is_dir():
        return
    for path in ROOT.iterdir():
        tail = path.name.rsplit("-", 1)[-1]
        if tail.isdigit() and not Path(f"/proc/{tail}").exists():
            stop(path.name, remove=True)


def start(name: str = "main", upstream: Path | None = None, pool_size: int = 10) -> Path:
    """Start (or keep) the pooler ``name`` in front of ``upstream`` (a PostgreSQL socket folder,
    default the local cluster's). Returns its socket folder; raises RuntimeError on failure."""
    exe = binary()
    if exe is None:
        raise RuntimeError(INSTALL_HINT)
    upstream = upstream or localpg.socket_dir()
    reap_orphans()
    if is_running(name):
        return socket_dir(name)
    root, run = folder(name), socket_dir(name)
    for d in (ROOT, root, run):
        d.mkdir(parents=True, exist_ok=True)
    (run / f".s.PGSQL.{PORT}").unlink(missing_ok=True)  # left by a pooler that died
    ini = _write_config(name, upstream, pool_size)
    if os.geteuid() == 0:  # PgBouncer refuses root: the cluster's service user runs it
        import pwd

        localpg._ensure_service_user()
        pw = pwd.getpwnam(localpg.SERVICE_USER)
        for path in (root, run, *root.iterdir()):
            os.chown(path, pw.pw_uid, pw.pw_gid)
        localpg._make_reachable(root)
        localpg._make_reachable(run)
    res = localpg._as_server_user([exe, "-d", str(ini)], capture_output=True, text=True)
    log = root / "pgbouncer.log"
    if res.returncode != 0:
        raise RuntimeError(f"pgbouncer failed to start: {res.stdout}{res.stderr}")
    for _ in range(100):
        if is_running(name):
            return run
        time.sleep(0.05)
    tail = log.read_text()[-2000:] if log.exists() else ""
    raise RuntimeError(f"pgbouncer did not come up; {log}:\n{tail}")


def stop(name: str = "main", remove: bool = False) -> None:
    """Stop the pooler (SIGTERM to the pid in its pid file); ``remove`` deletes its folder."""
    pid = _pid(name)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if _pid(name) is None:
                break
            time.sleep(0.05)
    if remove:
        shutil.rmtree(folder(name), ignore_errors=True)
        if socket_dir(name) != folder(name):
            shutil.rmtree(socket_dir(name), ignore_errors=True)


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "start"
    name = argv[1] if len(argv) > 1 else "main"
    if action == "start":
        try:
            run = start(name, Path(argv[2]) if len(argv) > 2 else None)
        except RuntimeError as exc:
            print(f"localpgbouncer: {exc}", file=sys.stderr)
            return 1
        print(f"localpgbouncer: PgBouncer ({name}) on socket {run}, port {PORT}: {url(name)}")
        return 0
    if action == "stop":
        stop(name)
        print(f"localpgbouncer: {name} stopped")
        return 0
    running = is_running(name)
    print(f"localpgbouncer: {name} {'running' if running else 'not running'}")
    return 0 if running else 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
