"""Accessibility: axe-core (npm, `tests/browser/axe`, installed by `make test`) on the officer's pages, in Vietnamese
and in English, at phone and desktop width. No serious or critical violation is allowed (the brief's bar).

axe runs inside the page; its script is added through Playwright with the page's Content Security Policy bypassed
for the script only (the site itself allows no inline or foreign script)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import sign_in
from tests.decisions.helpers import record
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + n.failureSummary.slice(0, 160)),
  }));
}"""


def serious_violations(page: Any, path: str) -> list[Any]:
    page.goto(path)
    page.wait_for_load_state("load")
    page.add_script_tag(path=str(AXE))
    found: list[Any] = page.evaluate(RUN)
    return [{"page": path, **item} for item in found]


@pytest.fixture
def axe_page(browser: Any, live_server: Any) -> Any:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): `make test` installs it (npm ci in tests/browser/axe).")
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", bypass_csp=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_officers_pages_have_no_serious_accessibility_violation(
    axe_page: Any,
    commune_2026: Any,
    size: str,
) -> None:
    personas, commune, _villages, h, _first, second = commune_2026
    record(second, {h["P-1"]: "ngheo", h["P-2"]: "can_ngheo", h["P-3"]: "khong_ngheo"})
    page = axe_page
    page.set_viewport_size(SIZES[size])
    found = serious_violations(page, "/dang-nhap/")
    sign_in(page, personas.owner.username, PASSWORD)
    household = personas.kongchro_household
    paths = [
        "/", f"/ho/{household.pk}/", "/tong-quan/", "/bao-cao/?bao_cao=dien-bien-ngheo&area=23824&nam=2025",
        "/quyet-dinh/", f"/quy-trinh/{second.pk}/{commune.pk}/", "/quy-trinh/don-de-nghi/",
        f"/quy-trinh/{second.pk}/{commune.pk}/niem-yet/", "/cong-viec/", "/ho/moi/",
        # The programme's pages (issue 10).
        "/von-chuong-trinh/", "/tin-dung/", "/tin-dung/nhap/", "/ho-tro/", "/ho-tro/nha-o/", "/chi-tieu/",
        "/khen-thuong/", "/bao-cao/tong-ket/?nam=2025", f"/ho/{household.pk}/ho-tro/ghi/",
    ]  # fmt: skip
    for path in paths:
        found += serious_violations(page, path)
    page.goto("/")
    page.get_by_role("button", name="English").click()  # the same pages in English
    page.wait_for_load_state("load")
    for path in paths[:3] + paths[5:6]:
        found += serious_violations(page, path)
    assert not found, found
