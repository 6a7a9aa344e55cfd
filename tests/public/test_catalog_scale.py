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


# --- the IKM directory's count table (public_unitfacetcount) --------------------------------
DIRECTORY_QUERIES = [
    {},
    {"kabupaten": "61.03"},
    {"kabupaten": "61.03", "kecamatan": "61.03.02"},
    {"kategori": "kerajinan"},
    {"kategori": "makanan", "kabupaten": "61.03"},
    {"sentra": "1"},
    {"kabupaten": "61.04", "sentra": "1", "kategori": "makanan"},
]


def _live_directory(params: dict) -> tuple[int, dict]:
    """The directory's count and facets counted on the units themselves."""
    from ikm.models import IKMUnit

    columns = {"kategori": "commodity_group", "kabupaten": "kabupaten_code"}
    columns["kecamatan"] = "kecamatan_code"

    def units(skip=None):
        qs = IKMUnit.objects.public()
        for name, column in columns.items():
            if name != skip and params.get(name):
                qs = qs.filter(**{column: params[name]})
        if params.get("sentra"):
            qs = qs.filter(sentra__isnull=False)
        return qs

    facets = {}
    for name, column in columns.items():
        counts = {}
        for value in units(skip=name).values_list(column, flat=True):
            counts[value] = counts.get(value, 0) + 1
        facets[name] = counts
    return units().count(), facets


def _assert_directory_exact(client) -> None:
    for params in DIRECTORY_QUERIES:
        directory = client.get("/ikm/", params).context["directory"]
        count, facets = _live_directory(params)
        assert directory.count == count, params
        for facet in directory.facets:
            shown = {v.value: v.count for v in facet.values if not v.selected}
            live = {k: n for k, n in facets[facet.name].items() if k in shown or n}
            for value, n in shown.items():
                assert n == live.get(value, 0), (params, facet.name, value)


def test_directory_counts_come_from_the_count_table_and_stay_exact(client, catalog_data):
    from ikm.models import IKMUnit, Sentra
    from tests.factories import UnitFactory

    _assert_directory_exact(client)
    # Writes of every kind move the counts: new units, a sentra, a new group, unverified, moved.
    sentra = Sentra.objects.create(
        name="Sentra Lempok", desa=catalog_data.units["lempok"].desa, commodity_group="makanan"
    )
    lempok = catalog_data.units["lempok"]
    lempok.sentra = sentra
    lempok.save()
    UnitFactory(name="Keripik Baru", slug="keripik-baru", sentra=sentra)
    keramik = catalog_data.units["keramik"]
    keramik.commodity_group = "makanan"
    keramik.save()
    catalog_data.units["anyaman"].delete()
    IKMUnit.objects.filter(slug="unit-belum").update(verified=True)
    amplang = catalog_data.units["amplang"]
    amplang.verified = False
    amplang.save()
    _assert_directory_exact(client)


def test_a_rebuild_of_the_catalog_index_rebuilds_the_directory_counts(client, catalog_data):
    from django.db import connection

    from public.models import UnitFacetCount

    before = sorted(UnitFacetCount.objects.filter(n__gt=0).values_list("kec", "n"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE public_unitfacetcount SET n = n + 5")
        cursor.execute("SELECT public_catalog_rebuild()")
    assert sorted(UnitFacetCount.objects.filter(n__gt=0).values_list("kec", "n")) == before
    _assert_directory_exact(client)


# --- a common word: the facets' slice walked in b-tree order --------------------------------
@pytest.mark.parametrize("walk_limit", [8_000, 2])
def test_a_common_word_with_filters_lists_true_matches(
    client, catalog_data, monkeypatch, walk_limit
):
    """More matches than the exact limit: the list is read by walking the b-tree of the
    facets' slice (or, when that walk finds too few within WALK_LIMIT rows, from the GIN); either
    way every product listed matches, and the count says "more than"."""
    many_lempok(catalog_data, 8)
    params = {"q": "lempok", "kabupaten": "61.03", "kategori": "makanan"}
    exact = get(client, **params).context["catalog"]
    assert not exact.count_is_lower_bound and exact.count == 9
    monkeypatch.setattr(catalog_module, "EXACT_LIMIT", 3)
    monkeypatch.setattr(catalog_module, "WALK_MIN_SHARE", 0)
    monkeypatch.setattr(catalog_module, "WALK_LIMIT", walk_limit)
    walked = get(client, **params).context["catalog"]
    assert walked.count_is_lower_bound and walked.count == 3
    listed = {p.slug for p in walked.page.object_list}
    assert len(listed) == 3 and listed <= {p.slug for p in exact.page.object_list}


@pytest.mark.parametrize("whole_limit", [0, 3_000])
def test_a_small_slice_is_walked_whole_and_its_count_is_exact(
    client, catalog_data, monkeypatch, whole_limit
):
    """More matches of the word than the exact limit, but the facets' slice (one kab/kota's
    category, sized by the count table) is small: it is walked whole, so the matches found in
    it are all there are — an exact count even below the limit (whole_limit 0: the GIN, the
    same answer)."""
    many_lempok(catalog_data, 8)  # 9 "lempok" foods in 61.03
    unit = catalog_data.units["lempok"]
    for i in range(2):
        ProductFactory(unit=unit, name=f"Sirup Lempok {i}", category="minuman")
    monkeypatch.setattr(catalog_module, "EXACT_LIMIT", 3)
    monkeypatch.setattr(catalog_module, "WALK_MIN_SHARE", 1)  # never a "common" word
    monkeypatch.setattr(catalog_module, "WALK_WHOLE_LIMIT", whole_limit)
    drinks = get(client, q="lempok", kabupaten="61.03", kategori="minuman").context["catalog"]
    assert not drinks.count_is_lower_bound and drinks.count == 2
    assert {p.name for p in drinks.page.object_list} == {"Sirup Lempok 0", "Sirup Lempok 1"}
    foods = get(client, q="lempok", kabupaten="61.03", kategori="makanan").context["catalog"]
    assert foods.count_is_lower_bound and foods.count == 3
    assert all("Lempok" in p.name for p in foods.page.object_list)
    assert len({p.pk for p in foods.page.object_list}) == 3


def test_common_words_are_known_from_the_statistics(catalog_data):
    """A word among the most common elements of the vectors is not looked up in the GIN; an
    unknown word still gets its corrections."""
    from django.db import connection, transaction

    from products.search import parse_query

    many_lempok(catalog_data, 30)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE public_catalogrow")
        cursor.execute(f"SELECT {catalog_module.COMMON_WORD.format(t='%s')}", ["lempok"])
        assert cursor.fetchone()[0] is True
        cursor.execute(f"SELECT {catalog_module.COMMON_WORD.format(t='%s')}", ["zirkonia"])
        assert cursor.fetchone()[0] is False
    parsed = parse_query("lempok amplank", {})
    with transaction.atomic():
        catalog_module.prepare_catalog_search(parsed)
    assert parsed.typo_terms == {"amplank"} and "amplang" in parsed.corrections["amplank"]


# --- the page cache for queries ------------------------------------------------------------
def test_a_search_asked_again_comes_from_the_page_cache_until_a_write(
    client, catalog_data, settings, django_assert_num_queries
):
    settings.PUBLIC_QUERY_PAGE_CACHE = True
    url = "/produk/?q=lempok&kabupaten=61.03"
    first = client.get(url)
    assert first.status_code == 200 and first.context["catalog"].count == 1
    with django_assert_num_queries(0):
        again = client.get("/produk/?kabupaten=61.03&q=lempok")  # same query, other order
    assert again.content == first.content
    many_lempok(catalog_data, 2)  # a write moves the catalog's version on
    assert client.get(url).context["catalog"].count == 3
    # Unknown or repeated parameters are never kept.
    assert client.get(url + "&utm=x").context is not None
    assert client.get(url + "&utm=x").context is not None
    assert client.get(url + "&q=amplang").context is not None
    # Directory pages too.
    client.get("/ikm/?kabupaten=61.03")
    with django_assert_num_queries(0):
        assert client.get("/ikm/?kabupaten=61.03").status_code == 200
    settings.PUBLIC_QUERY_PAGE_CACHE = False
    assert client.get(url).context["catalog"].count == 3


def _kab_sums() -> dict:
    from public.models import CatalogCount

    sums: dict = {}
    for c in CatalogCount.objects.all():
        key = (c.category, c.kab, tuple(c.certs), c.marketplace)
        sums[key] = sums.get(key, 0) + c.n
    return {k: n for k, n in sums.items() if n}


def _kab_table() -> dict:
    from public.models import CatalogKabCount

    return {
        (c.category, c.kab, tuple(c.certs), c.marketplace): c.n
        for c in CatalogKabCount.objects.all()
        if c.n
    }


def test_counts_per_kabupaten_follow_every_write_and_a_rebuild(client, catalog_data):
    from django.db import connection

    from certifications.models import CertificationType
    from tests.factories import CertificationFactory, MarketplaceLinkFactory

    assert _kab_table() == _kab_sums() and _kab_table()
    many_lempok(catalog_data, 3)
    vas = catalog_data.products["vas"]
    vas.category = "makanan"
    vas.save()
    MarketplaceLinkFactory(product=catalog_data.products["tikar"])
    cert = CertificationFactory(unit=vas.unit, type=CertificationType.HALAL)
    cert.products.add(vas)
    amplang = catalog_data.units["amplang"]
    amplang.verified = False
    amplang.save()
    catalog_data.products["lempok"].delete()
    assert _kab_table() == _kab_sums()
    home = client.get("/").context["figures"]
    assert home.products == sum(_kab_sums().values())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE public_catalogkabcount SET n = n + 7")
        cursor.execute("SELECT public_catalog_rebuild()")
    assert _kab_table() == _kab_sums()
