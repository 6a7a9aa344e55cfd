"""In Chromium: an official's first log-in goes through MFA enrolment (screenshots)."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from ikm.services import official_assign
from tests.factories import UserFactory
from tests.support.otp import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-Kalbar-2026"


def test_first_staff_login_enrols_mfa(live_server, page, screenshot, regions):
    user = UserFactory(username="pejabat.baru", first_name="Rina", last_name="Pejabat")
    official_assign(user=user, kabupaten_id="61.03")
    base = live_server.url
    page.goto(f"{base}/admin/login/?next=/admin/ikm/ikmunit/")
    page.fill("#id_username", "pejabat.baru")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/mfa/daftar/**")
    assert page.locator(".mfa-qr svg").is_visible()
    assert page.locator(".mfa-qr svg").bounding_box()["width"] >= 150
    screenshot(page, "enrol")

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.fill("#id_code", totp_code(device))
    page.locator("input[type=submit]").click()
    page.wait_for_selector(".mfa-codes")
    assert page.locator(".mfa-codes li").count() == 10
    screenshot(page, "backup-codes")
    page.get_by_role("link", name="Sudah saya simpan, lanjutkan").click()
    page.wait_for_url("**/admin/ikm/ikmunit/")
    assert TOTPDevice.objects.get(user=user).confirmed
