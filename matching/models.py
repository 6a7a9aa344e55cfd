"""Business matching (temu bisnis): a buyer's request from the public form, routed by officials
to matching IKM units, answered by their owners, closed with an outcome (issue 16).

Statuses move only through ``matching.services`` (the table is ``matching.workflow``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import LONG_TEXT_MAX, long_text_validators
from ikm.models import IKMUnit, Region


class BuyerRequest(models.Model):
    """A buyer's request for a product (no account): what, how much, where, who, how to reach."""

    class Status(models.TextChoices):
        NEW = "new", _("Baru")
        ROUTED = "routed", _("Diteruskan ke IKM")
        ANSWERED = "answered", _("Dijawab IKM")
        CLOSED_DEAL = "closed_deal", _("Selesai: terjadi transaksi")
        CLOSED_NO_DEAL = "closed_no_deal", _("Selesai: tanpa transaksi")
        REJECTED = "rejected", _("Ditolak (spam)")

    product_wanted = models.CharField(_("produk yang dicari"), max_length=200)
    quantity = models.CharField(_("jumlah"), max_length=100)
    kabupaten = models.ForeignKey(
        Region,
        verbose_name=_("wilayah (kabupaten/kota)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kosong: dari mana saja di Kalimantan Barat."),
    )
    buyer_name = models.CharField(_("nama pembeli"), max_length=150)
    buyer_organisation = models.CharField(_("instansi/perusahaan"), max_length=150, blank=True)
    buyer_phone = models.CharField(_("telepon/WhatsApp"), max_length=20, blank=True)
    buyer_email = models.EmailField(_("email"), blank=True)
    message = models.TextField(
        _("pesan"), blank=True, max_length=LONG_TEXT_MAX, validators=long_text_validators()
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW, editable=False
    )
    deal_value = models.BigIntegerField(_("nilai transaksi (Rp)"), null=True, blank=True)
    outcome_note = models.TextField(_("catatan hasil"), blank=True, editable=False)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("diterima"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("permintaan temu bisnis")
        verbose_name_plural = _("permintaan temu bisnis")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="matching_request_contact",
                condition=~Q(buyer_phone="") | ~Q(buyer_email=""),
                violation_error_message=_("Isi nomor telepon/WhatsApp atau email."),
            ),
            models.CheckConstraint(
                name="matching_deal_value",
                condition=Q(deal_value__isnull=True) | Q(deal_value__gte=0),
                violation_error_message=_("Nilai transaksi tidak boleh negatif."),
            ),
        ]
        indexes = [
            # The officials' list: new requests per region first.
            models.Index(fields=["status", "kabupaten"], name="matching_request_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.product_wanted}"

    @property
    def reference(self) -> str:
        return f"TB-{self.pk:06d}" if self.pk else ""


class Routing(models.Model):
    """The request sent to one unit, and its owner's answer."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Belum dijawab")
        INTERESTED = "interested", _("Berminat")
        DECLINED = "declined", _("Tidak berminat")

    request = models.ForeignKey(
        BuyerRequest,
        verbose_name=_("permintaan"),
        on_delete=models.CASCADE,
        related_name="routings",
    )
    unit = models.ForeignKey(
        IKMUnit,
        verbose_name=_("unit IKM"),
        on_delete=models.PROTECT,
        related_name="matching_routings",
    )
    answer = models.CharField(
        _("jawaban"), max_length=12, choices=Answer.choices, default=Answer.PENDING, editable=False
    )
    offer = models.TextField(
        _("penawaran"), blank=True, max_length=LONG_TEXT_MAX, validators=long_text_validators()
    )
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diteruskan oleh"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    routed_at = models.DateTimeField(_("diteruskan pada"), auto_now_add=True)
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penerusan ke IKM")
        verbose_name_plural = _("penerusan ke IKM")
        ordering = ["request", "routed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "unit"], name="matching_routing_once"),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} → {self.unit}"


class RequestChange(models.Model):
    """One row per transition of a buyer request: who (empty: the buyer or the system), when."""

    request = models.ForeignKey(
        BuyerRequest,
        verbose_name=_("permintaan"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("dari"), max_length=16, choices=BuyerRequest.Status.choices, blank=True
    )
    to_status = models.CharField(_("ke"), max_length=16, choices=BuyerRequest.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat temu bisnis")
        verbose_name_plural = _("riwayat temu bisnis")
        ordering = ["request", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"
