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
    "directory_certificate": ("/ikm/", {"kabupaten": "61.03", "sertifikat": "halal"}),
    "region_kab": ("/wilayah/61.03/", {}),
    "region_kec": ("/wilayah/61.03.01/", {}),
    "regions": ("/wilayah/", {}),
}

# Counted once by hand; the point of the test is that they do not grow with the data.
# The home figures: one query over the count tables and one for the kab/kota names.
HOME_FIGURE_QUERIES = 2
EXPECTED = {
    "home": 7,  # the next three events (issue 16) are one query
    "catalog": 5,
    "catalog_search_filters": 6,
    "product": 6,
    "unit": 5,
    # Without a search word or certificate: facets and count from public_unitfacetcount.
    "directory": 3,
    "directory_certificate": 6,
    "region_kab": 8,
    "region_kec": 8,
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
    first = client.get("/")
    assert first.context["figures"].products == 6
    # For anonymous visitors the whole page is kept (public/middleware.anonymous_page_cache).
    with django_assert_num_queries(0):
        again = client.get("/")
    assert again.content == first.content
    add_more(catalog_data, 2)  # a write moves the cache version on: the next request sees it
    assert client.get("/").context["figures"].products == 8
    # Logged in: the page is rendered each time; the figures still come from the cache.
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    client.get("/")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").context["figures"].products == 8
    assert "public_unitcount" not in _statements(ctx)


def _statements(ctx) -> str:
    return "\n".join(q["sql"] for q in ctx.captured_queries)


def test_unfiltered_catalog_facets_are_cached(client, catalog_data, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as cold:
        client.get("/produk/")
    assert "public_catalogkabcount" in _statements(cold)  # the facets, in the page's statement
    with django_assert_num_queries(EXPECTED["catalog"]) as warm:
        response = client.get("/produk/?halaman=1")
    assert "public_catalogkabcount a, unnest" not in _statements(warm)  # facets from the cache
    assert response.context["catalog"].count == 6
    # Any search or filter is counted live.
    with django_assert_num_queries(EXPECTED["catalog"]) as filtered:
        client.get("/produk/", {"kategori": "makanan"})
    assert "public_catalogkabcount a, unnest" in _statements(filtered)


def test_refresh_task_recomputes_the_cached_aggregates(
    client, catalog_data, django_assert_num_queries
):
    """Beat's public.refresh_aggregates fills both caches with current figures: the next home and
    landing catalog requests compute nothing, and see products added since."""
    from public.tasks import refresh_aggregates

    client.get("/")
    client.get("/produk/")
    add_more(catalog_data, 2)
    refresh_aggregates()
    with django_assert_num_queries(EXPECTED["home"] - HOME_FIGURE_QUERIES):
        assert client.get("/").context["figures"].products == 8
    with django_assert_num_queries(EXPECTED["catalog"]) as ctx:
        assert client.get("/produk/?halaman=1").context["catalog"].count == 8
    assert "public_catalogkabcount a, unnest" not in _statements(ctx)
