"""The rows of ``generate_bench_data``, generated inside PostgreSQL.

Each table is filled by one ``INSERT … SELECT … FROM generate_series``: no Python loop per row,
no text to build, send and parse. The demo vocabulary goes in first as small temporary tables
(families, product types, brands, names, the desa/kelurahan in a shuffled order) and every
random choice of row ``i`` is a hash of ``(i, stream)`` (``hashint8extended``), so the data is
the same from run to run. Ids are given explicitly (the table's largest id + 1 + row number),
which lets the products find their unit, and the certificates their products, by arithmetic:
product ``i`` belongs to unit ``i % units``, as before. The shares are those of the earlier
Python generator: 90 % of units verified, ~83 % of products public, ~35 % of units with a
certificate (all nine types), ~40 % of products with marketplace links.
"""

from __future__ import annotations

import random

from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from demo.plan import ISSUERS
from demo.vocabulary import BRANDS, FIRST_NAMES, KABUPATEN, LAST_NAMES, SELLING_POINTS

FOOD = ("makanan", "minuman", "herbal")
PLATFORMS = ("shopee", "shopee", "tokopedia", "tokopedia", "lazada", "blibli", "bukalapak")
# Certificate types with their weights, as drawn before (food units, other units).
CERT_WEIGHTS = {
    True: (("halal", 30), ("spp_irt", 25), ("merek", 20), ("bpom_md", 5), ("ovop", 5), ("sni", 3)),
    False: (
        ("merek", 40),
        ("desain_industri", 10),
        ("hak_cipta", 10),
        ("ovop", 6),
        ("sni", 4),
        ("paten", 1),
    ),
}
VALID_YEARS = {
    "spp_irt": 5,
    "merek": 10,
    "desain_industri": 10,
    "paten": 10,
    "ovop": 2,
    "sni": 4,
    "bpom_md": 5,
}
# Certificate numbers: their own ranges (``n`` counts the run's certificates from 1).
NUMBERS = {
    "halal": "'ID99' || lpad(n::text, 12, '0')",
    "spp_irt": "'9' || lpad(n::text, 14, '0')",
    "merek": "'IDM9' || lpad(n::text, 8, '0')",
    "desain_industri": "'IDD9' || lpad(n::text, 8, '0')",
    "hak_cipta": "'EC99' || lpad(n::text, 9, '0')",
    "paten": "'IDS9' || lpad(n::text, 8, '0')",
    "ovop": "'BENCH/' || n || '/OVOP/' || extract(year FROM issued)::int",
    "sni": "'BENCH-SNI/' || n || '/' || extract(year FROM issued)::int",
    "bpom_md": "'MD9' || lpad(n::text, 11, '0')",
}

VOCABULARY_TABLES = (
    "bench_desa",
    "bench_kab",
    "bench_famslot",
    "bench_family",
    "bench_cand",
    "bench_ptype",
    "bench_certw",
    "bench_words",
)
# r(i, s): a fraction in [0, 1); n(i, s, m): an integer in [0, m). Inlined by the planner.
FUNCTIONS = """
CREATE OR REPLACE FUNCTION pg_temp.bench_r(i bigint, s integer) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ((hashint8extended(i, s) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$;
CREATE OR REPLACE FUNCTION pg_temp.bench_n(i bigint, s integer, m bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT floor(pg_temp.bench_r(i, s) * m)::bigint $$;
"""


def r(i: str, stream: int) -> str:
    return f"pg_temp.bench_r({i}, {stream})"


def n(i: str, stream: int, m: str) -> str:
    return f"pg_temp.bench_n({i}, {stream}, {m})"


def _copy(cursor, table: str, columns: str, rows) -> None:
    import io

    def field(v) -> str:
        if v is None:
            return r"\N"
        if isinstance(v, bool):
            return "t" if v else "f"
        return str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    text = "".join("\t".join(field(v) for v in row) + "\n" for row in rows)
    cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(text))


def vocabulary_kabupaten(code: str) -> str:
    """The Kalbar kab/kota whose product families a unit of kab/kota ``code`` draws from: its
    own in Kalbar, elsewhere one of the 14 chosen by the code (stable from run to run)."""
    if code in KABUPATEN:
        return code
    keys = sorted(KABUPATEN)
    return keys[int(code.replace(".", "")) % len(keys)]


def load_vocabulary(cursor, desa: list[tuple[str, str]], seed: int) -> None:
    """The temporary tables (dropped at commit) and functions the generators read."""
    cursor.execute(FUNCTIONS)
    drop_vocabulary(cursor)  # left by an earlier run in this session's open transaction
    cursor.execute(
        "CREATE TEMP TABLE bench_desa (k integer PRIMARY KEY, code varchar(13), name text, "
        "slug text, level text, vkab integer) ON COMMIT DROP;"
        "CREATE TEMP TABLE bench_kab (vkab integer PRIMARY KEY, nslots integer) ON COMMIT DROP;"
        "CREATE TEMP TABLE bench_famslot (vkab integer, slot integer, fam integer, "
        "PRIMARY KEY (vkab, slot)) ON COMMIT DROP;"
        "CREATE TEMP TABLE bench_family (fam integer PRIMARY KEY, grp text, kbli text, "
        "unit_description text, desc_first text, prefixes text[], prefix_slugs text[], "
        "ntypes integer) ON COMMIT DROP;"
        "CREATE TEMP TABLE bench_cand (vkab integer, grp text, slot integer, fam integer, "
        "ncand integer, PRIMARY KEY (vkab, grp, slot)) ON COMMIT DROP;"
        "CREATE TEMP TABLE bench_ptype (fam integer, slot integer, name text, slug text, "
        "category text, lo integer, hi integer, price_unit text, description text, "
        "PRIMARY KEY (fam, slot)) ON COMMIT DROP;"
        "CREATE TEMP TABLE bench_certw (food boolean, type text, lo integer, hi integer, "
        "total integer, issuer text, years integer) ON COMMIT DROP;"
        "CREATE TEMP TABLE bench_words (brands text[], brand_slugs text[], first_names text[], "
        "last_names text[], points text[]) ON COMMIT DROP;"
    )
    kab_keys = sorted(KABUPATEN)
    desa = list(desa)
    random.Random(seed).shuffle(desa)  # the first len(desa) units cover every desa
    _copy(
        cursor,
        "bench_desa",
        "k, code, name, slug, level, vkab",
        (
            (
                k,
                code,
                name,
                slugify(name),
                "Kelurahan" if code.split(".")[-1].startswith("1") else "Desa",
                kab_keys.index(vocabulary_kabupaten(code[:5])),
            )
            for k, (code, name) in enumerate(desa)
        ),
    )
    families = {}
    for _count, fams in KABUPATEN.values():
        for f in fams:
            families.setdefault(f.key, (len(families), f))
    _copy(
        cursor,
        "bench_family",
        "fam, grp, kbli, unit_description, desc_first, prefixes, prefix_slugs, ntypes",
        (
            (
                fid,
                f.group,
                f.kbli,
                f.unit_description,
                f.unit_description.split(";")[0].rstrip(".") + ".",
                _array(f.unit_prefixes),
                _array(slugify(p) for p in f.unit_prefixes),
                len(f.products),
            )
            for fid, f in families.values()
        ),
    )
    _copy(
        cursor,
        "bench_ptype",
        "fam, slot, name, slug, category, lo, hi, price_unit, description",
        (
            (
                fid,
                slot,
                p.name,
                slugify(p.name),
                p.category,
                p.price[0] // 500,
                p.price[1] // 500,
                p.price_unit,
                p.description,
            )
            for fid, f in families.values()
            for slot, p in enumerate(f.products)
        ),
    )
    famslots, kabs, cands = [], [], []
    for v, key in enumerate(kab_keys):
        fams = KABUPATEN[key][1]
        slots = [families[f.key][0] for f in fams for _w in range(f.weight)]
        kabs.append((v, len(slots)))
        famslots += [(v, s, fid) for s, fid in enumerate(slots)]
        for group in {f.group for f in fams}:
            same = [families[f.key][0] for f in fams if f.group == group]
            cands += [(v, group, s, fid, len(same)) for s, fid in enumerate(same)]
    _copy(cursor, "bench_kab", "vkab, nslots", kabs)
    _copy(cursor, "bench_famslot", "vkab, slot, fam", famslots)
    _copy(cursor, "bench_cand", "vkab, grp, slot, fam, ncand", cands)
    certw = []
    for food, weights in CERT_WEIGHTS.items():
        total, lo = sum(w for _t, w in weights), 0
        for cert_type, w in weights:
            certw.append(
                (food, cert_type, lo, lo + w, total, ISSUERS[cert_type], VALID_YEARS.get(cert_type))
            )
            lo += w
    _copy(cursor, "bench_certw", "food, type, lo, hi, total, issuer, years", certw)
    cursor.execute(
        "INSERT INTO bench_words VALUES (%s, %s, %s, %s, %s)",
        [
            list(BRANDS),
            [slugify(b) for b in BRANDS],
            list(FIRST_NAMES),
            list(LAST_NAMES),
            list(SELLING_POINTS),
        ],
    )
    cursor.execute(
        "ANALYZE bench_desa, bench_kab, bench_famslot, bench_family, bench_cand, bench_ptype"
    )


def drop_vocabulary(cursor) -> None:
    """The temporary tables go at commit; also before a second run in one transaction."""
    cursor.execute(f"DROP TABLE IF EXISTS {', '.join(VOCABULARY_TABLES)}")


def _array(values) -> str:
    """A text[] literal for COPY."""
    quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


def unit_source(n_desa: int, seed: int, k: str = "g.k") -> str:
    """FROM-clause fragment: unit ``k`` (0-based) with its desa ``d`` and family ``f``; the
    products and certificates recompute their unit this way instead of reading the units."""
    desa_k = f"CASE WHEN {k} < {n_desa} THEN {k} ELSE {n(k, seed, str(n_desa))} END"
    return (
        f"JOIN bench_desa d ON d.k = {desa_k} "
        "JOIN bench_kab kv ON kv.vkab = d.vkab "
        f"JOIN bench_famslot fs ON fs.vkab = d.vkab AND fs.slot = {n(k, seed + 1, 'kv.nslots')} "
        "JOIN bench_family f ON f.fam = fs.fam "
    )


def unit_verified(seed: int, k: str = "g.k") -> str:
    """Whether unit ``k`` is verified (90 %)."""
    return f"({r(k, seed + 2)} < 0.9)"


def insert_select(
    cursor, model: type[models.Model], exprs: dict[str, str], rest: str, literals=None
) -> int:
    """``INSERT INTO model (…) SELECT exprs… rest``: ``exprs`` maps field names to SQL,
    ``literals`` to Python values; the other columns get the model's default (or '' / NULL, as
    a form would leave them). Returns the number of rows inserted."""
    from django.db import connection

    literals = {**(literals or {})}
    now = timezone.now()
    columns, values, params = [], [], []
    for f in model._meta.concrete_fields:
        if isinstance(f, models.GeneratedField) or (f.primary_key and f.attname not in exprs):
            continue
        columns.append(connection.ops.quote_name(f.column))
        if f.attname in exprs:
            values.append(exprs[f.attname])
            continue
        if f.attname in literals:
            value = literals[f.attname]
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        else:
            value = ""
        values.append(f"%s::{f.cast_db_type(connection)}")
        params.append(f.get_db_prep_save(value, connection))
    table = connection.ops.quote_name(model._meta.db_table)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} {rest}", params
    )
    return cursor.rowcount


def next_id(cursor, model: type[models.Model]) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {model._meta.db_table}")
    return cursor.fetchone()[0]


def sync_sequence(cursor, model: type[models.Model]) -> None:
    table = model._meta.db_table
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table} "
        "HAVING max(id) IS NOT NULL"
    )


def _timestamp(value) -> str:
    return f"'{value.isoformat()}'::timestamptz"


def insert_units(cursor, model, units: int, n_desa: int, base: int, seed: int, now) -> int:
    """Units 0 … units - 1 (ids ``base + k``): the first ``n_desa`` cover every desa once."""
    px = f"1 + {n('g.k', seed + 3, 'cardinality(f.prefixes)')}"
    bx = f"1 + {n('g.k', seed + 4, str(len(BRANDS)))}"
    workers = f"(1 + {n('g.k', seed + 10, '60')})"
    exprs = {
        "id": f"{base} + g.k",
        "name": f"f.prefixes[{px}] || ' ' || w.brands[{bx}] || ' ' || d.name",
        "slug": (
            "'bench-' || left(concat_ws('-', nullif(f.prefix_slugs["
            f"{px}], ''), nullif(w.brand_slugs[{bx}], ''), nullif(d.slug, '')), 150) || '-' || g.k"
        ),
        "owner_name": (
            f"w.first_names[1 + {n('g.k', seed + 5, str(len(FIRST_NAMES)))}] || ' ' || "
            f"w.last_names[1 + {n('g.k', seed + 6, str(len(LAST_NAMES)))}]"
        ),
        "nib": f"CASE WHEN {r('g.k', seed + 7)} < 0.4 THEN '81' || lpad(g.k::text, 11, '0') END",
        "kbli": "f.kbli",
        "commodity_group": "f.grp",
        "description": "f.unit_description || ' Berlokasi di ' || d.level || ' ' || d.name || '.'",
        "address": "d.level || ' ' || d.name",
        "desa_id": "d.code",
        "whatsapp": f"'+6285' || (100000000 + {n('g.k', seed + 8, '900000000')})",
        "whatsapp_public": "true",
        "year_established": f"1980 + {n('g.k', seed + 9, '46')}",
        "workers": workers,
        "investment": (
            f"(1 + {n('g.k', seed + 11, '400')}) * 5000000 * "
            f"CASE WHEN {workers} > 19 THEN 10 ELSE 1 END"
        ),
        "verified": unit_verified(seed),
        "created_at": (
            f"{_timestamp(now)} - {n('g.k', seed + 12, str(700 * 86400))} * interval '1 second'"
        ),
        "updated_at": _timestamp(now),
    }
    rest = (
        f"FROM generate_series(0, {units - 1}) g(k) {unit_source(n_desa, seed)}"
        "CROSS JOIN bench_words w"
    )
    return insert_select(cursor, model, exprs, rest)


def insert_products(
    cursor,
    model,
    products: int,
    units: int,
    n_desa: int,
    base: int,
    unit_base: int,
    seed: int,
    unit_seed: int,
    now,
) -> int:
    """Products 0 … products - 1 (ids ``base + i``), product ``i`` of unit ``i mod units``,
    whose desa, family and verification are recomputed from its number (no read of the units)."""
    k = f"mod(g.i, {units})"
    branded = f"({r('g.i', seed + 3)} < 0.3)"
    bx = f"1 + {n('g.i', seed + 4, str(len(BRANDS)))}"
    published = f"({unit_verified(unit_seed, k)} AND {r('g.i', seed + 7)} < 0.92)"
    exprs = {
        "id": f"{base} + g.i",
        "unit_id": f"{unit_base} + {k}",
        "name": f"pt.name || CASE WHEN {branded} THEN ' ' || w.brands[{bx}] ELSE '' END",
        "slug": (
            f"'bench-' || left(pt.slug || CASE WHEN {branded} THEN '-' || w.brand_slugs[{bx}] "
            "ELSE '' END, 150) || '-' || g.i"
        ),
        "category": "pt.category",
        "description": (
            "concat_ws(' ', nullif(pt.description, ''), pf.desc_first, nullif(w.points[1 + "
            f"{n('g.i', seed + 5, str(len(SELLING_POINTS)))}], ''))"
        ),
        "price": f"(pt.lo + {n('g.i', seed + 6, 'pt.hi - pt.lo + 1')}) * 500",
        "price_unit": "pt.price_unit",
        "is_published": published,
        "is_selected": f"({published} AND {r('g.i', seed + 8)} < 0.01)",
        "created_at": (
            f"{_timestamp(now)} - {n('g.i', seed + 12, str(700 * 86400))} * interval '1 second'"
        ),
        "updated_at": _timestamp(now),
    }
    rest = (
        f"FROM generate_series(0, {products - 1}) g(i) {unit_source(n_desa, unit_seed, k)}"
        "JOIN bench_cand c ON c.vkab = d.vkab AND c.grp = f.grp "
        f"AND c.slot = {n('g.i', seed + 1, 'c.ncand')} "
        "JOIN bench_family pf ON pf.fam = c.fam "
        f"JOIN bench_ptype pt ON pt.fam = c.fam AND pt.slot = {n('g.i', seed + 2, 'pf.ntypes')} "
        "CROSS JOIN bench_words w"
    )
    return insert_select(cursor, model, exprs, rest)


def _array_sql(values) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def insert_links(cursor, model, base: int, seed: int) -> int:
    """About 40 % of the products from id ``base`` on: one or two shops each."""
    url = (
        "CASE pl.platform "
        "WHEN 'shopee' THEN 'https://shopee.co.id/' || x.slug || '-i.' || x.shopee || '.' "
        "|| x.mpid "
        "WHEN 'tokopedia' THEN 'https://www.tokopedia.com/' || x.shop || '/' || x.slug "
        "WHEN 'lazada' THEN 'https://www.lazada.co.id/products/' || x.slug || '-i' || x.mpid "
        "|| '.html' "
        "WHEN 'blibli' THEN 'https://www.blibli.com/p/' || x.slug || '/ps--' "
        "|| upper(left(x.shop, 3)) || '-' || x.mpid "
        "ELSE 'https://www.bukalapak.com/p/oleh-oleh/' || to_hex(x.mpid) || '-jual-' || x.slug END"
    )
    first = f"({_array_sql(PLATFORMS)})[1 + {n('p.id', seed + 2, str(len(PLATFORMS)))}]"
    platforms = _array_sql(PLATFORMS)
    # The second shop: drawn from the list without the first (as random.sample did).
    second = n("y.id", seed + 3, f"cardinality(array_remove({platforms}, y.p1))")
    rest = (
        "FROM (SELECT y.*, CASE WHEN y.two THEN ARRAY[y.p1, "
        f"(array_remove({platforms}, y.p1))[1 + {second}]] "
        "ELSE ARRAY[y.p1] END AS platforms FROM ("
        "SELECT p.id, p.slug, 'toko' || p.id AS shop, "
        f"1000000000 + {n('p.id', seed + 1, '9000000000')} AS mpid, "
        f"100000000 + {n('p.id', seed + 5, '900000000')} AS shopee, "
        f"{first} AS p1, "
        f"{r('p.id', seed + 4)} < 0.5 AS two "
        f"FROM products_product p WHERE p.id >= {base} AND {r('p.id', seed)} < 0.4) y) x "
        "CROSS JOIN LATERAL unnest(x.platforms) AS pl(platform)"
    )
    return insert_select(
        cursor, model, {"product_id": "x.id", "platform": "pl.platform", "url": url}, rest
    )


def insert_certificates(
    cursor, model, units: int, n_desa: int, base: int, unit_base: int, unit_seed: int, seed: int
) -> int:
    """About 35 % of the units: one certificate (two drawn a third of the time), of the types
    a food or a non-food business holds, numbered in the bench ranges."""
    food = ", ".join(f"'{g}'" for g in FOOD)
    numbers = " ".join(f"WHEN '{t}' THEN {sql}" for t, sql in NUMBERS.items())
    stars = f"1 + {n('c.n', seed + 5, '5')}"
    exprs = {
        "id": f"{base} + c.n - 1",
        "type": "c.type",
        "number": f"CASE c.type {numbers} END",
        "issuer": "c.issuer",
        "issued_on": "c.issued",
        "valid_until": (
            "CASE WHEN c.type = 'halal' THEN CASE WHEN extract(year FROM c.issued) < 2023 "
            "THEN (c.issued + interval '4 years')::date END "
            "WHEN c.years IS NOT NULL THEN (c.issued + make_interval(years => c.years))::date END"
        ),
        "unit_id": f"{unit_base} + c.k",
        "ovop_stars": f"CASE WHEN c.type = 'ovop' THEN {stars} END",
        "ovop_year": "CASE WHEN c.type = 'ovop' THEN extract(year FROM c.issued)::int END",
    }
    drawn = n("cu.k * 2 + j.j", seed + 2, "w.total")
    rest = (
        "FROM (SELECT t.*, least(make_date(2019 + "
        f"{n('t.n', seed + 3, '8')}::int, 1 + {n('t.n', seed + 4, '12')}::int, 1), "
        "date '2026-10-01') AS issued FROM ("
        "SELECT ct.*, row_number() OVER (ORDER BY ct.k, ct.type) AS n FROM ("
        "SELECT DISTINCT cu.k, w.type, w.issuer, w.years FROM ("
        f"SELECT g.k, f.grp IN ({food}) AS food, {n('g.k', seed + 1, '3')} = 2 AS two "
        f"FROM generate_series(0, {units - 1}) g(k) {unit_source(n_desa, unit_seed)}"
        f"WHERE {r('g.k', seed)} < 0.35) cu "
        "CROSS JOIN (VALUES (0), (1)) j(j) "
        f"JOIN bench_certw w ON w.food = cu.food AND {drawn} >= w.lo AND {drawn} < w.hi "
        "WHERE j.j = 0 OR cu.two) ct) t) c ORDER BY c.n"
    )
    return insert_select(cursor, model, exprs, rest)


def insert_certificate_products(
    cursor, through, cert_base: int, units: int, products: int, unit_base: int, product_base: int
) -> int:
    """Each certificate covers up to 3 of its unit's products (halal: its food products, when
    it has any), the first by id, as before."""
    food = ", ".join(f"'{g}'" for g in FOOD)
    per_unit = -(-products // units)
    ids = (
        f"ARRAY(SELECT {product_base} + (c.unit_id - {unit_base}) + j * {units} "
        f"FROM generate_series(0, {per_unit - 1}) j "
        f"WHERE (c.unit_id - {unit_base}) + j * {units} < {products})"
    )
    rest = (
        f"FROM certifications_certification c CROSS JOIN LATERAL ("
        f"SELECT p.id FROM products_product p WHERE p.id = ANY({ids}) "
        f"AND (c.type <> 'halal' OR p.category IN ({food}) OR NOT EXISTS ("
        f"SELECT 1 FROM products_product q WHERE q.id = ANY({ids}) AND q.category IN ({food}))) "
        f"ORDER BY p.id LIMIT 3) x WHERE c.id >= {cert_base}"
    )
    return insert_select(cursor, through, {"certification_id": "c.id", "product_id": "x.id"}, rest)


def insert_photos(cursor, model, base: int, after: int, photo) -> int:
    """A photo row for every bench product from id ``base`` on (but ``after``), all pointing at
    the one real file ``photo`` (with its renditions)."""
    return insert_select(
        cursor,
        model,
        {"product_id": "p.id"},
        f"FROM products_product p WHERE p.id >= {base} AND p.id <> {after}",
        literals={
            "image": photo.image.name,
            "width": photo.width,
            "height": photo.height,
            "renditions": photo.renditions,
            "alt_text": photo.alt_text,
        },
    )
