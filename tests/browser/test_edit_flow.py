"""In the browser: a commune officer finds a household by name (typed without diacritics), edits a member so
that the class changes, watches the live preview, saves, and sees the new class, explanation and history
entry."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.personas import PASSWORD
from tests.web.test_edit_forms import scenario

pytestmark = pytest.mark.django_db(transaction=True)


def test_edit_a_member_and_see_the_class_explanation_and_history_change(page: Any, personas: Any) -> None:
    world = scenario(personas, code="H-TEST-77", head_name="Đinh Văn Hùng")
    sign_in(page, personas.owner.username, PASSWORD)
    page.locator("header nav").get_by_role("link", name="Hộ gia đình", exact=True).click()

    page.fill("input[name=q]", "dinh van hung")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="H-TEST-77").click()
    panel = page.locator("#phan-loai")
    expect(panel).to_contain_text("Hộ cận nghèo")
    expect(panel).to_contain_text("thiếu hụt 2/12")

    page.get_by_role("link", name="Sửa Đinh Thị Lan").click()
    expect(page.locator("h1")).to_contain_text("Đinh Thị Lan")
    page.wait_for_load_state("load")  # htmx (a deferred script) has bound the form's live preview
    preview = page.locator("#xem-truoc")
    expect(preview).to_contain_text("Hộ cận nghèo")
    page.select_option("select[name=has_health_insurance]", "False")
    expect(preview).to_contain_text("Sau khi lưu thay đổi")  # the live preview, nothing saved yet
    expect(preview.locator(".outcome-after")).to_contain_text("Hộ nghèo")
    expect(preview.locator(".outcome-after")).to_contain_text("bảo hiểm y tế")
    world.wife.refresh_from_db()
    assert world.wife.has_health_insurance is True

    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"**/ho/{world.household.pk}/**")
    expect(page.locator(".messages")).to_contain_text("Đã lưu thông tin «Đinh Thị Lan»")
    expect(panel).to_contain_text("Hộ nghèo")
    expect(panel.locator(".explanation")).to_contain_text("thiếu hụt 3/12")
    expect(panel.locator(".explanation")).to_contain_text("bảo hiểm y tế")
    entry = page.locator("tr.event.member_updated").first
    expect(entry).to_contain_text(personas.owner.username)
    expect(entry).to_contain_text("Đinh Thị Lan")
    expect(entry.locator('[data-field="has_health_insurance"]')).to_have_text("Có bảo hiểm y tế: có → không")

    # The stored assessment still says near-poor; recording it again with today's facts makes it poor. The
    # button first says what it will write, then asks to confirm.
    page.get_by_role("link", name="Xem và ghi phiếu theo dữ liệu hiện tại").click()
    expect(page.locator("main")).to_contain_text("Hộ nghèo")
    expect(page.locator("main")).to_contain_text("đang mở")
    page.get_by_role("button", name="Xác nhận ghi phiếu").click()
    expect(page.locator(".messages")).to_contain_text("Hộ nghèo")
    expect(page.locator("section.assessment").first.locator(".badge")).to_have_text("Hộ nghèo")
    expect(page.locator("tr.event.assessed").first).to_contain_text("Hộ cận nghèo")


def test_register_a_household_with_its_head(page: Any, personas: Any) -> None:
    """Registered today in today's commune, placed in a village that commune took over in the 2025 reform, and
    assessed in the open round (the commune's regular round, opened from the form)."""
    sign_in(page, personas.owner.username, PASSWORD)
    page.goto("/ho/moi/")
    expect(page.locator("select[name=commune] option:checked")).to_contain_text("Kông Chro (mã mới 23824)")
    page.select_option("select[name=commune]", "")
    expect(page.locator("select[name=village] option")).to_have_count(
        1
    )  # the village list follows the commune
    page.select_option("select[name=commune]", str(personas.units["new_commune"].pk))
    expect(page.locator("select[name=village] option")).to_have_count(2)

    page.get_by_role("button", name="Đăng ký hộ").click()
    expect(page.locator("#id_code_loi")).to_have_text("Mã hộ: không được để trống.")
    page.fill("input[name=code]", "H-MOI-09")
    page.select_option("select[name=village]", label="Làng Tơ Mơ")
    page.fill("input[name=head_full_name]", "Rơ Châm Thị Hoa")
    page.select_option("select[name=head_sex]", "nu")
    page.get_by_role("button", name="Đăng ký hộ").click()
    expect(page.locator("h1")).to_have_text("Hộ H-MOI-09 — Rơ Châm Thị Hoa")
    expect(page.locator("#phan-loai")).to_contain_text("Hộ chưa có phiếu rà soát")
    expect(page.locator("main")).to_contain_text("Làng Tơ Mơ, Xã Kông Chro (mã mới 23824)")

    page.get_by_role("link", name="Ghi phiếu rà soát").click()
    expect(page.locator("main")).to_contain_text("Chưa có đợt rà soát đang mở nào")
    page.get_by_role("button", name="Mở đợt rà soát thường xuyên của Kông Chro").click()
    expect(page.locator(".messages")).to_contain_text(
        "Đã mở đợt «Rà soát thường xuyên tháng 11/2026 — Kông Chro»"
    )
    page.fill("input[name=income_per_capita]", "900.000")
    page.select_option("select[name=entered_viec_lam]", "True")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".confirm")).to_contain_text(
        "Sẽ ghi vào đợt «Rà soát thường xuyên tháng 11/2026 — Kông Chro»"
    )
    page.get_by_role("button", name="Xác nhận ghi").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi phiếu rà soát")
    expect(page.locator("section.assessment").first).to_contain_text("Rà soát thường xuyên tháng 11/2026")
