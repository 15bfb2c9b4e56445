"""Polars frames of stored assessments for the batch engine (`engine.batch.classify_frame`), read with two
set-based SQL queries (no query per household), by the definitions of `registry.facts`: members current on the
assessment's date (or on a given date) and alive then, the facts that follow from the birth date and sex on that
date (`engine.facts.with_date_facts`, the set-based twin of `member_facts`), the latest living-conditions record
made on or before that date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import QuerySet

from giamngheo.engine.facts import HOUSEHOLD_FACT_TYPES, MEMBER_FACT_TYPES, with_date_facts
from giamngheo.registry.facts import (
    DURABILITY_COLUMNS,
    DURABLE_VALUES,
    HOUSEHOLD_FIELDS_FROM_LC,
    MEMBER_FIELDS_FROM_PERSON,
)
from giamngheo.registry.models import LivingConditions, Membership, Person
from giamngheo.reviews.models import Assessment


def _ids_clause(assessments: QuerySet[Any] | Iterable[int]) -> list[tuple[str, list[Any]]]:
    """(SQL condition on a.id, params) pieces: one subquery for a queryset, chunks of ids for a list."""
    if isinstance(assessments, QuerySet):
        sql, params = assessments.values("id").query.sql_with_params()
        return [(f"a.id IN ({sql})", list(params))]
    ids = sorted(set(assessments))
    pieces = []
    for start in range(0, len(ids), 5_000):
        chunk = ids[start : start + 5_000]
        pieces.append((f"a.id IN ({', '.join(['%s'] * len(chunk))})", list(chunk)))
    return pieces


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def frames_for_assessments(
    assessments: QuerySet[Any] | Iterable[int], *, on: date | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(households, members) frames for `classify_frame` for stored assessments (ids or a queryset).

    One households row per assessment, keyed `household_id` = the assessment id (the engine's row key), with
    the assessment's area type, income, farming flag and entered masks, and the living-conditions facts; one
    members row per member. Facts are taken on `on`, or, when `on` is None, on each assessment's `assessed_on`
    (what `assessment_record` uses).
    """
    a_table = Assessment._meta.db_table
    lc_table = LivingConditions._meta.db_table
    m_table = Membership._meta.db_table
    p_table = Person._meta.db_table
    reference = "%s" if on is not None else "a.assessed_on"
    ref_params = [on] if on is not None else []
    lc_columns = sorted({*DURABILITY_COLUMNS.values(), *HOUSEHOLD_FIELDS_FROM_LC})
    member_columns = ["birth_date", "sex", *MEMBER_FIELDS_FROM_PERSON]

    household_rows: list[tuple[Any, ...]] = []
    member_rows: list[tuple[Any, ...]] = []
    for condition, params in _ids_clause(assessments):
        household_sql = (
            f"SELECT a.id, a.area_type, a.income_per_capita, a.is_agri, a.entered_mask, a.entered_known_mask, "
            f"{', '.join('lc.' + c for c in lc_columns)} "
            f"FROM {a_table} a LEFT JOIN {lc_table} lc ON lc.id = ("
            f"SELECT l2.id FROM {lc_table} l2 WHERE l2.household_id = a.household_id AND l2.recorded_on <= {reference} "
            f"ORDER BY l2.recorded_on DESC, l2.id DESC LIMIT 1) WHERE {condition}"
        )
        household_rows.extend(_fetch(household_sql, [*ref_params, *params]))
        member_sql = (
            f"SELECT a.id, a.assessed_on, {', '.join('p.' + c for c in member_columns)} "
            f"FROM {a_table} a JOIN {m_table} m ON m.household_id = a.household_id "
            f"JOIN {p_table} p ON p.id = m.person_id "
            f"WHERE {condition} AND m.start_date <= {reference} AND (m.end_date IS NULL OR m.end_date > {reference}) "
            f"AND (p.date_of_death IS NULL OR p.date_of_death > {reference})"
        )
        member_rows.extend(_fetch(member_sql, [*params, *ref_params, *ref_params, *ref_params]))
    households = _frame(
        household_rows,
        [
            "household_id",
            "area_type",
            "income_per_capita",
            "is_agri",
            "entered_mask",
            "entered_known_mask",
            *lc_columns,
        ],
    )
    members = _frame(member_rows, ["household_id", "assessed_on", *member_columns])
    return _households_frame(households), _members_frame(members, on)


def _frame(rows: list[tuple[Any, ...]], names: list[str]) -> pl.DataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pl.DataFrame(
        {
            name: pl.Series(name, list(values), strict=False)
            for name, values in zip(names, columns, strict=True)
        }
    )


def _durable_expr(column: str) -> pl.Expr:
    value = pl.col(column).cast(pl.String)
    return pl.when(value.is_null()).then(None).otherwise(value.is_in(sorted(DURABLE_VALUES)))


def _households_frame(raw: pl.DataFrame) -> pl.DataFrame:
    return raw.select(
        pl.col("household_id").cast(pl.Int64),
        pl.col("area_type").cast(pl.String),
        pl.col("income_per_capita").cast(pl.Int64),
        pl.col("is_agri").cast(pl.Boolean).fill_null(False),
        pl.col("entered_mask").cast(pl.Int64),
        pl.col("entered_known_mask").cast(pl.Int64),
        *[_durable_expr(column).alias(name) for name, column in DURABILITY_COLUMNS.items()],
        *[pl.col(name).cast(HOUSEHOLD_FACT_TYPES[name]) for name in HOUSEHOLD_FIELDS_FROM_LC],
    )


def _members_frame(raw: pl.DataFrame, on: date | None) -> pl.DataFrame:
    """The members' facts on `on` (or on each assessment's date): those derived from the birth date and the sex,
    and those read from the person."""
    reference = pl.lit(on, dtype=pl.Date) if on is not None else pl.col("assessed_on").cast(pl.Date)
    typed = raw.with_columns(
        pl.col("birth_date").cast(pl.Date),
        pl.col("sex").cast(pl.String).replace("", None),
        pl.col("assessed_on").cast(pl.Date),
    )
    dated = with_date_facts(typed, reference)
    derived = ["age", "birth_year", "school_age", "working_age", "past_working_age"]
    return dated.select(
        pl.col("household_id").cast(pl.Int64),
        *[pl.col(name).cast(MEMBER_FACT_TYPES[name]) for name in derived],
        pl.col("sex"),
        *[pl.col(name).cast(MEMBER_FACT_TYPES[name]) for name in MEMBER_FIELDS_FROM_PERSON],
    )
