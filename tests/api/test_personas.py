"""Every endpoint, every persona: an account reads and writes only in its own area.

Out-of-area records answer exactly like missing ones (the same 404 body); records in the area that the account may
only read answer 403 to a write. Expectations come from `tests.accounts.test_scope.VISIBLE`.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from giamngheo.registry.models import Household
from tests.accounts.test_scope import VISIBLE
from tests.api.conftest import PERSONAS, Api, etag

pytestmark = pytest.mark.django_db

HOUSEHOLDS = ("kongchro_household", "sro_household", "far_household")
MISSING = 999_999_999
CAN_EDIT = {"owner", "peer", "outsider", "admin"}
CAN_ASSESS = CAN_EDIT  # no village reviewer among the personas; they are tested in test_assessments


def _households(personas: Any) -> list[Household]:
    return [getattr(personas, name) for name in HOUSEHOLDS]


# Each read endpoint: the path for a household (and a path of the same kind whose id does not exist).
READS: dict[str, Callable[[Household, dict[str, Any]], str]] = {
    "household": lambda h, a: f"/api/households/{h.pk}",
    "members": lambda h, a: f"/api/households/{h.pk}/members",
    "assessments": lambda h, a: f"/api/households/{h.pk}/assessments",
    "member": lambda h, a: f"/api/members/{h.head_id}",
    "assessment": lambda h, a: f"/api/assessments/{a[h.code].pk}",
    "reviews of household": lambda h, a: f"/api/reviews?household={h.pk}",
}
READS_MISSING: dict[str, str] = {
    "household": f"/api/households/{MISSING}",
    "members": f"/api/households/{MISSING}/members",
    "assessments": f"/api/households/{MISSING}/assessments",
    "member": f"/api/members/{MISSING}",
    "assessment": f"/api/assessments/{MISSING}",
    "reviews of household": f"/api/reviews?household={MISSING}",
}


@pytest.mark.parametrize("endpoint", sorted(READS))
@pytest.mark.parametrize("name", PERSONAS)
def test_reads_are_limited_to_the_area(
    api: Api, personas: Any, assessments: Any, name: str, endpoint: str
) -> None:
    missing = api.get(name, READS_MISSING[endpoint])
    assert missing.status_code == 404
    for household in _households(personas):
        response = api.get(name, READS[endpoint](household, assessments))
        if household.code in VISIBLE[name]:
            assert response.status_code == 200, (household.code, response.json())
        else:
            assert response.status_code == 404, household.code
            assert response.content == missing.content
            assert household.code not in response.content.decode()


@pytest.mark.parametrize("name", PERSONAS)
def test_the_list_holds_exactly_the_area(api: Api, personas: Any, name: str) -> None:
    body = api.get(name, "/api/households").json()
    assert {item["code"] for item in body["items"]} == VISIBLE[name]
    assert body["count"] == len(VISIBLE[name])


def _write(api: Api, name: str, endpoint: str, household: Any, reviews: dict[str, Any]) -> Any:
    tag = '"v1.e1"' if household is NOWHERE else etag(household)
    if endpoint == "edit household":
        return api.patch(name, f"/api/households/{household.pk}", {"address": "Thôn 2"}, if_match=tag)
    if endpoint == "add member":
        body = {"full_name": "Y Mới", "sex": "nu", "relationship": "child", "start_date": "2026-01-02"}
        return api.post(name, f"/api/households/{household.pk}/members", body, if_match=tag)
    if endpoint == "edit member":
        return api.patch(
            name, f"/api/members/{household.head_id}", {"has_health_insurance": True}, if_match=tag
        )
    assert endpoint == "record assessment"
    body = {
        "review_id": reviews[household.code].pk,
        "assessed_on": "2026-11-16",
        "income_per_capita": 900_000,
    }
    return api.post(name, f"/api/households/{household.pk}/assessments", body, if_match=tag)


WRITES = {
    "edit household": (200, CAN_EDIT),
    "add member": (201, CAN_EDIT),
    "edit member": (200, CAN_EDIT),
    "record assessment": (201, CAN_ASSESS),
}
# Stands for a household (and its head) that does not exist, with a body as valid as the real ones.
NOWHERE = SimpleNamespace(pk=MISSING, head_id=MISSING, version=1, code="H-KONGCHRO")


@pytest.mark.parametrize("endpoint", sorted(WRITES))
@pytest.mark.parametrize("name", PERSONAS)
def test_writes_need_the_area_and_the_right(
    api: Api, personas: Any, reviews: Any, name: str, endpoint: str
) -> None:
    success, allowed = WRITES[endpoint]
    missing = _write(api, name, endpoint, NOWHERE, reviews)
    assert missing.status_code == 404, missing.json()
    for household in _households(personas):
        response = _write(api, name, endpoint, household, reviews)
        if household.code not in VISIBLE[name]:
            assert response.status_code == 404, household.code
            assert response.content == missing.content
        elif name in allowed:
            assert response.status_code == success, (household.code, response.json())
        else:
            assert response.status_code == 403, household.code
            assert response.json()["message"]


COMMUNES = {"new_commune": "owner", "new_sro": "peer", "far_commune": "outsider"}


@pytest.mark.parametrize("name", PERSONAS)
def test_registering_a_household_needs_a_commune_of_the_area(api: Api, personas: Any, name: str) -> None:
    for unit, officer in COMMUNES.items():
        commune = personas.units[unit]
        body = {"code": f"MOI-{unit}", "commune_id": commune.pk, "registered_on": "2026-01-05"}
        response = api.post(name, "/api/households", body)
        if name in {officer, "admin"}:
            assert response.status_code == 201, response.json()
            created = response.json()
            assert created["code"] == f"MOI-{unit}" and created["commune"]["id"] == commune.pk
            assert Household.objects.get(pk=created["id"]).events.get().actor == personas.users()[name]
        else:
            assert response.status_code == 403, (unit, response.json())
            assert not Household.objects.filter(code=f"MOI-{unit}").exists()


STATS_AREAS = {"23824": {"owner", "viewer", "province"}, "23839": {"peer", "province"}, "52": {"province"},
               "99001": {"outsider"}}  # fmt: skip


@pytest.mark.parametrize("name", PERSONAS)
def test_stats_only_for_units_of_the_area(api: Api, personas: Any, assessments: Any, name: str) -> None:
    unknown = api.get(name, "/api/stats", area="12345", year=2026, current="true")
    assert unknown.status_code == 404
    for code, readers in STATS_AREAS.items():
        response = api.get(name, "/api/stats", area=code, year=2026, current="true")
        if name in readers | {"admin"}:
            assert response.status_code == 200, (code, response.json())
            assert response.json()["area"]["code"] == code
        else:
            assert response.status_code == 404, code
            assert response.content == unknown.content


@pytest.mark.parametrize("name", PERSONAS)
def test_reference_data_and_classification_are_open_to_every_account(
    api: Api, personas: Any, name: str
) -> None:
    assert api.get(name, "/api/units", level="province").status_code == 200
    assert api.get(name, f"/api/units/{personas.units['new_commune'].pk}").status_code == 200
    assert api.get(name, "/api/reviews").status_code == 200
    assert api.post(name, "/api/classify", {"income_per_capita": 1_000_000}).status_code == 200
