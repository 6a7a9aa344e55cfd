"""Second factor for staff accounts, on django-otp: one TOTP device (an authenticator app) plus
one static device holding ten single-use backup codes.

A staff account without a confirmed TOTP device must enrol before anything else in the
back-office; a staff session is "verified" once a TOTP or backup code was accepted in it
(django-otp keeps the device's id in the session; OTPMiddleware checks it on every request).
"""

from __future__ import annotations

import secrets
from base64 import b32decode, b32encode
from binascii import unhexlify

import qrcode
import qrcode.image.svg
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .events import Kind, record_event
from .passwords import is_staff_account
from .sessions import sessions_end_all

TOTP_NAME = "authenticator"
BACKUP_NAME = "backup"
BACKUP_CODE_COUNT = 10
_BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def mfa_required(user) -> bool:
    return bool(user is not None and user.is_authenticated and is_staff_account(user))


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request: HttpRequest) -> bool:
    user = request.user
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=BACKUP_NAME).count()


def secret_base32(device: TOTPDevice) -> str:
    return b32encode(unhexlify(device.key)).decode("ascii").rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG (no image request, no third-party service)."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    return image.to_string(encoding="unicode")


@transaction.atomic
def mfa_enrolment_device(*, user) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (created once, reused on reload)."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False, name=TOTP_NAME)
        .order_by("pk")
        .first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def _new_backup_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [
        "".join(secrets.choice(_BACKUP_ALPHABET) for _ in range(10))
        for _ in range(BACKUP_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _clean(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


@transaction.atomic
def mfa_confirm_enrolment(*, request: HttpRequest, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the device with a code from the app; returns the new backup codes (shown once).

    A wrong code leaves the device unconfirmed, writes an MFA failure event and returns []."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(_clean(token)):
        record_event(Kind.MFA_FAILED, request=request, stage="enrol")
        return []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _new_backup_codes(user)
    otp_login(request, device)
    record_event(Kind.MFA_ENROLLED, request=request)
    return codes


def mfa_verify(*, request: HttpRequest, token: str) -> bool:
    """Check a TOTP code or a backup code; on success the session is verified."""
    user = request.user
    token = _clean(token)
    if not token:
        record_event(Kind.MFA_FAILED, request=request, stage="verify", reason="empty")
        return False
    with transaction.atomic():
        totp = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if totp is not None and token.isdigit() and totp.verify_token(token):
            otp_login(request, totp)
            record_event(Kind.MFA_VERIFIED, request=request, device="totp")
            return True
    with transaction.atomic():
        static = (
            StaticDevice.objects.select_for_update()
            .filter(user=user, name=BACKUP_NAME, confirmed=True)
            .first()
        )
        if static is not None and not token.isdigit() and static.verify_token(token):
            otp_login(request, static)
            record_event(Kind.MFA_BACKUP_USED, request=request, left=static.token_set.count())
            return True
    record_event(Kind.MFA_FAILED, request=request, stage="verify")
    return False


@transaction.atomic
def mfa_backup_codes_regenerate(*, request: HttpRequest) -> list[str]:
    codes = _new_backup_codes(request.user)
    record_event(Kind.MFA_BACKUP_REGENERATED, request=request)
    return codes


def can_reset_mfa(actor) -> bool:
    """Recovery is for a province superuser: an active superuser who is not a kab/kota official."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if not actor.is_superuser:
        return False
    official = getattr(actor, "official", None) if hasattr(actor, "official") else None
    return official is None or official.kabupaten_id is None


@transaction.atomic
def mfa_reset(*, request: HttpRequest, user) -> None:
    """Remove ``user``'s devices and backup codes and end their sessions: at the next log-in they
    enrol again. Only a province superuser, only for someone else; writes an audit event."""
    actor = request.user
    if not can_reset_mfa(actor) or actor.pk == user.pk:
        raise PermissionDenied
    totp = TOTPDevice.objects.filter(user=user).count()
    static = StaticDevice.objects.filter(user=user).count()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    ended = sessions_end_all(user=user)
    record_event(
        Kind.MFA_RESET,
        request=request,
        user=user,
        actor=actor,
        devices_removed=totp + static,
        sessions_ended=ended,
    )


def demo_device(*, user, secret_base32_value: str) -> TOTPDevice:
    """A confirmed TOTP device with a known secret: for the demo data only (seed_demo)."""
    padded = secret_base32_value + "=" * (-len(secret_base32_value) % 8)
    key = b32decode(padded).hex()
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name=TOTP_NAME, defaults={"key": key, "confirmed": True}
    )
    return device
