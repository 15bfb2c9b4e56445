"""The facts a deprivation rule may read.

A household's facts come from its living conditions and its current members; a member's facts from the member
record and the date (`member_facts`: age, school age, working age). `None` means "not recorded": rules are
evaluated with three-valued logic (`engine.expr`), so an unrecorded fact leaves an indicator undecided unless the
recorded facts decide it anyway; an undecided indicator falls back to the reviewer's entered flag, and without one
it stays undecided (`Classification.undecided`). No fact defaults to "no". The Polars batch path uses the same
names as columns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

import polars as pl

from giamngheo.engine.labour import SEXES, labour_rules, retirement_end, working_age


class AreaType(StrEnum):
    RURAL = "nong_thon"
    URBAN = "thanh_thi"


class PovertyClass(StrEnum):
    """The classes of survey-format.md, in the order reports list them."""

    POOR = "ngheo"
    NEAR_POOR = "can_ngheo"
    MIDDLE = "muc_song_trung_binh"
    NOT_POOR = "khong_ngheo"


CLASS_LABELS_VI: dict[PovertyClass, str] = {
    PovertyClass.POOR: "hộ nghèo",
    PovertyClass.NEAR_POOR: "hộ cận nghèo",
    PovertyClass.MIDDLE: "hộ làm nông, lâm, ngư, diêm nghiệp có mức sống trung bình",
    PovertyClass.NOT_POOR: "không thuộc diện nghèo, cận nghèo",
}
AREA_LABELS_VI: dict[AreaType, str] = {AreaType.RURAL: "nông thôn", AreaType.URBAN: "thành thị"}


@dataclass(frozen=True)
class MemberFacts:
    age: int | None = None  # completed years on the date
    sex: str | None = None  # "nam" / "nu"
    birth_year: int | None = None
    # Age "counted by year" at the start of the school year (Luật Giáo dục 2019, Điều 28): the year the school
    # year began minus the year of birth; a child starts grade 1 in the calendar year they turn 6.
    school_age: int | None = None
    working_age: bool | None = None  # from 15 to the retirement age on the date (`engine.labour`)
    past_working_age: bool | None = None  # has reached the retirement age
    has_health_insurance: bool | None = None
    in_education: bool | None = None  # attends school or training now
    school_level: str | None = None  # the level attended now (preschool, primary, lower_secondary, ...)
    education_level: str | None = None  # highest general education completed (none ... university)
    vocational_level: str | None = None  # highest vocational qualification (none, elementary, ...)
    work_status: str | None = None
    has_labour_contract: bool | None = None
    able_to_work: bool | None = None
    disabled: bool | None = None
    receives_social_allowance: bool | None = None
    malnourished: bool | None = None
    # Aged 16-30 and certified by an employer as trained on the job (NĐ 07/2021 adult-education exemption).
    on_the_job_training_certified: bool | None = None
    name: str | None = None  # for explanations only: no rule reads it

    def as_dict(self) -> dict[str, Any]:
        return {f.name: normalise_fact(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class HouseholdFacts:
    """Everything the engine needs to classify one household."""

    area_type: AreaType
    income_per_capita: int
    is_agri: bool = False
    members: tuple[MemberFacts, ...] = ()
    wall_durable: bool | None = None
    pillar_durable: bool | None = None
    roof_durable: bool | None = None
    floor_area_m2: float | None = None
    water_source: str | None = None
    latrine_type: str | None = None
    uses_internet: bool | None = None
    has_phone: bool | None = None
    has_tv: bool | None = None
    has_radio: bool | None = None
    has_computer: bool | None = None
    has_smartphone: bool | None = None
    waste_collected: bool | None = None
    # Deprivation flags as the reviewer entered them: indicator code -> deprived. Absent = not entered.
    entered: dict[str, bool] = field(default_factory=dict)
    # Hears the commune/village loudspeaker system (QĐ 59/2015 information-assets clause).
    hears_loudspeaker: bool | None = None

    def household_dict(self) -> dict[str, Any]:
        """The household facts by name; `member_count` is the number of members (None when none are recorded)."""
        values = {
            name: normalise_fact(getattr(self, name))
            for name in HOUSEHOLD_FACT_NAMES
            if name != "member_count"
        }
        values["member_count"] = len(self.members) or None
        return values


def normalise_fact(value: Any) -> Any:
    """A fact as both evaluation paths see it: a Decimal is a float (as in a Float64 column) and a float NaN is
    "not recorded" (as the batch path nulls NaN before evaluating)."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


MEMBER_FACT_TYPES: dict[str, pl.DataType] = {
    "age": pl.Int32(),
    "sex": pl.String(),
    "birth_year": pl.Int32(),
    "school_age": pl.Int32(),
    "working_age": pl.Boolean(),
    "past_working_age": pl.Boolean(),
    "has_health_insurance": pl.Boolean(),
    "in_education": pl.Boolean(),
    "school_level": pl.String(),
    "education_level": pl.String(),
    "vocational_level": pl.String(),
    "work_status": pl.String(),
    "has_labour_contract": pl.Boolean(),
    "able_to_work": pl.Boolean(),
    "disabled": pl.Boolean(),
    "receives_social_allowance": pl.Boolean(),
    "malnourished": pl.Boolean(),
    "on_the_job_training_certified": pl.Boolean(),
}
HOUSEHOLD_FACT_TYPES: dict[str, pl.DataType] = {
    "member_count": pl.Int32(),
    "wall_durable": pl.Boolean(),
    "pillar_durable": pl.Boolean(),
    "roof_durable": pl.Boolean(),
    "floor_area_m2": pl.Float64(),
    "water_source": pl.String(),
    "latrine_type": pl.String(),
    "uses_internet": pl.Boolean(),
    "has_phone": pl.Boolean(),
    "has_tv": pl.Boolean(),
    "has_radio": pl.Boolean(),
    "has_computer": pl.Boolean(),
    "has_smartphone": pl.Boolean(),
    "waste_collected": pl.Boolean(),
    "hears_loudspeaker": pl.Boolean(),
}
MEMBER_FACT_NAMES = frozenset(MEMBER_FACT_TYPES)
HOUSEHOLD_FACT_NAMES = frozenset(HOUSEHOLD_FACT_TYPES)

FactKind = Literal["bool", "number", "string"]


def fact_kind(dtype: pl.DataType) -> FactKind:
    """The kind of value a fact holds, for type-checking rule expressions."""
    if dtype == pl.Boolean():
        return "bool"
    if dtype == pl.String():
        return "string"
    return "number"


MEMBER_FACT_KINDS: dict[str, FactKind] = {name: fact_kind(t) for name, t in MEMBER_FACT_TYPES.items()}
HOUSEHOLD_FACT_KINDS: dict[str, FactKind] = {name: fact_kind(t) for name, t in HOUSEHOLD_FACT_TYPES.items()}


def age_on(birth_date: date | None, on: date) -> int | None:
    """Completed years of age on a date (a person born on 29 February turns a year older on 1 March)."""
    if birth_date is None:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def school_age_on(birth_date: date | None, on: date) -> int | None:
    """Age counted by year at the start of the school year that `on` falls in (school years start in September):
    the year it began minus the year of birth (Luật Giáo dục 2019, Điều 28, "được tính theo năm")."""
    if birth_date is None:
        return None
    school_year = on.year if on.month >= SCHOOL_YEAR_START_MONTH else on.year - 1
    return school_year - birth_date.year


# The school year starts in September (the education calendar of Bộ Giáo dục và Đào tạo).
SCHOOL_YEAR_START_MONTH = 9


def member_facts(*, birth_date: date | None, sex: str | None, on: date, **recorded: Any) -> MemberFacts:
    """A member's facts on `on`: the recorded ones (`recorded`, by fact name; `name` for explanations) and those
    that follow from the birth date, the sex and the date (age, birth year, school age, working age)."""
    of_working_age, past = working_age(birth_date, sex, on)
    return MemberFacts(
        age=age_on(birth_date, on),
        sex=sex,
        birth_year=birth_date.year if birth_date is not None else None,
        school_age=school_age_on(birth_date, on),
        working_age=of_working_age,
        past_working_age=past,
        **recorded,
    )


def with_date_facts(frame: pl.DataFrame, on: pl.Expr) -> pl.DataFrame:
    """The facts `member_facts` derives, as columns of a members frame with `birth_date` (Date) and `sex` (String)
    columns, on the date `on` (a Date expression: a literal or a column): age, birth_year, school_age,
    working_age, past_working_age. Set-based: the retirement ends are computed once per birth month in the frame.
    """
    birth = pl.col("birth_date").cast(pl.Date)

    def month_day(day: pl.Expr) -> pl.Expr:
        return day.dt.month().cast(pl.Int32) * 100 + day.dt.day().cast(pl.Int32)

    age = (
        on.dt.year().cast(pl.Int32)
        - birth.dt.year().cast(pl.Int32)
        - (month_day(on) < month_day(birth)).cast(pl.Int32)
    )
    school_year = on.dt.year().cast(pl.Int32) - (on.dt.month() < SCHOOL_YEAR_START_MONTH).cast(pl.Int32)
    months = (
        frame.select(
            birth.dt.year().cast(pl.Int32).alias("_by"), birth.dt.month().cast(pl.Int32).alias("_bm")
        )
        .drop_nulls()
        .unique()
    )
    rules = labour_rules()
    ends = pl.DataFrame(
        {
            "_by": months["_by"],
            "_bm": months["_bm"],
            **{
                f"_end_{sex}": pl.Series(
                    [retirement_end(y, m, sex, rules) for y, m in months.iter_rows()], dtype=pl.Date
                )
                for sex in SEXES
            },
        },
        schema={"_by": pl.Int32, "_bm": pl.Int32, **{f"_end_{sex}": pl.Date for sex in SEXES}},
    )
    lazy = frame.lazy().with_columns(
        birth.dt.year().cast(pl.Int32).alias("_by"), birth.dt.month().cast(pl.Int32).alias("_bm")
    )
    lazy = lazy.join(ends.lazy(), on=["_by", "_bm"], how="left", nulls_equal=False, maintain_order="left")
    past_by_sex = {sex: on > pl.col(f"_end_{sex}") for sex in SEXES}
    # Unknown sex: decided only where both sexes give the same answer.
    nam, nu = past_by_sex["nam"], past_by_sex["nu"]
    past = (
        pl.when(pl.col("sex") == "nam")
        .then(nam)
        .when(pl.col("sex") == "nu")
        .then(nu)
        .when(nam == nu)
        .then(nam)
        .otherwise(None)
    )
    started = age >= rules.minimum_age
    working_by_sex = {sex: started & ~past_by_sex[sex] for sex in SEXES}
    working = (
        pl.when(pl.col("sex") == "nam")
        .then(working_by_sex["nam"])
        .when(pl.col("sex") == "nu")
        .then(working_by_sex["nu"])
        .when(working_by_sex["nam"] == working_by_sex["nu"])
        .then(working_by_sex["nam"])
        .otherwise(None)
    )
    return (
        lazy.with_columns(
            age.alias("age"),
            birth.dt.year().cast(pl.Int32).alias("birth_year"),
            (school_year - birth.dt.year().cast(pl.Int32)).alias("school_age"),
            pl.when(birth.is_null()).then(None).otherwise(working).alias("working_age"),
            pl.when(birth.is_null()).then(None).otherwise(past).alias("past_working_age"),
        )
        .drop(["_by", "_bm", *(f"_end_{sex}" for sex in SEXES)])
        .collect()
    )
