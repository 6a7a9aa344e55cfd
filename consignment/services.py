"""Writes of the consignment ledger. Views, admin pages and the demo call only these.

- Who: the showroom staff are officials; each verb checks that the note's or settlement's unit
  is in the official's scope (``ikm.selectors.units_in_scope``: province officials everywhere,
  a kab/kota official in their region) and raises PermissionDenied otherwise.
- Locks: every movement locks the item row (``select_for_update``) before it reads the stock, so
  two clerks selling the last piece are served one after the other: the second gets a clear
  message. ``consignment_item_stock_not_negative`` guards the same rule in the database.
- The ledger is append-only: a wrong sale is corrected by a correction row, a return is a row.
- Settlements are made for a month that has ended; a movement is never dated into a month whose
  settlement exists, so a settlement's figures cannot change under it.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikm.models import IKMUnit
from ikm.selectors import units_in_scope
from products.models import Product

from . import workflow
from .models import (
    ConsignmentItem,
    ConsignmentNote,
    LedgerEntry,
    NoteStatusChange,
    Payment,
    Settlement,
    SettlementStatusChange,
    note_number,
)
from .selectors import month_bounds

N = ConsignmentNote.Status
T = Settlement.Status
K = LedgerEntry.Kind
MAX_QUANTITY = 100_000
MAX_PRICE = 10_000_000_000  # Rp10 miliar per piece: anything above is a typing slip


# --- who may act --------------------------------------------------------------------------------
def ensure_in_scope(official: AbstractBaseUser, unit_id: int) -> None:
    if not units_in_scope(official).filter(pk=unit_id).exists():
        raise PermissionDenied(_("Unit ini di luar wilayah kewenangan Anda."))


def _positive_quantity(quantity, field: str = "quantity") -> int:
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        quantity = 0
    if quantity < 1:
        raise ValidationError({field: _("Jumlah harus bilangan bulat 1 atau lebih.")})
    if quantity > MAX_QUANTITY:
        raise ValidationError({field: _("Jumlah terlalu besar.")})
    return quantity


def _price(value, field: str) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Harga harus bilangan bulat Rupiah.")}) from None
    if value < 0 or value > MAX_PRICE:
        raise ValidationError({field: _("Harga di luar batas wajar.")})
    return value


# --- notes ----------------------------------------------------------------------------------------
@transaction.atomic
def note_create(*, unit_id: int, official: AbstractBaseUser, remarks: str = "") -> ConsignmentNote:
    """A draft note with its number (``NT-YYYY-NNNNNN``)."""
    ensure_in_scope(official, unit_id)
    note = ConsignmentNote.objects.create(
        unit_id=unit_id, remarks=(remarks or "").strip(), created_by=official
    )
    note.number = note_number(timezone.localdate().year, note.pk)
    note.save(update_fields=["number"])
    return note


def _lock_note(note_id: int) -> ConsignmentNote:
    return ConsignmentNote.objects.select_for_update().get(pk=note_id)


@transaction.atomic
def note_add_item(
    *,
    note_id: int,
    official: AbstractBaseUser,
    product_id: int,
    quantity,
    consignment_price,
    selling_price,
) -> ConsignmentItem:
    note = _lock_note(note_id)
    ensure_in_scope(official, note.unit_id)
    if not workflow.is_note_editable(note.status):
        raise ValidationError(_("Barang hanya dapat diubah selama nota masih konsep."))
    errors = {}
    if not Product.objects.filter(pk=product_id, unit_id=note.unit_id).exists():
        errors["product"] = _("Produk ini bukan milik unit pada nota.")
    elif note.items.filter(product_id=product_id).exists():
        errors["product"] = _("Produk ini sudah ada di nota; ubah jumlahnya di baris itu.")
    values = {}
    for field, check in (
        ("quantity", lambda: _positive_quantity(quantity)),
        ("consignment_price", lambda: _price(consignment_price, "consignment_price")),
        ("selling_price", lambda: _price(selling_price, "selling_price")),
    ):
        try:
            values[field] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if (
        "consignment_price" in values
        and "selling_price" in values
        and values["selling_price"] < values["consignment_price"]
    ):
        errors["selling_price"] = _("Harga jual tidak boleh di bawah harga titip.")
    if errors:
        raise ValidationError(errors)
    line = (note.items.aggregate(m=Max("line"))["m"] or 0) + 1
    return ConsignmentItem.objects.create(note=note, line=line, product_id=product_id, **values)


@transaction.atomic
def note_remove_item(*, item_id: int, official: AbstractBaseUser) -> None:
    item = ConsignmentItem.objects.select_related("note").get(pk=item_id)
    note = _lock_note(item.note_id)
    ensure_in_scope(official, note.unit_id)
    if not workflow.is_note_editable(note.status):
        raise ValidationError(_("Barang hanya dapat diubah selama nota masih konsep."))
    item.delete()


def _move_note(note: ConsignmentNote, step, *, actor, remark: str = "") -> None:
    now = timezone.now()
    note.status = step.to
    fields = ["status", "updated_at"]
    if step.to == N.CLOSED:
        note.closed_at = now
        fields.append("closed_at")
    note.save(update_fields=fields + (["received_on"] if step.to == N.RECEIVED else []))
    NoteStatusChange.objects.create(
        note=note,
        from_status=step.frm,
        to_status=step.to,
        actor=actor,
        remark=remark,
        created_at=now,
    )


@transaction.atomic
def note_receive(
    *,
    note_id: int,
    official: AbstractBaseUser,
    received_on: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> ConsignmentNote:
    """draft → received: each item's quantity enters the ledger as stock."""
    note = _lock_note(note_id)
    ensure_in_scope(official, note.unit_id)
    step = workflow.note_transition(note.status, N.RECEIVED)
    items = list(note.items.select_for_update().order_by("line"))
    if not items:
        raise ValidationError(_("Nota belum berisi barang."))
    at = at or timezone.now()
    note.received_on = received_on or timezone.localdate(at)
    for item in items:
        item.stock = item.quantity
        item.save(update_fields=["stock"])
        LedgerEntry.objects.create(
            item=item,
            kind=K.RECEIVED,
            quantity=item.quantity,
            stock_delta=item.quantity,
            balance_after=item.quantity,
            occurred_at=at,
            recorded_by=official,
        )
    _move_note(note, step, actor=official)
    return note


@transaction.atomic
def note_close(*, note_id: int, official: AbstractBaseUser, remark: str = "") -> ConsignmentNote:
    """received → closed, when nothing is left in stock (sold or returned)."""
    note = _lock_note(note_id)
    ensure_in_scope(official, note.unit_id)
    step = workflow.note_transition(note.status, N.CLOSED)
    left = note.items.select_for_update().aggregate(s=Sum("stock"))["s"] or 0
    if left:
        raise ValidationError(
            _(
                "Masih ada %(n)s barang di showroom: catat penjualan atau kembalikan sisanya ke "
                "unit sebelum menutup nota."
            ),
            params={"n": left},
        )
    _move_note(note, step, actor=official, remark=(remark or "").strip())
    return note


# --- the ledger -----------------------------------------------------------------------------------
def _lock_item(item_id: int) -> ConsignmentItem:
    try:
        return (
            ConsignmentItem.objects.select_for_update(of=("self", "note"))
            .select_related("note", "product")
            .get(pk=item_id)
        )
    except ConsignmentItem.DoesNotExist:
        raise ValidationError(_("Barang tidak ditemukan.")) from None


def _ensure_month_open(unit_id: int, at: datetime.datetime) -> None:
    month = timezone.localtime(at).date().replace(day=1)
    if Settlement.objects.filter(unit_id=unit_id, month=month).exists():
        raise ValidationError(
            _("Bulan %(month)s sudah dibuatkan setoran: catatan tidak dapat ditambahkan ke sana."),
            params={"month": month.strftime("%m/%Y")},
        )


def _ensure_moving(item: ConsignmentItem) -> None:
    if not workflow.note_moves_stock(item.note.status):
        raise ValidationError(
            _("Nota %(number)s berstatus “%(status)s”: barangnya tidak dapat dijual/dikembalikan."),
            params={"number": item.note.number, "status": N(item.note.status).label},
        )


def _append(
    item: ConsignmentItem,
    *,
    kind: str,
    quantity: int,
    stock_delta: int,
    sold_delta: int,
    actor,
    at: datetime.datetime,
    remark: str = "",
    corrects: LedgerEntry | None = None,
) -> LedgerEntry:
    balance = item.stock + stock_delta
    item.stock = balance
    item.save(update_fields=["stock"])
    return LedgerEntry.objects.create(
        item=item,
        kind=kind,
        quantity=quantity,
        stock_delta=stock_delta,
        balance_after=balance,
        owed_delta=sold_delta * item.consignment_price,
        sales_delta=sold_delta * item.selling_price,
        corrects=corrects,
        remark=(remark or "").strip()[:300],
        occurred_at=at,
        recorded_by=actor,
    )


def _not_enough(item: ConsignmentItem, quantity: int) -> ValidationError:
    if item.stock == 0:
        error = ValidationError(
            _("Stok “%(name)s” sudah habis: barang ini tidak dapat dijual lagi."),
            code="out_of_stock",
            params={"name": item.product.name},
        )
    else:
        error = ValidationError(
            _("Stok “%(name)s” tinggal %(stock)s: tidak dapat menjual/mengembalikan %(qty)s."),
            code="not_enough_stock",
            params={"name": item.product.name, "stock": item.stock, "qty": quantity},
        )
    return ValidationError({"quantity": error})


@transaction.atomic
def sale_record(
    *,
    item_id: int,
    official: AbstractBaseUser,
    quantity=1,
    at: datetime.datetime | None = None,
) -> LedgerEntry:
    """A sale at the showroom: the stock falls, the unit is owed quantity × consignment price."""
    quantity = _positive_quantity(quantity)
    item = _lock_item(item_id)
    ensure_in_scope(official, item.note.unit_id)
    _ensure_moving(item)
    at = at or timezone.now()
    _ensure_month_open(item.note.unit_id, at)
    if quantity > item.stock:
        raise _not_enough(item, quantity)
    return _append(
        item,
        kind=K.SALE,
        quantity=quantity,
        stock_delta=-quantity,
        sold_delta=quantity,
        actor=official,
        at=at,
    )


@transaction.atomic
def return_record(
    *,
    item_id: int,
    official: AbstractBaseUser,
    quantity,
    remark: str = "",
    at: datetime.datetime | None = None,
) -> LedgerEntry:
    """Goods given back to the unit (unsold, damaged, end of the note)."""
    quantity = _positive_quantity(quantity)
    item = _lock_item(item_id)
    ensure_in_scope(official, item.note.unit_id)
    _ensure_moving(item)
    if quantity > item.stock:
        raise _not_enough(item, quantity)
    return _append(
        item,
        kind=K.RETURN,
        quantity=quantity,
        stock_delta=-quantity,
        sold_delta=0,
        actor=official,
        at=at or timezone.now(),
        remark=remark,
    )


@transaction.atomic
def sale_correct(
    *,
    entry_id: int,
    official: AbstractBaseUser,
    quantity,
    remark: str,
    at: datetime.datetime | None = None,
) -> LedgerEntry:
    """Undo ``quantity`` pieces of a recorded sale (recorded by mistake): a correction row in the
    month it is made; the pieces go back into stock. Never more than the sale still stands at."""
    quantity = _positive_quantity(quantity)
    remark = (remark or "").strip()
    if not remark:
        raise ValidationError({"remark": _("Tulis alasan koreksi.")})
    sale = LedgerEntry.objects.filter(pk=entry_id, kind=K.SALE).first()
    if sale is None:
        raise ValidationError(_("Hanya catatan penjualan yang dapat dikoreksi."))
    item = _lock_item(sale.item_id)
    ensure_in_scope(official, item.note.unit_id)
    _ensure_moving(item)
    at = at or timezone.now()
    _ensure_month_open(item.note.unit_id, at)
    already = -(sale.corrections.aggregate(s=Sum("quantity"))["s"] or 0)
    if quantity > sale.quantity - already:
        raise ValidationError(
            {
                "quantity": ValidationError(
                    _("Penjualan ini tinggal %(n)s barang: koreksi tidak boleh melebihinya."),
                    params={"n": sale.quantity - already},
                )
            }
        )
    return _append(
        item,
        kind=K.CORRECTION,
        quantity=-quantity,
        stock_delta=quantity,
        sold_delta=-quantity,
        actor=official,
        at=at,
        remark=remark,
        corrects=sale,
    )


# --- settlements ----------------------------------------------------------------------------------
def first_of_month(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


@transaction.atomic
def settlement_open(
    *,
    unit_id: int,
    month: datetime.date,
    official: AbstractBaseUser,
    today: datetime.date | None = None,
) -> Settlement:
    """The settlement of a unit for a month that has ended, with the month's figures."""
    ensure_in_scope(official, unit_id)
    month = first_of_month(month)
    today = today or timezone.localdate()
    if month >= first_of_month(today):
        raise ValidationError(
            {"month": _("Setoran dibuat sesudah bulannya berakhir (paling akhir bulan lalu).")}
        )
    # One settlement per unit and month: lock the unit so two officials do not race.
    IKMUnit.objects.select_for_update().filter(pk=unit_id).first()
    if Settlement.objects.filter(unit_id=unit_id, month=month).exists():
        raise ValidationError({"month": _("Setoran bulan ini sudah ada untuk unit tersebut.")})
    start, end = month_bounds(month)
    figures = LedgerEntry.objects.filter(
        item__note__unit_id=unit_id,
        kind__in=(K.SALE, K.CORRECTION),
        occurred_at__gte=start,
        occurred_at__lt=end,
    ).aggregate(n=Sum("quantity"), owed=Sum("owed_delta"), sales=Sum("sales_delta"))
    return Settlement.objects.create(
        unit_id=unit_id,
        month=month,
        items_sold=figures["n"] or 0,
        owed=figures["owed"] or 0,
        sales_total=figures["sales"] or 0,
        created_by=official,
    )


def _lock_settlement(settlement_id: int) -> Settlement:
    return Settlement.objects.select_for_update().get(pk=settlement_id)


@transaction.atomic
def payment_record(
    *,
    settlement_id: int,
    official: AbstractBaseUser,
    amount,
    paid_on: datetime.date,
    method: str,
    reference: str = "",
) -> Payment:
    settlement = _lock_settlement(settlement_id)
    ensure_in_scope(official, settlement.unit_id)
    if settlement.status != T.OPEN:
        raise ValidationError(_("Setoran ini sudah lunas: pembayaran tidak dapat ditambahkan."))
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        amount = 0
    errors = {}
    if amount < 1:
        errors["amount"] = _("Jumlah bayar harus lebih dari nol.")
    elif amount > settlement.outstanding:
        errors["amount"] = _("Jumlah bayar melebihi sisa yang harus dibayar (%(left)s).") % {
            "left": f"Rp{settlement.outstanding:,}".replace(",", ".")
        }
    if method not in Payment.Method.values:
        errors["method"] = _("Pilih cara bayar.")
    if paid_on is None:
        errors["paid_on"] = _("Isi tanggal bayar.")
    elif paid_on > timezone.localdate():
        errors["paid_on"] = _("Tanggal bayar tidak boleh di masa depan.")
    if errors:
        raise ValidationError(errors)
    payment = Payment.objects.create(
        settlement=settlement,
        amount=amount,
        paid_on=paid_on,
        method=method,
        reference=(reference or "").strip()[:100],
        recorded_by=official,
    )
    settlement.paid += amount
    settlement.save(update_fields=["paid", "updated_at"])
    return payment


@transaction.atomic
def settlement_settle(
    *, settlement_id: int, official: AbstractBaseUser, remark: str = ""
) -> Settlement:
    """open → settled, when the payments add up to what is owed."""
    settlement = _lock_settlement(settlement_id)
    ensure_in_scope(official, settlement.unit_id)
    step = workflow.settlement_transition(settlement.status, T.SETTLED)
    if settlement.paid != settlement.owed:
        raise ValidationError(
            _("Belum lunas: dibayar Rp%(paid)s dari Rp%(owed)s."),
            params={
                "paid": f"{settlement.paid:,}".replace(",", "."),
                "owed": f"{settlement.owed:,}".replace(",", "."),
            },
        )
    now = timezone.now()
    settlement.status = step.to
    settlement.settled_at = now
    settlement.save(update_fields=["status", "settled_at", "updated_at"])
    SettlementStatusChange.objects.create(
        settlement=settlement,
        from_status=step.frm,
        to_status=step.to,
        actor=official,
        remark=(remark or "").strip(),
        created_at=now,
    )
    return settlement
