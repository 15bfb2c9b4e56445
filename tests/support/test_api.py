"""The support ledger through the API with personas: commune officers write in their own area, village reviewers,
viewers and province staff read, everyone else gets the same 404 as for a missing household."""

from __future__ import annotations

from datetime import date

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import area_role_assign
from giamngheo.support.models import SupportEvent
from giamngheo.support.selectors import support_summary
from giamngheo.support.services import support_event_record
from tests.api.conftest import Api
from tests.registry.factories import make_user
from tests.support.conftest import Ledger

pytestmark = pytest.mark.django_db


def test_kinds_and_rules_are_listed(ledger: Ledger) -> None:
    kinds = {k["code"]: k for k in Api(ledger.personas).get("viewer", "/api/support/kinds").json()}
    assert len(kinds) == 11
    assert kinds["housing_new"]["rules"][0]["default_state_amount"] == 40_000_000
    assert kinds["housing_repair"]["rules"][0]["default_state_amount"] == 20_000_000
    assert kinds["nutrition"]["rules"][0]["escaped_within_years"] == 3
    assert kinds["information"]["rules"][0]["any_household"] is True


def test_record_correct_cancel_and_read_through_the_api(ledger: Ledger) -> None:
    api = Api(ledger.personas)
    url = f"/api/households/{ledger.poor.pk}/support"
    body = {"kind": "production", "occurred_on": "2024-04-01", "state_budget": 5_000_000, "mobilised": 250_000,
            "description": "Bò giống", "person_id": ledger.head.pk}  # fmt: skip
    for name in ("peer", "outsider", "unbound"):
        assert api.post(name, url, body).status_code == 404, name
        assert api.get(name, url).status_code == 404, name
    for name in ("viewer", "province"):
        assert api.post(name, url, body).status_code == 403, name
    assert not SupportEvent.objects.exists()

    created = api.post("owner", url, body)
    assert created.status_code == 201, created.json()
    entry = created.json()
    assert (entry["kind"], entry["standing"], entry["state_budget"], entry["recorded_by"]) == (
        "production",
        "ngheo",
        5_000_000,
        "xa.kongchro",
    )
    assert entry["commune_code"] == "23824" and entry["in_force"] is True

    refused = api.post("owner", f"/api/households/{ledger.never.pk}/support", body | {"person_id": None})
    assert refused.status_code == 422
    assert "không thuộc diện được hỗ trợ «Hỗ trợ phát triển sản xuất»" in refused.json()["errors"]["kind"][0]
    assert api.post("owner", url, body | {"state_budget": -1}).status_code == 422
    assert api.post("owner", url, body | {"state_budget": 1.5}).status_code == 422

    event_id = entry["id"]
    assert (
        api.post("peer", f"/api/support/events/{event_id}/cancellation", {"reason": "x"}).status_code == 404
    )
    assert (
        api.post("viewer", f"/api/support/events/{event_id}/cancellation", {"reason": "x"}).status_code == 403
    )
    correction = api.post("owner", f"/api/support/events/{event_id}/corrections",
                          {"reason": "Nhầm số tiền", "state_budget": 4_000_000})  # fmt: skip
    assert correction.status_code == 201, correction.json()
    assert (correction.json()["corrects_id"], correction.json()["state_budget"]) == (event_id, 4_000_000)
    cancelled = api.post("owner", f"/api/support/events/{correction.json()['id']}/cancellation",
                         {"reason": "Hộ trả lại"})  # fmt: skip
    assert cancelled.status_code == 201 and cancelled.json()["cancelled_reason"] == "Hộ trả lại"

    listed = api.get("viewer", url).json()
    assert [(e["id"], e["in_force"]) for e in listed] == [(correction.json()["id"], False), (event_id, False)]


def test_housing_cases_through_the_api(ledger: Ledger) -> None:
    api = Api(ledger.personas)
    url = f"/api/households/{ledger.near_poor.pk}/housing"
    body = {"work": "repair", "approved_on": "2024-05-02", "mobilised": 3_000_000}
    assert api.post("peer", url, body).status_code == 404
    assert api.post("viewer", url, body).status_code == 403
    created = api.post("owner", url, body)
    assert created.status_code == 201, created.json()
    case = created.json()
    assert (case["stage"], case["state_budget"], case["mobilised"]) == ("approved", 20_000_000, 3_000_000)
    steps = f"/api/housing/{case['id']}/steps"
    out_of_order = api.post("owner", steps, {"stage": "handed_over", "on": "2024-07-01"})
    assert out_of_order.status_code == 422
    assert out_of_order.json()["errors"]["stage"] == [
        "Bước tiếp theo của hồ sơ là «Đang thi công», không phải «Đã bàn giao»."
    ]
    assert api.post("peer", steps, {"stage": "building", "on": "2024-06-01"}).status_code == 404
    assert api.post("owner", steps, {"stage": "building", "on": "2024-06-01"}).json()["stage"] == "building"
    listed = api.get("province", url).json()
    assert [s["stage"] for s in listed[0]["steps"]] == ["approved", "building"]
    assert api.get("outsider", url).status_code == 404


def test_a_village_reviewer_reads_the_households_of_its_villages(ledger: Ledger) -> None:
    personas = ledger.personas
    household = personas.kongchro_household
    reviewer = make_user("ra.soat")
    area_role_assign(user=reviewer, role=Role.VILLAGE, area=personas.units["new_commune"],
                     villages=[personas.kongchro_village])  # fmt: skip
    personas.users = lambda: {"reviewer": reviewer, "owner": personas.owner}  # type: ignore[method-assign]
    support_event_record(household=household, kind=ledger.kind("information"), occurred_on=date(2026, 3, 1),
                         actor=personas.owner, description="Loa truyền thanh")  # fmt: skip
    api = Api(personas)
    read = api.get("reviewer", f"/api/households/{household.pk}/support")
    assert read.status_code == 200 and read.json()[0]["description"] == "Loa truyền thanh"
    body = {"kind": "information", "occurred_on": "2026-03-02"}
    assert api.post("reviewer", f"/api/households/{household.pk}/support", body).status_code == 403
    assert api.get("reviewer", f"/api/households/{ledger.poor.pk}/support").status_code == 404  # no village


def test_summary_json_for_an_area_of_the_caller(ledger: Ledger) -> None:
    api = Api(ledger.personas)
    support_event_record(household=ledger.poor, kind=ledger.kind("nutrition"), occurred_on=date(2024, 2, 1),
                         actor=None, state_budget=800_000)  # fmt: skip
    answer = api.get("province", "/api/support/summary", area="630", year=2024)
    assert answer.status_code == 200
    assert answer.json() == support_summary(ledger.personas.units["district"], 2024).as_json()
    nutrition = next(k for k in answer.json()["kinds"] if k["code"] == "nutrition")
    assert (nutrition["events"], nutrition["households"], nutrition["funding"]["state_budget"]) == (
        1,
        1,
        800_000,
    )
    assert api.get("peer", "/api/support/summary", area="630", year=2024).status_code == 404
    assert api.get("owner", "/api/support/summary", area="23824", year=2026).status_code == 200
    assert api.get("owner", "/api/support/summary", area="99", year=2026).status_code == 404
