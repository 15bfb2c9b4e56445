"""Limits on the survey files the reader accepts, so that no file can take the process that reads it past a fixed
memory budget, crash it or hold it for long.

Real commune files hold at most a few tens of thousands of rows and about thirty columns, a few megabytes; the
defaults are far above that and far below what a hostile file asks for (a workbook declaring the whole sheet
A1:XFD1048576, a sheet XML that expands a thousandfold). Each limit can be changed through an environment variable
(`SURVEY_MAX_ROWS=300000`); the Django settings read the same variables, so that a bad value stops the server at
start instead of at the first upload (settings.py, block "Survey file limits").

The survey package is framework-free, so the limits are read from the environment here, not from Django's settings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

MB = 1024 * 1024
# Excel's own limit on the characters of one cell: a longer CSV field cannot be a cell a commune typed.
EXCEL_CELL_CHARS = 32_767


@dataclass(frozen=True)
class ReadLimits:
    max_file_mb: int = 50  # the file as stored (the web upload limit is 50 MB too)
    max_rows: int = 200_000  # rows of the sheet or CSV records, the header included
    max_columns: int = 200
    max_cell_chars: int = EXCEL_CELL_CHARS  # one CSV field
    max_zip_entries: int = 1_000  # an .xlsx holds a dozen parts
    max_unzipped_mb: int = 300  # declared uncompressed size of all the parts of a workbook together
    max_zip_ratio: int = 100  # uncompressed / compressed size of one part above 1 MB (Apache POI's default)
    read_memory_mb: int = 512  # address space of the process that opens the file
    read_timeout_s: int = 300  # wall-clock time of that process

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ReadLimits:
        """The limits with every `SURVEY_<NAME>` variable set in `environ` (default: the process environment).
        A value that is not a positive whole number raises `ValueError` naming the variable."""
        environ = os.environ if environ is None else environ
        values: dict[str, int] = {}
        for field in fields(cls):
            name = env_name(field.name)
            raw = environ.get(name, "").strip()
            if not raw:
                continue
            try:
                value = int(raw)
            except ValueError:
                raise ValueError(f"{name} must be a positive whole number, got {raw!r}") from None
            if value <= 0:
                raise ValueError(f"{name} must be a positive whole number, got {raw!r}")
            values[field.name] = value
        return cls(**values)

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * MB

    @property
    def max_unzipped_bytes(self) -> int:
        return self.max_unzipped_mb * MB

    @property
    def read_memory_bytes(self) -> int:
        return self.read_memory_mb * MB


def env_name(field_name: str) -> str:
    """The environment variable of a limit: `max_rows` → `SURVEY_MAX_ROWS`."""
    return "SURVEY_" + field_name.upper()
