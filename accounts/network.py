"""The real client address behind a known number of trusted reverse proxies.

Each proxy appends the address it received the request from to ``X-Forwarded-For``. With
``TRUSTED_PROXY_COUNT = N`` proxies of our own in front of the app, the last N entries were
written by them, and the N-th from the right is the address the outermost proxy saw: the client.
Entries further left were sent by the client itself and can be forged, so they are never used.
With N = 0 (no proxy) the header is ignored and ``REMOTE_ADDR`` is the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.9:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client address (django-axes' AXES_CLIENT_IP_CALLABLE and the security events)."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [
        item for item in (request.META.get("HTTP_X_FORWARDED_FOR", "") or "").split(",") if item
    ]
    if not forwarded:
        return remote  # reached us without passing the proxies (health checks, local calls)
    # Fewer entries than proxies: the request skipped one; the leftmost is the best we have.
    candidate = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    return _valid(candidate) or remote
