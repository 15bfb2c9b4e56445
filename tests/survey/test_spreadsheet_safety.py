"""Formula-like text is neutralised in every CSV and Excel output (OWASP's CSV-injection rule); numbers stay
numbers."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from giamngheo.lib.spreadsheet_safety import neutralise
from giamngheo.survey import classify_file
from tests.survey.conftest import household, survey_headers, write_csv
from tests.survey.hostile_files import rows_xml, write_raw_xlsx

HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("- ghi chú", "'- ghi chú"),
        ("-", "'-"),
        ("-5", "-5"),  # text that is only a number: Excel reads a number, never a formula
        ("+84", "+84"),
        ("-1.500.000", "-1.500.000"),
        ("-2,5", "-2,5"),
        ("Nguyễn Văn A", "Nguyễn Văn A"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_the_rule(text, written):
    assert neutralise(text) == written


def rows_with_hostile_text() -> tuple[list[str], list[list]]:
    headers = [*survey_headers(), "ghi_chu", "=cot"]
    rows = [
        [*household("H1"), HYPERLINK, "@x"],
        [*household("H2", income=1_000_000.0), "-5", -7.5],
    ]
    return headers, rows


def _numbered(grid: list[list]) -> list[tuple[int, list[tuple[int, object]]]]:
    return [
        (r, [(c, v) for c, v in enumerate(row, start=1) if v != ""]) for r, row in enumerate(grid, start=1)
    ]


def test_csv_output_quotes_formula_text_and_keeps_numbers(tmp_path, nd07):
    headers, rows = rows_with_hostile_text()
    source = write_csv(tmp_path / "in.csv", headers, rows)
    classify_file(source, tmp_path / "out.csv", standard=nd07)
    grid = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_bytes().decode("utf-8-sig"), newline="")))
    assert grid[0][len(survey_headers()) : len(survey_headers()) + 2] == ["ghi_chu", "'=cot"]
    first, second = (dict(zip(grid[0], row, strict=True)) for row in grid[1:])
    assert first["ghi_chu"] == "'" + HYPERLINK and first["'=cot"] == "'@x"
    assert second["ghi_chu"] == "-5" and second["'=cot"] == "-7.5"
    assert first["phan_loai"] and second["phan_loai"]


def test_xlsx_output_writes_formula_text_as_quoted_strings_and_numbers_as_numbers(tmp_path, nd07):
    headers, rows = rows_with_hostile_text()
    # Written by hand: openpyxl would store "=cot" as a formula; here every text is an inline string.
    source = write_raw_xlsx(tmp_path / "in.xlsx", rows_xml(_numbered([headers, *rows])))
    classify_file(source, tmp_path / "out.xlsx", standard=nd07)
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx")["ho"]
    header = [cell.value for cell in sheet[1]]
    assert "'=cot" in header
    note, other = header.index("ghi_chu") + 1, header.index("'=cot") + 1
    hostile = sheet.cell(row=2, column=note)
    assert hostile.data_type == "s" and hostile.value == "'" + HYPERLINK
    assert sheet.cell(row=2, column=other).value == "'@x"
    assert sheet.cell(row=3, column=note).value == "-5"  # text in the input stays text
    number = sheet.cell(row=3, column=other)
    assert number.data_type == "n" and number.value == -7.5
    formulas = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []


def test_csv_input_to_xlsx_output_keeps_text_as_text(tmp_path, nd07):
    headers, rows = rows_with_hostile_text()
    source = write_csv(tmp_path / "in.csv", headers, rows)
    classify_file(source, tmp_path / "out.xlsx", standard=nd07)
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx")["ho"]
    values = [cell.value for cell in sheet[2]]
    assert "'" + HYPERLINK in values and "'@x" in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
