"""The year-end summary report (`yearend`): built from the records, the same figures in JSON, HTML, DOCX and PDF
(the files' text extracted and compared with the report's sentences), every rate with its numerator and
denominator, the page access-checked with personas, and the command."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from giamngheo.commendations.models import Movement, RecipientType
from giamngheo.commendations.services import CommendationInput, commendation_record
from giamngheo.decisions.reports import RESULTS, build_report
from giamngheo.goals.models import Indicator
from giamngheo.goals.services import target_set
from giamngheo.lib.formatting import percent
from giamngheo.yearend.build import build_summary
from giamngheo.yearend.figures import MONEY, Figure, Summary, format_value, render_plain
from giamngheo.yearend.poverty import FLOWS
from giamngheo.yearend.render import plain_text, summary_document_html, summary_docx, summary_pdf
from tests.decisions.helpers import decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(town: Any) -> Any:
    """The `town` scenario with both years decided, a 2024 target and two 2023 commendations of the district."""
    personas, _households, _first, second, _decided_2022 = town
    units = personas.units
    decide(second, units["town"], date(2023, 12, 20))
    district = units["district"]
    target_set(indicator=Indicator.objects.get(code="poverty_rate_reduction"), area=district, year=2024,
               value=Decimal("5.5"), actor=None, document_title="Kế hoạch giảm nghèo năm 2024")  # fmt: skip
    target_set(
        indicator=Indicator.objects.get(code="rural_jobs"),
        area=district,
        year=2024,
        value=825,
        actor=None,
        document_title="Kế hoạch giảm nghèo năm 2024",
    )
    movement = Movement.objects.get(code="vi-nguoi-ngheo-2021-2025")
    for kind, name in (
        (RecipientType.COLLECTIVE, "Hội Nông dân thị trấn"),
        (RecipientType.HOUSEHOLD, "Hộ A"),
    ):
        commendation_record(
            data=CommendationInput(
                area=district, year=2023, decision_number="15/QĐ-UBND", decision_date=date(2024, 1, 24),
                authority="UBND huyện Kông Chro", recipient_type=kind, recipient_name=name,
                achievement="Thành tích xuất sắc", movement=movement,
            ),
            actor=None,
        )  # fmt: skip
    return personas, district


def test_the_poverty_figures_are_the_official_lists(decided: Any) -> None:
    """The figures are those of the statutory reports of the decided lists (`ket-qua`, `dien-bien-ngheo`) of the
    year and the year before; the transitions add up."""
    _personas, district = decided
    summary = build_summary(district, 2023)
    value = {key: figure.value for key, figure in summary.figures.items()}
    now, before = (
        build_report(RESULTS, district, 2023).total.values,
        build_report(RESULTS, district, 2022).total.values,
    )
    assert (value["poverty.households"], value["poverty.poor"], value["poverty.near_poor"]) == (
        now[1],
        now[3],
        now[5],
    )
    assert value["poverty.poor_rate"] == Decimal(str(now[4])) == percent(now[3], now[1])
    assert (value["poverty.previous.poor"], value["poverty.previous.households"]) == (before[3], before[1])
    assert value["poverty.change.households"] == now[3] - before[3] == 1  # h2 escaped; h3 and h4 became poor
    assert value["poverty.change.reduction_points"] == Decimal(str(before[4])) - Decimal(str(now[4]))
    flows = [value[f"poverty.flows.{k}"] for _n, k in FLOWS]
    assert flows[8] == flows[0] - flows[1] - flows[2] - flows[3] + flows[4] + flows[5] + flows[6] + flows[7]
    assert (flows[0], flows[8]) == (before[3], now[3])
    # Every rate names its numerator and denominator, both in the report.
    rates = [f for f in summary.figures.values() if f.unit == "%"]
    assert rates and all(f.of is not None and set(f.of) <= set(summary.figures) for f in rates)
    assert summary.provisional  # nothing approved yet
    text = plain_text(summary)
    assert (
        f"{now[3]} hộ nghèo, chiếm {format_value(value['poverty.poor_rate'], '%')} % tổng số {now[1]} hộ"
        in text
    )
    assert "tỷ lệ hộ nghèo tăng" in text


def test_targets_and_commendations_come_from_their_records(decided: Any) -> None:
    _personas, district = decided
    summary = build_summary(district, 2023)
    value = {key: figure.value for key, figure in summary.figures.items()}
    assert value["targets.poverty_rate_reduction"] == Decimal("5.5") and value["targets.rural_jobs"] == 825
    assert (value["commendations.collectives"], value["commendations.individuals"]) == (1, 0)
    assert (value["commendations.households"], value["commendations.total"]) == (1, 2)
    text = plain_text(summary)
    assert "Giảm tỷ lệ hộ nghèo" in text or "5,5" in text
    assert "1 tập thể, 0 cá nhân và 1 hộ gia đình" in text
    # An area with no records says so rather than printing zeros as results.
    empty = build_summary(district, 2021)
    assert any("chưa đặt chỉ tiêu" in note for s in empty.sections for note in s.notes)


def _sentences(summary: Summary) -> list[tuple[str, list[Figure], str]]:
    """(text, figures, pattern of the PDF's text: each figure followed by its footnote call, spaces anywhere)."""
    result = []
    for section in summary.sections:
        for paragraph in section.paragraphs:
            for sentence in summary.printable(paragraph):
                pattern = ""
                for text, key in sentence.parts():
                    if key is None:
                        pattern += re.escape(text).replace(r"\ ", r"\s*")
                    else:
                        pattern += re.escape(summary.figures[key].text()) + r"\d+"
                figures = [summary.figures[k] for k in sentence.figure_keys()]
                result.append((render_plain(summary, sentence), figures, pattern))
    return result


def test_the_docx_holds_the_same_text_with_a_note_for_every_figure(decided: Any) -> None:
    from docx import Document

    _personas, district = decided
    summary = build_summary(district, 2023)
    document = Document(io.BytesIO(summary_docx(summary)))
    paragraphs = []
    for paragraph in document.paragraphs:
        # The note numbers are superscript runs: the text without them is the report's.
        paragraphs.append("".join(run.text for run in paragraph.runs if not run.font.superscript))
    body = "\n".join(paragraphs)
    for text, _figures, _pattern in _sentences(summary):
        assert text in body
    notes = body.split("Ghi chú", 1)[1]
    for figure in summary.figures.values():
        if any(figure in figures for _t, figures, _p in _sentences(summary)):
            assert figure.counts in notes
    assert "Báo cáo tổng kết Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2023" in body


def test_the_pdf_renders_vietnamese_with_a_footnote_for_every_figure(decided: Any) -> None:
    from pypdf import PdfReader

    _personas, district = decided
    summary = build_summary(district, 2023)
    data = summary_pdf(summary)
    assert data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    flat = re.sub(r"\s+", " ", text)
    for sentence, _figures, pattern in _sentences(summary):
        # Each figure is followed by its footnote call (a number); spaces may break anywhere in the extraction.
        assert re.search(pattern, flat), sentence
    for figure in summary.figures.values():
        if any(figure in figures for _t, figures, _p in _sentences(summary)):
            assert re.sub(r"\s+", " ", figure.counts) in flat
    assert "Kết quả giảm nghèo" in flat and "Thi đua, khen thưởng" in flat
    assert 'class="footnote"' in summary_document_html(summary)


def test_money_prints_in_millions() -> None:
    assert format_value(82_801_000_000, MONEY) == "82.801"
    assert format_value(1_500_000, MONEY) == "1,5"
    assert format_value(None, MONEY) == "—"


def test_the_page_links_every_figure_and_is_checked_by_area(decided: Any, client: Client) -> None:
    personas, district = decided
    url = reverse("web:yearend")
    client.force_login(personas.province)
    page = client.get(url, {"area": district.pk, "nam": 2023})
    assert page.status_code == 200
    html = page.content.decode()
    summary = build_summary(district, 2023)
    assert f'href="{summary.figures["poverty.poor"].link}"'.replace("&", "&amp;") in html
    docx = client.get(url, {"area": district.pk, "nam": 2023, "dinh_dang": "docx"})
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxmlformats")
    data = client.get(url, {"area": district.pk, "nam": 2023, "dinh_dang": "json"}).json()
    assert data["figures"]["poverty.poor"]["value"] == 3
    # Outside the account's area: the same 404 as a unit that does not exist.
    client.force_login(personas.outsider)
    assert client.get(url, {"area": district.pk, "nam": 2023}).status_code == 404
    assert client.get(url, {"area": 999_999, "nam": 2023}).status_code == 404


def test_the_command_writes_every_format(decided: Any, tmp_path: Path) -> None:
    _personas, district = decided
    out = io.StringIO()
    call_command("report", "summary", area=district.code, year=2023, format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["report"] == "summary" and data["figures"]["poverty.poor"]["value"] == 3
    assert data["figures"]["poverty.poor_rate"] == {
        "value": str(build_summary(district, 2023).figures["poverty.poor_rate"].value), "unit": "%", "counts": "Số hộ nghèo trên tổng số hộ dân cư",
        "link": data["figures"]["poverty.poor_rate"]["link"], "numerator": "poverty.poor",
        "denominator": "poverty.households",
    }  # fmt: skip
    for file_format, magic in (("html", b"<!doctype html>"), ("docx", b"PK"), ("pdf", b"%PDF")):
        target = tmp_path / f"tong-ket.{file_format}"
        call_command(
            "report", "summary", area=district.code, year=2023, format=file_format, output=str(target)
        )
        assert target.read_bytes().startswith(magic), file_format
    html = (tmp_path / "tong-ket.html").read_text(encoding="utf-8")
    assert "/bao-cao/?bao_cao=ket-qua" in html  # the file's figures link to the site's pages
