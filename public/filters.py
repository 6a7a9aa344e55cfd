"""Catalog filters (django-filter). Parameter names are the Indonesian GET keys of shareable URLs.

Choices that come from the database (kab/kota, kecamatan) are passed in by the selector, which
loads them once per request (see ``public.selectors.kalbar_regions``).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from certifications.filters import ProductFilterBase, in_order
from certifications.models import CertificationType

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
    "urut",
)
class ProductFilter(PublicFilterSet, ProductFilterBase):
    """``q`` is parsed by products.search (it needs the region names): not filtered here."""

    q = django_filters.CharFilter(
        label=_("Cari produk"), method="filter_nothing", max_length=MAX_QUERY_LENGTH
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
    urut = django_filters.ChoiceFilter(
        label=_("Urutkan"), choices=Sort.CHOICES, method="filter_nothing", empty_label=None
    )

    class Meta(ProductFilterBase.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("harga_min", "harga_maks"):
            self.filters[name].extra["widget"] = forms.NumberInput(
                attrs={"inputmode": "numeric", "min": 0, "step": 1000}
            )
