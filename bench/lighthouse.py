"""Lighthouse CI on the public pages: home, catalog and a product page, mobile profile.

``make lighthouse`` installs the pinned ``@lhci/cli`` (tools/lighthouse/package.json and its
package-lock.json) into ``.lighthouse/`` (git-ignored) and runs this script, which

1. runs ``collectstatic`` into a temporary ``STATIC_ROOT`` (DEBUG is off, as in production);
2. starts gunicorn (2 processes x 2 threads, DEBUG off) on a free port against ``--db`` (default
   the development database ``sipi`` with the demo data; the pages are only read), wrapped so
   that ``/media/`` (product photos) is served from MEDIA_ROOT as the front web server or the
   object storage does in production (with DEBUG off Django serves no media);
3. takes the first product of the catalog page as the product page;
4. runs ``lhci collect`` (Debian's Chromium: CHROME_PATH=/usr/bin/chromium, headless,
   --no-sandbox; Lighthouse's default mobile profile: Moto G Power screen, simulated slow 4G and
   4x CPU slowdown; no network besides 127.0.0.1), ``lhci upload --target=filesystem`` (the HTML
   and JSON reports and manifest.json into bench/results/lighthouse/, git-ignored) and
   ``lhci assert`` with the targets of tools/lighthouse/lighthouserc.json: performance >= 0.9,
   accessibility, best practices and SEO >= 0.95;
5. prints the scores (median run per page) and exits non-zero when a target is missed.

Run: ``make lighthouse`` (or ``.venv/bin/python bench/lighthouse.py [--db sipi] [--runs 3]``
once ``.lighthouse/`` is installed). Needs the local cluster (``make db``) and Node.js/npm.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PY = str(BASE_DIR / ".venv" / "bin" / "python")
GUNICORN = str(BASE_DIR / ".venv" / "bin" / "gunicorn")
LHCI = BASE_DIR / ".lighthouse" / "node_modules" / ".bin" / "lhci"
CONFIG = BASE_DIR / "tools" / "lighthouse" / "lighthouserc.json"
RESULTS = BASE_DIR / "bench" / "results" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The WSGI application gunicorn runs: the project's, plus /media/ from MEDIA_ROOT.
WSGI_MODULE = """
from django.conf import settings
from whitenoise import WhiteNoise

from sipi.wsgi import application as django_application

# Photo files get a new random name per upload (products.images): cached a year, as the
# object storage serves them (STORAGES["default"] "CacheControl" in sipi/settings.py).
application = WhiteNoise(django_application, max_age=31536000)
application.add_files(str(settings.MEDIA_ROOT), prefix=settings.MEDIA_URL)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def start_server(work: Path, db: str) -> tuple[subprocess.Popen, int]:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "SIPI_DB_NAME": db,
        "STATIC_ROOT": str(work / "static"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": f"{work}{os.pathsep}{BASE_DIR}",
    }
    for name in ("DATABASE_POOLED", "DATABASE_POOLED_URL", "DATABASE_REPLICA_URL"):
        env.pop(name, None)
    (work / "lighthouse_wsgi.py").write_text(WSGI_MODULE)
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    port = free_port()
    log = open(work / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the server
    server = subprocess.Popen(
        [GUNICORN, "lighthouse_wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
        + ["--worker-class", "gthread", "--threads", "2", "--error-logfile", "-"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            get(f"http://127.0.0.1:{port}/robots.txt")
            return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.terminate()
                sys.exit("gunicorn did not start: " + (work / "gunicorn.log").read_text())
            time.sleep(0.2)


def pages(base: str) -> dict[str, str]:
    catalog = get(base + "/produk/")
    match = re.search(r'href="(/produk/[a-z0-9-]+/)"', catalog)
    if match is None:
        sys.exit("no product on /produk/: load the demo data (make setup) or pass --db")
    return {"home": base + "/", "catalog": base + "/produk/", "product": base + match.group(1)}


def lhci(args: list[str], cwd: Path) -> int:
    env = {**os.environ, "CHROME_PATH": CHROME}
    return subprocess.run([str(LHCI), *args], cwd=cwd, env=env).returncode


def summary(urls: dict[str, str]) -> list[tuple[str, dict[str, float]]]:
    """The representative (median) run of each page from lhci's manifest.json."""
    manifest = json.loads((RESULTS / "manifest.json").read_text())
    by_url = {e["url"]: e for e in manifest if e.get("isRepresentativeRun")}
    rows = []
    for label, url in urls.items():
        entry = by_url.get(url)
        if entry is not None:
            rows.append((label, entry["summary"]))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", default="sipi", help="database with the catalog (default sipi)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    args = parser.parse_args()
    if not LHCI.exists():
        sys.exit("Lighthouse CI is not installed: `make lighthouse` installs it into .lighthouse/")
    if not Path(CHROME).exists():
        sys.exit(f"Chromium is missing at {CHROME}: `make browser`")
    if os.environ.get("DATABASE_URL"):
        sys.exit("bench/lighthouse.py uses the local cluster: unset DATABASE_URL")

    work = Path(tempfile.mkdtemp(prefix="sipi-lighthouse-"))
    server = None
    try:
        server, port = start_server(work, args.db)
        try:
            urls = pages(f"http://127.0.0.1:{port}")
        except OSError as exc:  # urllib's HTTPError too: a 500 on /produk/
            print((work / "gunicorn.log").read_text()[-4000:], file=sys.stderr)
            sys.exit(f"/produk/ failed: {exc}")
        shutil.rmtree(RESULTS, ignore_errors=True)
        RESULTS.mkdir(parents=True)
        collect = [f"--url={url}" for url in urls.values()]
        collect += [f"--numberOfRuns={args.runs}", f"--settings.chromeFlags={CHROME_FLAGS}"]
        if lhci(["collect", f"--config={CONFIG}", *collect], work) != 0:
            print((work / "gunicorn.log").read_text()[-4000:], file=sys.stderr)
            return 1
        lhci(["upload", "--target=filesystem", f"--outputDir={RESULTS}"], work)
        passed = lhci(["assert", f"--config={CONFIG}"], work) == 0
        errors = (work / "gunicorn.log").read_text().count("Traceback")
    finally:
        if server is not None:
            server.terminate()
            server.wait(20)
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nLighthouse (mobile, median of {args.runs}), reports in {RESULTS}:")
    print(f"{'page':<10}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for label, scores in summary(urls):
        print(f"{label:<10}" + "".join(f"{scores.get(c, 0):>16.2f}" for c in CATEGORIES))
    print(f"server errors: {errors}")
    print("OK" if passed and not errors else "TARGETS MISSED (see above)")
    return 0 if passed and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
