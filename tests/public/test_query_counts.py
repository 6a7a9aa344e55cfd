"""A fixed number of SQL queries per page, whatever the amount of data."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certifications.models import CertificationType
from tests.factories import (
    CertificationFactory,
    MarketplaceLinkFactory,
    ProductFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

PAGES = {
    "home": ("/", {}),
    "catalog": ("/produk/", {}),
    "catalog_search_filters": (
        "/produk/",
        {"q": "lempok", "kabupaten": "61.03", "sertifikat": "halal"},
    ),
    "product": ("/produk/lempok-durian/", {}),
    "unit": ("/ikm/lempok-sanggau-sejahtera/", {}),
    "directory": ("/ikm/", {"kabupaten": "61.03"}),
    "region_kab": ("/wilayah/61.03/", {}),
    "region_kec": ("/wilayah/61.03.01/", {}),
    "regions": ("/wilayah/", {}),
}

# Counted once by hand; the point of the test is that they do not grow with the data.
EXPECTED = {
    "home": 10,
    "catalog": 5,
    "catalog_search_filters": 6,
    "product": 6,
    "unit": 5,
    "directory": 6,
    "region_kab": 9,
    "region_kec": 9,
    "regions": 2,
}


def add_more(catalog_data, n: int, start: int = 0) -> None:
    """n more products (with certificates and links) in the same places."""
    unit = catalog_data.units["lempok"]
    for i in range(start, start + n):
        other = UnitFactory(name=f"Lempok Tambahan {i}", slug=f"lempok-tambahan-{i}")
        product = ProductFactory(
            unit=unit if i % 2 else other,
            name=f"Lempok Durian Varian {i}",
            slug=f"lempok-varian-{i}",
            is_selected=bool(i % 3 == 0),
        )
        MarketplaceLinkFactory(product=product)
        cert = CertificationFactory(unit=product.unit, type=CertificationType.HALAL)
        cert.products.add(product)


def count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", list(PAGES))
def test_query_count_is_fixed_at_two_data_sizes(
    client, catalog_data, page, django_assert_num_queries
):
    url, params = PAGES[page]
    add_more(catalog_data, 3)  # every list on every page has rows (empty prefetches skip a query)
    with django_assert_num_queries(EXPECTED[page]):
        client.get(url, params)
    add_more(catalog_data, 40, start=100)  # enough to fill more than one catalog page (24)
    cache.clear()  # the home figures are cached; count the cold request again
    with django_assert_num_queries(EXPECTED[page]):
        client.get(url, params)


def test_home_figures_are_cached_then_recomputed(client, catalog_data, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(EXPECTED["home"] - 6):  # the six figure queries are cached
        response = client.get("/")
    assert response.context["figures"].products == 6
    cache.clear()
    add_more(catalog_data, 2)
    assert client.get("/").context["figures"].products == 8


def test_unfiltered_catalog_facets_are_cached(client, catalog_data, django_assert_num_queries):
    client.get("/produk/")
    with django_assert_num_queries(EXPECTED["catalog"] - 1):
        response = client.get("/produk/?halaman=1")
    assert response.context["catalog"].count == 6
    # Any search or filter is counted live.
    with django_assert_num_queries(EXPECTED["catalog"]):
        client.get("/produk/", {"kategori": "makanan"})


def test_refresh_task_recomputes_the_cached_aggregates(
    client, catalog_data, django_assert_num_queries
):
    """Beat's public.refresh_aggregates fills both caches with current figures: the next home and
    landing catalog requests compute nothing, and see products added since."""
    from public.tasks import refresh_aggregates

    client.get("/")
    client.get("/produk/")
    add_more(catalog_data, 2)
    assert client.get("/").context["figures"].products == 6  # still the cached figure
    refresh_aggregates()
    with django_assert_num_queries(EXPECTED["home"] - 6):
        assert client.get("/").context["figures"].products == 8
    with django_assert_num_queries(EXPECTED["catalog"] - 1):
        assert client.get("/produk/?halaman=1").context["catalog"].count == 8
