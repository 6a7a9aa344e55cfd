"""The showroom journey in Debian's headless Chromium: an official makes a consignment note and
receives the goods (1366 px), a clerk sells at the counter on a phone (375 px, no horizontal
scroll; overselling refused with a clear message), a month later the official settles the month
and prints the receipt, and the owner sees stock and settlement in the portal (375 px).

"A month later" moves ``django.utils.timezone.localdate`` forward (the settlement is made for a
month that has ended); the clock of the ledger rows themselves is not touched.
"""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest

from tests.support.otp import admin_login

from .test_ledger import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "rahasia-Kalbar-2026"
SHOTS = Path("/work/helpers/shots")


@pytest.fixture
def shot(screenshot):
    def take(page, name: str, full_page: bool = True):
        path = screenshot(page, name, full_page)
        if SHOTS.is_dir():
            shutil.copy(path, SHOTS / f"h16c-{name}.png")
        return path

    return take


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_consignment_sale_settlement_journey(
    regions, live_server, browser, shot, province_official, owner, unit_sanggau, lempok, madu,
    monkeypatch,
):  # fmt: skip
    from django.utils import timezone

    from consignment.models import ConsignmentNote, LedgerEntry, Settlement

    base = live_server.url
    desk = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    page = desk.new_page()
    admin_login(page, base, province_official, PASSWORD, next_path="/admin/")

    # 1. The note: unit by the autocomplete, then items, then "received".
    page.goto(base + "/admin/consignment/consignmentnote/add/")
    page.locator(".field-unit .select2-selection").click()
    page.locator(".select2-search__field").fill("Lempok Durian")
    page.locator(".select2-results__option", has_text="Lempok Durian Bu Siti").first.click()
    page.fill("#id_remarks", "Titipan Desember")
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/consignment/consignmentnote/$"))
    note = ConsignmentNote.objects.get(unit=unit_sanggau)
    page.goto(base + f"/admin/consignment/consignmentnote/{note.pk}/change/")
    for product, qty, price, sell in (
        (lempok, "5", "36000", "45000"),
        (madu, "2", "64000", "80000"),
    ):
        page.select_option("#id_product", str(product.pk))
        page.fill("#id_quantity", qty)
        page.fill("#id_consignment_price", price)
        page.fill("#id_selling_price", sell)
        page.get_by_role("button", name="Tambahkan").click()
        page.wait_for_load_state()
        assert "Barang ditambahkan" in page.locator(".messagelist").inner_text()
    shot(page, "01-note-draft")
    page.get_by_role("button", name=re.compile("Terima barang")).click()
    page.wait_for_load_state()
    assert page.locator("#note-status").inner_text() == "Diterima"
    shot(page, "02-note-received")
    note.refresh_from_db()
    assert note.status == "received"
    assert sorted(note.items.values_list("stock", flat=True)) == [2, 5]

    # 2. The counter, on a phone: search, tap, sell; then try to sell more than is left.
    phone_ctx = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="id-ID", is_mobile=True, has_touch=True
    )
    phone_ctx.add_cookies(desk.cookies())  # the same signed-in official (a code is used once)
    phone = phone_ctx.new_page()
    phone.goto(base + "/admin/consignment/ledgerentry/jual/")
    phone.fill("#kns-q", "lempok")
    phone.get_by_role("button", name="Cari").click()
    phone.wait_for_load_state()
    shot(phone, "03-sale-search-375")
    assert no_horizontal_scroll(phone)
    phone.locator(".kns-item", has_text="Lempok durian 250 g").click()
    phone.wait_for_load_state()
    assert "Stok: 5" in phone.locator("#kns-stock").inner_text()
    box = phone.get_by_role("button", name="Jual 2").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 100  # thumb-sized
    shot(phone, "04-sale-item-375")
    assert no_horizontal_scroll(phone)
    phone.get_by_role("button", name="Jual 2").click()
    phone.wait_for_load_state()
    assert "Terjual 2 × Lempok durian 250 g" in phone.locator(".messagelist").inner_text()
    assert "Stok tinggal 3" in phone.locator(".messagelist").inner_text()
    shot(phone, "05-sold-375")
    phone.goto(base + "/admin/consignment/ledgerentry/jual/?q=lempok")
    phone.locator(".kns-item", has_text="Lempok durian 250 g").click()
    phone.fill("#id_quantity", "4")
    phone.get_by_role("button", name="Catat penjualan").click()
    phone.wait_for_load_state()
    error = phone.locator("#kns-error").inner_text()
    assert "tinggal 3" in error and "tidak dapat menjual" in error
    shot(phone, "06-oversell-refused-375")
    assert no_horizontal_scroll(phone)
    item = note.items.get(product=lempok)
    assert item.stock == 3
    assert list(item.entries.values_list("kind", "quantity")) == [("received", 5), ("sale", 2)]
    # a double tap is one sale
    phone.get_by_role("button", name="Jual 1").dblclick()
    phone.wait_for_url(re.compile(r"/jual/$"))
    assert "Stok tinggal 2" in phone.locator(".messagelist").inner_text()
    assert list(item.entries.values_list("kind", "quantity")) == [
        ("received", 5),
        ("sale", 2),
        ("sale", 1),
    ]

    # 3. A month later: the settlement of this month, paid, settled, with its receipt.
    real_localdate = timezone.localdate
    this_month = real_localdate().replace(day=1)
    later = (this_month + datetime.timedelta(days=32)).replace(day=5)

    def localdate(value=None, timezone=None):
        return later if value is None else real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    page.goto(base + "/admin/consignment/settlement/add/")
    page.locator(".field-unit .select2-selection").click()
    page.locator(".select2-search__field").fill("Lempok Durian")
    page.locator(".select2-results__option", has_text="Lempok Durian Bu Siti").first.click()
    page.fill("#id_month", this_month.strftime("%Y-%m"))
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/consignment/settlement/$"))
    settlement = Settlement.objects.get(unit=unit_sanggau)
    assert (settlement.month, settlement.items_sold, settlement.owed) == (this_month, 3, 108_000)
    page.goto(base + f"/admin/consignment/settlement/{settlement.pk}/change/")
    page.fill("#id_reference", "TRF-BANK-KALBAR-0912")
    page.get_by_role("button", name="Catat pembayaran").click()
    page.wait_for_load_state()
    assert "Pembayaran dicatat" in page.locator(".messagelist").inner_text()
    page.get_by_role("button", name="Tandai lunas").click()
    page.wait_for_load_state()
    assert page.locator("#settlement-status").inner_text() == "Lunas"
    assert page.locator("#settlement-paid").inner_text() == "Rp108.000"
    shot(page, "07-settlement-settled")
    settlement.refresh_from_db()
    assert (settlement.status, settlement.paid) == ("settled", 108_000)
    receipt = page.request.get(base + f"/admin/consignment/settlement/{settlement.pk}/kuitansi.pdf")
    text = pdf_text(receipt.body())
    assert "TRF-BANK-KALBAR-0912" in text and "Rp108.000" in text
    page.goto(base + "/admin/")
    tiles = page.locator("#content").inner_text()
    assert "Setoran konsinyasi belum lunas" in tiles

    # 4. The owner, on a phone: stock and the settlement, and the receipt.
    owner_ctx = browser.new_context(viewport={"width": 375, "height": 740}, locale="id-ID")
    mine = owner_ctx.new_page()
    mine.goto(base + "/akun/masuk/?next=/portal/titipan/")
    mine.get_by_label("Email").fill(owner.email)
    mine.locator("#id_password").fill(PASSWORD)
    mine.get_by_role("button", name="Masuk").click()
    mine.wait_for_url(re.compile(r"/portal/titipan/$"))
    body = mine.locator("main, body").first.inner_text()
    assert note.number in body and "Lunas" in body and "Rp108.000" in body
    shot(mine, "08-owner-portal-375")
    assert no_horizontal_scroll(mine)
    pdf = mine.request.get(base + f"/portal/titipan/setoran/{settlement.pk}/kuitansi.pdf")
    assert pdf.status == 200 and "KUITANSI SETORAN KONSINYASI" in pdf_text(pdf.body())
    assert LedgerEntry.objects.filter(item__note=note, kind="sale").count() == 2
    for ctx in (desk, phone_ctx, owner_ctx):
        ctx.close()
