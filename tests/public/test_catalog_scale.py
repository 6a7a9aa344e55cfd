"""Counts beyond the exact limit are labelled lower bounds; writes show on the next request;
bounded pages; the count tables behind home and region pages (issue 11)."""

from __future__ import annotations

import pytest

from public import catalog as catalog_module
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
URL = "/produk/"


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def many_lempok(catalog_data, n: int) -> None:
    unit = catalog_data.units["lempok"]
    for i in range(n):
        ProductFactory(unit=unit, name=f"Lempok Ekstra {i}", slug=f"lempok-ekstra-{i}")


def test_counts_beyond_the_limit_are_lower_bounds_and_say_so(client, catalog_data, monkeypatch):
    many_lempok(catalog_data, 6)  # 7 public "lempok" products in 61.03 (+ lempok-durian)
    monkeypatch.setattr(catalog_module, "EXACT_LIMIT", 4)
    response = get(client, q="lempok")
    catalog = response.context["catalog"]
    assert catalog.count_is_lower_bound and catalog.count == 4
    assert "Lebih dari 4 produk" in response.content.decode()
    kab = next(f for f in catalog.facets if f.name == "kabupaten")
    assert kab.values and all(v.at_least for v in kab.values)
    html = response.content.decode()
    assert 'title="Sedikitnya sebanyak ini"' in html
    # The counts are true lower bounds: following the link gives at least as many.
    monkeypatch.setattr(catalog_module, "EXACT_LIMIT", 10_000)
    for value in kab.values:
        followed = client.get(URL + value.url).context["catalog"]
        assert not followed.count_is_lower_bound and followed.count >= value.count


def test_counts_within_the_limit_are_exact_and_unlabelled(client, catalog_data):
    many_lempok(catalog_data, 6)
    response = get(client, q="lempok")
    catalog = response.context["catalog"]
    assert not catalog.count_is_lower_bound and catalog.count == 7
    assert not any(v.at_least for f in catalog.facets for v in f.values)
    assert "Lebih dari" not in response.content.decode()


def test_pages_are_bounded_and_a_huge_page_is_the_last_one(client, catalog_data, monkeypatch):
    many_lempok(catalog_data, 30)  # 36 public products
    monkeypatch.setattr(catalog_module, "MAX_LISTED", 30)
    monkeypatch.setattr(catalog_module, "EXACT_LIMIT", 10)
    first = get(client).context["catalog"]
    assert first.count == 36 and first.pages_bounded  # exact: from the count table
    assert first.page.paginator.num_pages == 2
    last = get(client, halaman="99999999999999999999").context["catalog"]
    assert last.page.number == 2 and len(last.page.object_list) == 6  # 30 listed - 24
    # The default order, walked on its index beyond the exact limit: no product twice.
    slugs = [p.slug for p in first.page.object_list] + [p.slug for p in last.page.object_list]
    assert len(slugs) == len(set(slugs)) == 30
    assert {"minuman-lidah-buaya", "lempok-durian"} <= set(slugs[:2])  # produk terseleksi first


@pytest.mark.parametrize("sort", ["terbaru", "harga_naik", "harga_turun", "relevan"])
def test_sorting_beyond_the_exact_limit_walks_the_index(client, catalog_data, monkeypatch, sort):
    many_lempok(catalog_data, 10)
    exact = [p.slug for p in get(client, urut=sort).context["catalog"].page.object_list]
    monkeypatch.setattr(catalog_module, "EXACT_LIMIT", 3)
    walked = [p.slug for p in get(client, urut=sort).context["catalog"].page.object_list]
    assert walked == exact


def test_a_product_edit_shows_on_the_next_request(client, catalog_data):
    first = get(client).context["catalog"]  # the landing facets are now cached
    kategori = {v.value: v.count for v in first.facets[0].values}
    assert kategori["makanan"] == 2
    vas = catalog_data.products["vas"]
    vas.category = "makanan"
    vas.name = "Vas Keramik Naga Baru"
    vas.save()
    second = get(client).context["catalog"]
    assert {v.value: v.count for v in second.facets[0].values}["makanan"] == 3
    assert "Vas Keramik Naga Baru" in client.get("/produk/vas-keramik-naga/").content.decode()
    home = client.get("/").context["figures"]
    vas.is_published = False
    vas.save()
    assert client.get("/").context["figures"].products == home.products - 1
    assert get(client).context["catalog"].count == 5


def test_region_pages_count_from_the_count_tables(client, catalog_data):
    from ikm.models import IKMUnit
    from products.models import Product

    response = client.get("/wilayah/61.03/")
    units = IKMUnit.objects.public().filter(kabupaten_code="61.03")
    products = Product.objects.public().filter(unit__kabupaten_code="61.03")
    assert response.context["totals"] == {"units": units.count(), "products": products.count()}
    for child in response.context["children"]:
        code = child["region"].code
        assert child["units"] == units.filter(kecamatan_code=code).count()
        assert child["products"] == products.filter(unit__kecamatan_code=code).count()
    listed = {u.slug: u.product_count for u in response.context["page"].object_list}
    assert listed["lempok-sanggau-sejahtera"] == 1  # the draft is not counted
    assert response.context["page"].paginator.count == units.count()


def test_map_legend_is_computed_not_looped():
    from public.selectors import kabupaten_map

    legend = kabupaten_map([{"code": "61.03", "units": 4_400_000}])["legend"]
    assert legend[1][1] == (1, 1_100_000) and legend[-1][1] == (3_300_001, 4_400_000)
    assert kabupaten_map([{"code": "61.03", "units": 2}])["legend"] == [
        ("#e8f3ee", (0, 0)),
        ("#7fbf9c", (1, 1)),
        ("#1d6b45", (2, 2)),
    ]
