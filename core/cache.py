"""Versioned values in the shared cache (Redis), recomputed once (model-free).

A value is stored under ``<key>:<version>``, where the version is a counter in the cache that
every write to the underlying data moves on (:func:`bump`): the next request after a write
misses, and exactly one process recomputes (it holds a short lock made with ``cache.add``) while
the others keep serving the last value computed (``<key>:last``) — no stampede, even when a
version changes under load. The time-out is only a safety net for writes that do not bump
(``QuerySet.update()``, raw SQL): the scheduler refreshes the values before it runs out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")
LOCK_SECONDS = 30


def bump(version_key: str) -> None:
    """Move ``version_key`` on: every value cached under the old version is out of date."""
    try:
        cache.incr(version_key)
    except ValueError:  # not there yet (or evicted): any new value differs from the old one
        cache.set(version_key, time.time_ns(), None)


def current_version(version_key: str) -> int:
    """The version of ``version_key``. A counter that is missing (first use, evicted, deleted)
    starts again from the clock, never from 0: values cached under an earlier life of the
    counter (``<key>:0`` …) must not become current again."""
    version = cache.get(version_key)
    if version is None:
        cache.add(version_key, time.time_ns(), None)
        version = cache.get(version_key)
    return version


@dataclass
class Slot:
    """Where the value of one version goes (see :func:`lookup`)."""

    key: str
    current: str
    claimed: bool

    def store(self, value, timeout: int) -> None:
        cache.set_many({self.current: value, f"{self.key}:last": value}, timeout)
        if self.claimed:
            cache.delete(f"{self.current}:lock")


def lookup(key: str, *, version_key: str):
    """``(value, slot)``: the value cached for the current version, else — when another process
    is already computing it — the last value computed (stale for a moment), else ``None``: the
    caller computes it and calls ``slot.store(value, timeout)``."""
    current = f"{key}:{current_version(version_key)}"
    value = cache.get(current)
    if value is not None:
        return value, Slot(key, current, False)
    claimed = cache.add(f"{current}:lock", 1, LOCK_SECONDS)
    if not claimed:
        stale = cache.get(f"{key}:last")
        if stale is not None:
            return stale, Slot(key, current, False)
    return None, Slot(key, current, claimed)


def versioned(
    key: str,
    compute: Callable[[], T],
    *,
    version_key: str,
    timeout: int,
    refresh: bool = False,
) -> T:
    """The value of ``key`` for the current version of ``version_key``, computed at most once
    per version across processes. ``refresh`` recomputes and stores it whatever is cached (the
    scheduler's run)."""
    if refresh:
        value = compute()
        Slot(key, f"{key}:{current_version(version_key)}", False).store(value, timeout)
        return value
    value, slot = lookup(key, version_key=version_key)
    if value is None:
        value = compute()
        slot.store(value, timeout)
    return value
