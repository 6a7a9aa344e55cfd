"""The check-in QR code: a URL carrying a signed token that names one registration.

The token is ``django.core.signing.Signer`` over the registration's id with its own salt: it
cannot be forged or changed into another registration's, and it reveals nothing but an id. It does
not expire (the owner may print it days before); scanning it opens the back-office check-in
page, which still needs an official of the event's region, signed in with the second factor.
"""

from __future__ import annotations

from django.core import signing

SALT = "events.checkin"


def checkin_token(registration_id: int) -> str:
    """The same token every time for a registration (no timestamp): a printed code stays valid."""
    return signing.Signer(salt=SALT).sign_object(registration_id)


def registration_id_from_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    return value if isinstance(value, int) else None
