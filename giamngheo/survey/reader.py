"""Read a survey spreadsheet (survey-format.md, "Input") into checked household rows.

Whole-file problems raise `SurveyFileError`: a required column (ma_ho, khu_vuc, thu_nhap_binh_quan) or a column
the chosen standard counts is missing, or a known column appears twice. Every other problem belongs to a row:
the row keeps its cells, gets its messages (several joined with "; ") and is not classified. The second of two
rows with the same ma_ho is an error row. Indicator columns the standard does not count are not checked; they
pass through like unknown columns.

Output columns from an earlier run (headers exactly `phan_loai`, `so_thieu_hut`, `chi_so_thieu_hut`,
`chuan_ngheo`, `loi`) are dropped on reading, so that a result file can be classified again and gets fresh
results instead of a second set of columns. Every other column is kept, in order, with its original header.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from giamngheo.engine.facts import AreaType
from giamngheo.engine.standard import Standard
from giamngheo.survey import columns as col
from giamngheo.survey.cells import Cell
from giamngheo.survey.errors import CellError, SurveyFileError
from giamngheo.survey.table import Table, TableRow, read_table
from giamngheo.survey.values import (
    parse_area_type,
    parse_commune_code,
    parse_flag,
    parse_household_code,
    parse_income,
)

ROW_ERROR_SEPARATOR = "; "

T = TypeVar("T")


@dataclass(frozen=True)
class SurveyRow:
    number: int  # the row number the spreadsheet shows
    cells: tuple[Cell, ...]  # as read, aligned with Survey.headers (ma_xa as its 5-digit code when valid)
    household_code: str | None
    commune_code: str | None
    area_type: AreaType | None
    income: int | None
    is_agri: bool
    deprived: frozenset[str]  # counted indicators flagged "yes"
    errors: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def error_text(self) -> str:
        return ROW_ERROR_SEPARATOR.join(self.errors)


@dataclass(frozen=True)
class Survey:
    headers: tuple[str, ...]  # original header text, in file order
    rows: tuple[SurveyRow, ...]
    text_columns: frozenset[int]  # positions of ma_ho and ma_xa, written as text
    has_commune_column: bool
    delimiter: str | None  # the CSV delimiter read, None for a workbook
    sheet: str | None


def read_survey(path: Path, standard: Standard, *, require_rows: bool = True) -> Survey:
    """Raises `SurveyFileError` for a file without data rows unless `require_rows` is false: a header-only file
    is nothing to classify, but it is a well-formed blank template (`giamngheo.survey.template`)."""
    known = frozenset(col.BASE_COLUMNS) | frozenset(standard.catalogue)
    table = read_table(path, known_columns=known, require_rows=require_rows)
    table = _without_earlier_results(table)
    positions = _column_positions(table, known, path)
    _check_columns(positions, table, standard, path)
    rows = _parse_rows(table, positions, standard)
    text_columns = frozenset(
        positions[name] for name in (col.HOUSEHOLD_CODE, col.COMMUNE_CODE) if name in positions
    )
    return Survey(
        headers=table.headers,
        rows=rows,
        text_columns=text_columns,
        has_commune_column=col.COMMUNE_CODE in positions,
        delimiter=table.delimiter,
        sheet=table.sheet,
    )


def _without_earlier_results(table: Table) -> Table:
    keep = [i for i, header in enumerate(table.headers) if header not in col.RESULT_COLUMNS]
    if len(keep) == len(table.headers):
        return table
    rows = tuple(TableRow(r.number, tuple(r.cells[i] for i in keep), r.problem) for r in table.rows)
    headers = tuple(table.headers[i] for i in keep)
    return Table(headers=headers, rows=rows, delimiter=table.delimiter, sheet=table.sheet)


def _column_positions(table: Table, known: frozenset[str], path: Path) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        key = col.header_key(header)
        if key not in known:
            continue
        if key in positions:
            first = table.headers[positions[key]]
            raise SurveyFileError(
                f"tệp '{path.name}': cột {key} xuất hiện hai lần "
                f"('{first}' ở cột thứ {positions[key] + 1} và '{header}' ở cột thứ {index + 1})"
            )
        positions[key] = index
    return positions


def _check_columns(positions: dict[str, int], table: Table, standard: Standard, path: Path) -> None:
    problems: list[str] = []
    required = [name for name in col.REQUIRED_COLUMNS if name not in positions]
    if required:
        problems.append("thiếu cột bắt buộc " + ", ".join(_with_hint(name, table) for name in required))
    counted = [code for code in standard.indicator_codes if code not in positions]
    if counted:
        problems.append(
            f"thiếu cột chỉ số thiếu hụt mà chuẩn {standard.id} tính: "
            + ", ".join(_with_hint(code, table) for code in counted)
        )
    if problems:
        raise SurveyFileError(f"tệp '{path.name}': " + "; ".join(problems))


def _with_hint(name: str, table: Table) -> str:
    """The missing column's name, with a header that looks like it (`Thu nhập bình quân (đồng/tháng)`)."""
    similar = [h for h in table.headers if col.header_key(h).startswith(name + "_")]
    return f"{name} (có cột '{similar[0]}' nhưng tên cột phải đúng là {name})" if similar else name


class _RowReader:
    """Parses the cells of one row, collecting the messages of the cells that fail."""

    def __init__(self, cells: list[Cell], positions: dict[str, int], errors: list[str]) -> None:
        self.cells = cells
        self.positions = positions
        self.errors = errors

    def take(self, name: str, parser: Callable[[Cell, str], T]) -> T | None:
        try:
            return parser(self.cells[self.positions[name]], name)
        except CellError as exc:
            self.errors.append(str(exc))
            return None


def _parse_rows(table: Table, positions: dict[str, int], standard: Standard) -> tuple[SurveyRow, ...]:
    first_seen: dict[str, int] = {}
    rows: list[SurveyRow] = []
    counted = standard.indicator_codes
    for raw in table.rows:
        errors: list[str] = [raw.problem] if raw.problem else []
        cells = list(raw.cells)
        row = _RowReader(cells, positions, errors)
        household_code = row.take(col.HOUSEHOLD_CODE, parse_household_code)
        if household_code is not None:
            if household_code in first_seen:
                errors.append(
                    f"cột {col.HOUSEHOLD_CODE}: mã hộ '{household_code}' trùng với dòng "
                    f"{first_seen[household_code]}"
                )
            else:
                first_seen[household_code] = raw.number
        commune_code = None
        if col.COMMUNE_CODE in positions:
            commune_code = row.take(col.COMMUNE_CODE, parse_commune_code)
            if commune_code is not None:
                cells[positions[col.COMMUNE_CODE]] = commune_code
        area_type = row.take(col.AREA_TYPE, parse_area_type)
        income = row.take(col.INCOME, parse_income)
        is_agri = bool(row.take(col.AGRI, parse_flag)) if col.AGRI in positions else False
        deprived = frozenset(code for code in counted if row.take(code, parse_flag))
        rows.append(
            SurveyRow(
                number=raw.number,
                cells=tuple(cells),
                household_code=household_code,
                commune_code=commune_code,
                area_type=area_type,
                income=income,
                is_agri=is_agri,
                deprived=deprived,
                errors=tuple(errors),
            )
        )
    return tuple(rows)
