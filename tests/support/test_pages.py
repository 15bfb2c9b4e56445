"""The support pages with personas: the household page's section and its forms, the commune's housing cases, the
overview of an area and year, and the link in the navigation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giamngheo.support.models import HousingStep, SupportCancellation, SupportEvent
from giamngheo.support.services import case_event, housing_case_open, support_event_record
from tests.support.conftest import Ledger

pytestmark = pytest.mark.django_db


def as_user(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_the_household_page_shows_support_and_records_an_entry(client: Client, ledger: Ledger) -> None:
    household_url = reverse("web:household-detail", args=[ledger.poor.pk])
    record_url = reverse("web:support-record", args=[ledger.poor.pk])
    as_user(client, ledger.personas.owner)
    page = client.get(household_url).content.decode()
    assert 'id="ho-tro"' in page and "Hộ chưa có hỗ trợ nào được ghi." in page and record_url in page
    assert reverse("web:support-overview") in page  # navigation

    form = client.get(record_url).content.decode()
    assert "Siu Hlon" in form and "Hỗ trợ nhà ở: xây mới" not in form  # housing goes through a case
    kind = ledger.kind("production").pk
    refused = client.post(
        record_url, {"kind": kind, "occurred_on": "01/11/2022", "state_budget": "5.000.000"}
    )
    assert refused.status_code == 200
    assert (
        "không thuộc diện được hỗ trợ «Hỗ trợ phát triển sản xuất» ngày 01/11/2022"
        in refused.content.decode()
    )
    done = client.post(record_url, {"kind": kind, "occurred_on": "01/04/2024", "state_budget": "5.000.000",
                                    "mobilised": "250000", "person": ledger.head.pk, "description": "Bò giống"})  # fmt: skip
    assert done.status_code == 302 and done["Location"].endswith("#ho-tro")
    event = SupportEvent.objects.get()
    assert (event.state_budget, event.mobilised, event.person, event.recorded_by) == (
        5_000_000,
        250_000,
        ledger.head,
        ledger.personas.owner,
    )
    page = client.get(household_url).content.decode()
    assert "Bò giống" in page and "5.000.000" in page

    correct_url = reverse("web:support-correct", args=[event.pk])
    corrected = client.post(correct_url, {"kind": kind, "occurred_on": "01/04/2024", "state_budget": "4.000.000",
                                          "reason": "Nhầm số tiền"})  # fmt: skip
    assert corrected.status_code == 302
    new = SupportEvent.objects.in_force().get()
    assert (new.corrects, new.state_budget) == (event, 4_000_000)
    cancel = client.post(reverse("web:support-cancel", args=[new.pk]), {"reason": "Hộ trả lại"})
    assert cancel.status_code == 302 and SupportCancellation.objects.get().event == new
    page = client.get(household_url).content.decode()
    assert "đã được đính chính" in page and "đã huỷ" in page and "Hộ trả lại" in page


def test_other_accounts_cannot_write_or_see(client: Client, ledger: Ledger) -> None:
    event = support_event_record(household=ledger.poor, kind=ledger.kind("education"), occurred_on=date(2024, 9, 1),
                                 actor=None, state_budget=1_000_000)  # fmt: skip
    record_url = reverse("web:support-record", args=[ledger.poor.pk])
    cancel_url = reverse("web:support-cancel", args=[event.pk])
    as_user(client, ledger.personas.peer)
    assert client.get(record_url).status_code == 404
    assert client.post(cancel_url, {"reason": "x"}).status_code == 404
    assert client.get(reverse("web:support-correct", args=[event.pk])).status_code == 404
    as_user(client, ledger.personas.viewer)
    page = client.get(reverse("web:household-detail", args=[ledger.poor.pk])).content.decode()
    assert "Hỗ trợ giáo dục" in page and record_url not in page and cancel_url not in page
    assert client.get(record_url).status_code == 403
    assert client.post(cancel_url, {"reason": "x"}).status_code == 403
    assert not SupportCancellation.objects.exists()


def test_housing_cases_page_and_steps(client: Client, ledger: Ledger) -> None:
    as_user(client, ledger.personas.owner)
    open_url = reverse("web:support-housing-open", args=[ledger.near_poor.pk])
    response = client.post(
        open_url, {"work": "repair", "approved_on": "02/05/2024", "mobilised": "3.000.000"}
    )
    assert response.status_code == 302
    case = ledger.near_poor.housing_cases.get()
    assert case_event(case).state_budget == 20_000_000  # type: ignore[union-attr]
    housing_url = reverse("web:support-housing")
    town = ledger.personas.units["new_commune"]
    page = client.get(housing_url, {"area": town.pk}).content.decode()
    assert "Sửa chữa" in page and "20.000.000" in page and "Ghi bước «Đang thi công»" in page
    step_url = reverse("web:support-housing-step", args=[case.pk])
    out_of_order = client.post(step_url, {"stage": "completed", "on": "01/06/2024"}, follow=True)
    assert (
        "Bước tiếp theo của hồ sơ là «Đang thi công», không phải «Đã hoàn thành»."
        in out_of_order.content.decode()
    )
    client.post(step_url, {"stage": "building", "on": "01/06/2024"})
    assert [s.stage for s in HousingStep.objects.filter(case=case)] == ["approved", "building"]

    as_user(client, ledger.personas.peer)
    assert client.post(step_url, {"stage": "completed", "on": "01/07/2024"}).status_code == 404
    assert client.get(housing_url, {"area": town.pk}).status_code == 404
    assert "Sửa chữa" not in client.get(housing_url).content.decode()  # its own commune: nothing of Kông Chro
    as_user(client, ledger.personas.viewer)
    assert client.post(step_url, {"stage": "completed", "on": "01/07/2024"}).status_code == 403
    assert HousingStep.objects.filter(case=case).count() == 2


def test_the_overview_of_an_area_and_year(client: Client, ledger: Ledger) -> None:
    housing_case_open(household=ledger.poor, work="new_build", approved_on=date(2023, 4, 1), actor=None,
                      mobilised=5_000_000)  # fmt: skip
    support_event_record(household=ledger.near_poor, kind=ledger.kind("health_insurance"),
                         occurred_on=date(2023, 2, 1), actor=None, state_budget=700_000)  # fmt: skip
    district = ledger.personas.units["district"]
    as_user(client, ledger.personas.province)
    page = client.get(reverse("web:support-overview"), {"area": district.pk, "nam": "2023"}).content.decode()
    assert "Hỗ trợ theo loại, năm 2023" in page and "40.000.000" in page and "700.000" in page
    assert "2 hộ được hỗ trợ; tổng kinh phí 45.700.000" in page
    as_user(client, ledger.personas.outsider)
    assert client.get(reverse("web:support-overview"), {"area": district.pk}).status_code == 404
    assert client.get(reverse("web:support-overview")).status_code == 200  # its own area


def test_the_pages_read_a_fixed_number_of_queries(client: Client, ledger: Ledger) -> None:
    as_user(client, ledger.personas.owner)
    town = ledger.personas.units["new_commune"]
    pages = [
        (reverse("web:support-housing"), {"area": town.pk}),
        (reverse("web:support-overview"), {"area": town.pk, "nam": "2024"}),
        (reverse("web:household-detail", args=[ledger.poor.pk]), {}),
    ]

    def counts() -> list[int]:
        found = []
        for url, params in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, params).status_code == 200
            found.append(len(queries.captured_queries))
        return found

    housing_case_open(household=ledger.poor, work="new_build", approved_on=date(2024, 3, 1), actor=None)
    support_event_record(
        household=ledger.poor, kind=ledger.kind("education"), occurred_on=date(2024, 9, 1), actor=None
    )
    counts()  # warm the caches (territory, standards)
    small = counts()
    housing_case_open(household=ledger.near_poor, work="repair", approved_on=date(2024, 3, 1), actor=None)
    housing_case_open(household=ledger.poor, work="repair", approved_on=date(2024, 4, 1), actor=None)
    for month in range(1, 6):
        support_event_record(household=ledger.poor, person=ledger.head, kind=ledger.kind("production"),
                             occurred_on=date(2024, month, 2), actor=None)  # fmt: skip
    assert counts() == small
