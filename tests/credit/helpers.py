"""Writing the bank's spreadsheets for the import tests."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from giamngheo.credit.bank import COLUMNS

HEADER = ["Mã xã", "Mã chương trình", "Từ ngày", "Đến ngày", "Doanh số cho vay", "Số lượt vay", "Số hộ còn dư nợ",
          "Dư nợ", "Nợ quá hạn"]  # fmt: skip


def row(commune: str = "23824", programme: str = "ho_ngheo", start: Any = "01/01/2023", end: Any = "28/12/2023",
        disbursed: Any = 1_000_000, loans: Any = 1, households: Any = 1, outstanding: Any = 1_000_000,
        overdue: Any = 0) -> list[Any]:  # fmt: skip
    return [commune, programme, start, end, disbursed, loans, households, outstanding, overdue]


def write_csv(path: Path, rows: list[list[Any]], header: list[str] | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header or HEADER)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    for values in rows:
        sheet.append(values)
    book.save(path)
    return path
