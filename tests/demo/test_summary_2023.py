"""Issue 10's acceptance: the demo's 2023 year-end summary of Kông Chro, written from the generated records (never
typed into a template), shows the seed article's figures in every format: 4,336 poor households, 33.78 %, −5.91
points; 82,801 million đồng = 54,532 investment + 28,269 recurrent; 99,186 million đồng lent in 2,486 household
loans; 190,434 million đồng outstanding; 12 houses; the 2024 targets; 19 collectives, 14 individuals and 12
households commended."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from giamngheo.areas.models import AdminUnit, UnitLevel
from giamngheo.demo import targets
from giamngheo.programme.selectors import funds_summary

pytestmark = pytest.mark.django_db

MILLION = 1_000_000
# (figure key, value in the JSON, how it prints)
SEED = (
    ("poverty.poor", 4_336, "4.336"),
    ("poverty.poor_rate", "33.78", "33,78"),
    ("poverty.change.reduction_points", "5.91", "5,91"),
    ("poverty.change.decrease_households", 697, "697"),
    ("funds.allocated", 82_801 * MILLION, "82.801"),
    ("funds.capital.investment", 54_532 * MILLION, "54.532"),
    ("funds.capital.recurrent", 28_269 * MILLION, "28.269"),
    ("credit.disbursed", 99_186 * MILLION, "99.186"),
    ("credit.loans", 2_486, "2.486"),
    ("credit.outstanding", 190_434 * MILLION, "190.434"),
    ("support.houses", 12, "12"),
    ("targets.poverty_rate_reduction", "5.5", "5,5"),
    ("targets.rural_jobs", 825, "825"),
    ("targets.trained_labour_rate", 49, "49"),
    ("targets.loans_eligible_poor", 100, "100"),
    ("targets.training_support_poor", 100, "100"),
    ("commendations.collectives", 19, "19"),
    ("commendations.individuals", 14, "14"),
    ("commendations.households", 12, "12"),
)


def summary_json() -> dict:
    out = io.StringIO()
    call_command("report", "summary", area=targets.DISTRICT_CODE, year=2023, format="json", stdout=out)
    return json.loads(out.getvalue())


def test_the_2023_summary_shows_the_seed_articles_figures() -> None:
    data = summary_json()
    figures = data["figures"]
    for key, value, _printed in SEED:
        assert figures[key]["value"] == value, key
    assert not data["provisional"]  # the past rounds are approved
    rate = figures["poverty.poor_rate"]
    assert (rate["numerator"], rate["denominator"]) == ("poverty.poor", "poverty.households")
    assert figures["poverty.households"]["value"] == targets.REVIEW_2023.households
    text = " ".join(" ".join(section["text"]) for section in data["sections"])
    for sentence in (
        "toàn địa bàn có 4.336 hộ nghèo, chiếm 33,78 %",
        "tỷ lệ hộ nghèo giảm 5,91 điểm phần trăm; số hộ nghèo giảm 697 hộ",
        "được phân bổ 82.801 triệu đồng",
        "vốn đầu tư phát triển 54.532 triệu đồng và vốn sự nghiệp 28.269 triệu đồng",
        "99.186 triệu đồng với 2.486 lượt hộ vay",
        "Tổng dư nợ là 190.434 triệu đồng",
        "xây mới và sửa chữa 12 căn nhà cho hộ nghèo",
        "19 tập thể, 14 cá nhân và 12 hộ gia đình",
    ):
        assert sentence in text, sentence


def test_the_money_reconciles_and_is_the_records_not_the_targets() -> None:
    district = AdminUnit.objects.get(code=targets.DISTRICT_CODE, level=UnitLevel.DISTRICT)
    funds = funds_summary(district, 2023)
    allocated = funds.allocated
    for split in (allocated.by_project, allocated.by_capital_type, allocated.by_source, allocated.by_area):
        assert sum(line.amount for line in split) == allocated.total == targets.FUNDS_2023_TOTAL * MILLION
    # The disbursement rate is printed with its denominator, and it is what the records give.
    rate = funds.disbursement_rate
    assert rate.denominator == allocated.total and 0 < rate.numerator < rate.denominator
    data = summary_json()["figures"]
    assert data["funds.disbursed"]["value"] == rate.numerator
    assert Decimal(data["funds.disbursement_rate"]["value"]) == rate.percent


@pytest.mark.parametrize("file_format", ["html", "docx", "pdf"])
def test_every_format_shows_the_seed_figures(file_format: str, tmp_path: Path) -> None:
    target = tmp_path / f"tong-ket-2023.{file_format}"
    call_command(
        "report", "summary", area=targets.DISTRICT_CODE, year=2023, format=file_format, output=str(target)
    )
    if file_format == "html":
        text = target.read_text(encoding="utf-8")
    elif file_format == "docx":
        from docx import Document

        document = Document(str(target))
        parts = [p.text for p in document.paragraphs]
        parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        text = "\n".join(parts)
    else:
        from pypdf import PdfReader

        text = " ".join(page.extract_text() for page in PdfReader(str(target)).pages)
    flat = re.sub(r"\s+", " ", text)
    for key, _value, printed in SEED:
        # In the DOCX and the PDF a figure is followed by its note number.
        assert re.search(re.escape(printed) + r"\d*(?!\d)", flat), (file_format, key)
    assert "Kông Chro" in flat


def test_the_year_before_has_its_records_too() -> None:
    """2022's programme money and lending (documented demo choices) are records the 2022 summary sums."""
    from giamngheo.credit.selectors import credit_summary

    money = targets.MONEY_2022
    district = AdminUnit.objects.get(code=targets.DISTRICT_CODE, level=UnitLevel.DISTRICT)
    allocated = funds_summary(district, 2022).allocated
    assert allocated.total == (sum(money.investment.values()) + sum(money.recurrent.values())) * MILLION
    credit = credit_summary(district, 2022)
    assert (credit.total.disbursed, credit.total.loans) == (
        money.credit_disbursed * MILLION,
        money.credit_loans,
    )
    assert credit.total.outstanding == money.credit_outstanding * MILLION
