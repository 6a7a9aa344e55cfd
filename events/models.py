"""Events of the Griya IKM (pelatihan, bimtek, pameran, temu bisnis) and their registrations.

Statuses move only through ``events.services`` (the table is ``events.workflow``); every save is
audited by django-simple-history (who, when, the change reason holds the verb's note).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import LONG_TEXT_MAX, long_text_validators
from ikm.models import IKMUnit, Region


class EventKind(models.TextChoices):
    PELATIHAN = "pelatihan", _("Pelatihan")
    BIMTEK = "bimtek", _("Bimbingan teknis (bimtek)")
    PAMERAN = "pameran", _("Pameran")
    TEMU_BISNIS = "temu_bisnis", _("Temu bisnis")


class Event(models.Model):
    """An event of the Dinas: province-wide when ``kabupaten`` is empty, else of one kab/kota."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Konsep")
        PUBLISHED = "published", _("Dibuka untuk pendaftaran")
        CLOSED = "closed", _("Pendaftaran ditutup")
        CANCELLED = "cancelled", _("Dibatalkan")
        FINISHED = "finished", _("Selesai")

    kind = models.CharField(_("jenis acara"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(
        _("uraian"), max_length=LONG_TEXT_MAX, validators=long_text_validators()
    )
    requirements = models.TextField(
        _("persyaratan peserta"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=long_text_validators(),
        help_text=_("Mis. membawa NIB, produk contoh, laptop; satu baris per syarat."),
    )
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    place = models.CharField(
        _("tempat"),
        max_length=255,
        blank=True,
        help_text=_("Nama gedung dan alamat; kosongkan untuk acara daring saja."),
    )
    online_url = models.URLField(
        _("tautan daring"),
        blank=True,
        help_text=_("Tautan Zoom/Meet untuk acara daring atau hibrida."),
    )
    quota = models.PositiveIntegerField(
        _("kuota peserta"), help_text=_("Jumlah unit IKM yang dapat hadir; lebihnya masuk antrean.")
    )
    kabupaten = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": ("kabupaten", "kota")},
        help_text=_("Penyelenggara wilayah; kosongkan untuk acara tingkat provinsi."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acara")
        verbose_name_plural = _("acara")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="event_ends_after_start",
                condition=Q(ends_at__gt=models.F("starts_at")),
                violation_error_message=_("Waktu selesai harus sesudah waktu mulai."),
            ),
            models.CheckConstraint(
                name="event_place_or_online",
                condition=~Q(place="") | ~Q(online_url=""),
                violation_error_message=_("Isi tempat, tautan daring, atau keduanya."),
            ),
            models.CheckConstraint(
                name="event_quota_positive",
                condition=Q(quota__gte=1),
                violation_error_message=_("Kuota paling sedikit 1."),
            ),
        ]
        indexes = [
            # The public agenda: upcoming events by status and start.
            models.Index(fields=["status", "starts_at"], name="event_status_start_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public:event_detail", kwargs={"pk": self.pk})

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)


class Registration(models.Model):
    """One IKM unit's seat (or place on the waitlist) at an event."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Terdaftar")
        WAITLISTED = "waitlisted", _("Daftar tunggu")
        CANCELLED = "cancelled", _("Dibatalkan")
        ATTENDED = "attended", _("Hadir")
        NO_SHOW = "no_show", _("Tidak hadir")

    event = models.ForeignKey(
        Event, verbose_name=_("acara"), on_delete=models.PROTECT, related_name="registrations"
    )
    unit = models.ForeignKey(
        IKMUnit,
        verbose_name=_("unit IKM"),
        on_delete=models.PROTECT,
        related_name="event_registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("didaftarkan oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, editable=False)
    checked_in_at = models.DateTimeField(_("waktu hadir"), null=True, blank=True, editable=False)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat hadir oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # ``events.formats``: HDR-<year>-<6 digits>-<4 check characters>, given at check-in.
    certificate_number = models.CharField(
        _("nomor sertifikat kehadiran"),
        max_length=24,
        null=True,
        blank=True,
        unique=True,
        editable=False,
    )
    reminded_at = models.DateTimeField(_("diingatkan pada"), null=True, blank=True, editable=False)
    reminder_mail = models.ForeignKey(
        "jobs.OutboundMail",
        verbose_name=_("surel pengingat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # sent mail is deleted after MAIL_KEEP_DAYS
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("didaftarkan pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pendaftaran acara")
        verbose_name_plural = _("pendaftaran acara")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            # A unit holds one live registration per event (a cancelled one may be followed by
            # a new one).
            models.UniqueConstraint(
                fields=["event", "unit"],
                condition=~Q(status="cancelled"),
                name="registration_one_live_per_unit",
                violation_error_message=_("Unit ini sudah terdaftar pada acara ini."),
            ),
            models.CheckConstraint(
                name="registration_attended_has_certificate",
                condition=~Q(status="attended")
                | Q(certificate_number__isnull=False, checked_in_at__isnull=False),
            ),
        ]
        indexes = [
            # Seats taken and the waitlist's order (promotion): by event and status.
            models.Index(fields=["event", "status", "created_at"], name="registration_evt_st_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.event}"

    @property
    def reference(self) -> str:
        return f"DAF-{self.pk:06d}" if self.pk else ""
