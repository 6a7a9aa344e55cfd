"""Reads for the public catalog and product pages (fixed query counts whatever the data size).

Facets: every facet value shows how many products the list would hold if that value were chosen,
i.e. the list filtered by every *other* parameter, grouped by the facet's field. Following a
facet link therefore gives exactly that many results (tests/public/test_catalog.py follows them
all). All facets come from one query: the search and the non-facet filters run once in a
materialised CTE, each facet then groups its rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connections, router, transaction
from django.db.models import F, Prefetch, QuerySet
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certifications.models import Certification
from core.facets import PAGE_PARAM, Facet, active_filters, build_facet
from core.forms import form_error_lines
from ikm.models import CommodityGroup
from products.models import Product
from products.search import ParsedQuery, apply_search, parse_query, prepare_search
from public.filters import (
    DEPENDENT_PARAMS,
    OVOP_STAR_CHOICES,
    PUBLIC_CERT_TYPES,
    ProductFilter,
    Sort,
)
from public.selectors import RegionIndex, kalbar_regions, public_product_cards

PAGE_SIZE = 24
MAX_PAGE_SIZE = 96
FACET_PARAMS = ("kategori", "kabupaten", "kecamatan", "sertifikat", "bintang", "marketplace")
PRICE_PARAMS = ("harga_min", "harga_maks")
# The landing catalog (no search, no filter) counts every public product for its facets: the
# most requested and most expensive state, cached like the home figures.
ALL_FACETS_CACHE_KEY = "public:catalog-facets-unfiltered:v1"
ALL_FACETS_CACHE_SECONDS = 300


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
        errors = form_error_lines(filterset.form)
        return Catalog(
            filterset, empty_page, [], ParsedQuery(), regions, Sort.RELEVANCE, errors, []
        )

    cleaned = filterset.form.cleaned_data
    parsed = parse_query(cleaned.get("q") or "", regions.kabupaten)
    # One transaction on the database the product reads go to (the replica on public pages):
    # behind PgBouncer (transaction pooling) the search then runs on the server connection
    # whose trigram threshold prepare_search has just set.
    with transaction.atomic(using=router.db_for_read(Product), savepoint=False):
        return _search(filterset, data, regions, parsed, page_size)


def _search(filterset, data: QueryDict, regions, parsed: ParsedQuery, page_size: int) -> Catalog:
    cleaned = filterset.form.cleaned_data
    prepare_search(parsed)
    sort = cleaned.get("urut") or Sort.RELEVANCE
    results = apply_search(filterset.qs, parsed, rank=sort == Sort.RELEVANCE)
    results = _order(results, sort, searching=not parsed.is_empty)
    results = public_product_cards(results).prefetch_related(_active_certifications())
    try:
        wanted = int(data.get(PAGE_PARAM) or 1)
    except ValueError:
        wanted = 1
    listing = ListSpec(sort, not parsed.is_empty, wanted, page_size)
    facets, total, page_ids = _facets(data, regions, parsed, listing)
    paginator = Paginator(results, page_size)
    # The category facet already counted the list: no separate COUNT(*) query.
    paginator.__dict__["count"] = total
    number = wanted if 1 <= wanted <= paginator.num_pages else paginator.num_pages
    if page_ids is not None and number == wanted:
        # The facet query also chose this page's products: fetch just those rows by key.
        by_id = {
            p.id: p
            for p in public_product_cards(Product.objects.filter(id__in=page_ids))
            .prefetch_related(_active_certifications())
            .order_by()
        }
        page = Page([by_id[i] for i in page_ids if i in by_id], number, paginator)
    else:  # cached facets (landing page) or a page number out of range
        page = paginator.page(number)
        page.object_list = list(page.object_list)  # now, inside the transaction
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


@dataclass
class ListSpec:
    """Which page of the list the facet query should also return (see _facet_counts)."""

    sort: str
    searching: bool
    page: int
    page_size: int

    @property
    def order_sql(self) -> str:
        """The ORDER BY of _order(), on the columns of the facet rows."""
        if self.sort == Sort.NEWEST:
            return "m.created_at DESC, m.id DESC"
        if self.sort == Sort.PRICE_ASC:
            return "m.price ASC NULLS LAST, m.id DESC"
        if self.sort == Sort.PRICE_DESC:
            return "m.price DESC NULLS LAST, m.id DESC"
        if self.searching:
            return "m.rank DESC, m.is_selected DESC, m.created_at DESC, m.id DESC"
        return "m.is_selected DESC, m.created_at DESC, m.id DESC"


def _facet_rows(data: QueryDict, regions: RegionIndex, parsed: ParsedQuery):
    """Products matching everything but the facet parameters, with what the facets group by
    and what the list sorts by: (id, category, kab, kec, is_selected, created_at, price[, rank])."""
    base_data = data.copy()
    for name in (*FACET_PARAMS, PAGE_PARAM, "urut"):
        base_data.pop(name, None)
    searching = not parsed.is_empty
    columns = ["id", "category", "kab", "kec", "is_selected", "created_at", "price"]
    return (
        apply_search(_filterset(base_data, regions).qs, parsed, rank=searching)
        .order_by()
        .annotate(kab=F("unit__kabupaten_code"), kec=F("unit__kecamatan_code"))
        .values(*columns, *(["rank"] if searching else []))
    )


# Helper tables of the facet query, computed once from m (the products matching the search):
# mc = their certificates valid today (Certification.objects.active(); %s is today's date),
# mm = those sold on a marketplace. A search leaves few rows in m: look their certificates up
# row by row (index probes); without one, m is the whole catalog: hash all valid certificates.
_ACTIVE = "c.revoked_at IS NULL AND (c.valid_until IS NULL OR c.valid_until >= %s)"
_MC_BY_ROW = (
    "mc AS MATERIALIZED (SELECT m.id, x.type, x.ovop_stars FROM m CROSS JOIN LATERAL ("
    "SELECT c.type, c.ovop_stars FROM certifications_certification_products cp"
    " JOIN certifications_certification c ON c.id = cp.certification_id"
    " WHERE cp.product_id = m.id AND " + _ACTIVE + " OFFSET 0) AS x)"  # OFFSET 0: no pull-up
)
_MC_BY_HASH = (
    "mc AS MATERIALIZED (SELECT cp.product_id AS id, c.type, c.ovop_stars FROM m"
    " JOIN certifications_certification_products cp ON cp.product_id = m.id"
    " JOIN certifications_certification c ON c.id = cp.certification_id WHERE " + _ACTIVE + ")"
)
_MM = (
    "mm AS MATERIALIZED (SELECT DISTINCT l.product_id AS id FROM m"
    " JOIN products_marketplacelink l ON l.product_id = m.id)"
)
# Facet parameter -> condition on a row of m, with the same meaning as the ProductFilter filter.
FACET_CONDITIONS = {
    "kategori": "m.category = %s",
    "kabupaten": "m.kab = %s",
    "kecamatan": "m.kec = %s",
    "sertifikat": "m.id IN (SELECT id FROM mc WHERE type = %s)",
    "bintang": "m.id IN (SELECT id FROM mc WHERE type = 'ovop' AND ovop_stars = %s::int)",
    "marketplace": "m.id IN (SELECT id FROM mm) AND %s = '1'",
}
# Facet -> (grouped value, FROM and condition of the grouped rows). Certificates and
# marketplaces are grouped from their helper table, restricted to the rows of m that pass the
# other facets (a hashed semi-join: a plain join made the planner loop over m × mc).
FACET_GROUPS = {
    "kategori": ("m.category", "m", "TRUE"),
    "kabupaten": ("m.kab", "m", "TRUE"),
    "kecamatan": ("m.kec", "m", "TRUE"),
    "sertifikat": ("g.type", "mc AS g", "TRUE"),
    "bintang": ("g.ovop_stars::text", "mc AS g", "g.type = 'ovop'"),
    "marketplace": ("'1'", "mm AS g", "TRUE"),
}


def facet_query(
    data: QueryDict,
    regions: RegionIndex,
    parsed: ParsedQuery,
    names: list[str],
    listing: ListSpec | None = None,
) -> tuple[str, list]:
    """SQL and parameters of the facet query (see :func:`_facet_counts`; bench/ explains it)."""
    sql, params = _facet_rows(data, regions, parsed).query.sql_with_params()
    params = [*params, timezone.localdate()]  # the CTE m, then mc's date
    parts = []

    def where_all_but(skip: str | None) -> str:
        where = ["TRUE"]
        for other in FACET_PARAMS:
            if other != skip and data.get(other):
                where.append(FACET_CONDITIONS[other])
                params.append(data[other])
        return " AND ".join(where)

    for name in names:
        value_sql, source, condition = FACET_GROUPS[name]
        params.append(name)
        if source == "m":
            parts.append(
                f"(SELECT %s AS facet, {value_sql} AS value, count(*) AS n FROM m "
                f"WHERE {where_all_but(name)} GROUP BY 2)"
            )
        else:
            parts.append(
                f"(SELECT %s AS facet, {value_sql} AS value, count(DISTINCT g.id) AS n "
                f"FROM {source} WHERE {condition} AND g.id IN "
                f"(SELECT m.id FROM m WHERE {where_all_but(name)}) GROUP BY 2)"
            )
    if listing is not None:
        order = listing.order_sql
        parts.append(
            f"(SELECT '{LIST_MARK}' AS facet, m.id::text AS value, "
            f"row_number() OVER (ORDER BY {order}) AS n FROM m "
            f"WHERE {where_all_but(None)} ORDER BY {order} LIMIT %s OFFSET %s)"
        )
        params += [listing.page_size, (max(listing.page, 1) - 1) * listing.page_size]
    mc = _MC_BY_HASH if parsed.is_empty else _MC_BY_ROW
    return f"WITH m AS MATERIALIZED ({sql}), {mc}, {_MM} " + " UNION ALL ".join(parts), params


def _facet_counts(
    data: QueryDict,
    regions: RegionIndex,
    parsed: ParsedQuery,
    names: list[str],
    listing: ListSpec | None = None,
) -> tuple[dict[str, dict[str, int]], list[int]]:
    """Every facet's counts in ONE query: the search runs once (a materialised CTE), then each
    facet groups the rows that pass every *other* chosen facet value. With ``listing``, the
    same query also returns the ids of that page of the list (rows passing *every* value)."""
    query, params = facet_query(data, regions, parsed, names, listing)
    counts: dict[str, dict[str, int]] = {name: {} for name in names}
    page: list[tuple[int, int]] = []
    with connections[router.db_for_read(Product)].cursor() as cursor:
        cursor.execute(query, params)
        for facet, value, n in cursor.fetchall():
            if facet == LIST_MARK:
                page.append((n, int(value)))
            elif value is not None:
                counts[facet][str(value)] = n
    return counts, [product_id for _n, product_id in sorted(page)]


LIST_MARK = "__list__"


def refresh_unfiltered_facets() -> None:
    """Recompute the landing page's cached facet counts (beat runs this before they expire, so
    no visitor waits for the uncached query)."""
    regions = kalbar_regions()
    names = [n for n in FACET_PARAMS if n != "kecamatan"]
    counts, _page_ids = _facet_counts(QueryDict(), regions, ParsedQuery(), names, None)
    cache.set(ALL_FACETS_CACHE_KEY, counts, ALL_FACETS_CACHE_SECONDS)


def _facets(
    data: QueryDict, regions: RegionIndex, parsed: ParsedQuery, listing: ListSpec | None = None
) -> tuple[list[Facet], int, list[int] | None]:
    """The facets and the list's count, from one query (see :func:`_facet_counts`).

    Every product has a category, so the category facet also gives the number of results: the
    count of the chosen category, or the sum over all categories when none is chosen.
    """
    kabupaten = data.get("kabupaten")
    show_kecamatan = kabupaten in regions.kabupaten
    names = [n for n in FACET_PARAMS if n != "kecamatan" or show_kecamatan]
    unfiltered = parsed.is_empty and not any(data.get(k) for k in (*FACET_PARAMS, *PRICE_PARAMS))
    counts = cache.get(ALL_FACETS_CACHE_KEY) if unfiltered else None
    page_ids = None
    if counts is None:
        counts, page_ids = _facet_counts(data, regions, parsed, names, listing)
        if unfiltered:
            cache.set(ALL_FACETS_CACHE_KEY, counts, ALL_FACETS_CACHE_SECONDS)
        if listing is None:
            page_ids = None

    def build(name: str, label, choices) -> Facet:
        return build_facet(data, name, label, choices, counts[name], dependent=DEPENDENT_PARAMS)

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
    return facets, total, page_ids


def _active_filters(data: QueryDict, facets: list[Facet]) -> list[tuple[str, str]]:
    prices = [("harga_min", f"{_('Harga ≥')} Rp"), ("harga_maks", f"{_('Harga ≤')} Rp")]
    return active_filters(data, facets, more=prices, dependent=DEPENDENT_PARAMS)


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
