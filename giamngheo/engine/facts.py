"""The facts a deprivation rule may read.

A household's facts come from its living conditions and its current members; a member's facts from the member
record. `None` means "not recorded": a rule that needs a fact that is not recorded cannot be derived, and the
reviewer's entered flag is used instead. The Polars batch path uses the same names as columns.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

import polars as pl


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
    age: int | None = None
    sex: str | None = None
    has_health_insurance: bool | None = None
    in_education: bool | None = None
    education_level: str | None = None
    work_status: str | None = None
    has_labour_contract: bool = False
    able_to_work: bool | None = None
    disabled: bool = False
    receives_social_allowance: bool = False
    malnourished: bool | None = None
    # Aged 16-30 and certified by an employer as trained on the job (NĐ 07/2021 adult-education exemption).
    # Like a labour contract, it is false unless recorded.
    on_the_job_training_certified: bool = False

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
    "has_health_insurance": pl.Boolean(),
    "in_education": pl.Boolean(),
    "education_level": pl.String(),
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

# Member facts that are never "not recorded" on the scalar path (MemberFacts gives them a default): a members frame
# that lacks such a column gets the default, not null, so that both paths read the same value.
MEMBER_FACT_DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in fields(MemberFacts) if f.default is not MISSING and f.default is not None
}

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
