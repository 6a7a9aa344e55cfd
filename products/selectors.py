"""Reads for the public catalog and product pages (fixed query counts whatever the data size).

Facets: every facet value shows how many products the list would hold if that value were chosen,
i.e. the list filtered by every *other* parameter, grouped by the facet's field. Following a
facet link therefore gives exactly that many results (tests/public/test_catalog.py follows them
all). All facets come from one query: the search and the non-facet filters run once in a
materialised CTE, each facet then groups its rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Prefetch, QuerySet
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certifications.models import Certification
from ikm.models import CommodityGroup
from ikm.public_selectors import RegionIndex, kalbar_regions, public_product_cards

from .filters import OVOP_STAR_CHOICES, PUBLIC_CERT_TYPES, ProductFilter, Sort
from .models import Product
from .search import ParsedQuery, apply_search, parse_query, prepare_search

PAGE_SIZE = 24
PAGE_PARAM = "halaman"
MAX_PAGE_SIZE = 96
FACET_PARAMS = ("kategori", "kabupaten", "kecamatan", "sertifikat", "bintang", "marketplace")
PRICE_PARAMS = ("harga_min", "harga_maks")
# The landing catalog (no search, no filter) counts every public product for its facets: the
# most requested and most expensive state, cached like the home figures.
ALL_FACETS_CACHE_KEY = "public:catalog-facets-unfiltered:v1"
ALL_FACETS_CACHE_SECONDS = 300
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
    prepare_search(parsed)
    sort = cleaned.get("urut") or Sort.RELEVANCE
    results = apply_search(filterset.qs, parsed, rank=sort == Sort.RELEVANCE)
    results = _order(results, sort, searching=not parsed.is_empty)
    results = public_product_cards(results).prefetch_related(_active_certifications())
    facets, total = _facets(data, regions, parsed)
    paginator = Paginator(results, page_size)
    # The category facet already counted the list: no separate COUNT(*) query.
    paginator.__dict__["count"] = total
    page = paginator.get_page(data.get(PAGE_PARAM))
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


def _facet_rows(data: QueryDict, regions: RegionIndex, parsed: ParsedQuery):
    """Products matching everything but the facet parameters: (id, category, kab, kec)."""
    base_data = data.copy()
    for name in (*FACET_PARAMS, PAGE_PARAM, "urut"):
        base_data.pop(name, None)
    return (
        apply_search(_filterset(base_data, regions).qs, parsed, rank=False)
        .order_by()
        .annotate(kab=F("unit__kabupaten_code"), kec=F("unit__kecamatan_code"))
        .values("id", "category", "kab", "kec")
    )


# A certification valid today (Certification.objects.active()); %s is today's date.
_ACTIVE = "c.revoked_at IS NULL AND (c.valid_until IS NULL OR c.valid_until >= %s)"
_CERT_JOIN = (
    " JOIN certifications_certification_products cp ON cp.product_id = m.id"
    " JOIN certifications_certification c ON c.id = cp.certification_id AND " + _ACTIVE
)
# Facet parameter -> (condition on a row of m, params) with the same meaning as ProductFilter.
FACET_CONDITIONS = {
    "kategori": ("m.category = %s", lambda v, today: [v]),
    "kabupaten": ("m.kab = %s", lambda v, today: [v]),
    "kecamatan": ("m.kec = %s", lambda v, today: [v]),
    "sertifikat": (
        "EXISTS (SELECT 1 FROM certifications_certification_products cp"
        " JOIN certifications_certification c ON c.id = cp.certification_id"
        " WHERE cp.product_id = m.id AND c.type = %s AND " + _ACTIVE + ")",
        lambda v, today: [v, today],
    ),
    "bintang": (
        "EXISTS (SELECT 1 FROM certifications_certification_products cp"
        " JOIN certifications_certification c ON c.id = cp.certification_id"
        " WHERE cp.product_id = m.id AND c.type = 'ovop' AND c.ovop_stars = %s::int AND "
        + _ACTIVE
        + ")",
        lambda v, today: [v, today],
    ),
    "marketplace": (
        "EXISTS (SELECT 1 FROM products_marketplacelink l WHERE l.product_id = m.id)",
        lambda v, today: [],
    ),
}
# Facet -> (grouped value, extra FROM, its params, what is counted).
FACET_GROUPS = {
    "kategori": ("m.category", "", False),
    "kabupaten": ("m.kab", "", False),
    "kecamatan": ("m.kec", "", False),
    "sertifikat": ("c.type", _CERT_JOIN, True),
    "bintang": ("c.ovop_stars::text", _CERT_JOIN + " AND c.type = 'ovop'", True),
    "marketplace": ("'1'", "", False),
}


def _facet_counts(
    data: QueryDict, regions: RegionIndex, parsed: ParsedQuery, names: list[str]
) -> dict[str, dict[str, int]]:
    """Every facet's counts in ONE query: the search runs once (a materialised CTE), then each
    facet groups the rows that pass every *other* chosen facet value."""
    sql, params = _facet_rows(data, regions, parsed).query.sql_with_params()
    params = list(params)
    today = timezone.localdate()
    parts = []
    for name in names:
        value_sql, join, through_certs = FACET_GROUPS[name]
        params += [name] + ([today] if through_certs else [])
        where = ["TRUE"]
        if name == "marketplace":
            where.append(FACET_CONDITIONS["marketplace"][0])
        for other in FACET_PARAMS:
            if other != name and data.get(other):
                condition, make_params = FACET_CONDITIONS[other]
                where.append(condition)
                params += make_params(data[other], today)
        counted = "count(DISTINCT m.id)" if through_certs else "count(*)"
        parts.append(
            f"SELECT %s AS facet, {value_sql} AS value, {counted} AS n FROM m{join} "
            f"WHERE {' AND '.join(where)} GROUP BY 2"
        )
    query = f"WITH m AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts)
    counts: dict[str, dict[str, int]] = {name: {} for name in names}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for facet, value, n in cursor.fetchall():
            if value is not None:
                counts[facet][str(value)] = n
    return counts


def _facets(data: QueryDict, regions: RegionIndex, parsed: ParsedQuery) -> tuple[list[Facet], int]:
    """The facets and the list's count, from one query (see :func:`_facet_counts`).

    Every product has a category, so the category facet also gives the number of results: the
    count of the chosen category, or the sum over all categories when none is chosen.
    """
    kabupaten = data.get("kabupaten")
    show_kecamatan = kabupaten in regions.kabupaten
    names = [n for n in FACET_PARAMS if n != "kecamatan" or show_kecamatan]
    unfiltered = parsed.is_empty and not any(data.get(k) for k in (*FACET_PARAMS, *PRICE_PARAMS))
    counts = cache.get(ALL_FACETS_CACHE_KEY) if unfiltered else None
    if counts is None:
        counts = _facet_counts(data, regions, parsed, names)
        if unfiltered:
            cache.set(ALL_FACETS_CACHE_KEY, counts, ALL_FACETS_CACHE_SECONDS)

    def build(name: str, label, choices) -> Facet:
        current = data.get(name)
        facet = Facet(name, label, clear_url=_url(data, **{name: None}))
        for value, text in choices:
            count = counts[name].get(value, 0)
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

    facets = [
        build("kategori", _("Kategori"), CommodityGroup.choices),
        build("kabupaten", _("Kabupaten/kota"), regions.kabupaten_choices()),
    ]
    if show_kecamatan:
        facets.append(build("kecamatan", _("Kecamatan"), regions.kecamatan_choices(kabupaten)))
    star_choices = [(value, f"{value}★") for value, _label in OVOP_STAR_CHOICES[::-1]]
    facets += [
        build("sertifikat", _("Sertifikat"), PUBLIC_CERT_TYPES),
        build("bintang", _("Bintang OVOP"), star_choices),
        build("marketplace", _("Marketplace"), [("1", _("Dijual di marketplace"))]),
    ]
    chosen = data.get("kategori")
    total = counts["kategori"].get(chosen, 0) if chosen else sum(counts["kategori"].values())
    return facets, total


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
