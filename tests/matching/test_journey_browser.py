"""Journeys of issue 16 (curation, business matching) in Debian's headless Chromium:

1. an owner, on a 375 px phone, submits a product to an open curation round and gets the
   prefilled facilitation prompt for the certificates the product lacks;
2. a buyer sends a request through the public form (no account); the Sanggau official routes it
   to a unit suggested by the product search; the owner answers on a phone with an offer.

Screenshots in test-artifacts/ (copies in /work/helpers/shots/h16b-*.png when that exists)."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from curation.models import Criterion, Round, Submission
from matching.models import BuyerRequest, Routing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/helpers/shots")
PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1366, "height": 768}


def _as(context, base: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )


def _no_overflow(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def _csp_watch(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return seen


def _shot(screenshot, page, name: str, full_page: bool = True) -> Path:
    path = screenshot(page, name, full_page=full_page)
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / f"h16b-{name}.png")
    return path


def test_owner_submits_a_product_to_a_round_on_a_phone(regions, live_server, browser, screenshot):
    from tests.factories import ProductFactory, UnitFactory, UserFactory

    base = live_server.url
    owner = UserFactory(username="siti.kurasi@example.id", email="siti.kurasi@example.id")
    unit = UnitFactory(name="Lempok Durian Mak Iyah", owner=owner)
    product = ProductFactory(unit=unit, name="Lempok durian 250 g")
    official = UserFactory(username="pejabat_kurasi", is_staff=True)
    today = timezone.localdate()
    round_ = Round.objects.create(
        title="Kurasi Produk Unggulan Sanggau 2027", slug="kurasi-sanggau-2027",
        kabupaten_id="61.03", submission_deadline=timezone.now() + datetime.timedelta(days=10),
        period_start=today + datetime.timedelta(days=30),
        period_end=today + datetime.timedelta(days=210), status=Round.Status.OPEN,
        created_by=official,
    )  # fmt: skip
    Criterion.objects.create(round=round_, name="Mutu dan rasa", weight=3, max_score=5)
    Criterion.objects.create(round=round_, name="Kemasan dan label", weight=2, max_score=5)

    context = browser.new_context(viewport=PHONE, locale="id-ID")
    _as(context, base, owner)
    page = context.new_page()
    csp = _csp_watch(page)
    page.goto(f"{base}/portal/kurasi/")
    assert page.locator(f"#round-{round_.pk} h3").inner_text() == round_.title
    page.select_option(f"#id_product_{round_.pk}", str(product.pk))
    page.fill("textarea[name=note]", "Produk terlaris sejak 2019.")
    _shot(screenshot, page, "curation-form-375")
    with page.expect_navigation():
        page.click(f"#round-{round_.pk} button[type=submit]")
    sub = Submission.objects.get()
    assert (sub.product_id, sub.status) == (product.pk, "submitted")
    prompt = page.locator(f"#facilitation-{sub.pk}")
    links = prompt.locator("a")
    assert links.count() == 3
    assert (
        links.nth(1).get_attribute("href")
        == f"/portal/permohonan/baru/spp_irt/?produk={product.pk}"
    )
    assert _no_overflow(page)
    _shot(screenshot, page, "curation-submitted-375")
    # Follow the prompt: the request form opens with the unit and the product chosen.
    with page.expect_navigation():
        links.nth(1).click()
    assert page.locator(f"input[name=products][value='{product.pk}']").is_checked()
    _shot(screenshot, page, "facilitation-prefilled-375")
    assert csp == []
    context.close()


def test_buyer_request_routed_and_answered(regions, live_server, browser, screenshot):
    from ikm.services import official_assign
    from tests.factories import ProductFactory, UnitFactory, UserFactory

    base = live_server.url
    owner = UserFactory(username="yati.temu@example.id", email="yati.temu@example.id")
    unit = UnitFactory(name="Lempok Durian Bu Yati", owner=owner)
    ProductFactory(unit=unit, name="Lempok durian 250 g")
    official = UserFactory(username="pejabat_sanggau_temu")
    official_assign(user=official, kabupaten_id="61.03")

    # 1. The buyer: the public form, no account.
    context = browser.new_context(viewport=LAPTOP, locale="id-ID")
    page = context.new_page()
    csp = _csp_watch(page)
    page.goto(f"{base}/temu-bisnis/")
    page.fill("#id_product_wanted", "lempok durian")
    page.fill("#id_quantity", "300 bungkus per bulan")
    page.select_option("#id_kabupaten", "61.03")
    page.fill("#id_buyer_name", "Rina Oktaviani")
    page.fill("#id_buyer_organisation", "Toko Oleh-oleh Khatulistiwa")
    page.fill("#id_buyer_phone", "0812 5678 1234")
    page.fill("#id_message", "Kemasan 250 g, kirim ke Pontianak.")
    assert not page.locator("#id_website").is_visible()  # the honeypot
    _shot(screenshot, page, "matching-form")
    page.wait_for_timeout(3200)  # a person takes longer than the form's minimum
    with page.expect_navigation():
        page.click("form.panel button[type=submit]")
    req = BuyerRequest.objects.get()
    assert page.locator("#matching-ref").inner_text() == req.reference
    _shot(screenshot, page, "matching-sent")

    # 2. The Sanggau official: the request with a suggested unit; route it.
    _as(context, base, official)
    page.goto(f"{base}/admin/matching/buyerrequest/{req.pk}/change/")
    assert "Lempok Durian Bu Yati" in page.locator("#suggestions").inner_text()
    page.check(f"#unit-{unit.pk}")
    _shot(screenshot, page, "matching-admin-suggestions")
    with page.expect_navigation():
        page.click("button[value=route]")
    assert page.locator("#request-status").inner_text() == "Diteruskan ke IKM"
    assert Routing.objects.get().unit_id == unit.pk
    _shot(screenshot, page, "matching-admin-routed")
    context.close()

    # 3. The owner, on a phone: answer with an offer.
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    _as(context, base, owner)
    page = context.new_page()
    csp += _csp_watch(page)
    page.goto(f"{base}/portal/temu-bisnis/")
    routing = Routing.objects.get()
    card = page.locator(f"#routing-{routing.pk}")
    assert req.reference in card.inner_text()
    card.locator("input[value='1']").check()
    card.locator("textarea").fill(
        "Sanggup 300 bungkus/bulan, Rp 28.000 per bungkus, kirim tiap Senin."
    )
    with page.expect_navigation():
        card.locator("button[type=submit]").click()
    routing.refresh_from_db()
    assert routing.answer == "interested"
    assert BuyerRequest.objects.get().status == "answered"
    assert page.locator(f"#routing-{routing.pk} .answer").inner_text() == "Berminat"
    assert _no_overflow(page)
    _shot(screenshot, page, "matching-owner-answered-375")
    assert csp == []
    context.close()


def test_officials_score_choose_and_publish(regions, live_server, browser, screenshot):
    """Two officials score in the back-office (1366 px); the round is published; the chosen
    product is on the public results page and among the home page's produk terseleksi."""
    from curation import services
    from ikm.services import official_assign
    from tests.factories import ProductFactory, UnitFactory, UserFactory

    base = live_server.url
    owner = UserFactory(username="ani.kurasi@example.id", email="ani.kurasi@example.id")
    unit = UnitFactory(name="Madu Kelulut Bu Ani", owner=owner)
    product = ProductFactory(unit=unit, name="Madu kelulut 250 ml")
    sanggau = UserFactory(username="pejabat_sanggau_kurasi")
    official_assign(user=sanggau, kabupaten_id="61.03")
    province = UserFactory(username="pejabat_provinsi_kurasi")
    official_assign(user=province, kabupaten_id=None)
    today = timezone.localdate()
    round_ = Round.objects.create(
        title="Kurasi Madu Sanggau 2026", slug="kurasi-madu-sanggau-2026", kabupaten_id="61.03",
        submission_deadline=timezone.now() + datetime.timedelta(days=3), period_start=today,
        period_end=today + datetime.timedelta(days=90), status=Round.Status.OPEN,
        created_by=sanggau,
    )  # fmt: skip
    Criterion.objects.create(round=round_, name="Mutu", weight=3, max_score=5, position=1)
    Criterion.objects.create(round=round_, name="Kemasan", weight=1, max_score=10, position=2)
    sub = services.submission_create(owner=owner, round_id=round_.pk, product_id=product.pk)
    services.round_start_scoring(round_id=round_.pk, official=sanggau)
    c1, c2 = round_.criteria.order_by("position")
    services.score_record(submission_id=sub.pk, official=province, values={c1.pk: 3, c2.pk: 10})

    context = browser.new_context(viewport=LAPTOP, locale="id-ID")
    _as(context, base, sanggau)
    page = context.new_page()
    csp = _csp_watch(page)
    page.goto(f"{base}/admin/curation/submission/{sub.pk}/change/")
    page.fill(f"#id_c{c1.pk}", "5")
    page.fill(f"#id_c{c2.pk}", "6")
    with page.expect_navigation():
        page.click("button[value=score]")
    # Sanggau (5/5·3 + 6/10·1)/4 = 90.00; province (3/5·3 + 1)/4 = 70.00 -> 80.00
    assert page.locator("#final-score").inner_text() == "80,00"  # decimal comma (id)
    assert page.locator("#score-sheets tbody tr").count() == 2
    _shot(screenshot, page, "curation-admin-scores")
    with page.expect_navigation():
        page.click("button[value=choose]")
    assert page.locator("#submission-status").inner_text() == "Terpilih"
    page.goto(f"{base}/admin/curation/round/{round_.pk}/change/")
    with page.expect_navigation():
        page.click("button[value=umumkan]")
    assert page.locator("#round-status").inner_text() == "Hasil diumumkan"
    _shot(screenshot, page, "curation-admin-published", full_page=False)
    context.close()

    context = browser.new_context(viewport=LAPTOP, locale="id-ID")
    page = context.new_page()
    csp += _csp_watch(page)
    page.goto(f"{base}/kurasi/{round_.slug}/")
    assert "Madu kelulut 250 ml" in page.locator("#chosen-list").inner_text()
    _shot(screenshot, page, "curation-public-results")
    page.goto(f"{base}/")
    assert (
        "Madu kelulut 250 ml"
        in page.locator("section[aria-labelledby=selected-title]").inner_text()
    )
    assert csp == []
    context.close()
