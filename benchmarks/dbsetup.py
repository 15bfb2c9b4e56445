"""Database set-up shared by the benchmarks: a scratch database each, and set-based inserts of plain rows."""

from __future__ import annotations

import json
import os
from datetime import UTC
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def configure_database(name: str, *, reuse: bool = False) -> str:
    """Point Django at the scratch database `name` (fresh unless `reuse`); return "postgresql" or "sqlite".

    PostgreSQL when DATABASE_URL names a server (the database `name` is created there, so the one named in the URL
    is never touched); otherwise the SQLite file var/`name`.sqlite3.
    """
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, _name = url.rpartition("/")
        with psycopg.connect(url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not (reuse and exists):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{base}/{name}"
        return "postgresql"
    path = ROOT / "var" / f"{name}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return "sqlite"


def _converter(field: Any, vendor: str) -> Any:
    """How one field's Python value is sent to the database (prepared once per field, not per cell)."""
    from django.db import models

    if isinstance(field, models.JSONField):
        return json.dumps
    if vendor == "sqlite" and isinstance(field, models.DateTimeField):
        return lambda v: v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if vendor == "sqlite" and isinstance(field, models.DateField):
        return lambda v: v.isoformat()
    return None


def insert_rows(model: Any, rows: list[dict[str, Any]], *, chunk: int = 50_000) -> None:
    """Insert plain dicts set-based (COPY on PostgreSQL, executemany on SQLite); model defaults fill the gaps.
    An `id` given in the rows is kept (so related rows can point at rows not written yet), and PostgreSQL's id
    sequence is then moved past the ids written."""
    from django.db import connection

    with_ids = bool(rows) and "id" in rows[0]
    fields = [f for f in model._meta.concrete_fields if with_ids or not f.primary_key]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    defaults = [None if f.primary_key else f.get_default() for f in fields]
    converters = [_converter(f, connection.vendor) for f in fields]
    names = [f.attname for f in fields]
    table = model._meta.db_table

    def values(row: dict[str, Any]) -> list[object]:
        out = []
        for name, default, convert in zip(names, defaults, converters, strict=True):
            value = row.get(name, default)
            out.append(convert(value) if convert is not None and value is not None else value)
        return out

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(values(row))
            if with_ids:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM \"{table}\"))",
                    [table],
                )
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f'INSERT INTO "{table}" ({columns}) VALUES ({placeholders})'
            for start in range(0, len(rows), chunk):
                cursor.executemany(sql, [values(row) for row in rows[start : start + chunk]])
