#!/usr/bin/env python3
"""The project's own Redis, inside the checkout (stdlib only), like ``sipi/localpg.py``.

Used when REDIS_URL is unset: ``python3 sipi/localredis.py start|stop|status``. The server keeps
its files in ``.redis/`` (git-ignored) and listens only on a unix socket there (no TCP port, no
system service). Redis is the cache, the session cache and the Celery broker: the cache in
database 1 and the broker in database 0 (3 and 2 under pytest), so clearing the cache never drops
queued jobs.
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

BASE_DIR = Path(__file__).resolve().parent.parent
ROOT = BASE_DIR / ".redis"
CONF_FILE = ROOT / "redis.conf"
LOG_FILE = ROOT / "redis.log"
PID_FILE = ROOT / "redis.pid"
# A test run (pytest sets PYTEST_VERSION, also for the workers it starts) uses databases of its
# own, so that clearing its cache or queue never touches `make run`'s.
_TEST = "PYTEST_VERSION" in os.environ
BROKER_DB = 2 if _TEST else 0
CACHE_DB = 3 if _TEST else 1
INSTALL_HINT = (
    "redis-server was not found on PATH.\n"
    "Install it, for example on Debian/Ubuntu:\n"
    "    sudo apt-get install redis-server\n"
    "or set REDIS_URL (and CELERY_BROKER_URL) to use an existing server."
)


def socket_path() -> Path:
    """The server's unix socket (kept short: socket paths max out at 107 bytes)."""
    path = ROOT / "redis.sock"
    if len(str(path)) < 100:
        return path
    digest = hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"sipi-redis-{digest}.sock"


def cache_url() -> str:
    return f"unix://{socket_path()}?db={CACHE_DB}"


def broker_url() -> str:
    return f"redis+socket://{socket_path()}?virtual_host={BROKER_DB}"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["redis-cli", "-s", str(socket_path()), *args], capture_output=True, text=True
    )


def is_running() -> bool:
    if not socket_path().exists() or not shutil.which("redis-cli"):
        return False
    return _cli("PING").stdout.strip() == "PONG"


def _write_conf() -> None:
    CONF_FILE.write_text(
        "# sipi: unix socket only, inside the checkout (written by sipi/localredis.py)\n"
        "port 0\n"
        f"unixsocket {socket_path()}\n"
        "unixsocketperm 700\n"
        "daemonize yes\n"
        f"pidfile {PID_FILE}\n"
        f"logfile {LOG_FILE}\n"
        f"dir {ROOT}\n"
        # The broker's queue survives a restart; the cache is rebuilt anyway.
        "appendonly yes\n"
        'save ""\n'
        "databases 16\n"
    )


def start() -> int:
    if os.environ.get("REDIS_URL"):
        print("localredis: REDIS_URL is set; the local Redis is not used.")
        return 0
    if not shutil.which("redis-server"):
        print(INSTALL_HINT, file=sys.stderr)
        return 1
    ROOT.mkdir(exist_ok=True)
    if is_running():
        print(f"localredis: running on socket {socket_path()}")
        return 0
    socket_path().unlink(missing_ok=True)  # a stale socket of a server that died
    _write_conf()
    res = subprocess.run(["redis-server", str(CONF_FILE)], capture_output=True, text=True)
    if res.returncode != 0:
        print(res.stdout + res.stderr, file=sys.stderr)
        return 1
    for _ in range(100):
        if is_running():
            print(f"localredis: Redis ready on socket {socket_path()}")
            return 0
        time.sleep(0.05)
    print("localredis: the server did not answer; see " + str(LOG_FILE), file=sys.stderr)
    if LOG_FILE.exists():
        print(LOG_FILE.read_text()[-2000:], file=sys.stderr)
    return 1


def stop() -> int:
    if not is_running():
        print("localredis: not running")
        return 0
    _cli("SHUTDOWN")
    for _ in range(100):
        if not is_running():
            break
        time.sleep(0.05)
    print("localredis: stopped")
    return 0


def status() -> int:
    running = is_running()
    print("localredis: running" if running else "localredis: not running")
    return 0 if running else 3


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "start"
    sys.exit({"start": start, "stop": stop, "status": status}.get(action, start)())
