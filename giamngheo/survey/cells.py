"""A spreadsheet cell as read, and the cell as the spreadsheet shows it.

Kept apart from `giamngheo.survey.values` (which parses cells into domain values and needs the engine) so that the
isolated reader process (`giamngheo.survey.isolation`) imports nothing heavy: its memory budget is for the file.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

Cell = str | int | float | bool | date | datetime | time | timedelta | None


def cell_text(cell: Cell) -> str:
    """The cell as text, the way the spreadsheet shows it: 1500000.0 → '1500000', True → 'TRUE'."""
    if type(cell) is str:  # the common case first: this runs for every cell of every row
        return cell
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, datetime | date | time):
        return cell.isoformat()
    if isinstance(cell, timedelta):
        return str(cell)
    return cell


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
