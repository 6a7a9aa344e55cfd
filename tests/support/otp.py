"""The second factor in tests.

- Staff logged in with ``client.force_login`` are also OTP-verified (tests/conftest.py patches
  ``Client.force_login`` to call :func:`verify_session`), so admin tests need no change. A test
  that wants a password-only staff session marks itself ``@pytest.mark.mfa_unverified``.
- :func:`totp_code` computes the current code of a device, as the official's phone would.
- :func:`admin_login` logs a browser (Playwright page) into the admin: password, then the code.
"""

from __future__ import annotations

import time
from binascii import unhexlify

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device


def totp_code(device: TOTPDevice, *, at: float | None = None, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows (``steps_ahead``: a later 30-second window)."""
    totp = TOTP(unhexlify(device.key), device.step, device.t0, device.digits, device.drift)
    totp.time = (time.time() if at is None else at) + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def verify_session(client, user) -> None:
    """Mark the client's session as having passed the second factor (as a code would)."""
    device = confirmed_device(user)
    session = client.session
    assert str(session.get(SESSION_KEY)) == str(user.pk), "log the user in first"
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def admin_login(page, base: str, user, password: str, *, next_path: str = "/admin/") -> None:
    """Password on /admin/login/, then the current code on the MFA page."""
    device = confirmed_device(user)
    page.goto(f"{base}/admin/login/?next={next_path}")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/mfa/**")
    page.fill("#id_code", totp_code(device))
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_path}")
