"""The programme's money pages (giamngheo.web.programme), with personas."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.programme import services
from giamngheo.programme.models import Allocation, Disbursement
from tests.programme.conftest import allocate, capital, item, source

pytestmark = pytest.mark.django_db


def as_user(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_record_an_allocation_and_its_entries_through_the_pages(client: Client, personas: Any) -> None:
    units = personas.units
    town = units["town"]
    page = reverse("web:programme")
    owner = as_user(client, personas.owner)
    shown = owner.get(page, {"area": town.pk, "nam": 2023})
    assert shown.status_code == 200 and "Vốn giao trong năm" in shown.content.decode()
    assert 'href="/von-chuong-trinh/"' in owner.get(reverse("web:dashboard")).content.decode()  # navigation
    form = {"item": item("DA2").pk, "capital_type": capital("thuong_xuyen").pk,
            "source": source("ngan_sach_trung_uong").pk, "amount": "10000000", "decision_number": "5/QĐ",
            "decision_date": "15/01/2023"}  # fmt: skip
    posted = owner.post(f"{page}?area={town.pk}&nam=2023", form)
    allocation = Allocation.objects.get()
    assert posted.status_code == 302 and posted["Location"] == reverse(
        "web:programme-allocation", args=[allocation.pk]
    )
    step = reverse("web:programme-step", args=[allocation.pk, "giai-ngan"])
    refused = owner.post(step, {"paid_on": "01/03/2023", "amount": "20000000", "activity": "Mô hình", "version": 0},
                         follow=True)  # fmt: skip
    assert "chỉ còn 10.000.000đ, không giải ngân được 20.000.000đ" in refused.content.decode()
    owner.post(step, {"paid_on": "01/03/2023", "amount": "4000000", "activity": "Mô hình", "version": 0})
    stale = owner.post(
        step, {"paid_on": "02/03/2023", "amount": "1", "activity": "x", "version": 0}, follow=True
    )
    assert "đã có bút toán mới" in stale.content.decode() and Disbursement.objects.count() == 1
    owner.post(reverse("web:programme-step", args=[allocation.pk, "dieu-chinh"]),
               {"change": "-1000000", "reason": "Giảm theo QĐ 9", "version": 1})  # fmt: skip
    detail = owner.get(reverse("web:programme-allocation", args=[allocation.pk])).content.decode()
    assert 'data-figure="remaining">5.000.000đ' in detail and "Giảm theo QĐ 9" in detail
    summary = owner.get(page, {"area": units["new_province"].pk, "nam": 2023})
    assert summary.status_code == 404  # a commune officer does not read the province's money
    province = as_user(Client(), personas.province).get(page, {"area": units["new_province"].pk, "nam": 2023})
    text = province.content.decode()
    assert 'data-figure="allocated"' in text and "9.000.000đ" in text and "44,44 %" in text
    assert "(4.000.000đ / 9.000.000đ)" in text  # the rate with its numerator and denominator
    rows = as_user(Client(), personas.province).get(  # the rows behind a figure
        page, {"area": units["new_province"].pk, "nam": 2023, "so_lieu": "disbursed"}
    )
    assert "Mô hình" in rows.content.decode()


def test_viewers_read_only_and_other_communes_see_nothing(client: Client, personas: Any) -> None:
    town = personas.units["town"]
    allocation = services.allocation_record(
        year=2023, area=town, item=item("DA2"), capital_type=capital("thuong_xuyen"),
        source=source("ngan_sach_trung_uong"), amount=1_000, decision_number="1", decision_date=date(2023, 1, 2),
        actor=None,
    )  # fmt: skip
    detail = reverse("web:programme-allocation", args=[allocation.pk])
    step = reverse("web:programme-step", args=[allocation.pk, "giai-ngan"])
    body = {"paid_on": "01/03/2023", "amount": "1", "activity": "x", "version": 0}
    viewer = as_user(Client(), personas.viewer)
    read = viewer.get(detail).content.decode()
    assert "Ghi giải ngân" not in read and 'data-figure="remaining">1.000đ' in read
    assert viewer.post(step, body).status_code == 403
    assert "Ghi khoản vốn" not in viewer.get(reverse("web:programme"), {"area": town.pk}).content.decode()
    for name in ("peer", "outsider", "unbound"):
        other = as_user(Client(), personas.users()[name])
        assert other.get(detail).status_code == 404
        assert other.post(step, body).status_code == 404
        assert other.get(reverse("web:programme"), {"area": town.pk}).status_code == 404
    allocate(personas.units["old_sro"], 2_000)
    peer = as_user(Client(), personas.peer).get(reverse("web:programme"), {"nam": 2023}).content.decode()
    assert "2.000đ" in peer and "1.000đ" not in peer
    assert Disbursement.objects.count() == 0
