"""The household survey exchange format (shared/docs/survey-format.md): read a commune's spreadsheet, classify
every household under a poverty standard and write the same rows back with the result beside them.

Framework-free: nothing here imports Django. The `classify` management command is the edge that picks the
standard (by id or the one in force today) and turns `SurveyFileError` into exit code 2.
"""

from giamngheo.survey.errors import SurveyFileError
from giamngheo.survey.process import SurveyReport, classify_file, resolve_standard

__all__ = ["SurveyFileError", "SurveyReport", "classify_file", "resolve_standard"]
