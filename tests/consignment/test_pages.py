"""The back-office pages (note, sale screen, settlement, dashboard) and the owner's portal page:
each action through the page, with the database state after it; scope is 404."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from consignment import services
from consignment.models import ConsignmentNote, LedgerEntry, Payment, Settlement

from .conftest import make_note
from .test_ledger import pdf_text

pytestmark = pytest.mark.django_db
K = LedgerEntry.Kind
LAST_MONTH = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def follow_messages(client, response) -> str:
    assert response.status_code == 302, response.status_code
    page = client.get(response["Location"])
    return " ".join(str(m) for m in page.context["messages"])


def test_note_through_the_admin(client, official_sanggau, unit_sanggau, lempok, madu):
    client.force_login(official_sanggau)
    response = client.post(
        reverse("admin:consignment_consignmentnote_add"),
        {"unit": unit_sanggau.pk, "remarks": "Titipan awal Desember"},
    )
    assert response.status_code == 302
    note = ConsignmentNote.objects.get(unit=unit_sanggau)
    assert re.fullmatch(r"NT-\d{4}-\d{6}", note.number)
    assert (note.status, note.created_by, note.remarks) == (
        "draft",
        official_sanggau,
        "Titipan awal Desember",
    )
    base = f"/admin/consignment/consignmentnote/{note.pk}/"
    for product, qty in ((lempok, 6), (madu, 2)):
        r = client.post(
            base + "barang/tambah/",
            {
                "product": product.pk,
                "quantity": qty,
                "consignment_price": 10_000,
                "selling_price": 12_000,
            },
        )
        assert "Barang ditambahkan" in follow_messages(client, r)
    # selling below consignment price: refused with the reason, nothing added
    r = client.post(
        base + "barang/tambah/",
        {"product": lempok.pk, "quantity": 1, "consignment_price": 9, "selling_price": 8},
    )
    text = follow_messages(client, r)
    assert "sudah ada di nota" in text and "di bawah harga titip" in text
    assert note.items.count() == 2
    page = client.get(base + "change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Terima barang" in body and "Tambah barang" in body

    r = client.post(base + "tindakan/terima/", {"received_on": timezone.localdate().isoformat()})
    assert "Diterima" in follow_messages(client, r)
    note.refresh_from_db()
    assert note.status == "received" and note.received_on == timezone.localdate()
    # closing with stock left: a clear message, nothing changed
    r = client.post(base + "tindakan/tutup/")
    assert "Masih ada 8 barang" in follow_messages(client, r)
    note.refresh_from_db()
    assert note.status == "received"
    # a return from the note page
    madu_item = note.items.get(product=madu)
    r = client.post(base + "retur/", {"item": madu_item.pk, "quantity": 2, "remark": "Ditarik"})
    assert "Pengembalian" in follow_messages(client, r)
    madu_item.refresh_from_db()
    assert madu_item.stock == 0
    assert madu_item.entries.filter(kind=K.RETURN, quantity=2, remark="Ditarik").exists()


def test_sale_screen(client, official_sanggau, received_note):
    client.force_login(official_sanggau)
    sale = reverse("admin:consignment_ledgerentry_sale")
    page = client.get(sale, {"q": "madu"})
    assert page.status_code == 200
    items = page.context["items"]
    assert [i.product.name for i in items] == ["Madu kelulut 150 ml"]
    item = items[0]
    url = reverse("admin:consignment_ledgerentry_sale_item", args=[item.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {"quantity": "3"})
    assert r.status_code == 302 and r["Location"] == sale
    item.refresh_from_db()
    assert item.stock == 1
    # more than the stock: the form again, with the message, and nothing written
    r = client.post(url, {"quantity": "2"})
    assert r.status_code == 400
    assert "tinggal 1" in r.content.decode()
    r = client.post(url, {"quantity": "dua"})
    assert r.status_code == 400 and "bilangan bulat" in r.content.decode()
    client.post(url, {"quantity": "1"})
    r = client.post(url, {"quantity": "1"})
    assert r.status_code == 400 and "sudah habis" in r.content.decode()
    item.refresh_from_db()
    assert item.stock == 0
    assert list(item.entries.filter(kind=K.SALE).values_list("quantity", flat=True)) == [3, 1]
    # an item out of stock is no longer offered
    assert client.get(sale, {"q": "madu"}).context["items"] == []


def test_other_region_cannot_see_or_sell(client, official_ketapang, received_note):
    client.force_login(official_ketapang)
    item = received_note.items.first()
    note_url = reverse("admin:consignment_consignmentnote_change", args=[received_note.pk])
    assert client.get(note_url).status_code == 404
    sale_url = reverse("admin:consignment_ledgerentry_sale_item", args=[item.pk])
    assert client.post(sale_url, {"quantity": "1"}).status_code == 404
    r = client.post(note_url.replace("change/", "retur/"), {"item": item.pk, "quantity": 1})
    assert r.status_code == 404
    changelist = client.get(reverse("admin:consignment_consignmentnote_changelist"))
    assert received_note.number not in changelist.content.decode()
    assert client.get(reverse("admin:consignment_ledgerentry_sale")).context["items"] == []
    item.refresh_from_db()
    assert item.stock == 10 and item.entries.count() == 1


def test_settlement_through_the_admin(client, province_official, unit_sanggau, lempok):
    at = timezone.make_aware(datetime.datetime.combine(LAST_MONTH, datetime.time(10)))
    note = make_note(province_official, unit_sanggau, [(lempok, 5)], at=at)
    services.sale_record(item_id=note.items.get().pk, official=province_official, quantity=2, at=at)
    client.force_login(province_official)
    add = reverse("admin:consignment_settlement_add")
    this_month = timezone.localdate().strftime("%Y-%m")
    r = client.post(add, {"unit": unit_sanggau.pk, "month": this_month})
    assert r.status_code == 200 and "sesudah bulannya berakhir" in r.content.decode()
    r = client.post(add, {"unit": unit_sanggau.pk, "month": LAST_MONTH.strftime("%Y-%m")})
    assert r.status_code == 302
    settlement = Settlement.objects.get(unit=unit_sanggau)
    assert (settlement.month, settlement.items_sold, settlement.owed) == (LAST_MONTH, 2, 72_000)
    base = reverse("admin:consignment_settlement_change", args=[settlement.pk])
    page = client.get(base)
    assert page.status_code == 200 and "Rp72.000" in page.content.decode()
    r = client.post(
        base.replace("change/", "tindakan/lunasi/"),
    )
    assert "Belum lunas" in follow_messages(client, r)
    r = client.post(
        base.replace("change/", "bayar/"),
        {
            "amount": "72000",
            "paid_on": timezone.localdate().isoformat(),
            "method": Payment.Method.TRANSFER,
            "reference": "TRF-55",
        },
    )
    assert "Pembayaran dicatat" in follow_messages(client, r)
    r = client.post(base.replace("change/", "tindakan/lunasi/"))
    assert "lunas" in follow_messages(client, r)
    settlement.refresh_from_db()
    assert (settlement.status, settlement.paid) == ("settled", 72_000)
    pdf = client.get(base.replace("change/", "kuitansi.pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert "TRF-55" in pdf_text(pdf.content)


def test_dashboard_tiles(client, official_sanggau, official_ketapang, received_note):
    item = received_note.items.get(line=1)
    services.sale_record(item_id=item.pk, official=official_sanggau, quantity=3)
    client.force_login(official_sanggau)
    tiles = {t.key: t for t in client.get(reverse("admin:index")).context["dashboard"].tiles}
    assert tiles["consignment_sales"].count == 3
    assert "Rp135.000" in tiles["consignment_sales"].note  # 3 × Rp45.000
    assert tiles["consignment_due"].count == 0
    client.force_login(official_ketapang)
    tiles = {t.key: t for t in client.get(reverse("admin:index")).context["dashboard"].tiles}
    assert tiles["consignment_sales"].count == 0  # another region's sales are not counted


# --- the owner's portal page ---------------------------------------------------------------------
def test_owner_sees_only_their_own(client, owner, other_owner, province_official, received_note,
                                   unit_ketapang, amplang):  # fmt: skip
    at = timezone.make_aware(datetime.datetime.combine(LAST_MONTH, datetime.time(10)))
    other = make_note(province_official, unit_ketapang, [(amplang, 7)], at=at)
    services.sale_record(item_id=other.items.get().pk, official=province_official, at=at)
    theirs = services.settlement_open(
        unit_id=unit_ketapang.pk, month=LAST_MONTH, official=province_official
    )
    item = received_note.items.get(line=1)
    services.sale_record(item_id=item.pk, official=province_official, quantity=4)
    client.force_login(owner)
    page = client.get(reverse("portal:consignment"))
    assert page.status_code == 200
    body = page.content.decode()
    assert received_note.number in body and "Lempok durian 250 g" in body
    assert other.number not in body and "Amplang" not in body
    [(note, items)] = page.context["notes"]
    lem = next(i for i in items if i.line == 1)
    assert (lem.received, lem.sold, lem.returned, lem.stock) == (10, 4, 0, 6)
    assert page.context["settlements"] == []
    receipt = reverse("portal:consignment_receipt", args=[theirs.pk])
    assert client.get(receipt).status_code == 404
    client.force_login(other_owner)
    assert client.get(receipt).status_code == 200
    client.logout()
    assert client.get(reverse("portal:consignment")).status_code == 302


def test_drafts_are_not_shown_to_the_owner(client, owner, province_official, unit_sanggau, lempok):
    note = make_note(province_official, unit_sanggau, [(lempok, 1)], receive=False)
    client.force_login(owner)
    assert note.number not in client.get(reverse("portal:consignment")).content.decode()


def test_statistics_are_aggregates_in_scope(client, official_sanggau, official_ketapang,
                                            province_official, received_note, unit_ketapang,
                                            amplang):  # fmt: skip
    services.sale_record(
        item_id=received_note.items.get(line=1).pk, official=province_official, quantity=2
    )
    other = make_note(province_official, unit_ketapang, [(amplang, 5)])
    services.sale_record(item_id=other.items.get().pk, official=province_official, quantity=1)
    url = reverse("admin:statistics")
    client.force_login(province_official)
    rows = client.get(url).context["consignment_rows"]
    assert [(r.kabupaten, r.units, r.sold, r.sales, r.owed) for r in rows] == [
        ("Kabupaten Sanggau", 1, 2, 90_000, 72_000),
        ("Kabupaten Ketapang", 1, 1, 20_000, 16_000),
    ]
    client.force_login(official_ketapang)
    page = client.get(url)
    assert [r.kabupaten for r in page.context["consignment_rows"]] == ["Kabupaten Ketapang"]
    body = page.content.decode()
    assert "Amplang Pak Usman" not in body and "Lempok" not in body  # no names, only sums
