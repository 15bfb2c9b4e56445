"""Classify the valid rows of a survey with the vectorised engine (`giamngheo.engine.batch.classify_frame`).

A spreadsheet carries no members and no living-condition facts, so every deprivation comes from the entered
flags: each indicator the standard counts is "entered" for every row (a blank flag means "not deprived", per
survey-format.md), and "deprived" where the flag says yes. Error rows are not classified.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from giamngheo.engine.batch import classify_frame
from giamngheo.engine.facts import PovertyClass
from giamngheo.engine.standard import Standard
from giamngheo.survey.reader import Survey, SurveyRow


@dataclass(frozen=True)
class RowResult:
    """The result columns of one output row; on an error row only `error` is filled."""

    poverty_class: PovertyClass | None
    deprivation_count: int | None
    counted: tuple[str, ...]  # counted indicator codes, in the standard's order
    standard_id: str | None
    error: str

    @property
    def classified(self) -> bool:
        return self.poverty_class is not None


def classify_survey(survey: Survey, standard: Standard) -> tuple[RowResult, ...]:
    valid = [(index, row) for index, row in enumerate(survey.rows) if row.valid]
    results = [RowResult(None, None, (), None, row.error_text) for row in survey.rows]
    if not valid:
        return tuple(results)
    classified = classify_frame(standard, _households_frame(valid, standard))
    bits = [(code, standard.bit(code)) for code in standard.indicator_codes]
    for index, poverty_class, count, mask in classified.select(
        "household_id", "poverty_class", "deprivation_count", "deprivation_mask"
    ).iter_rows():
        counted = tuple(code for code, bit in bits if mask >> bit & 1)
        results[index] = RowResult(PovertyClass(poverty_class), count, counted, standard.id, "")
    return tuple(results)


def _households_frame(rows: list[tuple[int, SurveyRow]], standard: Standard) -> pl.DataFrame:
    bits = {code: 1 << standard.bit(code) for code in standard.indicator_codes}

    def entered_mask(row: SurveyRow) -> int:
        return sum(bits[code] for code in row.deprived)

    return pl.DataFrame(
        {
            "household_id": [index for index, _ in rows],
            "area_type": [str(row.area_type) for _, row in rows],
            "income_per_capita": [row.income for _, row in rows],
            "is_agri": [row.is_agri for _, row in rows],
            "entered_mask": [entered_mask(row) for _, row in rows],
            "entered_known_mask": [standard.mask] * len(rows),
        },
        schema={
            "household_id": pl.Int64,
            "area_type": pl.String,
            "income_per_capita": pl.Int64,
            "is_agri": pl.Boolean,
            "entered_mask": pl.Int64,
            "entered_known_mask": pl.Int64,
        },
    )
