"""Open statistics: units per kab/kota, KBLI, scale and year founded; certified products per type.

Only verified units and published products of verified units count (the public site's rule:
``IKMUnit.objects.public()``, ``Product.objects.public()``). Five grouped queries, cached in the
shared cache under the public catalog's version (moved on by every write to the catalog's data,
public/signals.py), with a five-minute safety net.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from certifications.models import Certification, CertificationType
from core.cache import versioned
from ikm.models import IKMUnit, Region, Scale
from ikm.rules import PROVINCE_CODE

# The public catalog's cache version key (public.catalog.CATALOG_VERSION_KEY; surfaces do not
# import one another, the key is the contract).
CATALOG_VERSION_KEY = "public:catalog-version"
CACHE_KEY = "api:statistics"
CACHE_SECONDS = 300
DIMENSIONS = (
    "unit_per_kabupaten",
    "unit_per_kbli",
    "unit_per_skala",
    "unit_per_tahun_berdiri",
    "produk_bersertifikat_per_jenis",
)


def _rows(pairs, names: dict | None = None) -> list[dict]:
    names = names or {}
    return [
        {"kode": str(code), "nama": str(names.get(code, "")), "jumlah": n}
        for code, n in pairs
        if code not in (None, "")
    ]


def compute(using: str | None = None) -> dict:
    units = IKMUnit.objects.public()
    certs = Certification.objects.active().filter(unit__verified=True)
    if using:
        units, certs = units.using(using), certs.using(using)
    kab_names = dict(
        Region.objects.using(using or "default")
        .filter(code__startswith=PROVINCE_CODE + ".", code__regex=r"^\d+\.\d+$")
        .values_list("code", "name")
    )

    def grouped(queryset, field):
        return (
            queryset.values_list(field)
            .annotate(n=Count("id"))
            .order_by(field)
            .values_list(field, "n")
        )

    per_type = (
        certs.values_list("type")
        .annotate(
            n=Count(
                "products",
                filter=Q(products__is_published=True, products__unit__verified=True),
                distinct=True,
            )
        )
        .order_by("type")
        .values_list("type", "n")
    )
    return {
        "unit_per_kabupaten": _rows(grouped(units, "kabupaten_code"), kab_names),
        "unit_per_kbli": _rows(grouped(units, "kbli")),
        "unit_per_skala": _rows(grouped(units, "scale"), dict(Scale.choices)),
        "unit_per_tahun_berdiri": _rows(grouped(units, "year_established")),
        "produk_bersertifikat_per_jenis": _rows(
            [(t, n) for t, n in per_type if n], dict(CertificationType.choices)
        ),
        "diperbarui": timezone.now(),
    }


def statistics() -> dict:
    """The figures for the API (cached per catalog version)."""
    return versioned(CACHE_KEY, compute, version_key=CATALOG_VERSION_KEY, timeout=CACHE_SECONDS)


def long_rows(figures: dict):
    """(dimensi, kode, nama, jumlah) rows: the statistics dataset."""
    for dimension in DIMENSIONS:
        for row in figures[dimension]:
            yield {"dimensi": dimension, **row}
