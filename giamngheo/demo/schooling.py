"""Which level of school a child should attend, by school age, for the demo's schooling facts.

A member in school records the level attended now (`school_level`); the children's-schooling indicator counts a
child aged 3 to under 16 as deprived when out of school or not at the level appropriate to their school age (the
age counted by year at the start of the school year, `engine.facts.school_age_on`). The ages of each level are
the indicator's own parameters in the standard's data file (`tre_em_di_hoc`: preschool up to 5, primary 6 to 10,
lower secondary 11 to 14, upper secondary or vocational education from 15; Luật Giáo dục 2019, Điều 28), read
here so that the demo follows a change to them. Upper secondary lasts three years (grades 10 to 12): a pupil
finishes it in the school year they turn 17 ("tính theo năm"), a fact of the school system, not of the standard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from giamngheo.engine.standard import Standard

SCHOOLING_INDICATOR = "tre_em_di_hoc"

PRESCHOOL = "preschool"
PRIMARY = "primary"
LOWER_SECONDARY = "lower_secondary"
UPPER_SECONDARY = "upper_secondary"
VOCATIONAL = "vocational"
HIGHER = "higher"
GENERAL_LEVELS = (PRESCHOOL, PRIMARY, LOWER_SECONDARY, UPPER_SECONDARY)

# The general education completed by someone attending a level (registry.models.EducationLevel values).
COMPLETED_BEFORE = {
    PRESCHOOL: "none",
    PRIMARY: "none",
    LOWER_SECONDARY: "primary",
    UPPER_SECONDARY: "lower_secondary",
    VOCATIONAL: "lower_secondary",
    HIGHER: "upper_secondary",
}
_GENERAL_RANK = {
    "none": 0,
    "primary": 1,
    "lower_secondary": 2,
    "upper_secondary": 3,
    "college": 4,
    "university": 5,
}


@dataclass(frozen=True)
class SchoolLadder:
    """The last school age of each general level."""

    first_age: int = 3  # preschool (mẫu giáo) from 3
    preschool_last: int = 5
    primary_last: int = 10
    lower_secondary_last: int = 14
    upper_secondary_last: int = 17

    @classmethod
    def of(cls, standard: Standard) -> SchoolLadder:
        """The ladder the standard's children's-schooling rule uses (the defaults when it has no such rule)."""
        rule = next((r for r in standard.indicators if r.code == SCHOOLING_INDICATOR), None)
        params: dict[str, Any] = dict(rule.params) if rule is not None else {}
        default = cls()
        return cls(
            first_age=int(params.get("min_age", default.first_age)),
            preschool_last=int(params.get("preschool_last", default.preschool_last)),
            primary_last=int(params.get("primary_last", default.primary_last)),
            lower_secondary_last=int(params.get("lower_secondary_last", default.lower_secondary_last)),
        )

    def level(self, school_age: int) -> str | None:
        """The general level appropriate to `school_age`; None below preschool and after upper secondary."""
        if school_age < self.first_age or school_age > self.upper_secondary_last:
            return None
        if school_age <= self.preschool_last:
            return PRESCHOOL
        if school_age <= self.primary_last:
            return PRIMARY
        if school_age <= self.lower_secondary_last:
            return LOWER_SECONDARY
        return UPPER_SECONDARY

    def behind(self, school_age: int) -> str | None:
        """The level below the appropriate one (a child who started late or repeated a grade at a level's
        first year); None when there is no level below."""
        level = self.level(school_age)
        if level is None or level == PRESCHOOL:
            return None
        return GENERAL_LEVELS[GENERAL_LEVELS.index(level) - 1]

    def last_age(self, level: str) -> int:
        return {
            PRESCHOOL: self.preschool_last,
            PRIMARY: self.primary_last,
            LOWER_SECONDARY: self.lower_secondary_last,
            UPPER_SECONDARY: self.upper_secondary_last,
        }[level]


def at_least(education_level: str, minimum: str) -> str:
    """The higher of two general education levels."""
    return education_level if _GENERAL_RANK[education_level] >= _GENERAL_RANK[minimum] else minimum
