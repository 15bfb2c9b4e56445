"""Counts and rates of a classified survey, overall and per commune (ma_xa).

Rates are percentages of the classified rows (error rows excluded), rounded half-up to 2 decimals
(`giamngheo.lib.formatting.percent`); a group without classified rows has no rate (None).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from giamngheo.engine.facts import PovertyClass
from giamngheo.lib.formatting import percent
from giamngheo.survey.classify import RowResult
from giamngheo.survey.reader import Survey

NO_COMMUNE = ""


@dataclass(frozen=True)
class Tally:
    rows: int
    errors: int
    counts: dict[PovertyClass, int]

    @property
    def classified(self) -> int:
        return self.rows - self.errors

    def rate(self, poverty_class: PovertyClass) -> Decimal | None:
        return percent(self.counts[poverty_class], self.classified)


@dataclass(frozen=True)
class SurveySummary:
    overall: Tally
    by_commune: dict[str, Tally]  # by 5-digit commune code, sorted; NO_COMMUNE for rows without a valid code


def _tally(results: Iterable[RowResult]) -> Tally:
    counts = dict.fromkeys(PovertyClass, 0)
    rows = errors = 0
    for result in results:
        rows += 1
        if result.poverty_class is None:
            errors += 1
        else:
            counts[result.poverty_class] += 1
    return Tally(rows=rows, errors=errors, counts=counts)


def _commune_order(code: str) -> tuple[bool, str]:
    return (code == NO_COMMUNE, code)  # rows without a code last


def summarise(survey: Survey, results: tuple[RowResult, ...]) -> SurveySummary:
    groups: dict[str, list[RowResult]] = {}
    for row, result in zip(survey.rows, results, strict=True):
        groups.setdefault(row.commune_code or NO_COMMUNE, []).append(result)
    by_commune = (
        {code: _tally(groups[code]) for code in sorted(groups, key=_commune_order)}
        if survey.has_commune_column
        else {}
    )
    return SurveySummary(overall=_tally(results), by_commune=by_commune)
