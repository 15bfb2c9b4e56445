"""A commune officer's day on a phone (360×740): register a household in today's commune and place it in a village,
open the commune's regular round and record its assessment after the confirmation, find it in the list, print
the list (no menu, no filters, every row) and correct a result of a closed round. No page scrolls sideways."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from giamngheo.registry import services as registry
from giamngheo.registry.bulk import HouseholdRow, MemberRow
from giamngheo.reviews.models import Assessment
from tests.browser.conftest import sign_in
from tests.personas import PASSWORD
from tests.reviews.helpers import import_past, open_review

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


WIDE = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
    .slice(0, 8).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 50))"""


def no_sideways_scroll(page: Any) -> None:
    page.wait_for_load_state("load")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], (page.url, widths, page.evaluate(WIDE))


def test_register_assess_print_and_correct_on_a_phone(page: Any, personas: Any) -> None:
    rows = [
        HouseholdRow(code=f"T-{n:03d}", commune=personas.units["new_commune"], area_type="nong_thon",
                     registered_on=date(2025, 8, 1),
                     members=[MemberRow(full_name=f"Người Thôn {n}", sex="nam", relationship="head",
                                        start_date=date(2025, 8, 1))])
        for n in range(55)
    ]  # fmt: skip
    registry.households_bulk_register(rows, actor=None)
    closed = open_review(personas.units["new_commune"], year=2025, reference_date=date(2025, 12, 1))
    decided = import_past(closed, personas.kongchro_household, date(2025, 11, 20), 1_000_000)
    page.set_viewport_size(PHONE)
    sign_in(page, personas.owner.username, PASSWORD)

    # Register in today's commune, in a village it took over in 2025.
    page.goto("/ho/moi/")
    no_sideways_scroll(page)
    page.fill("input[name=code]", "H-PHONE-1")
    page.select_option("select[name=village]", label="Làng Tơ Mơ")
    page.fill("input[name=head_full_name]", "Đinh Thị Điện Thoại")
    page.select_option("select[name=head_sex]", "nu")
    page.get_by_role("button", name="Đăng ký hộ").click()
    expect(page.locator("h1")).to_have_text("Hộ H-PHONE-1 — Đinh Thị Điện Thoại")
    no_sideways_scroll(page)

    # Assess it in the open round, after saying what will be written.
    page.get_by_role("link", name="Ghi phiếu rà soát").click()
    page.get_by_role("button", name="Mở đợt rà soát thường xuyên của Kông Chro").click()
    page.fill("input[name=income_per_capita]", "1.200.000")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".confirm")).to_contain_text("Hộ cận nghèo")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Xác nhận ghi").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi phiếu rà soát")
    no_sideways_scroll(page)

    # The list, then its print layout: every row, no menu and no filters.
    page.goto("/")
    no_sideways_scroll(page)
    page.get_by_role("link", name="In danh sách").click()
    expect(page.locator("h1")).to_have_text("Danh sách hộ gia đình")
    expect(page.locator("tbody tr")).to_have_count(55 + 2)  # the 55, the one registered today, H-KONGCHRO
    expect(page.locator("nav")).to_have_count(0)
    expect(page.locator("input[name=q]")).to_have_count(0)
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="In")).to_be_hidden()
    page.emulate_media(media="screen")

    # A result of the closed 2025 round is corrected, not overwritten.
    page.goto(f"/ho/{personas.kongchro_household.pk}/")
    page.get_by_role("link", name="Đính chính phiếu này").click()
    no_sideways_scroll(page)
    page.fill("textarea[name=reason]", "Nhập sai thu nhập")
    page.fill("input[name=income_per_capita]", "3.000.000")
    page.get_by_role("button", name="Ghi đính chính").click()
    expect(page.locator(".confirm")).to_contain_text("Không nghèo")
    page.get_by_role("button", name="Xác nhận ghi").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi đính chính")
    expect(page.locator("section.assessment.superseded")).to_contain_text("đã được đính chính")
    assert Assessment.objects.get(pk=decided.pk).income_per_capita == 1_000_000
