"""IKM directory filters (django-filter): the public list of verified units."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from certifications.models import Certification
from ikm.models import CommodityGroup, IKMUnit
from public.filters import MAX_QUERY_LENGTH, PUBLIC_CERT_TYPES, PublicFilterSet


class UnitFilter(PublicFilterSet):
    q = django_filters.CharFilter(
        label=_("Cari unit IKM"), method="filter_nothing", max_length=MAX_QUERY_LENGTH
    )
    kategori = django_filters.ChoiceFilter(
        label=_("Kelompok komoditas"), field_name="commodity_group", choices=CommodityGroup.choices
    )
    kabupaten = django_filters.ChoiceFilter(
        label=_("Kabupaten/kota"), field_name="kabupaten_code", choices=[]
    )
    kecamatan = django_filters.ChoiceFilter(
        label=_("Kecamatan"), field_name="kecamatan_code", choices=[]
    )
    sertifikat = django_filters.ChoiceFilter(
        label=_("Sertifikat"), choices=PUBLIC_CERT_TYPES, method="filter_certificate"
    )
    sentra = django_filters.ChoiceFilter(
        label=_("Sentra IKM"), choices=[("1", _("Anggota sentra"))], method="filter_sentra"
    )

    class Meta:
        model = IKMUnit
        fields: list[str] = []

    def filter_certificate(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Exists(Certification.objects.active().filter(unit=OuterRef("pk"), type=value))
        )

    def filter_sentra(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(sentra__isnull=False) if value == "1" else queryset


def unit_text_q(term: str) -> Q:
    """A word in the unit's name or description, accents and case ignored."""
    # folded_* are f_unaccent(lower(...)) annotations added by public.selectors.directory.
    return Q(folded_name__contains=term) | Q(folded_description__contains=term)
