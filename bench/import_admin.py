#!/usr/bin/env python3
"""Benchmark: a 100,000-row unit import through the admin, from the upload to "done".

    .venv/bin/python bench/import_admin.py [--rows 100000] [--xlsx] [--canonical] [--keep]

The file is shaped as a Dinas keeps it (``--canonical``: the project's own headers instead):
title rows above the header, the office's own column names ("NAMA IKM", "NO. HP/WA",
"TENAGA KERJA (ORANG)", "NILAI INVESTASI (Rp)" …), amounts written "Rp. 100.000.000.-",
"Rp 240.000.000,-", "Rp 150 jt", "1,2 M", phones "0812-3456-7890", region names instead of codes
in several spellings ("KAB. SANGGAU", "Kec. Kapuas", "Desa Penyeladi", "Sei …" for "Sungai …",
"Sungai Bangkong" for "Sungaibangkong"). Must finish, upload to done, within LIMIT_SECONDS.

Creates a scratch database (``sipi_bench_import_admin``) on the project's local PostgreSQL,
migrates it, loads the Kalbar regions and makes a province official; starts gunicorn (one sync
worker, its 30 s timeout) and a Celery worker on that database, with a Redis broker database
of their own (``CELERY_BROKER_URL``, database 7) and a temporary private storage. Then, over
HTTP like a browser: logs in, uploads the file on the import page (timed: the request only
stores the file and queues the job that finds the header row and proposes the column mapping),
polls the job's status block until it is done, sends the mapping screen as proposed (timed; it
queues the preview job), polls until the preview is done, clicks "Konfirmasi impor" (timed) and
polls until the import is done. Checks the units
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
LIMIT_SECONDS = 90.0  # 100,000 rows, upload to done, on the 2-core machine


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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (load-independent, unlike the wall clock)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def write_xlsx(csv_path: Path, xlsx_path: Path) -> None:
    import csv

    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh, delimiter=";"):
            sheet.append(row)
    book.save(xlsx_path)


TITLE_ROWS = [
    ["DAFTAR INDUSTRI KECIL DAN MENENGAH (IKM) SE-KALIMANTAN BARAT"],
    ["DINAS PERINDUSTRIAN DAN PERDAGANGAN PROVINSI KALIMANTAN BARAT"],
    ["KEADAAN S.D. NOVEMBER 2026"],
    [],
]
DINAS_HEADERS = [
    "NO",
    "NAMA IKM",
    "NAMA PEMILIK",
    "NIK",
    "NIB",
    "NO. HP/WA",
    "KOMODITI",
    "JENIS PRODUK",
    "ALAMAT",
    "DESA/KELURAHAN",
    "KECAMATAN",
    "KAB/KOTA",
    "TENAGA KERJA (ORANG)",
    "NILAI INVESTASI (Rp)",
    "KAPASITAS PRODUKSI",
    "SATUAN",
    "NILAI PRODUKSI (Rp)",
    "TAHUN BERDIRI",
]
PRODUCTS = ["Keripik pisang", "Lempok durian", "Kain tenun ikat", "Madu kelulut", "Amplang"]


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def dinas_amount(millions: int, i: int) -> str:
    """An amount in one of the ways offices write it (always the same number of rupiah)."""
    rupiah = millions * 1_000_000
    shape = i % 6
    if shape == 0:
        return f"Rp. {_thousands(rupiah)}.-"
    if shape == 1:
        return f"Rp {_thousands(rupiah)},-"
    if shape == 2:
        return f"Rp {millions} jt"
    if shape == 3 and millions % 100 == 0 and millions >= 1000:
        return f"{millions / 1000:g} M".replace(".", ",")
    if shape == 4:
        return f"{millions} juta"
    return _thousands(rupiah)


def region_names() -> list[tuple[str, str, str, str]]:
    """(desa code, desa name with its level word, kecamatan name, kab/kota name) of Kalbar."""
    import csv

    names: dict[str, tuple[str, str]] = {}
    with open(BASE_DIR / "ikm" / "data" / "regions" / "kalbar.csv", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            names[rec["code"]] = (rec["name"], rec["level"])
    return [
        (code, name, names[code[:8]][0], names[code[:5]][0])
        for code, (name, level) in names.items()
        if level in ("desa", "kelurahan")
    ]


def spelled(name: str, i: int) -> str:
    """A desa name as offices spell it: as is, upper case, Sei for Sungai, words split/joined."""
    shape = i % 5
    if shape == 1:
        return name.upper()
    if shape == 2 and name.startswith("Sungai "):
        return "Sei " + name[len("Sungai ") :]
    if shape == 3 and name.startswith("Sungai") and not name.startswith("Sungai "):
        return "Sungai " + name[len("Sungai") :]  # "Sungai Bangkong" for Sungaibangkong
    return name


def write_dinas_rows(rows: int) -> list[list]:
    from import_units import GROUPS, bench_nik

    places = region_names()
    out: list[list] = [*TITLE_ROWS, DINAS_HEADERS]
    for i in range(rows):
        code, desa, kec, kab = places[i % len(places)]
        level_word = ("Desa ", "Kel. ", "")[i % 3] if code[9] != "1" else ("Kel. ", "", "")[i % 3]
        kab_written = (kab, kab.upper(), kab.replace("Kabupaten ", "Kab. "))[i % 3]
        investment = 5 + (i * 7919) % 2995  # millions
        out.append(
            [
                i + 1,
                f"IKM Dinas {i}",
                f"Pemilik {i}",
                bench_nik(code, i),
                f"91{i:011d}",
                f"0812-{i // 10000 % 10000:04d}-{i % 10000:04d}",
                GROUPS[i % len(GROUPS)],
                PRODUCTS[i % len(PRODUCTS)],
                f"Jl. Contoh No. {i % 300 + 1}",
                level_word + spelled(desa, i),
                ("Kec. " if i % 4 == 0 else "") + (kec.upper() if i % 7 == 0 else kec),
                kab_written,
                str(1 + i % 40),
                dinas_amount(investment, i),
                _thousands(100 + i % 5000),
                "kg",
                dinas_amount(investment * 3, i + 1),
                str(1990 + i % 35),
            ]
        )
    return out


def write_dinas(path: Path, rows: int, xlsx: bool) -> None:
    import csv

    data = write_dinas_rows(rows)
    if xlsx:
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        for row in data:
            sheet.append(row)
        book.save(path)
        return
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(data)


def mapping_form(body: str) -> tuple[str, dict[str, str]] | None:
    """The mapping screen's form on a job page: its action and the proposed choices."""
    import html

    form = re.search(r'<form method="post" action="([^"]+)" id="import-mapping">', body)
    if not form:
        return None
    fields = {}
    for name, select in re.findall(r'<select name="(kolom_\d+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', select)
        fields[name] = html.unescape(chosen.group(1)) if chosen else ""
    return html.unescape(form.group(1)), fields


def main() -> int:
    from import_units import admin_connection, write_csv

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx", action="store_true", help="upload an XLSX instead of a CSV")
    parser.add_argument(
        "--canonical", action="store_true", help="the project's own headers and region codes"
    )
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
        try:
            manage("collectstatic", "--noinput", extra=extra)
        except SystemExit as exc:
            # A static file the manifest storage cannot post-process (e.g. a vendored script
            # naming a missing source map) says nothing about imports: measure with plain
            # compressed static files, and say so.
            if "MissingFileError" not in str(exc):
                raise
            settings_dir = root / "settings"
            settings_dir.mkdir()
            (settings_dir / "bench_settings.py").write_text(
                "from sipi.settings import *  # noqa\n"
                "STORAGES['staticfiles'] = "
                "{'BACKEND': 'whitenoise.storage.CompressedStaticFilesStorage'}\n"
            )
            extra["DJANGO_SETTINGS_MODULE"] = "bench_settings"
            extra["PYTHONPATH"] = f"{settings_dir}:{BASE_DIR}"
            print("collectstatic: manifest storage failed (" + str(exc).splitlines()[-1][:120]
                  + "); measuring with CompressedStaticFilesStorage")  # fmt: skip
            manage("collectstatic", "--noinput", extra=extra)
        setup_out = manage(
            "shell",
            "-c",
            "from ikm.roles import ensure_role_groups; from ikm.services import official_assign; "
            "from django.contrib.auth.models import User; ensure_role_groups(); "
            f"u = User.objects.create_user({USERNAME!r}, password={PASSWORD!r}); "
            "official_assign(user=u, kabupaten_id=None); "
            # Staff sign in with a second factor: the bench's authenticator app.
            "from django_otp.plugins.otp_totp.models import TOTPDevice; "
            "print('TOTP', TOTPDevice.objects.create(user=u, name='bench', confirmed=True).key)",
            extra=extra,
        )
        print(
            f"scratch database {DB}: migrate, regions, collectstatic, official in "
            f"{time.monotonic() - t0:.1f}s"
        )
        xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if args.canonical:
            path = root / "units.csv"
            write_csv(path, args.rows)
            content_type = "text/csv"
            if args.xlsx:
                xlsx = root / "units.xlsx"
                write_xlsx(path, xlsx)
                path = xlsx
                content_type = xlsx_type
        else:
            path = root / ("daftar-ikm-dinas.xlsx" if args.xlsx else "daftar-ikm-dinas.csv")
            write_dinas(path, args.rows, args.xlsx)
            content_type = xlsx_type if args.xlsx else "text/csv"
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
        location = _h.get("Location", "")
        if "/mfa/" in location:  # the second factor, as the official's phone gives it
            from binascii import unhexlify

            from django_otp.oath import TOTP

            key = re.search(r"TOTP (\w+)", setup_out).group(1)
            code = f"{TOTP(unhexlify(key)).token():06d}"
            path_only = urllib.parse.urlsplit(location)
            mfa_path = path_only.path + (f"?{path_only.query}" if path_only.query else "")
            status, _h, _b, _t = browser.post(mfa_path, {"code": code})
            assert status == 302, f"second factor refused ({status}): {_b[-500:]}"

        fmt = "1" if args.xlsx else "0"
        worker_cpu = cpu_seconds(worker.pid)
        status, headers, body, upload_s = browser.post(
            "/admin/ikm/ikmunit/import/",
            {"format": fmt, "resource": "0"},
            files={"import_file": (path.name, data, content_type)},
        )
        if status != 302:
            raise SystemExit(f"upload refused ({status}): {body[-2000:]}")
        preview = job_id(headers)
        print(f"upload request: {upload_s:.2f}s (HTTP 302 to the job page of #{preview})")
        state, inspect_s, body = browser.wait_done(preview)
        mapping_s = 0.0
        status, _h, page = browser.request(f"/admin/jobs/job/{preview}/change/")
        form = mapping_form(page) if state == "done" else None
        if form is not None:  # the mapping screen: sent as proposed
            action, fields = form
            mapped = {k: v for k, v in fields.items() if v}
            print(
                f"inspect job : {state} {inspect_s:.1f}s — {len(mapped)} of {len(fields)} "
                f"columns mapped: {', '.join(sorted(mapped.values()))}"
            )
            status, headers, body, mapping_s = browser.post(
                action, fields, form_page=f"/admin/jobs/job/{preview}/change/"
            )
            if status != 302:
                errors = re.search(r'id="mapping-errors">(.*?)</ul>', body, re.S)
                raise SystemExit(f"mapping refused ({status}): {errors and errors.group(1)}")
            preview = job_id(headers)
            print(f"mapping request: {mapping_s:.2f}s (HTTP 302 to the preview job #{preview})")
            state, preview_s, body = browser.wait_done(preview)
            preview_s += inspect_s
        else:
            preview_s = inspect_s
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
        total = upload_s + mapping_s + preview_s + confirm_s + import_s
        print(
            f"upload to done: {total:.1f}s (upload {upload_s:.2f}s + mapping {mapping_s:.2f}s + "
            f"inspect and preview {preview_s:.1f}s + confirm {confirm_s:.2f}s + "
            f"import {import_s:.1f}s), limit {LIMIT_SECONDS:.0f}s; "
            f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        print(
            f"worker CPU time, upload to done: {cpu_seconds(worker.pid) - worker_cpu:.1f}s "
            f"(on {os.cpu_count()} cores; the wall clock above includes waiting for the CPU)"
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
        ok = (
            state == "done"
            and units == history == by_user == args.rows
            and max(upload_s, mapping_s, confirm_s) < 5
            and (args.rows < 100_000 or total < LIMIT_SECONDS)
        )
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
