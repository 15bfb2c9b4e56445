"""Phones: what the templates render for the small-screen layout (the browser check at 360 px is
tests/browser/test_phone.py): the collapsible menu in the top bar, a data-label on each cell of the tables that
become stacked rows, and no inline script or style anywhere, so a Content Security Policy without
'unsafe-inline' can be switched on."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.reviews.helpers import open_review
from tests.web.test_dashboard import assess
from tests.web.test_edit_forms import Scenario, scenario

pytestmark = pytest.mark.django_db

TEMPLATE_ROOT = Path(settings.BASE_DIR) / "giamngheo"


@pytest.fixture
def world(personas: Any, client: Client) -> Scenario:
    client.force_login(personas.owner)
    return scenario(personas)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def rows(html: str, row_class: str) -> list[str]:
    """The inner HTML of each <tr> with `row_class` (rows contain no nested tables)."""
    return re.findall(rf'<tr class="{row_class}[^"]*">(.*?)</tr>', html, re.S)


def cells(row: str) -> list[str]:
    """The opening tag of each <td> of a row."""
    return re.findall(r"<td\b[^>]*>", row)


def label(cell: str) -> str | None:
    found = re.search(r'data-label="([^"]*)"', cell)
    return found.group(1) if found else None


# The menu -----------------------------------------------------------------------------------------------------


def test_the_top_bar_has_a_menu_that_folds_away_behind_a_toggle(client: Client, world: Scenario) -> None:
    html = page(client, reverse("web:household-list"))
    header = html.split('<header class="topbar">')[1].split("</header>")[0]
    toggle = re.search(
        r'<details class="menu-toggle"><summary aria-controls="main-menu">Menu</summary></details>', header
    )
    assert toggle is not None
    # The nav follows the toggle directly: the CSS hides it on a phone while the toggle is closed.
    assert re.search(r'</details>\s*<nav id="main-menu" aria-label="Menu chính">', header)
    nav = header.split('<nav id="main-menu"')[1].split("</nav>")[0]
    for text in ("Tổng quan", "Hộ gia đình", "Đăng ký hộ mới", "Đăng xuất"):
        assert text in nav
    assert header.count("<nav") == 1


def test_the_menu_toggle_in_english(client: Client, world: Scenario) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client, reverse("web:household-list"))
    assert '<nav id="main-menu" aria-label="Main menu">' in html and ">Menu</summary>" in html


def test_signed_out_pages_have_no_menu(client: Client) -> None:
    html = page(client, reverse("login"))
    assert "menu-toggle" not in html and "<nav" not in html


def test_the_stylesheet_folds_the_menu_and_labels_the_cells_on_a_phone() -> None:
    css = Path(finders.find("web/app.css")).read_text()  # type: ignore[arg-type]
    phone = css.split("@media (max-width: 640px)")[1]
    assert ".menu-toggle:not([open]) + nav { display: none; }" in phone
    assert "table.list td[data-label]::before { content: attr(data-label)" in phone
    assert ".menu-toggle { display: none; }" in css.split("@media")[0]  # no toggle on a desktop


# Labelled cells -----------------------------------------------------------------------------------------------


def test_the_household_list_labels_each_cell(client: Client, world: Scenario) -> None:
    html = page(client, reverse("web:household-list"))
    found = rows(html, "household-row")
    assert found
    for row in found:
        assert [label(cell) for cell in cells(row)] == ["Mã hộ", "Chủ hộ", "Thôn, xã", "Rà soát gần nhất"]


def test_the_household_page_labels_each_member_field(client: Client, world: Scenario) -> None:
    html = page(client, reverse("web:household-detail", args=[world.household.pk]))
    members = rows(html, "member")
    assert len(members) == 2
    expected = ["Họ và tên", "Quan hệ", "Giới tính", "Ngày sinh", "Dân tộc", "BHYT", "Việc làm"]
    for row in members:
        labels = [label(cell) for cell in cells(row)]
        assert labels[:7] == expected
        assert labels[7:] == [None]  # the edit links need no label
    assert 'data-label="Họ và tên">Đinh Thị Lan</td>' in html


def test_the_household_page_labels_each_history_cell(client: Client, world: Scenario) -> None:
    html = page(client, reverse("web:household-detail", args=[world.household.pk]))
    events = rows(html, "event")
    assert events
    for row in events:
        assert [label(cell) for cell in cells(row)] == [
            "Thời điểm", "Người thực hiện", "Nội dung", "Thay đổi (cũ → mới)",
        ]  # fmt: skip


def test_the_overview_labels_each_cell_of_its_rows_and_total(client: Client, personas: Any) -> None:
    review = open_review(personas.units["district"], year=2023)
    assess(review, personas.units["town"], {"ngheo": 1, "khong_ngheo": 2}, registered_on=date(2020, 1, 1))
    client.force_login(personas.owner)
    html = page(client, reverse("web:dashboard"))
    expected = [
        "Xã", "Số hộ", "Hộ nghèo", "Tỷ lệ nghèo", "Cận nghèo", "Tỷ lệ cận nghèo", "Nghèo đa chiều",
        "So với năm trước",
    ]  # fmt: skip
    communes = rows(html, "commune-row")
    assert communes
    for row in communes:
        assert [label(cell) for cell in cells(row)] == expected
    (total,) = rows(html, "total-row")
    assert [label(cell) for cell in cells(total)] == expected[1:]  # the first cell is the row's <th>


def test_the_labels_in_english(client: Client, world: Scenario) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client, reverse("web:household-detail", args=[world.household.pk]))
    assert 'data-label="Full name"' in html and 'data-label="Date of birth"' in html


# No inline script or style (a Content Security Policy will forbid them) ---------------------------------------

INLINE_STYLE = re.compile(r"""[\s"'](style\s*=)|<style\b""", re.I)
EVENT_HANDLER = re.compile(r"""[\s"']on[a-z]+\s*=""", re.I)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)


def templates() -> list[Path]:
    found = sorted(TEMPLATE_ROOT.rglob("templates/**/*.html"))
    assert TEMPLATE_ROOT / "web/templates/web/base.html" in found and len(found) >= 20  # all the project's
    return found


def inline_problems(text: str) -> list[str]:
    problems = [f"style attribute or element: {m.group(0)!r}" for m in INLINE_STYLE.finditer(text)]
    problems += [f"event handler attribute: {m.group(0)!r}" for m in EVENT_HANDLER.finditer(text)]
    problems += [
        f"inline script: {m.group(0)!r}"
        for m in SCRIPT_TAG.finditer(text)
        if not re.search(r"\ssrc\s*=", m.group(1), re.I)
    ]
    problems += ["javascript: URL"] if re.search(r"javascript:", text, re.I) else []
    return problems


def test_no_template_has_an_inline_script_or_style() -> None:
    problems = {
        str(path.relative_to(TEMPLATE_ROOT)): found
        for path in templates()
        if (found := inline_problems(path.read_text()))
    }
    assert problems == {}


def test_the_scan_catches_what_it_looks_for() -> None:
    assert inline_problems('<p style="color: red">') and inline_problems("<style>p {}</style>")
    assert inline_problems('<select onchange="this.form.submit()">')
    assert inline_problems("<script>alert(1)</script>") and inline_problems('<a href="javascript:go()">')
    assert not inline_problems('<script src="/static/web/list.js" defer></script>')
    assert not inline_problems('<td data-label="Mã hộ" class="code">')


def test_the_list_submits_on_commune_change_from_a_static_script(client: Client, world: Scenario) -> None:
    html = page(client, reverse("web:household-list"))
    assert re.search(r'<select name="xa"[^>]*data-submit-on-change', html)
    assert '<script src="/static/web/list.js" defer></script>' in html
    assert finders.find("web/list.js") is not None
