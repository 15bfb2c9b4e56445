"""The household list printed (no menu or filters, every row) and exported to Excel as filtered, within the
account's area; hostile text stays text; query parameters that are not plain digits are ignored."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.registry import services as registry
from giamngheo.registry.bulk import HouseholdRow, MemberRow
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(personas: Any) -> Client:
    """The Kông Chro officer, with 60 more households in new Kông Chro (more than a page of the list)."""
    rows = [
        HouseholdRow(
            code=f"P-{n:03d}", commune=personas.units["new_commune"], area_type="nong_thon",
            registered_on=date(2025, 8, 1),
            members=[MemberRow(full_name="=HYPERLINK(\"http://x\")" if n == 7 else f"Người In {n}", sex="nam",
                               relationship="head", start_date=date(2025, 8, 1))],
        )
        for n in range(60)
    ]  # fmt: skip
    registry.households_bulk_register(rows, actor=None)
    client = Client()
    assert client.login(username="xa.kongchro", password=PASSWORD)
    return client


def test_the_printed_list_has_every_row_and_no_menu_or_filters(officer: Client) -> None:
    page = officer.get(reverse("web:household-print"), {"q": "nguoi in"}).content.decode()
    assert page.count("<tr><td>") == 59  # all matches, past the 50 of a screen page
    assert "<nav" not in page and 'name="q"' not in page and 'name="xa"' not in page
    assert "Tìm: «nguoi in»" in page and "H-SRO" not in page
    everything = officer.get(reverse("web:household-print")).content.decode()
    assert everything.count("<tr><td>") == 61 and "H-KONGCHRO" in everything  # the legacy-registered one too
    listing = officer.get(reverse("web:household-list"), {"q": "nguoi in"}).content.decode()
    assert reverse("web:household-print") + "?q=nguoi+in" in listing


def test_the_export_is_the_filtered_list_and_text_stays_text(officer: Client) -> None:
    response = officer.get(reverse("web:household-export"), {"q": "P-0"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header = [cell.value for cell in sheet[5]]
    assert header[:3] == ["STT", "Mã hộ", "Chủ hộ"]
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    assert [row[1] for row in rows] == [f"P-{n:03d}" for n in range(60)]
    hostile = sheet.cell(row=6 + 7, column=3)
    # Not a formula, and quoted so that it stays text when the cell is edited (OWASP's CSV-injection rule).
    assert hostile.value == '\'=HYPERLINK("http://x")' and hostile.data_type == "s"
    assert "Xã Kông Chro (mã mới 23824)" in rows[0][4]
    assert "Tìm: «P-0»" in sheet["A2"].value


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("web:household-list", {"trang": "²"}),
        ("web:household-list", {"xa": "١٢", "thon": "²", "trang": "1e3"}),
        ("web:household-print", {"xa": "²"}),
        ("web:dashboard", {"area": "²", "nam": "٢٠٢٣"}),
        ("jobs:list", {"trang": "²"}),
    ],
)
def test_numbers_that_are_not_plain_digits_are_ignored(
    officer: Client, name: str, params: dict[str, str]
) -> None:
    response = officer.get(reverse(name), params)
    assert response.status_code in {200, 404}, response.status_code  # never a server error
    if name != "web:dashboard":
        assert response.status_code == 200
