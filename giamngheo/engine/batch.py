"""Classify millions of households at once with Polars, from the same standard definitions as the scalar path.

Input frames
------------
households: one row per household with
    ``household_id`` (any integer key), ``area_type`` ("nong_thon"/"thanh_thi"), ``income_per_capita`` (integer
    đồng), ``is_agri`` (bool), ``entered_mask`` and ``entered_known_mask`` (integer bit masks over the indicator
    catalogue: which flags the reviewer entered, and which of those say "deprived"), and any household facts of
    `giamngheo.engine.facts` (missing columns count as not recorded).
members (optional): one row per current member with ``household_id`` and any member facts.

Output: the households frame with ``poverty_class``, ``deprivation_count``, ``deprivation_mask``,
``derived_mask``, ``derivable_mask``, ``conflict_mask`` and ``missing_mask`` added. The definitions, including
"not derivable when a needed fact is not recorded", mirror `giamngheo.engine.classify` exactly.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from giamngheo.engine.facts import HOUSEHOLD_FACT_TYPES, MEMBER_FACT_TYPES, AreaType, PovertyClass
from giamngheo.engine.standard import IndicatorRule, Standard

RESULT_COLUMNS = (
    "poverty_class",
    "deprivation_count",
    "deprivation_mask",
    "derived_mask",
    "derivable_mask",
    "conflict_mask",
    "missing_mask",
)


def _all_recorded(names: frozenset[str]) -> pl.Expr:
    if not names:
        return pl.lit(True)
    return pl.all_horizontal([pl.col(name).is_not_null() for name in sorted(names)])


def _with_fact_columns(frame: pl.DataFrame, types: dict[str, pl.DataType]) -> pl.DataFrame:
    missing = [
        pl.lit(None, dtype=dtype).alias(name) for name, dtype in types.items() if name not in frame.columns
    ]
    return frame.with_columns(missing) if missing else frame


def _member_aggregates(standard: Standard, members: pl.DataFrame) -> list[pl.Expr]:
    """Per-household aggregates for member rules: a derived boolean column per indicator (null = not derivable)."""
    aggregates: list[pl.Expr] = []
    for rule in standard.indicators:
        if rule.kind not in {"any_member", "member_share"}:
            continue
        among_ok = _all_recorded(rule.among.facts) if rule.among is not None else pl.lit(True)
        in_group = rule.among.to_polars() if rule.among is not None else pl.lit(True)
        blocked = among_ok.not_().any()
        if rule.kind == "member_share":
            assert rule.above is not None
            share = in_group.fill_null(False).cast(pl.Float64).sum() / pl.len().cast(pl.Float64)
            value = share > rule.above
        else:
            assert rule.when is not None
            when_ok = _all_recorded(rule.when.facts)
            blocked = (among_ok.not_() | (in_group.fill_null(False) & when_ok.not_())).any()
            value = (in_group.fill_null(False) & rule.when.to_polars().fill_null(False)).any()
        aggregates.append(pl.when(blocked).then(None).otherwise(value).alias(f"_derived_{rule.code}"))
    return aggregates


def _household_derived(rule: IndicatorRule) -> pl.Expr:
    assert rule.when is not None
    return pl.when(_all_recorded(rule.when.facts)).then(rule.when.to_polars()).otherwise(None)


def classify_frame(
    standard: Standard, households: pl.DataFrame, members: pl.DataFrame | None = None
) -> pl.DataFrame:
    frame = _with_fact_columns(households, HOUSEHOLD_FACT_TYPES)
    member_rules = [r for r in standard.indicators if r.kind in {"any_member", "member_share"}]
    if members is not None and member_rules:
        members = _with_fact_columns(members, MEMBER_FACT_TYPES)
        per_household = members.group_by("household_id").agg(
            [pl.len().alias("_member_count"), *_member_aggregates(standard, members)]
        )
        frame = frame.join(per_household, on="household_id", how="left")
        frame = frame.with_columns(pl.col("_member_count").cast(pl.Int32).alias("member_count"))
    else:
        frame = frame.with_columns(
            [pl.lit(None, dtype=pl.Boolean).alias(f"_derived_{r.code}") for r in member_rules]
        )
        if members is None:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Int32).alias("member_count"))

    derived_columns = []
    for rule in standard.indicators:
        if rule.kind == "household":
            derived_columns.append(_household_derived(rule).alias(f"_derived_{rule.code}"))
        elif rule.kind == "entered":
            derived_columns.append(pl.lit(None, dtype=pl.Boolean).alias(f"_derived_{rule.code}"))
    frame = frame.with_columns(derived_columns)

    deprived_bits, derived_bits, derivable_bits, conflict_bits, missing_bits, deprived_flags = (
        [],
        [],
        [],
        [],
        [],
        [],
    )
    for rule in standard.indicators:
        bit = 1 << standard.bit(rule.code)
        derived = pl.col(f"_derived_{rule.code}")
        known = (pl.col("entered_known_mask") & bit) != 0
        entered = (pl.col("entered_mask") & bit) != 0
        deprived = pl.when(derived.is_not_null()).then(derived).otherwise(known & entered)
        conflict = derived.is_not_null() & known & (derived != entered)
        deprived_flags.append(deprived.cast(pl.Int32))
        deprived_bits.append(pl.when(deprived).then(bit).otherwise(0))
        derived_bits.append(pl.when(derived.fill_null(False)).then(bit).otherwise(0))
        derivable_bits.append(pl.when(derived.is_not_null()).then(bit).otherwise(0))
        conflict_bits.append(pl.when(conflict.fill_null(False)).then(bit).otherwise(0))
        missing_bits.append(pl.when(derived.is_null() & known.not_()).then(bit).otherwise(0))

    frame = frame.with_columns(
        pl.sum_horizontal(deprived_flags).cast(pl.Int32).alias("deprivation_count"),
        pl.sum_horizontal(deprived_bits).cast(pl.Int64).alias("deprivation_mask"),
        pl.sum_horizontal(derived_bits).cast(pl.Int64).alias("derived_mask"),
        pl.sum_horizontal(derivable_bits).cast(pl.Int64).alias("derivable_mask"),
        pl.sum_horizontal(conflict_bits).cast(pl.Int64).alias("conflict_mask"),
        pl.sum_horizontal(missing_bits).cast(pl.Int64).alias("missing_mask"),
    )
    frame = frame.with_columns(classify_income_expr(standard).alias("poverty_class"))
    helper_columns = [c for c in frame.columns if c.startswith("_")]
    return frame.drop(helper_columns)


def _line(standard: Standard, attribute: str) -> pl.Expr:
    rural = getattr(standard.income[AreaType.RURAL], attribute)
    urban = getattr(standard.income[AreaType.URBAN], attribute)
    return (
        pl.when(pl.col("area_type") == AreaType.RURAL.value)
        .then(pl.lit(rural, dtype=pl.Int64))
        .otherwise(pl.lit(urban, dtype=pl.Int64))
    )


def classify_income_expr(standard: Standard) -> pl.Expr:
    """The income rule of `classify.classify_income`, over columns income_per_capita, area_type, is_agri and
    deprivation_count."""
    income = pl.col("income_per_capita")
    count = pl.col("deprivation_count")
    poor_or_near = (
        pl.when(count >= standard.cutoff)
        .then(pl.lit(PovertyClass.POOR.value))
        .otherwise(pl.lit(PovertyClass.NEAR_POOR.value))
    )
    has_middle = all(lines.middle_line is not None for lines in standard.income.values())
    middle_test = (
        pl.col("is_agri").fill_null(False) & (income <= _line(standard, "middle_line"))
        if has_middle
        else pl.lit(False)
    )
    expr: Any = pl.when(income <= _line(standard, "poverty_line")).then(poor_or_near)
    if standard.rule == "two_tier":
        expr = (
            pl.when(income <= _line(standard, "lower_line"))
            .then(pl.lit(PovertyClass.POOR.value))
            .when(income <= _line(standard, "poverty_line"))
            .then(poor_or_near)
        )
    return (
        expr.when(middle_test)
        .then(pl.lit(PovertyClass.MIDDLE.value))
        .otherwise(pl.lit(PovertyClass.NOT_POOR.value))
    )
