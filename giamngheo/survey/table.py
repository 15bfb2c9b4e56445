"""Read a spreadsheet into a table of raw cells: the first sheet of a workbook (or the sheet named `ho`, matched
like a column name) or a CSV file.

The kind of file is told by its content, not its name: a ZIP (.xlsx, .xlsm, .ods) or OLE (.xls) container is read
as a workbook with python-calamine, anything else as UTF-8 text (with or without a BOM) whose delimiter — `,`,
`;` or tab — is the one that splits the header row into the most recognised column names (then the most
columns). The first non-empty row holds the column names; completely empty rows are not households and are
skipped. Row numbers are the ones the spreadsheet shows (the header is row 1 of a CSV file).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from giamngheo.survey.columns import header_key
from giamngheo.survey.errors import SurveyFileError
from giamngheo.survey.values import Cell, cell_text, is_blank

PREFERRED_SHEET = "ho"
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
DELIMITERS = (",", ";", "\t")
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


@dataclass(frozen=True)
class TableRow:
    number: int
    cells: tuple[Cell, ...]
    problem: str | None = None  # a defect of the row's shape (more cells than columns)


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[TableRow, ...]
    delimiter: str | None  # the CSV delimiter; None for a workbook
    sheet: str | None  # the sheet read; None for CSV


def read_table(
    path: Path, *, known_columns: frozenset[str] = frozenset(), require_rows: bool = True
) -> Table:
    """`known_columns` (normalised names) only help to choose a CSV delimiter. A file with a header but no data
    row is unusable unless `require_rows` is false (reading a blank template back)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SurveyFileError(f"không tìm thấy tệp '{path}'") from None
    except IsADirectoryError:
        raise SurveyFileError(f"'{path}' là thư mục, không phải tệp") from None
    except OSError as exc:
        raise SurveyFileError(f"không đọc được tệp '{path}': {exc.strerror}") from None
    if data.startswith(_WORKBOOK_MAGIC):
        table = _read_workbook(path, data)
    elif path.suffix.lower() in WORKBOOK_SUFFIXES:
        raise SurveyFileError(f"tệp '{path.name}' không phải tệp Excel hợp lệ")
    else:
        table = _read_csv(path, data, known_columns)
    if not table.headers:
        raise SurveyFileError(f"tệp '{path.name}' trống: không có dòng tiêu đề")
    if require_rows and not table.rows:
        raise SurveyFileError(f"tệp '{path.name}' không có dòng dữ liệu nào (chỉ có dòng tiêu đề)")
    return table


def _read_workbook(path: Path, data: bytes) -> Table:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        if not names:
            raise SurveyFileError(f"tệp '{path.name}' không có trang tính nào")
        preferred = [name for name in names if header_key(name) == PREFERRED_SHEET]
        sheet = workbook.get_sheet_by_name(preferred[0] if preferred else names[0])
        grid = sheet.to_python(skip_empty_area=True)
        first_row = sheet.start[0] + 1 if sheet.start is not None else 1
    except python_calamine.PasswordError:
        raise SurveyFileError(f"tệp '{path.name}' có mật khẩu; hãy bỏ mật khẩu rồi gửi lại") from None
    except python_calamine.CalamineError as exc:
        raise SurveyFileError(f"tệp '{path.name}' không đọc được như tệp Excel: {exc}") from None
    return _table([list(row) for row in grid], first_row=first_row, delimiter=None, sheet=sheet.name)


def _read_csv(path: Path, data: bytes, known_columns: frozenset[str]) -> Table:
    if b"\x00" in data:
        raise SurveyFileError(f"tệp '{path.name}' không phải bảng tính (Excel .xlsx hoặc CSV)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SurveyFileError(
            f"tệp '{path.name}' không phải CSV mã UTF-8; trong Excel hãy lưu bằng “CSV UTF-8”"
        ) from None
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = _choose_delimiter(first_line, known_columns)
    try:
        grid: list[list[Cell]] = [
            list(record) for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise SurveyFileError(f"tệp '{path.name}' không đọc được như tệp CSV: {exc}") from None
    skipped = 0
    while skipped < len(grid) and all(is_blank(cell) for cell in grid[skipped]):
        skipped += 1  # leading blank lines, as a workbook's empty area is skipped
    return _table(grid[skipped:], first_row=1 + skipped, delimiter=delimiter, sheet=None)


def _choose_delimiter(line: str, known_columns: frozenset[str]) -> str:
    def score(delimiter: str) -> tuple[int, int]:
        fields = next(csv.reader([line], delimiter=delimiter), [])
        return sum(header_key(f) in known_columns for f in fields), len(fields)

    return max(DELIMITERS, key=score)  # ties: the earlier delimiter, ',' first


def _table(grid: list[list[Cell]], *, first_row: int, delimiter: str | None, sheet: str | None) -> Table:
    if not grid:
        return Table(headers=(), rows=(), delimiter=delimiter, sheet=sheet)
    headers = [cell_text(cell).strip() for cell in grid[0]]
    width = len(headers)
    rows: list[TableRow] = []
    for offset, raw in enumerate(grid[1:], start=1):
        if all(is_blank(cell) for cell in raw):
            continue
        problem = None
        if len(raw) > width:  # only in CSV: a workbook's grid is rectangular
            problem = (
                f"dòng có {len(raw)} ô nhưng dòng tiêu đề chỉ có {width} cột "
                "(số có dấu phân cách cần đặt trong ngoặc kép)"
            )
        cells = tuple(raw[:width]) + ("",) * (width - len(raw))
        rows.append(TableRow(number=first_row + offset, cells=cells, problem=problem))
    # A column without a header and without any value is spreadsheet noise, not data.
    keep = [
        i for i, header in enumerate(headers) if header or any(not is_blank(row.cells[i]) for row in rows)
    ]
    if len(keep) < width:
        rows = [TableRow(r.number, tuple(r.cells[i] for i in keep), r.problem) for r in rows]
    return Table(headers=tuple(headers[i] for i in keep), rows=tuple(rows), delimiter=delimiter, sheet=sheet)
