"""Owners' rights over their personal data (UU 27/2022, Pasal 5–13): consent given at sign-up,
requests to the Dinas (access, correction, deletion) with their legal deadline, and the log of
erasures that a restored backup re-applies (``manage.py reapply_erasures``).

Imported by ``ikm.models``; the services are in ``ikm.privacy`` (ikm part) and
``certifications.privacy`` (the whole export and the erasure, which reach up to requests).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Consent(models.Model):
    """Consent to the privacy notice of a given version, recorded at sign-up (Pasal 20–22)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    notice_version = models.CharField(_("versi kebijakan privasi"), max_length=20)
    given_at = models.DateTimeField(_("diberikan pada"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("ditarik pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("persetujuan")
        verbose_name_plural = _("persetujuan")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.notice_version}"


class DataSubjectRequest(models.Model):
    """An owner's request about their personal data, handled by an official before ``deadline``."""

    class Kind(models.TextChoices):
        AKSES = "akses", _("Akses dan salinan data")
        KOREKSI = "koreksi", _("Perbaikan data")
        PENGHAPUSAN = "penghapusan", _("Penghapusan data")

    class Status(models.TextChoices):
        OPEN = "diterima", _("Diterima, menunggu tindakan")
        DONE = "selesai", _("Selesai")
        REJECTED = "ditolak", _("Ditolak")

    class Field(models.TextChoices):
        ACCOUNT_NAME = "account_name", _("Nama pada akun")
        ACCOUNT_EMAIL = "account_email", _("Email akun")
        OWNER_NAME = "owner_name", _("Nama pemilik unit")
        NIK = "nik", _("NIK")
        OWNER_ADDRESS = "owner_address", _("Alamat rumah")
        OWNER_PHONE = "owner_phone", _("Telepon pribadi")
        OTHER = "other", _("Lainnya")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pemilik data"),
        on_delete=models.PROTECT,
        related_name="data_subject_requests",
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    field = models.CharField(
        _("data yang diperbaiki"), max_length=20, blank=True, choices=Field.choices
    )
    requested_value = models.CharField(_("seharusnya"), max_length=255, blank=True)
    note = models.TextField(_("keterangan pemohon"), max_length=2000, blank=True)
    requested_at = models.DateTimeField(_("diajukan pada"), default=timezone.now)
    deadline = models.DateTimeField(_("batas waktu"))
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditangani oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("ditangani pada"), null=True, blank=True)
    resolution_note = models.TextField(_("catatan penyelesaian"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("permintaan hak pemilik data")
        verbose_name_plural = _("permintaan hak pemilik data")
        ordering = ["status", "deadline"]
        constraints = [
            models.CheckConstraint(
                name="dsr_handled_when_closed",
                condition=Q(status="diterima", handled_at__isnull=True)
                | Q(~Q(status="diterima"), handled_at__isnull=False),
            ),
            models.CheckConstraint(
                name="dsr_deadline_after_request",
                condition=Q(deadline__gt=models.F("requested_at")),
            ),
        ]
        indexes = [
            # The officials' queue: open requests by deadline.
            models.Index(fields=["status", "deadline"], name="dsr_status_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.requested_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Erasure(models.Model):
    """One row per erased person. Holds no personal data: the account id, a keyed hash of the
    e-mail address it had, and the ids of the units whose owner fields were cleared. Also written
    to the erasure journal outside the database (settings.ERASURE_JOURNAL), so that restoring a
    backup taken before the erasure re-applies it (``manage.py reapply_erasures``)."""

    user_id_erased = models.PositiveBigIntegerField(_("id akun"), unique=True)
    email_digest = models.CharField(_("HMAC email"), max_length=64)
    unit_ids = models.JSONField(_("unit"), default=list, blank=True)
    request = models.ForeignKey(
        DataSubjectRequest,
        verbose_name=_("permintaan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dihapus oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    erased_at = models.DateTimeField(_("dihapus pada"), default=timezone.now)
    reapplied_at = models.DateTimeField(_("diterapkan ulang pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("log penghapusan data")
        verbose_name_plural = _("log penghapusan data")
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"#{self.user_id_erased} · {self.erased_at:%Y-%m-%d}"

    @property
    def subject_key(self) -> str:
        return f"{self.user_id_erased}:{self.email_digest[:16]}"
