"""The decisions page (`/quyet-dinh/`) with personas: the commune officer records and submits, province staff
approve and unlock; other areas see a 404, other roles get a 403."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.decisions.approval import approval_state
from giamngheo.decisions.models import Decision
from giamngheo.demo.procedure import walk_to_decision

pytestmark = pytest.mark.django_db


def as_user(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_a_round_from_decision_to_approval_through_the_pages(client: Client, town: Any) -> None:
    personas, _households, _first, second, _decided = town
    town_unit = personas.units["town"]
    form_url = reverse("web:decision-form", args=[second.pk, town_unit.pk])
    walk_to_decision(second, town_unit, date(2023, 12, 20))  # meetings, posting, consultation
    step = lambda name: reverse("web:approval-step", args=[second.pk, town_unit.pk, name])  # noqa: E731

    page = as_user(client, personas.owner).get(reverse("web:decisions")).content.decode()
    assert form_url in page and "Ghi quyết định" in page
    refused = client.post(form_url, {"number": "", "signed_on": "31/12/2023", "signer": "Nguyễn Văn A"})
    assert (
        "Trường này là bắt buộc." in refused.content.decode()
        or "This field is required." in refused.content.decode()
    )
    response = client.post(
        form_url, {"number": "17/QĐ-UBND", "signed_on": "20/12/2023", "signer": "Nguyễn Văn A"}
    )
    assert response.status_code == 302
    decision = Decision.objects.get(review=second, commune=town_unit)
    assert (decision.number, decision.recorded_by) == ("17/QĐ-UBND", personas.owner)
    assert client.post(step("phe-duyet")).status_code == 403  # a commune officer does not approve
    client.post(step("trinh"))
    assert approval_state(second, town_unit) == "submitted"

    as_user(client, personas.peer)
    assert client.get(form_url).status_code == 404  # another commune's officer: as if it did not exist
    assert client.post(step("trinh")).status_code == 404

    as_user(client, personas.province)
    page = client.get(reverse("web:decisions")).content.decode()
    assert step("phe-duyet") in page
    client.post(step("phe-duyet"))
    assert approval_state(second, town_unit) == "approved"
    response = client.post(step("mo-khoa"), {"reason": " "}, follow=True)
    assert "Nêu lý do mở khoá." in response.content.decode()
    assert approval_state(second, town_unit) == "approved"
    client.post(step("mo-khoa"), {"reason": "Phúc tra hộ QD-2"})
    assert approval_state(second, town_unit) == "draft"
