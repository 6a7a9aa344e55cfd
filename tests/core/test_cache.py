"""core/cache.py: versioned values in the shared cache (the real Redis of the test settings)."""

from __future__ import annotations

import uuid

from django.core.cache import cache

from core.cache import bump, lookup, versioned


def fresh_keys() -> tuple[str, str]:
    name = uuid.uuid4().hex
    return f"test:value:{name}", f"test:version:{name}"


def test_a_value_is_computed_once_per_version_and_again_after_a_bump():
    key, version_key = fresh_keys()
    calls = []

    def compute():
        calls.append(1)
        return f"value {len(calls)}"

    assert versioned(key, compute, version_key=version_key, timeout=60) == "value 1"
    assert versioned(key, compute, version_key=version_key, timeout=60) == "value 1"
    bump(version_key)
    assert versioned(key, compute, version_key=version_key, timeout=60) == "value 2"
    assert len(calls) == 2


def test_a_lost_version_counter_never_makes_an_old_value_current_again():
    """The counter has no time-out, but Redis may evict it or somebody may delete it: the
    values cached under its earlier life are still there for their time-out. Starting again
    from 0 would serve the page cached under version 0 before the writes that followed."""
    key, version_key = fresh_keys()
    value, slot = lookup(key, version_key=version_key)
    assert value is None
    slot.store("the page before the writes", 60)
    first = cache.get(version_key)

    cache.delete(version_key)  # evicted
    value, slot = lookup(key, version_key=version_key)
    assert value is None  # computed again, not the old page
    assert cache.get(version_key) != first
    slot.store("the page now", 60)
    assert lookup(key, version_key=version_key)[0] == "the page now"


def test_while_one_process_computes_the_others_serve_the_last_value():
    key, version_key = fresh_keys()
    value, slot = lookup(key, version_key=version_key)
    slot.store("version one", 60)
    bump(version_key)
    value, computing = lookup(key, version_key=version_key)
    assert value is None and computing.claimed  # this process computes
    value, other = lookup(key, version_key=version_key)
    assert value == "version one" and not other.claimed  # another one serves the last value
    computing.store("version two", 60)
    assert lookup(key, version_key=version_key)[0] == "version two"
