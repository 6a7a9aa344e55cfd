"""The Griya IKM showroom's consignment ledger: notes, items, sales, returns, stock and monthly
settlements (issue 16).

- A **note** (nota titip, ``NT-YYYY-NNNNNN``) records the goods a unit leaves at the showroom:
  one item per product with the quantity, the consignment price (what the showroom owes the unit
  for each item sold) and the selling price. Its life cycle is ``consignment.workflow``.
- The **ledger** (``LedgerEntry``) is append-only: sales, returns (goods back to the unit) and
  corrections of a sale are rows, never edits. Stock per item = received − sold − returned; each
  row carries the running balance after it (``balance_after``).
- A **settlement** (setoran bulanan) per unit and month: owed = Σ sold × consignment price of the
  month's ledger rows; payments are rows; open → settled when paid equals owed.

Money is integer Rupiah (``BigIntegerField``, like ``products.Product.price``), never float.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

NOTE_NUMBER_PREFIX = "NT"


def note_number(year: int, pk: int) -> str:
    """``NT-2026-000042``: the year the note was made and its id, zero-padded to six digits."""
    return f"{NOTE_NUMBER_PREFIX}-{year:04d}-{pk:06d}"


class ConsignmentNote(models.Model):
    """A nota titip: what one unit left at the showroom (items with quantities and prices)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Konsep")
        RECEIVED = "received", _("Diterima")
        CLOSED = "closed", _("Ditutup")

    number = models.CharField(_("nomor nota"), max_length=20, unique=True, blank=True)
    unit = models.ForeignKey(
        "ikm.IKMUnit",
        on_delete=models.PROTECT,
        related_name="consignment_notes",
        verbose_name=_("unit IKM"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    received_on = models.DateField(_("tanggal diterima"), null=True, blank=True)
    remarks = models.TextField(_("keterangan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nota titip")
        verbose_name_plural = _("nota titip")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                name="consignment_note_received_has_date",
                condition=Q(status="draft") | Q(received_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class NoteStatusChange(models.Model):
    """One move of a note's life cycle: who, when, from, to, why."""

    note = models.ForeignKey(
        ConsignmentNote, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("dari"), max_length=10, choices=ConsignmentNote.Status)
    to_status = models.CharField(_("menjadi"), max_length=10, choices=ConsignmentNote.Status)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    remark = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("waktu"))

    class Meta:
        verbose_name = _("perubahan status nota")
        verbose_name_plural = _("perubahan status nota")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.note}: {self.from_status} → {self.to_status}"


class ConsignmentItem(models.Model):
    """One product on a note: quantity received and the two prices (integer Rupiah)."""

    note = models.ForeignKey(
        ConsignmentNote, on_delete=models.CASCADE, related_name="items", verbose_name=_("nota")
    )
    line = models.PositiveSmallIntegerField(_("baris"))
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.PROTECT,
        related_name="consignment_items",
        verbose_name=_("produk"),
    )
    quantity = models.PositiveIntegerField(_("jumlah diterima"))
    consignment_price = models.BigIntegerField(
        _("harga titip (Rp)"),
        help_text=_("Yang dibayar showroom kepada unit untuk setiap barang yang terjual."),
    )
    selling_price = models.BigIntegerField(_("harga jual (Rp)"))
    # Stock now, kept with the ledger under the item's row lock (the last row's balance_after).
    stock = models.IntegerField(_("stok"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("barang titipan")
        verbose_name_plural = _("barang titipan")
        ordering = ("note", "line")
        constraints = [
            models.UniqueConstraint(fields=["note", "line"], name="consignment_item_line_unique"),
            models.UniqueConstraint(
                fields=["note", "product"], name="consignment_item_product_once"
            ),
            models.CheckConstraint(
                name="consignment_item_quantity_positive", condition=Q(quantity__gt=0)
            ),
            models.CheckConstraint(
                name="consignment_item_prices_sane",
                condition=Q(consignment_price__gte=0)
                & Q(selling_price__gte=models.F("consignment_price")),
            ),
            # The guard against overselling: no write may take stock below zero.
            models.CheckConstraint(
                name="consignment_item_stock_not_negative", condition=Q(stock__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.product.name}"

    @property
    def code(self) -> str:
        """``NT-2026-000042/2``: the note's number and the line (printed on the tag)."""
        return f"{self.note.number}/{self.line}"


class LedgerEntry(models.Model):
    """One movement of an item: never edited, never deleted (the ledger is its own audit)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Diterima")
        SALE = "sale", _("Terjual")
        RETURN = "return", _("Dikembalikan ke unit")
        CORRECTION = "correction", _("Koreksi penjualan")

    item = models.ForeignKey(
        ConsignmentItem,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("barang"),
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    # Positive for received/sale/return; a correction is the signed change to the number sold
    # (−1: one sale too many was recorded).
    quantity = models.IntegerField(_("jumlah"))
    # The stock change this row makes, and the stock after it (the running balance).
    stock_delta = models.IntegerField(_("perubahan stok"))
    balance_after = models.IntegerField(_("saldo stok"))
    # Sold count change × consignment price: what this row adds to the unit's month (Rp).
    owed_delta = models.BigIntegerField(_("hak unit (Rp)"), default=0)
    sales_delta = models.BigIntegerField(_("nilai jual (Rp)"), default=0)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("mengoreksi"),
    )
    remark = models.CharField(_("catatan"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("waktu"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )

    class Meta:
        verbose_name = _("catatan buku stok")
        verbose_name_plural = _("buku stok")
        ordering = ("occurred_at", "pk")
        constraints = [
            models.CheckConstraint(
                name="consignment_entry_balance_not_negative", condition=Q(balance_after__gte=0)
            ),
            models.CheckConstraint(
                name="consignment_entry_quantity_sign",
                condition=(Q(kind="correction") & ~Q(quantity=0)) | Q(quantity__gt=0),
            ),
        ]
        indexes = [
            # the month's sold rows of a unit (settlement) and of a region (dashboard)
            models.Index(fields=["kind", "occurred_at"], name="consignment_entry_kind_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} × {self.item_id}"


class Settlement(models.Model):
    """What the showroom owes one unit for one month's sales, and what it has paid."""

    class Status(models.TextChoices):
        OPEN = "open", _("Belum lunas")
        SETTLED = "settled", _("Lunas")

    unit = models.ForeignKey(
        "ikm.IKMUnit",
        on_delete=models.PROTECT,
        related_name="consignment_settlements",
        verbose_name=_("unit IKM"),
    )
    month = models.DateField(_("bulan"), help_text=_("Tanggal 1 bulan yang disetor."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    items_sold = models.IntegerField(_("barang terjual"), default=0)
    sales_total = models.BigIntegerField(_("nilai penjualan (Rp)"), default=0)
    owed = models.BigIntegerField(_("hak unit (Rp)"), default=0)
    paid = models.BigIntegerField(_("dibayar (Rp)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    settled_at = models.DateTimeField(_("lunas pada"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("setoran konsinyasi")
        verbose_name_plural = _("setoran konsinyasi")
        ordering = ("-month", "unit__name")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="consignment_settlement_once"),
            models.CheckConstraint(
                name="consignment_settlement_paid_within_owed",
                condition=Q(paid__gte=0) & Q(paid__lte=models.F("owed")),
            ),
            models.CheckConstraint(
                name="consignment_settlement_settled_is_paid",
                condition=Q(status="open") | Q(paid=models.F("owed")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%m/%Y}"

    @property
    def reference(self) -> str:
        """``SK-2026-11-000042``: month and id (printed on the receipt)."""
        return f"SK-{self.month:%Y-%m}-{self.pk:06d}"

    @property
    def outstanding(self) -> int:
        return self.owed - self.paid


class SettlementStatusChange(models.Model):
    settlement = models.ForeignKey(
        Settlement, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("dari"), max_length=10, choices=Settlement.Status)
    to_status = models.CharField(_("menjadi"), max_length=10, choices=Settlement.Status)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    remark = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("waktu"))

    class Meta:
        verbose_name = _("perubahan status setoran")
        verbose_name_plural = _("perubahan status setoran")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.settlement}: {self.from_status} → {self.to_status}"


class Payment(models.Model):
    """One payment to the unit against a settlement (append-only)."""

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("Transfer bank")
        CASH = "cash", _("Tunai")
        OTHER = "other", _("Lainnya")

    settlement = models.ForeignKey(
        Settlement,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("setoran"),
    )
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    paid_on = models.DateField(_("tanggal bayar"))
    method = models.CharField(_("cara bayar"), max_length=10, choices=Method.choices)
    reference = models.CharField(_("referensi"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pembayaran setoran")
        verbose_name_plural = _("pembayaran setoran")
        ordering = ("paid_on", "pk")
        constraints = [
            models.CheckConstraint(name="consignment_payment_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.settlement} {self.amount}"
