"""Hypothesis strategies for households, built from the standards' own data so that generated values sit around
and exactly at every threshold the standards use: income lines, ages in member rules, floor area per person, the
lists of safe water sources and hygienic latrines."""

from __future__ import annotations

import ast
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from giamngheo.engine.facts import AreaType, HouseholdFacts, MemberFacts
from giamngheo.engine.standard import Standard

EDUCATION_LEVELS = ["none", "primary", "lower_secondary", "upper_secondary", "college", "university"]
VOCATIONAL_LEVELS = ["none", "elementary", "intermediate", "college"]
SCHOOL_LEVELS = ["preschool", "primary", "lower_secondary", "upper_secondary", "vocational", "higher"]
WORK_STATUSES = ["wage_worker", "self_employed", "unemployed", "not_in_labour_force"]
OTHER_WATER = ["unprotected_well", "surface", "other"]
OTHER_LATRINES = ["pit", "none", "other"]


def around(values: set[int]) -> list[int]:
    return sorted({v + d for v in values for d in (-1, 0, 1)})


def income_points(standards: Sequence[Standard]) -> list[int]:
    lines = {
        value
        for standard in standards
        for area_lines in standard.income.values()
        for value in (area_lines.lower_line, area_lines.poverty_line, area_lines.middle_line)
        if value is not None
    }
    return [v for v in around(lines) if v >= 0]


def _numbers(tree: ast.AST, params: dict[str, Any]) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and type(node.value) is int:
            found.add(node.value)
        if isinstance(node, ast.Name) and type(params.get(node.id)) is int:
            found.add(params[node.id])
    return found


def _member_numbers(standards: Sequence[Standard]) -> set[int]:
    numbers: set[int] = set()
    for rule in (rule for standard in standards for rule in standard.indicators):
        if rule.kind in {"any_member", "member_share"}:
            for expression in (rule.among, rule.when):
                if expression is not None:
                    numbers |= _numbers(expression.tree, rule.params)
    return numbers


def age_points(standards: Sequence[Standard]) -> list[int]:
    """Every age the member rules compare with (the age thresholds), with its neighbours."""
    return [v for v in around(_member_numbers(standards)) if 0 <= v <= 120]


def birth_year_points(standards: Sequence[Standard]) -> list[int]:
    """Every birth year the member rules compare with (QĐ 59's 1986), with its neighbours."""
    return [v for v in around(_member_numbers(standards)) if 1900 <= v <= 2100]


def list_param(standards: Sequence[Standard], name: str) -> list[str]:
    values = {v for standard in standards for rule in standard.indicators for v in rule.params.get(name, [])}
    return sorted(values)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


# One draw per fact keeps generation fast enough for hundreds of households per standard; None first so that
# failing examples shrink towards "not recorded".
NULLABLE_BOOL = st.sampled_from([None, False, True])
BOOL = st.sampled_from([False, True])


def members(standards: Sequence[Standard]) -> st.SearchStrategy[MemberFacts]:
    ages = st.sampled_from([None, *age_points(standards), *range(0, 101)])
    birth_years = st.sampled_from([None, *birth_year_points(standards), *range(1920, 2027)])
    return st.builds(
        MemberFacts,
        age=ages,
        sex=st.sampled_from([None, "nam", "nu"]),
        birth_year=birth_years,
        school_age=ages,
        working_age=NULLABLE_BOOL,
        past_working_age=NULLABLE_BOOL,
        has_health_insurance=NULLABLE_BOOL,
        in_education=NULLABLE_BOOL,
        school_level=st.sampled_from([None, *SCHOOL_LEVELS]),
        education_level=st.sampled_from([None, *EDUCATION_LEVELS]),
        vocational_level=st.sampled_from([None, *VOCATIONAL_LEVELS]),
        work_status=st.sampled_from([None, *WORK_STATUSES]),
        has_labour_contract=NULLABLE_BOOL,
        able_to_work=NULLABLE_BOOL,
        disabled=NULLABLE_BOOL,
        receives_social_allowance=NULLABLE_BOOL,
        malnourished=NULLABLE_BOOL,
        on_the_job_training_certified=NULLABLE_BOOL,
    )


FLOOR_AREA_KINDS = st.sampled_from(["none", "nan", "decimal", "random", "exact", "below", "above", "zero"])
DECIMAL_AREAS = st.integers(0, 40_000).map(lambda cents: Decimal(cents) / 100)
FLOAT_AREAS = st.floats(min_value=0, max_value=500, allow_nan=False)


def floor_area(
    draw: st.DrawFn, member_count: int, per_person: st.SearchStrategy[float]
) -> float | Decimal | None:
    """None, NaN, a Decimal, any float, or exactly / just around the minimum floor area per member."""
    exact = draw(per_person) * max(member_count, 1)
    kind = draw(FLOOR_AREA_KINDS)
    if kind == "none":
        return None
    if kind == "nan":
        return math.nan
    if kind == "decimal":
        return draw(DECIMAL_AREAS)
    if kind == "random":
        return draw(FLOAT_AREAS)
    if kind == "exact":
        return exact
    if kind == "below":
        return math.nextafter(exact, 0)
    if kind == "above":
        return math.nextafter(exact, math.inf)
    return 0.0


_CACHE: dict[tuple[tuple[str, ...], int], st.SearchStrategy[HouseholdFacts]] = {}


def households(standards: Sequence[Standard], max_members: int = 7) -> st.SearchStrategy[HouseholdFacts]:
    """Households around the thresholds of the given standards. Strategies are built once (building them is what
    costs in Hypothesis, not drawing from them)."""
    key = (tuple(s.id for s in standards), max_members)
    if key not in _CACHE:
        _CACHE[key] = _households(standards, max_members)
    return _CACHE[key]


def _households(standards: Sequence[Standard], max_members: int) -> st.SearchStrategy[HouseholdFacts]:
    member_lists = st.lists(members(standards), max_size=max_members)
    incomes = st.sampled_from(income_points(standards)) | st.integers(0, 5_000_000)
    water = st.sampled_from([None, *list_param(standards, "safe_water_sources"), *OTHER_WATER])
    latrines = st.sampled_from([None, *list_param(standards, "hygienic_latrines"), *OTHER_LATRINES])
    areas = st.sampled_from(list(AreaType))
    codes = sorted({code for standard in standards for code in standard.catalogue})
    entered = st.dictionaries(st.sampled_from(codes), st.sampled_from([None, False, True]))
    per_person = st.sampled_from(
        sorted(
            {
                float(r.params["min_area_per_person"])
                for s in standards
                for r in s.indicators
                if "min_area_per_person" in r.params
            }
        )
    )

    @st.composite
    def household(draw: st.DrawFn) -> HouseholdFacts:
        member_list = tuple(draw(member_lists))
        return HouseholdFacts(
            area_type=draw(areas),
            income_per_capita=draw(incomes),
            is_agri=draw(BOOL),
            members=member_list,
            wall_durable=draw(NULLABLE_BOOL),
            pillar_durable=draw(NULLABLE_BOOL),
            roof_durable=draw(NULLABLE_BOOL),
            floor_area_m2=floor_area(draw, len(member_list), per_person),  # type: ignore[arg-type]  # Decimal as from the DB
            water_source=draw(water),
            latrine_type=draw(latrines),
            uses_internet=draw(NULLABLE_BOOL),
            has_phone=draw(NULLABLE_BOOL),
            has_tv=draw(NULLABLE_BOOL),
            has_radio=draw(NULLABLE_BOOL),
            has_computer=draw(NULLABLE_BOOL),
            has_smartphone=draw(NULLABLE_BOOL),
            waste_collected=draw(NULLABLE_BOOL),
            hears_loudspeaker=draw(NULLABLE_BOOL),
            entered=draw(entered),
        )

    return household()
