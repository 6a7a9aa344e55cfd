"""Curation rounds (kurasi produk): criteria, submissions, scores by several officials, published
results and produk terseleksi (issue 16).

Statuses move only through ``curation.services`` (the table is ``curation.workflow``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import LONG_TEXT_MAX, long_text_validators
from ikm.models import IKMUnit, Region
from products.models import Product


class Round(models.Model):
    """A curation round: many owners submit products, officials score them, few are chosen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Konsep")
        OPEN = "open", _("Pendaftaran dibuka")
        SCORING = "scoring", _("Penilaian")
        PUBLISHED = "published", _("Hasil diumumkan")
        CANCELLED = "cancelled", _("Dibatalkan")

    title = models.CharField(_("judul"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(
        _("keterangan"), blank=True, max_length=LONG_TEXT_MAX, validators=long_text_validators()
    )
    kabupaten = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kosongkan untuk kurasi tingkat provinsi (seluruh Kalimantan Barat)."),
    )
    submission_deadline = models.DateTimeField(_("batas pendaftaran"))
    period_start = models.DateField(_("terseleksi mulai"))
    period_end = models.DateField(_("terseleksi sampai"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    published_at = models.DateTimeField(_("diumumkan pada"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("putaran kurasi")
        verbose_name_plural = _("putaran kurasi")
        ordering = ["-submission_deadline", "-id"]
        constraints = [
            models.CheckConstraint(
                name="curation_round_period_order",
                condition=Q(period_end__gte=models.F("period_start")),
                violation_error_message=_(
                    "Tanggal akhir masa terseleksi tidak boleh sebelum tanggal mulainya."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public:curation_round", kwargs={"slug": self.slug})

    @property
    def scope_label(self) -> str:
        return self.kabupaten.name if self.kabupaten_id else str(_("Kalimantan Barat"))


class Criterion(models.Model):
    """One scoring criterion of a round: the official gives 0..max_score; weighted in the total."""

    round = models.ForeignKey(
        Round, verbose_name=_("putaran"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("kriteria"), max_length=150)
    weight = models.PositiveSmallIntegerField(
        _("bobot"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_score = models.PositiveSmallIntegerField(
        _("nilai maksimum"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kriteria kurasi")
        verbose_name_plural = _("kriteria kurasi")
        ordering = ["round", "position", "id"]
        constraints = [
            models.CheckConstraint(
                name="curation_criterion_positive",
                condition=Q(weight__gte=1) & Q(max_score__gte=1),
                violation_error_message=_("Bobot dan nilai maksimum paling kecil 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (×{self.weight}, 0–{self.max_score})"


class Submission(models.Model):
    """A product submitted by its owner to a round (one per product per round)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Diajukan")
        SCORED = "scored", _("Sudah dinilai")
        CHOSEN = "chosen", _("Terpilih")
        NOT_CHOSEN = "not_chosen", _("Tidak terpilih")
        WITHDRAWN = "withdrawn", _("Ditarik")

    round = models.ForeignKey(
        Round, verbose_name=_("putaran"), on_delete=models.PROTECT, related_name="submissions"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("produk"),
        on_delete=models.PROTECT,
        related_name="curation_submissions",
    )
    unit = models.ForeignKey(
        IKMUnit,
        verbose_name=_("unit IKM"),
        on_delete=models.PROTECT,
        related_name="curation_submissions",
        editable=False,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.SUBMITTED,
        editable=False,
    )
    note = models.TextField(
        _("keterangan pemilik"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=long_text_validators(),
    )
    final_score = models.DecimalField(
        _("nilai akhir"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )
    # True while this choice is what made the product *terseleksi* (services.selection_sync).
    holds_selection = models.BooleanField(_("menandai terseleksi"), default=False, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diajukan oleh"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("diajukan pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pengajuan kurasi")
        verbose_name_plural = _("pengajuan kurasi")
        ordering = ["round", "-final_score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "product"],
                name="curation_submission_once_per_round",
                violation_error_message=_("Produk ini sudah diajukan ke putaran kurasi ini."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "holds_selection"], name="curation_sub_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.round}"

    @property
    def reference(self) -> str:
        return f"KUR-{self.pk:06d}" if self.pk else ""


class Score(models.Model):
    """One official's score of one criterion for one submission."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("pengajuan"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("kriteria"), on_delete=models.PROTECT, related_name="scores"
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penilai"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = models.PositiveSmallIntegerField(_("nilai"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nilai kurasi")
        verbose_name_plural = _("nilai kurasi")
        ordering = ["submission", "official", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "criterion", "official"],
                name="curation_score_once_per_official",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.value}"


class SubmissionChange(models.Model):
    """One row per transition of a submission: who, when, from, to, note."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("pengajuan"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("dari"), max_length=10, choices=Submission.Status.choices, blank=True
    )
    to_status = models.CharField(_("ke"), max_length=10, choices=Submission.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(
        _("catatan"), blank=True, max_length=LONG_TEXT_MAX, validators=long_text_validators()
    )
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat pengajuan kurasi")
        verbose_name_plural = _("riwayat pengajuan kurasi")
        ordering = ["submission", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"
