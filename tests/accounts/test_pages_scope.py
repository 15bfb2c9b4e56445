"""Every page, every persona: the household list shows only the persona's area; other households are 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.test_scope import VISIBLE

pytestmark = pytest.mark.django_db

HOUSEHOLDS = ("kongchro_household", "sro_household", "far_household")


@pytest.mark.parametrize("name", sorted(VISIBLE))
def test_household_list_shows_only_the_area(client: Client, personas, name: str) -> None:
    client.force_login(personas.users()[name])
    page = client.get(reverse("web:household-list")).content.decode()
    shown = {code for code in ("H-KONGCHRO", "H-SRO", "H-FAR") if code in page}
    assert shown == VISIBLE[name]


@pytest.mark.parametrize("name", sorted(VISIBLE))
@pytest.mark.parametrize("attribute", HOUSEHOLDS)
def test_household_page_is_404_outside_the_area(client: Client, personas, name: str, attribute: str) -> None:
    household = getattr(personas, attribute)
    client.force_login(personas.users()[name])
    response = client.get(reverse("web:household-detail", args=[household.pk]))
    expected = 200 if household.code in VISIBLE[name] else 404
    assert response.status_code == expected
    if expected == 404:
        missing = client.get(reverse("web:household-detail", args=[household.pk + 10_000]))
        assert missing.status_code == 404 and missing.content == response.content


def test_anonymous_visitors_are_sent_to_login(client: Client, personas) -> None:
    for url in (
        reverse("web:household-list"),
        reverse("web:household-detail", args=[personas.sro_household.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
