"""The public catalog's own index: narrow rows and counts kept by PostgreSQL triggers (issue 11).

The public pages never scan the wide product, unit and certificate tables to filter, sort or
count. Three tables, written only by the triggers and functions of
``public/migrations/0001_catalog_index.py`` (never by Python):

* :class:`CatalogRow` — one narrow row per **public** product (published, of a verified unit):
  its full-text vector (a ``tsvector`` column the ORM does not manage), category, region codes,
  the types of its certificates valid today (``certs``: ``halal``, ``ovop``, ``ovop:4`` for the
  stars…), whether it is sold on a marketplace, and the sort keys. A product that stops being
  public loses its row in the same transaction.
* :class:`CatalogCount` — how many public products share one (category, desa, certificate set,
  marketplace) combination: every facet count without a search word, the home figures and the
  region pages are sums over this small table, exact at any catalog size.
* :class:`UnitCount` — verified units per desa/kelurahan (home figures, region pages).
* :class:`CatalogKabCount` — ``CatalogCount`` summed per kab/kota (issue 11).
* :class:`UnitFacetCount` — verified units per kecamatan × commodity group × sentra membership
  (the IKM directory's facets; issue 11, ``public/migrations/0002_issue11.py``).
* :class:`CatalogWord` — the words of public product names, for typo tolerance.

Certificates expire by the calendar, not by a write: ``certs_until`` is the first day one of the
row's certificates stops counting, and the daily refresh (``public.tasks``) re-syncs those rows.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models

from products.models import Product


class CatalogRow(models.Model):
    product = models.OneToOneField(
        Product,
        primary_key=True,
        on_delete=models.DO_NOTHING,  # the triggers delete the row with the product
        db_constraint=False,
        related_name="catalog_row",
    )
    unit_id = models.BigIntegerField()
    category = models.CharField(max_length=20)
    kab = models.CharField(max_length=5)
    kec = models.CharField(max_length=8)
    desa = models.CharField(max_length=13)
    certs = ArrayField(models.CharField(max_length=24), default=list)
    certs_until = models.DateField(null=True)
    marketplace = models.BooleanField(default=False)
    is_selected = models.BooleanField(default=False)
    price = models.BigIntegerField(null=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "baris katalog"
        default_permissions = ()

    def __str__(self) -> str:
        return f"katalog:{self.product_id}"


class CatalogCount(models.Model):
    category = models.CharField(max_length=20)
    kab = models.CharField(max_length=5)
    kec = models.CharField(max_length=8)
    desa = models.CharField(max_length=13)
    certs = ArrayField(models.CharField(max_length=24), default=list)
    marketplace = models.BooleanField(default=False)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = "jumlah katalog"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["category", "desa", "certs", "marketplace"], name="catalogcount_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.desa} {self.certs}: {self.n}"


class CatalogKabCount(models.Model):
    """``CatalogCount`` summed per kab/kota: (category, kab/kota, certificate set, marketplace)
    with its public products. Every count that needs no kecamatan or desa (the catalog's facets
    and list counts without a search word, unless a kecamatan is chosen; home; the province and
    kab/kota pages) sums this table, hundreds of times smaller than ``CatalogCount`` at national
    scale. Kept by triggers on ``public_catalogcount`` (issue 11, public/catalog_sql.py)."""

    category = models.CharField(max_length=20)
    kab = models.CharField(max_length=5)
    certs = ArrayField(models.CharField(max_length=24), default=list)
    marketplace = models.BooleanField(default=False)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = "jumlah katalog per kab/kota"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["category", "kab", "certs", "marketplace"], name="catalogkabcount_key"
            )
        ]
        indexes = [models.Index(fields=["kab"], name="catalogkabcount_kab")]

    def __str__(self) -> str:
        return f"{self.category} {self.kab} {self.certs}: {self.n}"


class CatalogWord(models.Model):
    """A word of the name of a public product (lower case, unaccented): a search word the
    full-text index does not know is matched to its closest words here (trigram index, a few
    thousand rows), not to every product name."""

    word = models.CharField(max_length=40, primary_key=True)

    class Meta:
        verbose_name = "kata katalog"
        default_permissions = ()

    def __str__(self) -> str:
        return self.word


class UnitFacetCount(models.Model):
    """Verified units per (kecamatan, commodity group, member of a sentra): the IKM
    directory's facet counts and its list count without a search word or certificate filter
    (issue 11). Kept by triggers on the units (public/catalog_sql.py, ``UNIT_FACETS``)."""

    kab = models.CharField(max_length=5)
    kec = models.CharField(max_length=8)
    commodity_group = models.CharField(max_length=20)
    sentra = models.BooleanField(default=False)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = "jumlah unit per kelompok"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["kec", "commodity_group", "sentra"], name="unitfacetcount_key"
            )
        ]
        indexes = [models.Index(fields=["kab"], name="unitfacetcount_kab")]

    def __str__(self) -> str:
        return f"{self.kec} {self.commodity_group}: {self.n}"


class UnitCount(models.Model):
    desa = models.CharField(max_length=13, primary_key=True)
    kab = models.CharField(max_length=5)
    kec = models.CharField(max_length=8)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = "jumlah unit"
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.desa}: {self.n}"
