#!/usr/bin/env python3
"""Benchmark: the public pages on a large data set, measured server-side in-process.

    .venv/bin/python bench/catalog.py [--db sipi_bench_catalog] [--units 50000] [--products 200000]
                                      [-n 40] [--drop]

Creates (or reuses) a scratch database on the project's local PostgreSQL, migrates it, loads the
Kalbar regions and fills it with ``manage.py generate_bench_data --units … --products …``. Then,
in this process, it sends every page N times through Django's test ``Client`` (the full
middleware/view/template stack, no network) after two warm-up requests, and prints median and
p95 in milliseconds with the number of SQL queries per request. The catalog search with a term
and two filters has a target of < 100 ms at the median. Finally it prints ``EXPLAIN ANALYZE`` of
that search's list query. ``--drop`` removes the scratch database at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
PY = str(BASE_DIR / ".venv" / "bin" / "python")
SEARCH_TARGET_MS = 100


def admin_connection():
    import psycopg2

    from sipi.localpg import DB_USER, socket_dir

    conn = psycopg2.connect(dbname="postgres", user=DB_USER, host=str(socket_dir()))
    conn.autocommit = True
    return conn


def manage(db: str, *args: str) -> None:
    env = {**os.environ, "SIPI_DB_NAME": db}
    print(f"$ SIPI_DB_NAME={db} manage.py {' '.join(args)}", flush=True)
    subprocess.run([PY, str(BASE_DIR / "manage.py"), *args], cwd=BASE_DIR, env=env, check=True)


def prepare(db: str, units: int, products: int) -> None:
    conn = admin_connection()
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        exists = cur.fetchone() is not None
        if not exists:
            cur.execute(f'CREATE DATABASE "{db}"')
    conn.close()
    manage(db, "migrate", "--noinput", "-v", "0")
    manage(db, "load_regions")
    import psycopg2

    from sipi.localpg import DB_USER, socket_dir

    conn = psycopg2.connect(dbname=db, user=DB_USER, host=str(socket_dir()))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM products_product")
            have = cur.fetchone()[0]
            if have < products:
                manage(
                    db, "generate_bench_data", "--units", str(units), "--products", str(products)
                )
            else:
                print(f"reusing {db}: {have} products already there", flush=True)
            cur.execute("VACUUM ANALYZE")
    finally:
        conn.close()


def drop(db: str) -> None:
    conn = admin_connection()
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    conn.close()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure(db: str, n: int) -> None:
    os.environ["SIPI_DB_NAME"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipi.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from ikm.models import IKMUnit
    from products.models import Product

    rng = random.Random(7)
    product_slugs = list(
        Product.objects.public().order_by("?").values_list("slug", flat=True)[: max(n, 20)]
    )
    unit_slugs = list(
        IKMUnit.objects.public().order_by("?").values_list("slug", flat=True)[: max(n, 20)]
    )
    counts = (IKMUnit.objects.count(), Product.objects.count())
    print(f"\ndata: {counts[0]:,} units, {counts[1]:,} products (database {db})", flush=True)

    from django.core.cache import cache

    pages = [
        ("home (figures cached)", lambda i: "/"),
        ("home (cold: cache cleared)", lambda i: "/"),
        ("catalog (facets cached)", lambda i: "/produk/"),
        ("catalog (cold: cache cleared)", lambda i: "/produk/"),
        ("catalog page 100, price asc", lambda i: "/produk/?urut=harga_naik&halaman=100"),
        (
            "search 'lempok' + kab/kota + kategori",
            lambda i: "/produk/?q=lempok&kabupaten=61.03&kategori=makanan",
        ),
        (
            "search 'tenun' + kab/kota + sertifikat",
            lambda i: "/produk/?q=tenun&kabupaten=61.05&sertifikat=halal",
        ),
        ("search 'amplank' (typo)", lambda i: "/produk/?q=amplank"),
        ("search 'keramik singkawang'", lambda i: "/produk/?q=keramik+singkawang"),
        ("search 'pengrajin'", lambda i: "/produk/?q=pengrajin"),
        ("product page", lambda i: f"/produk/{product_slugs[i % len(product_slugs)]}/"),
        ("unit page", lambda i: f"/ikm/{unit_slugs[i % len(unit_slugs)]}/"),
        ("IKM directory, kab/kota", lambda i: "/ikm/?kabupaten=61.03"),
        ("region kab/kota", lambda i: "/wilayah/61.03/"),
        ("region kecamatan", lambda i: "/wilayah/61.03.01/"),
    ]
    rng.shuffle(product_slugs)
    client = Client()
    rows = []
    plain_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain_storage, ALLOWED_HOSTS=["testserver"]):
        for name, url_for in pages:
            for i in range(2):  # warm-up: connection, caches, plans
                assert client.get(url_for(i)).status_code == 200, url_for(i)
            timings = []
            if "cold" in name:
                cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url_for(0))
            queries = len(ctx.captured_queries)
            size = len(response.content)
            for i in range(n):
                if "cold" in name:
                    cache.clear()
                started = time.perf_counter()
                response = client.get(url_for(i))
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            rows.append((name, statistics.median(timings), percentile(timings, 95), queries, size))
            print(f"  {name}: median {rows[-1][1]:.1f} ms", flush=True)

    width = max(len(r[0]) for r in rows)
    print(f"\n{'page':<{width}}  median ms    p95 ms  queries  KB (HTML)")
    for name, median, p95, queries, size in rows:
        print(f"{name:<{width}}  {median:9.1f} {p95:9.1f} {queries:8d} {size / 1024:10.1f}")
    search = [r for r in rows if r[0].startswith("search 'lempok'")][0]
    verdict = "OK" if search[1] < SEARCH_TARGET_MS else "OVER TARGET"
    print(
        f"\nsearch + two filters median {search[1]:.1f} ms (target < {SEARCH_TARGET_MS}): {verdict}"
    )
    explain(connection)
    explain(connection, "q=amplank")  # a typo: the trigram index answers


def explain(connection, query: str = "q=lempok&kabupaten=61.03&kategori=makanan") -> None:
    """EXPLAIN ANALYZE of the catalog's search query (facets + page ids in one statement)."""
    from django.http import QueryDict

    from products import selectors
    from products.search import parse_query, prepare_search
    from public.selectors import kalbar_regions

    data = QueryDict(query)
    regions = kalbar_regions()
    parsed = parse_query(data["q"], regions.kabupaten)
    prepare_search(parsed)  # also sets the trigram threshold on this connection
    names = list(selectors.FACET_PARAMS)
    listing = selectors.ListSpec(selectors.Sort.RELEVANCE, True, 1, selectors.PAGE_SIZE)
    sql, params = selectors.facet_query(data, regions, parsed, names, listing)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(f"\nEXPLAIN ANALYZE of the catalog query for ?{query}")
    print("(facet counts and the page's ids in one statement):")
    print(plan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sipi_bench_catalog")
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--products", type=int, default=200_000)
    parser.add_argument("-n", type=int, default=40, help="measured requests per page")
    parser.add_argument("--drop", action="store_true", help="drop the scratch database after")
    args = parser.parse_args()
    prepare(args.db, args.units, args.products)
    try:
        measure(args.db, args.n)
    finally:
        if args.drop:
            from django.db import connections

            connections.close_all()
            drop(args.db)


if __name__ == "__main__":
    main()
