"""The bulk variants write exactly what the single services write for the same input, and validate the same way."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from giamngheo.registry import services
from giamngheo.registry.bulk import HouseholdRow, LivingConditionsRow, MemberLeaveRow, MemberRow
from giamngheo.registry.models import Household, HouseholdEvent, LivingConditions, Membership, Person
from giamngheo.registry.validation import LIVING_CONDITIONS_FIELDS, PERSON_FIELDS
from tests.registry.factories import (
    GOOD_CONDITIONS,
    POOR_CONDITIONS,
    make_commune,
    make_ethnicity,
    make_household,
    make_user,
    make_village,
)

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _plain(value: Any) -> Any:
    """Change values with database ids replaced by their labels (ids differ between two runs)."""
    if isinstance(value, dict) and set(value) == {"id", "label"}:
        return value["label"]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot() -> dict[str, Any]:
    households = [
        (h.code, h.commune_id, h.village_id, h.area_type, h.address, h.head.full_name if h.head else None, h.is_agri,
         h.has_meritorious_member, h.no_working_capacity, h.status, h.registered_on, h.version)
        for h in Household.objects.select_related("head").order_by("code")
    ]  # fmt: skip
    persons = sorted(
        (*(getattr(p, f if f != "ethnicity" else "ethnicity_id") for f in PERSON_FIELDS), p.search_name)
        for p in Person.objects.all()
    )
    memberships = sorted(
        (m.household.code, m.person.full_name, m.relationship, m.start_date, m.end_date, m.end_reason)
        for m in Membership.objects.select_related("household", "person")
    )
    records = sorted(
        (r.household.code, r.recorded_on, *(getattr(r, f) for f in LIVING_CONDITIONS_FIELDS))
        for r in LivingConditions.objects.select_related("household")
    )
    events = [
        (e.household.code, e.kind, e.occurred_on, e.actor_name, _plain(e.changes), e.note,
         e.person.full_name if e.person else None, e.household_version)
        for e in HouseholdEvent.objects.select_related("household", "person").order_by("household__code", "id")
    ]  # fmt: skip
    return {"households": households, "persons": persons, "memberships": memberships, "records": records,
            "events": events}  # fmt: skip


def run_and_rollback(action) -> dict[str, Any]:
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            action()
            result = snapshot()
            raise _Rollback
    except _Rollback:
        pass
    return result


def test_households_bulk_register_equals_the_single_services():
    user = make_user(full_name="Người nhập liệu")
    commune = make_commune()
    village = make_village(commune)
    ba_na = make_ethnicity()
    rows = [
        HouseholdRow(
            code="B-1", commune=commune, village=village, area_type="nong_thon", registered_on=date(2021, 3, 1),
            is_agri=True, address="Làng  A",
            members=[
                MemberRow("Đinh Văn Hùng", "nam", "head", date(2021, 3, 1), birth_date=date(1979, 4, 2),
                          citizen_id="064079000001", ethnicity=ba_na,
                          facts={"has_health_insurance": True, "work_status": "self_employed", "able_to_work": True}),
                MemberRow("Đinh Thị Lan", "nu", "spouse", date(2021, 3, 1), birth_date=date(1982, 1, 1)),
                MemberRow("Đinh Văn Tí", "nam", "child", date(2022, 5, 5), birth_date=date(2022, 5, 5),
                          facts={"malnourished": True}),
            ],
            living_conditions=[LivingConditionsRow(date(2021, 3, 1), POOR_CONDITIONS),
                               LivingConditionsRow(date(2023, 2, 1), {**POOR_CONDITIONS, "floor_area_m2": "31"})],
        ),
        HouseholdRow(
            code="B-2", commune=commune, area_type="thanh_thi", registered_on=date(2022, 1, 1),
            members=[MemberRow("Con trước", "nu", "child", date(2022, 1, 1)),
                     MemberRow("Chủ sau", "nam", "head", date(2022, 1, 1))],
            living_conditions=[LivingConditionsRow(date(2023, 1, 1), GOOD_CONDITIONS),
                               LivingConditionsRow(date(2022, 6, 1), POOR_CONDITIONS)],
        ),
        HouseholdRow(code="B-3", commune=commune, area_type="nong_thon", registered_on=date(2020, 1, 1)),
    ]  # fmt: skip

    def single() -> None:
        for row in rows:
            household = services.household_register(
                code=row.code, commune=row.commune, village=row.village, area_type=row.area_type,
                registered_on=row.registered_on, actor=user, is_agri=row.is_agri, address=row.address,
            )  # fmt: skip
            for m in row.members:
                services.member_add(household=household, full_name=m.full_name, sex=m.sex, relationship=m.relationship,
                                    start_date=m.start_date, actor=user, birth_date=m.birth_date,
                                    citizen_id=m.citizen_id, ethnicity=m.ethnicity, **m.facts)  # fmt: skip
            for lc in row.living_conditions:
                services.living_conditions_record(household=household, recorded_on=lc.recorded_on, actor=user,
                                                  **lc.fields)  # fmt: skip

    by_single = run_and_rollback(single)
    by_bulk = run_and_rollback(lambda: services.households_bulk_register(rows, actor=user, actor_name=None))
    assert by_single["events"] and len(by_single["events"]) == 1 + 3 + 2 + 1 + 2 + 2 + 1
    for key in by_single:
        assert by_bulk[key] == by_single[key], key


def test_member_and_living_conditions_bulk_variants_equal_the_single_services():
    commune = make_commune()
    first = make_household(code="E-1", commune=commune, members=[{"full_name": "Chủ E1", "birth_date": date(1960, 1, 1)},
                                                                  {"full_name": "Con E1"}],
                           living_conditions={"recorded_on": date(2021, 1, 1), **POOR_CONDITIONS})  # fmt: skip
    second = make_household(code="E-2", commune=commune)
    head_membership = Membership.objects.get(person=first.head)
    child_membership = Membership.objects.get(household=first, person__full_name="Con E1")
    new_members = [
        (
            first,
            MemberRow("Cháu mới sinh", "nu", "grandchild", date(2023, 3, 3), birth_date=date(2023, 3, 3)),
        ),
        (second, MemberRow("Chủ E2", "nam", "head", date(2022, 2, 2), citizen_id="064080000077")),
        (second, MemberRow("Vợ E2", "nu", "spouse", date(2022, 2, 2))),
    ]
    records = [
        (first, LivingConditionsRow(date(2022, 7, 1), {**POOR_CONDITIONS, "uses_internet": True})),
        (
            first,
            LivingConditionsRow(date(2021, 1, 1), {**POOR_CONDITIONS, "has_tv": True}),
        ),  # same-day correction
        (second, LivingConditionsRow(date(2023, 1, 1), GOOD_CONDITIONS)),
    ]
    leaving = [
        MemberLeaveRow(head_membership, date(2023, 6, 1), "died"),
        MemberLeaveRow(child_membership, date(2023, 7, 1), "moved_out"),
    ]

    def single() -> None:
        for household, m in new_members:
            services.member_add(household=household, full_name=m.full_name, sex=m.sex, relationship=m.relationship,
                                start_date=m.start_date, actor=None, birth_date=m.birth_date, citizen_id=m.citizen_id)  # fmt: skip
        for household, lc in records:
            services.living_conditions_record(
                household=household, recorded_on=lc.recorded_on, actor=None, **lc.fields
            )
        for row in leaving:
            services.member_leave(membership=Membership.objects.get(pk=row.membership.pk), end_date=row.end_date,
                                  reason=row.reason, actor=None)  # fmt: skip

    def bulk() -> None:
        services.members_bulk_add(new_members, actor=None)
        services.living_conditions_bulk_record(records, actor=None)
        rows = [
            MemberLeaveRow(Membership.objects.get(pk=r.membership.pk), r.end_date, r.reason) for r in leaving
        ]
        assert services.members_bulk_leave(rows, actor=None) == 2

    by_single = run_and_rollback(single)
    by_bulk = run_and_rollback(bulk)
    for key in by_single:
        assert by_bulk[key] == by_single[key], key
    assert any(e[1] == "member_left" and e[4].get("date_of_death") for e in by_single["events"])


def test_bulk_register_reports_every_problem_with_its_row_and_writes_nothing():
    commune = make_commune()
    make_household(
        code="CO-SAN", commune=commune, members=[{"full_name": "Đã có", "citizen_id": "064080000100"}]
    )
    rows = [
        HouseholdRow(code="N-1", commune=commune, area_type="nong_thon", registered_on=date(2022, 1, 1),
                     members=[MemberRow("A", "nam", "head", date(2022, 1, 1), citizen_id="064080000100"),
                              MemberRow("B", "nam", "head", date(2022, 1, 1)),
                              MemberRow("C", "nam", "child", date(2022, 1, 1), citizen_id="123")]),
        HouseholdRow(code="N-1", commune=commune, area_type="nong_thon", registered_on=date(2022, 1, 1),
                     members=[MemberRow("D", "nam", "head", date(2022, 1, 1), citizen_id="064080000200"),
                              MemberRow("E", "nam", "child", date(2022, 1, 1), citizen_id="064080000200")],
                     living_conditions=[LivingConditionsRow(date(2022, 1, 1), {"floor_area_m2": -1})]),
        HouseholdRow(code="CO-SAN", commune=commune, area_type="nong_thon", registered_on=date(2022, 1, 1)),
    ]  # fmt: skip
    before = (Household.objects.count(), Person.objects.count(), HouseholdEvent.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.households_bulk_register(rows, actor=None)
    text = "\n".join(caught.value.messages)
    assert (
        "Dòng 1 (mã hộ N-1), thành viên 1: Số định danh cá nhân 064080000100 đã được ghi cho một nhân khẩu khác"
        in text
    )
    assert "Dòng 1 (mã hộ N-1), thành viên 2: Hộ N-1 đã có chủ hộ «A»" in text
    assert "Dòng 1 (mã hộ N-1), thành viên 3: Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số" in text
    assert "Dòng 2 (mã hộ N-1): Mã hộ «N-1» bị trùng trong dữ liệu nhập" in text
    assert (
        "Dòng 2 (mã hộ N-1), thành viên 2: Số định danh cá nhân 064080000200 bị trùng trong dữ liệu nhập"
        in text
    )
    assert "Dòng 2 (mã hộ N-1), điều kiện sống 1: Diện tích nhà ở không được âm" in text
    assert "Dòng 3 (mã hộ CO-SAN): Mã hộ «CO-SAN» đã có trong sổ hộ" in text
    assert (Household.objects.count(), Person.objects.count(), HouseholdEvent.objects.count()) == before


def test_bulk_leave_and_add_validate_per_row():
    household = make_household(members=[{"full_name": "Chủ"}])
    membership = Membership.objects.get(person=household.head)
    with pytest.raises(ValidationError) as caught:
        services.members_bulk_leave([MemberLeaveRow(membership, date(2019, 1, 1), "died")], actor=None)
    assert "Dòng 1 (hộ" in caught.value.messages[0] and "trước ngày vào hộ" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        services.members_bulk_add(
            [(household, MemberRow("Chủ thứ hai", "nam", "head", date(2022, 1, 1)))], actor=None
        )
    assert "đã có chủ hộ «Chủ»" in caught.value.messages[0]
