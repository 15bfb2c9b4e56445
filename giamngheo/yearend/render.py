"""The year-end summary written out: JSON (every figure under its stable key), HTML (each number a link to the
records it counts), DOCX (python-docx; each number followed by a note number, the notes at the end saying what it
counts) and PDF (WeasyPrint; each number with a footnote on its page).

The report is an official document of the area's People's Committee: it is written in Vietnamese whatever the
language of the officer's page, like the certificates (`decisions.documents`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from giamngheo.yearend.figures import Chart, Figure, Sentence, Summary, Table, format_value, with_unit

STYLE = Path(__file__).with_name("document.css")
BAR_START, BAR_AREA = 170, 170  # the PDF's bar charts: labels left of BAR_START, bars up to BAR_AREA long


@dataclass(frozen=True)
class Bar:
    label: str
    series: str
    figure: Figure
    width: Decimal  # percent of the widest bar

    @property
    def length(self) -> Decimal:
        """The bar's length in the SVG's units: BAR_AREA for the widest."""
        return (self.width * BAR_AREA / 100).quantize(Decimal("0.1"))

    @property
    def value_x(self) -> Decimal:
        return BAR_START + self.length + 3


def bars(chart: Chart) -> list[Bar]:
    """The chart's bars with their widths, for the PDF's inline SVG (the page draws it with ECharts)."""
    values = [
        f.value for _name, figures in chart.series for f in figures if isinstance(f.value, int | Decimal)
    ]
    top = max((Decimal(v) for v in values), default=Decimal(0))
    result = []
    for index, label in enumerate(chart.labels):
        for name, figures in chart.series:
            figure = figures[index]
            value = Decimal(figure.value) if isinstance(figure.value, int | Decimal) else Decimal(0)
            width = (value * 100 / top).quantize(Decimal("0.1")) if top else Decimal(0)
            result.append(Bar(label=label, series=name, figure=figure, width=width))
    return result


def chart_json(chart: Chart) -> dict[str, Any]:
    """The data the page's ECharts script draws (values in the unit they are printed in)."""

    def number(figure: Figure) -> float | None:
        if figure.value is None:
            return None
        return float(format_value(figure.value, figure.unit).replace(".", "").replace(",", "."))

    return {
        "title": chart.title,
        "labels": list(chart.labels),
        "series": [{"name": name, "data": [number(f) for f in figures]} for name, figures in chart.series],
        "unit": chart.series[0][1][0].unit if chart.series and chart.series[0][1] else "",
    }


# HTML -----------------------------------------------------------------------------------------------------------


def sentence_html(summary: Summary, sentence: Sentence, *, footnotes: bool) -> SafeString:
    """The sentence with each figure a link to what it counts (the page) or followed by a footnote (the PDF)."""
    parts = []
    for text, key in sentence.parts():
        if key is None:
            parts.append(escape(text))
            continue
        figure = summary.figures[key]
        if footnotes:
            parts.append(format_html('{}<span class="footnote">{}</span>', figure.text(), figure.counts))
        elif figure.link:
            parts.append(
                format_html('<a href="{}" title="{}">{}</a>', figure.link, figure.counts, figure.text())
            )
        else:
            parts.append(format_html('<span title="{}">{}</span>', figure.counts, figure.text()))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 — every part is escaped above


def _cell_html(summary: Summary, cell: str | Figure, *, footnotes: bool) -> SafeString:
    if isinstance(cell, str):
        return escape(cell)
    return sentence_html(summary, Sentence("{" + cell.key + "}"), footnotes=footnotes)


def context(summary: Summary, *, footnotes: bool) -> dict[str, Any]:
    sections = []
    for section in summary.sections:
        paragraphs = [
            format_html_join(
                " ", "{}", ((sentence_html(summary, s, footnotes=footnotes),) for s in summary.printable(p))
            )
            for p in section.paragraphs
        ]
        tables = [
            {"title": t.title, "columns": t.columns, "note": t.note,
             "rows": [[_cell_html(summary, c, footnotes=footnotes) for c in row] for row in t.rows]}
            for t in section.tables
        ]  # fmt: skip
        charts = [
            {"chart": c, "bars": (b := bars(c)), "height": 12 * len(b) + 4, "data": chart_json(c)}
            for c in section.charts
        ]
        sections.append({"section": section, "paragraphs": [p for p in paragraphs if p], "tables": tables,
                         "charts": charts})  # fmt: skip
    return {"summary": summary, "sections": sections}


def summary_document_html(summary: Summary) -> str:
    """The standalone document (the PDF's source): footnotes in place of links."""
    return render_to_string("yearend/document.html", context(summary, footnotes=True))


def summary_page_html(summary: Summary) -> str:
    """The standalone document with each figure a link to the site's page listing what it counts (the command's
    HTML; the links are the site's paths)."""
    return render_to_string("yearend/document.html", context(summary, footnotes=False))


def summary_pdf(summary: Summary) -> bytes:
    import weasyprint  # imported here: loading Pango costs time that the other formats do not need

    html = summary_document_html(summary)
    style = weasyprint.CSS(filename=str(STYLE))
    result = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[style])
    assert result is not None
    return bytes(result)


# DOCX -----------------------------------------------------------------------------------------------------------


def summary_docx(summary: Summary) -> bytes:
    """The report as a Word document: each figure followed by a superscript note number; the notes, at the end,
    say what each figure counts (python-docx writes no footnote part, so they are endnotes)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    notes: list[str] = []
    numbers: dict[str, int] = {}

    def note_number(figure: Figure) -> int:
        if figure.key not in numbers:
            notes.append(figure.counts)
            numbers[figure.key] = len(notes)
        return numbers[figure.key]

    def cite(paragraph: Any, figure: Figure) -> None:
        paragraph.add_run(figure.text())
        marker = paragraph.add_run(str(note_number(figure)))
        marker.font.superscript = True

    heading = document.add_paragraph(summary.place_and_date)
    heading.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_heading(summary.title, level=0)
    if summary.provisional:
        document.add_paragraph("Số liệu tạm thời: một phần kết quả chưa được cấp trên phê duyệt.")
    for index, section in enumerate(summary.sections, start=1):
        document.add_heading(f"{index}. {section.title}", level=1)
        for sentences in section.paragraphs:
            printable = summary.printable(sentences)
            if not printable:
                continue
            paragraph = document.add_paragraph()
            for number, sentence in enumerate(printable):
                if number:
                    paragraph.add_run(" ")
                for text, key in sentence.parts():
                    if key is None:
                        paragraph.add_run(text)
                    else:
                        cite(paragraph, summary.figures[key])
        for table in [*section.tables, *(chart_table(c) for c in section.charts)]:
            _docx_table(document, table, cite)
        for note in section.notes:
            document.add_paragraph(note, style="List Bullet")
    document.add_heading("Ghi chú", level=1)
    for number, text in enumerate(notes, start=1):
        document.add_paragraph(f"{number}. {text}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def chart_table(chart: Chart) -> Table:
    """A chart as a table (the DOCX has no chart)."""
    names = tuple(name for name, _figures in chart.series)
    rows: tuple[tuple[str | Figure, ...], ...] = tuple(
        (label, *(figures[index] for _name, figures in chart.series))
        for index, label in enumerate(chart.labels)
    )
    return Table(title=chart.title, columns=("", *names), rows=rows)


def _docx_table(document: Any, table: Table, cite: Any) -> None:
    document.add_paragraph(table.title).runs[0].bold = True
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, title in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = title
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            if isinstance(value, str):
                cell.text = value
            else:
                cite(cell.paragraphs[0], value)
    if table.note:
        document.add_paragraph(table.note)


def plain_text(summary: Summary) -> str:
    """The report's prose as plain text (the tests compare it with what the DOCX and PDF hold)."""
    from giamngheo.yearend.figures import render_plain

    lines = [summary.title]
    for section in summary.sections:
        lines.append(section.title)
        for sentences in section.paragraphs:
            lines.extend(render_plain(summary, s) for s in summary.printable(sentences))
    return "\n".join(lines)


__all__ = ["plain_text", "summary_document_html", "summary_docx", "summary_pdf", "with_unit"]
