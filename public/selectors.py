"""Reads for the public site: regions, home figures, the kab/kota map, the IKM directory.

Only verified units (``IKMUnit.objects.public()``) and published products of verified units
(``Product.objects.public()``) ever leave these functions. Each function runs a fixed number of
queries whatever the amount of data (asserted in tests/public/test_query_counts.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connections, router
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _l

from certifications.models import Certification, CertificationType
from core.cache import versioned
from core.facets import PAGE_PARAM, active_filters, build_facet, page_number
from core.forms import form_error_lines
from ikm.models import CommodityGroup, IKMUnit, Region
from ikm.regions import KABUPATEN_GEOJSON
from ikm.rules import PROVINCE_CODE
from products.models import Product, ProductPhoto
from products.search import FoldedName, parse_query
from public.filters import DEPENDENT_PARAMS
from public.models import CatalogCount, CatalogKabCount, CatalogRow, UnitCount
from public.unit_filters import UnitFilter, unit_text_q

KABKOTA_LEVELS = (Region.Level.KABUPATEN, Region.Level.KOTA)


# --- regions ------------------------------------------------------------------------------------
@dataclass
class RegionIndex:
    """The kab/kota and kecamatan of Kalbar, loaded in one query."""

    kabupaten: dict[str, str] = field(default_factory=dict)  # code -> name
    kecamatan: dict[str, str] = field(default_factory=dict)  # code -> name

    def kabupaten_choices(self) -> list[tuple[str, str]]:
        return sorted(self.kabupaten.items(), key=lambda item: item[1])

    def kecamatan_choices(self, kabupaten_code: str | None = None) -> list[tuple[str, str]]:
        items = [
            (code, name)
            for code, name in self.kecamatan.items()
            if not kabupaten_code or code.startswith(kabupaten_code + ".")
        ]
        return sorted(items, key=lambda item: item[1])


def kalbar_regions() -> RegionIndex:
    index = RegionIndex()
    rows = Region.objects.filter(
        code__startswith=PROVINCE_CODE + ".",
        level__in=(*KABKOTA_LEVELS, Region.Level.KECAMATAN),
    ).values_list("code", "name", "level")
    for code, name, level in rows:
        if level == Region.Level.KECAMATAN:
            index.kecamatan[code] = name
        else:
            index.kabupaten[code] = name
    return index


def public_product_cards(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """What a product card needs: the unit and the first photo, in two queries."""
    return queryset.select_related("unit").prefetch_related(
        Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id"))
    )


# --- home ---------------------------------------------------------------------------------------
@dataclass
class HomeFigures:
    units: int
    products: int
    kabupaten: int
    kecamatan: int
    desa: int
    certified_by_type: list[tuple[str, str, int]]  # (type, label, products)
    ovop_stars: list[tuple[int, int]]  # (stars, products)
    units_per_kabupaten: list[dict]  # code, name, units, share (0..100)


HOME_FIGURES_CACHE_KEY = "public:home-figures"
# A safety net: the figures are cached per catalog version (moved on by every write, see
# public/signals.py) and refreshed by the scheduler (public.tasks.refresh_aggregates).
HOME_FIGURES_CACHE_SECONDS = 300
# The version key of the catalog's shared cache (public.catalog.CATALOG_VERSION_KEY).
CATALOG_VERSION_KEY = "public:catalog-version"


def home_figures(*, use_cache: bool = True) -> HomeFigures:
    """Headline figures: 2 queries over the count tables (public/models.py: no product or unit
    row is read), or none while cached for the current catalog version.

    Only numbers and codes are cached; labels are attached per request, in its language.
    """
    numbers = versioned(
        HOME_FIGURES_CACHE_KEY,
        _home_numbers,
        version_key=CATALOG_VERSION_KEY,
        timeout=HOME_FIGURES_CACHE_SECONDS,
        refresh=not use_cache,
    )
    by_type = numbers["by_type"]
    return HomeFigures(
        units=numbers["units"],
        products=numbers["products"],
        kabupaten=numbers["kabupaten"],
        kecamatan=numbers["kecamatan"],
        desa=numbers["desa"],
        certified_by_type=[
            (value, label, by_type[value])
            for value, label in CertificationType.choices
            if by_type.get(value)
        ],
        ovop_stars=[(n, numbers["stars"].get(n, 0)) for n in range(5, 0, -1)],
        units_per_kabupaten=numbers["per_kab"],
    )


HOME_NUMBERS_SQL = """
SELECT 'units', '', coalesce(sum(n), 0) FROM public_unitcount
UNION ALL SELECT 'kabupaten', '', count(DISTINCT kab) FROM public_unitcount WHERE n > 0
UNION ALL SELECT 'kecamatan', '', count(DISTINCT kec) FROM public_unitcount WHERE n > 0
UNION ALL SELECT 'desa', '', count(*) FROM public_unitcount WHERE n > 0
UNION ALL SELECT 'products', '', coalesce(sum(n), 0) FROM public_catalogkabcount
UNION ALL SELECT 'cert', t.v, sum(c.n) FROM public_catalogkabcount c, unnest(c.certs) AS t(v)
           WHERE c.n > 0 GROUP BY t.v
UNION ALL SELECT 'kab', kab, sum(n) FROM public_unitcount WHERE kab LIKE %s GROUP BY kab
"""


def _home_numbers() -> dict:
    numbers = {"by_type": {}, "stars": {}}
    per_kab = {}
    with connections[router.db_for_read(Product)].cursor() as cursor:
        cursor.execute(HOME_NUMBERS_SQL, [PROVINCE_CODE + ".%"])
        for name, value, n in cursor.fetchall():
            if name == "cert" and value.startswith("ovop:"):
                numbers["stars"][int(value[5:])] = int(n)
            elif name == "cert":
                numbers["by_type"][value] = int(n)
            elif name == "kab":
                per_kab[value] = int(n)
            else:
                numbers[name] = int(n)
    numbers["per_kab"] = _per_kabupaten(per_kab)
    return numbers


def _per_kabupaten(counts: dict[str, int]) -> list[dict]:
    regions = Region.objects.filter(parent_id=PROVINCE_CODE).values_list("code", "name")
    top = max(counts.values(), default=0)
    rows = [
        {
            "code": code,
            "name": name,
            "units": counts.get(code, 0),
            "share": round(100 * counts.get(code, 0) / top) if top else 0,
        }
        for code, name in regions
    ]
    return sorted(rows, key=lambda r: (-r["units"], r["name"]))


def units_per_kabupaten() -> list[dict]:
    """The 14 kab/kota with their verified units, largest first (2 queries)."""
    counts = dict(
        UnitCount.objects.filter(kab__startswith=PROVINCE_CODE + ".", n__gt=0)
        .values_list("kab")
        .annotate(total=Sum("n"))
        .order_by()
    )
    return _per_kabupaten(counts)


def _catalog_rows(order: tuple[str, ...], limit: int, **filters) -> list[Product]:
    """Public products in the order of an index of the catalog rows (1 query + photos)."""
    ids = CatalogRow.objects.filter(**filters).order_by(*order).values("product_id")[:limit]
    field_order = [o.replace("product_id", "id") for o in order]
    qs = Product.objects.filter(id__in=ids).order_by(*field_order)
    return list(public_product_cards(qs))


def selected_products(limit: int = 8) -> list[Product]:
    return _catalog_rows(("-updated_at", "-product_id"), limit, is_selected=True)


def newest_products(limit: int = 8) -> list[Product]:
    return _catalog_rows(("-created_at", "-product_id"), limit)


# --- the kab/kota map: GeoJSON drawn as inline SVG on the server ---------------------------------
MAP_WIDTH = 600
MAP_TOLERANCE = 0.6  # px: invisible at this size, halves the SVG
MAP_COLOURS = ("#e8f3ee", "#b9dcc9", "#7fbf9c", "#3f9a6c", "#1d6b45")  # few → many units


@lru_cache(maxsize=1)
def _map_shapes() -> tuple[tuple[tuple[str, str, str], ...], int, int]:
    """((code, name, svg path), ...), width, height — projected once per process.

    Equirectangular projection (Kalbar straddles the equator, so no latitude correction is
    needed); coordinates are rounded to the pixel and repeated points dropped.
    """
    data = json.loads(KABUPATEN_GEOJSON.read_text(encoding="utf-8"))
    polygons: list[tuple[str, str, list]] = []
    lons: list[float] = []
    lats: list[float] = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        parts = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        polygons.append((feature["properties"]["code"], feature["properties"]["name"], parts))
        for polygon in parts:
            for ring in polygon:
                lons.extend(p[0] for p in ring)
                lats.extend(p[1] for p in ring)
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    scale = MAP_WIDTH / (max_lon - min_lon)
    height = round((max_lat - min_lat) * scale)
    shapes = []
    for code, name, parts in polygons:
        commands: list[str] = []
        for polygon in parts:
            for ring in polygon:
                projected = [
                    ((lon - min_lon) * scale, (max_lat - lat) * scale) for lon, lat in ring
                ]
                points: list[tuple[float, float]] = []
                for x, y in _simplify(projected, MAP_TOLERANCE):
                    point = (round(x, 1), round(y, 1))
                    if not points or point != points[-1]:
                        points.append(point)
                if len(points) < 3:
                    continue
                commands.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
        shapes.append((code, name, "".join(commands)))
    return tuple(shapes), MAP_WIDTH, height


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Ramer–Douglas–Peucker: drop points closer than ``tolerance`` px to the simplified line."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        worst, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if norm:
                distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            else:
                distance = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def _colour_level(units: int, top: int, steps: int) -> int:
    """0 for no units, else 1..steps-1: bin i holds counts in (top*(i-1)/n, top*i/n]."""
    if units <= 0 or top <= 0:
        return 0
    bins = steps - 1
    return next(i for i in range(1, bins + 1) if units <= (top * i) // bins or i == bins)


def kabupaten_map(per_kabupaten: list[dict]) -> dict:
    """Shapes coloured by their number of units, for templates/includes/kalbar_map.html."""
    shapes, width, height = _map_shapes()
    counts = {row["code"]: row["units"] for row in per_kabupaten}
    top = max(counts.values(), default=0)
    steps = len(MAP_COLOURS)
    regions = [
        {
            "code": code,
            "name": name,
            "path": path,
            "units": counts.get(code, 0),
            "fill": MAP_COLOURS[_colour_level(counts.get(code, 0), top, steps)],
        }
        for code, name, path in shapes
    ]
    # Legend: only the bins some count can fall in, as "low–high" ranges.
    # Bin i holds the counts in (top*(i-1)//bins, top*i//bins]: computed, not looped up to top.
    legend = [(MAP_COLOURS[0], (0, 0))]
    bins = steps - 1
    low = 1
    for level in range(1, steps):
        high = top if level == bins else (top * level) // bins
        if top and high >= low:
            legend.append((MAP_COLOURS[level], (low, high)))
            low = high + 1
    return {"regions": regions, "width": width, "height": height, "legend": legend}


# --- regions pages ------------------------------------------------------------------------------
def region_ancestors(region: Region) -> list[Region]:
    """Province → … → parent (no query: codes are prefixes; names come from one query)."""
    parts = region.code.split(".")
    codes = [".".join(parts[:i]) for i in range(1, len(parts))]
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def unit_region_q(region: Region, prefix: str = "") -> Q:
    """Units located in ``region`` (indexed generated columns for kab/kota and kecamatan)."""
    if region.level == Region.Level.PROVINSI:
        return Q(**{f"{prefix}kabupaten_code__startswith": region.code + "."})
    if region.is_kabupaten_kota:
        return Q(**{f"{prefix}kabupaten_code": region.code})
    if region.level == Region.Level.KECAMATAN:
        return Q(**{f"{prefix}kecamatan_code": region.code})
    return Q(**{f"{prefix}desa_id": region.code})


CHILD_FIELD = {
    Region.Level.PROVINSI: "kabupaten_code",
    Region.Level.KABUPATEN: "kecamatan_code",
    Region.Level.KOTA: "kecamatan_code",
    Region.Level.KECAMATAN: "desa_id",
}


# The column of the count tables (public/models.py) that holds a region of each level.
COUNT_COLUMN = {
    Region.Level.PROVINSI: None,
    Region.Level.KABUPATEN: "kab",
    Region.Level.KOTA: "kab",
    Region.Level.KECAMATAN: "kec",
    Region.Level.DESA: "desa",
    Region.Level.KELURAHAN: "desa",
}
CHILD_COLUMN = {
    Region.Level.PROVINSI: "kab",
    Region.Level.KABUPATEN: "kec",
    Region.Level.KOTA: "kec",
    Region.Level.KECAMATAN: "desa",
}


def _in_region(region: Region) -> Q:
    column = COUNT_COLUMN.get(region.level)
    if column is None:  # the province: kab/kota codes start with its code and a dot
        return Q(kab__gte=region.code + ".", kab__lt=region.code + "/")  # a range: indexed
    return Q(**{column: region.code})


def _product_counts(region: Region):
    """The count table to sum for a region's products: per kab/kota down to that level."""
    if COUNT_COLUMN.get(region.level) in (None, "kab"):
        return CatalogKabCount.objects.filter(_in_region(region))
    # The kab/kota and kecamatan codes are prefixes of the code below them: with them the
    # (kab, kec) index finds a desa's rows (no index starts with desa: 400 ms at 10M without).
    column = COUNT_COLUMN[region.level]
    return CatalogCount.objects.filter(
        **{"kab": region.code[:5], "kec": region.code[:8], column: region.code}
    )


def region_children_with_counts(region: Region) -> list[dict]:
    """Children of a region with their verified units and public products: sums over the
    count tables (3 queries, no unit or product row read)."""
    column = CHILD_COLUMN.get(region.level)
    if column is None:
        return []
    children = list(Region.objects.filter(parent=region).order_by("name"))
    unit_counts = dict(
        UnitCount.objects.filter(_in_region(region))
        .values_list(column)
        .annotate(total=Sum("n"))
        .order_by()
    )
    child_counts = CatalogKabCount if column == "kab" else CatalogCount
    product_counts = dict(
        child_counts.objects.filter(_in_region(region))
        .values_list(column)
        .annotate(total=Sum("n"))
        .order_by()
    )
    return [
        {
            "region": child,
            "units": unit_counts.get(child.code, 0) or 0,
            "products": product_counts.get(child.code, 0) or 0,
        }
        for child in children
    ]


def units_in_region(region: Region) -> QuerySet[IKMUnit]:
    """The region's verified units; each one's product count is a subquery evaluated only for
    the rows of the page (PostgreSQL computes costly output columns after ORDER BY/LIMIT)."""
    qs = IKMUnit.objects.public().filter(unit_region_q(region))
    return qs.select_related("desa", "sentra").annotate(
        product_count=Coalesce(Subquery(_published_products()), 0)
    )


def region_totals(region: Region) -> dict[str, int]:
    """Verified units and public products of a region, from the count tables (2 queries)."""
    units = UnitCount.objects.filter(_in_region(region)).aggregate(total=Sum("n"))["total"]
    products = _product_counts(region).aggregate(total=Sum("n"))["total"]
    return {"units": units or 0, "products": products or 0}


# --- IKM directory ------------------------------------------------------------------------------
@dataclass
class Directory:
    filterset: object
    page: object
    facets: list
    errors: list[str]
    active_filters: list[tuple[str, str]]
    regions: RegionIndex

    @property
    def count(self) -> int:
        return self.page.paginator.count


# name, label, unit field, choices (None: from the regions)
DIRECTORY_FACETS = (
    ("kategori", _l("Kelompok komoditas"), "commodity_group", CommodityGroup.choices),
    ("kabupaten", _l("Kabupaten/kota"), "kabupaten_code", None),
    ("kecamatan", _l("Kecamatan"), "kecamatan_code", None),
)
# Directory parameter -> column of public_unitfacetcount.
DIRECTORY_COUNT_COLUMNS = {"kategori": "commodity_group", "kabupaten": "kab", "kecamatan": "kec"}
DIRECTORY_TOTAL = "__total__"


def _published_products() -> QuerySet:
    """The number of published products of the unit ``OuterRef("pk")`` (a subquery)."""
    return (
        Product.objects.filter(unit=OuterRef("pk"), is_published=True)
        .order_by()
        .values("unit")
        .annotate(n=Count("id"))
        .values("n")
    )


def _directory_counts(data, names: list[str]) -> dict[str, dict[str, int]]:
    """The directory's facet counts (each facet filtered by every *other* parameter) and the
    list's count (key DIRECTORY_TOTAL), summed over public_unitfacetcount in one query."""

    def where(skip: str | None, params: list) -> str:
        conditions = []
        for name, column in DIRECTORY_COUNT_COLUMNS.items():
            if name != skip and data.get(name):
                conditions.append(f"{column} = %s")
                params.append(data[name])
        if data.get("sentra") == "1":
            conditions.append("sentra")
        return " AND ".join(conditions) or "TRUE"

    params: list = []
    parts = []
    for name in names:
        column = DIRECTORY_COUNT_COLUMNS[name]
        params.append(name)
        parts.append(
            f"SELECT %s, {column}::text, sum(n) FROM public_unitfacetcount "
            f"WHERE {where(name, params)} GROUP BY 2"
        )
    params.append(DIRECTORY_TOTAL)
    parts.append(
        f"SELECT %s, '', coalesce(sum(n), 0) FROM public_unitfacetcount WHERE {where(None, params)}"
    )
    out: dict[str, dict[str, int]] = {}
    with connections[router.db_for_read(IKMUnit)].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"({p})" for p in parts), params)
        for name, value, n in cursor.fetchall():
            if n:
                out.setdefault(name, {})[value] = int(n)
    out.setdefault(DIRECTORY_TOTAL, {"": 0})
    return out


def directory(params, *, page_size: int = 24) -> Directory:
    """The IKM directory for GET ``params`` (fixed number of queries, like the catalog)."""
    from django.core.paginator import Paginator

    known = set(UnitFilter.base_filters) | {PAGE_PARAM}
    data = params.copy()
    for key in list(data.keys()):
        if key not in known or not data.get(key, "").strip():
            data.pop(key)
    regions = kalbar_regions()

    def make(d):
        return UnitFilter(
            d,
            queryset=IKMUnit.objects.public(),
            kabupaten_choices=regions.kabupaten_choices(),
            kecamatan_choices=regions.kecamatan_choices(),
        )

    filterset = make(data)
    if not filterset.is_valid():
        errors = form_error_lines(filterset.form)
        empty = Paginator(IKMUnit.objects.none(), page_size).get_page(1)
        return Directory(filterset, empty, [], errors, [], regions)
    parsed = parse_query(filterset.form.cleaned_data.get("q") or "", regions.kabupaten)

    def searched(qs):
        if parsed.is_empty:
            return qs
        qs = qs.annotate(
            folded_name=FoldedName("name"), folded_description=FoldedName("description")
        )
        for term in parsed.text_terms:
            qs = qs.filter(unit_text_q(term))
        for word, code in parsed.region_terms:
            qs = qs.filter(Q(kabupaten_code=code) | unit_text_q(word))
        return qs

    # Each unit's product count is a subquery evaluated for the rows of the page only; the
    # page is read in name order from the partial indexes of ikm/migrations/0006_scale.py.
    results = (
        searched(filterset.qs)
        .select_related("desa", "sentra")
        .annotate(product_count=Coalesce(Subquery(_published_products()), 0))
        .order_by("name", "id")
    )
    paginator = Paginator(results, page_size)
    # Without a search word or a certificate filter every count (facets and list) is a sum over
    # public_unitfacetcount: one query, exact, no unit row read (issue 11).
    from_counts = parsed.is_empty and not data.get("sertifikat")
    names = [n for n, *_rest in DIRECTORY_FACETS]
    if data.get("kabupaten") not in regions.kabupaten:
        names.remove("kecamatan")
    if from_counts:
        all_counts = _directory_counts(data, names)
        paginator.__dict__["count"] = all_counts.pop(DIRECTORY_TOTAL, {}).get("", 0)
    page = paginator.get_page(page_number(data.get(PAGE_PARAM)))

    facets = []
    for name, label, field_name, choices in DIRECTORY_FACETS:
        if name not in names:
            continue
        if name == "kecamatan":
            choices = regions.kecamatan_choices(data["kabupaten"])
        elif name == "kabupaten":
            choices = regions.kabupaten_choices()
        if from_counts:
            counts = all_counts.get(name, {})
        else:
            without = data.copy()
            without.pop(name, None)
            counts = dict(
                searched(make(without).qs)
                .values_list(field_name)
                .annotate(n=Count("id"))
                .order_by()
            )
        facets.append(build_facet(data, name, label, choices, counts, dependent=DEPENDENT_PARAMS))
    chips = active_filters(data, facets, dependent=DEPENDENT_PARAMS)
    return Directory(filterset, page, facets, [], chips, regions)


def unit_for_page(slug: str) -> IKMUnit:
    """A verified unit with its public products and certifications (5 queries)."""
    from django.shortcuts import get_object_or_404

    products = public_product_cards(Product.objects.public().order_by("-is_selected", "name"))
    queryset = (
        IKMUnit.objects.public()
        .select_related("desa__parent__parent", "sentra")
        .prefetch_related(
            Prefetch("products", queryset=products, to_attr="public_products"),
            Prefetch(
                "certifications",
                queryset=Certification.objects.with_status()
                .order_by("type", "-issued_on")
                .prefetch_related(
                    Prefetch(
                        "products",
                        queryset=Product.objects.public().only("id", "name", "slug", "unit_id"),
                    )
                ),
                to_attr="certifications_with_status",
            ),
        )
    )
    return get_object_or_404(queryset, slug=slug)
