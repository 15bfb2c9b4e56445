"""Households through the API: filters and search, one household, registering, editing with optimistic
concurrency, bad input, and a query count that does not grow with the list."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from giamngheo.registry import services
from giamngheo.registry.models import EventKind, Household, HouseholdEvent
from tests.api.conftest import Api, etag
from tests.registry.factories import GOOD_CONDITIONS, make_ethnicity, make_household, make_village

pytestmark = pytest.mark.django_db


def codes(response: Any) -> set[str]:
    assert response.status_code == 200, response.json()
    return {item["code"] for item in response.json()["items"]}


@pytest.fixture
def many(personas: Any) -> dict[str, Household]:
    """More households in new Kông Chro (owner's area), varied for the filters."""
    commune = personas.units["new_commune"]
    village = make_village(commune, name="Làng Mới")
    bana = make_ethnicity("Ba Na", code="13")
    farm = make_household(
        commune=commune, village=village, code="H-FARM", registered_on=date(2025, 8, 1), is_agri=True,
        members=[{"full_name": "Y Bhăm", "ethnicity": bana, "start_date": date(2025, 8, 1)}],
    )  # fmt: skip
    merit = make_household(
        commune=commune, code="H-MERIT", registered_on=date(2025, 8, 1), has_meritorious_member=True,
        members=[{"full_name": "Trần Thị Lụa", "sex": "nu", "citizen_id": "064180009999",
                  "start_date": date(2025, 8, 1)}],
    )  # fmt: skip
    return {"farm": farm, "merit": merit, "village": village, "bana": bana}  # type: ignore[dict-item]


def test_filters_and_search(api: Api, personas: Any, many: dict[str, Any], assessments: Any) -> None:
    def find(**params: Any) -> set[str]:
        return codes(api.get("owner", "/api/households", **params))

    assert find() == {"H-KONGCHRO", "H-FARM", "H-MERIT"}
    # Today's commune covers the legacy commune it took over (H-KONGCHRO is registered in the legacy town).
    assert find(commune=personas.units["new_commune"].pk) == {"H-KONGCHRO", "H-FARM", "H-MERIT"}
    assert find(commune=personas.units["town"].pk) == {"H-KONGCHRO"}
    assert find(village=many["village"].pk) == {"H-FARM"}
    assert find(is_agri="true") == {"H-FARM"}
    assert find(has_meritorious_member="true") == {"H-MERIT"}
    assert find(has_meritorious_member="false") == {"H-KONGCHRO", "H-FARM"}
    assert find(ethnicity="13") == {"H-FARM"}  # the group's code in list A, as the web list takes it
    assert find(poverty_class="can_ngheo") == {"H-KONGCHRO"}
    assert find(status="active") == {"H-KONGCHRO", "H-FARM", "H-MERIT"}
    assert find(status="closed") == set()
    # Names without diacritics or case, a part of the household code, a 12-digit citizen ID.
    assert find(q="dinh van suy") == {"H-KONGCHRO"}
    assert find(q="ĐINH VĂN") == {"H-KONGCHRO"}
    assert find(q="tran thi lua") == {"H-MERIT"}
    assert find(q="h-fa") == {"H-FARM"}  # text with a separator and no space is part of a code
    assert find(q="064180009999") == {"H-MERIT"}
    assert find(q="064080005678") == set()  # the SRó head's ID: outside the area, so not found
    assert find(q="không có ai") == set()


def test_list_items_carry_their_id_and_pages_count_everything(api: Api, personas: Any, many: Any) -> None:
    first = api.get("owner", "/api/households", limit=2).json()
    second = api.get("owner", "/api/households", limit=2, offset=2).json()
    assert first["count"] == second["count"] == 3
    assert (first["limit"], first["offset"], second["offset"]) == (2, 0, 2)
    items = first["items"] + second["items"]
    assert [item["code"] for item in items] == ["H-FARM", "H-KONGCHRO", "H-MERIT"]
    for item in items:
        assert api.get("owner", f"/api/households/{item['id']}").json()["code"] == item["code"]


def test_one_household_with_members_living_conditions_and_assessments(
    api: Api, personas: Any, assessments: Any
) -> None:
    household = personas.kongchro_household
    services.living_conditions_record(
        household=household, recorded_on=date(2024, 1, 1), actor=None, **{**GOOD_CONDITIONS, "has_tv": False}
    )
    services.living_conditions_record(
        household=household, recorded_on=date(2025, 1, 1), actor=None, **GOOD_CONDITIONS
    )
    child = services.member_add(
        household=household, full_name="Đinh Thị Nhỏ", sex="nu", relationship="child",
        start_date=date(2021, 1, 1), birth_date=date(2021, 1, 1), actor=None,
    )  # fmt: skip
    services.member_leave(
        membership=child.memberships.get(), end_date=date(2024, 5, 1), reason="moved_out", actor=None
    )
    body = api.get("owner", f"/api/households/{household.pk}").json()
    assert body["id"] == household.pk and body["code"] == "H-KONGCHRO"
    assert body["head_name"] == "Đinh Văn Súy"
    assert [m["full_name"] for m in body["members"]] == ["Đinh Văn Súy"]  # the child has left
    assert body["members"][0]["citizen_id"] == "064080001234"
    assert body["living_conditions"]["recorded_on"] == "2025-01-01"
    assert body["living_conditions"]["floor_area_m2"] == 80.0
    [assessment] = body["assessments"]
    assert assessment["id"] == assessments["H-KONGCHRO"].pk
    assert assessment["income_per_capita"] == 1_200_000 and assessment["review"]["year"] == 2026
    assert body["latest_class"] == assessment["poverty_class"]
    past = api.get("owner", f"/api/households/{household.pk}/members", include_past="true").json()
    assert [m["full_name"] for m in past["items"]] == ["Đinh Văn Súy", "Đinh Thị Nhỏ"]
    assert past["items"][1]["end_reason"] == "moved_out"


def test_register_a_household(api: Api, personas: Any) -> None:
    commune = personas.units["new_commune"]
    village = make_village(commune)
    body = {
        "code": " 23824-0100 ", "commune_id": commune.pk, "village_id": village.pk, "registered_on": "2026-02-01",
        "area_type": "nong_thon", "address": "Làng Tơ Mơ", "is_agri": True,
    }  # fmt: skip
    response = api.post("owner", "/api/households", body)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (
        created["code"] == "23824-0100" and created["village"]["id"] == village.pk and created["version"] == 1
    )
    event = HouseholdEvent.objects.get(household_id=created["id"])
    assert event.kind == EventKind.CREATED and event.actor == personas.owner


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"code": "H-SRO"}, "code", "đã có trong sổ hộ"),
        ({"code": ""}, "code", "không được để trống"),
        ({"registered_on": "2099-01-01"}, "registered_on", "ở tương lai"),
        ({"registered_on": "01/02/2026"}, "registered_on", "YYYY-MM-DD"),
        ({"registered_on": 0}, "registered_on", "YYYY-MM-DD"),  # not a Unix time
        ({"commune_id": 999_999_999}, "commune_id", "Không có đơn vị hành chính"),
        ({"commune_id": "một"}, "commune_id", "số nguyên"),
        ({"area_type": "nui"}, "area_type", "nong_thon"),
        ({"adress": "sai chính tả"}, "adress", "không phải là trường được hỗ trợ"),
        ({"code": None}, "code", "chuỗi ký tự"),
        ({"code": "A\u0000B"}, "code", "NUL"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    api: Api, personas: Any, body: dict[str, Any], field: str, words: str
) -> None:
    valid = {"code": "MOI-1", "commune_id": personas.units["new_commune"].pk, "registered_on": "2026-02-01"}
    before = Household.objects.count()
    response = api.post("owner", "/api/households", {**valid, **body})
    assert response.status_code == 422
    answer = response.json()
    assert any(words in message for message in answer["errors"][field]), answer
    assert f"«{field}»" in answer["message"] and words in answer["message"]
    assert Household.objects.count() == before


def test_missing_field_and_unreadable_body(api: Api, personas: Any) -> None:
    answer = api.post("owner", "/api/households", {"code": "X"}).json()
    assert set(answer["errors"]) == {"commune_id", "registered_on"}
    assert answer["errors"]["commune_id"] == ["bắt buộc, chưa có giá trị"]
    response = api.client.post(
        "/api/households", "{không phải json", content_type="application/json",
        headers={"Authorization": f"Bearer {api.token('owner')}"},
    )  # fmt: skip
    assert response.status_code == 400 and "JSON" in response.json()["message"]


def test_edit_a_household_and_refuse_a_stale_version(api: Api, personas: Any) -> None:
    household = personas.kongchro_household
    path = f"/api/households/{household.pk}"
    version = api.get("owner", path).json()["version"]
    first = api.patch(
        "owner", path, {"expected_version": version, "address": "Làng Tơ Mơ, nhà 3", "is_agri": True}
    )
    assert first.status_code == 200, first.json()
    assert first.json()["version"] == version + 1 and first.json()["is_agri"] is True
    event = HouseholdEvent.objects.filter(household=household).latest("id")
    assert event.actor == personas.owner and event.changes["address"] == ["", "Làng Tơ Mơ, nhà 3"]

    # A second officer (here the administrator) still holds the old version: refused, told what changed.
    stale = api.patch("admin", path, {"expected_version": version, "address": "Nhà khác"})
    assert stale.status_code == 409
    answer = stale.json()
    assert answer["expected_version"] == version and answer["current_version"] == version + 1
    assert answer["changes"]["address"] == ["", "Làng Tơ Mơ, nhà 3"]
    assert "Làng Tơ Mơ, nhà 3" in answer["message"] and "xa.kongchro" in answer["message"]
    household.refresh_from_db()
    assert household.address == "Làng Tơ Mơ, nhà 3"


def test_http_preconditions_etag_if_match_412_and_428(api: Api, personas: Any) -> None:
    """Writes follow HTTP: the ETag read with the household goes back in If-Match; a stale tag answers 412 with
    what changed, a write without any precondition 428, a tag this API did not issue 400."""
    household = personas.kongchro_household
    path = f"/api/households/{household.pk}"
    read = api.get("owner", path)
    tag = read["ETag"]
    assert tag == etag(household) and tag.startswith('"v')
    first = api.patch("owner", path, {"address": "Nhà 1"}, if_match=tag)
    assert first.status_code == 200 and first["ETag"] != tag and first["ETag"] == etag(household)
    stale = api.patch("admin", path, {"address": "Nhà 2"}, if_match=tag)
    assert stale.status_code == 412
    assert stale.json()["changes"]["address"] == ["", "Nhà 1"] and "Nhà 1" in stale.json()["message"]
    required = api.patch("owner", path, {"address": "Nhà 3"})
    assert required.status_code == 428 and "If-Match" in required.json()["message"]
    foreign = api.patch("owner", path, {"address": "Nhà 3"}, if_match='W/"123abc"')
    assert foreign.status_code == 400 and "If-Match" in foreign.json()["message"]
    # A member's change moves the tag (not the version): a household write from the old tag is not concerned,
    # a change of that member from the old tag is refused.
    tag = first["ETag"]
    head = household.head_id
    changed = api.patch("owner", f"/api/members/{head}", {"has_health_insurance": True}, if_match=tag)
    assert changed.status_code == 200 and changed["ETag"] != tag
    assert api.patch("admin", f"/api/members/{head}", {"disabled": True}, if_match=tag).status_code == 412
    assert api.patch("owner", path, {"address": "Nhà 4"}, if_match=tag).status_code == 200
    household.refresh_from_db()
    assert household.address == "Nhà 4"


def test_edit_needs_expected_version_and_valid_values(api: Api, personas: Any) -> None:
    household = personas.kongchro_household
    path = f"/api/households/{household.pk}"
    missing = api.patch("owner", path, {"address": "x"})
    assert missing.status_code == 428 and "expected_version" in missing.json()["message"]
    bad = api.patch("owner", path, {"expected_version": household.version, "code": "H-SRO", "address": "y"})
    assert bad.status_code == 422 and "đã có trong sổ hộ" in bad.json()["errors"]["code"][0]
    household.refresh_from_db()
    assert household.address == "" and household.code == "H-KONGCHRO"
    stranger = api.patch(
        "owner", path, {"expected_version": household.version, "head_id": personas.sro_household.head_id}
    )
    assert stranger.status_code == 422 and "head_id" in stranger.json()["errors"]


def test_moving_a_household_out_of_the_area_is_refused(api: Api, personas: Any) -> None:
    household = make_household(
        commune=personas.units["new_commune"], code="H-MOVE", registered_on=date(2025, 8, 1)
    )
    path = f"/api/households/{household.pk}"
    away = api.patch(
        "owner", path, {"expected_version": household.version, "commune_id": personas.units["new_sro"].pk}
    )
    assert away.status_code == 403
    household.refresh_from_db()
    assert household.commune == personas.units["new_commune"]
    moved = api.patch(
        "admin", path, {"expected_version": household.version, "commune_id": personas.units["new_sro"].pk}
    )
    assert moved.status_code == 200 and moved.json()["commune"]["code"] == "23839"
    assert HouseholdEvent.objects.filter(household=household, kind=EventKind.MOVED).exists()


def _list_queries(api: Api) -> int:
    api.get("owner", "/api/households")  # the token's first use of the minute writes last_used_at
    with CaptureQueriesContext(connection) as queries:
        response = api.get("owner", "/api/households", limit=500)
    assert response.status_code == 200
    return len(queries)


def test_the_list_takes_a_fixed_number_of_queries(
    api: Api, personas: Any, assessments: Any, django_assert_max_num_queries: Any
) -> None:
    commune = personas.units["new_commune"]
    make_household(
        commune=commune,
        code="H-Q-0",
        registered_on=date(2025, 8, 1),
        members=[{"start_date": date(2025, 8, 1)}],
    )
    few = _list_queries(api)
    # The token, the caller's area, the count, the page's ids, rows and matched members (on PostgreSQL also the
    # savepoint that keeps the list's planner settings local).
    assert few <= 12
    for number in range(1, 16):
        make_household(
            commune=commune, code=f"H-Q-{number}", registered_on=date(2025, 8, 1),
            members=[{"start_date": date(2025, 8, 1)}, {"start_date": date(2025, 8, 1)}],
        )  # fmt: skip
    assert api.get("owner", "/api/households").json()["count"] == 17
    assert _list_queries(api) == few
    with django_assert_max_num_queries(14):  # a name search also reads the matching people first
        api.get("owner", "/api/households", limit=500, q="thanh vien")
