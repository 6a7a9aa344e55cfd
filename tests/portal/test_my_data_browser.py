"""The "Data saya" page in Debian's headless Chromium, and its PDF download."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from ikm import nik as nik_module
from ikm.models import Consent
from ikm.privacy import NOTICE_VERSION
from tests.factories import ProductFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_my_data_page_in_a_browser(regions, live_server, page, screenshot, tmp_path):
    owner = UserFactory(
        username="dayang.sumbi@example.id",
        email="dayang.sumbi@example.id",
        first_name="Dayang",
        last_name="Sumbi",
    )
    Consent.objects.create(user=owner, notice_version=NOTICE_VERSION)
    sealed = nik_module.seal("6103014512850001")
    unit = UnitFactory(
        owner=owner,
        name="Lempok Durian Dayang",
        owner_name="Dayang Sumbi",
        nik_ciphertext=sealed.ciphertext,
        nik_digest=sealed.digest,
        nik_last4=sealed.last4,
        owner_address="Jl. Kenanga 7, Kapuas, Sanggau",
        owner_phone="+6281234567890",
    )
    ProductFactory(unit=unit, name="Lempok Durian 250 g")
    other = UnitFactory(name="Amplang Pak Rudi", owner_name="Rudi Hartono")

    client = Client()
    client.force_login(owner)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}/portal/data-saya/")
    assert page.get_by_role("heading", name="Data saya", exact=True).is_visible()
    body = page.content()
    assert "************0001" in body and "6103014512850001" not in body
    assert other.name not in body and "Rudi Hartono" not in body
    shot = screenshot(page, "data-saya")
    assert shot.exists()

    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh PDF (mudah dibaca)").click()
    pdf = tmp_path / "data-saya.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")

    # the privacy notice, from the footer link
    page.get_by_role("link", name="Kebijakan privasi").last.click()
    page.wait_for_url("**/kebijakan-privasi/")
    assert page.get_by_role("heading", name="Hak Anda").is_visible()
    screenshot(page, "kebijakan-privasi")


def test_officials_request_list_in_a_browser(regions, live_server, page, screenshot):
    """The back-office list of data requests: deadline colours, the two actions."""
    import datetime

    from django.utils import timezone

    from ikm import privacy
    from ikm.models import DataSubjectRequest, Region
    from ikm.services import official_assign
    from tests.support.otp import admin_login

    official = UserFactory(username="pejabat.sanggau", password="Pejabat-Sanggau-2026")
    official_assign(user=official, kabupaten_id="61.03")
    owners = []
    for i, (kind, hours_left) in enumerate(
        [("koreksi", -5), ("penghapusan", 10), ("koreksi", 60)], start=1
    ):
        owner = UserFactory(username=f"pemilik{i}@example.id", email=f"pemilik{i}@example.id")
        UnitFactory(owner=owner, desa=Region.objects.get(code="61.03.01.2007"))
        dsr = privacy.dsr_create(
            user=owner,
            kind=kind,
            field="other" if kind == "koreksi" else "",
            note="Mohon diperbaiki",
        )
        now = timezone.now()
        DataSubjectRequest.objects.filter(pk=dsr.pk).update(
            requested_at=now - datetime.timedelta(hours=72 - hours_left),
            deadline=now + datetime.timedelta(hours=hours_left),
        )
        owners.append(owner)
    admin_login(
        page,
        live_server.url,
        official,
        "Pejabat-Sanggau-2026",
        next_path="/admin/ikm/datasubjectrequest/",
    )
    assert page.locator(".dsr-deadline.late").count() == 1
    assert page.locator(".dsr-deadline.soon").count() == 1
    assert page.locator(".dsr-deadline.ok").count() == 1
    screenshot(page, "permintaan-hak-data")
