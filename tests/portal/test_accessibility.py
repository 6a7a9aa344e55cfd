"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on the owner portal, in Debian's headless Chromium: the
dashboard, the unit form (new, and an edit showing errors), the request form and a request, on
a 375 px phone and on a laptop. No serious or critical violation is allowed; the counts by impact
are printed (``pytest -s``). See tests/support/axe.py for why the context bypasses CSP.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.support.axe import assert_no_serious_violations, axe_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in_context(browser, base: str, user, **options):
    client = Client()
    client.force_login(user)
    context = axe_context(browser, **options)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    return context


def check_portal(browser, base: str, screenshot, owner, unit, req, **options) -> None:
    context = logged_in_context(browser, base, owner, **options)
    page = context.new_page()
    failures = []

    def check(label: str) -> None:
        try:
            assert_no_serious_violations(page, label)
        except AssertionError as exc:
            screenshot(page, label)
            failures.append(str(exc))

    try:
        for label, path in {
            "portal-dashboard": "/portal/",
            "unit-form": "/portal/unit/baru/",
            "request-form": "/portal/permohonan/baru/halal_self_declare/",
            "request-detail": f"/portal/permohonan/{req.pk}/",
        }.items():
            response = page.goto(base + path)
            assert response.status == 200, path
            assert "/akun/masuk/" not in page.url
            check(label)
        # The unit form with errors beside its fields (a NIB of 12 digits).
        page.goto(f"{base}/portal/unit/{unit.pk}/ubah/")
        page.fill("#id_nib", "610300000001")
        with page.expect_navigation():
            page.locator("form:has(#id_nib)").evaluate("form => form.submit()")
        assert page.locator("#id_nib").input_value() == "610300000001"
        check("unit-form-errors")
        # Saved: the dashboard with its success message.
        page.fill("#id_nib", "6103000000009")
        with page.expect_navigation():
            page.locator("form:has(#id_nib)").evaluate("form => form.submit()")
        assert not page.url.endswith("/ubah/"), page.url
        assert page.locator(".messages li").count() == 1
        check("after-save")
    finally:
        context.close()
    unit.refresh_from_db()
    assert unit.nib == "6103000000009"  # the bad NIB was refused, the good one saved
    assert not failures, "\n".join(failures)


def test_portal_pages_on_a_375px_phone(
    regions, live_server, browser, screenshot, owner, unit_a, request_a
):
    check_portal(
        browser,
        live_server.url,
        screenshot,
        owner,
        unit_a,
        request_a,
        width=375,
        height=812,
        mobile=True,
    )


def test_portal_pages_on_a_laptop(
    regions, live_server, browser, screenshot, owner, unit_a, request_a
):
    check_portal(browser, live_server.url, screenshot, owner, unit_a, request_a)
