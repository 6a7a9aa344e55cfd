#!/usr/bin/env python3
"""A second local PostgreSQL cluster for the large benchmarks (issue 11): ``.pgbench/``.

    .venv/bin/python bench/pgcluster.py start|stop|status|env

The development cluster (``.pgdata/``, sipi/localpg.py) archives every WAL segment into
``.backups/wal`` for point-in-time recovery: a 10-million-product load writes tens of GB of WAL
there. This cluster has no archive and is tuned for bulk loads: ``wal_level = minimal`` (COPY
and CREATE INDEX write almost no WAL), ``fsync = off``, ``full_page_writes = off``,
``synchronous_commit = off``, large ``max_wal_size``. **fsync off means a crash of the machine
can corrupt it**: it holds only generated data; re-generate it then. It listens only on its own
unix socket (``.pgbench/run``), as user ``sipi``, like the development cluster.

Every project command reaches it with ``SIPI_PG_CLUSTER=bench`` in the environment
(``sipi/localpg.py`` then points at ``.pgbench/``; ``settings.py``, ``bench/catalog.py`` and
``bench/load.py`` follow it), e.g.::

    SIPI_PG_CLUSTER=bench SIPI_DB_NAME=sipi_bench10m .venv/bin/python manage.py migrate
    SIPI_PG_CLUSTER=bench .venv/bin/python bench/catalog.py --db sipi_bench10m --reuse

``env`` prints that line for a shell (``eval $(… env)``).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ["SIPI_PG_CLUSTER"] = "bench"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sipi import localpg  # noqa: E402  (after the environment variable it reads)

SETTINGS = {
    "listen_addresses": "''",
    "max_connections": "100",
    "shared_buffers": "'1GB'",
    "effective_cache_size": "'8GB'",
    "work_mem": "'32MB'",
    "maintenance_work_mem": "'1GB'",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "archive_mode": "off",
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
    "max_wal_size": "'8GB'",
    "checkpoint_timeout": "'30min'",
    "random_page_cost": "1.1",
    "timezone": "'Asia/Pontianak'",
}


def start() -> int:
    bindir = localpg.find_bindir()
    if bindir is None:
        print(localpg.INSTALL_HINT, file=sys.stderr)
        return 1
    localpg._prepare_dirs()
    data = localpg.DATA_DIR
    if not (data / "PG_VERSION").exists():
        print(f"pgcluster: creating the benchmark cluster in {data}")
        data.mkdir(exist_ok=True)
        if localpg._is_root():
            import pwd

            pw = pwd.getpwnam(localpg.SERVICE_USER)
            os.chown(data, pw.pw_uid, pw.pw_gid)
        res = localpg._as_server_user(
            [str(bindir / "initdb"), "-D", str(data), "-U", localpg.DB_USER, "--auth=trust"]
            + ["--encoding=UTF8", "--locale=C.UTF-8"],
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            print(res.stdout + res.stderr, file=sys.stderr)
            return 1
        lines = [f"unix_socket_directories = '{localpg.socket_dir()}'"]
        lines += [f"{k} = {v}" for k, v in SETTINGS.items()]
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# sipi benchmark cluster (bench/pgcluster.py)\n" + "\n".join(lines) + "\n"
            )
    if not localpg.is_running(bindir):
        logfd = os.open(localpg.LOG_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        if localpg._is_root():
            import pwd

            pw = pwd.getpwnam(localpg.SERVICE_USER)
            os.fchown(logfd, pw.pw_uid, pw.pw_gid)
        os.close(logfd)
        res = localpg._as_server_user(
            [str(bindir / "pg_ctl"), "start", "-D", str(data), "-l", str(localpg.LOG_FILE)]
            + ["-w", "-t", "60", "-o", f"-k {localpg.socket_dir()}"],
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            print(res.stdout + res.stderr, file=sys.stderr)
            return 1
    for _ in range(50):
        if (localpg.socket_dir() / ".s.PGSQL.5432").exists():
            break
        time.sleep(0.1)
    if localpg._psql(bindir, "SELECT 1 FROM pg_database WHERE datname = 'sipi'") != "1":
        localpg._psql(bindir, 'CREATE DATABASE "sipi"')
    print(f"pgcluster: benchmark cluster ready on socket {localpg.socket_dir()}")
    return 0


def stop() -> int:
    return localpg.stop()


def status() -> int:
    return localpg.status()


def env() -> int:
    print("export SIPI_PG_CLUSTER=bench")
    return 0


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "status"
    actions = {"start": start, "stop": stop, "status": status, "env": env}
    if action not in actions:
        sys.exit(__doc__)
    sys.exit(actions[action]())
