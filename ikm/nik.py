"""NIK (Nomor Induk Kependudukan) at rest: Fernet ciphertext, keyed HMAC for look-up, last 4 digits.

NIK is personal data under UU 27/2022: it is never stored in clear text,
never shown whole in a list,
on a public page or in a default export.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from .identifiers import normalize_nik, strip_separators


@dataclass(frozen=True)
class SealedNik:
    ciphertext: str
    digest: str
    last4: str


def _key_bytes() -> bytes:
    return settings.NIK_ENCRYPTION_KEY.encode()


def _fernet() -> Fernet:
    key = _key_bytes()
    try:
        return Fernet(key)
    except ValueError:
        # Accept any secret string: derive a valid Fernet key from it.
        return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key).digest()))


def digest(nik: str) -> str:
    return _digest(_key_bytes(), strip_separators(nik))


@functools.lru_cache(maxsize=131072)
def _digest(key: bytes, value: str) -> str:
    # An import asks for the same NIK's digest a few times per row (duplicates, sealing).
    return hmac.new(key, b"nik:" + value.encode(), hashlib.sha256).hexdigest()


def seal(raw: str) -> SealedNik:
    """Seal a NIK as typed; not 16 digits (after ``identifiers.normalize_nik``): ValidationError."""
    value = normalize_nik(raw)
    return SealedNik(
        ciphertext=_fernet().encrypt(value.encode()).decode(),
        digest=digest(value),
        last4=value[-4:],
    )


def unseal(ciphertext: str) -> str:
    if not ciphertext:
        return ""
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        return ""


def mask(last4: str) -> str:
    return f"************{last4}" if last4 else ""
