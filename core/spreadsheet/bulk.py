"""Fast inserts of new rows together with their simple-history rows (PostgreSQL COPY)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from django.db import models
from django.utils import timezone


def _plain_columns(model) -> list:
    """Concrete, stored (not generated) columns of a model, primary key excepted when automatic."""
    return [
        f
        for f in model._meta.concrete_fields
        if not getattr(f, "generated", False)
        and not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]


_NATIVE = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.DecimalField,
    models.BooleanField,
    models.DateTimeField,
    models.DateField,
    models.ForeignKey,
)


def _db_values(fields, obj, connection) -> tuple:
    values = []
    for f in fields:
        value = getattr(obj, f.attname)
        if value is not None and not isinstance(f, _NATIVE):
            value = f.get_db_prep_save(value, connection)
        values.append(value)
    return tuple(values)


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text_value = str(value)
    if "\\" in text_value or "\t" in text_value or "\n" in text_value or "\r" in text_value:
        text_value = (
            text_value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text_value


def _copy(cursor, table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    buffer = io.StringIO()
    write = buffer.write
    for row in rows:
        write("\t".join(map(_copy_text, row)))
        write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def insert_with_history(objs: list, *, user=None) -> None:
    """Insert new model instances and their simple-history "created" rows, fast.

    The same rows as ``simple_history.utils.bulk_create_with_history`` (one historical row per
    object, ``history_type`` "+", ``history_user`` = ``user``), written with PostgreSQL COPY
    (primary keys drawn from the table's sequence first) instead of Django's per-value SQL
    compiler, which dominates the time of a 100,000-row import. Call inside a transaction.
    """
    from django.db import connection

    if not objs:
        return
    model = type(objs[0])
    now = timezone.now()
    qn = connection.ops.quote_name
    pk = model._meta.pk
    fields = _plain_columns(model)
    auto_pk = pk not in fields
    for f in fields:
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
            for obj in objs:
                setattr(obj, f.attname, now)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        if auto_pk:
            raw.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk.column, len(objs)],
            )
            for obj, (pk_value,) in zip(objs, raw.fetchall(), strict=True):
                obj.pk = pk_value
        columns = ([pk] if auto_pk else []) + fields
        _copy(
            raw,
            qn(model._meta.db_table),
            [qn(f.column) for f in columns],
            (_db_values(columns, obj, connection) for obj in objs),
        )
        for obj in objs:
            obj._state.adding = False
            obj._state.db = connection.alias
        _history_rows(raw, objs, user=user, history_type="+", now=now)


def _history_rows(raw, objs: list, *, user, history_type: str, now) -> None:
    """The simple-history rows of ``objs`` (as ``bulk_history_create`` builds them), by COPY."""
    from django.db import connection

    model = type(objs[0])
    history = getattr(model, "history", None)
    if history is None:
        return
    qn = connection.ops.quote_name
    history_model = history.model
    tracked = {f.attname for f in history_model.tracked_fields}
    hfields = _plain_columns(history_model)
    extra = {
        "history_date": now,
        "history_change_reason": None,
        "history_type": history_type,
        "history_user_id": getattr(user, "pk", None),
    }
    unknown = [f.attname for f in hfields if f.attname not in tracked and f.attname not in extra]
    if unknown:  # a history model with custom fields: let simple-history write it
        history.bulk_history_create(
            objs, default_user=user, default_date=now, update=history_type == "~"
        )
        return
    getters = [(f, extra.get(f.attname), f.attname in extra) for f in hfields]

    def rows():
        for obj in objs:
            values = []
            for f, fixed, is_fixed in getters:
                value = fixed if is_fixed else getattr(obj, f.attname)
                if value is not None and not isinstance(f, _NATIVE):
                    value = f.get_db_prep_save(value, connection)
                values.append(value)
            yield tuple(values)

    _copy(raw, qn(history_model._meta.db_table), [qn(f.column) for f in hfields], rows())


def update_with_history(objs: list, fields: list[str], *, user=None) -> None:
    """Update ``fields`` of existing instances and write their "changed" history rows, fast.

    Django's ``bulk_update`` builds one CASE WHEN per field over the whole batch, which
    PostgreSQL evaluates row by row (minutes for a few thousand rows); here the new values are
    COPYed into a temporary table and applied with one ``UPDATE … FROM``. Call inside a
    transaction.
    """
    from django.db import connection

    if not objs:
        return
    model = type(objs[0])
    now = timezone.now()
    qn = connection.ops.quote_name
    pk = model._meta.pk
    columns = [model._meta.get_field(name) for name in fields]
    for f in columns:
        if isinstance(f, models.DateTimeField) and f.auto_now:
            for obj in objs:
                setattr(obj, f.attname, now)
    table = qn(model._meta.db_table)
    temp = qn(f"sipi_update_{model._meta.db_table}")
    all_columns = [pk, *columns]
    names = [qn(f.column) for f in all_columns]
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        raw.execute(f"DROP TABLE IF EXISTS {temp}")
        raw.execute(
            f"CREATE TEMP TABLE {temp} AS SELECT {', '.join(names)} FROM {table} WITH NO DATA"
        )
        _copy(raw, temp, names, (_db_values(all_columns, obj, connection) for obj in objs))
        assignments = ", ".join(f"{n} = u.{n}" for n in names[1:])
        raw.execute(
            f"UPDATE {table} AS t SET {assignments} FROM {temp} AS u "
            f"WHERE t.{names[0]} = u.{names[0]}"
        )
        raw.execute(f"DROP TABLE {temp}")
        _history_rows(raw, objs, user=user, history_type="~", now=now)
