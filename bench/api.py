#!/usr/bin/env python3
"""Benchmark: the public API's list endpoints, measured server-side in-process, against a floor.

    .venv/bin/python bench/api.py [--db sipi] [-n 40]

Reads an existing database (``--db``; nothing is written): e.g. the 1M-product database that
``bench/catalog.py --db sipi_bench1m --products 1000000 --units 250000`` leaves behind (or
``manage.py generate_bench_data``). In this process, with DEBUG off and the throttle lifted, it
sends every request N times through Django's test ``Client`` (the full middleware, DRF,
filter and serializer stack, no network) after two warm-up requests and prints p50 and p95 in
milliseconds, the ratio to the floor (``/robots.txt`` in the same run), the SQL queries per
request and the answer's size, with the 1-minute load average beside each figure. Requests: the
product list (first page, a deep cursor near the end, a search word, kab/kota + certificate
filters), units (all, one kab/kota), regions, certificates, the verification by number, the
statistics, and a repeated request answered 304 from its ETag.

Target (issue 15): list endpoints p50 < 50 ms at 1M products.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
TARGET_MS = 50


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def cursor_at(position) -> str:
    """DRF's cursor for "the rows after ``position``" (what a next link carries)."""
    return quote(base64.b64encode(f"p={position}".encode()).decode())


def measure(db: str, n: int) -> None:
    os.environ["SIPI_DB_NAME"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipi.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from certifications.models import Certification
    from ikm.models import IKMUnit
    from products.models import Product

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM ikm_ikmunit), (SELECT count(*) FROM products_product)"
        )
        units, products = cursor.fetchone()
    print(f"data: {units:,} units, {products:,} products (database {db})", flush=True)
    last_id = Product.objects.public().order_by("-id").values_list("id", flat=True).first() or 0
    deep = Product.objects.public().filter(id__lt=last_id - 1000).order_by("-id")
    deep_id = deep.values_list("id", flat=True).first() or 0
    kab = (
        IKMUnit.objects.public().order_by("id").values_list("kabupaten_code", flat=True).first()
        or "61.71"
    )
    number = (
        Certification.objects.filter(unit__verified=True).values_list("number", flat=True).first()
        or "X"
    )
    requests = [
        ("floor /robots.txt", "/robots.txt"),
        ("produk: page 1", "/api/v1/produk/"),
        (
            "produk: deep cursor (1,000 from the end)",
            f"/api/v1/produk/?cursor={cursor_at(deep_id)}",
        ),
        ("produk: q=amplang", "/api/v1/produk/?q=amplang"),
        (
            "produk: kabupaten + sertifikat=halal",
            f"/api/v1/produk/?kabupaten={kab}&sertifikat=halal",
        ),
        ("produk: 200 per page (max; not in the target)", "/api/v1/produk/?ukuran=200"),
        ("unit: page 1", "/api/v1/unit/"),
        ("unit: kabupaten", f"/api/v1/unit/?kabupaten={kab}"),
        ("wilayah: page 1", "/api/v1/wilayah/"),
        ("sertifikat: page 1", "/api/v1/sertifikat/"),
        ("sertifikat/verifikasi", f"/api/v1/sertifikat/verifikasi/?nomor={quote(number)}"),
        ("statistik (cached)", "/api/v1/statistik/"),
    ]
    client = Client()
    rows = []
    plain_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        STORAGES=plain_storage,
        ALLOWED_HOSTS=["testserver"],
        DEBUG=False,
        API_THROTTLE_RATE="1000000/s",
    ):
        etag = None
        for name, url in [*requests, ("produk: page 1 again, If-None-Match -> 304", None)]:
            headers = {}
            if url is None:
                url = "/api/v1/produk/"
                etag = client.get(url)["ETag"]
                headers = {"HTTP_IF_NONE_MATCH": etag}
            expected = 304 if headers else 200
            for _ in range(2):  # warm-up: connection, caches, plans
                assert client.get(url, **headers).status_code == expected, url
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url, **headers)
            queries, size = len(ctx.captured_queries), len(response.content)
            load = os.getloadavg()[0]
            timings = []
            for _ in range(n):
                started = time.perf_counter()
                response = client.get(url, **headers)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == expected, url
            rows.append(
                (name, statistics.median(timings), percentile(timings, 95), queries, size, load)
            )
            print(f"  {name}: p50 {rows[-1][1]:.1f} ms (load {load:.1f})", flush=True)

    floor = rows[0][1]
    width = max(len(r[0]) for r in rows)
    print(f"\n{'request':<{width}}   p50 ms   p95 ms  x floor  queries  KB JSON  load")
    for name, p50, p95, queries, size, load in rows:
        print(
            f"{name:<{width}} {p50:8.1f} {p95:8.1f} {p50 / floor:8.1f} {queries:8d} "
            f"{size / 1024:8.1f}  {load:4.1f}"
        )
    lists = [
        r
        for r in rows[1:]
        if r[0].split(":")[0] in ("produk", "unit", "wilayah", "sertifikat")
        and "not in the target" not in r[0]
    ]
    worst = max(lists, key=lambda r: r[1])
    verdict = "OK" if worst[1] < TARGET_MS else "OVER TARGET"
    print(
        f"\nslowest list p50 at the default page size (50): {worst[0]} {worst[1]:.1f} ms "
        f"(target < {TARGET_MS} ms): {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sipi", help="database to read (nothing is written)")
    parser.add_argument("-n", type=int, default=40, help="requests per measurement")
    args = parser.parse_args()
    measure(args.db, args.n)


if __name__ == "__main__":
    main()
