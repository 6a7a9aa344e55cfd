"""``manage.py generate_bench_data``: a large catalog for the catalog benchmark.

Units, products, marketplace links, one shared photo and certificates are generated inside
PostgreSQL (``INSERT … SELECT … FROM generate_series``, demo/bench_sql.py), drawn from the demo
vocabulary so that catalog searches ("lempok", "amplang", "minuman", "kerajinan", …) hit.
Every row is marked: unit and product slugs start with ``bench-`` and certificate numbers use
their own ranges, so ``--clear`` removes exactly this data and ``seed_demo`` stays idempotent
beside it.
No history rows are written for bench data.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from certifications.models import Certification
from demo import bench_sql
from demo.pictures import product_picture
from ikm.models import IKMUnit, Region
from ikm.rules import PROVINCE_CODE
from products.images import photo_add
from products.models import MarketplaceLink, Product, ProductPhoto

PREFIX = "bench-"
SEED = 5_000_003
# The tables the generator fills: their secondary indexes, unique constraints and foreign keys are
# dropped before the load and made again after it (one sort per index, one join per foreign key,
# instead of one insertion and one look-up per row), and their user triggers (the public
# catalog's index, public/catalog_sql.py) are off during the load; the catalog index is then
# rebuilt in one statement, its table's own secondary indexes dropped meanwhile.
LOADED_TABLES = (
    "ikm_ikmunit",
    "products_product",
    "products_productphoto",
    "products_marketplacelink",
    "certifications_certification",
    "certifications_certification_products",
)
CATALOG_TABLE = "public_catalogrow"
CATALOG_TABLES = (CATALOG_TABLE, "public_catalogcount")
NATIONAL_MIN_DESA = 80_000
# Streams of the hash that draws the random choices (demo/bench_sql.py), one range per table.
UNIT_SEED, PRODUCT_SEED, LINK_SEED, CERT_SEED = SEED, SEED + 100, SEED + 200, SEED + 300


def _drop_indexes(cursor, tables=LOADED_TABLES) -> list[str]:
    """Drop the indexes of ``tables`` that back no constraint (primary keys and unique
    constraints go with _drop_constraints); returns the statements that build them again."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "JOIN pg_class c ON c.relname = i.indexname "
        "JOIN pg_index x ON x.indexrelid = c.oid "
        "WHERE i.schemaname = 'public' AND i.tablename = ANY(%s) AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)",
        [list(tables)],
    )
    rows = cursor.fetchall()
    for name, _definition in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in rows]


def _drop_constraints(cursor) -> list[str]:
    """Drop the unique constraints and foreign keys of the loaded tables (not their primary
    keys); returns the statements that add them again, unique ones first."""
    cursor.execute(
        "SELECT k.conrelid::regclass::text, k.conname, pg_get_constraintdef(k.oid), k.contype "
        "FROM pg_constraint k WHERE k.conrelid = ANY(%s::regclass[]) AND k.contype IN ('u', 'f') "
        "ORDER BY k.contype DESC, k.conname",
        [list(LOADED_TABLES)],
    )
    rows = cursor.fetchall()
    for table, name, _definition, _type in reversed(rows):  # foreign keys first
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition, _type in rows
    ]


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
        self.verbosity = options.get("verbosity", 1)
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
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cursor:
            t = time.perf_counter()
            # Foreign keys (of the other tables) checked at the end of each statement: no
            # pending trigger events (ALTER TABLE refuses them).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            _set_triggers(cursor, enabled=False)
            index_definitions = _drop_indexes(cursor)
            constraint_definitions = _drop_constraints(cursor)
            bench_sql.load_vocabulary(cursor, desa, UNIT_SEED)
            unit_base = bench_sql.next_id(cursor, IKMUnit)
            product_base = bench_sql.next_id(cursor, Product)
            cert_base = bench_sql.next_id(cursor, Certification)
            timings["lepas indeks, kosakata"] = time.perf_counter() - t
            t = time.perf_counter()
            n_units = bench_sql.insert_units(
                cursor, IKMUnit, units, len(desa), unit_base, UNIT_SEED, now
            )
            timings["unit"] = time.perf_counter() - t
            t = time.perf_counter()
            n_products = bench_sql.insert_products(
                cursor, Product, products, units, len(desa), product_base, unit_base,
                PRODUCT_SEED, UNIT_SEED, now,
            )  # fmt: skip
            timings["produk"] = time.perf_counter() - t
            t = time.perf_counter()
            n_links = bench_sql.insert_links(cursor, MarketplaceLink, product_base, LINK_SEED)
            n_certs = bench_sql.insert_certificates(
                cursor, Certification, units, len(desa), cert_base, unit_base, UNIT_SEED,
                CERT_SEED,
            )  # fmt: skip
            bench_sql.insert_certificate_products(
                cursor, Certification.products.through, cert_base, units, products, unit_base,
                product_base,
            )  # fmt: skip
            for model in (IKMUnit, Product, Certification):
                bench_sql.sync_sequence(cursor, model)
            bench_sql.drop_vocabulary(cursor)
            timings["tautan+sertifikat"] = time.perf_counter() - t
            t = time.perf_counter()
            n_photos = 0 if no_photos else self._photos(cursor, product_base)
            timings["foto"] = time.perf_counter() - t
            t = time.perf_counter()
            # One sort per index; b-trees with parallel workers.
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
            for definition in [d for d in constraint_definitions if " FOREIGN KEY " not in d]:
                self._run(cursor, definition)
            for definition in index_definitions:
                self._run(cursor, definition)
            for definition in constraint_definitions:
                if " FOREIGN KEY " in definition:
                    self._run(cursor, definition)
            count = len(index_definitions) + len(constraint_definitions)
            timings[f"indeks dan konstrain ({count})"] = time.perf_counter() - t
            t = time.perf_counter()
            _set_triggers(cursor, enabled=True)
            # The catalog's rows and counts are inserted without their secondary indexes,
            # which are then built in one sort each.
            catalog_indexes = _drop_indexes(cursor, CATALOG_TABLES)
            rebuilt = _rebuild_catalog_index(cursor)
            for definition in catalog_indexes:
                self._run(cursor, definition)
            if rebuilt:
                timings["indeks katalog publik"] = time.perf_counter() - t
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        t = time.perf_counter()
        with connection.cursor() as cursor:
            catalog_tables = (CATALOG_TABLE, "public_catalogcount", "public_catalogkabcount")
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
            f"Data benchmark: {n_units} unit, {n_products} produk, {n_links} tautan "
            f"marketplace, {n_certs} sertifikat, {n_photos} foto (berbagi satu berkas) dalam "
            f"{total:.1f} dtk ({detail})."
        )

    def _run(self, cursor, statement: str) -> None:
        """Run ``statement``; with ``-v 2`` print its time."""
        t = time.perf_counter()
        cursor.execute(statement)
        if self.verbosity > 1:
            self.stdout.write(f"  {time.perf_counter() - t:6.1f} dtk  {statement[:110]}")

    def _photos(self, cursor, product_base: int) -> int:
        """One real photo (renditions included) shared by every bench product's photo row."""
        first = Product.objects.get(pk=product_base)
        data = product_picture(
            slug=first.slug,
            name="Produk IKM Kalbar",
            place="Data benchmark",
            colors=((200, 170, 120), (120, 80, 40), (240, 230, 210)),
            motif="circles",
        )
        photo = photo_add(product=first, file=data, alt_text="Foto produk (data benchmark)")
        return 1 + bench_sql.insert_photos(cursor, ProductPhoto, product_base, first.pk, photo)
