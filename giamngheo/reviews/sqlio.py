"""Moving a million assessments' classification columns between the database and Polars, fast.

The cost of reading from SQLite is per value handed to Python, so the columns the classifier needs are packed
into as few 63-bit integers per row as their widths allow (`Layout`): the seven indicator masks take as many bits
as the indicator catalogue has (14 today), the count, class, standard, area type and farming flag a few more; with
today's catalogue a row is read as id, income and two integers. Reading is one SELECT (PostgreSQL: `COPY (SELECT
...) TO STDOUT`, parsed by Polars' CSV reader); writing puts the changed rows' packed results into a temporary
table (PostgreSQL: COPY; SQLite: executemany) and one `UPDATE ... FROM` unpacks them in SQL. Must run inside a
transaction. Class, standard and area are small codes: positions in `CLASSES`, in the standards list given, and
in `AREAS`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
from django.db import connection

from giamngheo.engine.standard import load_catalogue
from giamngheo.reviews.models import Assessment

CLASSES = ("ngheo", "can_ngheo", "muc_song_trung_binh", "khong_ngheo")
AREAS = ("nong_thon", "thanh_thi")
UNKNOWN_CLASS = 7
UNKNOWN_AREA = 3
WORD_BITS = 63  # the sign bit stays clear, so shifts and floor division agree on both sides
_IDS_TABLE = "gn_classify_ids"
_RESULTS_TABLE = "gn_classify_results"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class Slot:
    name: str
    word: int
    offset: int
    bits: int

    @property
    def mask(self) -> int:
        return (1 << self.bits) - 1


class Layout:
    """Where each field sits in the packed words: fields in order, a new word when the next does not fit."""

    def __init__(self, fields: Sequence[tuple[str, int]]) -> None:
        slots: list[Slot] = []
        word, offset = 0, 0
        for name, bits in fields:
            if offset + bits > WORD_BITS:
                word, offset = word + 1, 0
            slots.append(Slot(name, word, offset, bits))
            offset += bits
        self.slots = {slot.name: slot for slot in slots}
        self.words = [f"w{i}" for i in range(word + 1)]

    def sql_pack(self, expressions: dict[str, str]) -> list[str]:
        """One SQL expression per word from one integer expression per field."""
        parts: dict[int, list[str]] = {}
        for slot in self.slots.values():
            parts.setdefault(slot.word, []).append(
                f"(CAST({expressions[slot.name]} AS BIGINT) << {slot.offset})"
            )
        return ["(" + " | ".join(parts[i]) + ")" for i in range(len(self.words))]

    def sql_unpack(self, name: str, table: str) -> str:
        slot = self.slots[name]
        return f"(({table}.w{slot.word} >> {slot.offset}) & {slot.mask})"

    def pl_unpack(self, name: str) -> pl.Expr:
        slot = self.slots[name]
        return (pl.col(f"w{slot.word}") // (1 << slot.offset)) & slot.mask

    def pl_pack(self, expressions: dict[str, pl.Expr]) -> list[pl.Expr]:
        """One Polars expression per word (named w0, w1, ...) from one integer expression per field."""
        words: dict[int, Any] = {}
        for slot in self.slots.values():
            term = expressions[slot.name].cast(pl.Int64) * (1 << slot.offset)
            words[slot.word] = term if slot.word not in words else words[slot.word] | term
        return [words[i].alias(f"w{i}") for i in range(len(self.words))]


def mask_bits() -> int:
    return max(indicator.bit for indicator in load_catalogue().values()) + 1


def read_layout(width: int) -> Layout:
    """The stored inputs and results of a row (results: to tell which rows change)."""
    masks = ["entered", "known", "derived", "derivable", "deprivation", "conflict", "missing"]
    return Layout([*((m, width) for m in masks), ("count", 7), ("class", 3), ("standard", 8), ("area", 2),
                   ("agri", 1)])  # fmt: skip


def write_layout(width: int) -> Layout:
    masks = ["deprivation", "conflict", "missing", "derived", "derivable"]
    return Layout([*((m, width) for m in masks), ("count", 7), ("class", 3), ("standard", 8)])


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _case(column: str, values: Sequence[str], default: int) -> str:
    whens = " ".join(f"WHEN {_literal(value)} THEN {index}" for index, value in enumerate(values))
    return f"(CASE {column} {whens} ELSE {default} END)"


def select_sql(layout: Layout, standards: Sequence[str], *, review_ids: Sequence[int], with_ids: bool) -> str:
    """The packed SELECT: id, income_per_capita, w0, w1, ... of the assessments in force (not superseded by a
    correction) of the reviews `review_ids` (no parameters: PostgreSQL runs it inside COPY)."""
    fields = {
        "entered": "a.entered_mask", "known": "a.entered_known_mask", "derived": "a.derived_mask",
        "derivable": "a.derivable_mask", "deprivation": "a.deprivation_mask", "conflict": "a.conflict_mask",
        "missing": "a.missing_mask", "count": "a.deprivation_count",
        "class": _case("a.poverty_class", CLASSES, UNKNOWN_CLASS),
        "standard": _case("a.standard_id", standards, 255),
        "area": _case("a.area_type", AREAS, UNKNOWN_AREA),
        "agri": "(CASE WHEN a.is_agri THEN 1 ELSE 0 END)",
    }  # fmt: skip
    words = layout.sql_pack(fields)
    sql = f"SELECT a.id, a.income_per_capita, {', '.join(words)} FROM {Assessment._meta.db_table} a"
    if with_ids:
        sql += f" JOIN {_IDS_TABLE} i ON i.id = a.id"
    reviews = ", ".join(str(int(review_id)) for review_id in review_ids) or "NULL"
    sql += f" WHERE a.review_id IN ({reviews}) AND NOT a.superseded"
    return sql


def load_ids(ids: Sequence[int]) -> None:
    """The ids to classify, in a temporary table joined by `select_sql(with_ids=True)`."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DROP TABLE IF EXISTS {_IDS_TABLE}"
        )  # left by an earlier call in the same transaction
        if is_postgres():
            cursor.execute(f"CREATE TEMP TABLE {_IDS_TABLE} (id bigint PRIMARY KEY) ON COMMIT DROP")
            with cursor.cursor.copy(f"COPY {_IDS_TABLE} (id) FROM STDIN") as copy:
                copy.write("".join(f"{i}\n" for i in ids))
        else:
            cursor.execute(f"CREATE TEMP TABLE {_IDS_TABLE} (id INTEGER PRIMARY KEY)")
            cursor.executemany(f"INSERT INTO {_IDS_TABLE} (id) VALUES (%s)", [(i,) for i in ids])


def drop_ids() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_IDS_TABLE}")


def read_packed(
    layout: Layout, standards: Sequence[str], *, review_ids: Sequence[int], with_ids: bool
) -> pl.DataFrame:
    sql = select_sql(layout, standards, review_ids=review_ids, with_ids=with_ids)
    schema = {"id": pl.Int64(), "income_per_capita": pl.Int64(), **{w: pl.Int64() for w in layout.words}}
    with connection.cursor() as cursor:
        if is_postgres():
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            buffer.seek(0)
            return pl.read_csv(buffer, has_header=False, schema=schema)
        cursor.execute(sql)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


def store_packed(
    changed: pl.DataFrame,
    layout: Layout,
    standards: Sequence[str],
    *,
    classified_at: datetime,
    set_standard: bool,
) -> None:
    """Write the packed results of `changed` (columns id, w0.. of `layout` and, when present, member_count)."""
    with_members = "member_count" in changed.columns
    columns = ["id", *layout.words] + (["member_count"] if with_members else [])
    table = Assessment._meta.db_table
    classes = " ".join(f"WHEN {i} THEN {_literal(c)}" for i, c in enumerate(CLASSES))
    assignments = [
        f"deprivation_mask = {layout.sql_unpack('deprivation', 't')}",
        f"conflict_mask = {layout.sql_unpack('conflict', 't')}",
        f"missing_mask = {layout.sql_unpack('missing', 't')}",
        f"derived_mask = {layout.sql_unpack('derived', 't')}",
        f"derivable_mask = {layout.sql_unpack('derivable', 't')}",
        f"deprivation_count = {layout.sql_unpack('count', 't')}",
        f"poverty_class = CASE {layout.sql_unpack('class', 't')} {classes} END",
        "explanation = ''",
        "classified_at = %s",
    ]
    if set_standard:
        codes = " ".join(f"WHEN {i} THEN {_literal(code)}" for i, code in enumerate(standards))
        assignments.append(f"standard_id = CASE {layout.sql_unpack('standard', 't')} {codes} END")
    if with_members:
        assignments.append("member_count = t.member_count")
    update = f"UPDATE {table} SET {', '.join(assignments)} FROM {_RESULTS_TABLE} t WHERE {table}.id = t.id"
    data = changed.select(columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_RESULTS_TABLE}")
        if is_postgres():
            definition = ", ".join(f"{c} {'integer' if c == 'member_count' else 'bigint'}" for c in columns)
            cursor.execute(f"CREATE TEMP TABLE {_RESULTS_TABLE} ({definition}) ON COMMIT DROP")
            buffer = io.BytesIO()
            data.write_csv(buffer, include_header=False)
            names = ", ".join(columns)
            with cursor.cursor.copy(f"COPY {_RESULTS_TABLE} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(buffer.getvalue())
            cursor.execute(f"ANALYZE {_RESULTS_TABLE}")
            # Room to hash a million ids in memory for the join (the server default of 4 MB spills to disk).
            cursor.execute("SET LOCAL work_mem = '256MB'")
        else:
            definition = ", ".join(f"{c} INTEGER{' PRIMARY KEY' if c == 'id' else ''}" for c in columns)
            cursor.execute(f"CREATE TEMP TABLE {_RESULTS_TABLE} ({definition})")
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {_RESULTS_TABLE} VALUES ({placeholders})", data.rows())
        cursor.execute(update, [connection.ops.adapt_datetimefield_value(classified_at)])
        cursor.execute(f"DROP TABLE {_RESULTS_TABLE}")
        if is_postgres():
            cursor.execute("SET LOCAL work_mem TO DEFAULT")
