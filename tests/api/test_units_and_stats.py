"""Administrative units (public reference data) and the poverty figures of an area, through the API."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


def test_units_with_filters(api: Api, personas: Any) -> None:
    units = personas.units

    def find(**params: Any) -> list[str]:
        response = api.get("unbound", "/api/units", **params)
        assert response.status_code == 200, response.json()
        return [f"{item['level']}:{item['code']}" for item in response.json()["items"]]

    assert find(level="province") == ["province:52", "province:64", "province:99"]
    assert find(parent=units["district"].pk) == ["commune:23824", "commune:23839", "commune:23845"]
    assert find(code="23824") == ["commune:23824", "commune:23824"]
    assert find(code="23824", valid_on="2026-01-01") == ["commune:23824"]
    assert find(q="kong chro", level="district") == ["district:630"]
    assert find(q="SRÓ") == ["commune:23839", "commune:23839"]
    items = api.get("owner", "/api/units", code="23824", valid_on="2024-01-01").json()["items"]
    assert items[0]["id"] == units["town"].pk and items[0]["valid_to"] == "2025-06-30"


def test_one_unit_with_its_reform_links_and_villages(api: Api, personas: Any) -> None:
    units = personas.units
    new = api.get("owner", f"/api/units/{units['new_commune'].pk}").json()
    assert new["parent"]["code"] == "52" and new["successors"] == []
    assert {u["id"] for u in new["predecessors"]} == {units["town"].pk, units["yang_trung"].pk}
    town = api.get("owner", f"/api/units/{units['town'].pk}").json()
    assert [u["id"] for u in town["successors"]] == [units["new_commune"].pk]
    assert [v["name"] for v in town["villages"]] == ["Làng Tơ Mơ"]
    missing = api.get("owner", "/api/units/999999999")
    assert missing.status_code == 404 and missing.json() == {"message": "Không tìm thấy đơn vị hành chính."}


def test_stats_match_the_command_line(api: Api, personas: Any, assessments: Any) -> None:
    response = api.get("province", "/api/stats", area="52", year=2026, current="true")
    assert response.status_code == 200
    out = StringIO()
    call_command("stats", "--area", "52", "--year", "2026", "--json", "--current", stdout=out)
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["total_households"] == 2  # Kông Chro and SRó; the far household is elsewhere


def test_stats_of_a_legacy_unit_by_its_year(api: Api, personas: Any, assessments: Any) -> None:
    """Without `current`, the code is read as on 31/12 of the year: 630 is the old district in 2024."""
    old = api.get("province", "/api/stats", area="630", year=2024)
    assert old.status_code == 200 and old.json()["area"]["level"] == "district"
    assert api.get("owner", "/api/stats", area="630", year=2024).status_code == 404  # 630 also had SRó


@pytest.mark.parametrize(
    ("params", "field"),
    [({"area": "52"}, "year"), ({"area": "5x", "year": 2025}, "area"), ({"area": "52", "year": 1900}, "year"),
     ({"area": "52", "year": 2025, "level": "thon"}, "level")],
)  # fmt: skip
def test_stats_refuse_bad_parameters(api: Api, personas: Any, params: dict[str, Any], field: str) -> None:
    response = api.get("province", "/api/stats", **params)
    assert response.status_code == 422 and field in response.json()["errors"]
