"""Working age: from the minimum working age of the Labour Code to the retirement age, by sex and by the year in
which a person reaches it (Bộ luật Lao động 2019 Điều 3, Điều 169; Nghị định 135/2020/NĐ-CP Điều 3, 4). The figures
are data (`standards/data/labour.toml`), quoted there with their sources.

A person reaches the retirement age in the year Y when their age on some day of Y reaches the age set for Y. The
age set rises by 3 months a year for men and 4 for women, slower than a person ages, so there is exactly one such
moment; they stay of working age until the end of that month (NĐ 135/2020 Điều 3 khoản 1). Before 2021 the ages of
2021 are used (the engine's standards start in 2016; the earlier 60/55 years of the 2012 Code differ by months).
"""

from __future__ import annotations

import calendar
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "standards" / "data" / "labour.toml"
SEXES = ("nam", "nu")


class LabourDataError(ValueError):
    """The labour data file is invalid; the message names the field."""


@dataclass(frozen=True)
class RetirementRoadmap:
    first_year: int
    first_months: int  # the retirement age of `first_year`, in months
    step_months: int
    final_months: int

    def age_in(self, year: int) -> int:
        """The retirement age (in months) for people who reach it in `year`."""
        steps = max(0, year - self.first_year)
        return min(self.first_months + steps * self.step_months, self.final_months)


@dataclass(frozen=True)
class LabourRules:
    minimum_age: int
    retirement: dict[str, RetirementRoadmap]


def _months(value: object, where: str) -> int:
    if not isinstance(value, dict) or set(value) != {"years", "months"}:
        raise LabourDataError(f"labour.toml, {where}: cần {{ years = …, months = … }}")
    years, months = value["years"], value["months"]
    if (
        not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (years, months))
        or months > 11
    ):
        raise LabourDataError(f"labour.toml, {where}: số năm, số tháng không hợp lệ")
    return years * 12 + months


def _whole(value: object, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise LabourDataError(f"labour.toml, {where}: phải là số nguyên, không phải {value!r}")
    return value


@cache
def labour_rules(path: Path = DATA_FILE) -> LabourRules:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LabourDataError(f"labour.toml: tệp TOML không hợp lệ: {exc}") from exc
    minimum = raw.get("minimum_age")
    if not isinstance(minimum, int) or isinstance(minimum, bool) or not 10 <= minimum <= 18:
        raise LabourDataError("labour.toml: 'minimum_age' phải là số năm (10–18)")
    roadmaps: dict[str, RetirementRoadmap] = {}
    for sex in SEXES:
        entry = raw.get("retirement", {}).get(sex)
        if not isinstance(entry, dict):
            raise LabourDataError(f"labour.toml: thiếu [retirement.{sex}]")
        where = f"retirement.{sex}"
        missing = sorted({"first_year", "first_age", "step_months", "final_age"} - set(entry))
        if missing:
            raise LabourDataError(f"labour.toml, {where}: thiếu {', '.join(missing)}")
        roadmap = RetirementRoadmap(
            first_year=_whole(entry["first_year"], f"{where}.first_year"),
            first_months=_months(entry["first_age"], f"{where}.first_age"),
            step_months=_whole(entry["step_months"], f"{where}.step_months"),
            final_months=_months(entry["final_age"], f"{where}.final_age"),
        )
        if not 0 <= roadmap.step_months <= 12 or roadmap.final_months < roadmap.first_months:
            raise LabourDataError(f"labour.toml, {where}: lộ trình không hợp lệ")
        roadmaps[sex] = roadmap
    return LabourRules(minimum_age=minimum, retirement=roadmaps)


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def retirement_month(birth_date: date, sex: str, rules: LabourRules | None = None) -> date:
    """The first day of the month in which a person born on `birth_date` reaches the retirement age."""
    roadmap = (rules or labour_rules()).retirement[sex]
    for year in range(birth_date.year + 40, birth_date.year + 80):
        reached = _add_months(birth_date, roadmap.age_in(year))
        if reached.year <= year:
            return date(reached.year, reached.month, 1)
    raise AssertionError("a retirement age within 40 to 80 years")  # the roadmap is bounded by validation


def retirement_end(birth_year: int, birth_month: int, sex: str, rules: LabourRules | None = None) -> date:
    """The last day a person born in that month is of working age: the end of the month in which they reach the
    retirement age (NĐ 135/2020/NĐ-CP, Điều 3 khoản 1). The day of birth does not change the month."""
    month = retirement_month(date(birth_year, birth_month, 1), sex, rules)
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def _completed_years(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _working_age_for(birth_date: date, sex: str, on: date, rules: LabourRules) -> tuple[bool, bool]:
    """(of working age on `on`, past the working age on `on`) for a known sex. "Đủ 15 tuổi" is 15 completed
    years, counted as ages are everywhere else (`engine.facts.age_on`)."""
    started = _completed_years(birth_date, on) >= rules.minimum_age
    past = on > retirement_end(birth_date.year, birth_date.month, sex, rules)
    return started and not past, past


def working_age(birth_date: date | None, sex: str | None, on: date) -> tuple[bool | None, bool | None]:
    """(of working age, past the working age) on `on`; None where the birth date is unknown, or the sex is
    unknown and the answer differs between the sexes."""
    if birth_date is None:
        return None, None
    rules = labour_rules()
    if sex in rules.retirement:
        return _working_age_for(birth_date, sex, on, rules)
    answers = {_working_age_for(birth_date, s, on, rules) for s in SEXES}
    if len(answers) == 1:
        return next(iter(answers))
    (w1, p1), (w2, p2) = sorted(answers)
    return (w1 if w1 == w2 else None), (p1 if p1 == p2 else None)
