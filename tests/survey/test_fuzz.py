"""Property-based fuzzing of the survey reader and classifier (issue 8): generated malformed workbooks and CSV files
end either in a `SurveyFileError` with a Vietnamese message, or in a result that accounts for every non-blank
data row of the input — classified, or an error row with its message — in order. Never another exception, never
a lost row.

The oracle is what the test generated, not what the reader says: the non-blank rows written after the header,
with their row numbers. Each example goes through the real path (`classify_file`: the isolated reader process,
the classifier, the writer), so the examples are few (a process each) but the path is the one users take.
"""

from __future__ import annotations

import csv
import io
import math
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from giamngheo.engine.standard import get_standard
from giamngheo.survey import SurveyFileError, classify_file
from giamngheo.survey.cells import is_blank
from giamngheo.survey.process import SurveyReport
from tests.survey.conftest import survey_headers
from tests.survey.hostile_files import (
    CONTENT_TYPES,
    ROOT_RELS,
    WORKBOOK,
    WORKBOOK_RELS,
    column_letters,
    write_raw_xlsx,
)

STANDARD = get_standard("ND07-2021")
HEADERS = survey_headers()
FUZZ = settings(
    max_examples=200,  # each example starts the reader process: about 40 s for the whole module
    deadline=None,
    database=None,  # nothing written into the work tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text: any code point but surrogates, with a bias towards the troublesome ones.
NASTY = ["=1+1", '=HYPERLINK("http://x","y")', "+84", "-5", "@SUM(A1)", "\t=1", "\r=1", "\u202eabc", "👍🏽",
         "Nguyễn Văn Á", "\x0b", "\x1f", " ", "", "#DIV/0!", "1.500.000", "1,5", "nong_thon", "x", "có"]  # fmt: skip
nasty_text = st.one_of(st.text(max_size=12), st.sampled_from(NASTY))
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, 1_000_000, 1e308, -1e308, 5e-324]),
)
cell_values = st.one_of(
    nasty_text, numbers, st.booleans(), st.none(), st.dates(min_value=date(1900, 3, 1)), st.datetimes()
)
valid_row_values = st.tuples(
    st.text(alphabet="ABC0123456789-", min_size=1, max_size=6),  # ma_ho
    st.sampled_from(["01234", "1234", 1234.0, "", "x"]),  # ma_xa
    st.sampled_from(["nong_thon", "thành thị", "đô thị", "?"]),  # khu_vuc
    st.one_of(st.integers(min_value=0, max_value=10**7), st.sampled_from(["1.500.000", "nhiều", -5])),
)


@st.composite
def headers(draw: st.DrawFn) -> list[str]:
    """Mostly the real header set, sometimes with columns missing, duplicated, renamed or extra."""
    base = list(HEADERS)
    if draw(st.booleans()):
        mutation = draw(st.sampled_from(["drop", "duplicate", "extra", "shuffle", "garbage"]))
        if mutation == "drop":
            del base[draw(st.integers(0, len(base) - 1))]
        elif mutation == "duplicate":
            base.append(draw(st.sampled_from(HEADERS)).upper())
        elif mutation == "extra":
            base += draw(st.lists(nasty_text, min_size=1, max_size=3))
        elif mutation == "shuffle":
            base = draw(st.permutations(base))
        else:
            base = draw(st.lists(nasty_text, min_size=1, max_size=6))
    if all(is_blank(header) for header in base):
        base.append("ghi_chu")
    return base


@st.composite
def grids(draw: st.DrawFn, values: st.SearchStrategy[Any]) -> tuple[list[Any], list[list[Any]]]:
    header = draw(headers())
    rows: list[list[Any]] = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["valid", "random", "blank"]))
        width = len(header) + draw(st.integers(-2, 2))
        if kind == "blank":
            row: list[Any] = [draw(st.sampled_from(["", None, " "])) for _ in range(max(width, 0))]
        elif kind == "random":
            row = [draw(values) for _ in range(max(width, 0))]
        else:
            row = [*draw(valid_row_values), *(draw(st.sampled_from(["", "x", 1, "có"])) for _ in header[4:])]
        rows.append(row)
    return header, rows


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and is_blank(value))


def classified_or_refused(path: Path, output: Path) -> SurveyReport | None:
    """The file's report, or None when it was refused with a clear message naming the file ("tệp ...")."""
    try:
        return classify_file(path, output, standard=STANDARD)
    except SurveyFileError as exc:
        assert str(exc).strip() and "tệp" in str(exc), str(exc)
        event("refused")
        return None


def check(path: Path, expected_numbers: list[int]) -> None:
    """The property: a clear error, or every expected row accounted for, in order."""
    output = path.with_name("out" + (".csv" if len(expected_numbers) % 2 else ".xlsx"))
    report = classified_or_refused(path, output)
    if report is None:
        return
    event(f"read, {'some' if expected_numbers else 'no'} rows")
    assert [row.number for row in report.survey.rows] == expected_numbers
    assert len(report.results) == len(expected_numbers)
    for row, result in zip(report.survey.rows, report.results, strict=True):
        assert result.classified or result.error.strip(), row
        assert result.classified == row.valid
    assert report.summary.overall.rows == len(expected_numbers)
    assert output.stat().st_size > 0


# Workbooks ----------------------------------------------------------------------------------------------------


def cell_xml(column: int, row: int, value: Any, style: str) -> str:
    ref = f"{column_letters(column)}{row}"
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, datetime | date):
        return f'<c r="{ref}" t="d"><v>{value.isoformat()}</v></c>'
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if style == "formula":
        return f'<c r="{ref}" t="str"><f>"{text}"</f><v>{text}</v></c>'
    if style == "error":
        return f'<c r="{ref}" t="e"><v>#N/A</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


@given(grid=grids(cell_values), styles=st.lists(st.sampled_from(["inline", "formula", "error"]), min_size=1))
@FUZZ
def test_generated_workbooks(grid, styles):
    header, rows = grid
    body: list[str] = []
    expected: list[int] = []
    for number, row in enumerate([header, *rows], start=1):
        cells = "".join(
            cell_xml(column, number, value, styles[(number + column) % len(styles)])
            for column, value in enumerate(row, start=1)
        )
        body.append(f'<row r="{number}">{cells}</row>')
        errors_only = styles[(number + 1) % len(styles)] == "error"
        if number > 1 and any(not blank(value) for value in row) and not errors_only:
            expected.append(number)
    with tempfile.TemporaryDirectory() as folder:
        path = write_raw_xlsx(Path(folder) / "ho.xlsx", body, dimension=f"A1:Z{len(rows) + 1}")
        report = classified_or_refused(path, path.with_name("out.xlsx"))
        if report is None:
            return
        # Error cells and characters XML cannot hold may read as blank: the rows read must still be a subset of
        # the rows written, in order, and every row read must have its result.
        numbers = [row.number for row in report.survey.rows]
        assert set(numbers) <= {n for n in range(2, len(rows) + 2)} and numbers == sorted(numbers)
        assert len(report.results) == len(numbers)
        assert all(result.classified or result.error.strip() for result in report.results)


@given(grid=grids(cell_values))
@FUZZ
def test_generated_workbooks_of_plain_cells_lose_no_row(grid):
    """Inline strings without characters XML forbids, numbers, booleans: every non-blank row must be read."""
    header, rows = grid

    def plain(value: Any) -> Any:
        if isinstance(value, str):
            return "".join(ch for ch in value if ch in "\t\n" or (ch >= " " and ch not in "\ufffe\uffff"))
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        return value

    header = [plain(value) for value in header]
    rows = [[plain(value) for value in row] for row in rows]
    body = [
        f'<row r="{n}">' + "".join(cell_xml(c, n, v, "inline") for c, v in enumerate(row, start=1)) + "</row>"
        for n, row in enumerate([header, *rows], start=1)
    ]
    if all(blank(value) for value in header):
        return
    expected = [n for n, row in enumerate(rows, start=2) if any(not blank(value) for value in row)]
    with tempfile.TemporaryDirectory() as folder:
        check(write_raw_xlsx(Path(folder) / "ho.xlsx", body), expected)


@st.composite
def broken_workbooks(draw: st.DrawFn) -> bytes:
    """A valid small workbook truncated or with a part replaced by random bytes."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES.encode(),
        "_rels/.rels": ROOT_RELS.encode(),
        "xl/workbook.xml": WORKBOOK.encode(),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.encode(),
        "xl/worksheets/sheet1.xml": (
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>ma_ho</t></is></c></row>'
            b'<row r="2"><c r="A2" t="inlineStr"><is><t>H1</t></is></c></row></sheetData></worksheet>'
        ),
    }
    if draw(st.booleans()):
        parts[draw(st.sampled_from(sorted(parts)))] = draw(st.binary(max_size=200))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    data = buffer.getvalue()
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


@given(data=broken_workbooks())
@FUZZ
def test_broken_workbooks_are_refused_clearly(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hong.xlsx"
        path.write_bytes(data)
        report = classified_or_refused(path, path.with_name("out.csv"))
        if report is None:
            return
        assert len(report.results) == len(report.survey.rows)  # a part we did not break was enough


# CSV ----------------------------------------------------------------------------------------------------------


@given(
    grid=grids(nasty_text),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    bom=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16", "cp1258", "latin-1"]),
)
@FUZZ
def test_generated_csv_files(grid, delimiter, quoting, newline, bom, encoding):
    header, rows = grid
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator=newline)
    writer.writerow(header)
    writer.writerows([["" if value is None else value for value in row] for row in rows])
    text = buffer.getvalue()
    try:
        data = (("\ufeff" if bom else "") + text).encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ho.csv"
        path.write_bytes(data)
        report = classified_or_refused(path, path.with_name("out.csv"))
        if report is None:
            return
        # The oracle: the records of the text as written, split by the delimiter the reader settled on (the
        # header decides it; a delimiter the reader does not know leaves one column per line).
        used = report.survey.delimiter
        assert used is not None
        records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=used))
        first = next(i for i, record in enumerate(records) if not all(is_blank(v) for v in record))
        expected = [
            n
            for n, record in enumerate(records[first + 1 :], start=first + 2)
            if not all(is_blank(value) for value in record)
        ]
        line_breaks = any(
            isinstance(v, str) and ("\r" in v or "\n" in v) for row in [header, *rows] for v in row
        )
        if used == delimiter and first == 0 and not line_breaks:  # (csv.writer leaves some breaks unquoted)
            written = [n for n, row in enumerate(rows, start=2) if any(not blank(value) for value in row)]
            assert expected == written, repr(data[-300:])
        assert [row.number for row in report.survey.rows] == expected
        assert len(report.results) == len(expected)
        assert all(result.classified or result.error.strip() for result in report.results)
