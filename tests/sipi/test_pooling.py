"""PgBouncer in transaction mode: web processes use it, commands stay direct, pages work.

A REAL PgBouncer (sipi/localpgbouncer.py, the Debian binary) runs in front of the test
database for this module; a REAL gunicorn (the production WSGI server, ``sipi.wsgi``) serves
the site through it on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg2
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.urls import reverse

from products.models import Product
from sipi import localpgbouncer
from tests.factories import CertificationFactory, ProductFactory
from tests.support.databases import extra_alias
from tests.support.requests import product_a, unit_a  # noqa: F401 - fixtures

BASE_DIR = Path(__file__).resolve().parents[2]
DB = ["default", "direct"]
PASSWORD = "rahasia-Kalbar-2026"  # tests.factories.UserFactory
# The pooler runs in front of the project's own cluster (sipi/localpg.py).
pytestmark = pytest.mark.skipif(
    bool(settings.DATABASE_URL), reason="needs the local cluster (DATABASE_URL is set)"
)


@pytest.fixture(scope="module")
def pooler():
    """A pooler of two server connections (two are enough to show a client moving between
    server connections from one transaction to the next)."""
    name = f"test-{os.getpid()}"
    localpgbouncer.start(name, pool_size=2)
    yield name
    localpgbouncer.stop(name, remove=True)


def _settings_in_subprocess(code: str, env: dict[str, str]) -> dict:
    script = (
        f"{code}\nimport json\nfrom django.conf import settings\n"
        "d = settings.DATABASES\n"
        "print(json.dumps({a: {'HOST': d[a]['HOST'], 'PORT': str(d[a]['PORT']),"
        " 'SSC_OFF': d[a].get('DISABLE_SERVER_SIDE_CURSORS', False),"
        " 'OPTIONS': d[a].get('OPTIONS', {})} for a in d}))"
    )
    env = {**os.environ, **env}
    for name in ("DATABASE_POOLED", "SIPI_WEB_PROCESS"):
        env.pop(name, None)
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_web_processes_use_the_pool_and_commands_stay_direct(pooler):
    env = {"DATABASE_POOLED_URL": localpgbouncer.url(pooler)}
    pool_dir = str(localpgbouncer.socket_dir(pooler))
    # A web process (gunicorn/uwsgi import sipi.wsgi): "default" is the pooler.
    web = _settings_in_subprocess("import sipi.wsgi", env)
    assert web["default"]["HOST"] == pool_dir and web["default"]["PORT"] == "6432"
    assert web["default"]["SSC_OFF"] is True
    assert "options" not in web["default"]["OPTIONS"]  # PgBouncer 1.18 refuses it
    # Its "direct" alias (job progress) is still a direct connection.
    assert web["direct"]["HOST"] != pool_dir
    # manage.py (migrate, every command) and Celery: direct, JIT off as before.
    command = _settings_in_subprocess(
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'sipi.settings'; django.setup()",
        env,
    )
    assert command["default"]["HOST"] != pool_dir
    assert command["default"]["SSC_OFF"] is False
    assert command["default"]["OPTIONS"]["options"] == "-c jit=off"


# --- the site through PgBouncer --------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A minimal HTTP client with cookies (http.client, no redirects followed)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        conn.close()
        return response.status, response.headers, text

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict):
        return self.request("POST", path, form)


@pytest.fixture
def pooled_site(pooler, tmp_path):
    """gunicorn (2 threads) serving the site on the test database through the pooler."""
    static_root = tmp_path / "static"
    env = {
        **os.environ,
        "SIPI_DB_NAME": connection.settings_dict["NAME"],  # the test database
        "DATABASE_POOLED_URL": localpgbouncer.url(pooler),
        "STATIC_ROOT": str(static_root),
        "DJANGO_DEBUG": "0",
    }
    for name in ("DATABASE_POOLED", "DATABASE_REPLICA_URL", "DATABASE_URL"):
        env.pop(name, None)
    # DEBUG off serves hashed static names from collectstatic's manifest.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as logf:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "sipi.wsgi"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"]
            + ["--access-logfile", "-", "--error-logfile", "-"],
            cwd=BASE_DIR,
            env=env,
            stdout=logf,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, log.read_text()[-3000:]
            try:
                if Browser(port).get("/robots.txt")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.1)
        yield Browser(port), log
    finally:
        proc.terminate()
        proc.wait(15)


@pytest.mark.django_db(transaction=True, databases=DB)
def test_the_site_serves_pages_and_forms_through_pgbouncer(
    regions,
    pooler,
    owner,
    product_a,  # noqa: F811
    pooled_site,
):
    for i in range(30):  # a catalog with more than one page
        ProductFactory(unit=product_a.unit, name=f"Amplang Ikan Varian {i}")
    CertificationFactory(unit=product_a.unit)
    browser, log = pooled_site
    db_name = connection.settings_dict["NAME"]

    pages = [
        "/",
        reverse("public:catalog"),
        reverse("public:catalog") + "?q=lempok",
        reverse("public:catalog") + "?q=amplank&halaman=2",  # typo: trigram search, page 2
        product_a.get_absolute_url(),
        reverse("public:unit_detail", args=[product_a.unit.slug]),
        reverse("public:unit_list"),
        reverse("public:sitemap"),
    ]
    for path in pages:
        status, _headers, text = browser.get(path)
        assert status == 200, (path, text[:500])
    status, _h, text = browser.get(reverse("public:catalog") + "?q=lempuk")
    assert "Lempok Durian 250 g" in text  # the typo found its product: trigram threshold set

    # An owner logs in and saves a product: sessions, login throttling and the write all go
    # through the pooler.
    status, _h, text = browser.get(reverse("portal:login"))
    assert status == 200 and "csrftoken" in browser.cookies
    status, headers, _text = browser.post(
        reverse("portal:login"), {"username": owner.email, "password": PASSWORD}
    )
    assert status == 302, _text[:500]
    status, _h, text = browser.get(reverse("portal:dashboard"))
    assert status == 200 and product_a.unit.name in text
    edit = reverse("portal:product_edit", args=[product_a.pk])
    status, _h, _text = browser.get(edit)
    assert status == 200
    status, headers, _text = browser.post(
        edit,
        {
            "name": "Lempok Durian Lewat PgBouncer",
            "category": product_a.category,
            "description": product_a.description,
            "price": "31000",
            "price_unit": product_a.price_unit,
            "is_published": "on",
        },
    )
    assert status == 302, _text[:1000]
    product_a.refresh_from_db()
    assert product_a.name == "Lempok Durian Lewat PgBouncer"
    assert product_a.price == 31000
    status, _h, text = browser.get(product_a.get_absolute_url())
    assert "Lempok Durian Lewat PgBouncer" in text

    # The traffic went through the pooler, in transaction mode, with no server error.
    pools = {row["database"]: row for row in localpgbouncer.admin_rows(pooler, "SHOW POOLS")}
    assert pools[db_name]["pool_mode"] == "transaction"
    stats = {row["database"]: row for row in localpgbouncer.admin_rows(pooler, "SHOW STATS")}
    assert int(stats[db_name]["total_xact_count"]) > 50
    output = log.read_text()
    assert "Traceback" not in output and "ERROR" not in output
    assert not re.search(r'" 5\d\d ', output)  # access log: no 5xx


@pytest.mark.django_db(transaction=True, databases=DB)
def test_iterator_through_pgbouncer_needs_server_side_cursors_off(regions, pooler, product_a):  # noqa: F811
    """Transaction pooling hands a client another server connection for its next transaction:
    a server-side cursor (``.iterator()``'s default) is then gone. With the pooled alias'
    DISABLE_SERVER_SIDE_CURSORS, ``.iterator()`` reads its rows at once and works."""
    for i in range(5):
        ProductFactory(unit=product_a.unit, name=f"Amplang {i}")
    url = localpgbouncer.url(pooler)

    def iterate_while_another_client_holds_a_server(alias: str) -> list[str]:
        names = []
        rows = Product.objects.using(alias).order_by("id").iterator(chunk_size=1)
        names.append(next(rows).name)  # cursor declared on server connection 1
        with transaction.atomic(using="other"):
            with connections["other"].cursor() as cur:
                cur.execute("SELECT 1")  # the other client now holds server connection 1
            names += [product.name for product in rows]  # the next chunks: connection 2
        return names

    with extra_alias("other", url, DISABLE_SERVER_SIDE_CURSORS=True):
        with extra_alias("pooled", url, DISABLE_SERVER_SIDE_CURSORS=True):
            assert len(iterate_while_another_client_holds_a_server("pooled")) == 6
        with extra_alias("server_cursor", url, DISABLE_SERVER_SIDE_CURSORS=False):
            # psycopg2 raises it again when Django closes the lost cursor.
            with pytest.raises((DatabaseError, psycopg2.Error), match="does not exist"):
                iterate_while_another_client_holds_a_server("server_cursor")
