"""Classify millions of households at once with Polars, from the same standard definitions as the scalar path.

Input frames
------------
households: one row per household with
    ``household_id`` (any integer key; needed only with a members frame), ``area_type`` ("nong_thon" /
    "thanh_thi"), ``income_per_capita`` (integer đồng), ``is_agri`` (bool; a missing column or null means no),
    ``entered_mask`` and ``entered_known_mask`` (integer bit masks over the indicator catalogue: which flags the
    reviewer entered as "deprived", and which flags were entered at all; a missing column or null means none),
    and any household facts of `giamngheo.engine.facts` (a missing column means "not recorded" for every row).
    ``member_count`` is taken from the members frame when one is given, else from the column if present.
members (optional): one row per current member with ``household_id`` and any member facts. A missing column of a
    nullable fact means "not recorded"; a missing column of a fact that `MemberFacts` defaults (labour contract,
    disabled, social allowance, on-the-job training) takes that default, exactly as the scalar path does.
`giamngheo.engine.frames.facts_to_frames` builds both frames from `HouseholdFacts`.

Output: the households frame unchanged (same rows, same order, same columns) followed by ``poverty_class``,
``deprivation_count``, ``deprivation_mask``, ``derived_mask``, ``derivable_mask``, ``conflict_mask`` and
``missing_mask``. ``poverty_class`` is null when the income or the area type is missing or unknown.

Method: each rule yields two bits per household, "derivable" (every fact it needs is recorded) and "derived" (the
rule holds). Member rules are evaluated per member and folded into two integer masks per household with one
group-by; everything after that is integer bit arithmetic, so the per-household cost does not grow with the number
of indicators. The definitions mirror `giamngheo.engine.classify` exactly; tests/engine prove it on generated data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from giamngheo.engine.facts import (
    HOUSEHOLD_FACT_TYPES,
    MEMBER_FACT_TYPES,
    AreaType,
    PovertyClass,
)
from giamngheo.engine.standard import Standard

RESULT_COLUMNS = (
    "poverty_class",
    "possible_class",
    "deprivation_count",
    "deprivation_mask",
    "derived_mask",
    "derivable_mask",
    "conflict_mask",
    "missing_mask",
)
MEMBER_RULE_KINDS = frozenset({"any_member", "member_share"})
MASK_TYPE: pl.DataType = pl.Int64()  # the type of every mask column in the output


def _bit(bit: int, condition: pl.Expr, dtype: pl.DataType = MASK_TYPE) -> pl.Expr:
    """`bit` where the condition is true, else 0 (a null condition counts as false)."""
    return condition.fill_null(False).cast(dtype) * pl.lit(bit, dtype=dtype)


def _sum(terms: list[pl.Expr], dtype: pl.DataType = MASK_TYPE) -> pl.Expr:
    """The sum of integer terms (of distinct bits, so the sum is their bitwise or); 0 when there are none."""
    return pl.sum_horizontal(terms).cast(dtype) if terms else pl.lit(0, dtype=dtype)


def _mask_type(standard: Standard) -> pl.DataType:
    """The smallest integer type holding the standard's bits: per-member masks are the widest data the engine
    moves (millions of rows), so a narrower type is measurably faster."""
    highest = max(standard.bit(code) for code in standard.indicator_codes)
    return pl.Int16() if highest < 15 else pl.Int32() if highest < 31 else pl.Int64()


def _normalise(frame: pl.DataFrame, types: dict[str, pl.DataType], names: frozenset[str]) -> list[pl.Expr]:
    """Cast the fact columns a rule reads to their canonical type; a NaN float is "not recorded"."""
    expressions = []
    schema = frame.schema
    for name in sorted(names):
        if name not in schema:
            continue
        column = pl.col(name)
        if schema[name] != types[name]:
            column = column.cast(types[name])
        if types[name] == pl.Float64():
            column = column.fill_nan(None)
        expressions.append(column.alias(name))
    return expressions


@dataclass(frozen=True)
class _HouseholdTerm:
    facts: frozenset[str]
    derivable: pl.Expr  # the rule's bit where every fact is recorded
    derived: pl.Expr  # the rule's bit where every fact is recorded and the rule holds


@dataclass(frozen=True)
class _Plan:
    """The Polars expressions of a standard, built once: compiling them costs more than running them on a small
    frame. Polars expressions are immutable, so a plan is safe to share between threads."""

    member_facts: frozenset[str]
    member_columns: tuple[pl.Expr, ...]  # per member: _unknown, _hit, _in_<code>, _maybe_<code>
    member_aggregates: tuple[pl.Expr, ...]  # per household: _n, _unknown, _hit, _in_<code>, _maybe_<code>
    member_derivable: pl.Expr | None
    member_derived: pl.Expr | None
    household_facts: frozenset[str]
    household_terms: tuple[_HouseholdTerm, ...]
    poverty_class: pl.Expr
    possible_class: pl.Expr


def _build_plan(standard: Standard) -> _Plan:
    member_rules = [r for r in standard.indicators if r.kind in MEMBER_RULE_KINDS]
    narrow = _mask_type(standard)
    unknown: list[pl.Expr] = []
    hit: list[pl.Expr] = []
    shares: list[pl.Expr] = []
    share_aggregates: list[pl.Expr] = []
    share_derivable: list[pl.Expr] = []
    share_derived: list[pl.Expr] = []
    for rule in member_rules:
        bit = 1 << standard.bit(rule.code)
        in_group = rule.among.to_polars() if rule.among is not None else pl.lit(True)
        if rule.kind == "member_share":
            assert rule.above is not None
            # Members surely in the group, and those whose membership is unknown.
            shares.append(in_group.fill_null(False).cast(pl.UInt32).alias(f"_in_{rule.code}"))
            shares.append(in_group.is_null().cast(pl.UInt32).alias(f"_maybe_{rule.code}"))
            share_aggregates += [pl.col(f"_in_{rule.code}").sum(), pl.col(f"_maybe_{rule.code}").sum()]
            n = pl.col("_n").cast(pl.Float64)
            low = pl.col(f"_in_{rule.code}").cast(pl.Float64) / n
            high = (pl.col(f"_in_{rule.code}") + pl.col(f"_maybe_{rule.code}")).cast(pl.Float64) / n
            above = low > rule.above
            share_derivable.append(_bit(bit, above | (high <= rule.above)))
            share_derived.append(_bit(bit, above))
        else:
            assert rule.when is not None
            # Kleene "among and when" per member; a household is deprived when it is true for some member,
            # not deprived when it is false for every member, undecided otherwise.
            value = in_group & rule.when.to_polars()
            hit.append(_bit(bit, value, narrow))
            unknown.append(_bit(bit, value.is_null(), narrow))
    member_derivable = member_derived = None
    if member_rules:
        any_member_mask = sum(1 << standard.bit(r.code) for r in member_rules if r.kind == "any_member")
        hits = pl.col("_hit").cast(pl.Int64).fill_null(0)
        undecided = pl.col("_unknown").cast(pl.Int64).fill_null(0) & ~hits
        member_derivable = (
            pl.when(pl.col("_n").is_not_null())
            .then(
                (pl.lit(any_member_mask, dtype=pl.Int64) ^ (undecided & any_member_mask))
                | _sum(share_derivable)
            )
            .otherwise(pl.lit(0, dtype=pl.Int64))
        )
        member_derived = (hits | _sum(share_derived)) & member_derivable

    household_terms = []
    for rule in standard.indicators:
        if rule.kind == "household":
            assert rule.when is not None
            bit = 1 << standard.bit(rule.code)
            value = rule.when.to_polars()
            household_terms.append(
                _HouseholdTerm(
                    facts=rule.facts,
                    derivable=_bit(bit, value.is_not_null()),
                    derived=_bit(bit, value),
                )
            )
    return _Plan(
        member_facts=frozenset().union(*(r.facts for r in member_rules)),
        member_columns=(
            _sum(unknown, narrow).alias("_unknown"),
            _sum(hit, narrow).alias("_hit"),
            *shares,
        ),
        member_aggregates=(
            pl.len().alias("_n"),
            pl.col("_unknown").bitwise_or(),
            pl.col("_hit").bitwise_or(),
            *share_aggregates,
        ),
        member_derivable=member_derivable,
        member_derived=member_derived,
        household_facts=frozenset().union(*(t.facts for t in household_terms)) - {"member_count"},
        household_terms=tuple(household_terms),
        poverty_class=classify_income_expr(standard),
        possible_class=classify_income_expr(standard, count_column="_possible_count"),
    )


_PLANS: dict[int, tuple[Standard, _Plan]] = {}


def _plan(standard: Standard) -> _Plan:
    """The plan of a standard (cached by identity; the standard is kept so that its id cannot be reused)."""
    cached = _PLANS.get(id(standard))
    if cached is None or cached[0] is not standard:
        cached = (standard, _build_plan(standard))
        _PLANS[id(standard)] = cached
    return cached[1]


def _member_masks(plan: _Plan, members: pl.DataFrame, key_type: pl.DataType) -> pl.LazyFrame:
    """Per household: `_n` members, `_hit` (any_member rules that hold for some member), `_unknown` (any_member
    rules unknown for some member) and, per member_share rule, `_in_<code>` / `_maybe_<code>` (members surely /
    perhaps in its group)."""
    missing = sorted(plan.member_facts - set(members.columns))
    fill = [pl.lit(None, dtype=MEMBER_FACT_TYPES[name]).alias(name) for name in missing]  # not recorded
    lazy = members.lazy().with_columns(_normalise(members, MEMBER_FACT_TYPES, plan.member_facts) + fill)
    per_member = lazy.select(pl.col("household_id").cast(key_type), *plan.member_columns)
    return per_member.group_by("household_id").agg(*plan.member_aggregates)


def classify_frame(
    standard: Standard, households: pl.DataFrame, members: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Classify every household of the frame under `standard` (see the module docstring for the frames)."""
    plan = _plan(standard)
    required = ["area_type", "income_per_capita"] + (["household_id"] if members is not None else [])
    absent = [c for c in required if c not in households.columns]
    if absent:
        raise ValueError(f"bảng hộ thiếu cột {', '.join(absent)}")
    if members is not None and "household_id" not in members.columns:
        raise ValueError("bảng thành viên thiếu cột household_id")
    present = set(households.columns)
    columns: list[str] = [
        c for c in ("household_id", "area_type", "income_per_capita", "is_agri") if c in present
    ]
    columns += [c for c in ("entered_mask", "entered_known_mask") if c in present]
    columns += sorted(plan.household_facts & present)
    if members is None and "member_count" in present:
        columns.append("member_count")
    lazy = households.lazy().select(columns)
    lazy = lazy.with_columns(_normalise(households, HOUSEHOLD_FACT_TYPES, plan.household_facts))
    if "is_agri" not in present:
        lazy = lazy.with_columns(pl.lit(False).alias("is_agri"))
    if "member_count" in columns:
        lazy = lazy.with_columns(pl.col("member_count").cast(pl.Int32))

    derivable_parts: list[pl.Expr] = []
    derived_parts: list[pl.Expr] = []
    available = present - {"member_count"} | ({"member_count"} if "member_count" in columns else set())
    if members is not None:
        # An unordered join and a sort on the row number keep the households' order for less than half the cost
        # of an order-preserving join.
        lazy = (
            lazy.with_row_index("_row")
            .join(
                _member_masks(plan, members, households.schema["household_id"]), on="household_id", how="left"
            )
            .sort("_row")
        )
        lazy = lazy.with_columns(pl.col("_n").cast(pl.Int32).alias("member_count"))
        available.add("member_count")
        if plan.member_derivable is not None and plan.member_derived is not None:
            derivable_parts.append(plan.member_derivable)
            derived_parts.append(plan.member_derived)
    absent_facts = sorted(plan.household_facts - available)
    if absent_facts:  # not recorded for any household: null columns, so the rules see them as unknown
        lazy = lazy.with_columns(
            [pl.lit(None, dtype=HOUSEHOLD_FACT_TYPES[name]).alias(name) for name in absent_facts]
        )
    if "member_count" not in available:
        lazy = lazy.with_columns(pl.lit(None, dtype=pl.Int32).alias("member_count"))
    for term in plan.household_terms:
        derivable_parts.append(term.derivable)
        derived_parts.append(term.derived)

    mask = standard.mask
    lazy = lazy.with_columns(
        _sum(derivable_parts).alias("derivable_mask"),
        _sum(derived_parts).alias("derived_mask"),
        (_mask_column(households, "entered_known_mask") & mask).alias("_known"),
    )
    lazy = lazy.with_columns((_mask_column(households, "entered_mask") & pl.col("_known")).alias("_entered"))
    derivable, derived = pl.col("derivable_mask"), pl.col("derived_mask")
    known, entered = pl.col("_known"), pl.col("_entered")
    lazy = lazy.with_columns(
        (derived | (entered ^ (entered & derivable))).alias("deprivation_mask"),
        (derivable & known & (derived ^ entered)).alias("conflict_mask"),
        (pl.lit(mask, dtype=pl.Int64) ^ (derivable | known)).alias("missing_mask"),
    )
    lazy = lazy.with_columns(
        pl.col("deprivation_mask").bitwise_count_ones().cast(pl.Int32).alias("deprivation_count")
    )
    lazy = lazy.with_columns(
        plan.poverty_class.alias("poverty_class"),
        (pl.col("deprivation_count") + pl.col("missing_mask").bitwise_count_ones().cast(pl.Int32)).alias(
            "_possible_count"
        ),
    )
    lazy = lazy.with_columns(plan.possible_class.alias("possible_class"))
    results = lazy.select(RESULT_COLUMNS).collect()
    kept = households.drop([c for c in RESULT_COLUMNS if c in households.columns])
    return pl.concat([kept, results], how="horizontal")


def _mask_column(frame: pl.DataFrame, name: str) -> pl.Expr:
    if name not in frame.columns:
        return pl.lit(0, dtype=pl.Int64)
    return pl.col(name).cast(pl.Int64).fill_null(0)


def _line(standard: Standard, attribute: str) -> pl.Expr:
    """A line per row by area type (null for an unknown area type or a line the standard does not set)."""
    rural = getattr(standard.income[AreaType.RURAL], attribute)
    urban = getattr(standard.income[AreaType.URBAN], attribute)
    area = pl.col("area_type")
    return (
        pl.when(area == AreaType.RURAL.value)
        .then(pl.lit(rural, dtype=pl.Int64))
        .when(area == AreaType.URBAN.value)
        .then(pl.lit(urban, dtype=pl.Int64))
        .otherwise(pl.lit(None, dtype=pl.Int64))
    )


def classify_income_expr(standard: Standard, *, count_column: str = "deprivation_count") -> pl.Expr:
    """The income rule of `classify.classify_income`, over columns income_per_capita, area_type, is_agri (optional)
    and `count_column` (the deprivation count); null where the income or the area type is missing or unknown."""
    income = pl.col("income_per_capita")
    count = pl.col(count_column)
    poverty_line = _line(standard, "poverty_line")
    poor_or_near = (
        pl.when(count >= standard.cutoff)
        .then(pl.lit(PovertyClass.POOR.value))
        .otherwise(pl.lit(PovertyClass.NEAR_POOR.value))
    )
    expr: Any
    if standard.rule == "two_tier":
        expr = (
            pl.when(income <= _line(standard, "lower_line"))
            .then(pl.lit(PovertyClass.POOR.value))
            .when(income <= poverty_line)
            .then(poor_or_near)
        )
    else:
        expr = pl.when(income <= poverty_line).then(poor_or_near)
    if any(lines.middle_line is not None for lines in standard.income.values()):
        is_agri = pl.col("is_agri").fill_null(False)
        expr = expr.when(is_agri & (income <= _line(standard, "middle_line"))).then(
            pl.lit(PovertyClass.MIDDLE.value)
        )
    return (
        expr.when(income.is_not_null() & poverty_line.is_not_null())
        .then(pl.lit(PovertyClass.NOT_POOR.value))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
