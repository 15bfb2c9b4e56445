"""In the browser at a phone's 360×740: the commune officer of the demo-like test data (`xa.kongchro`) opens the
household list, a household page, the overview, the edit forms and the reports; none scrolls sideways, the member table shows
labelled fields, and the folded menu opens and leads on. On a desktop the menu stays spread out, as before."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.personas import PASSWORD
from tests.reviews.helpers import open_review
from tests.web.test_dashboard import assess
from tests.web.test_edit_forms import scenario

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def demo_like(personas: Any) -> Any:
    """A household with a long code and names (they must wrap, not widen the page), and the 2023 review of the
    old district with a few households per class, for the overview."""
    world = scenario(personas, code="630-23824-000017-TAM-THOI", head_name="Rơ Châm Thị Hơ Linh Ksor Nay")
    review = open_review(personas.units["district"], year=2023)
    assess(
        review,
        personas.units["town"],
        {"ngheo": 2, "can_ngheo": 1, "khong_ngheo": 3},
        registered_on=date(2020, 1, 1),
    )
    assess(
        review, personas.units["yang_trung"], {"ngheo": 1, "khong_ngheo": 2}, registered_on=date(2020, 1, 1)
    )
    return world


def phone_page(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=PHONE)
    context.set_default_timeout(15_000)
    return context.new_page()


def assert_fits(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    scroll_width, inner_width = page.evaluate(OVERFLOW)
    assert inner_width == PHONE["width"]
    assert scroll_width <= inner_width, f"{url} scrolls sideways: {scroll_width} px in {inner_width} px"


def test_the_main_pages_fit_a_phone_and_the_menu_opens(browser: Any, live_server: Any, personas: Any) -> None:
    world = demo_like(personas)
    household = world.household.pk
    page = phone_page(browser, live_server)
    try:
        sign_in(page, personas.owner.username, PASSWORD)
        assert personas.owner.username == "xa.kongchro"

        for url in (
            "/",
            f"/ho/{household}/",
            "/tong-quan/",
            f"/ho/{household}/sua/",
            f"/ho/{household}/thanh-vien/{world.wife.pk}/sua/",
            f"/ho/{household}/ra-soat/",
            "/bao-cao/?nam=2023",  # the statutory reports: wide tables scroll inside their card
            "/bao-cao/?bao_cao=dien-bien-ngheo&nam=2023",
        ):
            assert_fits(page, url)

        # The household page's members: the column headings are hidden and each field carries its label.
        page.goto(f"/ho/{household}/")
        members = page.locator("table.members")
        expect(members.locator("thead")).to_be_hidden()
        labels = members.locator("tr.member").first.evaluate(
            "row => [...row.cells].map(cell => getComputedStyle(cell, '::before').content)"
        )
        fields = ["Họ và tên", "Quan hệ", "Giới tính", "Ngày sinh", "Dân tộc", "BHYT", "Việc làm"]
        assert labels == [f'"{field}: "' for field in fields] + ["none"]
        cell = members.locator("tr.member td", has_text="Đinh Thị Lan").first
        assert cell.evaluate("cell => getComputedStyle(cell).display") == "block"  # stacked, not a column

        # The menu is folded; it opens and its links lead on.
        menu = page.locator("header nav")
        expect(menu).to_be_hidden()
        page.locator("header .menu-toggle summary").click()
        expect(menu).to_be_visible()
        menu.get_by_role("link", name="Tổng quan").click()
        page.wait_for_url("**/tong-quan/")
        expect(page.locator("h1")).to_contain_text("Tổng quan")
        expect(page.locator("header nav")).to_be_hidden()  # folded again on the new page
    finally:
        page.context.close()


def test_on_a_desktop_the_menu_is_spread_out_without_a_toggle(page: Any, personas: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, personas.owner.username, PASSWORD)
    page.goto("/")
    expect(page.locator("header .menu-toggle summary")).to_be_hidden()
    expect(page.locator("header nav").get_by_role("link", name="Tổng quan")).to_be_visible()
    box = page.locator("header").bounding_box()
    assert box is not None and box["height"] < 60  # one line, as before
