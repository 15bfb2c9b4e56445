"""Memberships over time: a birth, a death, a move, a split and a merge, seen through the facts builder."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from giamngheo.registry import services
from giamngheo.registry.facts import household_facts
from giamngheo.registry.models import EventKind, HouseholdEvent, HouseholdStatus, Membership
from tests.registry.factories import make_commune, make_household, make_person, make_reform_area, make_village

pytestmark = pytest.mark.django_db


def ages(household, on):
    facts = household_facts(household, on=on, income_per_capita=1_000_000, entered={})
    return sorted(member.age if member.age is not None else -1 for member in facts.members)


def test_a_birth_and_a_death_change_the_members_from_their_dates():
    household = make_household(members=[{"full_name": "Bà", "birth_date": date(1940, 6, 1)},
                                        {"full_name": "Mẹ", "birth_date": date(1995, 3, 10)}])  # fmt: skip
    baby = services.member_add(household=household, full_name="Bé", sex="nu", relationship="grandchild",
                               start_date=date(2023, 2, 1), birth_date=date(2023, 2, 1), actor=None)  # fmt: skip
    grandmother = Membership.objects.get(person__full_name="Bà")
    services.member_leave(membership=grandmother, end_date=date(2023, 8, 15), reason="died", actor=None)
    assert ages(household, date(2023, 1, 31)) == [27, 82]
    assert ages(household, date(2023, 2, 1)) == [0, 27, 82]
    assert ages(household, date(2023, 8, 14)) == [0, 28, 83]
    assert ages(household, date(2023, 8, 15)) == [0, 28]  # on the day of death she no longer counts
    assert baby.birth_date == date(2023, 2, 1)


def test_a_death_recorded_on_the_person_only_also_removes_them_from_the_facts():
    household = make_household(members=[{"full_name": "A", "birth_date": date(1950, 1, 1)},
                                        {"full_name": "B", "birth_date": date(1980, 1, 1)}])  # fmt: skip
    services.member_update(
        person=household.head, actor=None, on=date(2023, 5, 1), date_of_death=date(2023, 5, 1)
    )
    assert ages(household, date(2023, 4, 30)) == [43, 73]
    assert ages(household, date(2023, 5, 2)) == [43]


def test_a_move_between_households():
    commune = make_commune()
    origin = make_household(commune=commune, members=[{"full_name": "Chủ A"}, {"full_name": "Con gái"}])
    target = make_household(commune=commune, members=[{"full_name": "Chủ B"}])
    daughter = Membership.objects.get(household=origin, person__full_name="Con gái").person
    membership = services.member_transfer(person=daughter, to_household=target, on=date(2023, 4, 1), actor=None,
                                          relationship="spouse")  # fmt: skip
    assert membership.household == target and membership.relationship == "spouse"
    old = Membership.objects.get(household=origin, person=daughter)
    assert old.end_date == date(2023, 4, 1) and old.end_reason == "joined_other"
    assert len(ages(origin, date(2023, 3, 31))) == 2 and len(ages(origin, date(2023, 4, 1))) == 1
    assert len(ages(target, date(2023, 3, 31))) == 1 and len(ages(target, date(2023, 4, 1))) == 2
    left = HouseholdEvent.objects.get(household=origin, kind=EventKind.MEMBER_LEFT)
    joined = HouseholdEvent.objects.get(household=target, kind=EventKind.MEMBER_ADDED, person=daughter)
    assert left.person == daughter and "Chuyển sang hộ" in left.note
    assert joined.changes == {"relationship": [None, "spouse"], "start_date": [None, "2023-04-01"]}
    with pytest.raises(ValidationError, match="đã là thành viên hộ"):
        services.member_transfer(person=daughter, to_household=target, on=date(2023, 5, 1), actor=None)


def test_a_split_moves_the_chosen_members_into_a_new_household():
    household = make_household(members=[{"full_name": "Cha"}, {"full_name": "Con trai"}, {"full_name": "Con dâu"}],
                               is_agri=True)  # fmt: skip
    son = Membership.objects.get(person__full_name="Con trai").person
    wife = Membership.objects.get(person__full_name="Con dâu").person
    new = services.household_split(household=household, new_code="KC-T1", members=[son, wife], on=date(2023, 10, 1),
                                   actor=None, relationships={wife.pk: "spouse"})  # fmt: skip
    household.refresh_from_db()
    assert (
        new.split_from == household and new.head == son and new.is_agri and new.commune == household.commune
    )
    assert new.version == 2
    assert {m.person.full_name: m.relationship for m in Membership.objects.filter(household=new)} == {
        "Con trai": "head", "Con dâu": "spouse",
    }  # fmt: skip
    assert len(ages(household, date(2023, 9, 30))) == 3 and len(ages(household, date(2023, 10, 1))) == 1
    assert household.status == HouseholdStatus.ACTIVE
    kinds = list(HouseholdEvent.objects.filter(household=household).values_list("kind", flat=True))
    assert kinds.count(EventKind.MEMBER_LEFT) == 2 and EventKind.SPLIT in kinds
    split = HouseholdEvent.objects.get(household=household, kind=EventKind.SPLIT)
    assert split.changes == {"split_to": [None, {"id": new.pk, "label": "KC-T1"}]}
    new_kinds = list(
        HouseholdEvent.objects.filter(household=new).order_by("id").values_list("kind", flat=True)
    )
    assert new_kinds == [EventKind.CREATED, EventKind.MEMBER_ADDED, EventKind.MEMBER_ADDED]


def test_a_split_after_the_2025_reform_registers_the_new_household_in_todays_commune():
    # A household registered in 2020 in a legacy commune that ended on 30/06/2025: a split in 2026 registers the
    # new household where its village is today, not in the commune that no longer exists.
    units = make_reform_area()
    village = make_village(units["new_commune"])
    village.legacy_commune = units["yang_trung"]
    village.save()
    household = make_household(commune=units["yang_trung"], village=village,
                               members=[{"full_name": "Cha"}, {"full_name": "Con trai"}])  # fmt: skip
    son = Membership.objects.get(household=household, person__full_name="Con trai").person
    new = services.household_split(household=household, new_code="KC-T26", members=[son], on=date(2026, 3, 1),
                                   actor=None)  # fmt: skip
    assert (new.commune, new.village) == (units["new_commune"], village)
    # Before the reform the legacy commune still existed: the new household stays in it.
    earlier = make_household(commune=units["yang_trung"], village=village,
                             members=[{"full_name": "Mẹ"}, {"full_name": "Con gái"}])  # fmt: skip
    daughter = Membership.objects.get(household=earlier, person__full_name="Con gái").person
    old = services.household_split(household=earlier, new_code="KC-T24", members=[daughter], on=date(2024, 3, 1),
                                   actor=None)  # fmt: skip
    assert old.commune == units["yang_trung"]


def test_a_split_must_leave_someone_and_take_only_members():
    household = make_household(members=[{"full_name": "A"}, {"full_name": "B"}])
    stranger = make_household(members=[{"full_name": "C"}]).head
    everyone = [m.person for m in Membership.objects.filter(household=household)]
    with pytest.raises(ValidationError, match="Phải còn lại ít nhất một thành viên"):
        services.household_split(
            household=household, new_code="N1", members=everyone, on=date(2023, 1, 1), actor=None
        )
    with pytest.raises(ValidationError, match="Không phải thành viên hộ"):
        services.household_split(household=household, new_code="N2", members=[stranger], on=date(2023, 1, 1),
                                 actor=None)  # fmt: skip


def test_a_merge_closes_the_household_and_moves_its_members():
    commune = make_commune()
    small = make_household(commune=commune, members=[{"full_name": "Bà góa"}, {"full_name": "Cháu"}])
    big = make_household(commune=commune, members=[{"full_name": "Con trưởng"}])
    services.household_close(
        household=small, on=date(2023, 11, 1), reason="merged", actor=None, merged_into=big
    )
    small.refresh_from_db()
    assert (
        small.status == HouseholdStatus.CLOSED
        and small.merged_into == big
        and small.closed_reason == "merged"
    )
    assert ages(small, date(2023, 11, 1)) == []
    assert len(ages(big, date(2023, 10, 31))) == 1 and len(ages(big, date(2023, 11, 1))) == 3
    assert set(Membership.objects.filter(household=small).values_list("end_reason", flat=True)) == {
        "household_merged"
    }
    merged = HouseholdEvent.objects.get(household=small, kind=EventKind.MERGED)
    assert merged.changes["merged_into"] == [None, {"id": big.pk, "label": big.code}]
    received = HouseholdEvent.objects.get(household=big, kind=EventKind.MERGED)
    assert received.changes == {"merged_from": [None, {"id": small.pk, "label": small.code}]}
    joined = HouseholdEvent.objects.filter(household=big, kind=EventKind.MEMBER_ADDED, person__isnull=False)
    assert joined.filter(changes__from_household__1__label=small.code).count() == 2
    with pytest.raises(ValidationError, match=r"Hộ nhận .* đã đóng"):
        services.household_close(household=make_household(commune=commune), on=date(2023, 12, 1), reason="merged",
                                 actor=None, merged_into=small)  # fmt: skip


def test_make_person_helper_adds_a_child():
    household = make_household(members=[{"full_name": "Chủ"}])
    person = make_person(household, full_name="Con út", birth_date=date(2015, 1, 1))
    assert Membership.objects.get(person=person).household == household
