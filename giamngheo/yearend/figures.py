"""The building blocks of the year-end summary report: figures that say what they count, prose that cites them,
tables and charts built from them.

Every number in the report is a `Figure`: its value (whole đồng for money, a count, or a rate with the figures it
is computed from), the unit it is read in, what it counts (the footnote of the DOCX and PDF, the title of the
link in HTML) and, where the system has one, the page listing the records behind it. Prose is written as
Vietnamese sentences with `{key}` placeholders naming figures, so that the text is never typed over a number: a
sentence whose figure is missing is left out rather than printed with a blank.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from giamngheo.lib.formatting import group_thousands

MILLION = 1_000_000

# Units: how a value is read and printed.
HOUSEHOLDS = "hộ"
PERSONS = "người"
LOANS = "lượt hộ vay"
HOUSES = "căn"
PERCENT = "%"
POINTS = "điểm phần trăm"
MONEY = "triệu đồng"  # stored in whole đồng, printed in millions as the summaries do
COUNT = ""


@dataclass(frozen=True)
class Figure:
    """One number of the report. `value` is whole đồng for MONEY, an int for counts, a Decimal for rates and
    points; None when the system holds nothing to count (printed as "—" with the reason in `counts`). A rate
    names its numerator and denominator figures (`of`), so that it is never printed without them."""

    key: str
    value: int | Decimal | None
    unit: str
    counts: str  # what the figure counts, in Vietnamese: the footnote
    link: str | None = None  # the page listing what it counts
    of: tuple[str, str] | None = None  # (numerator key, denominator key) of a rate

    def text(self) -> str:
        return format_value(self.value, self.unit)

    def to_json(self) -> dict[str, Any]:
        value: Any = self.value
        if isinstance(value, Decimal):
            value = str(value)
        data: dict[str, Any] = {"value": value, "unit": self.unit, "counts": self.counts}
        if self.link:
            data["link"] = self.link
        if self.of:
            data["numerator"], data["denominator"] = self.of
        return data


def format_value(value: int | Decimal | None, unit: str) -> str:
    """Vietnamese number formatting: 4.336; 33,78; money in millions (82.801, or 82.801,5 when not whole)."""
    if value is None:
        return "—"
    if unit == MONEY:
        millions = (Decimal(value) / MILLION).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP).normalize()
        whole, _, fraction = f"{millions:f}".partition(".")
        return group_thousands(int(whole)) + (f",{fraction}" if fraction else "")
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    return group_thousands(value)


def with_unit(figure: Figure) -> str:
    if figure.value is None or figure.unit in {COUNT, ""}:
        return figure.text()
    if figure.unit == PERCENT:
        return f"{figure.text()} %"
    return f"{figure.text()} {figure.unit}"


@dataclass(frozen=True)
class Sentence:
    """A sentence citing figures by key: `"Toàn huyện có {poverty.poor} hộ nghèo"`. Figures print with their
    number only; the unit is part of the sentence."""

    template: str

    def figure_keys(self) -> list[str]:
        return [name for _text, name, _spec, _conv in string.Formatter().parse(self.template) if name]

    def parts(self) -> list[tuple[str, str | None]]:
        """(literal text, figure key or None) in order."""
        result: list[tuple[str, str | None]] = []
        for text, name, _spec, _conv in string.Formatter().parse(self.template):
            if text:
                result.append((text, None))
            if name:
                result.append(("", name))
        return result


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | Figure, ...], ...]  # a label then figures (or text)
    note: str = ""


@dataclass(frozen=True)
class Chart:
    """A bar chart of figures of one unit (ECharts on the page, inline SVG in the PDF, a table in the DOCX)."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[Figure, ...]], ...]  # (series name, one figure per label)


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[list[Sentence]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the section could not say, and why


@dataclass
class Summary:
    """The whole report: its heading, sections and every figure by key."""

    area_code: str
    area_name: str
    year: int
    title: str
    place_and_date: str
    sections: list[Section]
    figures: dict[str, Figure]
    provisional: bool

    def add(self, figures: Iterable[Figure]) -> None:
        for figure in figures:
            if figure.key in self.figures:
                raise ValueError(f"figure {figure.key} defined twice")
            self.figures[figure.key] = figure

    def printable(self, paragraph: list[Sentence]) -> list[Sentence]:
        """The sentences whose every figure has a value (a sentence about what the system does not hold is left
        out; the section's notes say so)."""
        return [s for s in paragraph if all(self.figures[k].value is not None for k in s.figure_keys())]

    def to_json(self) -> dict[str, Any]:
        return {
            "report": "summary",
            "title": self.title,
            "area_code": self.area_code,
            "area_name": self.area_name,
            "year": self.year,
            "provisional": self.provisional,
            "figures": {key: figure.to_json() for key, figure in sorted(self.figures.items())},
            "sections": [
                {"key": s.key, "title": s.title, "notes": s.notes,
                 "text": [" ".join(render_plain(self, sentence) for sentence in self.printable(p))
                          for p in s.paragraphs]}
                for s in self.sections
            ],
        }  # fmt: skip


def render_plain(summary: Summary, sentence: Sentence) -> str:
    return "".join(text if key is None else summary.figures[key].text() for text, key in sentence.parts())


def check_rates(figures: Mapping[str, Figure]) -> None:
    """Every rate names figures that exist (a rate is never printed without its denominator)."""
    for figure in figures.values():
        if figure.of is not None:
            missing = [key for key in figure.of if key not in figures]
            if missing:
                raise ValueError(f"rate {figure.key} refers to missing figures {missing}")
