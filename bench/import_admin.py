#!/usr/bin/env python3
"""Benchmark: a 20,000-row unit import through the admin, from the upload to "done".

    .venv/bin/python bench/import_admin.py [--rows 20000] [--xlsx] [--keep]

Creates a scratch database (``sipi_bench_import_admin``) on the project's local PostgreSQL,
migrates it, loads the Kalbar regions and makes a province official; starts gunicorn (one sync
worker, its 30 s timeout) and a Celery worker on that database, with a Redis broker database
of their own (``CELERY_BROKER_URL``, database 7) and a temporary private storage. Then, over
HTTP like a browser: logs in, uploads the file on the import page (timed: the request only
stores the file and queues the preview job), polls the job's status block until the preview is
done, clicks "Konfirmasi impor" (timed) and polls until the import is done. Checks the units
and their history rows, prints the figures, stops both servers and drops the database.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))
DB = "sipi_bench_import_admin"
PY = str(BASE_DIR / ".venv" / "bin" / "python")
USERNAME, PASSWORD = "bench_admin_prov", "Bench-Kalbar-2026"
BROKER_DB = 7  # not make run's (0) nor a test run's (2)


def env() -> dict[str, str]:
    from sipi import localredis

    return {
        **os.environ,
        "SIPI_DB_NAME": DB,
        "CELERY_BROKER_URL": f"redis+socket://{localredis.socket_path()}?virtual_host={BROKER_DB}",
        "DJANGO_DEBUG": "0",
    }


def manage(*args: str, extra: dict[str, str]) -> str:
    run = subprocess.run(
        [PY, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env={**env(), **extra},
        capture_output=True,
        text=True,
    )
    if run.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{run.stderr[-3000:]}")
    return run.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_log(path: Path, needle: bytes, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"process exited:\n{path.read_text()[-3000:]}")
        if needle in path.read_bytes():
            return
        time.sleep(0.2)
    raise SystemExit(f"not ready after {timeout} s:\n{path.read_text()[-3000:]}")


class Browser:
    """Cookies, CSRF tokens and form posts over plain HTTP (no redirects followed)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirect
        )

    def request(self, path: str, data: bytes | None = None, headers=None):
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=120) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:  # 302 (not followed) and errors
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    def csrf(self, path: str) -> str:
        status, _headers, body = self.request(path)
        assert status == 200, (path, status, body[:500])
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    def post(self, path: str, fields: dict[str, str], files=None, form_page: str | None = None):
        """POST a form found on ``form_page`` (default: ``path``); returns the time it took."""
        fields = {"csrfmiddlewaretoken": self.csrf(form_page or path), **fields}
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content, ctype) in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": self.base + path,
        }
        started = time.monotonic()
        status, response_headers, text = self.request(path, body, headers)
        return status, response_headers, text, time.monotonic() - started

    def wait_done(self, job_id: int, timeout: float = 900) -> tuple[str, float, str]:
        """Poll the job's status block (as the page's htmx does) until it is finished."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            status, _h, body = self.request(f"/admin/jobs/job/{job_id}/status/")
            assert status == 200, (status, body[:500])
            state = re.search(r'data-status="(\w+)"', body).group(1)
            if state in ("done", "failed"):
                return state, time.monotonic() - started, body
            time.sleep(0.5)
        raise SystemExit(f"job {job_id} not finished after {timeout} s")


def job_id(headers: dict) -> int:
    location = headers.get("Location", "")
    match = re.search(r"/admin/jobs/job/(\d+)/change/", location)
    if not match:
        raise SystemExit(f"no job page in the redirect: {location!r}")
    return int(match.group(1))


def peak_rss(pid: int) -> str:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "?"
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return f"{int(match.group(1)) / 1024:.0f} MB" if match else "?"


def write_xlsx(csv_path: Path, xlsx_path: Path) -> None:
    import csv

    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh, delimiter=";"):
            sheet.append(row)
    book.save(xlsx_path)


def main() -> int:
    from import_units import admin_connection, write_csv

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--xlsx", action="store_true", help="upload an XLSX instead of a CSV")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    conn = admin_connection()
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        cur.execute(f'CREATE DATABASE "{DB}"')
    procs: list[subprocess.Popen] = []
    tmp = tempfile.TemporaryDirectory()
    root = Path(tmp.name)
    # DEBUG off as in production: static files from collectstatic's manifest (in tmp).
    extra = {"PRIVATE_MEDIA_ROOT": str(root / "private"), "STATIC_ROOT": str(root / "static")}
    try:
        t0 = time.monotonic()
        manage("migrate", "--noinput", extra=extra)
        manage("load_regions", extra=extra)
        manage("collectstatic", "--noinput", extra=extra)
        manage(
            "shell",
            "-c",
            "from ikm.roles import ensure_role_groups; from ikm.services import official_assign; "
            "from django.contrib.auth.models import User; ensure_role_groups(); "
            f"u = User.objects.create_user({USERNAME!r}, password={PASSWORD!r}); "
            "official_assign(user=u, kabupaten_id=None)",
            extra=extra,
        )
        print(
            f"scratch database {DB}: migrate, regions, collectstatic, official in "
            f"{time.monotonic() - t0:.1f}s"
        )
        path = root / "units.csv"
        write_csv(path, args.rows)
        content_type = "text/csv"
        if args.xlsx:
            xlsx = root / "units.xlsx"
            write_xlsx(path, xlsx)
            path = xlsx
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        data = path.read_bytes()
        print(f"file: {args.rows} rows, {path.name}, {len(data) / 1e6:.1f} MB")

        # The Celery worker and gunicorn, on the scratch database and broker.
        subprocess.run(  # nothing left from an earlier, interrupted run
            [PY, "-m", "celery", "-A", "sipi", "purge", "-f"],
            cwd=BASE_DIR,
            env={**env(), **extra},
            check=True,
            capture_output=True,
        )
        worker_log = root / "worker.log"
        worker = subprocess.Popen(
            [PY, "-m", "celery", "-A", "sipi", "worker", "--pool=solo", "--without-mingle",
             "--without-gossip", "--loglevel=INFO", f"--hostname=bench-{os.getpid()}@%h"],
            cwd=BASE_DIR, env={**env(), **extra}, stdout=open(worker_log, "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        procs.append(worker)
        port = free_port()
        web_log = root / "web.log"
        web = subprocess.Popen(
            [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "sipi.wsgi", "--bind",
             f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30"],
            cwd=BASE_DIR, env={**env(), **extra}, stdout=open(web_log, "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        procs.append(web)
        wait_for_log(worker_log, b" ready.", worker)
        wait_for_log(web_log, b"Booting worker", web)
        time.sleep(1)
        browser = Browser(f"http://127.0.0.1:{port}")
        status, _h, _b, _t = browser.post(
            "/admin/login/?next=/admin/", {"username": USERNAME, "password": PASSWORD}
        )
        assert status == 302, f"login failed ({status})"

        fmt = "1" if args.xlsx else "0"
        status, headers, body, upload_s = browser.post(
            "/admin/ikm/ikmunit/import/",
            {"format": fmt, "resource": "0"},
            files={"import_file": (path.name, data, content_type)},
        )
        if status != 302:
            raise SystemExit(f"upload refused ({status}): {body[-2000:]}")
        preview = job_id(headers)
        print(f"upload request: {upload_s:.2f}s (HTTP 302 to the job page of #{preview})")
        state, preview_s, body = browser.wait_done(preview)
        summary = re.search(r'id="job-summary">([^<]+)<', body)
        print(
            f"preview job : {state} {preview_s:.1f}s after the upload — "
            f"{summary.group(1) if summary else body[-1500:]}"
        )
        if state != "done":
            return 1
        status, headers, body, confirm_s = browser.post(
            f"/admin/ikm/ikmunit/import/confirm/{preview}/",
            {},
            form_page=f"/admin/jobs/job/{preview}/change/",
        )
        assert status == 302, (status, body[:1000])
        job = job_id(headers)
        print(f"confirm request: {confirm_s:.2f}s")
        state, import_s, body = browser.wait_done(job)
        summary = re.search(r'id="job-summary">([^<]+)<', body)
        print(
            f"import job  : {state} {import_s:.1f}s after the confirmation — "
            f"{summary.group(1) if summary else body[-1500:]}"
        )
        total = upload_s + preview_s + confirm_s + import_s
        print(
            f"upload to done: {total:.1f}s (upload {upload_s:.2f}s + preview {preview_s:.1f}s + "
            f"confirm {confirm_s:.2f}s + import {import_s:.1f}s)"
        )
        out = manage(
            "shell",
            "-c",
            "from ikm.models import IKMUnit; "
            "print(IKMUnit.objects.count(), IKMUnit.history.count(), "
            f"IKMUnit.history.filter(history_user__username={USERNAME!r}).count())",
            extra=extra,
        )
        units, history, by_user = (int(x) for x in out.strip().splitlines()[-1].split())
        print(f"units: {units}, history rows: {history} (by {USERNAME}: {by_user})")
        print(f"worker peak memory (VmHWM): {peak_rss(worker.pid)}")
        ok = state == "done" and units == history == by_user == args.rows and upload_s < 5
        print("OK" if ok else "UNEXPECTED")
        return 0 if ok else 1
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
        tmp.cleanup()
        if not args.keep:
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    [DB],
                )
                cur.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
