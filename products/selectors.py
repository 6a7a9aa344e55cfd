"""Reads for the public catalog and product pages (fixed query counts whatever the data size).

Facets: every facet value shows how many products the list would hold if that value were chosen,
i.e. the list filtered by every *other* parameter, grouped by the facet's field — one aggregate
query per facet. Following a facet link therefore gives exactly that many results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certifications.models import Certification, CertificationType
from ikm.models import CommodityGroup
from ikm.public_selectors import RegionIndex, kalbar_regions, public_product_cards

from .filters import OVOP_STAR_CHOICES, PUBLIC_CERT_TYPES, ProductFilter, Sort, marketplace_exists
from .models import Product
from .search import ParsedQuery, apply_search, parse_query, set_similarity_threshold

PAGE_SIZE = 24
PAGE_PARAM = "halaman"
MAX_PAGE_SIZE = 96
FACET_PARAMS = ("kategori", "kabupaten", "kecamatan", "sertifikat", "bintang", "marketplace")
# Choosing another value of the key drops these (a kecamatan belongs to one kab/kota).
DEPENDENT_PARAMS = {"kabupaten": ("kecamatan",)}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    url: str
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)
    clear_url: str = ""

    @property
    def selected(self) -> FacetValue | None:
        return next((v for v in self.values if v.selected), None)


@dataclass
class Catalog:
    filterset: ProductFilter
    page: Page
    facets: list[Facet]
    parsed: ParsedQuery
    regions: RegionIndex
    sort: str
    errors: list[str]
    active_filters: list[tuple[str, str]]  # (label, remove url)

    @property
    def count(self) -> int:
        return self.page.paginator.count


def _url(params: QueryDict, **changes: str | None) -> str:
    data = params.copy()
    data.pop(PAGE_PARAM, None)
    for key, value in changes.items():
        data.pop(key, None)
        for dependent in DEPENDENT_PARAMS.get(key, ()):
            data.pop(dependent, None)
        if value is not None:
            data[key] = value
    encoded = data.urlencode()
    return f"?{encoded}" if encoded else "?"


def _clean_params(params: QueryDict) -> QueryDict:
    """Keep one value per known key; empty values are the same as absent ones."""
    known = set(ProductFilter.base_filters) | {PAGE_PARAM}
    data = QueryDict(mutable=True)
    for key in known:
        value = params.get(key, "")
        if value.strip():
            data[key] = value.strip()
    return data


def _filterset(data: QueryDict, regions: RegionIndex) -> ProductFilter:
    return ProductFilter(
        data,
        queryset=Product.objects.public(),
        kabupaten_choices=regions.kabupaten_choices(),
        kecamatan_choices=regions.kecamatan_choices(),
    )


def _order(queryset: QuerySet, sort: str, searching: bool) -> QuerySet:
    if sort == Sort.NEWEST:
        return queryset.order_by("-created_at", "-id")
    if sort == Sort.PRICE_ASC:
        return queryset.order_by(F("price").asc(nulls_last=True), "-id")
    if sort == Sort.PRICE_DESC:
        return queryset.order_by(F("price").desc(nulls_last=True), "-id")
    if searching:
        return queryset.order_by("-rank", "-is_selected", "-created_at", "-id")
    return queryset.order_by("-is_selected", "-created_at", "-id")


def _active_certifications():
    return Prefetch(
        "certifications",
        queryset=Certification.objects.active().only("id", "type", "ovop_stars").order_by("type"),
        to_attr="active_certifications",
    )


def catalog(params: QueryDict, *, page_size: int = PAGE_SIZE) -> Catalog:
    """The catalog page for GET ``params``: filtered, searched, sorted, paginated, faceted."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    data = _clean_params(params)
    regions = kalbar_regions()
    filterset = _filterset(data, regions)
    empty_page = Paginator(Product.objects.none(), page_size).get_page(1)

    if not filterset.is_valid():
        errors = [
            f"{filterset.form.fields[name].label}: {' '.join(messages)}"
            for name, messages in filterset.form.errors.items()
        ]
        return Catalog(
            filterset, empty_page, [], ParsedQuery(), regions, Sort.RELEVANCE, errors, []
        )

    cleaned = filterset.form.cleaned_data
    parsed = parse_query(cleaned.get("q") or "", regions.kabupaten)
    if not parsed.is_empty:
        set_similarity_threshold()
    sort = cleaned.get("urut") or Sort.RELEVANCE
    results = apply_search(filterset.qs, parsed, rank=sort == Sort.RELEVANCE)
    results = _order(results, sort, searching=not parsed.is_empty)
    results = public_product_cards(results).prefetch_related(_active_certifications())
    page = Paginator(results, page_size).get_page(data.get(PAGE_PARAM))

    facets = _facets(data, regions, parsed)
    return Catalog(
        filterset,
        page,
        facets,
        parsed,
        regions,
        sort,
        [],
        _active_filters(data, facets),
    )


def _facet_queryset(data: QueryDict, name: str, regions: RegionIndex, parsed: ParsedQuery):
    without = data.copy()
    without.pop(name, None)
    without.pop(PAGE_PARAM, None)
    filterset = _filterset(without, regions)
    return apply_search(filterset.qs, parsed, rank=False).order_by()


def _facets(data: QueryDict, regions: RegionIndex, parsed: ParsedQuery) -> list[Facet]:
    """One aggregate query per facet (five, six with a kab/kota chosen)."""
    facets: list[Facet] = []

    def build(name: str, label, choices, counts: dict) -> Facet:
        current = data.get(name)
        facet = Facet(name, label, clear_url=_url(data, **{name: None}))
        for value, text in choices:
            count = counts.get(value, 0)
            selected = value == current
            if count or selected:
                facet.values.append(
                    FacetValue(
                        value,
                        str(text),
                        count,
                        _url(data, **{name: None if selected else value}),
                        selected,
                    )
                )
        return facet

    qs = _facet_queryset(data, "kategori", regions, parsed)
    counts = dict(qs.values_list("category").annotate(n=Count("id")))
    facets.append(build("kategori", _("Kategori"), CommodityGroup.choices, counts))

    qs = _facet_queryset(data, "kabupaten", regions, parsed)
    counts = dict(qs.values_list("unit__kabupaten_code").annotate(n=Count("id")))
    facets.append(build("kabupaten", _("Kabupaten/kota"), regions.kabupaten_choices(), counts))

    kabupaten = data.get("kabupaten")
    if kabupaten in regions.kabupaten:
        qs = _facet_queryset(data, "kecamatan", regions, parsed)
        counts = dict(qs.values_list("unit__kecamatan_code").annotate(n=Count("id")))
        facets.append(
            build("kecamatan", _("Kecamatan"), regions.kecamatan_choices(kabupaten), counts)
        )

    today = timezone.localdate()
    active = Q(certification__revoked_at__isnull=True) & (
        Q(certification__valid_until__isnull=True) | Q(certification__valid_until__gte=today)
    )
    through = Certification.products.through

    qs = _facet_queryset(data, "sertifikat", regions, parsed)
    counts = dict(
        through.objects.filter(active, product_id__in=qs.values("id"))
        .values_list("certification__type")
        .annotate(n=Count("product_id", distinct=True))
        .order_by()
    )
    facets.append(build("sertifikat", _("Sertifikat"), PUBLIC_CERT_TYPES, counts))

    qs = _facet_queryset(data, "bintang", regions, parsed)
    counts = dict(
        through.objects.filter(
            active,
            certification__type=CertificationType.OVOP,
            product_id__in=qs.values("id"),
        )
        .values_list("certification__ovop_stars")
        .annotate(n=Count("product_id", distinct=True))
        .order_by()
    )
    counts = {str(stars): n for stars, n in counts.items()}
    star_choices = [(value, f"{value}★") for value, _label in OVOP_STAR_CHOICES[::-1]]
    facets.append(build("bintang", _("Bintang OVOP"), star_choices, counts))

    qs = _facet_queryset(data, "marketplace", regions, parsed)
    count = qs.filter(marketplace_exists()).count()
    facets.append(
        build("marketplace", _("Marketplace"), [("1", _("Dijual di marketplace"))], {"1": count})
    )
    return facets


def _active_filters(data: QueryDict, facets: list[Facet]) -> list[tuple[str, str]]:
    chips = []
    for facet in facets:
        selected = facet.selected
        if selected:
            chips.append((f"{facet.label}: {selected.label}", facet.clear_url))
    if data.get("q"):
        chips.insert(0, (f"“{data['q'][:60]}”", _url(data, q=None)))
    for key, label in (("harga_min", _("Harga ≥")), ("harga_maks", _("Harga ≤"))):
        if data.get(key):
            chips.append((f"{label} Rp{data[key]}", _url(data, **{key: None})))
    return chips


# --- product page -------------------------------------------------------------------------------
def product_for_page(slug: str) -> Product:
    """A public product with everything its page shows (5 queries)."""
    queryset = (
        Product.objects.public()
        .select_related("unit__desa__parent__parent", "unit__sentra")
        .prefetch_related(
            "photos",
            "marketplace_links",
            Prefetch(
                "certifications",
                queryset=Certification.objects.with_status().order_by("type", "-issued_on"),
            ),
        )
    )
    return get_object_or_404(queryset, slug=slug)


def related_products(product: Product, limit: int = 4) -> list[Product]:
    """Same category from the same kab/kota, newest first (2 queries)."""
    queryset = (
        Product.objects.public()
        .filter(category=product.category, unit__kabupaten_code=product.unit.kabupaten_code)
        .exclude(pk=product.pk)
        .order_by("-created_at", "-id")
    )
    return list(public_product_cards(queryset)[:limit])
