"""Filters of the API lists (django-filter), with the public catalog's GET keys and meanings.

The product filters are the catalog's (``certifications.filters.ProductFilterBase``: kategori,
sertifikat, bintang, harga_min, harga_maks, marketplace), plus region codes and ``q`` read by
``products.search``. Region codes are free text here (an unknown code gives an empty list, not an
error).
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from certifications.filters import ProductFilterBase, in_order
from certifications.models import Certification, CertificationType
from ikm.models import CommodityGroup, IKMUnit, Region, Scale
from ikm.rules import PROVINCE_CODE
from products.search import apply_search, parse_query, prepare_search

MAX_QUERY_LENGTH = 200
CODE_LENGTH = 13  # the longest Kemendagri code (61.71.01.1001)


def kabupaten_names() -> dict[str, str]:
    """{code: name} of Kalbar's kab/kota: what ``products.search`` reads place names with."""
    return dict(
        Region.objects.filter(
            code__startswith=PROVINCE_CODE + ".",
            level__in=(Region.Level.KABUPATEN, Region.Level.KOTA),
        ).values_list("code", "name")
    )


def code_filter(field_name: str, label) -> django_filters.CharFilter:
    return django_filters.CharFilter(field_name=field_name, label=label, max_length=CODE_LENGTH)


@in_order(
    "q",
    "kategori",
    "kabupaten",
    "kecamatan",
    "sertifikat",
    "bintang",
    "harga_min",
    "harga_maks",
    "marketplace",
)
class ProductFilter(ProductFilterBase):
    q = django_filters.CharFilter(
        label=_("Kata pencarian (teks lengkap, toleran salah ketik)"),
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
    )
    kategori = django_filters.ChoiceFilter(
        label=_("Kode kelompok komoditas"), field_name="category", choices=CommodityGroup.choices
    )
    kabupaten = code_filter("unit__kabupaten_code", _("Kode kabupaten/kota (mis. 61.71)"))
    kecamatan = code_filter("unit__kecamatan_code", _("Kode kecamatan (mis. 61.71.01)"))
    sertifikat = django_filters.ChoiceFilter(
        label=_("Jenis sertifikat yang berlaku"),
        choices=CertificationType.choices,
        method="filter_certificate",
    )
    marketplace = django_filters.ChoiceFilter(
        label=_("Dijual di marketplace (1 = ya)"),
        choices=[("1", _("Ya"))],
        method="filter_marketplace",
    )

    class Meta(ProductFilterBase.Meta):
        pass

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        parsed = parse_query(value, kabupaten_names())
        prepare_search(parsed)
        return apply_search(queryset, parsed, rank=False)


class UnitFilter(django_filters.FilterSet):
    kategori = django_filters.ChoiceFilter(
        label=_("Kode kelompok komoditas"),
        field_name="commodity_group",
        choices=CommodityGroup.choices,
    )
    kabupaten = code_filter("kabupaten_code", _("Kode kabupaten/kota"))
    kecamatan = code_filter("kecamatan_code", _("Kode kecamatan"))
    desa = code_filter("desa_id", _("Kode desa/kelurahan"))
    kbli = django_filters.CharFilter(label=_("Kode KBLI (5 digit)"), max_length=5)
    skala = django_filters.ChoiceFilter(
        label=_("Skala usaha"), field_name="scale", choices=Scale.choices
    )

    class Meta:
        model = IKMUnit
        fields: list[str] = []


class RegionFilter(django_filters.FilterSet):
    tingkat = django_filters.ChoiceFilter(
        label=_("Tingkat wilayah"), field_name="level", choices=Region.Level.choices
    )
    induk = code_filter("parent_id", _("Kode wilayah induk"))

    class Meta:
        model = Region
        fields: list[str] = []


class CertificateFilter(django_filters.FilterSet):
    jenis = django_filters.ChoiceFilter(
        label=_("Jenis sertifikat"), field_name="type", choices=CertificationType.choices
    )
    unit = django_filters.CharFilter(
        label=_("Slug unit IKM"), field_name="unit__slug", max_length=220
    )

    class Meta:
        model = Certification
        fields: list[str] = []
