"""Security events: one row in SecurityEvent and one key=value line on the ``sipi.security``
logger for every login, login failure, lockout, MFA step, NIK view or export and permission
denial. Shipping the log elsewhere (journald, a SIEM) needs no code: it is one line per event."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest

from .models import SecurityEvent
from .network import client_ip

logger = logging.getLogger("sipi.security")

Kind = SecurityEvent.Kind


def _quote(value: Any) -> str:
    text = str(value)
    if text == "" or any(c in text for c in ' "=\n\r\t'):
        text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return text


def format_record(fields: dict[str, Any]) -> str:
    """``event=login_failed user=budi ip=203.0.113.9 path=/admin/login/`` (values quoted when
    they hold spaces, quotes or ``=``; control characters escaped, so one event is one line)."""
    return " ".join(f"{key}={_quote(value)}" for key, value in fields.items() if value is not None)


def record_event(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user=None,
    username: str = "",
    actor=None,
    **detail: Any,
) -> SecurityEvent:
    """Write one security event (row + log line). ``user`` is the account concerned; ``actor``
    the one acting on it when that is someone else (an MFA reset)."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if user is None and request is not None and kind != Kind.LOGIN_FAILED:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    if not username and user is not None:
        username = user.get_username()
    ip = client_ip(request) if request is not None else None
    path = request.path[:300] if request is not None else ""
    event = SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or "")[:254],
        actor=actor,
        ip_address=ip,
        path=path,
        detail={key: value for key, value in detail.items() if value is not None},
    )
    logger.info(
        format_record(
            {
                "event": str(kind),
                "user": username or "-",
                "user_id": user.pk if user is not None else None,
                "actor": actor.get_username() if actor is not None else None,
                "ip": ip or "-",
                "path": path or None,
                **detail,
            }
        )
    )
    return event
