"""Issue 14: search for people who don't know the exact word.

Synonyms from the officials' table (products.SearchSynonym) widen a search and rank below exact
matches; a typo gets "Mungkin maksud Anda"; an empty result offers popular categories and
searches and shows no empty filter groups.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ikm.models import CommodityGroup
from products.models import SearchSynonym
from products.search import apply_synonyms, parse_query
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def get(client, q, **params):
    response = client.get(reverse("public:catalog"), {"q": q, **params})
    assert response.status_code == 200
    return response


def search(client, q, **params) -> list[str]:
    return [p.slug for p in get(client, q, **params).context["catalog"].page.object_list]


def synonym(term, related, **fields) -> SearchSynonym:
    """Set (not merely add) a synonym row: the migration's seed rows may already exist."""
    obj, _created = SearchSynonym.objects.update_or_create(
        term=term, defaults={"related": related, "is_active": True, **fields}
    )
    return obj


@pytest.fixture
def textiles(catalog_data):
    unit = catalog_data.units["anyaman"]
    made = {
        "tenun": ProductFactory(
            unit=unit,
            name="Kain Tenun Ikat",
            slug="kain-tenun-ikat",
            category=CommodityGroup.FASHION,
            description="Tenun ikat pewarna alam.",
        ),
        "songket": ProductFactory(
            unit=unit,
            name="Selendang Songket Sambas",
            slug="selendang-songket",
            category=CommodityGroup.FASHION,
            description="Songket benang emas.",
        ),
    }
    synonym("pakaian", ["fesyen", "tenun", "songket", "kain", "busana"])
    synonym("pakaian adat", ["tenun", "songket", "kain tenun"])
    synonym("oleh oleh", ["makanan khas", "lempok", "amplang"])
    return made


def test_synonym_rows_are_stored_folded():
    row = SearchSynonym.objects.create(
        term="  Kue-Kue ", related=["Lempok", "Amplang", "lempok", "kue kue"]
    )
    row.refresh_from_db()
    assert row.term == "kue kue"
    assert row.related == ["lempok", "amplang"]  # duplicates and the term itself dropped


def test_the_migration_seeds_everyday_words():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("products.migrations.0007_issue14")
    SearchSynonym.objects.all().delete()  # (a transactional test may have flushed them anyway)
    migration.seed_synonyms(apps, None)
    seeded = dict(SearchSynonym.objects.values_list("term", "related"))
    assert {"pakaian", "pakaian adat", "oleh oleh", "camilan", "suvenir"} <= set(seeded)
    assert {"tenun", "songket", "kain"} <= set(seeded["pakaian"])
    assert "kemeja" not in seeded["pakaian"]  # the stemmer reads it as "meja" (tables)
    assert all(term == " ".join(term.split()) == term.lower() for term in seeded)
    migration.seed_synonyms(apps, None)  # idempotent
    assert SearchSynonym.objects.count() == len(seeded)


def test_pakaian_finds_textiles(client, textiles):
    assert search(client, "tenun") == ["kain-tenun-ikat"]  # the exact word, as before
    assert set(search(client, "pakaian")) == {"kain-tenun-ikat", "selendang-songket"}


def test_pakaian_adat_is_read_as_one_phrase(client, textiles):
    catalog = get(client, "pakaian adat").context["catalog"]
    assert catalog.parsed.text_terms == ["pakaian adat"]
    assert "kain tenun" in catalog.parsed.synonyms["pakaian adat"]
    assert {p.slug for p in catalog.page.object_list} == {"kain-tenun-ikat", "selendang-songket"}


def test_oleh_oleh_finds_regional_food(client, textiles):
    found = search(client, "oleh-oleh")
    assert {"lempok-durian", "amplang-ikan-tenggiri"} <= set(found)
    assert "kain-tenun-ikat" not in found


def test_exact_matches_rank_above_synonym_matches(client, textiles, catalog_data):
    # A description-only hit on the word itself still outranks name hits of related words.
    exact = ProductFactory(
        unit=catalog_data.units["anyaman"],
        name="Rompi Manik",
        slug="rompi-manik",
        category=CommodityGroup.FASHION,
        description="Pakaian adat sehari-hari.",
    )
    found = search(client, "pakaian")
    assert found[0] == exact.slug
    assert set(found[1:]) == {"kain-tenun-ikat", "selendang-songket"}
    assert search(client, "pakaian adat")[0] == exact.slug


def test_inactive_synonyms_are_ignored(client, textiles):
    SearchSynonym.objects.filter(term="pakaian").update(is_active=False)
    assert search(client, "pakaian") == []


def test_a_word_can_be_both_a_phrase_start_and_alone():
    parsed = parse_query("pakaian adat dayak", {})
    apply_synonyms(parsed, {"pakaian adat": ["tenun"], "pakaian": ["kain"]})
    assert parsed.text_terms == ["pakaian adat", "dayak"]  # the longest phrase wins
    assert parsed.synonyms == {"pakaian adat": ["tenun"]}


def test_a_synonym_change_shows_on_the_next_cached_request(client, textiles):
    assert search(client, "wastra") == []  # cached for anonymous visitors (page cache)
    synonym("wastra", ["tenun"])  # a write moves the catalog version on (public/signals.py)
    assert search(client, "wastra") == ["kain-tenun-ikat"]


def test_api_search_uses_synonyms(client, textiles):
    response = client.get("/api/v1/produk/", {"q": "pakaian"})
    assert response.status_code == 200
    slugs = {row["slug"] for row in response.json()["results"]}
    assert slugs == {"kain-tenun-ikat", "selendang-songket"}


def test_query_count_is_the_same_with_synonyms_and_typos(client, textiles):
    counts = {}
    for q in ("lempok", "pakaian", "pakaian adat", "amplank"):
        with CaptureQueriesContext(connection) as ctx:
            get(client, q, kabupaten="61.03")
        counts[q] = len(ctx.captured_queries)
    assert len(set(counts.values())) == 1, counts


# --- "Mungkin maksud Anda" ---------------------------------------------------------------------
def test_a_typo_gets_did_you_mean(client, catalog_data):
    response = get(client, "amplank")
    suggestion = response.context["search_help"]["suggestion"]
    assert suggestion.label == "amplang"
    assert suggestion.url == "/produk/?q=amplang"
    page = response.content.decode()
    assert "Mungkin maksud Anda:" in page and 'href="/produk/?q=amplang"' in page


def test_did_you_mean_keeps_correct_words_and_filters(client, catalog_data):
    suggestion = get(client, "amplank ikan", kategori="makanan").context["search_help"][
        "suggestion"
    ]
    assert suggestion.label == "amplang ikan"
    assert suggestion.url == "/produk/?q=amplang+ikan&kategori=makanan"


def test_an_exact_word_gets_no_suggestion(client, catalog_data):
    response = get(client, "amplang")
    assert response.context["search_help"]["suggestion"] is None
    assert "Mungkin maksud Anda" not in response.content.decode()


# --- empty result ------------------------------------------------------------------------------
def test_empty_result_shows_popular_categories_and_searches_and_no_empty_facets(
    client, catalog_data
):
    synonym("oleh oleh", ["lempok"], is_popular=True)
    SearchSynonym.objects.exclude(term="oleh oleh").update(is_popular=False)
    response = get(client, "qwzxv")
    page = response.content.decode()
    help_ = response.context["search_help"]
    assert response.context["catalog"].count == 0
    assert "Tidak ada pilihan untuk hasil ini." not in page
    assert 'class="facet"' not in page  # no filter group without values
    # Categories by size of the whole catalog: kerajinan (3 public products) first.
    assert [link.label for link in help_["popular_categories"]][:2] == ["Kerajinan", "Makanan"]
    assert help_["popular_categories"][0].count == 3
    assert 'href="/produk/?kategori=kerajinan"' in page
    assert [(link.label, link.url) for link in help_["popular_searches"]] == [
        ("oleh-oleh", "/produk/?q=oleh-oleh")
    ]
    assert "Pencarian populer" in page and "Kategori populer" in page


def test_a_result_shows_its_facets_and_no_popular_block(client, catalog_data):
    response = get(client, "keramik")
    page = response.content.decode()
    assert 'class="facet"' in page and "Kategori populer" not in page
    assert "popular_categories" not in response.context["search_help"]
