"""The public site in Debian's headless Chromium (Playwright): search, filter, buy, languages."""

from __future__ import annotations

import pytest

from tests.factories import ProductFactory

from .conftest import KEL_PONTIANAK, build_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_BUDGET_BYTES = 300 * 1024


@pytest.fixture
def site(regions, live_server):
    from ikm.models import Region

    data = build_catalog()
    # A lempok made in Pontianak: the Sanggau filter must leave it out.
    ProductFactory(
        unit=data.units["aloe"],
        name="Lempok Durian Pontianak",
        slug="lempok-durian-pontianak",
        description="Lempok oleh-oleh Kota Pontianak.",
    )
    assert Region.objects.filter(code=KEL_PONTIANAK).exists()
    return live_server.url


def journey(page, base: str, screenshot, label: str, narrow: bool = False) -> None:
    page.goto(base + "/")
    assert page.locator("svg.map-svg a").count() == 14
    screenshot(page, f"{label}-1-home")
    page.get_by_label("Cari produk").fill("lempok")
    page.get_by_role("button", name="Cari", exact=True).first.click()
    page.wait_for_url("**/produk/?q=lempok*")
    assert page.locator(".product-card").count() == 2
    if narrow:
        page.locator("details.filters > summary").click()
    screenshot(page, f"{label}-2-search")
    page.locator('a.facet-value[data-facet="kabupaten"][data-value="61.03"]').click()
    page.wait_for_url("**kabupaten=61.03*")
    cards = page.locator(".product-card")
    assert cards.count() == 1
    assert "Lempok Durian" in cards.first.inner_text()
    assert "Pontianak" not in cards.first.inner_text()
    screenshot(page, f"{label}-3-sanggau")
    cards.first.locator("a.card-link").click()
    page.wait_for_url("**/produk/lempok-durian/")
    market = page.locator("a[data-marketplace]")
    assert market.count() == 1
    assert market.first.get_attribute("href") == "https://shopee.co.id/lempok-durian"
    whatsapp = page.locator("a[data-whatsapp]")
    assert whatsapp.count() == 1
    href = whatsapp.get_attribute("href")
    assert href.startswith("https://wa.me/6281234500002?text=")
    assert "Lempok%20Durian" in href
    assert whatsapp.is_visible() and market.first.is_visible()
    screenshot(page, f"{label}-4-product")


def test_search_filter_and_buy(site, page, screenshot):
    journey(page, site, screenshot, "desktop")


def test_search_filter_and_buy_on_a_375px_phone(site, browser, screenshot):
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, locale="id-ID", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        journey(page, site, screenshot, "phone", narrow=True)
        # Nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def test_switch_to_english_and_back(site, page, screenshot):
    page.goto(site + "/produk/lempok-durian/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/produk/lempok-durian/")
    assert page.get_by_role("heading", name="Buy this product").is_visible()
    assert page.get_by_role("link", name="Product catalog").first.is_visible()
    screenshot(page, "english")
    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", name="Beli produk ini").is_visible()


def test_home_page_weighs_under_300_kb_on_first_load(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sizes: dict[str, int] = {}

    def record(response):
        try:
            sizes[response.url] = len(response.body())
        except Exception:  # noqa: BLE001 - redirects have no body
            sizes[response.url] = 0

    page.on("response", record)
    try:
        page.goto(site + "/", wait_until="networkidle")
        transferred = page.evaluate(
            """() => performance.getEntriesByType('navigation').concat(
                   performance.getEntriesByType('resource'))
                 .reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0)"""
        )
    finally:
        context.close()
    total = sum(sizes.values())
    assert sizes, "no responses recorded"
    assert all(url.startswith(site) for url in sizes)  # nothing from the internet
    assert total < HOME_BUDGET_BYTES, total
    assert transferred < HOME_BUDGET_BYTES, transferred
    print(f"home first load: {total} bytes in {len(sizes)} responses ({transferred} transferred)")
