"""Product search: PostgreSQL full text (``indonesian``) + trigram typo tolerance + unaccent.

How a query is read (all in one place):

1. It is cut to :data:`MAX_QUERY_CHARS`, lower-cased and split into at most :data:`MAX_TERMS`
   words (letters and digits only: punctuation, HTML and SQL characters are dropped).
2. Words naming a kab/kota ("singkawang", "kapuas hulu", "kota pontianak") become a region term:
   it matches products of units in that kab/kota *or* products whose text has the word.
3. Every other word must match (AND across words):
   * in the full-text column ``products_product.search_vector`` (see migration
     ``products/0002_search``: name at weight A, description at weight B, ``indonesian`` stemmer
     over ``f_unaccent``): the stemmer already joins "pengrajin" and "kerajinan" (both ``rajin``);
     :data:`QUERY_EXPANSIONS` adds the few affix forms it does not join ("perajin");
   * a word the full-text index does not know at all (one cheap GIN probe per word, see
     :func:`prepare_search`) is taken as a typo and matched by trigram word similarity with the
     unaccented, lower-cased name (``<%``, GIN index ``product_name_trgm_gin``):
     "lempuk" → "Lempok Durian", "amplank" → "Amplang". Known words skip the trigram test, which
     costs ~6× more per row than the full-text test on a large catalog.
4. Words (or phrases of up to :data:`SYNONYM_MAX_WORDS` words: "pakaian adat", "oleh-oleh")
   found in the officials' synonym table (:class:`products.models.SearchSynonym`, edited in the
   admin) also match the related words: "pakaian" finds "tenun", "songket", "kain"…
   (:func:`apply_synonyms`; the table is read in the same statement as the probes). A product
   matching the word itself ranks above one matching only a related word.
5. Relevance = ``ts_rank`` (A weight > B weight, so a name hit ranks above a description hit)
   + for typo words, a share of the name's trigram word similarity
   + :data:`EXACT_BONUS` for each synonym-bearing word the product matches as typed
   + :data:`SYNONYM_RANK_WEIGHT` × the ``ts_rank`` of its related words.

``pg_trgm.word_similarity_threshold`` defaults to 0.6, which misses "lempuk"/"lempok" (0.57):
:func:`prepare_search` sets it to :data:`WORD_SIMILARITY_THRESHOLD` for the connection, in the
same query as the probes. It runs on the database the product reads go to (the read replica on
public pages, sipi/dbrouting.py), and the search must follow on the same server connection:
behind PgBouncer in transaction mode, inside one transaction (public/catalog.py does so).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.db import connections, router
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
    When,
)

from products.models import Product

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MAX_TERM_CHARS = 40
WORD_SIMILARITY_THRESHOLD = 0.5
# Share of the name's trigram similarity in the relevance score (ts_rank of a name hit ≈ 0.6).
TRIGRAM_RANK_WEIGHT = 0.3

# Affix forms the `indonesian` stemmer does not join with their root; query word -> extra word.
# `SELECT to_tsvector('indonesian', 'kerajinan'), to_tsquery('indonesian', 'pengrajin')` both give
# 'rajin', but 'perajin' gives 'ajin'.
QUERY_EXPANSIONS: dict[str, str] = {
    "perajin": "pengrajin",
    "pemahat": "pahatan",
    "penenun": "tenun",
}

# Synonyms (products.SearchSynonym): phrases of up to this many words are looked up.
SYNONYM_MAX_WORDS = 3
# Added to the relevance of a product matching a synonym-bearing word itself (ts_rank < 1), so
# that exact matches rank above products found through a related word only.
EXACT_BONUS = 1.0
# Share of the synonyms' ts_rank in the relevance (orders the products found through them).
SYNONYM_RANK_WEIGHT = 0.1
# The active synonyms among a list of folded phrases (one statement with the typo probes).
SYNONYM_SQL = (
    "SELECT s.term, s.related FROM products_searchsynonym s "
    "WHERE s.is_active AND s.term = ANY(%s::text[])"
)

# Words that only say what kind of region follows ("kabupaten sanggau", "kab. sambas").
REGION_PREFIX_WORDS = {"kabupaten", "kab", "kota"}


def fold(text: str) -> str:
    """Lower case without accents (the Python side of ``f_unaccent(lower(...))``)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text or "")[:MAX_QUERY_CHARS])


# --- SQL building blocks -------------------------------------------------------------------------
class SearchVectorColumn(Expression):
    """``products_product.search_vector``: a generated column the ORM does not manage."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):  # noqa: ARG002
        alias = compiler.query.get_initial_alias()
        return f'{compiler.quote_name_unless_alias(alias)}."search_vector"', []


class TsQuery(Func):
    """``plainto_tsquery('indonesian', f_unaccent(word))``."""

    template = "plainto_tsquery('indonesian'::regconfig, f_unaccent(%(expressions)s))"
    output_field = SearchQueryField()


class OrTsQuery(Func):
    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = SearchQueryField()


class Matches(Func):
    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


class FoldedName(Func):
    """``f_unaccent(lower(name))``: the expression of the trigram index."""

    template = "f_unaccent(lower(%(expressions)s))"


class WordSimilar(Func):
    """``word <% f_unaccent(lower(name))`` (index-backed word similarity above the threshold)."""

    template = "(%(expressions)s)"
    arg_joiner = " <%% "
    output_field = BooleanField()


class WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


class TsRank(Func):
    function = "ts_rank"
    output_field = FloatField()


@dataclass
class ParsedQuery:
    text_terms: list[str] = field(default_factory=list)
    # (word as typed, kab/kota code)
    region_terms: list[tuple[str, str]] = field(default_factory=list)
    # Text words the full-text index does not know (set by prepare_search): matched by trigram.
    typo_terms: set[str] = field(default_factory=set)
    # Typo word -> the known words closest to it (set by a caller with a word list, e.g. the
    # public catalog's index).
    corrections: dict[str, list[str]] = field(default_factory=dict)
    # Text term (a word or a phrase) -> its related words from the synonym table.
    synonyms: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.text_terms and not self.region_terms

    @property
    def text(self) -> str:
        return " ".join(self.text_terms)


def kabupaten_name_index(kabupaten_names: dict[str, str]) -> dict[tuple[str, ...], str]:
    """('kapuas', 'hulu') -> '61.06' from {code: 'Kabupaten Kapuas Hulu'}."""
    index: dict[tuple[str, ...], str] = {}
    for code, name in kabupaten_names.items():
        parts = words(name)
        while parts and parts[0] in REGION_PREFIX_WORDS:
            parts = parts[1:]
        if parts:
            index[tuple(parts)] = code
    return index


def parse_query(raw: str, kabupaten_names: dict[str, str]) -> ParsedQuery:
    """Split a query into text words and kab/kota words (see the module docstring)."""
    tokens = [t[:MAX_TERM_CHARS] for t in words(raw)]
    index = kabupaten_name_index(kabupaten_names)
    longest = max((len(k) for k in index), default=1)
    parsed = ParsedQuery()
    i = 0
    while i < len(tokens) and len(parsed.text_terms) + len(parsed.region_terms) < MAX_TERMS:
        for size in range(longest, 0, -1):
            key = tuple(tokens[i : i + size])
            if len(key) == size and key in index:
                parsed.region_terms.append((" ".join(key), index[key]))
                # "kabupaten"/"kota" just before the name said the same thing.
                if parsed.text_terms and parsed.text_terms[-1] in REGION_PREFIX_WORDS:
                    parsed.text_terms.pop()
                i += size
                break
        else:
            parsed.text_terms.append(tokens[i])
            i += 1
    return parsed


def synonym_keys(parsed: ParsedQuery) -> list[str]:
    """Every run of up to :data:`SYNONYM_MAX_WORDS` consecutive text words ("pakaian",
    "pakaian adat"): the phrases looked up in the synonym table."""
    terms = parsed.text_terms
    return [
        " ".join(terms[i : i + size])
        for size in range(1, SYNONYM_MAX_WORDS + 1)
        for i in range(len(terms) - size + 1)
    ]


def apply_synonyms(parsed: ParsedQuery, found: dict[str, list[str]]) -> None:
    """Join the words of a phrase found in the synonym table into one term (longest first, left
    to right) and note the related words of each term. A term with synonyms is no typo."""
    if not found:
        return
    terms, merged, i = parsed.text_terms, [], 0
    while i < len(terms):
        for size in range(SYNONYM_MAX_WORDS, 0, -1):
            key = " ".join(terms[i : i + size])
            if i + size <= len(terms) and key in found:
                merged.append(key)
                parsed.synonyms[key] = [w for w in found[key] if w and w != key]
                i += size
                break
        else:
            merged.append(terms[i])
            i += 1
    parsed.text_terms = merged
    parsed.typo_terms = {t for t in parsed.typo_terms if t in merged and t not in parsed.synonyms}
    parsed.corrections = {t: w for t, w in parsed.corrections.items() if t in parsed.typo_terms}


def own_words(term: str, parsed: ParsedQuery) -> list[str]:
    """The word as typed, its documented affix form, and for a typo its closest known words."""
    words_ = [term]
    if term in QUERY_EXPANSIONS:
        words_.append(QUERY_EXPANSIONS[term])
    return words_ + parsed.corrections.get(term, [])


def _fulltext_q(term: str) -> Q:
    vector = SearchVectorColumn()
    q = Q(Matches(vector, TsQuery(Value(term))))
    if term in QUERY_EXPANSIONS:
        q |= Q(Matches(vector, TsQuery(Value(QUERY_EXPANSIONS[term]))))
    return q


def _trigram_q(term: str) -> Q:
    return Q(WordSimilar(Value(term), FoldedName(F("name"))))


def _synonym_q(term: str, parsed: ParsedQuery) -> Q:
    vector = SearchVectorColumn()
    q = Q(pk__in=[])
    for word in parsed.synonyms.get(term, []):
        q |= Q(Matches(vector, TsQuery(Value(word))))
    return q


def _term_q(term: str, parsed: ParsedQuery) -> Q:
    """One word: a full-text hit, or for a word unknown to the index a close trigram match, or a
    hit of one of its synonyms."""
    if term in parsed.typo_terms:
        return _fulltext_q(term) | _trigram_q(term)
    if term in parsed.synonyms:
        return _fulltext_q(term) | _synonym_q(term, parsed)
    return _fulltext_q(term)


def prepare_search(parsed: ParsedQuery) -> None:
    """One query: set the trigram threshold and find which words the full-text index lacks, on
    the database the Product reads are routed to (the connection the search then runs on)."""
    if parsed.is_empty:
        return
    words_ = parsed.text_terms
    with connections[router.db_for_read(Product)].cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false), "
            "ARRAY(SELECT t FROM unnest(%s::text[]) AS t WHERE NOT EXISTS ("
            "  SELECT 1 FROM products_product p WHERE p.search_vector @@ "
            "  plainto_tsquery('indonesian'::regconfig, f_unaccent(t)))), "
            f"(SELECT coalesce(json_object_agg(x.term, x.related), '{{}}') FROM ({SYNONYM_SQL}) x)",
            [str(WORD_SIMILARITY_THRESHOLD), words_, synonym_keys(parsed)],
        )
        _threshold, unknown, found = cursor.fetchone()
    parsed.typo_terms = {
        t for t in unknown if len(t) >= 3 and not t.isdigit() and t not in QUERY_EXPANSIONS
    }
    apply_synonyms(parsed, found if isinstance(found, dict) else json.loads(found or "{}"))


def apply_search(queryset: QuerySet, parsed: ParsedQuery, *, rank: bool = True) -> QuerySet:
    """Filter ``queryset`` (of Product) by ``parsed`` (after :func:`prepare_search`)."""
    if parsed.is_empty:
        return queryset
    for term in parsed.text_terms:
        queryset = queryset.filter(_term_q(term, parsed))
    for word, code in parsed.region_terms:
        queryset = queryset.filter(Q(unit__kabupaten_code=code) | _fulltext_q(word))
    if rank:
        queryset = queryset.annotate(rank=search_rank(parsed))
    return queryset


def search_rank(parsed: ParsedQuery):
    all_words = parsed.text_terms + [word for word, _code in parsed.region_terms]
    all_words += [QUERY_EXPANSIONS[t] for t in parsed.text_terms if t in QUERY_EXPANSIONS]
    tsquery = OrTsQuery(*[TsQuery(Value(w)) for w in all_words])
    rank = TsRank(SearchVectorColumn(), tsquery)
    for term in parsed.text_terms:
        if term in parsed.synonyms:  # a product matching the word itself ranks above the others
            exact = Case(When(_fulltext_q(term), then=Value(EXACT_BONUS)), default=Value(0.0))
            related = OrTsQuery(*[TsQuery(Value(w)) for w in parsed.synonyms[term]])
            rank = rank + exact + Value(SYNONYM_RANK_WEIGHT) * TsRank(SearchVectorColumn(), related)
    typos = [t for t in parsed.text_terms if t in parsed.typo_terms]
    if typos:
        similarity = WordSimilarity(Value(" ".join(typos)), FoldedName(F("name")))
        rank = rank + Value(TRIGRAM_RANK_WEIGHT) * similarity
    return rank
