"""Write a classified survey (survey-format.md, "Output"); the format follows the output's extension.

Both formats: the rows in input order, every input column with its original header and value, then
phan_loai, so_thieu_hut, chi_so_thieu_hut, chuan_ngheo and loi. An error row has only loi filled.

- Both formats neutralise text that Excel would run as a formula (`giamngheo.lib.spreadsheet_safety`): a header
  or cell `=HYPERLINK(...)` is written `'=HYPERLINK(...)`; numbers, and text that is only a number, are not touched.
- CSV: UTF-8 *with* a byte-order mark, so that Excel shows Vietnamese correctly when the file is double-clicked.
  The delimiter is the input's when the input was CSV (the commune's Excel already opens that), else `,`.
  Cells are written as the spreadsheet showed them (an Excel number 1500000.0 as `1500000`).
- Excel (XlsxWriter): sheet `ho` with the rows — text stays text (never turned into a number, formula or link),
  numbers stay numbers, ma_ho and ma_xa are always text — and sheet `tong_hop` with counts and rates per class,
  overall and per commune, and the number of error rows.

Writing is atomic: the file is written under a temporary name in the output's folder and renamed at the end, so a
failed run leaves no half-written file and an existing output untouched.
"""

from __future__ import annotations

import csv
import io
import math
import os
import secrets
from datetime import date, datetime
from pathlib import Path

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from giamngheo.engine.facts import PovertyClass
from giamngheo.engine.standard import Standard
from giamngheo.lib.spreadsheet_safety import neutralise
from giamngheo.survey import columns as col
from giamngheo.survey.cells import Cell, cell_text
from giamngheo.survey.classify import RowResult
from giamngheo.survey.errors import SurveyFileError
from giamngheo.survey.reader import Survey
from giamngheo.survey.summary import NO_COMMUNE, SurveySummary, Tally

OUTPUT_SUFFIXES = (".xlsx", ".csv")
ROWS_SHEET = "ho"
SUMMARY_SHEET = "tong_hop"
CLASS_HEADERS_VI = {
    PovertyClass.POOR: "Hộ nghèo",
    PovertyClass.NEAR_POOR: "Hộ cận nghèo",
    PovertyClass.MIDDLE: "Hộ có mức sống trung bình",
    PovertyClass.NOT_POOR: "Không nghèo, cận nghèo",
}
TOTAL_LABEL = "Tổng cộng"
NO_COMMUNE_LABEL = "(không có mã xã)"
_WORKBOOK_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


def check_output_path(path: Path) -> None:
    """Fail before any work when the output cannot be what is asked."""
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise SurveyFileError(f"tệp kết quả '{path.name}' phải có đuôi .xlsx hoặc .csv")
    if not path.parent.is_dir():
        raise SurveyFileError(f"không có thư mục '{path.parent}' để ghi tệp kết quả")
    if path.is_dir():
        raise SurveyFileError(f"'{path}' là thư mục, không ghi tệp kết quả vào đó được")


def write_result(
    path: Path, *, survey: Survey, results: tuple[RowResult, ...], summary: SurveySummary, standard: Standard
) -> None:
    check_output_path(path)
    if path.suffix.lower() == ".csv":
        payload = _csv_bytes(survey, results)
    else:
        payload = _xlsx_bytes(survey, results, summary, standard)
    atomic_write(path, payload)


def _result_cells(result: RowResult) -> tuple[str, int | None, str, str, str]:
    return (
        result.poverty_class.value if result.poverty_class is not None else "",
        result.deprivation_count,
        col.COUNTED_SEPARATOR.join(result.counted),
        result.standard_id or "",
        result.error,
    )


def _csv_bytes(survey: Survey, results: tuple[RowResult, ...]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=survey.delimiter or ",")
    writer.writerow([*(neutralise(h) for h in survey.headers), *col.RESULT_COLUMNS])
    for row, result in zip(survey.rows, results, strict=True):
        writer.writerow([*(_csv_text(c) for c in row.cells), *(_csv_text(c) for c in _result_cells(result))])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_text(cell: Cell) -> str:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return cell_text(cell)  # a number stays a number, "-5" included
    return neutralise(cell_text(cell))


def _xlsx_bytes(
    survey: Survey, results: tuple[RowResult, ...], summary: SurveySummary, standard: Standard
) -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook(buffer, {"in_memory": True, **_WORKBOOK_OPTIONS})
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet = workbook.add_worksheet(ROWS_SHEET)
    headers = [*survey.headers, *col.RESULT_COLUMNS]
    for column, header in enumerate(headers):
        sheet.write_string(0, column, neutralise(header), bold)
        sheet.set_column(
            column, column, 60 if header == col.ERROR_COLUMN else max(12, min(len(header) + 2, 40))
        )
    for index, (row, result) in enumerate(zip(survey.rows, results, strict=True), start=1):
        for column, cell in enumerate(row.cells):
            _write_cell(sheet, index, column, cell, column in survey.text_columns, date_format)
        for offset, value in enumerate(_result_cells(result)):
            _write_cell(sheet, index, len(row.cells) + offset, value, False, date_format)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(survey.rows), len(headers) - 1)
    _write_summary(workbook.add_worksheet(SUMMARY_SHEET), summary, standard, workbook)
    workbook.close()
    return buffer.getvalue()


def _write_cell(
    sheet: Worksheet, row: int, column: int, cell: Cell, as_text: bool, date_format: Format
) -> None:
    if cell is None or cell == "":
        return
    if as_text or isinstance(cell, str):
        sheet.write_string(row, column, neutralise(cell_text(cell)))
    elif isinstance(cell, bool):
        sheet.write_boolean(row, column, cell)
    elif isinstance(cell, int | float) and math.isfinite(cell):
        sheet.write_number(row, column, cell)
    elif isinstance(cell, datetime | date):
        sheet.write_datetime(row, column, cell, date_format)
    else:
        sheet.write_string(row, column, neutralise(cell_text(cell)))


def _write_summary(sheet: Worksheet, summary: SurveySummary, standard: Standard, workbook: Workbook) -> None:
    bold = workbook.add_format({"bold": True})
    rate_format = workbook.add_format({"num_format": "0.00"})
    overall = summary.overall
    sheet.write_string(0, 0, "Tổng hợp kết quả phân loại hộ", bold)
    facts: list[tuple[str, str | int]] = [
        ("Chuẩn nghèo", standard.id),
        ("Văn bản", standard.instrument),
        ("Số dòng", overall.rows),
        ("Số dòng đã phân loại", overall.classified),
        ("Số dòng lỗi", overall.errors),
    ]
    for row, (label, value) in enumerate(facts, start=1):
        sheet.write_string(row, 0, label)
        if isinstance(value, int):
            sheet.write_number(row, 1, value)
        else:
            sheet.write_string(row, 1, value)
    header_row = len(facts) + 2
    headers = ["Mã xã", "Số dòng", "Số dòng lỗi", "Số hộ đã phân loại"]
    for label in CLASS_HEADERS_VI.values():
        headers += [f"{label} (số hộ)", f"{label} (%)"]
    for column, header in enumerate(headers):
        sheet.write_string(header_row, column, header, bold)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, len(headers) - 1, 16)
    groups = [(TOTAL_LABEL, overall)] + [
        (code if code != NO_COMMUNE else NO_COMMUNE_LABEL, tally)
        for code, tally in summary.by_commune.items()
    ]
    for row, (label, tally) in enumerate(groups, start=header_row + 1):
        _write_tally(sheet, row, label, tally, rate_format)


def _write_tally(sheet: Worksheet, row: int, label: str, tally: Tally, rate_format: Format) -> None:
    sheet.write_string(row, 0, label)
    for column, number in enumerate((tally.rows, tally.errors, tally.classified), start=1):
        sheet.write_number(row, column, number)
    for index, poverty_class in enumerate(CLASS_HEADERS_VI):
        column = 4 + 2 * index
        sheet.write_number(row, column, tally.counts[poverty_class])
        rate = tally.rate(poverty_class)
        if rate is not None:
            sheet.write_number(row, column + 1, float(rate), rate_format)


def atomic_write(path: Path, payload: bytes, *, label: str = "tệp kết quả") -> None:
    """Write `payload` under a temporary name beside `path`, then rename it; `label` names the file in messages."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with temporary.open("xb") as handle:  # created with the user's usual permissions
            handle.write(payload)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise SurveyFileError(f"không ghi được {label} '{path}': {exc.strerror}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
