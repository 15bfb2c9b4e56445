"""Classify a survey file end to end: read, classify every valid row, write the result file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from giamngheo.engine.standard import (
    DEFAULT_DATA_DIR,
    Standard,
    StandardError,
    get_standard,
    load_standards,
    standard_in_force,
)
from giamngheo.survey.classify import RowResult, classify_survey
from giamngheo.survey.errors import SurveyFileError
from giamngheo.survey.reader import Survey, read_survey
from giamngheo.survey.summary import SurveySummary, summarise
from giamngheo.survey.writer import check_output_path, write_result


@dataclass(frozen=True)
class SurveyReport:
    standard: Standard
    survey: Survey
    results: tuple[RowResult, ...]
    summary: SurveySummary
    output: Path

    @property
    def error_rows(self) -> tuple[tuple[int, str | None, str], ...]:
        """(row number, household code, message) of every row that was not classified."""
        return tuple(
            (row.number, row.household_code, result.error)
            for row, result in zip(self.survey.rows, self.results, strict=True)
            if not result.classified
        )


def resolve_standard(standard_id: str | None, *, today: date, data_dir: Path = DEFAULT_DATA_DIR) -> Standard:
    """The standard asked for by id, or the one in force `today`. An unknown id raises `SurveyFileError`
    listing the known ids."""
    try:
        if standard_id:
            return get_standard(standard_id, data_dir)
        return standard_in_force(today, load_standards(data_dir).values())
    except StandardError as exc:
        raise SurveyFileError(str(exc)) from None


def classify_file(source: Path, output: Path, *, standard: Standard) -> SurveyReport:
    """Read `source` (.xlsx or .csv), classify it under `standard` and write `output` (.xlsx or .csv).

    Raises `SurveyFileError` when the file as a whole is unusable; then no output is written. Row problems do
    not raise: those rows come back with `loi` filled.
    """
    check_output_path(output)
    survey = read_survey(source, standard)
    results = classify_survey(survey, standard)
    summary = summarise(survey, results)
    write_result(output, survey=survey, results=results, summary=summary, standard=standard)
    return SurveyReport(standard=standard, survey=survey, results=results, summary=summary, output=output)
