"""A whole periodic round on a phone (360×740), through the commune's round page: a meeting in every village with
its scanned minutes, the posting and its printable list, a complaint and its re-check, the consultation, the
chairman's decision, the certificates and the certificate PDF. No page scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from giamngheo.decisions.models import Certificate, Decision
from tests.browser.conftest import sign_in
from tests.browser.test_officer_phone import PHONE, no_sideways_scroll
from tests.decisions.helpers import PDF, record
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def step_form(page: Any, action: str) -> Any:
    return page.locator(f"form:has(input[name=action][value='{action}'])")


def test_a_periodic_round_on_a_phone(page: Any, commune_2026: Any) -> None:
    personas, commune, _villages, h, _first, second = commune_2026
    record(second, {h["P-1"]: "ngheo", h["P-2"]: "can_ngheo", h["P-3"]: "khong_ngheo", h["P-5"]: "ngheo"})
    page.set_viewport_size(PHONE)
    sign_in(page, personas.owner.username, PASSWORD)
    page.goto("/quyet-dinh/")
    page.get_by_role("link", name="Quy trình").first.click()
    round_url = f"/quy-trinh/{second.pk}/{commune.pk}/"
    page.goto(round_url)
    expect(page.locator("h1")).to_contain_text("Quy trình rà soát")
    no_sideways_scroll(page)

    # A meeting in each village (and for the households without one), each with its scanned minutes.
    for _ in range(3):
        page.get_by_role("link", name="Ghi cuộc họp dân").first.click()
        no_sideways_scroll(page)
        page.fill("input[name=held_on]", "05/11/2026")
        page.fill("input[name=attendees]", "24")
        page.fill("input[name=agreeing]", "20")
        page.fill("input[name=chair]", "Trưởng thôn")
        page.fill("input[name=secretary]", "Thư ký")
        page.set_input_files(
            "input[name=minutes]", {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        page.get_by_role("button", name="Ghi cuộc họp").click()
        page.wait_for_url(f"**{round_url}")
    expect(page.locator(".step")).to_have_text("Niêm yết công khai")

    posting = step_form(page, "posting")
    posting.locator("input[name=posting-starts_on]").fill("06/11/2026")
    posting.locator("[name=posting-places]").fill("Nhà văn hoá thôn, trụ sở UBND xã")
    posting.get_by_role("button", name="Ghi niêm yết").click()
    expect(page.locator("#niem-yet")).to_contain_text("06/11/2026")
    complaint = step_form(page, "complaint")
    complaint.locator("input[name=complaint-household_code]").fill("P-3")
    complaint.locator("input[name=complaint-complainant]").fill("Đinh Thị Ba")
    complaint.locator("input[name=complaint-received_on]").fill("08/11/2026")
    complaint.locator("[name=complaint-content]").fill("Hộ còn khó khăn, đề nghị xem lại")
    complaint.get_by_role("button", name="Ghi khiếu nại").click()
    expect(page.locator(".step")).to_have_text("Phúc tra khiếu nại")
    recheck = page.locator("form:has(input[name=action][value^='recheck:'])")
    recheck.locator("input[name$=checked_on]").fill("10/11/2026")
    recheck.get_by_label("Khiếu nại không đúng").check()
    recheck.locator("[name$=finding]").fill("Thu nhập trên chuẩn; giữ nguyên kết quả")
    recheck.get_by_role("button", name="Ghi kết quả phúc tra").click()
    expect(page.locator(".step")).to_have_text("Xin ý kiến cấp trên")
    no_sideways_scroll(page)

    consultation = step_form(page, "consultation")
    consultation.locator("input[name=consultation-consulted_on]").fill("14/11/2026")
    consultation.locator("input[name=consultation-reference]").fill("CV-15/SNN")
    consultation.get_by_role("button", name="Ghi ý kiến").click()
    expect(page.locator(".step")).to_have_text("Chủ tịch UBND xã quyết định công nhận")

    page.goto("/quyet-dinh/")
    page.get_by_role("link", name="Ghi quyết định").first.click()
    page.fill("input[name=number]", "21/QĐ-UBND")
    page.fill("input[name=signed_on]", "16/11/2026")
    page.fill("input[name=signer]", "Chủ tịch UBND xã")
    page.get_by_role("button", name="Ghi quyết định").click()
    page.wait_for_url("**/quyet-dinh/")
    assert Decision.objects.filter(review=second, commune=commune).count() == 1

    page.goto(round_url)
    expect(page.locator(".step")).to_have_text("Cấp giấy chứng nhận, trả lời đơn")
    certificates = step_form(page, "certificates")
    certificates.locator("input[name=certificates-issued_on]").fill("17/11/2026")
    certificates.get_by_role("button", name="Cấp giấy chứng nhận").click()
    expect(page.locator(".step")).to_have_text("Hoàn thành")
    issued = list(Certificate.objects.filter(decision__review=second).order_by("number"))
    assert [c.household.code for c in issued] == ["P-5"] and issued[0].label == "Số 01/GCN-HN.HCN"
    response = page.request.get(f"/quy-trinh/giay-chung-nhan/{issued[0].pk}.pdf")
    assert response.ok and response.body().startswith(b"%PDF")
    no_sideways_scroll(page)
