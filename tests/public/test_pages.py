"""Home, product, unit, region, verification pages; sitemap, robots, error pages."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from django.test import Client
from django.urls import reverse

from ikm.models import Region

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- home ---------------------------------------------------------------------------------------
def test_home_figures_are_computed_from_the_data(client, catalog_data):
    response = client.get("/")
    figures = response.context["figures"]
    assert (figures.units, figures.products) == (5, 6)  # verified units, public products
    assert (figures.kabupaten, figures.kecamatan, figures.desa) == (4, 5, 5)
    assert {t: n for t, _label, n in figures.certified_by_type} == {"halal": 2, "ovop": 1}
    assert dict(figures.ovop_stars)[4] == 1
    per_kab = {row["code"]: row["units"] for row in figures.units_per_kabupaten}
    assert len(per_kab) == 14 and per_kab["61.03"] == 2 and per_kab["61.06"] == 0
    page = html(response)
    assert "Minuman Lidah Buaya" in page  # produk terseleksi
    assert 'action="/produk/"' in page and 'name="q"' in page


def test_home_map_is_inline_svg_with_14_linked_regions_coloured_by_count(client, catalog_data):
    page = html(client.get("/"))
    svg = page[page.index("<svg") : page.index("</svg>")]
    links = re.findall(r'<a href="(/wilayah/61\.\d\d/)"', svg)
    assert len(set(links)) == 14
    fills = dict(
        re.findall(r'fill="(#[0-9a-f]{6})" data-code="(61\.\d\d)"', svg)[i][::-1] for i in range(14)
    )
    assert fills["61.06"] != fills["61.03"]  # 0 units vs 2 units
    assert "http" not in svg.replace("http://www.w3.org", "")  # nothing loaded from elsewhere


# --- product ------------------------------------------------------------------------------------
def test_product_page(client, catalog_data):
    response = client.get(reverse("public:product_detail", args=["lempok-durian"]))
    page = html(response)
    assert reverse("public:product_detail", args=["x"]).startswith("/produk/")
    assert "Rp45.000" in page or "Rp45,000" in page
    assert "Lempok Sanggau Sejahtera" in page and "Kabupaten Sanggau" in page
    # Certifications: number, issuer, badge.
    assert "KEP/OVOP/2024/17" in page and "Kemenperin (Ditjen IKMA)" in page
    assert "status-active" in page
    # Marketplace and WhatsApp (public) with a prefilled message.
    assert 'href="https://shopee.co.id/lempok-durian"' in page
    wa = re.search(r'href="(https://wa\.me/[^"]+)"', page).group(1)
    parsed = urlparse(wa.replace("&amp;", "&"))
    assert parsed.path == "/6281234500002"
    assert "Lempok Durian" in unquote(parse_qs(parsed.query)["text"][0])
    # JSON-LD and OpenGraph.
    ld = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert ld["@type"] == "Product" and ld["name"] == "Lempok Durian"
    assert ld["offers"]["price"] == "45000" and ld["offers"]["priceCurrency"] == "IDR"
    assert '<meta property="og:title" content="Lempok Durian">' in page
    # Breadcrumbs.
    assert 'class="breadcrumbs"' in page


def test_product_page_statuses_and_no_whatsapp_when_not_public(client, catalog_data):
    page = html(client.get("/produk/amplang-ikan-tenggiri/"))
    assert "status-expired" in page and "Kedaluwarsa" in page
    page = html(client.get("/produk/vas-keramik-naga/"))
    assert "status-revoked" in page and "Dicabut" in page
    assert "tokopedia.com/sakkok/vas" in page
    page = html(client.get("/produk/minuman-lidah-buaya/"))
    assert "wa.me" not in page  # the unit did not make WhatsApp public


def test_product_json_ld_cannot_break_out_of_its_script(client, catalog_data):
    product = catalog_data.products["aloe"]
    product.name = "Aloe </script><script>alert(1)</script>"
    product.save()
    page = html(client.get("/produk/minuman-lidah-buaya/"))
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize("slug", ["lempok-draft", "lempok-x", "tidak-ada"])
def test_unpublished_hidden_and_unknown_products_are_404(client, catalog_data, slug):
    response = client.get(f"/produk/{slug}/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_related_products(client, catalog_data):
    from tests.factories import ProductFactory

    ProductFactory(unit=catalog_data.units["lempok"], name="Dodol Durian", slug="dodol-durian")
    response = client.get("/produk/lempok-durian/")
    assert [p.slug for p in response.context["related"]] == ["dodol-durian"]


# --- unit ---------------------------------------------------------------------------------------
def test_unit_page_shows_public_contact_only(client, catalog_data):
    page = html(client.get(reverse("public:unit_detail", args=["lempok-sanggau-sejahtera"])))
    assert "Lempok Durian" in page and "KEP/OVOP/2024/17" in page
    assert "0564-21002" in page and "lempok@example.id" in page and "6281234500002" in page
    for secret in ("Jl. Rumah Pribadi", "081299990000", "7788", "Siti Aminah"):
        assert secret not in page, secret
    page = html(client.get("/ikm/aloe-vera-khatulistiwa/"))
    for secret in ("0561-700001", "rahasia-aloe@example.id", "6281234500001"):
        assert secret not in page, secret
    assert "belum menampilkan kontak publik" in page


def test_unverified_unit_is_404_and_absent_from_directory(client, catalog_data):
    assert client.get("/ikm/unit-belum/").status_code == 404
    directory = client.get("/ikm/").context["directory"]
    assert directory.count == 5


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kabupaten": "61.03"}, {"lempok-sanggau-sejahtera", "anyaman-kapuas"}),
        ({"kabupaten": "61.03", "kecamatan": "61.03.02"}, {"anyaman-kapuas"}),
        ({"kategori": "kerajinan"}, {"anyaman-kapuas", "keramik-sakkok"}),
        ({"sertifikat": "ovop"}, {"lempok-sanggau-sejahtera"}),
        ({"q": "keramik singkawang"}, {"keramik-sakkok"}),
        ({"q": "LEMPOK"}, {"lempok-sanggau-sejahtera"}),
        ({"kategori": "zzz"}, set()),
    ],
)
def test_directory_filters(client, catalog_data, params, expected):
    response = client.get("/ikm/", params)
    assert response.status_code == 200
    assert {u.slug for u in response.context["directory"].page.object_list} == expected


def test_directory_facet_counts_match_lists(client, catalog_data):
    directory = client.get("/ikm/", {"kabupaten": "61.03"}).context["directory"]
    for facet in directory.facets:
        for value in facet.values:
            if not value.selected:
                followed = client.get("/ikm/" + value.url).context["directory"]
                assert followed.count == value.count


# --- regions ------------------------------------------------------------------------------------
def test_region_pages_drill_down_with_counts(client, catalog_data):
    response = client.get(reverse("public:region_detail", args=["61.03"]))
    page = html(response)
    assert reverse("public:region_detail", args=["61.03"]) == "/wilayah/61.03/"
    assert response.context["totals"] == {"units": 2, "products": 2}
    rows = {r["region"].code: (r["units"], r["products"]) for r in response.context["children"]}
    assert rows["61.03.01"] == (1, 1) and rows["61.03.02"] == (1, 1)
    assert "Lempok Sanggau Sejahtera" in page and 'class="breadcrumbs"' in page
    response = client.get("/wilayah/61.03.02/")
    rows = {r["region"].code: r["units"] for r in response.context["children"]}
    assert rows["61.03.02.2001"] == 1
    response = client.get("/wilayah/61.03.02.2001/")
    assert [u.slug for u in response.context["page"].object_list] == ["anyaman-kapuas"]
    crumbs = [label for label, _url in response.context["crumbs"]]
    assert crumbs[1:] == ["Kabupaten Sanggau", "Kecamatan Mukok", "Desa Kedukul"]


def test_region_index_and_unknown_region(client, catalog_data):
    page = html(client.get("/wilayah/"))
    assert page.count('href="/wilayah/61.') >= 28  # map + table
    assert client.get("/wilayah/99.99/").status_code == 404
    assert client.get("/wilayah/abc/").status_code == 404
    assert Region.objects.filter(code="11").exists() is False or True


# --- certificate verification -------------------------------------------------------------------
def test_verify_known_number(client, catalog_data):
    response = client.get(reverse("public:certificate_verify"), {"nomor": " id6111 0000 000002 "})
    page = html(response)
    assert reverse("public:certificate_verify") == "/verifikasi/"
    assert [c.number for c in response.context["results"]] == ["ID61110000000002"]
    assert "Lempok Sanggau Sejahtera" in page and "Lempok Durian" in page
    assert "Sertifikat ditemukan dan berlaku" in page


def test_verify_expired_and_revoked(client, catalog_data):
    assert "sudah kedaluwarsa" in html(client.get("/verifikasi/", {"nomor": "ID61110000000003"}))
    assert "sudah dicabut" in html(client.get("/verifikasi/", {"nomor": "IDM000123456"}))


@pytest.mark.parametrize("nomor", ["ID6111000000000", "ID61110000000009", "' OR 1=1 --", "x" * 500])
def test_verify_unknown_number_gives_not_found_without_near_matches(client, catalog_data, nomor):
    response = client.get("/verifikasi/", {"nomor": nomor})
    page = html(response)
    assert response.context["results"] == []
    assert "tidak ditemukan" in page or "terlalu panjang" in page
    assert "ID61110000000001" not in page and "Lempok" not in page


# --- sitemap, robots, errors --------------------------------------------------------------------
def test_sitemap_lists_public_pages_only(client, catalog_data):
    index = html(client.get("/sitemap.xml"))
    assert "sitemap-produk.xml" in index and "sitemap-wilayah.xml" in index
    products = html(client.get("/sitemap-produk.xml"))
    assert "/produk/lempok-durian/" in products
    assert "lempok-draft" not in products and "lempok-x" not in products
    units = html(client.get("/sitemap-ikm.xml"))
    assert "/ikm/keramik-sakkok/" in units and "unit-belum" not in units
    regions = html(client.get("/sitemap-wilayah.xml"))
    assert "/wilayah/61.03/" in regions and "/wilayah/61.03.02.2001/" in regions


def test_robots_txt(client):
    response = client.get("/robots.txt")
    body = html(response)
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in body and "Sitemap: http://testserver/sitemap.xml" in body


def test_404_page_is_styled(client, db):
    response = client.get("/tidak-ada-halaman/")
    assert response.status_code == 404
    assert "site.css" in response.content.decode()


def test_500_page_is_styled_and_never_fails(db, settings, monkeypatch):
    from public import site_views as views

    response = views.server_error(None)
    assert response.status_code == 500 and b"Terjadi kesalahan" in response.content

    def broken(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(views.loader, "get_template", broken)
    monkeypatch.setattr(views.loader, "render_to_string", broken)
    assert views.server_error(None).status_code == 500
    assert views.page_not_found(None, None).status_code == 404


def test_a_crashing_view_gives_the_styled_500(db, monkeypatch):
    import public.views

    def boom(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(public.views, "home_figures", boom)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Terjadi kesalahan pada server" in response.content.decode()


# --- language -----------------------------------------------------------------------------------
def test_english_switch(client, catalog_data):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/produk/"})
    assert response.status_code == 302 and response["Location"] == "/produk/"
    page = html(client.get("/produk/"))
    assert '<html lang="en">' in page and "Product catalog" in page
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Katalog produk" in html(client.get("/produk/"))


def test_indonesian_first_whatever_the_browser_language(client, catalog_data):
    """An English browser still gets Indonesian until the visitor chooses English."""
    page = html(client.get("/produk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert '<html lang="id">' in page and "Katalog produk" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/produk/"})
    page = html(client.get("/produk/", HTTP_ACCEPT_LANGUAGE="id-ID,id;q=0.9"))
    assert '<html lang="en">' in page and "Product catalog" in page


@pytest.mark.parametrize(
    "url",
    [
        "/ikm/?halaman=999999",
        "/ikm/?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/ikm/?q=" + "x" * 1000,
        "/ikm/?kabupaten=' OR 1=1 --",
        "/wilayah/61.03/?halaman=999999",
        "/wilayah/61.03/?halaman=abc",
        "/verifikasi/?nomor=%00",
        "/produk/?q=%00&halaman=%00",
    ],
)
def test_bad_input_elsewhere_never_500(client, catalog_data, url):
    response = client.get(url)
    assert response.status_code in (200, 400)
    assert b"<script>alert(1)</script>" not in response.content


def test_header_has_account_links_when_the_portal_exists(client, db):
    page = html(client.get("/"))
    from django.urls import NoReverseMatch, reverse

    try:
        login = reverse("portal:login")
    except NoReverseMatch:
        return
    assert f'href="{login}"' in page
