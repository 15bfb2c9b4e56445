"""Errors of the survey exchange format."""

from __future__ import annotations


class SurveyFileError(Exception):
    """The file as a whole cannot be used (missing, empty, not a spreadsheet, a required or counted column
    missing, an output path that cannot be written). The message is Vietnamese and names the file and the
    problem; the command line turns it into exit code 2."""


class CellError(ValueError):
    """One cell's value is not acceptable. The message is Vietnamese and names the column and the value; it goes
    into the row's `loi` column, the row is not classified, the run continues."""
