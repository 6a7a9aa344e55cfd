"""``manage.py demo_mfa_code``: the current 6-digit code of the demo officials' authenticator
(their TOTP devices hold the known demo secret, ``demo.seed.DEMO_TOTP_SECRET``)."""

from __future__ import annotations

import time
from base64 import b32decode

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from demo.seed import DEMO_TOTP_SECRET


def demo_code(at: float | None = None) -> tuple[str, int]:
    """(code, seconds it stays valid)."""
    padded = DEMO_TOTP_SECRET + "=" * (-len(DEMO_TOTP_SECRET) % 8)
    totp = TOTP(b32decode(padded), step=30, t0=0, digits=6)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}", 30 - int(totp.time) % 30


class Command(BaseCommand):
    help = (
        "Tampilkan kode verifikasi dua langkah (6 angka) untuk akun pejabat demo "
        "(admin.kalbar, admin.sanggau). Hanya untuk data demo."
    )

    def handle(self, *args, **options):
        code, left = demo_code()
        self.stdout.write(f"{code}  (berlaku {left} detik lagi; akun admin.kalbar, admin.sanggau)")
