"""The Excel reports open in LibreOffice and show what the report page shows (the issue's acceptance
criterion).

Every report of `REPORTS` (read when the tests are collected, so a new one is covered without editing this
file) is downloaded from /bao-cao/ as Excel next to its page, for a scenario of two communes of legacy
district Kông Chro decided at the end of 2022 and of 2023 (deprivations, causes and the heads' ethnicity
recorded), for one of those communes (a line per village) and for a district without households (no rows,
blank rates). Two made-up reports add the thousands separators the scenario is too small to reach. LibreOffice
converts all the workbooks in one headless run, each sheet to CSV "as shown" in a Vietnamese (vi-VN) profile,
so that a count reads "1.234" and a rate "33,78" as they do for a user in Vietnam; each is then compared cell
for cell with the page: the title, the area and period, the status, both header rows (the titles and the
numbers 1, 2, ...), every row's number, area and values, the total, the persons table of the transitions
reports, and the notes.

Without LibreOffice (`soffice`) on PATH the tests are skipped; `make test` installs it.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from giamngheo.decisions.excel import write_report
from giamngheo.decisions.reports import (
    POOR_TRANSITIONS,
    REPORTS,
    RESULTS,
    Line,
    Report,
    Value,
    approval_note,
    period,
)
from giamngheo.registry.models import Ethnicity, Household
from giamngheo.reviews.models import Cause
from giamngheo.reviews.stats import area_label
from giamngheo.web.reports import _table
from tests.conftest import NOW, TODAY
from tests.decisions.helpers import decide, register, survey
from tests.registry.factories import make_ethnicity, make_person
from tests.reviews.helpers import open_review

SOFFICE = shutil.which("soffice")
pytestmark = [
    pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice is not installed (no `soffice` on PATH): `make test` installs it "
        "(apt-get install libreoffice-calc-nogui)",
    ),
    # The tests only compare what the module's fixture built, but the mark is what makes pytest-django create
    # the test database for a run of this file alone.
    pytest.mark.django_db,
]

YEAR = 2023
# Each sheet to its own UTF-8 CSV file (<file>-<sheet>.csv), cells as shown (their number formats applied).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
# The profile's locale: what a user in Vietnam sees ("1.234", "33,78"), as the page writes numbers.
VIETNAMESE_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N">
<prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>vi-VN</value></prop>
</item>
</oor:items>
"""
# The scenario's district (a line per commune), its commune TT Kông Chro (a line per village) and a district
# without households (no lines, blank rates).
AREAS = {"630": "district", "23824": "town", "631": "other_district"}
CASES = [f"{name}@{code}" for name in REPORTS for code in AREAS]
# Made-up reports, and cells each must show as the page does (the scenario never reaches a thousand).
MADE_UP = {
    "lon@ket-qua": ["1.234.567", "4.100.200", "0,50", "100,00", "33,78", "0,00", ""],
    "lon@dien-bien-ngheo": ["12.345", "1.500", "49.380", "100.152"],
}


# --- the page, read back from its HTML ----------------------------------------------------------------------


@dataclass
class Table:
    caption: str = ""
    head: list[list[str]] = field(default_factory=list)
    body: list[list[str]] = field(default_factory=list)
    foot: list[list[str]] = field(default_factory=list)


@dataclass
class Screen:
    tables: list[Table] = field(default_factory=list)
    status: str = ""
    notes: list[str] = field(default_factory=list)


class _PageReader(HTMLParser):
    """The report tables (caption, header rows, body rows, total), the status line and the notes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.screen = Screen()
        self._section = ""
        self._row: list[str] | None = None
        self._text: list[str] | None = None  # the text being collected (a cell, the caption, a note, ...)
        self._target = ""
        self._in_status = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and "report-table" in classes:
            self.screen.tables.append(Table())
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr" and self._section:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._text, self._target = [], "cell"
        elif tag == "caption":
            self._text, self._target = [], "caption"
        elif tag == "li" and self._target == "notes":
            self._text = []
        elif tag == "ul" and "notes" in classes:
            self._target = "notes"
        elif tag == "p" and "muted" in classes and not self.screen.status:
            self._text, self._target, self._in_status = [], "status", True
        elif tag == "a" and self._in_status:
            self._finish_status()

    def handle_endtag(self, tag: str) -> None:
        table = self.screen.tables[-1] if self.screen.tables else None
        if tag in ("td", "th") and self._row is not None and self._text is not None:
            self._row.append(_words("".join(self._text)))
            self._text = None
        elif tag == "tr" and self._row is not None and table is not None:
            {"thead": table.head, "tbody": table.body, "tfoot": table.foot}[self._section].append(self._row)
            self._row = None
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = ""
        elif tag == "caption" and table is not None and self._text is not None:
            table.caption, self._text = _words("".join(self._text)), None
        elif tag == "li" and self._target == "notes" and self._text is not None:
            self.screen.notes.append(_words("".join(self._text)))
            self._text = None
        elif tag == "ul" and self._target == "notes":
            self._target = ""
        elif tag == "p" and self._in_status:
            self._finish_status()

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def _finish_status(self) -> None:
        self.screen.status = _words("".join(self._text or []))
        self._text, self._target, self._in_status = None, "", False


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_page(html: str) -> Screen:
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    return reader.screen


# --- the workbook, as LibreOffice shows it ------------------------------------------------------------------


@dataclass
class Sheet:
    cells: list[list[str]]

    def text(self, row: int) -> str:
        """The text of a row that holds a single merged text (the title, the area and period, the status)."""
        return " ".join(cell for cell in self.cells[row] if cell)

    def tables(self) -> list[tuple[str, list[str], list[str], list[list[str]]]]:
        """(the line above, the titles row, the numbers row, the area rows and the total) of each table: the
        row of "A", "B", 1, 2, ... under the titles, then the rows down to "Tổng cộng"."""
        found = []
        for index, row in enumerate(self.cells):
            if row[:2] == ["A", "B"]:
                width = len([cell for cell in row if cell])
                lines = []
                for line in self.cells[index + 1 :]:
                    lines.append(line[:width])
                    if line[1] == "Tổng cộng":
                        break
                found.append((self.text(index - 2), self.cells[index - 1][:width], row[:width], lines))
        return found

    def notes(self) -> list[str]:
        return [row[0] for row in self.cells if row and row[0].startswith("Ghi chú: ")]


@dataclass
class Case:
    title: str
    screen: Screen
    sheet: Sheet | None = None


def _convert(workbooks: dict[str, Path], folder: Path) -> dict[str, Sheet]:
    """Every workbook converted by one headless LibreOffice run into {case: its report's sheet}."""
    profile = folder / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(VIETNAMESE_PROFILE, encoding="utf-8")
    out = folder / "csv"
    command = [
        str(SOFFICE),
        f"-env:UserInstallation={profile.as_uri()}",  # its own profile: no clash with another run or a user's
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        CSV_FILTER,
        "--outdir",
        str(out),
        *(str(path) for path in workbooks.values()),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    sheets = {}
    for case, path in workbooks.items():
        converted = sorted(out.glob(f"{path.stem}-*.csv"))
        assert converted, (
            f"LibreOffice did not convert {case} ({path.name}; exit {done.returncode}):\n{done.stdout}\n{done.stderr}"
        )
        assert len(converted) == 1, f"{case}: one sheet expected, found {[p.name for p in converted]}"
        with converted[0].open(encoding="utf-8", newline="") as handle:
            sheets[case] = Sheet([[cell.strip() for cell in row] for row in csv.reader(handle)])
    return sheets


# --- the scenario -------------------------------------------------------------------------------------------


def _scenario() -> Any:
    """Nine households of legacy communes TT Kông Chro and Yang Trung through the 2022 and 2023 reviews, both
    communes decided each year; heads of several ethnicities (or none recorded), households of one to five
    people, two children, causes of poverty and target groups recorded for some. Plus the personas' households
    (resident, never listed)."""
    from tests.personas import make_personas

    personas = make_personas()
    units = personas.units
    town, yang_trung = units["town"], units["yang_trung"]
    a, b, c, d, e = register(town, 5)
    p, q, r, s = register(yang_trung, 4)
    ba_na, kinh = make_ethnicity("Ba Na"), make_ethnicity("Kinh", code="01")
    heads = ((a, ba_na, 3), (c, kinh, 2), (d, None, 1), (p, ba_na, 1), (q, ba_na, 4), (s, kinh, 2))
    for household, ethnicity, size in heads:
        make_person(household, relationship="head", ethnicity=ethnicity)
        for _ in range(size - 1):
            make_person(household)
    for household in (a, q):  # a child out of school and without health insurance
        make_person(household, birth_date=date(2014, 5, 1), has_health_insurance=False, in_education=False)
    Ethnicity.objects.filter(pk=ba_na.pk).update(is_local_indigenous=True)
    Household.objects.filter(pk=a.pk).update(no_working_capacity=True)
    Household.objects.filter(pk__in=[c.pk, q.pk]).update(has_meritorious_member=True)
    first = open_review(units["district"], year=2022, reference_date=date(2022, 12, 14))
    survey(
        first,
        {
            a: "ngheo",
            b: "ngheo",
            c: "can_ngheo",
            d: "khong_ngheo",
            e: "muc_song_trung_binh",
            p: "ngheo",
            q: "can_ngheo",
            r: "can_ngheo",
            s: "khong_ngheo",
        },
        causes={a: [Cause.NO_LAND, Cause.NO_CAPITAL], p: [Cause.ILLNESS]},
    )
    decide(first, town, date(2022, 12, 20))
    decide(first, yang_trung, date(2022, 12, 21), number="02/QĐ-UBND")
    second = open_review(units["district"], year=2023, reference_date=date(2023, 12, 14))
    survey(
        second,
        {
            a: "ngheo",
            b: "can_ngheo",
            c: "ngheo",
            d: "ngheo",
            e: "khong_ngheo",
            p: "khong_ngheo",
            q: "ngheo",
            r: "can_ngheo",
            s: "can_ngheo",
        },
        causes={a: [Cause.NO_LAND], c: [Cause.NO_LABOUR, Cause.ILLNESS], q: [Cause.OTHER]},
    )
    decide(second, town, date(2023, 12, 20))
    decide(second, yang_trung, date(2023, 12, 21), number="02/QĐ-UBND")
    return personas


def _made_up(kind: str, units: dict[str, Any]) -> Report:
    """A report with figures in the thousands, a rate below one, a hundred per cent and a blank rate."""
    area = units["district"]
    start, end, label = period(YEAR)
    lines = [("23824", area_label(units["town"])), ("23845", area_label(units["yang_trung"]))]
    if kind == "ket-qua":
        values: list[dict[int, Any]] = [
            {1: 1_234_567, 2: 4_100_200, 3: 6_172, 4: Decimal("0.50"), 5: 1_234_567, 6: Decimal("100.00"),
             7: 0, 8: Decimal("0.00"), 9: 21_000, 10: Decimal("0.51"), 11: 9, 12: Decimal("33.78"), 13: 0,
             14: Decimal("0.00")},
            {**dict.fromkeys(range(1, 15), 0), **dict.fromkeys((4, 6, 8, 10, 12, 14))},
        ]  # fmt: skip
        rows = [Line(code, name, v) for (code, name), v in zip(lines, values, strict=True)]
        return Report(RESULTS, area, start, end, label, rows, Line(area.code, area_label(area), values[0]),
                      [approval_note(False)])  # fmt: skip
    figures = [12_345, 1_000, 45, 300, 10, 2, 1_500, 7, 12_519]
    households: dict[int, Value] = {n: v for n, v in enumerate(figures, start=1)}
    persons: dict[int, Value] = {n: 4 * v for n, v in enumerate(figures, start=1)}
    rows = [Line(code, name, households, persons) for code, name in lines]
    total = Line(area.code, area_label(area), {n: 2 * v for n, v in enumerate(figures, start=1)},
                 {n: 8 * v for n, v in enumerate(figures, start=1)})  # fmt: skip
    return Report(
        POOR_TRANSITIONS, area, start, end, label, rows, total, [approval_note(True)], approved=True
    )


def _made_up_screen(report: Report) -> str:
    """What the page shows of `report`: its tables rendered by the page's own template and `_table`."""
    table = _table(report, RequestFactory().get("/bao-cao/"))
    context = {"report": report, "table": table, "unit_label": area_label(report.area)}
    tables = [(table["rows"], table["total"], "hộ")]
    if table["persons"][0]:
        tables.append((table["persons"][0], table["persons"][1], "nhân khẩu"))
    html = "".join(
        render_to_string("web/_report_table.html", {**context, "rows": rows, "total": total, "basis": basis})
        for rows, total, basis in tables
    )
    status = approval_note(report.approved)
    notes = "".join(f"<li>{note}</li>" for note in report.notes)
    return f'<p class="muted">{status}<a href="#">x</a></p>{html}<ul class="notes">{notes}</ul>'


@pytest.fixture(scope="module")
def cases(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Case]]:
    """{case: the page and the workbook LibreOffice made of its download}, for every report and area, built
    once in a transaction rolled back at the end; one LibreOffice run converts them all."""
    folder = tmp_path_factory.mktemp("excel-libreoffice")
    found: dict[str, Case] = {}
    workbooks: dict[str, Path] = {}
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=True), fast, transaction.atomic():
        translation.activate(settings.LANGUAGE_CODE)
        personas = _scenario()
        client = Client()
        client.force_login(personas.admin)
        for case in CASES:
            name, code = case.split("@")
            params = {"bao_cao": name, "area": personas.units[AREAS[code]].pk, "nam": YEAR}
            page = client.get(reverse("web:reports"), params)
            assert page.status_code == 200, case
            download = client.get(reverse("web:reports"), {**params, "dinh_dang": "xlsx"})
            assert download.status_code == 200, case
            workbooks[case] = folder / f"case{len(workbooks):03d}.xlsx"
            workbooks[case].write_bytes(download.getvalue())
            found[case] = Case(REPORTS[name].title, read_page(page.content.decode()))
        for case in MADE_UP:
            report = _made_up(case.split("@")[1], personas.units)
            workbooks[case] = folder / f"case{len(workbooks):03d}.xlsx"
            with workbooks[case].open("wb") as target:
                write_report(target, report, today=TODAY)
            found[case] = Case(report.kind.title, read_page(_made_up_screen(report)))
        translation.activate(settings.LANGUAGE_CODE)
        transaction.set_rollback(True)
    for case, sheet in _convert(workbooks, folder).items():
        found[case].sheet = sheet
    yield found


# --- the comparison -----------------------------------------------------------------------------------------


def _compare(case: Case) -> None:
    screen, sheet = case.screen, case.sheet
    assert sheet is not None and screen.tables, "the page shows a report table"
    caption = re.fullmatch(r"(?P<title>.+) — (?P<area>.+) — (?P<period>.+) \((?P<basis>[^()]+)\)",
                           screen.tables[0].caption)  # fmt: skip
    assert caption is not None, screen.tables[0].caption
    assert caption["title"] == case.title
    assert sheet.text(3) == caption["title"].upper()  # the form's title, in capitals as the forms print it
    assert sheet.text(4) == f"Địa bàn: {caption['area']} — {caption['period']}"
    assert sheet.text(5) == screen.status
    tables = sheet.tables()
    assert len(tables) == len(screen.tables), "the workbook has the page's tables (households, and persons)"
    for position, ((above, titles, numbers, lines), table) in enumerate(
        zip(tables, screen.tables, strict=True)
    ):
        basis = re.fullmatch(r".+ \((?P<basis>[^()]+)\)", table.caption)
        assert basis is not None, table.caption
        # The households first, under the form's own heading; the persons under a line of their own.
        assert (above, basis["basis"]) == (
            ("", "hộ") if position == 0 else ("Tính theo nhân khẩu", "nhân khẩu")
        )
        assert titles == table.head[0]
        assert numbers == table.head[1]
        assert numbers[2:] == [str(n) for n in range(1, len(numbers) - 1)]  # the forms' numbering
        # A page without areas says so in a row of its own (one cell across the table); the workbook has none.
        shown = [row for row in table.body if len(row) == len(titles)]
        assert lines == [*shown, *table.foot]
    assert sheet.notes() == [f"Ghi chú: {note}" for note in screen.notes]


@pytest.mark.parametrize("case", CASES)
def test_the_excel_report_shows_in_libreoffice_what_the_page_shows(cases: dict[str, Case], case: str) -> None:
    _compare(cases[case])


@pytest.mark.parametrize("case", MADE_UP)
def test_large_figures_and_rates_read_the_same_in_libreoffice(cases: dict[str, Case], case: str) -> None:
    _compare(cases[case])
    sheet = cases[case].sheet
    assert sheet is not None
    shown = {
        cell for _above, _titles, _numbers, lines in sheet.tables() for line in lines for cell in line[2:]
    }
    assert set(MADE_UP[case]) <= shown


CORE = ["ket-qua", "dien-bien-ngheo", "dien-bien-can-ngheo", "thieu-hut-ngheo", "ty-le-thieu-hut-can-ngheo",
        "dan-toc", "nguyen-nhan-ngheo"]  # fmt: skip


def test_the_scenario_is_not_trivial(cases: dict[str, Case]) -> None:
    """The main reports have figures on rows of both communes, and households joined and left the lists."""
    for name in [name for name in CORE if name in REPORTS]:
        table = cases[f"{name}@630"].screen.tables[0]
        assert len(table.body) >= 2, name
        assert any(cell not in ("", "0") for cell in table.foot[0][2:]), name
    transitions = cases["dien-bien-ngheo@630"].screen.tables[0].foot[0]
    assert transitions[3:10] != ["0"] * 7  # some households left or joined the poor list
    assert any(cell == "" for cell in cases["ket-qua@631"].screen.tables[0].foot[0])  # blank rates
