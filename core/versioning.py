"""Optimistic concurrency: the version of a row a form was opened on, and what changed since.

A form carries the version of the row it showed (a hidden field, see
``core.forms.VersionedFormMixin``). Saving re-reads the row under ``SELECT … FOR UPDATE``
inside the caller's transaction and compares: a different version is a conflict, and nothing
is written. The lock is held until the transaction ends, so of two simultaneous saves from the
same version one waits for the other and then sees a newer version.

The version token:

- ``updated_at`` (``auto_now``) when the model has it (units, products, certificates, requests):
  every ``save()`` moves it, and the history row written with it (django-simple-history) records
  the same value, so the rows after the seen version tell who changed which field.
- otherwise ``h:<sha256 of the concrete field values>:<time the page was built>`` (sentra,
  officials, accounts). Such models have no history: the conflict lists the fields whose saved
  value now differs from the form's input, and the surface may add its own log (the admin adds
  ``LogEntry`` rows after the page time). Many-to-many values are not in the hash.

Model-free: works on any model through ``_meta`` and the ``history`` manager when present.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

VERSION_FIELD = "versi_data"
HASH_PREFIX = "h:"


def has_updated_at(model) -> bool:
    try:
        model._meta.get_field("updated_at")
    except Exception:  # noqa: BLE001 - FieldDoesNotExist
        return False
    return True


def _hash_fields(obj: models.Model, exclude: Iterable[str] = ()) -> str:
    skip = set(exclude)
    parts = []
    for f in obj._meta.concrete_fields:
        if f.name in skip or f.primary_key:
            continue
        parts.append(f"{f.attname}={f.value_to_string(obj)!r}")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def row_version(obj: models.Model, exclude: Iterable[str] = ()) -> str:
    """The version token of ``obj`` as loaded (see the module docstring)."""
    if has_updated_at(type(obj)):
        value = obj.updated_at
        return value.isoformat() if value else ""
    return f"{HASH_PREFIX}{_hash_fields(obj, exclude)}:{int(time.time())}"


def same_version(current: str, seen: str) -> bool:
    """``seen`` (from the form) still describes the row whose token is now ``current``."""
    if current.startswith(HASH_PREFIX):
        return seen.startswith(HASH_PREFIX) and seen.split(":")[1] == current.split(":")[1]
    return bool(seen) and seen == current


def seen_time(seen: str) -> datetime.datetime | None:
    """When the form's page was built (hash tokens) or the seen row was saved (``updated_at``)."""
    try:
        if seen.startswith(HASH_PREFIX):
            return datetime.datetime.fromtimestamp(int(seen.split(":")[2]), tz=datetime.UTC)
        return datetime.datetime.fromisoformat(seen)
    except (IndexError, ValueError, OverflowError):
        return None


def lock_row(model, pk):
    """The row, locked until the end of the current transaction (None: deleted meanwhile)."""
    return model._default_manager.select_for_update().filter(pk=pk).first()


# --- what changed ---------------------------------------------------------------------------------
@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class ChangeSet:
    """One save by someone else since the seen version."""

    who: str
    when: datetime.datetime | None
    changes: list[FieldChange] = field(default_factory=list)


def default_who(user) -> str:
    if user is None:
        return _("sistem (impor atau tugas otomatis)")
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{user.get_username()} ({full})" if full else user.get_username()


EMPTY = "—"


def display_value(model, name: str, value) -> str:
    """A field value as a person reads it (choice labels, related names, Ya/Tidak, dates)."""
    try:
        f = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - not a field: shown as is
        return EMPTY if value in (None, "") else str(value)
    if isinstance(value, list):  # a many-to-many diff: [{"<m2m field>": pk, …}, …]
        target = getattr(f, "related_model", None)
        pks = [next((v for k, v in row.items() if k != f.m2m_field_name()), None) for row in value]
        if target is None or not pks:
            return EMPTY
        names = [str(o) for o in target._default_manager.filter(pk__in=pks)]
        return ", ".join(sorted(names)) or EMPTY
    if value in (None, ""):
        return EMPTY
    if f.is_relation and f.many_to_one:
        if isinstance(value, models.Model):
            return str(value)
        obj = f.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else str(value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, datetime.datetime | datetime.date):
        return formats.localize(value)
    return str(value)


def field_label(model, name: str) -> str:
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))
    except Exception:  # noqa: BLE001
        return name


def _history(obj):
    manager = getattr(obj, "history", None)
    return manager if manager is not None and hasattr(manager, "model") else None


@dataclass
class Conflict:
    """What a stale form learns: the saves since its version, and the values it was opened on."""

    current_version: str
    changesets: list[ChangeSet]
    seen_values: dict | None  # attname -> value of the seen version (None: not known)
    changed_fields: set[str]  # field names others changed since the seen version


def changes_since(
    obj: models.Model,
    seen: str,
    *,
    hidden: Iterable[str] = (),
    who: Callable = default_who,
    exclude_version: Iterable[str] = (),
) -> Conflict:
    """The saves of ``obj`` (locked, current) after the version ``seen``, field by field."""
    model = type(obj)
    hidden = {*hidden, "updated_at"}
    current = row_version(obj, exclude_version)
    history = _history(obj)
    when = seen_time(seen)
    if history is None or not has_updated_at(model) or when is None:
        return Conflict(current, [], None, set())
    rows = history.order_by("history_id")
    base = rows.filter(updated_at=when).last()
    if base is not None:
        later = list(rows.filter(history_id__gt=base.history_id))
        previous = base
    else:  # the seen row left no history (e.g. written by a bulk update): from the time on
        later = list(rows.filter(history_date__gt=when))
        previous = rows.filter(history_date__lte=when).last()
    changesets: list[ChangeSet] = []
    changed: set[str] = set()
    for row in later:
        if previous is None:
            previous = row
            continue
        try:
            delta = row.diff_against(
                previous, excluded_fields=list(hidden), foreign_keys_are_objs=False
            )
        except TypeError:  # older simple-history: no foreign_keys_are_objs
            delta = row.diff_against(previous, excluded_fields=list(hidden))
        items = [
            FieldChange(
                c.field,
                field_label(model, c.field),
                display_value(model, c.field, c.old),
                display_value(model, c.field, c.new),
            )
            for c in delta.changes
        ]
        changed |= {c.field for c in delta.changes}
        if items:
            changesets.append(ChangeSet(who(row.history_user), row.history_date, items))
        previous = row
    seen_values = None
    if base is not None:
        seen_values = {f.attname: getattr(base, f.attname, None) for f in model._meta.fields}
    return Conflict(current, changesets, seen_values, changed)
