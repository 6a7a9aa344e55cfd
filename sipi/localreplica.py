#!/usr/bin/env python3
"""A streaming replica of the project's local PostgreSQL (stdlib only): for tests and the bench.

    python3 sipi/localreplica.py start|stop|status [NAME]

``start`` copies the running local cluster (``sipi/localpg.py``) with ``pg_basebackup -R``
(a fast checkpoint, WAL streamed during the copy) into ``.pgdata/replicas/NAME/data`` and runs it
as a hot standby that streams from the primary's socket; it listens only on its own unix socket
(``.pgdata/replicas/NAME/run``, no TCP port). ``stop`` stops it and deletes its folder: a replica
is thrown away after use, a new one is a few seconds of copying. As for the primary, the server
runs as ``sipi-pg`` when started by root. The primary's side (wal_level, WAL senders, the
``replication`` line in pg_hba.conf) is checked first by ``localpg.ensure_replication``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

try:
    from sipi import localpg
except ImportError:  # run as a script: python3 sipi/localreplica.py
    import localpg  # type: ignore[no-redef]

ROOT = localpg.PGROOT / "replicas"


def folder(name: str = "main") -> Path:
    return ROOT / name


def data_dir(name: str = "main") -> Path:
    return folder(name) / "data"


def socket_dir(name: str = "main") -> Path:
    """The replica's socket folder (kept short: socket paths max out at 107 bytes)."""
    run = folder(name) / "run"
    if len(str(run / ".s.PGSQL.5432")) < 100:
        return run
    digest = hashlib.sha1(f"{localpg.BASE_DIR}:{name}".encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"sipi-pgr-{digest}"


def url(name: str = "main", db: str = localpg.DB_NAME) -> str:
    """``postgres://`` URL of the replica for DATABASE_REPLICA_URL (host = the socket folder)."""
    return f"postgres://{localpg.DB_USER}@{quote(str(socket_dir(name)), safe='')}/{db}"


def _bindir() -> Path:
    bindir = localpg.find_bindir()
    if bindir is None:
        raise RuntimeError(localpg.INSTALL_HINT)
    return bindir


def psql(sql: str, *, name: str | None = None, db: str = "postgres") -> str:
    """One statement on the replica ``name`` (None: the primary); the output as text."""
    host = localpg.socket_dir() if name is None else socket_dir(name)
    res = subprocess.run(
        [str(_bindir() / "psql"), "-h", str(host), "-U", localpg.DB_USER, "-d", db, "-tAc", sql],
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        raise RuntimeError(f"psql on {host}: {res.stderr.strip()}")
    return res.stdout.strip()


def is_running(name: str = "main") -> bool:
    if not (data_dir(name) / "PG_VERSION").exists():
        return False
    res = localpg._as_server_user(
        [str(_bindir() / "pg_ctl"), "status", "-D", str(data_dir(name))], capture_output=True
    )
    return res.returncode == 0


def _own(path: Path) -> None:
    if os.geteuid() == 0:
        import pwd

        pw = pwd.getpwnam(localpg.SERVICE_USER)
        os.chown(path, pw.pw_uid, pw.pw_gid)


def reap_orphans() -> None:
    """Remove replicas named ``<anything>-<pid>`` (tests, bench) whose process has died."""
    if not ROOT.is_dir():
        return
    for path in ROOT.iterdir():
        tail = path.name.rsplit("-", 1)[-1]
        if tail.isdigit() and not Path(f"/proc/{tail}").exists():
            stop(path.name)


def start(name: str = "main", timeout: float = 120) -> Path:
    """Copy the running primary and start the copy as a streaming hot standby. Returns its socket
    folder; raises RuntimeError on failure. A replica left over by an earlier run is replaced."""
    bindir = _bindir()
    if not localpg.is_running(bindir):
        raise RuntimeError("the local PostgreSQL is not running: `make db` starts it")
    localpg.ensure_replication(bindir)
    reap_orphans()
    stop(name)
    root, run = folder(name), socket_dir(name)
    for d in (ROOT, root, run):
        d.mkdir(parents=True, exist_ok=True)
        _own(d)
    os.chmod(root, 0o700)
    os.chmod(run, 0o755)
    if os.geteuid() == 0:
        localpg._make_reachable(run)
    started = time.monotonic()
    res = localpg._as_server_user(
        [str(bindir / "pg_basebackup"), "-h", str(localpg.socket_dir()), "-U", localpg.DB_USER]
        + ["-D", str(data_dir(name)), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if res.returncode != 0:
        raise RuntimeError(f"pg_basebackup failed: {res.stderr.strip()}")
    log = root / "postgres.log"
    log.touch()
    _own(log)
    # Its own socket, no TCP; the primary's WAL archiving (if on) is the primary's business.
    # The copy is thrown away after use: no fsync, a small cache.
    options = (
        f"-k {run} -c listen_addresses='' -c archive_mode=off -c fsync=off"
        " -c shared_buffers=64MB -c hot_standby=on"
    )
    res = localpg._as_server_user(
        [str(bindir / "pg_ctl"), "start", "-D", str(data_dir(name)), "-l", str(log)]
        + ["-w", "-t", str(int(timeout)), "-o", options],
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        raise RuntimeError(f"the replica did not start: {res.stderr}\n{log.read_text()[-2000:]}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psql("SELECT pg_is_in_recovery()", name=name) == "t":
                print(
                    f"localreplica: {name} streaming on socket {run} "
                    f"({time.monotonic() - started:.1f} s)"
                )
                return run
        except RuntimeError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the replica does not answer; see {log}")


def wait_replayed(name: str = "main", timeout: float = 30) -> None:
    """Wait until the replica has replayed everything the primary has written so far.

    The insert position, not ``pg_current_wal_lsn()`` (the position written out): the test
    cluster runs ``synchronous_commit = off``, so a commit that already returned may still sit
    in the WAL buffers, past the written position, until the WAL writer flushes it.
    """
    lsn = psql("SELECT pg_current_wal_insert_lsn()")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if psql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn", name=name) == "t":
            return
        time.sleep(0.05)
    raise RuntimeError(f"the replica {name} did not replay up to {lsn} within {timeout} s")


def stop(name: str = "main") -> None:
    """Stop the replica (if it runs) and delete its folder."""
    if is_running(name):
        localpg._as_server_user(
            [str(_bindir() / "pg_ctl"), "stop", "-D", str(data_dir(name)), "-m", "immediate"]
            + ["-w"],
            capture_output=True,
        )
    shutil.rmtree(folder(name), ignore_errors=True)
    if socket_dir(name) != folder(name) / "run":
        shutil.rmtree(socket_dir(name), ignore_errors=True)


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "start"
    name = argv[1] if len(argv) > 1 else "main"
    if action == "start":
        try:
            start(name)
        except RuntimeError as exc:
            print(f"localreplica: {exc}", file=sys.stderr)
            return 1
        print(f"localreplica: DATABASE_REPLICA_URL={url(name)}")
        return 0
    if action == "stop":
        stop(name)
        print(f"localreplica: {name} stopped and removed")
        return 0
    running = is_running(name)
    print(f"localreplica: {name} {'running' if running else 'not running'}")
    return 0 if running else 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
