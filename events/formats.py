"""The attendance certificate's number: ``HDR-<year>-<sequence>-<check>``, e.g.
``HDR-2026-000123-K7QM``.

- ``HDR`` (hadir): an attendance certificate of SIPI IKM Kalbar, not an agency's certificate;
- the year the event started;
- the registration's number, six digits (``Registration.pk``, padded);
- four random characters from an alphabet without look-alikes (no 0/O, 1/I/L), so numbers
  cannot be guessed one after another on the public verification page.

The number is stored (unique) when the attendee is checked in and never changes; ``/verifikasi/``
looks it up exactly (case and surrounding spaces ignored).
"""

from __future__ import annotations

import re
import secrets

PREFIX = "HDR"
CHECK_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CHECK_LENGTH = 4
NUMBER_RE = re.compile(
    rf"^{PREFIX}-(?P<year>\d{{4}})-(?P<seq>\d{{6,}})-(?P<check>[{CHECK_ALPHABET}]{{{CHECK_LENGTH}}})$"
)


def new_number(*, year: int, sequence: int) -> str:
    check = "".join(secrets.choice(CHECK_ALPHABET) for _ in range(CHECK_LENGTH))
    return f"{PREFIX}-{year:04d}-{sequence:06d}-{check}"


def normalise(text: str) -> str:
    return (text or "").strip().upper()


def looks_like_attendance_number(text: str) -> bool:
    """Whether ``text`` is written in this format (the verification page then asks events)."""
    return bool(NUMBER_RE.match(normalise(text)))
