"""The official lists through the API, with personas (giamngheo.api.decisions)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from giamngheo.decisions.reports import POOR_TRANSITIONS, build_report
from giamngheo.demo.procedure import walk_to_decision
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


def test_reports_decisions_and_approvals_through_the_api(town: Any) -> None:
    personas, (h1, *_others), _first, second, _decided = town
    api = Api(personas)
    town_unit = personas.units["town"]
    walk_to_decision(second, town_unit, date(2023, 12, 20))  # meetings, posting, consultation
    assert [k["name"] for k in api.get("owner", "/api/reports").json()][:3] == [
        "ket-qua", "dien-bien-ngheo", "dien-bien-can-ngheo"
    ]  # fmt: skip
    body = {"review_id": second.pk, "commune_id": town_unit.pk, "number": "17/QĐ-UBND",
            "signed_on": "2023-12-20", "signer": "Nguyễn Văn A"}  # fmt: skip
    assert api.post("peer", "/api/decisions", body).status_code == 404  # not its area
    created = api.post("owner", "/api/decisions", body)
    assert created.status_code == 201, created.json()
    assert created.json()["effective_from"] == "2024-01-01" and created.json()["statuses_changed"] == 3
    again = api.post("owner", "/api/decisions", body)
    assert again.status_code == 422 and "đã có quyết định 17/QĐ-UBND" in again.json()["message"]

    report = api.get("province", "/api/reports/dien-bien-ngheo", area="630", year=2023)
    assert report.status_code == 200
    assert report.json() == build_report(POOR_TRANSITIONS, personas.units["district"], 2023).to_json()
    assert api.get("outsider", "/api/reports/dien-bien-ngheo", area="630", year=2023).status_code == 404
    assert api.get("province", "/api/reports/khong-co", area="630", year=2023).status_code == 404

    step = {"review_id": second.pk, "commune_id": town_unit.pk}
    assert api.post("owner", "/api/decisions/approvals", {**step, "step": "submit"}).json() == {
        "state": "submitted"
    }
    assert api.post("owner", "/api/decisions/approvals", {**step, "step": "approve"}).status_code == 403
    assert api.post("province", "/api/decisions/approvals", {**step, "step": "approve"}).json() == {
        "state": "approved"
    }
    assert (
        api.get("province", "/api/reports/dien-bien-ngheo", area="630", year=2023).json()["approved"] is True
    )
    unlock = api.post("province", "/api/decisions/approvals", {**step, "step": "unlock"})
    assert unlock.status_code == 422 and unlock.json()["errors"] == {"reason": ["Nêu lý do mở khoá."]}

    statuses = api.get("owner", f"/api/households/{h1.pk}/statuses").json()
    assert [(s["status"], s["valid_from"], s["decision_number"]) for s in statuses] == [
        ("ngheo", "2023-01-01", "01/QĐ-UBND")
    ]
    assert api.get("peer", f"/api/households/{h1.pk}/statuses").status_code == 404
