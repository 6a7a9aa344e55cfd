"""The back-office in Debian's headless Chromium: an official of Sanggau adds a unit, choosing the
desa through the autocomplete (which offers only desa of Sanggau), and sees the NIK masked."""

from __future__ import annotations

import pytest

from tests.factories import DESA_SANGGAU
from tests.support.otp import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-Kalbar-2026"


@pytest.fixture
def sanggau_official_account(regions):
    from ikm.models import Region
    from ikm.services import official_assign
    from tests.factories import UserFactory

    user = UserFactory(username="pejabat_sanggau_browser")
    official_assign(user=user, kabupaten_id=Region.objects.get(code="61.03").code)
    return user


def test_official_adds_a_unit_with_desa_autocomplete(
    live_server, page, screenshot, sanggau_official_account
):
    from ikm.models import IKMUnit

    base = live_server.url
    admin_login(page, base, sanggau_official_account, PASSWORD, next_path="/admin/ikm/ikmunit/add/")

    page.fill("#id_name", "Gula Aren Kapuas")
    page.fill("#id_owner_name", "Maria Goreti")
    page.select_option("#id_commodity_group", "makanan")
    page.fill("#id_nib", "6103 0000 0004 2")
    page.fill("#id_workers", "3")
    page.fill("#id_investment", "15000000")
    page.fill("#id_nik", "6103014501900002")

    # The desa chooser: select2 autocomplete fed by /admin/autocomplete/.
    page.locator(".field-desa .select2-selection").click()
    page.locator(".select2-search__field").fill("Penyeladi")
    option = page.locator(".select2-results__option", has_text="Penyeladi")
    option.first.wait_for()
    # (Which desa are offered is checked exactly in test_admin; here: the text names the place.)
    assert "Kecamatan Kapuas, Kabupaten Sanggau" in option.first.inner_text()
    screenshot(page, "desa-autocomplete")
    option.first.click()

    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/ikm/ikmunit/")
    unit = IKMUnit.objects.get(name="Gula Aren Kapuas")
    assert (unit.desa_id, unit.nib, unit.nik_last4, unit.slug) == (
        DESA_SANGGAU,
        "6103000000042",
        "0002",
        "gula-aren-kapuas",
    )
    assert unit.history.get().history_user_id == sanggau_official_account.pk

    page.goto(base + f"/admin/ikm/ikmunit/{unit.pk}/change/")
    body = page.locator("body").inner_text()
    assert "************0002" in body
    assert "6103014501900002" not in page.content()
    screenshot(page, "unit-change")

    page.goto(base + "/admin/ikm/ikmunit/")
    assert page.locator("#result_list tbody tr").count() == 1
    assert "Gula Aren Kapuas" in page.locator("#result_list").inner_text()
    screenshot(page, "unit-changelist")
    page.goto(base + "/admin/")
    page.get_by_role("link", name="Kualitas data").click()
    page.wait_for_url("**/admin/kualitas-data/")
    assert "Kabupaten Sanggau" in page.locator("#content").inner_text()
    screenshot(page, "quality-index")
    page.goto(base + "/admin/statistik/?semua=1")
    rows = page.locator("#statistik tbody tr")
    assert rows.count() == 2  # Sanggau and the total
    assert rows.first.locator("td").nth(2).inner_text() == "1"
    screenshot(page, "statistics")
