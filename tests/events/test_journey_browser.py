"""The events journey in Debian's headless Chromium: an owner registers a unit from the public
event page through the portal; an official opens the QR code's URL on a phone (390 px), signs in
with the second factor and checks the attendee in; the owner downloads the attendance
certificate; anyone confirms its number on /verifikasi/. Screenshots in test-artifacts/."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from events.models import Registration
from tests.support.events import make_event
from tests.support.otp import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-Kalbar-2026"
SHOTS = Path("/work/helpers/shots")
PHONE = {"width": 390, "height": 844}


def _as(page, base: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )


def _csp_watch(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return seen


def _no_overflow(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def _keep(path: Path, name: str) -> None:
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / f"h16a-{name}.png")


def test_register_check_in_on_a_phone_and_verify(
    regions, live_server, browser, screenshot, tmp_path
):
    from ikm.services import official_assign
    from portal.event_views import qr_svg
    from tests.factories import UnitFactory, UserFactory

    base = live_server.url
    owner = UserFactory(username="siti.aminah@example.id", email="siti.aminah@example.id")
    unit = UnitFactory(name="Lempok Durian Mak Iyah", owner=owner)
    official = UserFactory(username="pejabat_sanggau_hadir")
    official_assign(user=official, kabupaten_id="61.03")
    event = make_event(
        title="Bimtek Sertifikasi Halal Self-Declare",
        quota=20,
        starts_in=datetime.timedelta(hours=1),
        place="Rumah Kreatif Sanggau, Jl. A. Yani",
    )

    # 1. The owner, on a phone: the public event page, then the portal's registration form.
    owner_ctx = browser.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    owner_page = owner_ctx.new_page()
    csp = _csp_watch(owner_page)
    _as(owner_page, base, owner)
    owner_page.goto(base + reverse("public:event_list"))
    assert _no_overflow(owner_page)
    _keep(screenshot(owner_page, "agenda"), "0-agenda-390")
    owner_page.get_by_role("link", name=event.title).click()
    owner_page.wait_for_url(f"**{event.get_absolute_url()}")
    assert "20 kursi tersisa" in owner_page.locator("main").inner_text()
    assert _no_overflow(owner_page)
    _keep(screenshot(owner_page, "event-page"), "1-event-page-390")
    owner_page.get_by_role("link", name="Daftarkan unit IKM saya").click()
    owner_page.wait_for_url("**/portal/acara/*/daftar/")
    owner_page.select_option("#id_unit", str(unit.pk))
    owner_page.get_by_role("button", name="Daftarkan").click()
    owner_page.wait_for_url("**/portal/acara/")
    reg = Registration.objects.get(event=event, unit=unit)
    assert reg.status == Registration.Status.REGISTERED
    body = owner_page.locator("body").inner_text()
    assert "terdaftar sebagai peserta" in body and reg.reference in body
    assert _no_overflow(owner_page)
    _keep(screenshot(owner_page, "registered-qr"), "2-portal-registered-qr-390")

    # The QR code on the page is the check-in URL with the registration's signed token.
    from events.tokens import checkin_token

    checkin_path = reverse("admin:events_registration_checkin", args=[checkin_token(reg.pk)])
    drawn = owner_page.locator(".event-qr path").get_attribute("d")
    assert drawn == re.search(r' d="([^"]+)"', qr_svg(base + checkin_path)).group(1)

    # 2. The official scans it with the phone's camera: the URL opens the sign-in, then the page.
    phone = browser.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    official_page = phone.new_page()
    csp += _csp_watch(official_page)
    admin_login(official_page, base, official, PASSWORD, next_path=checkin_path)
    text = official_page.locator("#content").inner_text()
    assert "Lempok Durian Mak Iyah" in text and "Terdaftar" in text
    assert _no_overflow(official_page)
    _keep(screenshot(official_page, "checkin-before"), "3-admin-checkin-phone-before")
    official_page.get_by_role("button", name="Catat hadir").click()
    official_page.wait_for_load_state()
    assert "Lempok Durian Mak Iyah dicatat hadir." in official_page.locator("body").inner_text()
    reg.refresh_from_db()
    assert reg.status == Registration.Status.ATTENDED and reg.checked_in_by == official
    number = reg.certificate_number
    assert number in official_page.locator("#content").inner_text()
    _keep(screenshot(official_page, "checkin-after"), "4-admin-checkin-phone-done")
    # Scanning again changes nothing.
    official_page.goto(base + checkin_path)
    assert "Sudah tercatat hadir" in official_page.locator("#content").inner_text()
    assert official_page.get_by_role("button", name="Catat hadir").count() == 0

    # 3. The owner downloads the certificate of attendance.
    owner_page.goto(base + reverse("portal:event_registrations"))
    assert number in owner_page.locator("main").inner_text()
    with owner_page.expect_download() as info:
        owner_page.get_by_role("link", name="Unduh sertifikat kehadiran (PDF)").click()
    pdf = tmp_path / "sertifikat.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Lempok Durian Mak Iyah" in text and number in text
    png = tmp_path / "sertifikat"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(png)], check=True)
    _keep(Path(f"{png}.png"), "5-attendance-certificate-pdf")

    # 4. Anyone verifies the number (as the QR code on the PDF opens it).
    public = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    public_page = public.new_page()
    csp += _csp_watch(public_page)
    public_page.goto(base + reverse("public:certificate_verify") + f"?nomor={number}")
    result = public_page.locator(".verify-result").inner_text()
    assert "Sertifikat kehadiran ditemukan" in result
    assert "Lempok Durian Mak Iyah" in result and event.title in result
    _keep(screenshot(public_page, "verified"), "6-verifikasi-attendance")
    assert csp == []
    for ctx in (owner_ctx, phone, public):
        ctx.close()


def test_admin_event_pages_fit_a_laptop(regions, live_server, browser, screenshot):
    """The event page with its verb buttons and the attendee list at 1366 px."""
    from ikm.services import official_assign
    from tests.factories import UnitFactory, UserFactory
    from tests.support.events import make_registration

    base = live_server.url
    official = UserFactory(username="pejabat_sanggau_acara")
    official_assign(user=official, kabupaten_id="61.03")
    event = make_event(title="Pelatihan Pengemasan dan Label", quota=2)
    for name in ("Lempok Durian Mak Iyah", "Madu Kelulut Sanggau"):
        make_registration(event, UnitFactory(name=name))
    make_registration(
        event, UnitFactory(name="Gula Aren Kapuas"), status=Registration.Status.WAITLISTED
    )
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    page = ctx.new_page()
    csp = _csp_watch(page)
    admin_login(page, base, official, PASSWORD, next_path=f"/admin/events/event/{event.pk}/change/")
    verbs = page.locator(".sipi-verbs").inner_text()
    assert "Tutup pendaftaran" in verbs and "Batalkan acara" in verbs
    assert _no_overflow(page)
    _keep(screenshot(page, "event-change"), "7-admin-event-1366")
    page.get_by_role("link", name="Daftar hadir").first.click()
    page.wait_for_url("**/admin/events/registration/**")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 3
    assert _no_overflow(page)
    _keep(screenshot(page, "attendees"), "8-admin-attendees-1366")
    assert csp == []
    ctx.close()
