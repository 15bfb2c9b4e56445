"""The reports on screen, printed and downloaded (`/bao-cao/`), within each account's area."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.decisions.reports import POOR_TRANSITIONS, RESULTS, build_report
from tests.decisions.helpers import decide, survey
from tests.reviews.helpers import open_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(town: Any) -> Any:
    personas, _households, _first, second, _decided = town
    decide(second, personas.units["town"], date(2023, 12, 20))
    return personas


def page(client: Client, user: Any, **params: Any) -> Any:
    client.force_login(user)
    return client.get(reverse("web:reports"), params)


def test_province_staff_read_the_transitions_of_their_province(client: Client, decided: Any) -> None:
    response = page(client, decided.province, bao_cao="dien-bien-ngheo", nam=2023)
    assert response.status_code == 200
    text = response.content.decode()
    expected = build_report(POOR_TRANSITIONS, decided.units["new_province"], 2023)
    assert "Tổng hợp diễn biến hộ nghèo" in text and "Số liệu tạm thời" in text
    total = "".join(f'<td class="number">{expected.total.values[n]}</td>' for n in range(1, 10))
    assert total in text.replace("\n", "")
    assert "Thị trấn Kông Chro (mã cũ 23824, đến 30/06/2025)" in text


def test_a_commune_officer_reads_its_commune_and_nothing_outside(client: Client, decided: Any) -> None:
    response = page(client, decided.owner, nam=2023)  # the results report by default
    assert response.status_code == 200
    assert "Xã Kông Chro (mã mới 23824)" in response.content.decode()
    outside = page(client, decided.owner, area=decided.units["far_commune"].pk, nam=2023)
    missing = page(client, decided.owner, area=999_999, nam=2023)
    assert outside.status_code == missing.status_code == 404
    unbound = page(client, decided.unbound, nam=2023)
    assert "chưa được gán địa bàn" in unbound.content.decode()


def test_downloads_carry_the_same_figures(client: Client, decided: Any) -> None:
    area = decided.units["district"].pk
    as_json = page(client, decided.province, bao_cao="ket-qua", area=area, nam=2023, dinh_dang="json").json()
    expected = build_report(RESULTS, decided.units["district"], 2023).to_json()
    assert as_json == expected
    excel = page(client, decided.province, bao_cao="ket-qua", area=area, nam=2023, dinh_dang="xlsx")
    assert excel["Content-Disposition"].startswith('attachment; filename="ket-qua-630-2023.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(excel.streaming_content))).active
    total = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Tổng cộng")
    assert list(total[2:5]) == [expected["total"]["values"][n] for n in ("1", "2", "3")]
    printed = page(client, decided.province, bao_cao="ket-qua", area=area, nam=2023, **{"in": "1"})
    assert "NGƯỜI LẬP BIỂU" in printed.content.decode() and 'class="print-page"' in printed.content.decode()


@pytest.mark.calendar(date(2026, 1, 5))  # within 3 years of escaping (29/06/2023)
def test_the_household_page_shows_the_status_history(client: Client, town: Any) -> None:
    personas, (h1, *_others), _first, _second, _decided = town
    june = open_review(
        personas.units["district"], year=2023, kind="regular", reference_date=date(2023, 7, 14)
    )
    survey(june, {h1: "khong_ngheo"}, on=date(2023, 6, 20))
    decide(june, personas.units["town"], date(2023, 6, 29), number="15/QĐ-UBND")
    client.force_login(personas.owner)
    text = client.get(reverse("web:household-detail", args=[h1.pk])).content.decode()
    section = text.split('id="danh-sach"')[1].split("</section>")[0]
    assert "15/QĐ-UBND, 29/06/2023" in section and "01/QĐ-UBND, 20/12/2022" in section
    assert "Hộ mới thoát nghèo, thoát cận nghèo: ra khỏi danh sách từ 29/06/2023" in section
    assert section.index("15/QĐ-UBND") < section.index("01/QĐ-UBND")  # the latest first
