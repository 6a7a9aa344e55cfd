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
4. Relevance = ``ts_rank`` (A weight > B weight, so a name hit ranks above a description hit)
   + for typo words, a share of the name's trigram word similarity.

``pg_trgm.word_similarity_threshold`` defaults to 0.6, which misses "lempuk"/"lempok" (0.57):
:func:`prepare_search` sets it to :data:`WORD_SIMILARITY_THRESHOLD` for the connection, in the
same query as the probes. It runs on the database the product reads go to (the read replica on
public pages, sipi/dbrouting.py), and the search must follow on the same server connection:
behind PgBouncer in transaction mode, inside one transaction (public/catalog.py does so).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.db import connections, router
from django.db.models import (
    BooleanField,
    Expression,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
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


def _fulltext_q(term: str) -> Q:
    vector = SearchVectorColumn()
    q = Q(Matches(vector, TsQuery(Value(term))))
    if term in QUERY_EXPANSIONS:
        q |= Q(Matches(vector, TsQuery(Value(QUERY_EXPANSIONS[term]))))
    return q


def _trigram_q(term: str) -> Q:
    return Q(WordSimilar(Value(term), FoldedName(F("name"))))


def _term_q(term: str, parsed: ParsedQuery) -> Q:
    """One word: a full-text hit, or for a word unknown to the index a close trigram match."""
    if term in parsed.typo_terms:
        return _fulltext_q(term) | _trigram_q(term)
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
            "  plainto_tsquery('indonesian'::regconfig, f_unaccent(t))))",
            [str(WORD_SIMILARITY_THRESHOLD), words_],
        )
        unknown = cursor.fetchone()[1]
    parsed.typo_terms = {
        t for t in unknown if len(t) >= 3 and not t.isdigit() and t not in QUERY_EXPANSIONS
    }


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
    typos = [t for t in parsed.text_terms if t in parsed.typo_terms]
    if typos:
        similarity = WordSimilarity(Value(" ".join(typos)), FoldedName(F("name")))
        rank = rank + Value(TRIGRAM_RANK_WEIGHT) * similarity
    return rank
