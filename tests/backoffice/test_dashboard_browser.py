"""The official's day in Debian's headless Chromium at 1366×768: dashboard → queue → review a
request (documents previewed) → start review → return it with a note; the database holds the
new status and the note, and no page scrolls sideways. Then the same pages on a 768 px tablet.

Screenshots: test-artifacts/test_official_journey_at_1366-*.png and …_tablet_768-*.png.
"""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.utils import timezone

from tests.factories import DESA_KETAPANG, ProductFactory, UnitFactory, UserFactory
from tests.support.otp import admin_login
from tests.support.requests import make_request, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-Kalbar-2026"
NOTE = "Foto KTP buram: mohon unggah ulang yang terbaca jelas."
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def journey(regions, file_roots):
    from certifications.models import Request, RequestDocument
    from ikm.models import Region
    from ikm.services import official_assign

    official = UserFactory(username="admin.sanggau.uji")
    official_assign(user=official, kabupaten_id="61.03")
    owner = UserFactory(username="pemilik.uji")
    other = UserFactory(username="pemilik.lain")
    unit = UnitFactory(owner=owner, name="Lempok Durian Bu Siti", nib="6103000000021")
    product = ProductFactory(unit=unit, name="Lempok Durian 250 g")
    unit_k = UnitFactory(
        owner=other, name="Amplang Pak Rudi", desa=Region.objects.get(code=DESA_KETAPANG)
    )
    old = make_request(unit, owner, products=[product])
    photo = RequestDocument(
        request=old,
        doc_type="photo",
        original_name="foto-produk.png",
        content_type="image/png",
        size=2048,
        uploaded_by=owner,
    )
    photo.file.save(f"{uuid.uuid4().hex}.png", io.BytesIO(png_bytes((320, 200))), save=False)
    photo.save()
    new = make_request(unit, owner, products=[product])
    far = make_request(unit_k, other)
    now = timezone.now()
    for req, days in ((old, 16), (new, 3), (far, 30)):
        Request.objects.filter(pk=req.pk).update(
            status=Request.Status.SUBMITTED, submitted_at=now - datetime.timedelta(days=days)
        )
    return {"official": official, "old": old, "new": new, "far": far}


RESULTS_OVERFLOW = """() => {
  const box = document.querySelector('#changelist .results');
  return box ? box.scrollWidth - box.clientWidth : 0;
}"""


def no_sideways_scroll(page) -> None:
    assert page.evaluate(OVERFLOW) <= 0, page.url
    # A change list's table fits its box too (Django lets it scroll inside the box).
    assert page.evaluate(RESULTS_OVERFLOW) <= 0, page.url


def test_official_journey_at_1366(live_server, browser, screenshot, journey):
    from certifications.models import Request

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    page = context.new_page()
    base = live_server.url
    old = journey["old"]
    ref = old.reference
    admin_login(page, base, journey["official"], PASSWORD, next_path="/admin/")

    # 1. The dashboard: the official's work, for Sanggau only.
    assert page.locator("#user-tools").inner_text().startswith("admin.sanggau.uji · Kabupaten")
    tile = page.locator("#tile-requests")
    assert tile.locator(".sipi-tile-count").inner_text() == "2"
    assert "lewat target" in tile.inner_text()  # 16 days > 14
    page.wait_for_function("document.documentElement.dataset.charts === 'drawn'")
    no_sideways_scroll(page)
    # The first column of the lists does not break words mid-way.
    link = page.get_by_role("link", name="Kualitas data").first
    assert link.evaluate("a => a.getClientRects().length") == 1
    screenshot(page, "1-dashboard", full_page=False)

    # 2. The queue, longest waiting first.
    tile.get_by_role("link").click()
    page.wait_for_url("**/admin/antrean/")
    rows = page.locator("#request-queue tbody tr")
    assert rows.count() == 2
    first = rows.nth(0).locator("td")
    assert first.nth(0).inner_text().strip().startswith("16")
    assert first.nth(1).inner_text().strip() == ref
    assert journey["far"].reference not in page.content()
    no_sideways_scroll(page)
    screenshot(page, "2-queue", full_page=False)

    # 3. The review page, documents previewed inline.
    page.get_by_role("link", name=ref).click()
    page.wait_for_url(f"**/admin/certifications/request/{old.pk}/change/")
    assert page.locator("h1").inner_text() == f"Periksa permohonan {ref}"
    pdfs = old.documents.filter(content_type="application/pdf").count()
    assert pdfs >= 2 and page.locator("iframe.sipi-preview").count() == pdfs
    image = page.locator("img.sipi-preview")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert image.evaluate("img => img.naturalWidth") == 320
    no_sideways_scroll(page)
    screenshot(page, "3-review")

    # 4. Start the review, then return it with a note.
    page.get_by_role("button", name="Mulai periksa").click()
    page.wait_for_url(f"**/admin/certifications/request/{old.pk}/change/")
    assert page.locator("#request-status").inner_text() == "Sedang diperiksa"
    page.get_by_role("link", name="Kembalikan untuk perbaikan").click()
    page.wait_for_url("**/tindakan/kembalikan/")
    no_sideways_scroll(page)
    page.fill("#id_note", NOTE)
    screenshot(page, "4-return-note", full_page=False)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"**/admin/certifications/request/{old.pk}/change/")
    assert page.locator("#request-status").inner_text() == "Dikembalikan untuk perbaikan"
    assert NOTE in page.locator("#history").inner_text()
    no_sideways_scroll(page)
    screenshot(page, "5-returned", full_page=False)

    old.refresh_from_db()
    assert old.status == Request.Status.RETURNED
    steps = list(old.status_changes.order_by("created_at", "id").values_list("to_status", "note"))
    assert steps[-2:] == [("in_review", ""), ("returned", NOTE)]
    assert old.status_changes.last().actor == journey["official"]
    assert Request.objects.get(pk=journey["new"].pk).status == Request.Status.SUBMITTED

    # The queue no longer lists it as needing the official.
    page.goto(base + "/admin/antrean/")
    assert page.locator("#request-queue tbody tr").count() == 1
    # The lists behind the dashboard fit the laptop's width as well.
    for path in ("/admin/certifications/request/", "/admin/ikm/ikmunit/"):
        page.goto(base + path)
        no_sideways_scroll(page)
    screenshot(page, "6-unit-list", full_page=False)
    context.close()


def test_tablet_768(live_server, browser, screenshot, journey):
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="id-ID")
    page = context.new_page()
    base = live_server.url
    old = journey["old"]
    admin_login(page, base, journey["official"], PASSWORD, next_path="/admin/")
    for name, path in (
        ("dashboard", "/admin/"),
        ("queue", "/admin/antrean/"),
        ("review", f"/admin/certifications/request/{old.pk}/change/"),
        ("requests", "/admin/certifications/request/"),
    ):
        page.goto(base + path)
        no_sideways_scroll(page)
        screenshot(page, name, full_page=False)
    # Usable: the verbs and the queue's links are on screen and large enough to tap.
    page.goto(base + f"/admin/certifications/request/{old.pk}/change/")
    button = page.get_by_role("button", name="Mulai periksa").bounding_box()
    assert button["x"] + button["width"] <= 768 and button["height"] >= 30
    context.close()
