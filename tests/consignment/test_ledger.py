"""Stock from the ledger, overselling, corrections, scope, month boundaries and the receipt."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from consignment import selectors, services
from consignment.models import ConsignmentItem, LedgerEntry, Payment, Settlement
from consignment.receipt import settlement_receipt_pdf

from .conftest import make_note

K = LedgerEntry.Kind


def at(y, m, d, hh=12, mm=0, ss=0):
    return datetime.datetime(y, m, d, hh, mm, ss, tzinfo=timezone.get_current_timezone())


@pytest.mark.django_db
def test_stock_is_received_minus_sold_minus_returned(province_official, received_note):
    item = received_note.items.get(line=1)  # 10 lempok
    s1 = services.sale_record(item_id=item.pk, official=province_official, quantity=3)
    services.sale_record(item_id=item.pk, official=province_official, quantity=2)
    services.return_record(
        item_id=item.pk, official=province_official, quantity=1, remark="Kemasan penyok"
    )
    services.sale_correct(
        entry_id=s1.pk, official=province_official, quantity=1, remark="Salah ketik jumlah"
    )
    item.refresh_from_db()
    assert item.stock == 10 - (3 + 2 - 1) - 1 == 5
    assert selectors.stock_from_ledger(item) == 5
    figures = selectors.item_figures(item)
    assert (figures.received, figures.sold, figures.returned, figures.stock) == (10, 4, 1, 5)
    rows = list(item.entries.order_by("pk").values_list("kind", "quantity", "balance_after"))
    assert rows == [
        (K.RECEIVED, 10, 10),
        (K.SALE, 3, 7),
        (K.SALE, 2, 5),
        (K.RETURN, 1, 4),
        (K.CORRECTION, -1, 5),
    ]
    owed = [e.owed_delta for e in item.entries.order_by("pk")]
    assert owed == [0, 3 * 36_000, 2 * 36_000, 0, -36_000]
    # the other item is untouched
    assert received_note.items.get(line=2).stock == 4


@pytest.mark.django_db
def test_correction_never_exceeds_the_sale_and_needs_a_reason(province_official, received_note):
    item = received_note.items.get(line=1)
    sale = services.sale_record(item_id=item.pk, official=province_official, quantity=2)
    with pytest.raises(ValidationError, match="alasan"):
        services.sale_correct(entry_id=sale.pk, official=province_official, quantity=1, remark="")
    services.sale_correct(entry_id=sale.pk, official=province_official, quantity=2, remark="batal")
    with pytest.raises(ValidationError) as exc:
        services.sale_correct(entry_id=sale.pk, official=province_official, quantity=1, remark="x")
    assert "tinggal 0" in str(exc.value)
    receipt = item.entries.get(kind=K.RECEIVED)
    with pytest.raises(ValidationError, match="Hanya catatan penjualan"):
        services.sale_correct(
            entry_id=receipt.pk, official=province_official, quantity=1, remark="x"
        )
    item.refresh_from_db()
    assert item.stock == 10 and item.entries.count() == 3


@pytest.mark.django_db
def test_overselling_is_refused(province_official, received_note):
    item = received_note.items.get(line=2)  # 4 madu
    with pytest.raises(ValidationError) as exc:
        services.sale_record(item_id=item.pk, official=province_official, quantity=5)
    assert "tinggal 4" in str(exc.value.message_dict["quantity"])
    services.sale_record(item_id=item.pk, official=province_official, quantity=4)
    with pytest.raises(ValidationError) as exc:
        services.sale_record(item_id=item.pk, official=province_official, quantity=1)
    assert "sudah habis" in str(exc.value.message_dict["quantity"])
    with pytest.raises(ValidationError):
        services.return_record(item_id=item.pk, official=province_official, quantity=1)
    for bad in (0, -1, "dua", None):
        with pytest.raises(ValidationError, match="bilangan bulat"):
            services.sale_record(item_id=item.pk, official=province_official, quantity=bad)
    item.refresh_from_db()
    assert item.stock == 0
    assert list(item.entries.values_list("kind", flat=True)) == [K.RECEIVED, K.SALE]


@pytest.mark.django_db
def test_database_refuses_negative_stock(received_note):
    """The constraint behind the service's check: no write may take stock below zero."""
    from django.db import IntegrityError, transaction

    item = received_note.items.get(line=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsignmentItem.objects.filter(pk=item.pk).update(stock=-1)


@pytest.mark.django_db
def test_item_rules(province_official, unit_sanggau, lempok, amplang):
    note = services.note_create(unit_id=unit_sanggau.pk, official=province_official)
    add = {"note_id": note.pk, "official": province_official, "quantity": 1}
    with pytest.raises(ValidationError) as exc:
        services.note_add_item(product_id=amplang.pk, consignment_price=1, selling_price=2, **add)
    assert "bukan milik unit" in str(exc.value.message_dict["product"])
    with pytest.raises(ValidationError) as exc:
        services.note_add_item(
            product_id=lempok.pk, consignment_price=5_000, selling_price=4_000, **add
        )
    assert "di bawah harga titip" in str(exc.value.message_dict["selling_price"])
    services.note_add_item(
        product_id=lempok.pk, consignment_price=4_000, selling_price=5_000, **add
    )
    with pytest.raises(ValidationError) as exc:
        services.note_add_item(
            product_id=lempok.pk, consignment_price=4_000, selling_price=5_000, **add
        )
    assert "sudah ada di nota" in str(exc.value.message_dict["product"])
    assert note.items.count() == 1


@pytest.mark.django_db
def test_scope_kabupaten_official(official_sanggau, official_ketapang, unit_sanggau, lempok):
    note = make_note(official_sanggau, unit_sanggau, [(lempok, 3)])
    item = note.items.get()
    with pytest.raises(PermissionDenied):
        services.sale_record(item_id=item.pk, official=official_ketapang)
    with pytest.raises(PermissionDenied):
        services.note_create(unit_id=unit_sanggau.pk, official=official_ketapang)
    with pytest.raises(PermissionDenied):
        services.note_close(note_id=note.pk, official=official_ketapang)
    item.refresh_from_db()
    assert item.stock == 3 and item.entries.count() == 1
    assert list(selectors.notes_in_scope(official_ketapang)) == []
    assert list(selectors.notes_in_scope(official_sanggau)) == [note]
    assert list(selectors.sellable_items(official_ketapang)) == []
    assert list(selectors.sellable_items(official_sanggau, "lempok")) == [item]
    assert list(selectors.sellable_items(official_sanggau, f"{note.number}/1")) == [item]
    assert list(selectors.sellable_items(official_sanggau, "tidak ada")) == []


# --- month boundaries -------------------------------------------------------------------------
@pytest.mark.django_db
def test_settlement_sums_one_local_month(province_official, unit_sanggau, lempok, madu):
    """Sales at 31 Oct 23:59:59 and 1 Dec 00:00 (Pontianak time) are not November's."""
    note = make_note(
        province_official, unit_sanggau, [(lempok, 20), (madu, 10)], at=at(2026, 10, 1, 8)
    )
    lem, mad = note.items.get(line=1), note.items.get(line=2)
    sell = services.sale_record
    sell(item_id=lem.pk, official=province_official, quantity=1, at=at(2026, 10, 31, 23, 59, 59))
    s_nov = sell(item_id=lem.pk, official=province_official, quantity=2, at=at(2026, 11, 1, 0))
    sell(item_id=mad.pk, official=province_official, quantity=3, at=at(2026, 11, 30, 23, 59, 59))
    sell(item_id=lem.pk, official=province_official, quantity=4, at=at(2026, 12, 1, 0))
    services.sale_correct(
        entry_id=s_nov.pk,
        official=province_official,
        quantity=1,
        remark="satu dikembalikan pembeli",
        at=at(2026, 11, 15),
    )
    services.return_record(
        item_id=mad.pk, official=province_official, quantity=2, at=at(2026, 11, 20)
    )
    settlement = services.settlement_open(
        unit_id=unit_sanggau.pk,
        month=datetime.date(2026, 11, 17),
        official=province_official,
        today=datetime.date(2026, 12, 15),
    )
    assert settlement.month == datetime.date(2026, 11, 1)
    # Nov: 2 lempok − 1 corrected + 3 madu; returns owe nothing
    assert settlement.items_sold == 1 + 3
    assert settlement.owed == 1 * 36_000 + 3 * 64_000
    assert settlement.sales_total == 1 * 45_000 + 3 * 80_000
    stored = Settlement.objects.get(pk=settlement.pk)
    assert (stored.owed, stored.paid, stored.status) == (228_000, 0, Settlement.Status.OPEN)
    october = services.settlement_open(
        unit_id=unit_sanggau.pk,
        month=datetime.date(2026, 10, 1),
        official=province_official,
        today=datetime.date(2026, 12, 15),
    )
    assert (october.items_sold, october.owed) == (1, 36_000)


@pytest.mark.django_db
def test_settlement_only_for_an_ended_month_and_once(province_official, unit_sanggau):
    with pytest.raises(ValidationError, match="sesudah bulannya berakhir"):
        services.settlement_open(
            unit_id=unit_sanggau.pk,
            month=datetime.date(2026, 12, 1),
            official=province_official,
            today=datetime.date(2026, 12, 31),
        )
    services.settlement_open(
        unit_id=unit_sanggau.pk,
        month=datetime.date(2026, 11, 1),
        official=province_official,
        today=datetime.date(2026, 12, 1),
    )
    with pytest.raises(ValidationError, match="sudah ada"):
        services.settlement_open(
            unit_id=unit_sanggau.pk,
            month=datetime.date(2026, 11, 1),
            official=province_official,
            today=datetime.date(2026, 12, 1),
        )
    assert Settlement.objects.filter(unit=unit_sanggau).count() == 1


# --- the receipt ---------------------------------------------------------------------------------
def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is installed by `make packages`"
    result = subprocess.run(
        [tool, "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


@pytest.mark.django_db
def test_receipt_pdf_has_the_figures(province_official, unit_sanggau, lempok, madu):
    note = make_note(
        province_official, unit_sanggau, [(lempok, 20), (madu, 10)], at=at(2026, 11, 2)
    )
    services.sale_record(
        item_id=note.items.get(line=1).pk, official=province_official, quantity=5,
        at=at(2026, 11, 3),
    )  # fmt: skip
    services.sale_record(
        item_id=note.items.get(line=2).pk, official=province_official, quantity=2,
        at=at(2026, 11, 4),
    )  # fmt: skip
    settlement = services.settlement_open(
        unit_id=unit_sanggau.pk,
        month=datetime.date(2026, 11, 1),
        official=province_official,
        today=datetime.date(2026, 12, 2),
    )
    services.payment_record(
        settlement_id=settlement.pk,
        official=province_official,
        amount=settlement.owed,
        paid_on=timezone.localdate(),
        method=Payment.Method.TRANSFER,
        reference="TRF-778899",
    )
    services.settlement_settle(settlement_id=settlement.pk, official=province_official)
    settlement.refresh_from_db()
    text = pdf_text(settlement_receipt_pdf(settlement))
    assert "KUITANSI SETORAN KONSINYASI" in text
    assert settlement.reference in text
    assert "Lempok Durian Bu Siti" in text
    assert "November 2026" in text
    assert f"{note.number}/1" in text and "Lempok durian 250 g" in text
    assert "Rp36.000" in text and "Rp180.000" in text  # 5 × Rp36.000
    assert "Rp128.000" in text  # 2 × Rp64.000
    assert "Rp308.000" in text  # owed and paid
    assert "TRF-778899" in text and "Lunas" in text


# --- two clerks, the last piece ----------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_clerks_selling_the_last_piece(regions, province_official, unit_sanggau, lempok):
    """Each clerk on their own database connection: one sale, one clear message."""
    note = make_note(province_official, unit_sanggau, [(lempok, 1)])
    item = note.items.get()
    barrier = threading.Barrier(2)
    outcome: list[object] = []

    def clerk():
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            services.sale_record(item_id=item.pk, official=province_official, quantity=1)
            outcome.append("sold")
        except ValidationError as exc:
            outcome.append(" ".join(exc.messages))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=clerk) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcome, key=len) == ["sold", outcome[0] if outcome[0] != "sold" else outcome[1]]
    message = next(o for o in outcome if o != "sold")
    assert "sudah habis" in message
    item.refresh_from_db()
    assert item.stock == 0
    assert item.entries.filter(kind=K.SALE).count() == 1
    assert connection.vendor == "postgresql"
