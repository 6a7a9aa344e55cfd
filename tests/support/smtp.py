"""A real SMTP server on loopback for tests, and a free port for it.

``smtp_server(port)`` starts aiosmtpd (its own process, storing what it receives in a Maildir) on
that port; it is stopped after the test. Before it is started the port is closed, so a worker
sending there gets "connection refused" like a dead mail server.

aiosmtpd runs in a subprocess outside the checkout because its dependency ``atpublic`` is a
top-level module named ``public``, which the project's ``public`` app shadows.
"""

from __future__ import annotations

import mailbox
import os
import socket
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPServer:
    def __init__(self, port: int, folder: Path):
        self.port, self.maildir = port, folder / f"maildir-{port}"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "--nosetuid",
                "--listen",
                f"127.0.0.1:{port}",
                "--class",
                "aiosmtpd.handlers.Mailbox",
                str(self.maildir),
            ],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("aiosmtpd exited: " + self.proc.stderr.read().decode())
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.recv(100)  # the 220 greeting
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("aiosmtpd did not start")

    @property
    def messages(self) -> list[tuple[list[str], object]]:
        """(envelope recipients, parsed message) of everything received, oldest first."""
        if not self.maildir.exists():
            return []
        box = mailbox.Maildir(self.maildir, create=False)
        found = [
            message_from_bytes(box.get_bytes(key), policy=policy.default) for key in box.keys()
        ]
        found.sort(key=lambda msg: msg["Date"].datetime if msg["Date"] else 0)
        return [([r.strip() for r in msg["X-RcptTo"].split(",")], msg) for msg in found]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.proc.stderr:
            self.proc.stderr.close()


@pytest.fixture
def smtp_server(tmp_path):
    servers: list[SMTPServer] = []

    def start(port: int) -> SMTPServer:
        server = SMTPServer(port, tmp_path)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
