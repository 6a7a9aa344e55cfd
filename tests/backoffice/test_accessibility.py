"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on the back office, in Debian's headless Chromium at
1366 px: the admin login and second-factor pages, the dashboard (charts drawn), the request queue
and a request's review page. The official logs in with password and code (tests/support/otp.py).
No serious or critical violation is allowed; the counts by impact are printed (``pytest -s``).
See tests/support/axe.py for why the context bypasses CSP.
"""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tests.support.axe import assert_no_serious_violations, axe_context
from tests.support.otp import confirmed_device, totp_code
from tests.support.requests import make_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-Kalbar-2026"  # tests.factories.UserFactory


def test_admin_pages(regions, live_server, browser, screenshot, file_roots, unit_a, product_a):
    from certifications.models import Request
    from ikm.services import official_assign

    official = UserFactory(username="admin.sanggau.axe")
    official_assign(user=official, kabupaten_id="61.03")
    req = make_request(unit_a, unit_a.owner, products=[product_a])
    Request.objects.filter(pk=req.pk).update(status=Request.Status.SUBMITTED)
    device = confirmed_device(official)
    base = live_server.url
    context = axe_context(browser, width=1366, height=768)
    page = context.new_page()
    failures = []

    def check(label: str) -> None:
        try:
            assert_no_serious_violations(page, label)
        except AssertionError as exc:
            screenshot(page, label)
            failures.append(str(exc))

    try:
        page.goto(f"{base}/admin/login/?next=/admin/")
        check("admin-login")
        page.fill("#id_username", official.get_username())
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/mfa/**")
        check("admin-mfa")
        page.fill("#id_code", totp_code(device))
        page.click("input[type=submit]")
        page.wait_for_url(f"{base}/admin/")
        page.wait_for_function("document.documentElement.dataset.charts === 'drawn'")
        check("admin-dashboard")
        page.goto(f"{base}/admin/antrean/")
        assert page.locator("#request-queue tbody tr").count() == 1
        check("admin-queue")
        page.goto(f"{base}/admin/certifications/request/{req.pk}/change/")
        assert page.locator("h1").inner_text().startswith("Periksa permohonan")
        check("admin-review")
    finally:
        context.close()
    assert not failures, "\n".join(failures)
