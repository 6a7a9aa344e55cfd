#!/usr/bin/env python3
"""Load test: the public pages under concurrent traffic, in the production shape.

    .venv/bin/python bench/load.py [--db sipi] [--duration 60] [--connections 20]
                                   [--workers 2] [--threads 4] [--floor-duration 20]
                                   [--direct]

Starts, all on unix sockets inside the checkout except the web server on 127.0.0.1:
a streaming replica of the local cluster (sipi/localreplica.py), a PgBouncer in transaction mode
in front of the primary and another in front of the replica (sipi/localpgbouncer.py), and
gunicorn (``--workers`` processes of ``--threads`` threads, DEBUG off, static files from a
fresh collectstatic) with DATABASE_POOLED_URL, DATABASE_REPLICA_URL and DATABASE_REPLICA_POOLED.
Then wrk (Debian's ``wrk``: ``make bench-tools``) keeps ``--connections`` requests in flight for
``--duration`` seconds over a mix of public pages drawn from the database (home, catalog pages
and filters, searches, product pages, unit pages). Each request comes on a new connection
(``Connection: close``, as from a reverse proxy): kept-alive connections would stay with the
gunicorn process that accepted them, and an uneven split halves the throughput from one run to
the next. Afterwards, on the same server, the floor: ``/robots.txt``, a view behind the same
middleware with no query. It prints requests/s, p50/p95 latency, errors (socket errors,
timeouts, any status but 200) and the ratio of the mix's throughput to the floor's; the figures
also go to
``bench/results/load-<time>.json``. Exit status 1 when any request failed. Everything it
started is stopped afterwards. Traffic goes only to 127.0.0.1. ``--direct`` runs the same load
without replica and PgBouncer, for comparison. The pages are only read (GET, no session).

Needs the demo data (``make setup``, or ``DJANGO_DEBUG=1 manage.py seed_demo``) or any catalog
in ``--db``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
PY = str(BASE_DIR / ".venv" / "bin" / "python")
GUNICORN = str(BASE_DIR / ".venv" / "bin" / "gunicorn")
RESULTS = BASE_DIR / "bench" / "results"

# Share of each page kind in the mix (weights).
MIX = {"home": 10, "catalog": 20, "search": 20, "product": 35, "unit": 15}
SEARCH_TERMS = ["lempok", "amplang", "kerajinan", "minuman", "tenun", "kopi", "lempuk", "madu"]

WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end
init = function(args)
  bad = 0
  math.randomseed(os.time() * 1000 + id)
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["Connection"] = "close"})
end
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do bad_total = bad_total + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "bytes": %%d, "p50_us": %%d, "p95_us": %%d,'
    .. ' "p99_us": %%d, "max_us": %%d, "connect": %%d, "read": %%d, "write": %%d,'
    .. ' "status": %%d, "timeout": %%d, "not_200": %%d}\\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, e.connect, e.read, e.write,
    e.status, e.timeout, bad_total))
end
"""


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mix_paths(db: str, seed: int = 2026) -> dict[str, list[str]]:
    """Paths of each kind, drawn from the database (published products of verified units)."""
    import psycopg2

    from sipi.localpg import DB_USER, socket_dir

    rng = random.Random(seed)
    conn = psycopg2.connect(dbname=db, user=DB_USER, host=str(socket_dir()))
    with conn.cursor() as cur:
        cur.execute(
            "SELECT p.slug FROM products_product p JOIN ikm_ikmunit u ON u.id = p.unit_id "
            "WHERE p.is_published AND u.verified ORDER BY p.id"
        )
        products = [r[0] for r in cur.fetchall()]
        cur.execute("SELECT slug FROM ikm_ikmunit WHERE verified ORDER BY id")
        units = [r[0] for r in cur.fetchall()]
        cur.execute("SELECT DISTINCT category FROM products_product ORDER BY 1")
        categories = [r[0] for r in cur.fetchall()]
        cur.execute(
            "SELECT code FROM ikm_region WHERE level IN ('kabupaten', 'kota') "
            "AND code LIKE '61.%%' ORDER BY 1"
        )
        kabupaten = [r[0] for r in cur.fetchall()]
    conn.close()
    if not products or not units:
        sys.exit(f"no public products or units in database {db}: run seed_demo first")
    catalog = ["/produk/", "/produk/?halaman=2", "/produk/?urut=terbaru"]
    catalog += [f"/produk/?kategori={c}" for c in categories]
    catalog += [f"/produk/?kabupaten={k}" for k in kabupaten]
    catalog += [f"/produk/?kategori={c}&kabupaten={k}" for c in categories[:3] for k in kabupaten]
    search = [f"/produk/?q={t}" for t in SEARCH_TERMS]
    search += [f"/produk/?q={t}&kabupaten={k}" for t in SEARCH_TERMS[:4] for k in kabupaten[:4]]
    return {
        "home": ["/"],
        "catalog": catalog,
        "search": search,
        "product": [f"/produk/{s}/" for s in rng.sample(products, min(200, len(products)))],
        "unit": [f"/ikm/{s}/" for s in rng.sample(units, min(100, len(units)))],
    }


def group_paths(db: str, seed: int = 2026) -> dict[str, list[str]]:
    """``--groups``: one list of paths per kind of page, as bench/catalog.py measures them alone
    (50 product words with two filters, the most common word, deep catalog pages, regions of each
    level, home, product and unit pages)."""
    import psycopg2

    from bench.catalog import SEARCH_WORDS, most_common_word
    from sipi.localpg import DB_USER, socket_dir

    rng = random.Random(seed)
    conn = psycopg2.connect(dbname=db, user=DB_USER, host=str(socket_dir()))
    with conn.cursor() as cur:
        searches = []
        for word in SEARCH_WORDS:
            cur.execute(
                "SELECT category, kab FROM (SELECT category, kab FROM public_catalogrow "
                "WHERE vector @@ plainto_tsquery('indonesian', f_unaccent(%s)) "
                "AND kab LIKE '61.%%' LIMIT 2000) s GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1",
                [word],
            )
            row = cur.fetchone()
            if row:
                searches.append((word, *row))
        common = most_common_word(cur, [w for w, *_ in searches])
        common = next(s for s in searches if s[0] == common[0])
        cur.execute(
            "SELECT kab, kec, desa FROM public_unitcount WHERE kab LIKE '61.%%' "
            "ORDER BY n DESC LIMIT 20"
        )
        places = cur.fetchall()
        cur.execute("SELECT product_id FROM public_catalogrow TABLESAMPLE SYSTEM (1) LIMIT 200")
        ids = [r[0] for r in cur.fetchall()]
        cur.execute("SELECT slug FROM products_product WHERE id = ANY(%s)", [ids])
        products = [r[0] for r in cur.fetchall()]
        cur.execute(
            "SELECT slug FROM ikm_ikmunit u WHERE verified AND id IN "
            "(SELECT unit_id FROM public_catalogrow TABLESAMPLE SYSTEM (1) LIMIT 100)"
        )
        units = [r[0] for r in cur.fetchall()]
    conn.close()
    return {
        "search + 2 filters (50 words)": [
            f"/produk/?q={w}&kabupaten={kab}&kategori={cat}" for w, cat, kab in searches
        ],
        f"most common word '{common[0]}' + 2 filters": [
            f"/produk/?q={common[0]}&kabupaten={common[2]}&kategori={common[1]}"
        ],
        "catalog deep pages": [f"/produk/?halaman={p}" for p in range(1, 418, 13)],
        "region pages": ["/wilayah/61/"]
        + [f"/wilayah/{kab}/" for kab, _kec, _desa in places]
        + [f"/wilayah/{kec}/" for _kab, kec, _desa in places]
        + [f"/wilayah/{desa}/" for _kab, _kec, desa in places],
        "IKM directory": ["/ikm/"]
        + [f"/ikm/?kabupaten={kab}" for kab in sorted({kab for kab, _kec, _desa in places})],
        "home (warm)": ["/"],
        "product pages": [f"/produk/{s}/" for s in rng.sample(products, min(100, len(products)))],
        "unit pages": [f"/ikm/{s}/" for s in rng.sample(units, min(100, len(units)))],
    }


def weighted(paths: dict[str, list[str]]) -> list[str]:
    """A list in which each kind's share of entries is its MIX weight."""
    out: list[str] = []
    for kind, weight in MIX.items():
        items = paths[kind]
        # weight * 20 entries per kind, cycling through its paths.
        out += [items[i % len(items)] for i in range(weight * 20)]
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(port: int, paths: list[str], seconds: int, connections: int, threads: int) -> dict:
    script = WRK_SCRIPT % {"paths": ", ".join(lua_string(p) for p in paths)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        res = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"]
            + ["--timeout", "10s", "-s", f.name, f"http://127.0.0.1:{port}/"],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(f.name)
    line = next(ln for ln in res.stdout.splitlines() if ln.startswith("WRKJSON "))
    data = json.loads(line[len("WRKJSON ") :])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = sum(data[k] for k in ("connect", "read", "write", "timeout", "not_200"))
    return data


def check_pages(port: int, paths: dict[str, list[str]]) -> None:
    """Every path answers 200 once before the run (and warms the server up)."""
    for kind, items in paths.items():
        for path in items:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
                if r.status != 200:
                    sys.exit(f"{kind} {path}: HTTP {r.status}")


def pooler_xacts(name: str) -> int:
    from sipi import localpgbouncer

    rows = localpgbouncer.admin_rows(name, "SHOW STATS")
    return sum(int(r["total_xact_count"]) for r in rows if r["database"] != "pgbouncer")


def run_groups(port: int, groups: dict[str, list[str]], args) -> int:
    """Each group of pages for --duration s, then the floor for --duration s, in turn; the
    ratio of each group's requests/s to the floor measured just after it."""
    rows = []
    failed = 0
    for name, paths in groups.items():
        wrk(port, paths, 2, args.connections, args.wrk_threads)  # warm-up, not reported
        load = os.getloadavg()[0]
        result = wrk(port, paths, args.duration, args.connections, args.wrk_threads)
        floor = wrk(port, ["/robots.txt"], args.duration, args.connections, args.wrk_threads)
        failed += result["errors"] + floor["errors"]
        rows.append((name, result, floor, load))
        print(
            f"  {name}: {result['rps']:.1f} req/s, p50 {result['p50_us'] / 1000:.1f} ms, "
            f"p95 {result['p95_us'] / 1000:.1f} ms, {result['errors']} errors; floor "
            f"{floor['rps']:.1f} req/s (ratio {result['rps'] / floor['rps']:.3f}); load {load:.1f}",
            flush=True,
        )
    width = max(len(r[0]) for r in rows)
    print(f"\n{'pages':<{width}}  req/s   p50 ms   p95 ms  errors  floor req/s  ratio  load")
    for name, result, floor, load in rows:
        print(
            f"{name:<{width}} {result['rps']:6.1f} {result['p50_us'] / 1000:8.1f} "
            f"{result['p95_us'] / 1000:8.1f} {result['errors']:7d} {floor['rps']:12.1f} "
            f"{result['rps'] / floor['rps']:6.3f} {load:5.1f}"
        )
    RESULTS.mkdir(exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    out = RESULTS / f"load-groups-{now:%Y%m%d-%H%M%S}.json"
    out.write_text(
        json.dumps(
            {
                "when": now.isoformat(timespec="seconds"),
                "db": args.db,
                "connections": args.connections,
                "duration_s": args.duration,
                "groups": [
                    {"name": n, "pages": r, "floor": f, "loadavg": ld} for n, r, f, ld in rows
                ],
            },
            indent=2,
        )
    )
    print(f"written: {out.relative_to(BASE_DIR)}")
    print("OK" if not failed else f"FAILED: {failed} errors")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sipi", help="database with the catalog (default sipi)")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--floor-duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument(
        "--direct",
        action="store_true",
        help="for comparison: no replica, no PgBouncer (every query straight to the primary)",
    )
    parser.add_argument(
        "--static-ignore",
        action="append",
        default=[],
        metavar="PATTERN",
        help="collectstatic --ignore PATTERN (a static file the public pages do not use)",
    )
    parser.add_argument(
        "--groups",
        action="store_true",
        help=(
            "instead of the mix: each kind of page alone (bench/catalog.py's pages) for "
            "--duration seconds, each followed by the floor for as long, in the same run"
        ),
    )
    parser.add_argument(
        "--no-query-cache",
        action="store_true",
        help="PUBLIC_QUERY_PAGE_CACHE=0: catalog and directory pages with a query are computed "
        "every time (by default a query asked again comes from the shared page cache)",
    )
    args = parser.parse_args()
    if os.environ.get("DATABASE_URL"):
        sys.exit("bench/load.py uses the local cluster: unset DATABASE_URL")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `make bench-tools` (or apt-get install wrk)")

    from sipi import localpg, localpgbouncer, localreplica

    bindir = localpg.find_bindir()
    if bindir is None or not localpg.is_running(bindir):
        sys.exit("the local PostgreSQL is not running: `make db`")
    tag = f"bench-{os.getpid()}"
    replica_pooler = f"bench-r-{os.getpid()}"
    groups = group_paths(args.db) if args.groups else {}
    paths = groups or mix_paths(args.db)
    mix = [] if args.groups else weighted(paths)
    gunicorn = None
    work = Path(tempfile.mkdtemp(prefix="sipi-load-"))
    try:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "SIPI_DB_NAME": args.db,
            "STATIC_ROOT": str(work / "static"),
            "LOG_LEVEL": "WARNING",
        }
        for name in ("DATABASE_POOLED", "DATABASE_POOLED_URL", "DATABASE_REPLICA_URL"):
            env.pop(name, None)
        if args.no_query_cache:
            env["PUBLIC_QUERY_PAGE_CACHE"] = "0"
        if not args.direct:
            t0 = time.monotonic()
            replica_socket = localreplica.start(tag)
            print(f"replica ready in {time.monotonic() - t0:.1f} s", flush=True)
            localpgbouncer.start(tag, pool_size=10)
            localpgbouncer.start(replica_pooler, upstream=replica_socket, pool_size=10)
            env["DATABASE_POOLED_URL"] = localpgbouncer.url(tag, args.db)
            env["DATABASE_REPLICA_URL"] = localpgbouncer.url(replica_pooler, args.db)
            env["DATABASE_REPLICA_POOLED"] = "1"
        subprocess.run(
            [PY, "manage.py", "collectstatic", "--noinput", "-v", "0"]
            + [f"--ignore={pattern}" for pattern in args.static_ignore],
            cwd=BASE_DIR,
            env=env,
            check=True,
        )
        port = free_port()
        log = open(work / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the server
        gunicorn = subprocess.Popen(
            [GUNICORN, "sipi.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", str(args.workers), "--worker-class", "gthread"]
            + ["--threads", str(args.threads), "--error-logfile", "-"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=5).read()
                break
            except OSError:
                if gunicorn.poll() is not None or time.monotonic() > deadline:
                    sys.exit("gunicorn did not start: " + (work / "gunicorn.log").read_text())
                time.sleep(0.2)
        check_pages(port, paths)
        print(
            f"gunicorn: {args.workers} workers x {args.threads} threads on 127.0.0.1:{port}; "
            f"{len(mix)} weighted paths ({len(set(mix))} distinct)",
            flush=True,
        )
        if args.groups:
            return run_groups(port, groups, args)
        wrk(port, mix, 5, args.connections, args.wrk_threads)  # warm-up, not reported
        load_before = os.getloadavg()[0]
        before = (0, 0) if args.direct else (pooler_xacts(tag), pooler_xacts(replica_pooler))
        print(f"mix: {args.duration} s at {args.connections} connections…", flush=True)
        result = wrk(port, mix, args.duration, args.connections, args.wrk_threads)
        after = (0, 0) if args.direct else (pooler_xacts(tag), pooler_xacts(replica_pooler))
        load_after = os.getloadavg()[0]
        print(f"floor (/robots.txt): {args.floor_duration} s…", flush=True)
        floor = wrk(port, ["/robots.txt"], args.floor_duration, args.connections, args.wrk_threads)
        server_errors = (work / "gunicorn.log").read_text().count("Traceback")
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(20)
        if not args.direct:
            localpgbouncer.stop(tag, remove=True)
            localpgbouncer.stop(replica_pooler, remove=True)
            localreplica.stop(tag)
        shutil.rmtree(work, ignore_errors=True)

    now = datetime.datetime.now(datetime.UTC)
    report = {
        "when": now.isoformat(timespec="seconds"),
        "db": args.db,
        "setup": {
            "shape": "direct" if args.direct else "pgbouncer + replica",
            "workers": args.workers,
            "threads": args.threads,
            "connections": args.connections,
            "duration_s": args.duration,
            "floor_duration_s": args.floor_duration,
            "mix_weights": MIX,
            "cpus": os.cpu_count(),
            # 1-minute load average before and after the mix (other work on the machine).
            "loadavg": [round(load_before, 2), round(load_after, 2)],
        },
        "mix": result,
        "floor": floor,
        "ratio": result["rps"] / floor["rps"],
        "transactions": {
            "primary_pooler": after[0] - before[0],
            "replica_pooler": after[1] - before[1],
        },
        "server_tracebacks": server_errors,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"load-{now:%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2))

    def ms(us: int) -> str:
        return f"{us / 1000:.1f} ms"

    print(
        f"\nmix   : {result['rps']:.1f} req/s, p50 {ms(result['p50_us'])}, "
        f"p95 {ms(result['p95_us'])}, p99 {ms(result['p99_us'])}, "
        f"{result['requests']} requests, {result['errors']} errors"
    )
    print(
        f"floor : {floor['rps']:.1f} req/s, p50 {ms(floor['p50_us'])}, "
        f"p95 {ms(floor['p95_us'])}, {floor['requests']} requests, {floor['errors']} errors"
    )
    print(f"ratio : mix / floor = {report['ratio']:.3f}")
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load_before:.2f} before the mix, "
        f"{load_after:.2f} after"
    )
    if not args.direct:
        print(
            f"SQL transactions during the mix: {report['transactions']['replica_pooler']} via "
            f"the replica's pooler, {report['transactions']['primary_pooler']} via the primary's"
        )
    print(f"written: {out.relative_to(BASE_DIR)}")
    failed = result["errors"] + floor["errors"] + server_errors
    print("OK" if not failed else f"FAILED: {failed} errors")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
