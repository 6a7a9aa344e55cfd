"""A real Celery worker for tests: a subprocess on the test database and the test run's queue.

Tests that use it need committed data (``transactional_db``): the worker is another process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


class Worker:
    def __init__(self, extra_env: dict[str, str] | None = None):
        self.extra_env = extra_env or {}
        self.proc: subprocess.Popen | None = None
        name = f"worker-{os.getpid()}-{time.monotonic_ns()}.log"
        self.log = BASE_DIR / "test-artifacts" / name

    def start(self) -> Worker:
        self.log.parent.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "SIPI_DB_NAME": connection.settings_dict["NAME"],  # the test database
            # ...under the same test name, so that tasks it sends itself go to this run's queue
            "SIPI_TEST_DB": settings.DATABASES["default"]["TEST"]["NAME"],
            **self.extra_env,
        }
        self._logf = open(self.log, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "sipi",
                "worker",
                "--pool=solo",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
                "-Q",
                settings.CELERY_TASK_DEFAULT_QUEUE,
                f"--hostname=test-{os.getpid()}-{time.monotonic_ns()}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self._logf,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the worker exited: " + self.log.read_text()[-2000:])
            if b" ready." in self.log.read_bytes():
                return
            time.sleep(0.2)
        raise RuntimeError("the worker did not start: " + self.log.read_text()[-2000:])

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no acknowledgement."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        if getattr(self, "_logf", None):
            self._logf.close()


@pytest.fixture
def celery_worker(transactional_db):
    """A started worker (stopped after the test). ``celery_worker.kill()`` kills it hard."""
    # Start from an empty queue: nothing left by an earlier test is delivered to this one.
    from sipi.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)
    worker = Worker().start()
    yield worker
    worker.stop()


@pytest.fixture
def start_worker(transactional_db):
    """``start_worker(extra_env)`` starts workers the test controls (all stopped afterwards)."""
    from sipi.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)
    workers: list[Worker] = []

    def start(extra_env: dict[str, str] | None = None) -> Worker:
        worker = Worker(extra_env).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def wait_for(predicate, timeout: float = 30, interval: float = 0.2):
    """Poll ``predicate()`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
