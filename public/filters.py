"""Catalog filters (django-filter). Parameter names are the Indonesian GET keys of shareable URLs.

Choices that come from the database (kab/kota, kecamatan) are passed in by the selector, which
loads them once per request (see ``public.selectors.kalbar_regions``).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from certifications.models import Certification, CertificationType
from ikm.models import CommodityGroup
from products.models import MarketplaceLink, Product

MAX_PRICE = 10**12
MAX_QUERY_LENGTH = 200

# Certification types a buyer can filter on (HAKI other than merek is rare in the catalog).
PUBLIC_CERT_TYPES = [
    (CertificationType.HALAL.value, CertificationType.HALAL.label),
    (CertificationType.OVOP.value, CertificationType.OVOP.label),
    (CertificationType.MEREK.value, CertificationType.MEREK.label),
    (CertificationType.SPP_IRT.value, CertificationType.SPP_IRT.label),
    (CertificationType.SNI.value, CertificationType.SNI.label),
    (CertificationType.BPOM_MD.value, CertificationType.BPOM_MD.label),
]
OVOP_STAR_CHOICES = [(str(n), str(n)) for n in range(1, 6)]
# Choosing another value of the key drops these (a kecamatan belongs to one kab/kota).
DEPENDENT_PARAMS = {"kabupaten": ("kecamatan",)}


class Sort:
    RELEVANCE = "relevan"
    NEWEST = "terbaru"
    PRICE_ASC = "harga_naik"
    PRICE_DESC = "harga_turun"
    CHOICES = [
        (RELEVANCE, _("Paling relevan")),
        (NEWEST, _("Terbaru")),
        (PRICE_ASC, _("Harga termurah")),
        (PRICE_DESC, _("Harga termahal")),
    ]


def active_certification_exists(**filters) -> Exists:
    """A product holds a certification valid today matching ``filters``."""
    return Exists(Certification.objects.active().filter(products=OuterRef("pk"), **filters))


def marketplace_exists() -> Exists:
    return Exists(MarketplaceLink.objects.filter(product=OuterRef("pk")))


class PublicFilterSet(django_filters.FilterSet):
    """A public list's filters: region choices given by the view, ``q`` left to the view."""

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        kabupaten_choices: list[tuple[str, str]] = (),
        kecamatan_choices: list[tuple[str, str]] = (),
        **kwargs,
    ):
        super().__init__(data, queryset, **kwargs)
        self.filters["kabupaten"].extra["choices"] = list(kabupaten_choices)
        self.filters["kecamatan"].extra["choices"] = list(kecamatan_choices)

    def filter_nothing(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset


class ProductFilter(PublicFilterSet):
    """``q`` is parsed by products.search (it needs the region names): not filtered here."""

    q = django_filters.CharFilter(
        label=_("Cari produk"), method="filter_nothing", max_length=MAX_QUERY_LENGTH
    )
    kategori = django_filters.ChoiceFilter(
        label=_("Kategori"), field_name="category", choices=CommodityGroup.choices
    )
    kabupaten = django_filters.ChoiceFilter(
        label=_("Kabupaten/kota"), field_name="unit__kabupaten_code", choices=[]
    )
    kecamatan = django_filters.ChoiceFilter(
        label=_("Kecamatan"), field_name="unit__kecamatan_code", choices=[]
    )
    sertifikat = django_filters.ChoiceFilter(
        label=_("Sertifikat"), choices=PUBLIC_CERT_TYPES, method="filter_certificate"
    )
    bintang = django_filters.ChoiceFilter(
        label=_("Bintang OVOP"), choices=OVOP_STAR_CHOICES, method="filter_ovop_stars"
    )
    harga_min = django_filters.NumberFilter(
        label=_("Harga minimum (Rp)"),
        field_name="price",
        lookup_expr="gte",
        min_value=0,
        max_value=MAX_PRICE,
        decimal_places=0,
    )
    harga_maks = django_filters.NumberFilter(
        label=_("Harga maksimum (Rp)"),
        field_name="price",
        lookup_expr="lte",
        min_value=0,
        max_value=MAX_PRICE,
        decimal_places=0,
    )
    marketplace = django_filters.ChoiceFilter(
        label=_("Dijual di marketplace"),
        choices=[("1", _("Ya"))],
        method="filter_marketplace",
    )
    urut = django_filters.ChoiceFilter(
        label=_("Urutkan"), choices=Sort.CHOICES, method="filter_nothing", empty_label=None
    )

    class Meta:
        model = Product
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("harga_min", "harga_maks"):
            self.filters[name].extra["widget"] = forms.NumberInput(
                attrs={"inputmode": "numeric", "min": 0, "step": 1000}
            )

    def filter_certificate(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(active_certification_exists(type=value))

    def filter_ovop_stars(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            active_certification_exists(type=CertificationType.OVOP, ovop_stars=int(value))
        )

    def filter_marketplace(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(marketplace_exists()) if value == "1" else queryset
