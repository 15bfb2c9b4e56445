"""The registry services: validation messages, history rows with old → new values, versions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from giamngheo.registry import services
from giamngheo.registry.models import (
    EventKind,
    HouseholdEvent,
    HouseholdStatus,
    LivingConditions,
    Membership,
)
from tests.registry.factories import (
    GOOD_CONDITIONS,
    POOR_CONDITIONS,
    make_commune,
    make_household,
    make_person,
    make_unit,
    make_user,
    make_village,
)

pytestmark = pytest.mark.django_db
D = date(2020, 1, 1)


def messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def events(household, kind=None):
    rows = HouseholdEvent.objects.filter(household=household).order_by("recorded_at", "id")
    return list(rows.filter(kind=kind) if kind else rows)


# household_register ---------------------------------------------------------------------------------------------


def test_register_writes_created_event_with_the_users_full_name():
    user = make_user("cb_xa", full_name="Đinh Thị Hoa")
    commune = make_commune()
    village = make_village(commune, name="Làng Sơ Rơn")
    household = services.household_register(
        code=" KC-001 ", commune=commune, village=village, area_type="nong_thon", registered_on=D, actor=user,
        is_agri=True, address="Làng  Sơ Rơn",
    )  # fmt: skip
    assert (
        household.code == "KC-001" and household.version == 1 and household.status == HouseholdStatus.ACTIVE
    )
    [event] = events(household)
    assert event.kind == EventKind.CREATED
    assert event.actor == user and event.actor_name == "Đinh Thị Hoa"
    assert event.occurred_on == D and event.household_version == 1
    assert event.changes["code"] == [None, "KC-001"]
    assert event.changes["village"] == [None, {"id": village.pk, "label": "Làng Sơ Rơn"}]
    assert event.changes["is_agri"] == [None, True]
    assert event.changes["address"] == [None, "Làng Sơ Rơn"]
    assert "has_meritorious_member" not in event.changes  # False by default: not noise in the history


def test_actor_name_falls_back_to_username_then_system():
    with_username = make_user("nguoi_nhap")
    first = make_household(actor=with_username)
    second = make_household(actor=None)
    named = services.household_register(code="KC-X", commune=make_commune(), village=None, area_type="thanh_thi",
                                        registered_on=D, actor=None, actor_name="Nhập từ tệp Excel")  # fmt: skip
    assert events(first)[0].actor_name == "nguoi_nhap"
    assert events(second)[0].actor_name == "hệ thống" and events(second)[0].actor is None
    assert events(named)[0].actor_name == "Nhập từ tệp Excel"


def test_register_rejects_bad_input_naming_each_field():
    commune = make_commune()
    other = make_commune()
    make_household(code="KC-1", commune=commune)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.household_register(code="KC-1", commune=commune, village=make_village(other), area_type="rung",
                                    registered_on=tomorrow, actor=None)  # fmt: skip
    errors = messages(caught.value)
    assert "đã có trong sổ hộ" in errors["code"][0]
    assert "không thuộc" in errors["village"][0]
    assert "«rung» không hợp lệ" in errors["area_type"][0]
    assert "ở tương lai" in errors["registered_on"][0]


def test_register_rejects_a_unit_that_is_not_a_valid_commune():
    district = make_unit(level="district")
    ended = make_commune(valid_to=date(2025, 6, 30))
    with pytest.raises(ValidationError) as caught:
        services.household_register(code="A", commune=district, village=None, area_type="nong_thon",
                                    registered_on=D, actor=None)  # fmt: skip
    assert "không phải là đơn vị cấp xã" in messages(caught.value)["commune"][0]
    with pytest.raises(ValidationError) as caught:
        services.household_register(code="B", commune=ended, village=None, area_type="nong_thon",
                                    registered_on=date(2025, 7, 2), actor=None)  # fmt: skip
    assert "không còn hoặc chưa có hiệu lực vào ngày 02/07/2025" in messages(caught.value)["commune"][0]


# member_add -----------------------------------------------------------------------------------------------------


def test_member_add_head_sets_household_head_and_records_it():
    household = make_household()
    head = services.member_add(household=household, full_name="Đinh  Văn Súy", sex="nam", relationship="head",
                               start_date=D, actor=None, birth_date=date(1980, 2, 3), citizen_id="064080000001",
                               has_health_insurance=False, work_status="self_employed")  # fmt: skip
    household.refresh_from_db()
    assert household.head == head and household.version == 2
    assert head.full_name == "Đinh Văn Súy" and head.search_name == "dinh van suy"
    [added] = events(household, EventKind.MEMBER_ADDED)
    assert added.person == head and added.household_version == 2
    assert added.changes["head"] == [None, {"id": head.pk, "label": "Đinh Văn Súy"}]
    assert added.changes["birth_date"] == [None, "1980-02-03"]
    assert added.changes["has_health_insurance"] == [
        None,
        False,
    ]  # "no insurance" is information, not a default
    assert added.changes["relationship"] == [None, "head"]
    child = make_person(household, full_name="Đinh Văn Nam")
    household.refresh_from_db()
    assert household.version == 2  # adding a child does not save the household
    assert Membership.objects.get(person=child).relationship == "child"


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"citizen_id": "12345"}, "citizen_id", "phải gồm đúng 12 chữ số (đã nhập «12345»)"),
        ({"citizen_id": "06408000000A"}, "citizen_id", "phải gồm đúng 12 chữ số"),
        ({"birth_date": date(2999, 1, 1)}, "birth_date", "Ngày sinh 01/01/2999 ở tương lai"),
        ({"birth_date": date(2021, 1, 1)}, "birth_date", "sau ngày vào hộ 01/01/2020"),
        ({"full_name": "  "}, "full_name", "Họ và tên không được để trống"),
        ({"sex": "x"}, "sex", "Giới tính: giá trị «x» không hợp lệ"),
        ({"relationship": "boss"}, "relationship", "Quan hệ với chủ hộ: giá trị «boss» không hợp lệ"),
        ({"work_status": "astronaut"}, "work_status", "Việc làm: giá trị «astronaut» không hợp lệ"),
        ({"disabled": "có"}, "disabled", "phải là có hoặc không"),
    ],
)
def test_member_add_validation_messages(kwargs, field, text):
    household = make_household()
    values = {"full_name": "Y Nhơn", "sex": "nu", "relationship": "child", "start_date": D, **kwargs}
    with pytest.raises(ValidationError) as caught:
        services.member_add(household=household, actor=None, **values)
    assert any(text in message for message in messages(caught.value)[field])
    assert not Membership.objects.filter(household=household).exists()


def test_member_add_rejects_a_duplicate_citizen_id_and_a_second_head():
    first = make_household(members=[{"full_name": "Rơ Châm Hyin", "citizen_id": "064080000009"}])
    second = make_household(members=[{"full_name": "Chủ hộ hai"}])
    with pytest.raises(ValidationError) as caught:
        services.member_add(household=second, full_name="Người khác", sex="nam", relationship="child", start_date=D,
                            actor=None, citizen_id="064080000009")  # fmt: skip
    assert "đã được ghi cho một nhân khẩu khác" in messages(caught.value)["citizen_id"][0]
    assert "Rơ Châm Hyin" not in messages(caught.value)["citizen_id"][0]  # never names who has it
    with pytest.raises(ValidationError) as caught:
        services.member_add(household=first, full_name="Chủ hộ mới", sex="nam", relationship="head", start_date=D,
                            actor=None)  # fmt: skip
    assert "đã có chủ hộ «Rơ Châm Hyin»" in messages(caught.value)["relationship"][0]


def test_member_add_refuses_unknown_fact_fields():
    with pytest.raises(TypeError, match="favourite_colour"):
        services.member_add(household=make_household(), full_name="A", sex="nam", relationship="child",
                            start_date=D, actor=None, favourite_colour="blue")  # fmt: skip


# member_update -------------------------------------------------------------------------------------------------


def test_member_update_records_old_and_new_values_and_skips_no_change():
    user = make_user(full_name="Cán bộ Lao động")
    household = make_household(members=[{"full_name": "Đinh Văn A", "has_health_insurance": False}])
    person = household.head
    services.member_update(person=person, actor=user, on=date(2023, 3, 1), has_health_insurance=True,
                           full_name="Đinh Văn Ân", citizen_id="064080000002")  # fmt: skip
    [event] = events(household, EventKind.MEMBER_UPDATED)
    assert event.person == person and event.actor_name == "Cán bộ Lao động"
    assert event.occurred_on == date(2023, 3, 1)
    assert event.changes == {
        "has_health_insurance": [False, True],
        "full_name": ["Đinh Văn A", "Đinh Văn Ân"],
        "citizen_id": [None, "064080000002"],
    }
    person.refresh_from_db()
    assert person.search_name == "dinh van an"
    services.member_update(person=person, actor=user, on=date(2023, 3, 2), has_health_insurance=True)
    assert len(events(household, EventKind.MEMBER_UPDATED)) == 1


def test_member_update_validates_only_what_changes():
    household = make_household(members=[{"full_name": "A", "birth_date": date(1990, 1, 1)}])
    make_household(members=[{"full_name": "B", "citizen_id": "064080000003"}])
    with pytest.raises(ValidationError) as caught:
        services.member_update(person=household.head, actor=None, on=D, citizen_id="064080000003",
                               date_of_death=date(1989, 1, 1))  # fmt: skip
    errors = messages(caught.value)
    assert (
        "đã được ghi cho một nhân khẩu khác" in errors["citizen_id"][0]
        and "«B»" not in errors["citizen_id"][0]
    )
    assert "Ngày mất 01/01/1989 trước ngày sinh 01/01/1990" in errors["date_of_death"][0]


def test_member_update_relationship_to_head():
    household = make_household(members=[{"full_name": "Chủ"}, {"full_name": "Con"}])
    head = household.head
    child = Membership.objects.get(household=household, person__full_name="Con").person
    services.member_update(person=head, actor=None, on=date(2022, 1, 1), relationship="parent")
    household.refresh_from_db()
    assert household.head is None
    services.member_update(person=child, actor=None, on=date(2022, 1, 2), relationship="head")
    household.refresh_from_db()
    assert household.head == child
    updates = events(household, EventKind.MEMBER_UPDATED)
    assert updates[0].changes == {
        "relationship": ["head", "parent"],
        "head": [{"id": head.pk, "label": "Chủ"}, None],
    }
    assert updates[1].changes["head"] == [None, {"id": child.pk, "label": "Con"}]


# member_leave ---------------------------------------------------------------------------------------------------


def test_member_leave_for_death_records_the_date_of_death_and_clears_the_head():
    household = make_household(members=[{"full_name": "Ông Brưh"}, {"full_name": "Cháu"}])
    membership = Membership.objects.get(person=household.head)
    services.member_leave(membership=membership, end_date=date(2023, 5, 6), reason="died", actor=None)
    membership.refresh_from_db()
    membership.person.refresh_from_db()
    household.refresh_from_db()
    assert membership.end_date == date(2023, 5, 6) and membership.end_reason == "died"
    assert membership.person.date_of_death == date(2023, 5, 6)
    assert household.head is None and household.version == 3
    [left] = events(household, EventKind.MEMBER_LEFT)
    assert left.changes["end_reason"] == ["", "died"]
    assert left.changes["date_of_death"] == [None, "2023-05-06"]
    assert left.changes["head"][1] is None and left.household_version == 3


def test_member_leave_validation():
    household = make_household(members=[{"full_name": "A"}])
    membership = Membership.objects.get(person=household.head)
    with pytest.raises(ValidationError) as caught:
        services.member_leave(membership=membership, end_date=date(2019, 1, 1), reason="vanished", actor=None)
    errors = messages(caught.value)
    assert "trước ngày vào hộ 01/01/2020" in errors["end_date"][0]
    assert "Lý do rời hộ: giá trị «vanished» không hợp lệ" in errors["end_reason"][0]
    services.member_leave(membership=membership, end_date=date(2021, 1, 1), reason="moved_out", actor=None)
    with pytest.raises(ValidationError, match="đã rời hộ"):
        services.member_leave(
            membership=membership, end_date=date(2021, 2, 1), reason="moved_out", actor=None
        )


# living conditions --------------------------------------------------------------------------------------------


def test_living_conditions_history_shows_changes_against_the_previous_record():
    household = make_household(living_conditions={"recorded_on": date(2022, 1, 1), **POOR_CONDITIONS})
    services.living_conditions_record(household=household, recorded_on=date(2023, 6, 1), actor=None,
                                      **{**POOR_CONDITIONS, "roof_material": "tile_metal_sheet", "floor_area_m2": 24})  # fmt: skip
    first, second = events(household, EventKind.LIVING_CONDITIONS)
    assert first.changes["floor_area_m2"] == [None, "20.50"]
    assert second.changes == {
        "roof_material": ["leaf_straw", "tile_metal_sheet"],
        "floor_area_m2": ["20.50", "24.00"],
    }
    assert LivingConditions.objects.filter(household=household).count() == 2


def test_living_conditions_same_day_corrects_that_days_record():
    household = make_household(living_conditions={"recorded_on": date(2022, 1, 1), **GOOD_CONDITIONS})
    services.living_conditions_record(household=household, recorded_on=date(2022, 1, 1), actor=None,
                                      **{**GOOD_CONDITIONS, "has_tv": False})  # fmt: skip
    assert LivingConditions.objects.get(household=household).has_tv is False
    correction = events(household, EventKind.LIVING_CONDITIONS)[-1]
    assert correction.changes == {"has_tv": [True, False]} and "cùng ngày" in correction.note


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"floor_area_m2": -5}, "floor_area_m2", "Diện tích nhà ở không được âm (đã nhập -5)"),
        ({"floor_area_m2": "hai mươi"}, "floor_area_m2", "không phải là một số"),
        ({"water_source": "well"}, "water_source", "Nguồn nước: giá trị «well» không hợp lệ"),
        ({"uses_internet": "yes"}, "uses_internet", "phải là có hoặc không"),
    ],
)
def test_living_conditions_validation(fields, field, text):
    household = make_household()
    with pytest.raises(ValidationError) as caught:
        services.living_conditions_record(household=household, recorded_on=D, actor=None, **fields)
    assert text in messages(caught.value)[field][0]


# household_update and concurrency --------------------------------------------------------------------------------


def test_household_update_increments_the_version_and_records_old_and_new():
    household = make_household(address="Thôn 1")
    services.household_update(household=household, actor=None, seen=services.Seen(version=1),
                              address="Thôn 2", is_agri=True, on=date(2023, 1, 5))  # fmt: skip
    assert household.version == 2
    [event] = events(household, EventKind.UPDATED)
    assert event.changes == {"address": ["Thôn 1", "Thôn 2"], "is_agri": [False, True]}
    assert event.household_version == 2 and event.occurred_on == date(2023, 1, 5)


def test_household_update_moving_village_is_a_move_and_checks_the_commune():
    commune = make_commune()
    household = make_household(commune=commune, village=make_village(commune))
    elsewhere = make_village(make_commune())
    with pytest.raises(ValidationError) as caught:
        services.household_update(household=household, actor=None, village=elsewhere)
    assert "không thuộc" in messages(caught.value)["village"][0]
    target = make_village(commune, name="Làng mới")
    services.household_update(household=household, actor=None, village=target, on=date(2023, 2, 1))
    assert events(household)[-1].kind == EventKind.MOVED


def test_household_update_head_must_be_a_current_member_and_relationships_follow():
    household = make_household(members=[{"full_name": "Cha"}, {"full_name": "Con trai"}])
    stranger = make_household(members=[{"full_name": "Người ngoài"}]).head
    with pytest.raises(ValidationError, match="không phải là thành viên hộ"):
        services.household_update(household=household, actor=None, head=stranger, on=date(2023, 1, 1))
    son = Membership.objects.get(household=household, person__full_name="Con trai").person
    services.household_update(household=household, actor=None, head=son, on=date(2023, 1, 1))
    relationships = dict(
        Membership.objects.filter(household=household).values_list("person__full_name", "relationship")
    )
    assert relationships == {"Cha": "other", "Con trai": "head"}
    assert {tuple(e.changes["relationship"]) for e in events(household, EventKind.MEMBER_UPDATED)} == {
        ("head", "other"),
        ("child", "head"),
    }


@pytest.mark.parametrize("with_event_id", [False, True], ids=["version only", "version and last entry"])
def test_a_stale_edit_raises_stale_copy_error_listing_what_changed(with_event_id: bool):
    household = make_household(address="Thôn 1")
    seen = services.Seen.of(household) if with_event_id else services.Seen(version=household.version)
    other = make_user(full_name="Trần Thị Bình")
    services.household_update(household=household, actor=other, address="Thôn 3", no_working_capacity=True)
    stale = type(household).objects.get(pk=household.pk)
    with pytest.raises(services.StaleCopyError) as caught:
        services.household_update(household=stale, actor=None, seen=seen, address="Thôn 2")
    error = caught.value
    assert isinstance(error, ValidationError)
    assert error.expected_version == seen.version and error.current_version == seen.version + 1
    assert error.changes == {"address": ["Thôn 1", "Thôn 3"], "no_working_capacity": [False, True]}
    text = error.messages[0]
    assert "Trần Thị Bình" in text and "chưa được lưu" in text
    assert "địa chỉ: «Thôn 1» → «Thôn 3»" in text and "hộ không có khả năng lao động: «không» → «có»" in text
    stale.refresh_from_db()
    assert stale.address == "Thôn 3"  # the stale edit was not applied
    services.household_update(household=stale, actor=None, seen=services.Seen.of(stale), address="Thôn 2")
    assert stale.version == 3


def test_every_write_service_refuses_a_stale_copy_itself():
    """One stale-copy check, in the services: a member's change since the copy stops a change of that member,
    a leave and a living-conditions record of the household only when they concern it."""
    household = make_household(members=[{"full_name": "A"}, {"full_name": "B"}])
    a, b = (m.person for m in Membership.objects.filter(household=household).order_by("id"))
    seen = services.Seen.of(household)
    services.member_update(person=a, actor=None, on=date(2023, 3, 1), has_health_insurance=True)
    with pytest.raises(services.StaleCopyError):
        services.member_update(person=a, actor=None, on=date(2023, 3, 1), seen=seen, in_education=True)
    membership_a = Membership.objects.get(household=household, person=a)
    with pytest.raises(services.StaleCopyError):
        services.member_leave(membership=membership_a, end_date=date(2023, 3, 2), reason="moved_out",
                              actor=None, seen=seen)  # fmt: skip
    # Not concerned: another member, a living-conditions record, a new member.
    services.member_update(person=b, actor=None, on=date(2023, 3, 1), seen=seen, in_education=True)
    services.living_conditions_record(household=household, recorded_on=date(2023, 3, 1), actor=None,
                                      seen=seen, uses_internet=True)  # fmt: skip
    with pytest.raises(services.StaleCopyError):  # a second living-conditions record from the same copy
        services.living_conditions_record(household=household, recorded_on=date(2023, 3, 2), actor=None,
                                          seen=seen, uses_internet=False)  # fmt: skip
    services.member_add(household=household, full_name="C", sex="nu", relationship="child",
                        start_date=date(2023, 3, 3), actor=None, seen=seen)  # fmt: skip


# close, split, merge -------------------------------------------------------------------------------------------


def test_close_moved_away_ends_every_membership():
    household = make_household(members=[{"full_name": "A"}, {"full_name": "B"}])
    services.household_close(household=household, on=date(2023, 9, 1), reason="moved_away", actor=None)
    assert household.status == HouseholdStatus.CLOSED and household.closed_on == date(2023, 9, 1)
    assert set(Membership.objects.filter(household=household).values_list("end_reason", flat=True)) == {
        "moved_out"
    }
    closed = events(household, EventKind.CLOSED)[0]
    assert closed.changes["status"] == ["active", "closed"] and closed.changes["closed_reason"] == [
        "",
        "moved_away",
    ]
    household.refresh_from_db()
    assert household.head is not None  # the head of a closed household stays on record
    with pytest.raises(ValidationError, match="đã đóng"):
        services.household_update(household=household, actor=None, address="x")


def test_close_validation():
    household = make_household(members=[{"full_name": "A"}])
    with pytest.raises(ValidationError) as caught:
        services.household_close(household=household, on=date(2023, 1, 1), reason="died_out", actor=None)
    assert "còn thành viên (A)" in messages(caught.value)["closed_reason"][0]
    with pytest.raises(ValidationError) as caught:
        services.household_close(household=household, on=date(2023, 1, 1), reason="merged", actor=None)
    assert "Nhập hộ cần chọn hộ nhận" in messages(caught.value)["merged_into"][0]


def test_events_are_append_only():
    household = make_household()
    event = events(household)[0]
    event.note = "sửa lịch sử"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    with pytest.raises(ValueError, match="append-only"):
        HouseholdEvent.objects.filter(pk=event.pk).update(note="sửa lịch sử")
    with pytest.raises(ValueError, match="append-only"):
        household.events.all().delete()
    assert HouseholdEvent.objects.get(pk=event.pk).note == ""
