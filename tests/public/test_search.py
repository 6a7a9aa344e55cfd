"""Search: Indonesian full text, trigram typo tolerance, unaccent, region words, ranking."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ikm.models import Region
from products.search import parse_query
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def search(client, q, **params):
    response = client.get(reverse("public:catalog"), {"q": q, **params})
    assert response.status_code == 200
    return [p.slug for p in response.context["catalog"].page.object_list]


def test_pengrajin_finds_products_described_as_kerajinan(client, catalog_data):
    # The stemmer reduces both words to 'rajin'; the description is weight B.
    assert search(client, "pengrajin") == ["tikar-pandan"]
    # 'perajin' is not joined by the stemmer: the documented expansion covers it.
    assert search(client, "perajin") == ["tikar-pandan"]


def test_minuman_finds_minuman_lidah_buaya(client, catalog_data):
    assert search(client, "minuman")[0] == "minuman-lidah-buaya"


def test_typo_lempuk_finds_lempok_durian(client, catalog_data):
    assert search(client, "lempuk") == ["lempok-durian"]  # not the draft nor the unverified unit


def test_typo_amplank_finds_amplang(client, catalog_data):
    assert search(client, "amplank") == ["amplang-ikan-tenggiri"]


def test_uppercase_keramik_singkawang_finds_ceramics_from_kota_singkawang(client, catalog_data):
    # "Gelas Keramik Souvenir" is ceramics from Pontianak: the region word excludes it.
    assert search(client, "KERAMIK singkawang") == ["vas-keramik-naga"]
    assert set(search(client, "keramik")) == {"vas-keramik-naga", "gelas-keramik-souvenir"}


def test_accents_are_ignored(client, catalog_data):
    assert search(client, "lémpok dúrian") == ["lempok-durian"]


def test_name_hit_ranks_above_description_hit(client, catalog_data):
    ProductFactory(
        unit=catalog_data.units["lempok"],
        name="Dodol Kelapa",
        slug="dodol-kelapa",
        description="Rasanya mirip lempok.",
    )
    assert search(client, "lempok") == ["lempok-durian", "dodol-kelapa"]


def test_region_words_are_recognised_with_and_without_prefix():
    names = {"61.06": "Kabupaten Kapuas Hulu", "61.72": "Kota Singkawang", "61.03": "Sanggau"}
    parsed = parse_query("Tenun kabupaten Kapuas Hulu", names)
    assert parsed.text_terms == ["tenun"]
    assert parsed.region_terms == [("kapuas hulu", "61.06")]
    # "kapuas" alone is also a kecamatan and a river: it stays a text word.
    assert parse_query("anyaman kapuas", names).text_terms == ["anyaman", "kapuas"]


def test_search_word_matching_kabupaten_name_also_matches_text(client, catalog_data):
    kab = Region.objects.get(code="61.03")
    assert kab.name.lower().endswith("sanggau")
    # "sanggau" is a region word: products made in Sanggau, or mentioning it.
    assert set(search(client, "sanggau")) == {"lempok-durian", "tikar-pandan"}


@pytest.mark.parametrize(
    "q",
    [
        "<script>alert(1)</script>",
        "'; DROP TABLE products_product; --",
        "x" * 1000,
        "lempok " * 300,
        "%%% ___ \\\\ ::* & | ! ( )",
        # "\x00": a 400 page before any view (tests/security/test_hostile_input.py)
        "😀 durian",
    ],
)
def test_hostile_queries_answer_200(client, catalog_data, q):
    response = client.get(reverse("public:catalog"), {"q": q})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_overlong_query_shows_a_clear_message_and_no_results(client, catalog_data):
    response = client.get(reverse("public:catalog"), {"q": "lempok " * 300})
    catalog = response.context["catalog"]
    assert catalog.errors and catalog.count == 0
    assert "Cari produk" in response.content.decode()
