"""Read a spreadsheet into a table of raw cells: the first sheet of a workbook (or the sheet named `ho`, matched
like a column name) or a CSV file.

The kind of file is told by its content, not its name: a ZIP (.xlsx, .xlsm, .ods) or OLE (.xls) container is read
as a workbook with python-calamine, anything else as UTF-8 text (with or without a BOM) whose delimiter — `,`,
`;` or tab — is the one that splits the header row into the most recognised column names (then the most
columns). The first non-empty row holds the column names; completely empty rows are not households and are
skipped. Row numbers are the ones the spreadsheet shows (the header is row 1 of a CSV file).

Hostile files (`giamngheo.survey.limits`): the file's size is checked here; everything that looks inside the file
runs in a separate process with a hard memory limit (`giamngheo.survey.isolation`), which calls
`read_table_here`. There, a workbook's ZIP container and declared extent are checked before it is expanded
(`giamngheo.survey.workbook_checks`), the rows and columns actually read are checked against the limits (a
declared extent may lie), and a CSV file is read as a stream whose fields, records and delimiters are counted as
they come, so that one line of ten million commas is refused before it becomes ten million cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from giamngheo.lib.formatting import group_thousands
from giamngheo.survey.cells import Cell, cell_text, is_blank
from giamngheo.survey.columns import PREFERRED_SHEET, header_key
from giamngheo.survey.errors import SurveyFileError
from giamngheo.survey.limits import MB, ReadLimits
from giamngheo.survey.workbook_checks import check_zip_workbook

__all__ = ["PREFERRED_SHEET", "Table", "TableRow", "read_table", "read_table_here"]

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
DELIMITERS = (",", ";", "\t")
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
# Delimiter characters one CSV record may hold, counted before the record is split (quoted ones included), as a
# multiple of the column limit: far above a real record, far below a line that would exhaust the memory.
_RAW_DELIMITERS_PER_COLUMN = 20


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
    path: Path,
    *,
    known_columns: frozenset[str] = frozenset(),
    require_rows: bool = True,
    limits: ReadLimits | None = None,
) -> Table:
    """`known_columns` (normalised names) only help to choose a CSV delimiter. A file with a header but no data
    row is unusable unless `require_rows` is false (reading a blank template back). `limits` default to the
    environment's (`ReadLimits.from_env`)."""
    from giamngheo.survey.isolation import read_isolated  # it imports this module

    limits = limits if limits is not None else ReadLimits.from_env()
    size = _file_size(path)
    if size > limits.max_file_bytes:
        raise SurveyFileError(
            f"tệp '{path.name}' nặng {group_thousands(-(-size // MB))} MB, vượt giới hạn "
            f"{group_thousands(limits.max_file_mb)} MB"
        )
    return read_isolated(path, known_columns=known_columns, require_rows=require_rows, limits=limits)


def _file_size(path: Path) -> int:
    try:
        if path.is_dir():
            raise SurveyFileError(f"'{path}' là thư mục, không phải tệp")
        return path.stat().st_size
    except FileNotFoundError:
        raise SurveyFileError(f"không tìm thấy tệp '{path}'") from None
    except OSError as exc:
        raise SurveyFileError(f"không đọc được tệp '{path}': {exc.strerror}") from None


def read_table_here(
    path: Path, *, known_columns: frozenset[str], require_rows: bool, limits: ReadLimits
) -> Table:
    """`read_table` in the current process: only for the isolated reader process, whose memory is limited."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(8)
    except FileNotFoundError:
        raise SurveyFileError(f"không tìm thấy tệp '{path}'") from None
    except IsADirectoryError:
        raise SurveyFileError(f"'{path}' là thư mục, không phải tệp") from None
    except OSError as exc:
        raise SurveyFileError(f"không đọc được tệp '{path}': {exc.strerror}") from None
    if magic.startswith(_WORKBOOK_MAGIC):
        table = _read_workbook(path, limits)
    elif path.suffix.lower() in WORKBOOK_SUFFIXES:
        raise SurveyFileError(f"tệp '{path.name}' không phải tệp Excel hợp lệ")
    else:
        table = _read_csv(path, known_columns, limits)
    if not table.headers:
        raise SurveyFileError(f"tệp '{path.name}' trống: không có dòng tiêu đề")
    if require_rows and not table.rows:
        raise SurveyFileError(f"tệp '{path.name}' không có dòng dữ liệu nào (chỉ có dòng tiêu đề)")
    return table


def _too_big(path: Path, where: str, rows: int, columns: int, limits: ReadLimits) -> SurveyFileError:
    return SurveyFileError(
        f"tệp '{path.name}': {where} có {group_thousands(rows)} dòng × {group_thousands(columns)} cột, vượt giới "
        f"hạn {group_thousands(limits.max_rows)} dòng × {group_thousands(limits.max_columns)} cột"
    )


# Workbooks ----------------------------------------------------------------------------------------------------


def _read_workbook(path: Path, limits: ReadLimits) -> Table:
    check_zip_workbook(path, limits)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if not names:
            raise SurveyFileError(f"tệp '{path.name}' không có trang tính nào")
        preferred = [name for name in names if header_key(name) == PREFERRED_SHEET]
        sheet = workbook.get_sheet_by_name(preferred[0] if preferred else names[0])
        if sheet.height > limits.max_rows or sheet.width > limits.max_columns:  # the cells actually there
            raise _too_big(path, f"trang tính '{sheet.name}'", sheet.height, sheet.width, limits)
        grid: list[list[Cell]] = [list(row) for row in sheet.to_python(skip_empty_area=True)]
        first_row = sheet.start[0] + 1 if sheet.start is not None else 1
        name = sheet.name
    except python_calamine.PasswordError:
        raise SurveyFileError(f"tệp '{path.name}' có mật khẩu; hãy bỏ mật khẩu rồi gửi lại") from None
    except python_calamine.CalamineError as exc:
        raise SurveyFileError(f"tệp '{path.name}' không đọc được như tệp Excel: {exc}") from None
    del sheet, workbook  # calamine's copy of the sheet: the memory is for the rows
    return _table(grid, first_row=first_row, delimiter=None, sheet=name)


# CSV ----------------------------------------------------------------------------------------------------------


class _CsvRefused(Exception):
    """Raised inside the stream of lines; becomes a `SurveyFileError` naming the file."""


def _read_csv(path: Path, known_columns: frozenset[str], limits: ReadLimits) -> Table:
    if _has_nul(path):
        raise SurveyFileError(f"tệp '{path.name}' không phải bảng tính (Excel .xlsx hoặc CSV)")
    try:
        delimiter = _choose_delimiter(_first_line(path), known_columns)
        grid, skipped = _csv_grid(path, delimiter, limits)
    except UnicodeDecodeError:
        raise SurveyFileError(
            f"tệp '{path.name}' không phải CSV mã UTF-8; trong Excel hãy lưu bằng “CSV UTF-8”"
        ) from None
    except _CsvRefused as exc:
        raise SurveyFileError(f"tệp '{path.name}' {exc}") from None
    except csv.Error as exc:
        raise SurveyFileError(f"tệp '{path.name}' không đọc được như tệp CSV: {exc}") from None
    return _table(grid, first_row=1 + skipped, delimiter=delimiter, sheet=None)


def _has_nul(path: Path) -> bool:
    """A NUL byte: a binary file, whatever its encoding would say."""
    with path.open("rb") as handle:
        while chunk := handle.read(1 * MB):
            if b"\x00" in chunk:
                return True
    return False


def _open_text(path: Path) -> io.TextIOWrapper:
    return path.open(encoding="utf-8-sig", newline="")


def _first_line(path: Path) -> str:
    """The first line that is not blank, without the line break (a quoted header spanning lines is rare enough
    for the delimiter choice)."""
    with _open_text(path) as handle:
        for line in handle:
            if line.strip():
                return line.rstrip("\r\n")
    return ""


def _choose_delimiter(line: str, known_columns: frozenset[str]) -> str:
    def score(delimiter: str) -> tuple[int, int]:
        fields = next(csv.reader([line], delimiter=delimiter), [])
        return sum(header_key(f) in known_columns for f in fields), len(fields)

    if len(line) > 1 * MB:  # not a header row; whatever the choice, the limits below refuse the file
        return DELIMITERS[0]
    return max(DELIMITERS, key=score)  # ties: the earlier delimiter, ',' first


def _csv_grid(path: Path, delimiter: str, limits: ReadLimits) -> tuple[list[list[Cell]], int]:
    """The records (leading blank records dropped) and how many were dropped."""
    raw_limit = _RAW_DELIMITERS_PER_COLUMN * limits.max_columns
    seen = {"delimiters": 0, "records": 0}

    def counted(lines: Iterator[str]) -> Iterator[str]:
        for line in lines:
            seen["delimiters"] += line.count(delimiter)
            if seen["delimiters"] > raw_limit:
                raise _CsvRefused(
                    f"có dòng {seen['records'] + 1} chứa hơn {group_thousands(raw_limit)} dấu phân cách "
                    f"'{_shown_delimiter(delimiter)}', vượt giới hạn {group_thousands(limits.max_columns)} cột"
                )
            yield line

    previous = csv.field_size_limit(limits.max_cell_chars)
    grid: list[list[Cell]] = []
    skipped = 0
    try:
        with _open_text(path) as handle:
            reader = csv.reader(counted(handle), delimiter=delimiter)
            for record in _records(reader, limits):
                seen["delimiters"] = 0
                seen["records"] = reader.line_num
                if not grid and all(is_blank(cell) for cell in record):
                    skipped += 1  # leading blank lines, as a workbook's empty area is skipped
                    continue
                if len(record) > limits.max_columns:
                    raise _CsvRefused(
                        f"có dòng {reader.line_num} gồm {group_thousands(len(record))} ô, vượt giới hạn "
                        f"{group_thousands(limits.max_columns)} cột"
                    )
                if len(grid) >= limits.max_rows:
                    raise _CsvRefused(
                        f"có hơn {group_thousands(limits.max_rows)} dòng, vượt giới hạn số dòng"
                    )
                grid.append(list(record))
    finally:
        csv.field_size_limit(previous)
    return grid, skipped


def _records(reader: Iterator[list[str]], limits: ReadLimits) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            line = getattr(reader, "line_num", 0)
            raise _CsvRefused(
                f"có một ô ở dòng {line} dài hơn {group_thousands(limits.max_cell_chars)} ký tự "
                "(giới hạn của một ô Excel)"
            ) from None
        raise


def _shown_delimiter(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else delimiter


# Both ---------------------------------------------------------------------------------------------------------


def _table(grid: list[list[Cell]], *, first_row: int, delimiter: str | None, sheet: str | None) -> Table:
    skipped = 0
    while skipped < len(grid) and all(is_blank(cell) for cell in grid[skipped]):
        skipped += 1  # blank rows above the header (a workbook's cells holding only spaces)
    if skipped == len(grid):
        return Table(headers=(), rows=(), delimiter=delimiter, sheet=sheet)
    first_row += skipped
    headers = [cell_text(cell).strip() for cell in grid[skipped]]
    width = len(headers)
    rows: list[TableRow] = []
    for offset, raw in enumerate(grid[skipped + 1 :], start=1):
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
