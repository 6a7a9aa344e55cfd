"""Help for a visitor whose search found little (issue 14): "Mungkin maksud Anda: …" and, for an
empty result, popular categories and searches.

* The suggestion comes from the catalog's trigram index of product-name words
  (``public_catalogword``), read by ``public.catalog.prepare_catalog_search`` in the search's own
  statement (no extra query): a word the index does not know is replaced by its closest known
  word. Such a search finds nothing as typed, or only through that correction.
* Popular categories are the largest categories of the whole catalog (the landing facets, cached
  under the catalog version); popular searches are the synonym-table terms officials marked
  "pencarian populer" (``products.SearchSynonym``). Both are read only for an empty result.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

from core.facets import PAGE_PARAM
from ikm.models import CommodityGroup
from products.models import SearchSynonym
from products.search import ParsedQuery, words

POPULAR_CATEGORIES = 5
POPULAR_SEARCHES = 8


@dataclass
class Link:
    label: str
    url: str
    count: int | None = None


def display_phrase(phrase: str) -> str:
    """``oleh oleh`` -> ``oleh-oleh`` (a repeated word is written with a hyphen, PUEBI)."""
    parts = phrase.split()
    if len(parts) == 2 and parts[0] == parts[1]:
        return "-".join(parts)
    return phrase


def _catalog_url(params: dict[str, str]) -> str:
    return reverse("public:catalog") + ("?" + urlencode(params) if params else "")


def suggestion(raw_query: str, parsed: ParsedQuery, params: QueryDict) -> Link | None:
    """The query with each unknown word replaced by its closest catalog word (such a search
    finds few products, or only through the correction); ``None`` when nothing would change."""
    if not any(parsed.corrections.get(t) for t in parsed.typo_terms):
        return None  # (a known word with few results has no closer word to offer)
    tokens = words(raw_query)
    replaced = [
        (parsed.corrections.get(t) or [t])[0] if t in parsed.typo_terms else t for t in tokens
    ]
    if replaced == tokens:
        return None
    text = " ".join(replaced)
    kept = {k: v for k, v in params.items() if k not in ("q", PAGE_PARAM) and v}
    return Link(text, _catalog_url({"q": text, **kept}))


def popular_categories(category_counts: dict[str, int]) -> list[Link]:
    labels = dict(CommodityGroup.choices)
    top = sorted(category_counts.items(), key=lambda item: (-item[1], item[0]))
    return [
        Link(str(labels[value]), _catalog_url({"kategori": value}), n)
        for value, n in top[:POPULAR_CATEGORIES]
        if value in labels and n
    ]


def popular_searches() -> list[Link]:
    terms = SearchSynonym.objects.filter(is_active=True, is_popular=True).values_list(
        "term", flat=True
    )
    return [
        Link(display_phrase(term), _catalog_url({"q": display_phrase(term)}))
        for term in terms.order_by("term")[:POPULAR_SEARCHES]
    ]
