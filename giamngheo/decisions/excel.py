"""A report as an Excel workbook in the layout of the statutory forms: the issuing body and the national motto,
the title, the area and period, the column titles with their numbers (1, 2, ... as the forms number them, so
that "9 = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8" can be checked on paper), one row per area, the total, the notes and the
signature block ("Người lập biểu", "Thủ trưởng đơn vị").

Values are written as what they are: counts as numbers, rates as numbers with two decimals, a blank rate as an
empty cell (the notes say why); texts go through `lib.spreadsheet_safety.neutralise`. The status line and the
tables are those of the page (`web.reports`): the transitions reports' persons table follows the households' one,
and LibreOffice shows every cell as the page does (tests/decisions/test_excel_libreoffice.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from giamngheo.decisions.reports import Line, Report, approval_note
from giamngheo.lib.spreadsheet_safety import neutralise

WORKBOOK_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


def write_report(target: IO[bytes], report: Report, *, today: date) -> None:
    # A named list (a row per household, tens of thousands for a province) is written row by row.
    workbook = xlsxwriter.Workbook(target, {**WORKBOOK_OPTIONS, "constant_memory": report.kind.per_household})
    sheet = workbook.add_worksheet(report.kind.name[:31])
    bold = workbook.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True})
    title = workbook.add_format({"bold": True, "align": "center", "font_size": 13, "text_wrap": True})
    centred = workbook.add_format({"align": "center", "italic": True})
    header = workbook.add_format(
        {
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "bg_color": "#EEEEEE",
        }
    )
    formats = _Formats(
        header=header,
        number=workbook.add_format({"border": 1, "align": "center", "italic": True}),
        text=workbook.add_format({"border": 1, "text_wrap": True}),
        count=workbook.add_format({"border": 1, "num_format": "#,##0"}),
        rate=workbook.add_format({"border": 1, "num_format": "0.00"}),
        total_text=workbook.add_format({"border": 1, "bold": True, "text_wrap": True}),
        total_count=workbook.add_format({"border": 1, "bold": True, "num_format": "#,##0"}),
        total_rate=workbook.add_format({"border": 1, "bold": True, "num_format": "0.00"}),
    )

    columns = report.columns
    last = len(columns) + 1  # column 0: STT, column 1: the area, then the form's columns
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, last, 13)
    area = report.area
    typed = (
        area.name if area.name.lower().startswith(area.unit_type.lower()) else f"{area.unit_type} {area.name}"
    )
    sheet.merge_range(0, 0, 0, 3, neutralise(f"UBND {typed}".upper()), bold)
    sheet.merge_range(0, 5, 0, last, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold)
    sheet.merge_range(1, 5, 1, last, "Độc lập - Tự do - Hạnh phúc", bold)
    sheet.merge_range(3, 0, 3, last, neutralise(report.kind.title.upper()), title)
    sheet.merge_range(
        4,
        0,
        4,
        last,
        neutralise(f"Địa bàn: {report.to_json()['area_name']} — {report.period_label}"),
        centred,
    )
    sheet.merge_range(5, 0, 5, last, approval_note(report.approved), centred)  # the page's words

    labels = report.row_labels()  # a commune's village lines are named after their village
    row = _write_table(sheet, 7, columns, report.rows, labels, report.total, formats)
    # The transitions reports also count the people of the households, in a second table as on the page.
    people = [
        Line(line.area_code, line.area_name, line.persons) for line in report.rows if line.persons is not None
    ]
    people_labels = [
        label for label, line in zip(labels, report.rows, strict=True) if line.persons is not None
    ]
    if people:
        row += 1
        sheet.merge_range(row, 0, row, last, "Tính theo nhân khẩu", bold)
        total = Line(report.total.area_code, report.total.area_name, report.total.persons or {})
        row = _write_table(sheet, row + 1, columns, people, people_labels, total, formats)
    row += 1
    for note in report.notes:
        sheet.merge_range(row, 0, row, last, neutralise(f"Ghi chú: {note}"))
        row += 1
    row += 1
    sheet.merge_range(row, 5, row, last, f"Ngày {today:%d} tháng {today:%m} năm {today:%Y}", centred)
    row += 1
    sheet.merge_range(row, 0, row, 3, "NGƯỜI LẬP BIỂU", bold)
    sheet.merge_range(row, 5, row, last, "THỦ TRƯỞNG ĐƠN VỊ", bold)
    row += 1
    sheet.merge_range(row, 0, row, 3, "(Ký, ghi rõ họ tên)", centred)
    sheet.merge_range(row, 5, row, last, "(Ký tên, đóng dấu)", centred)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(7, 8)
    workbook.close()


@dataclass(frozen=True)
class _Formats:
    header: Format
    number: Format
    text: Format
    count: Format
    rate: Format
    total_text: Format
    total_count: Format
    total_rate: Format


def _write_table(
    sheet: Worksheet,
    row: int,
    columns: tuple[tuple[int, str], ...],
    lines: list[Line],
    labels: list[str],
    total: Line,
    formats: _Formats,
) -> int:
    """The column titles, their numbers, one row per line and the total from `row`; the row after the total."""
    sheet.set_row(row, 60)
    sheet.write_string(row, 0, "STT", formats.header)
    sheet.write_string(row, 1, "Địa bàn", formats.header)
    for index, (_number, name) in enumerate(columns):
        sheet.write_string(row, 2 + index, neutralise(name), formats.header)
    row += 1
    sheet.write_string(row, 0, "A", formats.number)
    sheet.write_string(row, 1, "B", formats.number)
    for index, (number, _name) in enumerate(columns):
        sheet.write_number(row, 2 + index, number, formats.number)
    row += 1
    numbers = [n for n, _t in columns]
    for position, (line, label) in enumerate(zip(lines, labels, strict=True), start=1):
        sheet.write_number(row, 0, position, formats.text)
        _write_line(sheet, row, line, numbers, formats.text, formats.count, formats.rate, label=label)
        row += 1
    sheet.write_string(row, 0, "", formats.total_text)
    _write_line(
        sheet,
        row,
        total,
        numbers,
        formats.total_text,
        formats.total_count,
        formats.total_rate,
        label="Tổng cộng",
    )
    return row + 1


def _write_line(
    sheet: Worksheet,
    row: int,
    line: Line,
    numbers: list[int],
    text: Format,
    count: Format,
    rate: Format,
    *,
    label: str | None = None,
) -> None:
    sheet.write_string(row, 1, neutralise(label or f"{line.area_name}"), text)
    for index, number in enumerate(numbers):
        value = line.values.get(number)
        if value is None:
            sheet.write_blank(row, 2 + index, None, rate)
        elif isinstance(value, Decimal):
            sheet.write_number(row, 2 + index, float(value), rate)
        elif isinstance(value, str):  # a text of the named lists, written as the text it is
            sheet.write_string(row, 2 + index, neutralise(value), text)
        else:
            sheet.write_number(row, 2 + index, value, count)
