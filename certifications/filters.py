"""The product filters every surface shares (django-filter): category, certificate valid today,
OVOP stars, price range, sold on a marketplace. Here because a product's certificates are this
app's; the public catalog (``public.filters``) and the open-data API (``api.filters``) subclass
``ProductFilterBase`` with their own labels, choices and search, so one GET key means one thing.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from ikm.models import CommodityGroup
from products.models import MarketplaceLink, Product

from .models import Certification, CertificationType

MAX_PRICE = 10**12
OVOP_STAR_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


def active_certification_exists(**filters) -> Exists:
    """A product holds a certification valid today matching ``filters``."""
    return Exists(Certification.objects.active().filter(products=OuterRef("pk"), **filters))


def marketplace_exists() -> Exists:
    return Exists(MarketplaceLink.objects.filter(product=OuterRef("pk")))


def price_filter(label, lookup_expr: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(
        label=label,
        field_name="price",
        lookup_expr=lookup_expr,
        min_value=0,
        max_value=MAX_PRICE,
        decimal_places=0,
    )


def in_order(*names: str):
    """Class decorator: these filters first, in this order (form fields, schema parameters);
    django-filter would put the base class's filters before the subclass's own."""

    def decorate(cls):
        rest = {n: f for n, f in cls.base_filters.items() if n not in names}
        cls.base_filters = {n: cls.base_filters[n] for n in names} | rest
        return cls

    return decorate


class ProductFilterBase(django_filters.FilterSet):
    kategori = django_filters.ChoiceFilter(
        label=_("Kategori"), field_name="category", choices=CommodityGroup.choices
    )
    sertifikat = django_filters.ChoiceFilter(
        label=_("Sertifikat"), choices=CertificationType.choices, method="filter_certificate"
    )
    bintang = django_filters.ChoiceFilter(
        label=_("Bintang OVOP"), choices=OVOP_STAR_CHOICES, method="filter_ovop_stars"
    )
    harga_min = price_filter(_("Harga minimum (Rp)"), "gte")
    harga_maks = price_filter(_("Harga maksimum (Rp)"), "lte")
    marketplace = django_filters.ChoiceFilter(
        label=_("Dijual di marketplace"), choices=[("1", _("Ya"))], method="filter_marketplace"
    )

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_certificate(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(active_certification_exists(type=value))

    def filter_ovop_stars(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            active_certification_exists(type=CertificationType.OVOP, ovop_stars=int(value))
        )

    def filter_marketplace(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(marketplace_exists()) if value == "1" else queryset
