"""Session policy.

- Officials (staff): a browser-session cookie, ended after ``STAFF_SESSION_IDLE_SECONDS`` without
  a request (30 min) and ``STAFF_SESSION_MAX_SECONDS`` after log-in (12 h), whatever they do.
- Owners: a browser-session cookie, or ``OWNER_REMEMBER_SECONDS`` (30 days) when they ticked
  "Ingat saya" at log-in.
- Every session key an account holds is recorded (UserSession), so "log out everywhere" can
  delete each one from the database and from the cache (sessions are ``cached_db``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .events import Kind, record_event
from .models import UserSession
from .passwords import is_staff_account

LOGIN_AT = "_sipi_login_at"  # epoch seconds of the log-in
SEEN_AT = "_sipi_seen_at"  # epoch seconds of the last request (written at most once a minute)
RECORDED_KEY = "_sipi_session_key"  # the key last recorded in UserSession
SEEN_RESOLUTION = 60  # seconds: last-activity writes are skipped within this


def _now() -> float:
    return time.time()


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def session_store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def _record_key(request: HttpRequest) -> None:
    session = request.session
    key = session.session_key
    if key and session.get(RECORDED_KEY) != key:
        UserSession.objects.update_or_create(session_key=key, defaults={"user_id": request.user.pk})
        session[RECORDED_KEY] = key


def session_start(request: HttpRequest, user, *, remember: bool = False) -> None:
    """Stamp a fresh log-in and set its lifetime (called on every log-in)."""
    now = _now()
    session = request.session
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    if remember and not is_staff_account(user):
        session.set_expiry(_setting("OWNER_REMEMBER_SECONDS", 30 * 24 * 3600))
    else:
        session.set_expiry(0)  # the cookie ends with the browser
    if session.session_key is None:
        session.save()
    UserSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user_id": user.pk}
    )
    session[RECORDED_KEY] = session.session_key


def sessions_end_all(*, user, request: HttpRequest | None = None) -> int:
    """End every session of ``user`` (database row and cache entry); returns how many."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        session_store(key).delete()  # cached_db: deletes the cache entry and the row
    UserSession.objects.filter(user=user, session_key__in=keys).delete()
    if request is not None:
        record_event(Kind.LOGOUT_ALL, request=request, user=user, sessions=len(keys))
    return len(keys)


def _expired(request: HttpRequest, user) -> str | None:
    if not is_staff_account(user):
        return None
    session = request.session
    now = _now()
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        return "unstamped"
    if now - float(login_at) > _setting("STAFF_SESSION_MAX_SECONDS", 12 * 3600):
        return "absolute"
    if now - float(seen_at) > _setting("STAFF_SESSION_IDLE_SECONDS", 30 * 60):
        return "idle"
    return None


class SessionPolicyMiddleware:
    """After AuthenticationMiddleware and OTPMiddleware: ends officials' idle or too old sessions,
    keeps the last-activity stamp and the recorded session keys, and logs permission denials."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = _expired(request, user)
            if reason is not None:
                ended = user
                logout(request)
                record_event(Kind.SESSION_EXPIRED, request=request, user=ended, reason=reason)
                messages.info(
                    request,
                    _("Sesi Anda berakhir karena terlalu lama tidak aktif. Silakan masuk lagi.")
                    if reason == "idle"
                    else _("Sesi Anda sudah berakhir. Silakan masuk lagi."),
                )
            else:
                now = _now()
                session = request.session
                if session.get(LOGIN_AT) is None:
                    session[LOGIN_AT] = now
                if now - float(session.get(SEEN_AT) or 0) >= SEEN_RESOLUTION:
                    session[SEEN_AT] = now
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            _record_key(request)
        if response.status_code == 403:
            record_event(Kind.PERMISSION_DENIED, request=request, method=request.method)
        return response


def sessions_cleanup() -> int:
    """Delete expired sessions (Django's clearsessions) and the records of sessions that no
    longer exist; returns how many records went."""
    from django.contrib.sessions.models import Session

    session_store().__class__.clear_expired()
    stale = UserSession.objects.exclude(
        session_key__in=Session.objects.values("session_key")
    ).delete()[0]
    return stale
