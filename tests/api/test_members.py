"""Members through the API: adding a member, reading and editing a person, with the services' messages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from giamngheo.registry import services
from giamngheo.registry.models import EventKind, HouseholdEvent, Person
from tests.api.conftest import Api, etag
from tests.registry.factories import make_ethnicity, make_household

pytestmark = pytest.mark.django_db


def test_add_a_member(api: Api, personas: Any) -> None:
    household = personas.kongchro_household
    bana = make_ethnicity("Ba Na", code="13")
    body = {
        "full_name": "  Đinh   Thị Hoa ", "sex": "nu", "relationship": "child", "start_date": "2026-03-01",
        "birth_date": "2026-03-01", "ethnicity_id": bana.pk, "has_health_insurance": True,
    }  # fmt: skip
    response = api.post("owner", f"/api/households/{household.pk}/members", body, if_match=etag(household))
    assert response.status_code == 201, response.json()
    assert response["ETag"] == etag(household)
    member = response.json()
    assert member["full_name"] == "Đinh Thị Hoa" and member["ethnicity_name"] == "Ba Na"
    assert member["household_id"] == household.pk and member["relationship"] == "child"
    assert member["end_date"] is None and member["membership_id"]
    event = HouseholdEvent.objects.filter(household=household).latest("id")
    assert event.kind == EventKind.MEMBER_ADDED and event.actor == personas.owner
    listed = api.get("owner", f"/api/households/{household.pk}/members").json()
    assert {m["id"] for m in listed["items"]} == {household.head_id, member["id"]}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"citizen_id": "06408000123"}, "citizen_id", "12 chữ số"),
        ({"citizen_id": "064080001234"}, "citizen_id", "đã được ghi cho một nhân khẩu khác"),
        ({"birth_date": "2026-03-05"}, "birth_date", "sau ngày vào hộ"),
        ({"relationship": "head"}, "relationship", ""),
        ({"ethnicity_id": 999_999}, "ethnicity_id", "Không có dân tộc"),
        ({"sex": "khac"}, "sex", "nam"),
        ({"full_name": "   "}, "full_name", "không được để trống"),
    ],
)
def test_bad_member_input(api: Api, personas: Any, changes: dict[str, Any], field: str, words: str) -> None:
    household = personas.kongchro_household
    body = {"full_name": "Y Mới", "sex": "nu", "relationship": "child", "start_date": "2026-03-01", **changes}
    before = Person.objects.count()
    response = api.post("owner", f"/api/households/{household.pk}/members", body, if_match=etag(household))
    assert response.status_code == 422
    messages = response.json()["errors"][field]
    assert messages and all(message for message in messages) and any(words in m for m in messages)
    assert Person.objects.count() == before


def test_read_and_edit_a_person(api: Api, personas: Any) -> None:
    person_id = personas.kongchro_household.head_id
    answer = api.get("owner", f"/api/members/{person_id}")
    read = answer.json()
    assert read["id"] == person_id and read["full_name"] == "Đinh Văn Súy"
    assert [m["household_code"] for m in read["memberships"]] == ["H-KONGCHRO"]
    assert answer["ETag"] == etag(personas.kongchro_household)  # the tag of the person's household
    response = api.patch(
        "owner", f"/api/members/{person_id}", {"work_status": "self_employed", "has_health_insurance": False},
        if_match=answer["ETag"],
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert (
        response.json()["work_status"] == "self_employed" and response.json()["has_health_insurance"] is False
    )
    event = HouseholdEvent.objects.filter(person_id=person_id).latest("id")
    assert event.kind == EventKind.MEMBER_UPDATED and event.actor == personas.owner
    assert event.changes["work_status"] == [None, "self_employed"]
    bad = api.patch(
        "owner",
        f"/api/members/{person_id}",
        {"citizen_id": "12", "disabled": True},
        if_match=response["ETag"],
    )
    assert bad.status_code == 422 and "12 chữ số" in bad.json()["errors"]["citizen_id"][0]
    assert (
        Person.objects.get(pk=person_id).disabled is None
    )  # not recorded, and the refused write changed nothing


def test_a_person_who_moved_to_another_area_can_no_longer_be_edited(api: Api, personas: Any) -> None:
    """The owner still reads the person's past membership, but may not change a record SRó now keeps."""
    person = services.member_add(
        household=personas.kongchro_household, full_name="Rơ Châm Hlang", sex="nu", relationship="child",
        start_date=date(2021, 1, 1), actor=None,
    )  # fmt: skip
    services.member_transfer(
        person=person, to_household=personas.sro_household, on=date(2026, 1, 1), actor=None
    )
    read = api.get("owner", f"/api/members/{person.pk}").json()
    assert [m["household_code"] for m in read["memberships"]] == ["H-KONGCHRO"]  # the SRó one is not shown
    tag = etag(personas.sro_household)
    refused = api.patch("owner", f"/api/members/{person.pk}", {"disabled": True}, if_match=tag)
    assert refused.status_code == 403 and "Rơ Châm Hlang" in refused.json()["message"]
    assert api.patch("peer", f"/api/members/{person.pk}", {"disabled": True}, if_match=tag).status_code == 200


def test_the_household_head_can_be_named_through_the_household(api: Api, personas: Any) -> None:
    household = make_household(
        commune=personas.units["new_commune"], code="H-HEAD", registered_on=date(2025, 8, 1),
        members=[{"full_name": "A Chủ", "start_date": date(2025, 8, 1)},
                 {"full_name": "B Vợ", "relationship": "spouse", "sex": "nu", "start_date": date(2025, 8, 1)}],
    )  # fmt: skip
    wife = household.memberships.get(relationship="spouse").person
    response = api.patch("owner", f"/api/households/{household.pk}", {"expected_version": household.version,
                                                                       "head_id": wife.pk})  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response.json()["head_name"] == "B Vợ"
    relationships = {m["full_name"]: m["relationship"] for m in response.json()["members"]}
    assert relationships == {"A Chủ": "other", "B Vợ": "head"}


def test_two_clients_editing_the_same_member_never_overwrite_each_other(api: Api, personas: Any) -> None:
    """Both read the household, both edit its head: the second edit, based on a stale copy, is refused (409) with
    what changed; an edit of another member from the same stale copy still goes through."""
    household = personas.kongchro_household
    other = services.member_add(
        household=household, full_name="Đinh Thị Mai", sex="nu", relationship="child",
        start_date=date(2020, 1, 1), actor=None,
    )  # fmt: skip
    seen = api.get("owner", f"/api/households/{household.pk}").json()
    stamp = {"expected_version": seen["version"], "last_event_id": seen["last_event_id"]}
    first = api.patch("owner", f"/api/members/{household.head_id}", {**stamp, "has_health_insurance": True})
    assert first.status_code == 200, first.json()
    second = api.patch("admin", f"/api/members/{household.head_id}", {**stamp, "has_health_insurance": False})
    assert second.status_code == 409
    body = second.json()
    assert "đã được" in body["message"] and "bảo hiểm y tế" in body["message"].lower()
    assert body["changes"]["has_health_insurance"][1] is True
    assert Person.objects.get(pk=household.head_id).has_health_insurance is True
    # The head's edit does not concern the other member (it did not change the household itself).
    third = api.patch("admin", f"/api/members/{other.pk}", {**stamp, "disabled": True})
    assert third.status_code == 200, third.json()


def test_a_stale_household_version_refuses_adding_a_member(api: Api, personas: Any) -> None:
    household = personas.kongchro_household
    seen = api.get("owner", f"/api/households/{household.pk}").json()
    services.household_update(
        household=household, actor=personas.admin, seen=services.Seen(version=seen["version"]), is_agri=True
    )
    body = {
        "full_name": "Y Mới", "sex": "nu", "relationship": "child", "start_date": "2026-03-01",
        "expected_version": seen["version"],
    }  # fmt: skip
    before = Person.objects.count()
    response = api.post("owner", f"/api/households/{household.pk}/members", body)
    assert response.status_code == 409
    assert response.json()["current_version"] == seen["version"] + 1
    assert Person.objects.count() == before


def test_an_id_or_code_used_outside_the_area_is_refused_without_naming_who_or_where(
    api: Api, personas: Any
) -> None:
    """The SRó head's citizen ID and the SRó household's code, typed by the Kông Chro officer: refused, and the
    answer says nothing of the person, the household or the commune that hold them."""
    household = personas.kongchro_household
    body = {"full_name": "Y Mới", "sex": "nu", "relationship": "child", "start_date": "2026-03-01",
            "citizen_id": "064080005678"}  # fmt: skip
    member = api.post("owner", f"/api/households/{household.pk}/members", body, if_match=etag(household))
    code = api.post("owner", "/api/households", {"code": "H-SRO", "commune_id": personas.units["new_commune"].pk,
                                                 "registered_on": "2026-02-01"})  # fmt: skip
    for answer in (member, code):
        assert answer.status_code == 422
        text = answer.content.decode()
        assert "Rơ Mah Hờ" not in text and "SRó" not in text and "23839" not in text
    assert "064080005678" in member.json()["errors"]["citizen_id"][0]
    assert "H-SRO" in code.json()["errors"]["code"][0]


def test_facts_left_out_are_not_recorded_and_a_birth_year_alone_is_accepted(api: Api, personas: Any) -> None:
    household = personas.kongchro_household
    body = {
        "full_name": "Đinh Văn Gió", "sex": "nam", "relationship": "parent", "start_date": "2026-03-01",
        "birth_date": "1960-01-01", "birth_date_precision": "year", "work_status": "wage_worker",
        "vocational_level": "elementary",
    }  # fmt: skip
    response = api.post("owner", f"/api/households/{household.pk}/members", body, if_match=etag(household))
    assert response.status_code == 201, response.json()
    member = response.json()
    # Not sent = not recorded (null), never "no": the engine leaves what depends on them undecided.
    assert (member["disabled"], member["receives_social_allowance"], member["has_labour_contract"]) == (
        None,
        None,
        None,
    )
    assert member["birth_date_precision"] == "year" and member["vocational_level"] == "elementary"
    assert member["education_level"] is None
    refused = api.post(
        "owner",
        f"/api/households/{household.pk}/members",
        {**body, "full_name": "Đinh Thị Lá", "in_education": False, "school_level": "primary"},
        if_match=response["ETag"],
    )
    assert refused.status_code == 422
    assert refused.json()["errors"]["school_level"] == [
        "Cấp học đang theo học «Tiểu học» chỉ ghi cho người đang đi học (đã ghi: không đi học)."
    ]
