"""The programme's money through the API, with personas (giamngheo.api.programme)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.programme.conftest import allocate

pytestmark = pytest.mark.django_db


def test_allocations_disbursements_and_summary_through_the_api(personas: Any) -> None:
    api = Api(personas)
    units = personas.units
    town, sro = units["town"], units["old_sro"]
    catalogue = api.get("viewer", "/api/programme/catalogue").json()
    assert [p["code"] for p in catalogue["programmes"]] == ["GNBV-2021-2025", "MTQG-2026-2035"]
    body = {"area_id": town.pk, "year": 2023, "item_code": "DA3.TDA2", "capital_type": "thuong_xuyen",
            "source": "ngan_sach_trung_uong", "amount": 5_000_000, "decision_number": "12/QĐ-UBND",
            "decision_date": "2023-01-20"}  # fmt: skip
    assert api.post("peer", "/api/programme/allocations", body).status_code == 404  # not its area
    assert api.post("outsider", "/api/programme/allocations", body).status_code == 404
    assert api.post("viewer", "/api/programme/allocations", body).status_code == 403  # read-only
    assert api.post("owner", "/api/programme/allocations", {**body, "amount": 5.5}).status_code == 422
    created = api.post("owner", "/api/programme/allocations", body)
    assert created.status_code == 201, created.json()
    allocation = created.json()
    assert (allocation["amount"], allocation["remaining"], allocation["version"]) == (5_000_000, 5_000_000, 0)
    allocate(sro, 7_000_000)  # peer's commune

    listed = api.get("owner", "/api/programme/allocations", area=units["new_commune"].pk, year=2023).json()
    assert [row["id"] for row in listed["items"]] == [allocation["id"]] and listed["count"] == 1
    assert api.get("owner", "/api/programme/allocations", area=sro.pk).status_code == 404
    province = api.get("province", "/api/programme/allocations", area=units["new_province"].pk).json()
    assert province["count"] == 2

    paid = {
        "allocation_id": allocation["id"],
        "paid_on": "2023-03-01",
        "amount": 6_000_000,
        "activity": "Sữa",
    }
    too_much = api.post("owner", "/api/programme/disbursements", paid)
    assert too_much.status_code == 422 and "chỉ còn 5.000.000đ" in too_much.json()["errors"]["amount"][0]
    assert api.post("viewer", "/api/programme/disbursements", {**paid, "amount": 1}).status_code == 403
    assert api.post("peer", "/api/programme/disbursements", {**paid, "amount": 1}).status_code == 404
    done = api.post("owner", "/api/programme/disbursements", {**paid, "amount": 2_000_000})
    assert done.status_code == 201
    stale = api.post("owner", f"/api/programme/allocations/{allocation['id']}/adjustments",
                     {"change": -1_000, "expected_version": 0, "reason": "Sai số"})  # fmt: skip
    assert stale.status_code == 409 and stale.json()["code"] == "stale_copy"
    assert stale.json()["current_version"] == 1
    reversal = api.post("owner", f"/api/programme/disbursements/{done.json()['id']}/reversal",
                        {"reversed_on": "2023-04-01", "reason": "Ghi nhầm", "expected_version": 1})  # fmt: skip
    assert reversal.status_code == 201 and reversal.json()["amount"] == -2_000_000
    api.post("owner", "/api/programme/disbursements", {**paid, "amount": 1_000_000})
    carried = api.post("province", f"/api/programme/allocations/{allocation['id']}/carry-over",
                       {"expected_version": 3, "decision_number": "3/QĐ", "decision_date": "2024-01-05"})  # fmt: skip
    assert carried.status_code == 201 and (carried.json()["year"], carried.json()["amount"]) == (
        2024,
        4_000_000,
    )

    summary = api.get("viewer", "/api/programme/summary", area=units["new_commune"].pk, year=2023).json()
    assert summary["allocated"]["total"] == 5_000_000 and summary["disbursed"]["total"] == 1_000_000
    assert summary["disbursement_rate"] == {
        "numerator": 1_000_000,
        "denominator": 5_000_000,
        "percent": "20.00",
    }
    assert summary["carried_out"]["total"] == 4_000_000
    assert summary["allocated"]["by_project"] == [
        {"id": summary["allocated"]["by_project"][0]["id"], "code": "DA3",
         "label": "Hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng", "amount": 5_000_000}
    ]  # fmt: skip
    assert api.get("outsider", "/api/programme/summary", area=town.pk, year=2023).status_code == 404
    assert api.get("unbound", "/api/programme/summary", area=town.pk, year=2023).status_code == 404
    whole = api.get("province", "/api/programme/summary", area=units["new_province"].pk, year=2023).json()
    assert whole["allocated"]["total"] == 12_000_000  # its communes' money, Kông Chro's and SRó's
