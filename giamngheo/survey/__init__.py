"""The household survey exchange format (shared/docs/survey-format.md): read a commune's spreadsheet, classify
every household under a poverty standard and write the same rows back with the result beside them.

Framework-free: nothing here imports Django. The `classify` management command is the edge that picks the
standard (by id or the one in force today) and turns `SurveyFileError` into exit code 2.

The names below are loaded on first use (PEP 562), so that importing a light module of the package — the isolated
reader process imports `giamngheo.survey.isolation` and the table reader only — does not load the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from giamngheo.survey.errors import SurveyFileError

if TYPE_CHECKING:
    from giamngheo.survey.process import SurveyReport, classify_file, resolve_standard

__all__ = ["SurveyFileError", "SurveyReport", "classify_file", "resolve_standard"]
_LAZY = frozenset({"SurveyReport", "classify_file", "resolve_standard"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from giamngheo.survey import process

        return getattr(process, name)
    raise AttributeError(f"module 'giamngheo.survey' has no attribute {name!r}")
