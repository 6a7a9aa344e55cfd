"""/api/docs/ in Debian's headless Chromium: Swagger UI from our own static files, under the CSP,
reads the schema and runs a request ("Try it out")."""

from __future__ import annotations

import pytest

from tests.api.conftest import build_open_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_docs_page_renders_and_calls_the_api(regions, live_server, page, screenshot):
    build_open_catalog()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            not r.url.startswith(live_server.url)
            and not r.url.startswith("data:")
            and outside.append(r.url)
        ),
    )
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector("text=API Data Terbuka SIPI IKM Kalbar")
    page.wait_for_selector("#operations-Produk-v1_produk_list")
    assert page.locator(".opblock").count() == 10
    screenshot(page, "docs", full_page=False)
    # Open the product list and run it from the page.
    page.click("#operations-Produk-v1_produk_list .opblock-summary")
    page.click("text=Try it out")
    page.click("button.execute")
    page.wait_for_selector(".live-responses-table .response-col_status >> text=200")
    assert "amplang-ikan" in page.locator(".live-responses-table").inner_text()
    screenshot(page, "docs-try-it-out")
    assert outside == []  # no CDN, no font service
    assert not [p for p in problems if "Content Security Policy" in p], problems


@pytest.mark.django_db(transaction=True, databases=["default", "direct"])
def test_open_data_page_lists_the_datasets(regions, live_server, page, screenshot):
    from api.tasks import build_datasets

    build_open_catalog()
    build_datasets()
    page.goto(live_server.url + "/")
    page.click("footer >> text=Data terbuka")
    page.wait_for_url("**/data/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 4
    assert "Produk IKM Kalimantan Barat" in rows.nth(0).inner_text()
    screenshot(page, "data")
    with page.expect_download() as download:
        page.click("text=CSV >> nth=0")
    assert download.value.suggested_filename.startswith("produk-")
