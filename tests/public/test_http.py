"""Odd page numbers, compression and HTTP caching of the public pages (issue 11)."""

from __future__ import annotations

import gzip
import re

import pytest

from core.facets import MAX_PAGE_NUMBER, page_number

pytestmark = pytest.mark.django_db

LIST_PAGES = ["/produk/", "/ikm/", "/wilayah/61.03/", "/wilayah/61/", "/produk/?q=lempok"]
ODD_PAGES = ["99999999999999999999", "9" * 5000, "-3", "abc", "2.5", "1e9", "١٢", " "]


def test_page_number_reads_anything_without_error():
    assert page_number("3") == 3
    assert page_number(None) == page_number("") == page_number("abc") == 1
    assert page_number("2.5") == page_number("1e9") == 1
    assert page_number("-3") == page_number("0") == MAX_PAGE_NUMBER  # the last page
    assert page_number("99999999999999999999") == MAX_PAGE_NUMBER
    assert page_number("9" * 5000) == MAX_PAGE_NUMBER  # beyond int()'s digit limit
    assert page_number("١٢") == 1  # non-ASCII digits are not a page number


@pytest.mark.parametrize("url", LIST_PAGES)
@pytest.mark.parametrize("odd", ODD_PAGES)
def test_odd_page_numbers_give_a_page_never_a_500(client, catalog_data, url, odd):
    sep = "&" if "?" in url else "?"
    response = client.get(f"{url}{sep}halaman={odd}")
    assert response.status_code == 200
    page = response.context.get("page") or getattr(
        response.context.get("catalog") or response.context.get("directory"), "page", None
    )
    # A huge or negative number is the last page; text the first.
    expected = page.paginator.num_pages if odd[0] in "9-" else 1
    assert page.number == expected


def test_huge_page_number_on_a_long_catalog_is_the_last_page(client, catalog_data):
    from tests.factories import ProductFactory

    unit = catalog_data.units["lempok"]
    for i in range(30):
        ProductFactory(unit=unit, name=f"Lempok Ekstra {i}", slug=f"lempok-ekstra-{i}")
    response = client.get("/produk/?halaman=99999999999999999999")
    catalog = response.context["catalog"]
    assert catalog.page.number == 2 == catalog.page.paginator.num_pages
    assert len(catalog.page.object_list) == catalog.count - 24


# --- compression --------------------------------------------------------------------------------
def test_html_is_gzipped_and_csrf_tokens_stay_masked(client, catalog_data):
    plain = client.get("/produk/")
    zipped = client.get("/produk/", headers={"accept-encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    body = gzip.decompress(zipped.content)
    assert len(zipped.content) < len(body) / 2
    assert b"Lempok Durian" in body and len(plain.content) > len(zipped.content)
    # A page with a POST form: the token differs on every response (masking against BREACH).
    tokens = [
        re.search(
            rb'name="csrfmiddlewaretoken" value="([^"]+)"',
            gzip.decompress(
                client.get("/akun/masuk/", headers={"accept-encoding": "gzip"}).content
            ),
        ).group(1)
        for _ in range(2)
    ]
    assert tokens[0] != tokens[1]


# --- HTTP caching -------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/", "/produk/", "/produk/lempok-durian/", "/wilayah/61.03/"])
def test_anonymous_public_pages_are_cacheable_with_etag(client, catalog_data, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"cookie", "accept-language"} <= vary
    assert not response.cookies  # nothing personal: no CSRF cookie, no session
    assert b"csrfmiddlewaretoken" not in response.content
    again = client.get(url, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_etag_changes_when_the_page_changes(client, catalog_data):
    before = client.get("/produk/lempok-durian/")
    product = catalog_data.products["lempok"]
    product.name = "Lempok Durian Istimewa"
    product.save()
    after = client.get("/produk/lempok-durian/", headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200 and "Lempok Durian Istimewa" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_logged_in_visitors_get_nothing_cached(client, catalog_data, owner):
    client.force_login(owner)
    response = client.get("/produk/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "ETag" not in response
    assert client.get("/produk/", headers={"if-none-match": '"x"'}).status_code == 200


def test_error_and_personal_pages_are_not_made_public(client, catalog_data):
    missing = client.get("/produk/tidak-ada/")
    assert missing.status_code == 404 and "public" not in missing.get("Cache-Control", "")
    login = client.get("/akun/masuk/")
    assert "public" not in login.get("Cache-Control", "")


def test_language_switch_works_without_a_csrf_token(catalog_data):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/produk/"})
    assert response.status_code == 302 and response["Location"] == "/produk/"
    english = client.get("/produk/")
    assert english["Content-Language"] == "en"
    assert "cookie" in english["Vary"].lower()  # the cached Indonesian page is not served


def test_server_page_cache_only_for_anonymous_visitors_without_session(client, catalog_data):
    first = client.get("/wilayah/61.03/")
    assert first.context is not None  # rendered, then kept
    assert client.get("/wilayah/61.03/").context is None  # served from the shared cache
    assert client.get("/wilayah/61.03/?halaman=1").context is not None  # query string: rendered
    client.cookies["messages"] = "x"  # a pending message is personal
    assert client.get("/wilayah/61.03/").context is not None
    del client.cookies["messages"]
    client.cookies["sessionid"] = "abc"
    assert client.get("/wilayah/61.03/").context is not None
