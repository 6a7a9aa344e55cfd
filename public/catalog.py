"""Reads for the public catalog and product pages (fixed query counts whatever the data size).

The catalog reads the narrow index of public products (``public_catalogrow``, kept by triggers:
public/models.py), never the wide product tables, and it never scans every match:

* **Facets.** Every facet value shows how many products the list would hold if that value were
  chosen, i.e. the list filtered by every *other* parameter. Following a facet link gives that
  many results (tests/public/test_catalog.py follows them all).

  - Without a search word or a price range the counts are sums over ``public_catalogcount`` (one
    row per category × desa × certificate set × marketplace): exact at any size, no product row
    read.
  - With a search word or a price range, the matching rows are read up to
    :data:`EXACT_LIMIT` + 1. Up to :data:`EXACT_LIMIT` matches every count is exact. Beyond, the
    counts are those of the first :data:`EXACT_LIMIT` + 1 matches: true lower bounds, shown as
    such ("1.234+", and "lebih dari 2000 produk"), never as exact numbers.

* **The list.** Its count is exact up to :data:`EXACT_LIMIT` (or always, from the count table,
  without a search word or price). The page is sorted among the matches when there are at most
  :data:`EXACT_LIMIT` of them; beyond, a relevance ranking is taken over that bounded candidate
  set, and the other sort orders walk their b-tree index. Pages are bounded offsets: at most
  :data:`MAX_LISTED` products can be paged through (a visitor narrows the search before that);
  a page number past the end, however large, gives the last page. With a facet filter and a
  common word the bounded candidate set is read by walking the b-tree of the facets' slice
  (:data:`WALK_LIMIT` rows at most, else the GIN; docs/catalog-scale.md, "Common words").

Everything (facets, count and the page's ids) comes from one SQL statement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connections, router, transaction
from django.db.models import Prefetch
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from certifications.filters import OVOP_STAR_CHOICES
from certifications.models import Certification
from core.cache import bump, lookup, versioned
from core.facets import PAGE_PARAM, Facet, active_filters, build_facet, page_number
from core.forms import form_error_lines
from ikm.models import CommodityGroup
from products.models import Product
from products.search import (
    EXACT_BONUS,
    QUERY_EXPANSIONS,
    SYNONYM_RANK_WEIGHT,
    SYNONYM_SQL,
    ParsedQuery,
    apply_synonyms,
    own_words,
    parse_query,
    synonym_keys,
)
from public.filters import (
    DEPENDENT_PARAMS,
    PUBLIC_CERT_TYPES,
    ProductFilter,
    Sort,
)
from public.models import CatalogRow
from public.selectors import RegionIndex, kalbar_regions, public_product_cards

PAGE_SIZE = 24
MAX_PAGE_SIZE = 96
FACET_PARAMS = ("kategori", "kabupaten", "kecamatan", "sertifikat", "bintang", "marketplace")
PRICE_PARAMS = ("harga_min", "harga_maks")
# Counts are exact up to this many matches; beyond, they are shown as lower bounds.
EXACT_LIMIT = 1_000
# At most this many products of one list can be paged through (bounded offsets).
MAX_LISTED = 10_000
# The shared cache (Redis): the landing catalog's facets under a version that every write to
# the catalog's data moves on (public/signals.py), so an edit shows on the next request.
CATALOG_VERSION_KEY = "public:catalog-version"
ALL_FACETS_CACHE_KEY = "public:catalog-facets-unfiltered"
ALL_FACETS_CACHE_SECONDS = 300
LIST_MARK = "__list__"
COUNT_MARK = "__count__"
MATCH_MARK = "__matches__"


def bump_version() -> None:
    """Move the catalog's cache version on (called on every write to the catalog's data)."""
    bump(CATALOG_VERSION_KEY)


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
    count: int = 0
    # True when ``count`` is a lower bound (more than EXACT_LIMIT matches).
    count_is_lower_bound: bool = False
    # True when only the first MAX_LISTED products can be paged through.
    pages_bounded: bool = False


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

    if not filterset.is_valid():
        errors = form_error_lines(filterset.form)
        empty_page = Paginator(Product.objects.none(), page_size).get_page(1)
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


# --- SQL ----------------------------------------------------------------------------------------
TSQUERY = "plainto_tsquery('indonesian'::regconfig, f_unaccent(%s))"
# Facet parameter -> condition on a catalog row (alias r), same meaning as ProductFilter's.
FACET_CONDITIONS = {
    "kategori": "{a}.category = %s",
    "kabupaten": "{a}.kab = %s",
    "kecamatan": "{a}.kec = %s",
    "sertifikat": "{a}.certs @> ARRAY[%s]::varchar(24)[]",
    "bintang": "{a}.certs @> ARRAY['ovop:' || %s]::varchar(24)[]",
    "marketplace": "{a}.marketplace AND %s = '1'",
}
# Facet -> (grouped value, extra FROM, condition) over rows (catalog rows or count rows).
FACET_GROUPS = {
    "kategori": ("{a}.category", "", "TRUE"),
    "kabupaten": ("{a}.kab", "", "TRUE"),
    "kecamatan": ("{a}.kec", "", "TRUE"),
    "sertifikat": ("t.v", ", unnest({a}.certs) AS t(v)", "t.v NOT LIKE 'ovop:%%'"),
    "bintang": ("substr(t.v, 6)", ", unnest({a}.certs) AS t(v)", "t.v LIKE 'ovop:%%'"),
    "marketplace": ("'1'", "", "{a}.marketplace"),
}


class Sql:
    """A statement and its parameters, built piece by piece in order."""

    def __init__(self) -> None:
        self.params: list = []

    def add(self, text: str, *params) -> str:
        self.params.extend(params)
        return text


# A word the index does not know is read as its closest known words (public_catalogword).
TYPO_SIMILARITY = 0.35
TYPO_CORRECTIONS = 3
SYNONYM_MARK = "="  # never the start of a search word (letters and digits only)


# A word whose lexemes are among the most common elements of the catalog's vectors (the
# statistics ANALYZE keeps, public/migrations/0002_issue11.py) is known without reading the GIN:
# for a common word the GIN would read its whole posting list (100,000s of entries) to find one.
COMMON_WORD = (
    "coalesce((SELECT bool_and(l = ANY(s.most_common_elems::text::text[])) FROM pg_stats s, "
    "unnest(tsvector_to_array(to_tsvector('indonesian'::regconfig, f_unaccent({t})))) AS l "
    "WHERE s.schemaname = current_schema() AND s.tablename = 'public_catalogrow' "
    "AND s.attname = 'vector'), FALSE)"
)


def prepare_catalog_search(parsed: ParsedQuery) -> None:
    """One query: which search words the catalog's full-text index does not know, and for each
    of them the closest words of public product names (trigram similarity over a few thousand
    words, not over every product). Sets ``parsed.typo_terms`` and ``parsed.corrections``."""
    if not parsed.text_terms:
        return
    # One SELECT per search word, its word written into the statement (psycopg2 binds on the
    # client): the planner then sees how rare the word is and reads the GIN. A word passed as a
    # parameter of a correlated look-up got a generic estimate, and the EXISTS became a
    # sequential scan that read every catalog row for an unknown word (12 s at 10M).
    per_word = (
        "SELECT %s::text, ARRAY(SELECT w.word FROM public_catalogword w WHERE w.word %% %s "
        "  ORDER BY similarity(w.word, %s) DESC, w.word LIMIT %s) "
        f"WHERE CASE WHEN {COMMON_WORD.format(t='%s')} "
        "THEN FALSE ELSE NOT EXISTS (SELECT 1 FROM public_catalogrow r "
        f"WHERE r.vector @@ {TSQUERY}) END"
    )
    params: list = [str(TYPO_SIMILARITY)]
    for term in parsed.text_terms:
        params += [term, term, term, TYPO_CORRECTIONS, term, term]
    params.append(synonym_keys(parsed))
    with connections[router.db_for_read(Product)].cursor() as cursor:
        # Rows (word, its closest known words) for unknown words, and (SYNONYM_MARK + phrase,
        # related words) for the phrases found in the synonym table (products.search).
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true), "
            # The catalog's index lives in memory: a walk along a b-tree costs little more
            # than a sequential read (the planner's default assumes spinning disks).
            "set_config('random_page_cost', '1.1', true); "
            + " UNION ALL ".join([per_word] * len(parsed.text_terms))
            + f" UNION ALL SELECT '{SYNONYM_MARK}' || x.term, x.related FROM ({SYNONYM_SQL}) x",
            params,
        )
        rows = cursor.fetchall()
    found = {t[1:]: list(w or []) for t, w in rows if t.startswith(SYNONYM_MARK)}
    unknown = {t: w for t, w in rows if not t.startswith(SYNONYM_MARK)}
    for term, words in unknown.items():
        if len(term) >= 3 and not term.isdigit() and term not in QUERY_EXPANSIONS:
            parsed.typo_terms.add(term)
            parsed.corrections[term] = list(words or [])
    apply_synonyms(parsed, found)


def _term_words(term: str, parsed: ParsedQuery) -> list[str]:
    return own_words(term, parsed) + parsed.synonyms.get(term, [])


def _text_conditions(sql: Sql, parsed: ParsedQuery, alias: str = "r") -> list[str]:
    """The search words as conditions on catalog rows (see products/search.py): each word, its
    documented expansion, for a typo its closest known words, and its synonyms."""
    out = []
    for term in parsed.text_terms:
        tsquery = " || ".join(sql.add(TSQUERY, w) for w in _term_words(term, parsed))
        out.append(f"{alias}.vector @@ ({tsquery})")
    for word, code in parsed.region_terms:
        out.append(sql.add(f"({alias}.kab = %s OR {alias}.vector @@ {TSQUERY})", code, word))
    return out


def _rank(sql: Sql, parsed: ParsedQuery, alias: str = "r") -> str:
    """ts_rank over every word (a name hit, weight A, ranks above a description hit). A word
    with synonyms adds EXACT_BONUS when matched as typed, and only a share
    (SYNONYM_RANK_WEIGHT) of its synonyms' ts_rank: exact matches always come first."""
    words = [w for term in parsed.text_terms for w in own_words(term, parsed)]
    words += [word for word, _code in parsed.region_terms]
    tsquery = " || ".join(sql.add(TSQUERY, w) for w in words)
    rank = f"ts_rank({alias}.vector, ({tsquery}))"
    for term in parsed.text_terms:
        if term in parsed.synonyms:
            own = " || ".join(sql.add(TSQUERY, w) for w in own_words(term, parsed))
            rank += f" + CASE WHEN {alias}.vector @@ ({own}) THEN {EXACT_BONUS} ELSE 0 END"
            related = " || ".join(sql.add(TSQUERY, w) for w in parsed.synonyms[term])
            rank += f" + {SYNONYM_RANK_WEIGHT} * ts_rank({alias}.vector, ({related}))"
    return rank


def _price_conditions(sql: Sql, data: QueryDict, alias: str = "r") -> list[str]:
    out = []
    if data.get("harga_min"):
        out.append(sql.add(f"{alias}.price >= %s", int(data["harga_min"])))
    if data.get("harga_maks"):
        out.append(sql.add(f"{alias}.price <= %s", int(data["harga_maks"])))
    return out


# The same conditions without the certificates' GIN: on the per-kecamatan count table within
# one kab/kota or kecamatan (a few thousand rows by its b-tree), intersecting with the GIN's list
# of every row holding a certificate (188,152 rows for "halal" at 10M) costs more than checking
# the rows (24 ms -> 1 ms for the kecamatan facet of ?kabupaten=…&sertifikat=halal).
ROW_CHECKED_CONDITIONS = {
    **FACET_CONDITIONS,
    "sertifikat": "%s = ANY({a}.certs)",
    "bintang": "'ovop:' || %s = ANY({a}.certs)",
}


def _facet_conditions(
    sql: Sql, data: QueryDict, alias: str, skip: str | None = None, *, table: str = ""
) -> list:
    conditions = FACET_CONDITIONS
    if table == "public_catalogcount" and (data.get("kabupaten") or data.get("kecamatan")):
        conditions = ROW_CHECKED_CONDITIONS
    return [
        sql.add(conditions[name].format(a=alias), data[name])
        for name in FACET_PARAMS
        if name != skip and data.get(name)
    ]


def _where(conditions: list[str]) -> str:
    return " AND ".join(conditions) or "TRUE"


# At most this many rows of a facet slice are walked in b-tree order before the GIN is read,
# and only for a word found in at least this share of the catalog (ANALYZE's statistics).
WALK_LIMIT = 8_000
WALK_MIN_SHARE = 0.02
# A range of at most this many rows is walked whatever the word (every match is then found).
WALK_WHOLE_LIMIT = 3_000


def _common_share(sql: Sql, parsed: ParsedQuery) -> str:
    """SQL: the share of catalog rows holding the rarest search word, as ANALYZE estimated it
    (the most common elements of the vectors and their frequencies); 0 when not among them."""
    if not parsed.text_terms:
        return "0"
    shares = []
    for term in parsed.text_terms:
        words = sql.add("%s::text[]", _term_words(term, parsed))
        shares.append(
            "coalesce((SELECT sum(x.f) FROM pg_stats s, unnest(s.most_common_elems::text::text[], "
            "s.most_common_elem_freqs) AS x(e, f) WHERE s.schemaname = current_schema() "
            "AND s.tablename = 'public_catalogrow' AND s.attname = 'vector' AND x.e IN (SELECT "
            "unnest(tsvector_to_array(to_tsvector('indonesian'::regconfig, f_unaccent(v)))) "
            f"FROM unnest({words}) AS v)), 0)"
        )
    return f"(SELECT least({', '.join(shares)}))" if len(shares) > 1 else f"({shares[0]})"


def _walk_range(sql: Sql, data: QueryDict) -> str:
    """The CTE ``sl``: the number of catalog rows in the range of the b-tree the walk reads
    (:func:`_walk_order`): one kab/kota's category, or one kab/kota; unbounded otherwise."""
    if not data.get("kabupaten"):
        return f"sl AS MATERIALIZED (SELECT {WALK_LIMIT}::bigint + 1 AS n)"
    conditions = [sql.add("a.kab = %s", data["kabupaten"])]
    if data.get("kategori"):
        conditions.append(sql.add("a.category = %s", data["kategori"]))
    return (
        "sl AS MATERIALIZED (SELECT coalesce(sum(a.n), 0)::bigint AS n "
        f"FROM public_catalogkabcount a WHERE {_where(conditions)})"
    )


def _walk_order(data: QueryDict) -> str:
    """The order of the b-tree that holds the rows of the facets' slice together
    (public/catalog_sql.py): per kab/kota and category, per kab/kota, or the default order."""
    if data.get("kabupaten") and data.get("kategori"):
        return "r.kab, r.category, r.created_at DESC, r.product_id DESC"
    if data.get("kabupaten"):
        return "r.kab, r.is_selected DESC, r.created_at DESC, r.product_id DESC"
    return "r.is_selected DESC, r.created_at DESC, r.product_id DESC"


def _order(sort: str, searching: bool, alias: str) -> str:
    if sort == Sort.NEWEST:
        return f"{alias}.created_at DESC, {alias}.product_id DESC"
    if sort == Sort.PRICE_ASC:
        return f"{alias}.price ASC NULLS LAST, {alias}.product_id DESC"
    if sort == Sort.PRICE_DESC:
        return f"{alias}.price DESC NULLS LAST, {alias}.product_id DESC"
    if searching:
        return (
            f"{alias}.rank DESC, {alias}.is_selected DESC, {alias}.created_at DESC, "
            f"{alias}.product_id DESC"
        )
    return f"{alias}.is_selected DESC, {alias}.created_at DESC, {alias}.product_id DESC"


@dataclass
class ListSpec:
    """Which page of the list the statement should also return."""

    sort: str
    searching: bool
    page: int
    page_size: int


def uses_count_table(data: QueryDict, parsed: ParsedQuery) -> bool:
    """No search word and no price range: every count is a sum over public_catalogcount."""
    return parsed.is_empty and not any(data.get(k) for k in PRICE_PARAMS)


def catalog_query(
    data: QueryDict,
    parsed: ParsedQuery,
    names: list[str],
    listing: ListSpec | None,
    *,
    with_facets: bool = True,
    known_total: int | None = None,
) -> tuple[str, list]:
    """The one statement of a catalog page: rows (facet, value, n).

    * (facet name, value, count) for every facet in ``names`` (unless ``with_facets`` is off);
    * (COUNT_MARK, '', n): the list's count, at most EXACT_LIMIT + 1;
    * (MATCH_MARK, '', n): the rows the facets were counted on (EXACT_LIMIT + 1: lower bounds);
    * (LIST_MARK, product id, position) for the page's products.
    """
    sql = Sql()
    searching = not parsed.is_empty
    aggregated = uses_count_table(data, parsed)
    limit = EXACT_LIMIT + 1
    ctes = []
    parts = []
    # Parameters are added in the order their text appears: the CTEs first, then the parts.
    columns = "r.product_id, r.is_selected, r.created_at, r.price"
    if aggregated and known_total is not None:  # the unfiltered list: the cached facets' sum
        ctes.append(sql.add("n AS MATERIALIZED (SELECT %s::bigint AS n)", known_total))
    # The count table: per kab/kota (74,768 rows at 10M) unless a kecamatan is chosen, or for
    # the kecamatan facet itself (per kecamatan: 1.8M rows). Chosen per facet: the kab/kota facet
    # of ?kabupaten=…&sertifikat=halal sums the kab/kota table, not every kecamatan's rows.
    counts = "public_catalogcount" if data.get("kecamatan") else "public_catalogkabcount"
    if aggregated:
        # n: the list's exact size from the count table; c: its rows, read only when few.
        if known_total is None:
            ctes.append(
                "n AS MATERIALIZED (SELECT coalesce(sum(a.n), 0)::bigint AS n "
                f"FROM {counts} a WHERE {_where(_facet_conditions(sql, data, 'a', table=counts))})"
            )
        where = _where(_price_conditions(sql, data) + _facet_conditions(sql, data, "r"))
        ctes.append(
            f"c AS MATERIALIZED (SELECT {columns}, 0 AS rank FROM public_catalogrow r "
            f"WHERE (SELECT n FROM n) <= {EXACT_LIMIT} AND {where} " + sql.add("LIMIT %s)", limit)
        )
    else:
        # m: the rows matching the search and the price range (not the facets), bounded, with
        # what the facets group by and the list sorts by.
        rank = _rank(sql, parsed) if searching else "0"  # its text comes before the WHERE
        base = _text_conditions(sql, parsed) + _price_conditions(sql, data)
        ctes.append(
            f"m AS MATERIALIZED (SELECT {columns}, {rank} AS rank, r.category, r.kab, r.kec, "
            f"r.certs, r.marketplace FROM public_catalogrow r WHERE {_where(base)} "
            + sql.add("LIMIT %s)", limit)
        )
        ctes.append("mn AS MATERIALIZED (SELECT count(*) AS n FROM m)")
        # c: the list. Without a facet filter it is m. Every match is in m (not truncated):
        # filter m by the facets. Else, bounded: w walks the facets' slice in the order of a
        # b-tree (at most WALK_LIMIT rows, checking the words on each) — a common word is
        # found on most rows of the slice, and the GIN would have to intersect the long lists
        # of the word, the category and the kab/kota; when w finds too few, the GIN is read.
        from_m = "SELECT m.product_id, m.is_selected, m.created_at, m.price, m.rank FROM m"
        if not any(data.get(name) for name in FACET_PARAMS):
            ctes.append(f"c AS MATERIALIZED ({from_m})")
        else:
            # sl: how many rows the walk's b-tree range holds (the count table, exact): a
            # range of at most WALK_WHOLE_LIMIT rows is walked whole whatever the word, and then
            # holds every match (a word on 1.5 % of the catalog, "keripik", in one kab/kota's
            # food: 2,072 rows walked in 9 ms against 17 ms for the GIN's intersection).
            ctes.append(_walk_range(sql, data))
            whole = f"(SELECT n FROM sl) <= {min(WALK_WHOLE_LIMIT, WALK_LIMIT)}"
            rank = _rank(sql, parsed, "w") if searching else "0"
            common = _common_share(sql, parsed)
            slice_ = _where(_facet_conditions(sql, data, "r"))
            words = _where(_text_conditions(sql, parsed, "w") + _price_conditions(sql, data, "w"))
            w_columns = "w.product_id, w.is_selected, w.created_at, w.price"
            ctes.append(
                f"w AS MATERIALIZED (SELECT {w_columns}, {rank} AS rank FROM (SELECT * FROM "
                f"public_catalogrow r WHERE (SELECT n FROM mn) > {EXACT_LIMIT} AND ({common} "
                f">= {WALK_MIN_SHARE} OR {whole}) AND {slice_} "
                f"ORDER BY {_walk_order(data)} LIMIT {WALK_LIMIT}) w WHERE {words} "
                + sql.add("LIMIT %s)", limit)
            )
            in_m = _where(_facet_conditions(sql, data, "m"))
            rank = _rank(sql, parsed) if searching else "0"
            where = _where(
                _text_conditions(sql, parsed)
                + _price_conditions(sql, data)
                + _facet_conditions(sql, data, "r")
            )
            walked = "(SELECT count(*) FROM w)"
            ctes.append(
                f"c AS MATERIALIZED ({from_m} WHERE (SELECT n FROM mn) <= {EXACT_LIMIT} "
                f"AND {in_m} UNION ALL SELECT * FROM w WHERE {walked} > {EXACT_LIMIT} OR {whole} "
                f"UNION ALL (SELECT {columns}, {rank} AS rank FROM public_catalogrow r "
                f"WHERE (SELECT n FROM mn) > {EXACT_LIMIT} AND {walked} <= {EXACT_LIMIT} "
                f"AND NOT {whole} AND {where} " + sql.add("LIMIT %s))", limit)
            )
        ctes.append("n AS MATERIALIZED (SELECT count(*) AS n FROM c)")

    if not aggregated:
        parts.append(f"SELECT '{MATCH_MARK}', '', n FROM mn")
    if with_facets:
        total = "sum(a.n)::bigint" if aggregated else "count(*)"
        for name in names:
            value, extra, condition = FACET_GROUPS[name]
            if not aggregated:
                source = "m"
            elif name == "kecamatan":
                source = "public_catalogcount"
            else:
                source = counts
            head = sql.add("SELECT %s::text", name)
            others = _facet_conditions(sql, data, "a", skip=name, table=source)
            where = _where([condition.format(a="a"), *others])
            parts.append(
                f"{head}, ({value.format(a='a')})::text, {total} "
                f"FROM {source} a{extra.format(a='a')} WHERE {where} GROUP BY 2"
            )
    parts.append(f"SELECT '{COUNT_MARK}', '', n FROM n")
    if listing is not None:
        offset = (listing.page - 1) * listing.page_size
        order = _order(listing.sort, searching, "c")
        relevance = searching and listing.sort == Sort.RELEVANCE
        # All matches are in c: sort them. More than EXACT_LIMIT: a relevance ranking within
        # c (a bounded candidate set); the other orders walk their index over every match.
        gate = sql.add(f"(SELECT n FROM n) <= {EXACT_LIMIT} OR %s", relevance)
        # Positions: row_number() OVER () numbers the rows of the sorted, limited subquery.
        parts.append(
            f"SELECT '{LIST_MARK}', s.id::text, row_number() OVER () FROM (SELECT c.product_id "
            f"AS id FROM c WHERE {gate} ORDER BY {order} "
            + sql.add("LIMIT %s OFFSET %s) AS s", listing.page_size, offset)
        )
        if not relevance:
            walk = (
                _text_conditions(sql, parsed)
                + _price_conditions(sql, data)
                + _facet_conditions(sql, data, "r")
            )
            walk_order = _order(listing.sort, False, "r")
            parts.append(
                f"SELECT '{LIST_MARK}', w.id::text, row_number() OVER () FROM (SELECT "
                f"r.product_id AS id FROM public_catalogrow r WHERE (SELECT n FROM n) > "
                f"{EXACT_LIMIT} AND {_where(walk)} ORDER BY {walk_order} "
                + sql.add("LIMIT %s OFFSET %s) AS w", listing.page_size, offset)
            )
    statement = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(f"({p})" for p in parts)
    return statement, sql.params


@dataclass
class Counts:
    facets: dict[str, dict[str, int]]
    total: int
    total_is_lower_bound: bool
    facets_are_lower_bounds: bool
    page_ids: list[int]


def _run(
    data, parsed, names, listing, *, with_facets: bool = True, known_total: int | None = None
) -> Counts:
    statement, params = catalog_query(
        data, parsed, names, listing, with_facets=with_facets, known_total=known_total
    )
    facets: dict[str, dict[str, int]] = {name: {} for name in names}
    total = 0
    matches = 0
    page: list[tuple[int, int]] = []
    with connections[router.db_for_read(Product)].cursor() as cursor:
        cursor.execute(statement, params)
        for facet, value, n in cursor.fetchall():
            if facet == LIST_MARK:
                page.append((n, int(value)))
            elif facet == COUNT_MARK:
                total = int(n)
            elif facet == MATCH_MARK:
                matches = int(n)
            elif value is not None and n:
                facets[facet][str(value)] = int(n)
    aggregated = uses_count_table(data, parsed)
    return Counts(
        facets,
        min(total, EXACT_LIMIT) if not aggregated and total > EXACT_LIMIT else total,
        not aggregated and total > EXACT_LIMIT,
        not aggregated and matches > EXACT_LIMIT,
        [product_id for _n, product_id in sorted(page)],
    )


def _facet_names(data: QueryDict, regions: RegionIndex) -> list[str]:
    show_kecamatan = data.get("kabupaten") in regions.kabupaten
    return [n for n in FACET_PARAMS if n != "kecamatan" or show_kecamatan]


def _unfiltered_facets(regions: RegionIndex) -> dict[str, dict[str, int]]:
    names = _facet_names(QueryDict(), regions)
    return _run(QueryDict(), ParsedQuery(), names, None).facets


def unfiltered_facets() -> dict[str, dict[str, int]]:
    """The landing page's facet counts (cached under the catalog version, like on that page)."""
    regions = kalbar_regions()
    return versioned(
        ALL_FACETS_CACHE_KEY,
        lambda: _unfiltered_facets(regions),
        version_key=CATALOG_VERSION_KEY,
        timeout=ALL_FACETS_CACHE_SECONDS,
    )


def refresh_unfiltered_facets() -> None:
    """Recompute the landing page's cached facet counts (the scheduler runs this before they
    expire, so no visitor waits for them)."""
    regions = kalbar_regions()
    versioned(
        ALL_FACETS_CACHE_KEY,
        lambda: _unfiltered_facets(regions),
        version_key=CATALOG_VERSION_KEY,
        timeout=ALL_FACETS_CACHE_SECONDS,
        refresh=True,
    )


def _search(filterset, data: QueryDict, regions, parsed: ParsedQuery, page_size: int) -> Catalog:
    cleaned = filterset.form.cleaned_data
    prepare_catalog_search(parsed)
    sort = cleaned.get("urut") or Sort.RELEVANCE
    max_page = max(1, math.ceil(MAX_LISTED / page_size))
    wanted = min(page_number(data.get(PAGE_PARAM)), max_page)
    names = _facet_names(data, regions)
    unfiltered = uses_count_table(data, parsed) and not any(data.get(k) for k in FACET_PARAMS)
    listing = ListSpec(sort, not parsed.is_empty, wanted, page_size)
    cached, slot = (
        lookup(ALL_FACETS_CACHE_KEY, version_key=CATALOG_VERSION_KEY)
        if unfiltered
        else (None, None)
    )
    # Every public product has one category: the cached facets also give the list's count.
    known_total = sum(cached["kategori"].values()) if cached is not None else None
    counts = _run(data, parsed, names, listing, with_facets=cached is None, known_total=known_total)
    if cached is not None:
        counts.facets = cached
    elif slot is not None:
        slot.store(counts.facets, ALL_FACETS_CACHE_SECONDS)
    listed = min(counts.total, MAX_LISTED)
    last = max(1, math.ceil(listed / page_size))
    page_ids = counts.page_ids
    if wanted > last:  # past the end: the last page (one more statement, only then)
        listing = ListSpec(sort, not parsed.is_empty, last, page_size)
        page_ids = _run(data, parsed, names, listing, with_facets=False).page_ids
    number = min(wanted, last)
    page_ids = page_ids[: max(0, listed - (number - 1) * page_size)]  # nothing past MAX_LISTED
    paginator = Paginator(range(listed), page_size)
    by_id = {
        p.id: p
        for p in public_product_cards(Product.objects.filter(id__in=page_ids))
        .prefetch_related(_active_certifications())
        .order_by()
    }
    page = Page([by_id[i] for i in page_ids if i in by_id], number, paginator)
    facets = _facets(data, regions, counts)
    return Catalog(
        filterset,
        page,
        facets,
        parsed,
        regions,
        sort,
        [],
        _active_filters(data, facets),
        count=counts.total,
        count_is_lower_bound=counts.total_is_lower_bound,
        pages_bounded=counts.total > MAX_LISTED,
    )


def _facets(data: QueryDict, regions: RegionIndex, counts: Counts) -> list[Facet]:
    kabupaten = data.get("kabupaten")

    def build(name: str, label, choices) -> Facet:
        facet = build_facet(
            data, name, label, choices, counts.facets.get(name, {}), dependent=DEPENDENT_PARAMS
        )
        for value in facet.values:
            value.at_least = counts.facets_are_lower_bounds and not value.selected
            if value.selected:
                value.count = counts.total
                value.at_least = counts.total_is_lower_bound
        return facet

    facets = [
        build("kategori", _("Kategori"), CommodityGroup.choices),
        build("kabupaten", _("Kabupaten/kota"), regions.kabupaten_choices()),
    ]
    if kabupaten in regions.kabupaten:
        facets.append(build("kecamatan", _("Kecamatan"), regions.kecamatan_choices(kabupaten)))
    star_choices = [(value, f"{value}★") for value, _label in OVOP_STAR_CHOICES[::-1]]
    facets += [
        build("sertifikat", _("Sertifikat"), PUBLIC_CERT_TYPES),
        build("bintang", _("Bintang OVOP"), star_choices),
        build("marketplace", _("Marketplace"), [("1", _("Dijual di marketplace"))]),
    ]
    return facets


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
    """Same category from the same kab/kota, newest first (2 queries, from the catalog index)."""
    ids = (
        CatalogRow.objects.filter(category=product.category, kab=product.unit.kabupaten_code)
        .exclude(product_id=product.pk)
        .order_by("-created_at", "-product_id")
        .values("product_id")[:limit]
    )
    queryset = Product.objects.filter(id__in=ids).order_by("-created_at", "-id")
    return list(public_product_cards(queryset))
