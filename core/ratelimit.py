"""Counters in the shared cache (Redis) that limit how often an action may run (model-free).

``hit("password_reset", ["email:budi@x.id", "ip:203.0.113.9"], limit=3, window=3600)`` counts
one attempt under each key and answers whether every key is still within ``limit`` for the
current ``window`` (a fixed window: the counter starts at the first attempt and expires with it).
A refused attempt counts too, so hammering does not reopen the door. Used by the owner portal for
password reset, resending the confirmation, sign-up of a known address and claims by NIB
(docs/security.md, section 9). With the cache unreachable nothing is counted (the page works).
"""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

# The keys' prefix; each test gets its own (tests/conftest.py), so counters never carry over.
NAMESPACE = "ratelimit"


def _key(action: str, subject: str) -> str:
    # Hashed: addresses and emails do not appear in Redis keys.
    digest = hashlib.sha256(subject.strip().lower().encode("utf-8")).hexdigest()[:32]
    return f"{NAMESPACE}:{action}:{digest}"


def hit(action: str, subjects: list[str | None], *, limit: int, window: int) -> bool:
    """Count one attempt for each subject; True when all are within ``limit`` (allowed)."""
    allowed = True
    for subject in subjects:
        if not subject:
            continue
        key = _key(action, subject)
        try:
            if cache.add(key, 1, timeout=window):
                count = 1
            else:
                try:
                    count = cache.incr(key)
                except ValueError:  # expired between add() and incr()
                    cache.add(key, 1, timeout=window)
                    count = 1
        except Exception:  # noqa: BLE001 - Redis down: serve the page, do not count
            logger.warning("rate limit %s not counted: the cache is unreachable", action)
            continue
        if count > limit:
            allowed = False
    return allowed


def within_limit(action: str, *, account: str | None, ip: str | None) -> bool:
    """One attempt at ``action`` (a key of ``settings.RATE_LIMITS``) by this account or address
    and from this client address; True while both are within their limits."""
    from django.conf import settings

    limits = settings.RATE_LIMITS[action]
    per_account = hit(f"{action}:account", [account], **_limit(limits["per_account"]))
    per_ip = hit(f"{action}:ip", [ip], **_limit(limits["per_ip"]))
    return per_account and per_ip


def _limit(pair: tuple[int, int]) -> dict:
    return {"limit": pair[0], "window": pair[1]}
