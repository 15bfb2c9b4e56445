"""In the browser: a commune officer cannot open a household of another commune."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_commune_officer_cannot_open_another_communes_household(page, personas) -> None:
    sign_in(page, personas.owner.username, PASSWORD)
    assert page.url.endswith("/tong-quan/")  # the overview of the officer's area comes first
    page.goto("/")
    assert page.locator("text=H-KONGCHRO").count() >= 1
    assert page.locator("text=H-SRO").count() == 0

    response = page.goto(f"/ho/{personas.sro_household.pk}/")
    assert response is not None and response.status == 404
    assert "Rơ Mah Hờ" not in page.content()

    response = page.goto(f"/ho/{personas.kongchro_household.pk}/")
    assert response is not None and response.status == 200
    assert "Đinh Văn Súy" in page.content()
