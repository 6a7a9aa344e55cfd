"""Catalog filters, facets (equal to the filtered counts), sorting, pagination, bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
URL = "/produk/"


def slugs(response):
    return {p.slug for p in response.context["catalog"].page.object_list}


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_catalog_url_is_indonesian():
    assert reverse("public:catalog") == URL


def test_only_published_products_of_verified_units(client, catalog_data):
    assert slugs(get(client)) == {
        "minuman-lidah-buaya",
        "lempok-durian",
        "tikar-pandan",
        "amplang-ikan-tenggiri",
        "vas-keramik-naga",
        "gelas-keramik-souvenir",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kategori": "minuman"}, {"minuman-lidah-buaya"}),
        ({"kategori": "kerajinan"}, {"tikar-pandan", "vas-keramik-naga", "gelas-keramik-souvenir"}),
        ({"kabupaten": "61.03"}, {"lempok-durian", "tikar-pandan"}),
        ({"kabupaten": "61.03", "kecamatan": "61.03.02"}, {"tikar-pandan"}),
        ({"kecamatan": "61.03.01"}, {"lempok-durian"}),
        ({"sertifikat": "halal"}, {"minuman-lidah-buaya", "lempok-durian"}),  # not the expired
        ({"sertifikat": "ovop"}, {"lempok-durian"}),
        ({"sertifikat": "merek"}, set()),  # revoked
        ({"sertifikat": "ovop", "bintang": "4"}, {"lempok-durian"}),
        ({"bintang": "3"}, set()),
        (
            {"harga_min": "40000"},
            {"lempok-durian", "tikar-pandan", "vas-keramik-naga", "gelas-keramik-souvenir"},
        ),
        ({"harga_maks": "30000"}, {"minuman-lidah-buaya", "amplang-ikan-tenggiri"}),
        (
            {"harga_min": "30000", "harga_maks": "45000"},
            {"lempok-durian", "amplang-ikan-tenggiri", "gelas-keramik-souvenir"},
        ),
        ({"marketplace": "1"}, {"lempok-durian", "vas-keramik-naga"}),
        ({"q": "lempok", "kabupaten": "61.03", "sertifikat": "halal"}, {"lempok-durian"}),
    ],
)
def test_filters(client, catalog_data, params, expected):
    assert slugs(get(client, **params)) == expected


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "keramik"},
        {"kabupaten": "61.03"},
        {"sertifikat": "halal"},
        {"kategori": "kerajinan", "marketplace": "1"},
        # Per-kab/kota counts for the kab/kota facet, per-kecamatan ones (certificates checked
        # on the rows, not through the GIN) for the kecamatan facet.
        {"kabupaten": "61.03", "sertifikat": "halal"},
        {"kabupaten": "61.03", "kecamatan": "61.03.01", "sertifikat": "halal"},
        {"kabupaten": "61.03", "sertifikat": "ovop", "bintang": "4"},
    ],
)
def test_every_facet_count_equals_the_count_of_the_list_it_links_to(client, catalog_data, params):
    catalog = get(client, **params).context["catalog"]
    checked = 0
    for facet in catalog.facets:
        for value in facet.values:
            if value.selected:
                assert value.count == catalog.count
                continue
            followed = client.get(URL + value.url)
            assert followed.status_code == 200
            assert followed.context["catalog"].count == value.count, (facet.name, value.value)
            checked += 1
    assert checked


def test_facets_show_the_values_with_results(client, catalog_data):
    catalog = get(client).context["catalog"]
    facets = {f.name: {v.value: v.count for v in f.values} for f in catalog.facets}
    assert facets["kategori"] == {"makanan": 2, "minuman": 1, "kerajinan": 3}
    assert facets["kabupaten"] == {"61.03": 2, "61.04": 1, "61.71": 2, "61.72": 1}
    assert facets["sertifikat"] == {"halal": 2, "ovop": 1}
    assert facets["bintang"] == {"4": 1}
    assert facets["marketplace"] == {"1": 2}
    assert "kecamatan" not in facets  # shown once a kab/kota is chosen
    catalog = get(client, kabupaten="61.03").context["catalog"]
    kec = next(f for f in catalog.facets if f.name == "kecamatan")
    assert {v.value: v.count for v in kec.values} == {"61.03.01": 1, "61.03.02": 1}


def test_sorting(client, catalog_data):
    def order(sort):
        return [p.slug for p in get(client, urut=sort).context["catalog"].page.object_list]

    assert order("harga_naik")[0] == "minuman-lidah-buaya"
    assert order("harga_turun")[0] == "vas-keramik-naga"
    newest = ProductFactory(unit=catalog_data.units["amplang"], name="Amplang Udang", slug="new")
    assert order("terbaru")[0] == newest.slug
    # Default without a query: produk terseleksi first.
    assert set(order("relevan")[:2]) == {"minuman-lidah-buaya", "lempok-durian"}


def test_pagination_and_huge_page_numbers(client, catalog_data):
    unit = catalog_data.units["amplang"]
    for i in range(30):
        ProductFactory(unit=unit, name=f"Amplang {i}", slug=f"amplang-{i}")
    first = get(client).context["catalog"]
    assert first.count == 36 and len(first.page.object_list) == 24
    last = get(client, halaman="2").context["catalog"]
    assert len(last.page.object_list) == 12
    assert get(client, halaman="999999").context["catalog"].page.number == 2
    assert get(client, halaman="abc").context["catalog"].page.number == 1
    assert get(client, halaman="-5").context["catalog"].page.number == 2


@pytest.mark.parametrize(
    "params",
    [
        {"kategori": "senjata"},
        {"kabupaten": "99.99"},
        {"kabupaten": "<b>x</b>"},
        {"kecamatan": "' OR 1=1 --"},
        {"sertifikat": "palsu"},
        {"bintang": "9"},
        {"harga_min": "murah"},
        {"harga_min": "-1"},
        {"harga_maks": "1e40"},
        {"harga_maks": "99999999999999999999999"},
        {"urut": "DROP"},
        {"marketplace": "2"},
    ],
)
def test_unknown_filter_values_give_a_clear_empty_state(client, catalog_data, params):
    response = get(client, **params)
    catalog = response.context["catalog"]
    assert catalog.count == 0 and catalog.errors
    assert "Filter tidak dikenali" in response.content.decode()


def test_unknown_parameters_are_ignored(client, catalog_data):
    assert len(slugs(get(client, foo="bar", utm_source="x"))) == 6


def test_every_state_is_a_shareable_get_url(client, catalog_data):
    response = get(client, q="lempok", kabupaten="61.03", urut="harga_naik")
    html = response.content.decode()
    assert 'method="get"' in html and 'method="post"' not in html.split("<main")[1]
    # Facet links keep the other parameters.
    catalog = response.context["catalog"]
    cat = next(f for f in catalog.facets if f.name == "kategori")
    assert all("q=lempok" in v.url and "kabupaten=61.03" in v.url for v in cat.values)
