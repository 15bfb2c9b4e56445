"""Builders for survey files (CSV as plain text, .xlsx with openpyxl) and readers for result files."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from giamngheo.engine.standard import Standard, get_standard

GIAMNGHEO = Path(sys.executable).parent / "giamngheo"
RESULT_COLUMNS = ["phan_loai", "so_thieu_hut", "chi_so_thieu_hut", "chuan_ngheo", "loi"]
BASE_HEADERS = ["ma_ho", "ma_xa", "khu_vuc", "thu_nhap_binh_quan", "ho_nong_lam_ngu_diem_nghiep"]


def indicator_headers(standard_id: str) -> list[str]:
    return list(get_standard(standard_id).indicator_codes)


def survey_headers(standard_id: str = "ND07-2021") -> list[str]:
    return BASE_HEADERS + indicator_headers(standard_id)


def household(
    code: str,
    *,
    income: Any = "1000000",
    area: Any = "nong_thon",
    commune: Any = "01234",
    agri: Any = "",
    deprived: Sequence[str] = (),
    standard_id: str = "ND07-2021",
) -> list[Any]:
    """A row matching `survey_headers(standard_id)`; `deprived` lists indicator codes flagged 'x'."""
    flags = ["x" if indicator in deprived else "" for indicator in indicator_headers(standard_id)]
    return [code, commune, area, income, agri, *flags]


def write_csv(
    path: Path,
    headers: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path


def write_xlsx(
    path: Path,
    headers: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    *,
    sheet: str = "Sheet1",
    sheets_before: Sequence[tuple[str, list[list[Any]]]] = (),
) -> Path:
    """A workbook whose sheet `sheet` holds the survey; `sheets_before` come first (name, rows)."""
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for name, content in sheets_before:
        other = workbook.create_sheet(name)
        for line in content:
            other.append(line)
    target = workbook.create_sheet(sheet)
    target.append(list(headers))
    for row in rows:
        target.append([None if value == "" else value for value in row])
    workbook.save(path)
    return path


@dataclass
class Output:
    headers: list[str]
    rows: list[list[Any]]

    def column(self, name: str) -> list[Any]:
        index = self.headers.index(name)
        return [row[index] for row in self.rows]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.headers, row, strict=True)) for row in self.rows]


def read_output(path: Path) -> Output:
    """The `ho` rows of a result file: text cells as text; .xlsx cells as openpyxl gives them."""
    if path.suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        delimiter = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t").delimiter
        grid = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        return Output(headers=grid[0], rows=grid[1:])
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["ho"]
    grid = [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]
    return Output(headers=[str(h) for h in grid[0]], rows=grid[1:])


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [str(GIAMNGHEO), *map(str, args)], capture_output=True, text=True, env=env, timeout=120, check=False
    )


@pytest.fixture
def nd07() -> Standard:
    return get_standard("ND07-2021")


@pytest.fixture
def qd59() -> Standard:
    return get_standard("QD59-2015")


@pytest.fixture
def nd351() -> Standard:
    return get_standard("ND351-2025")
