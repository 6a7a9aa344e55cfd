"""``manage.py generate_bench_data``: a large catalog for the catalog benchmark.

Units, products, marketplace links, one shared photo and certificates are written with
PostgreSQL ``COPY`` (tens of thousands of rows a second), drawn from the demo vocabulary so that
catalog searches ("lempok", "amplang", "minuman", "kerajinan", …) hit. Every row is marked: unit
and product slugs start with ``bench-`` and certificate numbers use their own ranges, so
``--clear`` removes exactly this data and ``seed_demo`` stays idempotent beside it.
No history rows are written for bench data.
"""

from __future__ import annotations

import datetime
import io
import json
import random
import time
from collections.abc import Iterable
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from certifications.models import Certification
from demo.pictures import product_picture
from demo.plan import ISSUERS, _marketplace_links
from demo.vocabulary import (
    BRANDS,
    FAMILIES,
    FIRST_NAMES,
    KABUPATEN,
    LAST_NAMES,
    SELLING_POINTS,
)
from ikm.models import IKMUnit, Region
from ikm.rules import PROVINCE_CODE
from products.images import photo_add
from products.models import MarketplaceLink, Product, ProductPhoto

PREFIX = "bench-"
SEED = 5_000_003
FOOD = ("makanan", "minuman", "herbal")
# The tables the generator fills: their secondary indexes are dropped before the COPY and built
# again after it (one sort per index instead of one insertion per row), and their user triggers
# (the public catalog's index, public/catalog_sql.py) are off during the load; the catalog index
# is then rebuilt in one statement.
LOADED_TABLES = (
    "ikm_ikmunit",
    "products_product",
    "products_productphoto",
    "products_marketplacelink",
    "certifications_certification",
    "certifications_certification_products",
)
NATIONAL_MIN_DESA = 80_000
COPY_BATCH = 100_000


def vocabulary_kabupaten(code: str) -> str:
    """The Kalbar kab/kota whose product families a unit of kab/kota ``code`` draws from: its
    own in Kalbar, elsewhere one of the 14 chosen by the code (stable from run to run)."""
    if code in KABUPATEN:
        return code
    keys = sorted(KABUPATEN)
    return keys[int(code.replace(".", "")) % len(keys)]


def _drop_indexes(cursor) -> list[str]:
    """Drop the secondary indexes (not primary keys, not unique or other constraints) of the
    loaded tables; returns the statements that build them again."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "JOIN pg_class c ON c.relname = i.indexname "
        "JOIN pg_index x ON x.indexrelid = c.oid "
        "WHERE i.schemaname = 'public' AND i.tablename = ANY(%s) AND NOT x.indisprimary "
        "AND NOT x.indisunique "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)",
        [list(LOADED_TABLES)],
    )
    rows = cursor.fetchall()
    for name, _definition in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in rows]


def _set_triggers(cursor, enabled: bool) -> None:
    for table in LOADED_TABLES:
        cursor.execute(f"ALTER TABLE {table} {'ENABLE' if enabled else 'DISABLE'} TRIGGER USER")


def _rebuild_catalog_index(cursor) -> bool:
    """The public catalog's index from scratch, when the database has it (it is the public
    site's: called by name, this command does not import it)."""
    cursor.execute("SELECT to_regproc('public_catalog_rebuild') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return False
    cursor.execute("SELECT public_catalog_rebuild()")
    return True


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value)
    elif isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    elif isinstance(value, Decimal | int | float):
        return str(value)
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def copy_rows(model: type[models.Model], rows: Iterable[dict]) -> int:
    """COPY ``rows`` (field name -> value) into the model's table; defaults fill missing fields.

    Generated columns and the auto primary key are left to PostgreSQL.
    """
    now = timezone.now()
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not isinstance(f, models.GeneratedField)
    ]
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        elif f.has_default():
            defaults[f.attname] = f.get_default()
        elif f.null:
            defaults[f.attname] = None
        else:
            defaults[f.attname] = ""
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"

    def flush(lines: list[str]) -> None:
        if lines:
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(statement, io.StringIO("".join(lines)))

    lines: list[str] = []
    count = 0
    for row in rows:
        lines.append(
            "\t".join(
                _copy_value(row[f.attname] if f.attname in row else defaults[f.attname])
                for f in fields
            )
            + "\n"
        )
        count += 1
        if len(lines) >= COPY_BATCH:  # bounded memory at 10 million rows
            flush(lines)
            lines = []
    flush(lines)
    return count


def _delete_where(cursor, model: type[models.Model], where: str, seen: set) -> None:
    """Delete rows of ``model`` matching ``where`` and everything that points at them."""
    table, pk = model._meta.db_table, model._meta.pk.column
    ids = f"SELECT {pk} FROM {table} WHERE {where}"
    for f in model._meta.local_many_to_many:
        through = f.remote_field.through
        column = through._meta.get_field(f.m2m_field_name()).column
        cursor.execute(f"DELETE FROM {through._meta.db_table} WHERE {column} IN ({ids})")
    for rel in model._meta.related_objects:
        if rel.many_to_many:
            through = rel.through
            column = through._meta.get_field(rel.field.m2m_reverse_field_name()).column
            cursor.execute(f"DELETE FROM {through._meta.db_table} WHERE {column} IN ({ids})")
        elif rel.field.db_constraint or rel.on_delete is not models.DO_NOTHING:
            related = rel.related_model
            column = rel.field.column
            if rel.on_delete is models.SET_NULL:
                cursor.execute(
                    f"UPDATE {related._meta.db_table} SET {column} = NULL WHERE {column} IN ({ids})"
                )
            elif (related, column) not in seen:
                _delete_where(cursor, related, f"{column} IN ({ids})", seen | {(related, column)})
    cursor.execute(f"DELETE FROM {table} WHERE {where}")


def clear_bench() -> tuple[int, int]:
    units = IKMUnit.objects.filter(slug__startswith=PREFIX).count()
    products = Product.objects.filter(slug__startswith=PREFIX).count()
    shared = set()
    for photo in ProductPhoto.objects.filter(product__slug__startswith=PREFIX)[:1]:
        shared = {photo.image.name, *photo.renditions.values()}
    with transaction.atomic(), connection.cursor() as cursor:
        _delete_where(cursor, Product, f"slug LIKE '{PREFIX}%'", set())
        _delete_where(cursor, IKMUnit, f"slug LIKE '{PREFIX}%'", set())
    from django.core.files.storage import default_storage

    for name in shared:
        default_storage.delete(name)
    return units, products


class Command(BaseCommand):
    help = (
        "Buat data besar untuk benchmark katalog (slug berawalan 'bench-'; hapus dengan --clear)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=50_000)
        parser.add_argument("--products", type=int, default=200_000)
        parser.add_argument(
            "--clear", action="store_true", help="Hapus data benchmark (dan jangan buat baru)."
        )
        parser.add_argument("--no-photos", action="store_true", help="Tanpa foto bersama.")
        parser.add_argument(
            "--national",
            action="store_true",
            help=(
                "Sebarkan unit ke seluruh desa/kelurahan Indonesia (83.762; muat dulu "
                "load_regions ikm/data/regions/indonesia.csv.gz)."
            ),
        )

    def handle(self, *args, units, products, clear, no_photos, national, **options):
        started = time.perf_counter()
        if clear or IKMUnit.objects.filter(slug__startswith=PREFIX).exists():
            n_units, n_products = clear_bench()
            self.stdout.write(
                f"Data benchmark lama dihapus: {n_units} unit, {n_products} produk "
                f"({time.perf_counter() - started:.1f} dtk)."
            )
            if clear:
                return
        if units < 1 or products < units:
            raise CommandError("--units minimal 1 dan --products tidak boleh kurang dari --units.")
        regions = Region.objects.filter(level__in=(Region.Level.DESA, Region.Level.KELURAHAN))
        if not national:
            regions = regions.filter(code__startswith=PROVINCE_CODE + ".")
        desa = list(regions.order_by("code").values_list("code", "name"))
        if not desa:
            raise CommandError("Data wilayah belum dimuat: jalankan python manage.py load_regions")
        if national and len(desa) < NATIONAL_MIN_DESA:
            raise CommandError(
                f"Hanya {len(desa)} desa/kelurahan dimuat: jalankan python manage.py "
                "load_regions ikm/data/regions/indonesia.csv.gz"
            )
        timings = {}
        with transaction.atomic():
            t = time.perf_counter()
            with connection.cursor() as cursor:
                # Foreign keys checked at the end of each statement: no pending trigger events
                # (ALTER TABLE refuses them) and no queue of millions of deferred checks.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                _set_triggers(cursor, enabled=False)
                index_definitions = _drop_indexes(cursor)
            timings["lepas indeks"] = time.perf_counter() - t
            t = time.perf_counter()
            self._units(units, desa)
            timings["unit"] = time.perf_counter() - t
            t = time.perf_counter()
            unit_rows = list(
                IKMUnit.objects.filter(slug__startswith=PREFIX)
                .order_by("id")
                .values_list("id", "kabupaten_code", "verified", "commodity_group", "name")
                .iterator(chunk_size=50_000)
            )
            self._products(products, unit_rows)
            timings["produk"] = time.perf_counter() - t
            t = time.perf_counter()
            product_rows = list(
                Product.objects.filter(slug__startswith=PREFIX)
                .order_by("id")
                .values_list("id", "unit_id", "slug", "category")
                .iterator(chunk_size=50_000)
            )
            n_links = self._links(product_rows)
            n_certs = self._certs(unit_rows, product_rows)
            timings["tautan+sertifikat"] = time.perf_counter() - t
            t = time.perf_counter()
            n_photos = 0 if no_photos else self._photos(product_rows)
            timings["foto"] = time.perf_counter() - t
            t = time.perf_counter()
            with connection.cursor() as cursor:
                # The deferred foreign-key checks of the loaded rows run now: an index cannot be
                # built on a table with pending trigger events.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                for definition in index_definitions:
                    cursor.execute(definition)
            timings[f"indeks ({len(index_definitions)})"] = time.perf_counter() - t
            t = time.perf_counter()
            with connection.cursor() as cursor:
                _set_triggers(cursor, enabled=True)
                if _rebuild_catalog_index(cursor):
                    timings["indeks katalog publik"] = time.perf_counter() - t
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        t = time.perf_counter()
        with connection.cursor() as cursor:
            catalog_tables = ("public_catalogrow", "public_catalogcount", "public_catalogkabcount")
            for table in (*LOADED_TABLES, *catalog_tables, "public_unitfacetcount"):
                cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
                if not cursor.fetchone()[0]:
                    continue
                # VACUUM (outside a transaction only) also sets the visibility map: the
                # catalog's lists are then index-only scans.
                vacuum = table in catalog_tables and not connection.in_atomic_block
                cursor.execute(f"{'VACUUM (ANALYZE)' if vacuum else 'ANALYZE'} {table}")
        timings["analyze"] = time.perf_counter() - t
        total = time.perf_counter() - started
        detail = ", ".join(f"{k} {v:.1f} dtk" for k, v in timings.items())
        self.stdout.write(
            f"Data benchmark: {len(unit_rows)} unit, {len(product_rows)} produk, {n_links} tautan "
            f"marketplace, {n_certs} sertifikat, {n_photos} foto (berbagi satu berkas) dalam "
            f"{total:.1f} dtk ({detail})."
        )

    # --- generators ---------------------------------------------------------------------------
    def _units(self, n: int, desa: list[tuple[str, str]]) -> None:
        rng = random.Random(SEED)
        now = timezone.now()
        desa = list(desa)
        rng.shuffle(desa)  # the first len(desa) units cover every desa, in no regional order

        def rows():
            for i in range(n):
                code, desa_name = desa[i % len(desa)] if i < len(desa) else rng.choice(desa)
                count, families = KABUPATEN[vocabulary_kabupaten(code[:5])]
                fam = rng.choices(families, weights=[f.weight for f in families])[0]
                brand = rng.choice(BRANDS)
                name = f"{rng.choice(fam.unit_prefixes)} {brand} {desa_name}"
                level = "Kelurahan" if code.split(".")[-1].startswith("1") else "Desa"
                workers = rng.randint(1, 60)
                yield {
                    "name": name,
                    "slug": f"{PREFIX}{slugify(name)[:150]}-{i}",
                    "owner_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    "nib": f"81{i:011d}" if rng.random() < 0.4 else None,
                    "kbli": fam.kbli,
                    "commodity_group": fam.group,
                    "description": f"{fam.unit_description} Berlokasi di {level} {desa_name}.",
                    "address": f"{level} {desa_name}",
                    "desa_id": code,
                    "whatsapp": f"+6285{rng.randint(10**8, 10**9 - 1)}",
                    "whatsapp_public": True,
                    "year_established": rng.randint(1980, 2025),
                    "workers": workers,
                    "investment": rng.randint(1, 400) * 5_000_000 * (10 if workers > 19 else 1),
                    "verified": rng.random() < 0.9,
                    "created_at": now - datetime.timedelta(seconds=rng.randint(0, 700 * 86400)),
                    "updated_at": now,
                }

        copy_rows(IKMUnit, rows())

    def _products(self, n: int, unit_rows: list[tuple]) -> None:
        rng = random.Random(SEED + 1)
        now = timezone.now()
        by_group = {}
        for fam in FAMILIES.values():
            by_group.setdefault(fam.group, []).append(fam)
        fams_by_kab = {kab: fams for kab, (_c, fams) in KABUPATEN.items()}

        def rows():
            for i in range(n):
                unit_id, kab, verified, group, unit_name = unit_rows[i % len(unit_rows)]
                fams = fams_by_kab[vocabulary_kabupaten(kab)]
                candidates = [f for f in fams if f.group == group] or by_group[group]
                fam = rng.choice(candidates)
                ptype = rng.choice(fam.products)
                name = ptype.name
                if rng.random() < 0.3:
                    name = f"{name} {rng.choice(BRANDS)}"
                published = verified and rng.random() < 0.92
                lo, hi = ptype.price
                yield {
                    "unit_id": unit_id,
                    "name": name,
                    "slug": f"{PREFIX}{slugify(name)[:150]}-{i}",
                    "category": ptype.category,
                    "description": " ".join(
                        s
                        for s in (
                            ptype.description,
                            fam.unit_description.split(";")[0].rstrip(".") + ".",
                            rng.choice(SELLING_POINTS),
                        )
                        if s
                    ),
                    "price": rng.randrange(lo // 500, hi // 500 + 1) * 500,
                    "price_unit": ptype.price_unit,
                    "is_published": published,
                    "is_selected": published and rng.random() < 0.01,
                    "created_at": now - datetime.timedelta(seconds=rng.randint(0, 700 * 86400)),
                    "updated_at": now,
                }

        copy_rows(Product, rows())

    def _links(self, product_rows: list[tuple]) -> int:
        rng = random.Random(SEED + 2)

        def rows():
            for pid, _unit_id, slug, _cat in product_rows:
                if rng.random() < 0.4:
                    shop = f"toko{pid}"
                    for platform, url in _marketplace_links(rng, shop, slug, rng.choice((1, 2))):
                        yield {"product_id": pid, "platform": platform, "url": url}

        return copy_rows(MarketplaceLink, rows())

    def _certs(self, unit_rows: list[tuple], product_rows: list[tuple]) -> int:
        rng = random.Random(SEED + 3)
        products_of: dict[int, list[tuple[int, str]]] = {}
        for pid, unit_id, _slug, cat in product_rows:
            products_of.setdefault(unit_id, []).append((pid, cat))
        planned: list[tuple[dict, list[int]]] = []
        n = 0
        for unit_id, _kab, _verified, group, _name in unit_rows:
            prods = products_of.get(unit_id, [])
            if not prods or rng.random() >= 0.35:
                continue
            food = group in FOOD
            types = (
                ["halal", "spp_irt", "merek", "bpom_md", "ovop", "sni"]
                if food
                else ["merek", "desain_industri", "hak_cipta", "ovop", "sni", "paten"]
            )
            weights = [30, 25, 20, 5, 5, 3] if food else [40, 10, 10, 6, 4, 1]
            for cert_type in set(rng.choices(types, weights=weights, k=rng.choice((1, 1, 2)))):
                n += 1
                issued = datetime.date(rng.randint(2019, 2026), rng.randint(1, 12), 1)
                issued = min(issued, datetime.date(2026, 10, 1))
                years = {
                    "spp_irt": 5,
                    "merek": 10,
                    "desain_industri": 10,
                    "paten": 10,
                    "ovop": 2,
                    "sni": 4,
                    "bpom_md": 5,
                }.get(cert_type)
                if cert_type == "halal" and issued.year < 2023:
                    years = 4
                number = {
                    "halal": f"ID99{n:012d}",
                    "spp_irt": f"9{n:014d}",
                    "merek": f"IDM9{n:08d}",
                    "desain_industri": f"IDD9{n:08d}",
                    "hak_cipta": f"EC99{n:09d}",
                    "paten": f"IDS9{n:08d}",
                    "ovop": f"BENCH/{n}/OVOP/{issued.year}",
                    "sni": f"BENCH-SNI/{n}/{issued.year}",
                    "bpom_md": f"MD9{n:011d}",
                }[cert_type]
                row = {
                    "type": cert_type,
                    "number": number,
                    "issuer": ISSUERS[cert_type],
                    "issued_on": issued,
                    "valid_until": issued.replace(year=issued.year + years) if years else None,
                    "unit_id": unit_id,
                    "ovop_stars": rng.randint(1, 5) if cert_type == "ovop" else None,
                    "ovop_year": issued.year if cert_type == "ovop" else None,
                }
                covered = [p for p, cat in prods if cat in FOOD] if cert_type == "halal" else []
                planned.append((row, (covered or [p for p, _c in prods])[:3]))
        before = Certification.objects.aggregate(m=models.Max("id"))["m"] or 0
        copy_rows(Certification, (row for row, _p in planned))
        ids = dict(
            Certification.objects.filter(id__gt=before)
            .values_list("number", "id")
            .iterator(chunk_size=50_000)
        )
        through = Certification.products.through
        copy_rows(
            through,
            (
                {"certification_id": ids[row["number"]], "product_id": pid}
                for row, pids in planned
                for pid in pids
            ),
        )
        return len(planned)

    def _photos(self, product_rows: list[tuple]) -> int:
        """One real photo (renditions included) shared by every bench product's photo row."""
        first_id, _u, slug, _c = product_rows[0]
        first = Product.objects.get(pk=first_id)
        data = product_picture(
            slug=slug,
            name="Produk IKM Kalbar",
            place="Data benchmark",
            colors=((200, 170, 120), (120, 80, 40), (240, 230, 210)),
            motif="circles",
        )
        photo = photo_add(product=first, file=data, alt_text="Foto produk (data benchmark)")
        return 1 + copy_rows(
            ProductPhoto,
            (
                {
                    "product_id": pid,
                    "image": photo.image.name,
                    "width": photo.width,
                    "height": photo.height,
                    "renditions": photo.renditions,
                    "alt_text": "Foto produk (data benchmark)",
                }
                for pid, _u, _s, _c in product_rows[1:]
            ),
        )
