"""Security events (the audit trail of logins, MFA, lockouts, NIK access, permission denials)
and the sessions each account holds (so that "log out everywhere" can end them all)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", _("Masuk")
        LOGIN_FAILED = "login_failed", _("Gagal masuk")
        LOCKOUT = "lockout", _("Akun dikunci sementara")
        LOGOUT_ALL = "logout_all", _("Keluar dari semua perangkat")
        SESSION_EXPIRED = "session_expired", _("Sesi berakhir")
        MFA_ENROLLED = "mfa_enrolled", _("MFA didaftarkan")
        MFA_VERIFIED = "mfa_verified", _("MFA berhasil")
        MFA_FAILED = "mfa_failed", _("MFA gagal")
        MFA_BACKUP_USED = "mfa_backup_used", _("Kode cadangan dipakai")
        MFA_BACKUP_REGENERATED = "mfa_backup_regenerated", _("Kode cadangan dibuat ulang")
        MFA_RESET = "mfa_reset", _("MFA dipulihkan (reset)")
        NIK_VIEW = "nik_view", _("NIK dilihat")
        NIK_EXPORT = "nik_export", _("NIK diekspor")
        PERMISSION_DENIED = "permission_denied", _("Akses ditolak")

    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("peristiwa"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("nama pengguna"), max_length=254, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dilakukan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Bila berbeda dari akun yang terkena (mis. pemulihan MFA)."),
    )
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    path = models.CharField(_("alamat halaman"), max_length=300, blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)

    class Meta:
        verbose_name = _("peristiwa keamanan")
        verbose_name_plural = _("peristiwa keamanan")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The admin list filtered by kind, newest first.
            models.Index(fields=["kind", "-created_at"], name="securityevent_kind_time"),
            # "What happened to this account": the user's own events, newest first.
            models.Index(fields=["user", "-created_at"], name="securityevent_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.username or '-'}"


class UserSession(models.Model):
    """A session key an account holds (recorded at log-in and when the key is cycled)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    session_key = models.CharField(_("kunci sesi"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("sesi akun")
        verbose_name_plural = _("sesi akun")
        indexes = [models.Index(fields=["user"], name="usersession_user")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.session_key[:6]}…"
