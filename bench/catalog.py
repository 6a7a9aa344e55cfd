#!/usr/bin/env python3
"""Benchmark: the public pages on a large data set, measured server-side in-process.

    .venv/bin/python bench/catalog.py [--db sipi_bench_catalog] [--units 50000] [--products 200000]
                                      [--national] [--reuse] [-n 40] [--drop]

Creates (or reuses) a scratch database on the project's local PostgreSQL, migrates it, loads the
regions (Kalbar; all of Indonesia with ``--national``) and fills it with
``manage.py generate_bench_data --units … --products … [--national]`` (``--reuse``: measure the
database as it is). Then, in this process with DEBUG off, it sends every page N times through
Django's test ``Client`` (the full middleware/view/template stack, no network) after two warm-up
requests and prints median and p95 in milliseconds, the ratio to the floor (``/robots.txt`` in
the same run), the SQL queries per request, the page size and the 1-minute load average of the
machine beside each figure. Pages: a search word with two filters (50 real product words of the
demo vocabulary, each with its commonest kab/kota and category), the most common word (the
share of public products holding it is printed) with two filters, a typo, catalog pages 1 to
the last, the province/kab-kota/kecamatan/desa region pages, home warm and cold, product and
unit pages. Then the database and index sizes, and ``EXPLAIN (ANALYZE, BUFFERS)`` of the
catalog statement for the most common word. ``--drop`` removes the scratch database at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
PY = str(BASE_DIR / ".venv" / "bin" / "python")
SEARCH_TARGET_MS = 50


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


def prepare(db: str, units: int, products: int, national: bool = False) -> None:
    conn = admin_connection()
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        exists = cur.fetchone() is not None
        if not exists:
            cur.execute(f'CREATE DATABASE "{db}"')
    conn.close()
    manage(db, "migrate", "--noinput", "-v", "0")
    manage(db, "load_regions", *(["ikm/data/regions/indonesia.csv.gz"] if national else []))
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
                    db,
                    "generate_bench_data",
                    *["--units", str(units), "--products", str(products)],
                    *(["--national"] if national else []),
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


# 50 real product words of the demo vocabulary (demo/vocabulary.py), searched with two filters.
SEARCH_WORDS = (
    "lempok amplang tenun keramik kopi madu kerupuk keripik dodol bidai tikar manik kalung gelang "
    "anyaman rotan kursi lemari ukir pahatan jamu herbal aloe lidah jelly gula aren lada nanas "
    "pisang singkong ikan salai udang choi bingke kue sambas songket sungkit insang guci vas "
    "piring cangkir celengan tempayan kemeja dompet"
).split()


def most_common_word(cursor, words: list[str]) -> tuple[str, float]:
    """The word of ``words`` found in the most public products, and that share (from a 1 %
    sample of the catalog rows: ts_stat counts the documents of each lexeme)."""
    cursor.execute(
        "SELECT w, s.ndoc::float / NULLIF(t.n, 0) FROM unnest(%s::text[]) AS w "
        "CROSS JOIN (SELECT count(*) AS n FROM public_catalogrow TABLESAMPLE SYSTEM (1) "
        "REPEATABLE (7)) t "
        "LEFT JOIN ts_stat('SELECT vector FROM public_catalogrow TABLESAMPLE SYSTEM (1) "
        "REPEATABLE (7)') s ON s.word = (SELECT u.lexeme "
        "FROM unnest(to_tsvector('indonesian', f_unaccent(w))) u LIMIT 1) "
        "ORDER BY 2 DESC NULLS LAST LIMIT 1",
        [words],
    )
    return cursor.fetchone()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _plan(connection, db: str) -> dict:
    """Paths drawn from the data: word -> (its commonest category, its commonest kab/kota)."""
    from ikm.rules import PROVINCE_CODE

    plan = {"words": []}
    with connection.cursor() as cursor:
        for word in SEARCH_WORDS:
            cursor.execute(
                "SELECT category, kab, count(*) FROM (SELECT category, kab FROM public_catalogrow "
                "WHERE vector @@ plainto_tsquery('indonesian', f_unaccent(%s)) AND kab LIKE %s "
                "LIMIT 5000) s GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1",
                [word, PROVINCE_CODE + ".%"],
            )
            row = cursor.fetchone()
            if row:
                plan["words"].append((word, row[0], row[1], row[2]))
        word, share = most_common_word(cursor, [w[0] for w in plan["words"]])
        common = next(w for w in plan["words"] if w[0] == word)
        plan["common"] = (*common, share or 0)
        cursor.execute(
            "SELECT kec, desa FROM public_unitcount WHERE kab LIKE %s ORDER BY n DESC LIMIT 1",
            [PROVINCE_CODE + ".%"],
        )
        plan["kec"], plan["desa"] = cursor.fetchone()
        plan["kab"] = plan["kec"][:5]
    return plan


def measure(db: str, n: int) -> dict:
    os.environ["SIPI_DB_NAME"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipi.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from ikm.models import IKMUnit
    from products.models import Product

    product_slugs = list(
        Product.objects.filter(catalog_row__isnull=False)
        .order_by("?")
        .values_list("slug", flat=True)[: max(n, 20)]
    )
    unit_slugs = list(
        IKMUnit.objects.public().order_by("?").values_list("slug", flat=True)[: max(n, 20)]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM ikm_ikmunit), (SELECT count(*) FROM products_product), "
            "(SELECT count(*) FROM public_catalogrow)"
        )
        counts = cursor.fetchone()
    print(
        f"\ndata: {counts[0]:,} units, {counts[1]:,} products ({counts[2]:,} public) "
        f"(database {db})",
        flush=True,
    )
    plan = _plan(connection, db)
    words = plan["words"]
    common = plan["common"]
    print(
        f"most common word: {common[0]!r} in {common[4]:.0%} of public products; "
        f"{len(words)} search words",
        flush=True,
    )

    pages = [
        ("floor /robots.txt", lambda i: "/robots.txt"),
        (
            "search word + kab/kota + kategori (50 words)",
            lambda i: "/produk/?q={0}&kabupaten={2}&kategori={1}".format(*words[i % len(words)]),
        ),
        (
            f"most common word '{common[0]}' + 2 filters",
            lambda i: f"/produk/?q={common[0]}&kabupaten={common[2]}&kategori={common[1]}",
        ),
        (
            "search + 2 filters (query page cache)",
            lambda i: "/produk/?q={0}&kabupaten={2}&kategori={1}".format(*words[i % len(words)]),
        ),
        ("typo 'amplank'", lambda i: "/produk/?q=amplank"),
        ("catalog page 1", lambda i: "/produk/"),
        ("catalog deep pages (1..last)", lambda i: f"/produk/?halaman={1 + (i * 37) % 417}"),
        ("catalog last page, price asc", lambda i: "/produk/?urut=harga_naik&halaman=417"),
        ("catalog ?halaman=10^20", lambda i: "/produk/?halaman=99999999999999999999"),
        (
            "catalog kab/kota + sertifikat",
            lambda i: f"/produk/?kabupaten={plan['kab']}&sertifikat=halal",
        ),
        ("IKM directory /ikm/", lambda i: "/ikm/"),
        ("IKM directory + kab/kota", lambda i: f"/ikm/?kabupaten={plan['kab']}"),
        ("region kab/kota (anonymous page cache)", lambda i: f"/wilayah/{plan['kab']}/"),
        # ?halaman=1: not from the page cache (it keeps only pages without a query string).
        ("region province (rendered)", lambda i: "/wilayah/61/?halaman=1"),
        ("region kab/kota (rendered)", lambda i: f"/wilayah/{plan['kab']}/?halaman=1"),
        ("region kecamatan (rendered)", lambda i: f"/wilayah/{plan['kec']}/?halaman=1"),
        ("region desa (rendered)", lambda i: f"/wilayah/{plan['desa']}/?halaman=1"),
        ("home (warm: anonymous page cache)", lambda i: "/"),
        ("home (cold: cache cleared)", lambda i: "/"),
        ("catalog page 1 (rendered)", lambda i: "/produk/?halaman=1"),
        ("product page", lambda i: f"/produk/{product_slugs[i % len(product_slugs)]}/"),
        ("unit page", lambda i: f"/ikm/{unit_slugs[i % len(unit_slugs)]}/"),
    ]
    client = Client()
    rows = []
    plain_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Pages with a query are measured computed (PUBLIC_QUERY_PAGE_CACHE off), except the rows
    # marked "(query page cache)": every URL of those is asked once first, then measured.
    base = {"STORAGES": plain_storage, "ALLOWED_HOSTS": ["testserver"], "DEBUG": False}
    for name, url_for in pages:
        query_cache = "(query page cache)" in name
        with override_settings(**base, PUBLIC_QUERY_PAGE_CACHE=query_cache):
            # Warm-up: connection, caches, plans; a row over the search words asks each word
            # once first (its posting list and rows read into memory, as on a server in use).
            warm = max(2, len(words)) if "words)" in name else 2
            for i in range(n if query_cache else warm):
                assert client.get(url_for(i)).status_code == 200, url_for(i)
            timings = []
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url_for(0))
            queries = len(ctx.captured_queries)
            size = len(response.content)
            load = os.getloadavg()[0]
            # A row over the search words asks each word at least once (n may be smaller).
            runs = max(n, len(words)) if "words)" in name else n
            for i in range(runs):
                if "cold" in name:
                    cache.clear()
                started = time.perf_counter()
                response = client.get(url_for(i))
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, url_for(i)
            row = (name, statistics.median(timings), percentile(timings, 95), queries, size, load)
            rows.append(row)
            print(f"  {name}: median {row[1]:.1f} ms (load {load:.1f})", flush=True)

    floor = rows[0][1]
    width = max(len(r[0]) for r in rows)
    print(f"\n{'page':<{width}}  median ms    p95 ms  x floor  queries  KB (HTML)  load")
    for name, median, p95, queries, size, load in rows:
        print(
            f"{name:<{width}}  {median:9.1f} {p95:9.1f} {median / floor:8.1f} {queries:8d} "
            f"{size / 1024:10.1f}  {load:4.1f}"
        )
    search = rows[1]
    verdict = "OK" if search[1] < SEARCH_TARGET_MS else "OVER TARGET"
    print(
        f"\nsearch + two filters median {search[1]:.1f} ms (target < {SEARCH_TARGET_MS}): {verdict}"
    )
    sizes(connection)
    explain(connection, f"q={common[0]}&kabupaten={common[2]}&kategori={common[1]}")
    return {"rows": rows, "plan": plan}


def sizes(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database())), "
            "pg_size_pretty(sum(pg_relation_size(indexrelid))) FROM pg_index"
        )
        db_size, index_size = cursor.fetchone()
        cursor.execute(
            "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)), "
            "pg_size_pretty(pg_indexes_size(oid)) FROM pg_class WHERE relname IN "
            "('products_product', 'ikm_ikmunit', 'public_catalogrow', 'public_catalogcount', "
            "'public_catalogword', 'public_unitcount') ORDER BY pg_total_relation_size(oid) DESC"
        )
        tables = cursor.fetchall()
    print(f"\ndatabase {db_size}, of which indexes {index_size}")
    for name, total, indexes in tables:
        print(f"  {name}: {total} (indexes {indexes})")


def explain(connection, query: str) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the catalog's one statement (facets, count, page ids)."""
    from django.db import transaction
    from django.http import QueryDict

    from products.search import parse_query
    from public import catalog
    from public.selectors import kalbar_regions

    data = QueryDict(query)
    regions = kalbar_regions()
    parsed = parse_query(data["q"], regions.kabupaten)
    with transaction.atomic():
        catalog.prepare_catalog_search(parsed)
        names = catalog._facet_names(data, regions)
        listing = catalog.ListSpec("relevan", True, 1, catalog.PAGE_SIZE)
        sql, params = catalog.catalog_query(data, parsed, names, listing)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the catalog statement for ?{query}")
    print("(facet counts, count and the page's ids in one statement):")
    print(plan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sipi_bench_catalog")
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--products", type=int, default=200_000)
    parser.add_argument("-n", type=int, default=40, help="measured requests per page")
    parser.add_argument("--drop", action="store_true", help="drop the scratch database after")
    parser.add_argument(
        "--national", action="store_true", help="units over every desa of Indonesia (83,762)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database as it is (no migrate/load)"
    )
    args = parser.parse_args()
    if not args.reuse:
        prepare(args.db, args.units, args.products, args.national)
    try:
        measure(args.db, args.n)
    finally:
        if args.drop:
            from django.db import connections

            connections.close_all()
            drop(args.db)


if __name__ == "__main__":
    main()
