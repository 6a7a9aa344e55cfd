from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import LONG_TEXT_MAX, long_text_validators
from ikm.models import IKMUnit
from products.models import Product


class CertificationType(models.TextChoices):
    HALAL = "halal", _("Halal")
    MEREK = "merek", _("Merek (HAKI)")
    DESAIN_INDUSTRI = "desain_industri", _("Desain industri (HAKI)")
    HAK_CIPTA = "hak_cipta", _("Hak cipta (HAKI)")
    PATEN = "paten", _("Paten (HAKI)")
    OVOP = "ovop", _("OVOP")
    SPP_IRT = "spp_irt", _("SPP-IRT (PIRT)")
    SNI = "sni", _("SNI")
    BPOM_MD = "bpom_md", _("BPOM MD")


# Default issuer per type (domain.md), used by forms and demo data.
DEFAULT_ISSUERS = {
    CertificationType.HALAL: "BPJPH",
    CertificationType.MEREK: "DJKI Kemenkum",
    CertificationType.DESAIN_INDUSTRI: "DJKI Kemenkum",
    CertificationType.HAK_CIPTA: "DJKI Kemenkum",
    CertificationType.PATEN: "DJKI Kemenkum",
    CertificationType.OVOP: "Kemenperin (Ditjen IKMA)",
    CertificationType.SPP_IRT: "OSS / Dinas Kesehatan",
    CertificationType.SNI: "LSPro",
    CertificationType.BPOM_MD: "BPOM",
}


class CertificationStatus(models.TextChoices):
    ACTIVE = "active", _("Berlaku")
    EXPIRED = "expired", _("Kedaluwarsa")
    REVOKED = "revoked", _("Dicabut")


class CertificationQuerySet(models.QuerySet):
    def with_status(self, today: datetime.date | None = None) -> CertificationQuerySet:
        """Annotate ``current_status``: it follows from the dates (and a revocation) as of today."""
        today = today or timezone.localdate()
        return self.annotate(
            current_status=models.Case(
                models.When(
                    revoked_at__isnull=False, then=models.Value(CertificationStatus.REVOKED)
                ),
                models.When(valid_until__lt=today, then=models.Value(CertificationStatus.EXPIRED)),
                default=models.Value(CertificationStatus.ACTIVE),
                output_field=models.CharField(),
            )
        )

    def active(self, today: datetime.date | None = None) -> CertificationQuerySet:
        today = today or timezone.localdate()
        return self.filter(revoked_at__isnull=True).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )


class Certification(models.Model):
    """A certificate an agency has issued to an IKM unit (for some of its products)."""

    type = models.CharField(_("jenis"), max_length=20, choices=CertificationType.choices)
    number = models.CharField(_("nomor"), max_length=100)
    issuer = models.CharField(_("penerbit"), max_length=150)
    issued_on = models.DateField(_("tanggal terbit"))
    valid_until = models.DateField(
        _("berlaku sampai"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila tanpa masa berlaku (halal sejak UU 6/2023)."),
    )
    revoked_at = models.DateField(_("dicabut pada"), null=True, blank=True)
    revoked_reason = models.CharField(_("alasan pencabutan"), max_length=255, blank=True)
    ovop_stars = models.PositiveSmallIntegerField(_("bintang OVOP"), null=True, blank=True)
    ovop_year = models.PositiveSmallIntegerField(_("tahun penilaian OVOP"), null=True, blank=True)
    unit = models.ForeignKey(
        IKMUnit, verbose_name=_("unit IKM"), on_delete=models.PROTECT, related_name="certifications"
    )
    products = models.ManyToManyField(
        Product, verbose_name=_("produk"), blank=True, related_name="certifications"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[products])
    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["type", "number"],
                name="certification_unique_type_number",
                violation_error_message=_(
                    "Nomor ini sudah terdaftar untuk jenis sertifikat yang sama."
                ),
            ),
            models.CheckConstraint(
                name="certification_valid_after_issue",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("issued_on")),
                violation_error_message=_(
                    "Tanggal berlaku sampai tidak boleh sebelum tanggal terbit."
                ),
            ),
            models.CheckConstraint(
                name="certification_ovop_stars",
                condition=(
                    Q(type="ovop", ovop_stars__gte=1, ovop_stars__lte=5, ovop_year__isnull=False)
                    | (~Q(type="ovop") & Q(ovop_stars__isnull=True))
                ),
                violation_error_message=_(
                    "Sertifikat OVOP wajib punya bintang 1–5 dan tahun penilaian; "
                    "jenis lain tanpa bintang."
                ),
            ),
            models.CheckConstraint(name="certification_number_not_blank", condition=~Q(number="")),
        ]
        indexes = [
            models.Index(fields=["type", "valid_until"], name="certification_type_valid_idx"),
            # Verification page: look-up by number whatever the type.
            models.Index(fields=["number"], name="certification_number_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("public:certificate_verify") + f"?nomor={self.number}"

    def status_on(self, day: datetime.date | None = None) -> str:
        day = day or timezone.localdate()
        if self.revoked_at:
            return CertificationStatus.REVOKED
        if self.valid_until and self.valid_until < day:
            return CertificationStatus.EXPIRED
        return CertificationStatus.ACTIVE

    @property
    def status(self) -> str:
        return getattr(self, "current_status", None) or self.status_on()

    def get_status_display(self) -> str:
        return CertificationStatus(self.status).label


class RequestKind(models.TextChoices):
    HALAL_SELF_DECLARE = "halal_self_declare", _("Halal — pernyataan mandiri (self-declare)")
    HALAL_REGULAR = "halal_regular", _("Halal — reguler")
    MEREK = "merek", _("Merek")
    OVOP = "ovop", _("Nominasi OVOP")
    SPP_IRT = "spp_irt", _("SPP-IRT")


REFERENCE_RE = re.compile(
    r"^\s*(?:PRM)?[\s-]*(?:(?P<year>\d{4})[\s-]+)?0*(?P<id>\d{1,12})\s*$", re.IGNORECASE
)


def parse_request_reference(text: str) -> int | None:
    """The request id in what an official or owner types: ``PRM-2026-000123``, ``PRM-000123``
    (the older form), ``2026-000123``, ``000123`` or ``123``; None when it is not a number.
    The year is not checked: the id alone identifies the request."""
    match = REFERENCE_RE.match(text or "")
    return int(match["id"]) if match and int(match["id"]) else None


class Request(models.Model):
    """A facilitation request (permohonan fasilitasi); its status moves only through services."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Konsep")
        SUBMITTED = "submitted", _("Diajukan")
        IN_REVIEW = "in_review", _("Sedang diperiksa")
        RETURNED = "returned", _("Dikembalikan untuk perbaikan")
        RESUBMITTED = "resubmitted", _("Diajukan ulang")
        FORWARDED = "forwarded", _("Diteruskan/disetujui")
        ISSUED = "issued", _("Terbit")
        REJECTED = "rejected", _("Ditolak")
        WITHDRAWN = "withdrawn", _("Dibatalkan")

    kind = models.CharField(_("jenis permohonan"), max_length=20, choices=RequestKind.choices)
    unit = models.ForeignKey(
        IKMUnit, verbose_name=_("unit IKM"), on_delete=models.PROTECT, related_name="requests"
    )
    products = models.ManyToManyField(
        Product, verbose_name=_("produk"), blank=True, related_name="requests"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diajukan oleh"),
        on_delete=models.PROTECT,
        related_name="certification_requests",
    )
    notes = models.TextField(
        _("keterangan pemohon"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=long_text_validators(),
    )
    # Idempotency: a form carries a token; a second post of the same token finds this request.
    client_token = models.UUIDField(
        _("token formulir"), null=True, blank=True, unique=True, editable=False
    )
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True, editable=False)
    certification = models.OneToOneField(
        Certification,
        verbose_name=_("sertifikat terbit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request",
        editable=False,
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("permohonan fasilitasi")
        verbose_name_plural = _("permohonan fasilitasi")
        ordering = ["-created_at"]
        permissions = [("review_request", _("Dapat meninjau permohonan fasilitasi"))]
        indexes = [
            # The officials' queue: by status and age.
            models.Index(fields=["status", "submitted_at"], name="request_status_submitted_idx"),
        ]

    def __str__(self) -> str:
        if self.pk:
            return f"{self.reference} · {self.get_kind_display()} — {self.unit}"
        return f"{self.get_kind_display()} — {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("portal:request_detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        """The number officials and owners quote on pages and in mails: ``PRM-2026-000123``.

        Computed, hence stable: the year the request was created and its primary key, padded.
        ``parse_request_reference`` reads it back (admin searches, the officials' queue).
        """
        if not self.pk:
            return ""
        year = timezone.localtime(self.created_at or timezone.now()).year
        return f"PRM-{year}-{self.pk:06d}"


class DocumentType(models.TextChoices):
    KTP = "ktp", _("KTP pemilik")
    NIB = "nib", _("NIB")
    PRODUCT_LIST = "product_list", _("Daftar produk dan bahan")
    PROCESS = "process", _("Uraian proses produksi")
    LABEL = "label", _("Desain label")
    PHOTO = "photo", _("Foto produk")
    HALAL_PLEDGE = "halal_pledge", _("Ikrar/pernyataan halal")
    UMK_LETTER = "umk_letter", _("Surat keterangan UMK binaan")
    OTHER = "other", _("Lainnya")


def document_upload_to(instance: RequestDocument, filename: str) -> str:
    return f"requests/{instance.request_id}/{filename}"


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class RequestDocument(models.Model):
    """A document attached to a request; stored outside MEDIA_ROOT, served by a checking view."""

    request = models.ForeignKey(
        Request, verbose_name=_("permohonan"), on_delete=models.CASCADE, related_name="documents"
    )
    doc_type = models.CharField(_("jenis dokumen"), max_length=20, choices=DocumentType.choices)
    file = models.FileField(
        _("berkas"), upload_to=document_upload_to, storage=_private_storage, max_length=255
    )
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    content_type = models.CharField(_("tipe isi"), max_length=100)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("dokumen permohonan")
        verbose_name_plural = _("dokumen permohonan")
        ordering = ["request", "doc_type", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()}: {self.original_name}"


class StatusChange(models.Model):
    """One row per transition of a request: who, when, from, to, note."""

    request = models.ForeignKey(
        Request,
        verbose_name=_("permohonan"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("dari"), max_length=12, choices=Request.Status.choices, blank=True
    )
    to_status = models.CharField(_("ke"), max_length=12, choices=Request.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(
        _("catatan"), blank=True, max_length=LONG_TEXT_MAX, validators=long_text_validators()
    )
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")
        ordering = ["request", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class CertificateReminder(models.Model):
    """A reminder mailed to a unit's owner that a certificate expires soon (``reminders.py``).

    One row per certificate, expiry date and window: a run repeated (or two at once) mails once,
    and a certificate whose ``valid_until`` is extended is reminded again before the new date.
    Written in the same transaction as the queued mail (``jobs.mail``): both or neither.
    """

    class Window(models.IntegerChoices):
        DAYS_90 = 90, _("90 hari")
        DAYS_30 = 30, _("30 hari")
        DAYS_7 = 7, _("7 hari")

    certification = models.ForeignKey(
        Certification,
        verbose_name=_("sertifikat"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    valid_until = models.DateField(_("berlaku sampai"))
    days = models.PositiveSmallIntegerField(_("pengingat"), choices=Window.choices)
    email = models.EmailField(_("dikirim ke"))
    mail = models.ForeignKey(
        "jobs.OutboundMail",
        verbose_name=_("surel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # sent mail is deleted after MAIL_KEEP_DAYS
        related_name="+",
    )
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("pengingat masa berlaku")
        verbose_name_plural = _("pengingat masa berlaku")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "valid_until", "days"],
                name="certificate_reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certification} · {self.days} hari"
