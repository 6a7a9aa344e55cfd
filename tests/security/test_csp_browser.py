"""The pages under the CSP in Debian's headless Chromium: ZERO violations in the console.

Home, catalog, the owner's dashboard and unit form (its region selects fetch by script), the
admin home, a unit's change form with its select2 autocomplete opened, the import-export export
page and a job page (htmx). A violation is logged by Chromium as a console error naming the
Content Security Policy; the test collects every console message of every page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import ProductFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def session_cookie(live_server, user) -> dict:
    client = Client()
    client.force_login(user)  # staff: also past the second factor (tests/support/otp.py)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def visit(page, url, messages):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.status == 200, (url, response.status)
    assert response.headers["content-security-policy"].count("'nonce-") == 2
    return response


def violations(messages):
    return [m for m in messages if "Content Security Policy" in m[1] or "Refused to" in m[1]]


@pytest.fixture
def data(regions):
    owner = UserFactory(username="pemilik.csp", email="pemilik.csp@example.id")
    unit = UnitFactory(owner=owner, verified=True, nib="6103000000051")
    ProductFactory(unit=unit, name="Lempok Durian", is_published=True)
    admin = UserFactory(username="admin.csp", is_staff=True, is_superuser=True)
    return {"owner": owner, "unit": unit, "admin": admin}


def test_public_and_portal_pages_have_no_csp_violations(live_server, browser, data, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    messages = []
    page.on("console", lambda m: messages.append((page.url, m.text)))
    visit(page, live_server.url + "/", messages)
    screenshot(page, "home")
    visit(page, live_server.url + "/produk/", messages)
    context.add_cookies([session_cookie(live_server, data["owner"])])
    visit(page, live_server.url + "/portal/", messages)
    screenshot(page, "portal")
    visit(page, f"{live_server.url}/portal/unit/{data['unit'].pk}/ubah/", messages)
    # The region selects are filled by static/js/unit-form.js (no inline script any more).
    page.select_option("#id_kabupaten", "61.04")
    page.wait_for_function("document.querySelectorAll('#id_kecamatan option').length > 1")
    screenshot(page, "unit-form")
    context.close()
    assert violations(messages) == []
    assert [m for m in messages if "error" in m[1].lower()] == []


def test_admin_pages_have_no_csp_violations(live_server, browser, data, screenshot):
    from jobs.models import Job

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_cookies([session_cookie(live_server, data["admin"])])
    page = context.new_page()
    messages = []
    page.on("console", lambda m: messages.append((page.url, m.text)))
    base = live_server.url
    visit(page, base + "/admin/", messages)
    screenshot(page, "admin-home")
    visit(page, base + "/admin/ikm/ikmunit/", messages)
    visit(page, f"{base}/admin/ikm/ikmunit/{data['unit'].pk}/change/", messages)
    page.locator(".field-desa .select2-selection").click()
    page.locator(".select2-search__field").fill("Sei")
    page.wait_for_selector(".select2-results__option")
    screenshot(page, "admin-unit")
    visit(page, base + "/admin/ikm/ikmunit/export/", messages)
    if page.locator("input.select-toggle").count():
        page.locator("input.select-toggle").first.click()
    visit(page, base + "/admin/ikm/ikmunit/import/", messages)
    job = Job.objects.order_by("pk").first()
    if job is not None:
        visit(page, f"{base}/admin/jobs/job/{job.pk}/change/", messages)
    visit(page, base + "/admin/password_change/", messages)
    context.close()
    assert violations(messages) == []
