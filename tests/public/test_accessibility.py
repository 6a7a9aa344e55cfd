"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on the public pages, in Debian's headless Chromium:
home, catalog (browse and search), product, unit, region, certificate verification, sign-up and
login, on a laptop and on a 375 px phone. No serious or critical violation is allowed; the counts
by impact are printed (``pytest -s``). See tests/support/axe.py for why the context bypasses CSP.
"""

from __future__ import annotations

import pytest

from tests.support.axe import AXE_JS, assert_no_serious_violations, axe_context

from .conftest import build_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": "/",
    "catalog": "/produk/",
    "catalog-search": "/produk/?q=lempok",
    "product": "/produk/lempok-durian/",
    "unit": "/ikm/lempok-sanggau-sejahtera/",
    "region": "/wilayah/61.03/",
    "verification": "/verifikasi/?nomor=ID61110000000002",
    "signup": "/akun/daftar/",
    "login": "/akun/masuk/",
}


@pytest.fixture
def site(regions, live_server):
    build_catalog()
    return live_server.url


def check_pages(browser, base: str, screenshot, **context_options) -> None:
    context = axe_context(browser, **context_options)
    page = context.new_page()
    failures = []
    try:
        for label, path in PAGES.items():
            response = page.goto(base + path)
            assert response.status == 200, path
            try:
                assert_no_serious_violations(page, label)
            except AssertionError as exc:
                screenshot(page, label)
                failures.append(str(exc))
    finally:
        context.close()
    assert not failures, "\n".join(failures)


def test_public_pages_on_a_laptop(site, browser, screenshot):
    check_pages(browser, site, screenshot)


def test_public_pages_on_a_375px_phone(site, browser, screenshot):
    check_pages(browser, site, screenshot, width=375, height=812, mobile=True)


def test_strict_csp_refuses_the_injected_script_without_bypass(site, browser):
    """Why the axe contexts set bypass_csp: the site's CSP has no 'unsafe-inline', and Playwright
    injects the file as an inline script."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site + "/")
        with pytest.raises(Exception):  # noqa: B017, PT011 - Playwright's Error on the refused tag
            page.add_script_tag(path=str(AXE_JS))
        assert page.evaluate("typeof window.axe") == "undefined"
    finally:
        context.close()
