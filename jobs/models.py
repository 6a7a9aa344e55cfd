from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class Job(models.Model):
    """A piece of background work (an import, an export, a scheduled chore) and its progress.

    Written by ``jobs.services`` only. Progress is written through the ``direct`` connection,
    outside the job's own transaction, so a page polling the job sees it move.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    kind = models.CharField(_("jenis"), max_length=60)
    label = models.CharField(_("uraian"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dimulai oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("selesai"), default=0)
    total = models.PositiveIntegerField(_("jumlah"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("tanda hidup terakhir"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    result = models.JSONField(_("ringkasan hasil"), default=dict, blank=True)
    error = models.TextField(_("kesalahan"), blank=True)
    # The upload a job reads (an import file) and the report it writes (an error list).
    input_file = models.FileField(
        _("berkas masukan"), upload_to="jobs/input/", storage=_private_storage, blank=True
    )
    report_file = models.FileField(
        _("laporan"), upload_to="jobs/report/", storage=_private_storage, blank=True
    )

    class Meta:
        verbose_name = _("pekerjaan latar")
        verbose_name_plural = _("pekerjaan latar")
        ordering = ("-created_at", "-id")
        indexes = [
            # The reaper: running jobs whose heartbeat stopped.
            models.Index(
                fields=["heartbeat_at"],
                name="job_running_heartbeat_idx",
                condition=Q(status="running"),
            ),
            models.Index(fields=["created_by", "-created_at"], name="job_by_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(done__lte=models.F("total")),
                name="job_done_not_above_total",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.label}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == self.Status.DONE else None
        return min(100, round(100 * self.done / self.total))


class OutboundMail(models.Model):
    """One message in the mail queue (``jobs.mail``): stored by the project's EMAIL_BACKEND in the
    sender's transaction, delivered by the worker through ``EMAIL_DELIVERY_BACKEND`` with retries.

    A mail whose tries are used up stays here as ``failed`` (the back-office can queue it again).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    from_email = models.CharField(_("pengirim"), max_length=320)
    to = models.JSONField(_("kepada"), default=list)
    cc = models.JSONField(_("tembusan"), default=list, blank=True)
    bcc = models.JSONField(_("tembusan tersembunyi"), default=list, blank=True)
    reply_to = models.JSONField(_("balas ke"), default=list, blank=True)
    headers = models.JSONField(_("kepala surel"), default=dict, blank=True)
    subject = models.TextField(_("perihal"))
    body = models.TextField(_("isi"), blank=True)
    # [[content, mimetype], …] (an HTML version) and [{filename, content_b64, mimetype}, …].
    alternatives = models.JSONField(_("versi lain"), default=list, blank=True)
    attachments = models.JSONField(_("lampiran"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("kesalahan terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("percobaan terakhir"), null=True, blank=True)
    # When the next try is due; a queued row long past it lost its task (the beat queues it again).
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("surel keluar")
        verbose_name_plural = _("surel keluar")
        ordering = ("-created_at", "-id")
        indexes = [
            # The beat's look-up of queued rows whose task was lost.
            models.Index(
                fields=["next_attempt_at"],
                name="outboundmail_queued_idx",
                condition=Q(status="queued"),
            ),
            models.Index(fields=["status", "-created_at"], name="outboundmail_status_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject[:80]}"

    @property
    def recipients(self) -> str:
        return ", ".join(self.to)
