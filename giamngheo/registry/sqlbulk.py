"""Fast set-based writes for the bulk services: INSERT and UPDATE of many model rows without Django's per-object
compiler work (which costs about half a millisecond per row for a wide model).

Ids are reserved first, so related rows can point at each other before anything is written (foreign keys are
deferred to the end of the transaction on both backends): on PostgreSQL from the table's sequence, on SQLite past
the largest id in use, which is safe because the caller's transaction holds SQLite's write lock from its start
(`transaction_mode = IMMEDIATE` in settings). Rows are then written with COPY (PostgreSQL) or executemany (SQLite).
Must be called inside `transaction.atomic()`. No signals are sent and `auto_now` fields are not filled: callers
set timestamps themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

_CHUNK = 50_000


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Give every object without a primary key a new one, reserved for this transaction."""
    missing = [obj for obj in objects if obj.pk is None]
    if not missing:
        return
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, len(missing)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        else:
            cursor.execute(f'SELECT COALESCE(MAX("{column}"), 0) FROM "{table}"')
            start = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            start = max(start, row[0] if row else 0)
            ids = list(range(start + 1, start + 1 + len(missing)))
    for obj, new_id in zip(missing, ids, strict=True):
        obj.pk = new_id


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """The value to send for `field`: most types go as they are; dates, decimals and JSON through Django's own
    adaptation for the backend (dates and decimals memoised: the same few values repeat over many rows)."""
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateField | models.DecimalField):
        memo: dict[Any, Any] = {}

        def convert(value: Any) -> Any:
            if value not in memo:
                memo[value] = field.get_db_prep_save(value, connection)
            return memo[value]

        return convert
    return lambda value: value


def _fields(model: type[models.Model], names: Sequence[str] | None) -> list[models.Field[Any, Any]]:
    fields = [f for f in model._meta.concrete_fields]
    if names is not None:
        wanted = set(names)
        fields = [f for f in fields if f.name in wanted or f.attname in wanted]
    return fields


def _sync_foreign_keys(objects: Sequence[models.Model], fields: list[models.Field[Any, Any]]) -> None:
    """A related object assigned before it had an id left the `<name>_id` empty: take the id from it now."""
    for field in fields:
        if not field.is_relation or not field.many_to_one:
            continue
        for obj in objects:
            if getattr(obj, field.attname) is None and field.is_cached(obj):  # type: ignore[attr-defined]
                related = getattr(obj, field.name)
                if related is not None:
                    setattr(obj, field.attname, related.pk)


def insert_rows(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """INSERT every object (ids reserved first when missing)."""
    if not objects:
        return
    reserve_ids(model, objects)
    fields = _fields(model, None)
    _sync_foreign_keys(objects, fields)
    convert = [_converter(f) for f in fields]
    attnames = [f.attname for f in fields]
    table = model._meta.db_table
    columns = ", ".join(f'"{f.column}"' for f in fields)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), _CHUNK):
            chunk = objects[start : start + _CHUNK]
            rows = [
                tuple(c(getattr(obj, a)) for c, a in zip(convert, attnames, strict=True)) for obj in chunk
            ]
            if _is_postgres():
                with cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({placeholders})', rows)


def update_rows(model: type[models.Model], objects: Sequence[models.Model], names: Sequence[str]) -> None:
    """UPDATE the named fields of every object, one executemany keyed on the primary key."""
    if not objects:
        return
    fields = _fields(model, names)
    _sync_foreign_keys(objects, fields)
    convert = [_converter(f) for f in fields]
    attnames = [f.attname for f in fields]
    table = model._meta.db_table
    assignments = ", ".join(f'"{f.column}" = %s' for f in fields)
    sql = f'UPDATE "{table}" SET {assignments} WHERE "{model._meta.pk.column}" = %s'
    with connection.cursor() as cursor:
        for start in range(0, len(objects), _CHUNK):
            chunk = objects[start : start + _CHUNK]
            rows = [
                (*(c(getattr(obj, a)) for c, a in zip(convert, attnames, strict=True)), obj.pk)
                for obj in chunk
            ]
            cursor.executemany(sql, rows)
