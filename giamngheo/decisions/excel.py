"""A report as an Excel workbook in the layout of the statutory forms: the issuing body and the national motto,
the title, the area and period, the column titles with their numbers (1, 2, ... as the forms number them, so
that "9 = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8" can be checked on paper), one row per area, the total, the notes and the
signature block ("Người lập biểu", "Thủ trưởng đơn vị").

Values are written as what they are: counts as numbers, rates as numbers with two decimals, a blank rate as an
empty cell (the notes say why); texts go through `lib.spreadsheet_safety.neutralise`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import IO

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from giamngheo.decisions.reports import Line, Report
from giamngheo.lib.spreadsheet_safety import neutralise

WORKBOOK_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


def write_report(target: IO[bytes], report: Report, *, today: date) -> None:
    workbook = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
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
    number_cell = workbook.add_format({"border": 1, "align": "center", "italic": True})
    text = workbook.add_format({"border": 1, "text_wrap": True})
    count = workbook.add_format({"border": 1, "num_format": "#,##0"})
    rate = workbook.add_format({"border": 1, "num_format": "0.00"})
    total_text = workbook.add_format({"border": 1, "bold": True, "text_wrap": True})
    total_count = workbook.add_format({"border": 1, "bold": True, "num_format": "#,##0"})
    total_rate = workbook.add_format({"border": 1, "bold": True, "num_format": "0.00"})

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
    status = "Số liệu đã phê duyệt" if report.approved else "Số liệu tạm thời (chưa phê duyệt)"
    sheet.merge_range(5, 0, 5, last, status, centred)

    row = 7
    sheet.set_row(row, 60)
    sheet.write_string(row, 0, "STT", header)
    sheet.write_string(row, 1, "Địa bàn", header)
    for index, (_number, name) in enumerate(columns):
        sheet.write_string(row, 2 + index, neutralise(name), header)
    row += 1
    sheet.write_string(row, 0, "A", number_cell)
    sheet.write_string(row, 1, "B", number_cell)
    for index, (number, _name) in enumerate(columns):
        sheet.write_number(row, 2 + index, number, number_cell)
    row += 1
    for position, line in enumerate(report.rows, start=1):
        sheet.write_number(row, 0, position, text)
        _write_line(sheet, row, line, [n for n, _t in columns], text, count, rate)
        row += 1
    sheet.write_string(row, 0, "", total_text)
    _write_line(
        sheet,
        row,
        report.total,
        [n for n, _t in columns],
        total_text,
        total_count,
        total_rate,
        label="Tổng cộng",
    )
    row += 2
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
        else:
            sheet.write_number(row, 2 + index, value, count)
