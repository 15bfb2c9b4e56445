"""A member's facts as the law needs them (issue 7): unrecorded facts stay unrecorded, a birth date may be known to
the month or the year only, the level of schooling attended is recorded apart from the education completed, and
vocational qualifications apart from general education."""

from __future__ import annotations

from datetime import date
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from giamngheo.registry import services
from giamngheo.registry.facts import household_facts
from giamngheo.registry.models import EventKind, HouseholdEvent, Person
from tests.registry.factories import make_household, make_person

pytestmark = pytest.mark.django_db


def test_facts_not_given_are_stored_as_not_recorded_and_read_as_unknown() -> None:
    household = make_household(members=[{"full_name": "Y Blôk", "birth_date": date(1990, 1, 1)}])
    person = household.head
    assert person is not None
    for name in ("disabled", "receives_social_allowance", "has_labour_contract", "on_the_job_training_certified",
                 "school_level", "vocational_level"):  # fmt: skip
        assert getattr(person, name) is None, name
    facts = household_facts(household, on=date(2026, 11, 20), income_per_capita=1_000_000, entered={})
    member = facts.members[0]
    assert (member.has_labour_contract, member.disabled, member.receives_social_allowance) == (
        None,
        None,
        None,
    )
    assert (member.working_age, member.past_working_age, member.name) == (True, False, "Y Blôk")


@pytest.mark.parametrize(
    ("precision", "given", "stored", "shown"),
    [
        ("day", date(1965, 3, 17), date(1965, 3, 17), "17/03/1965"),
        ("month", date(1965, 3, 17), date(1965, 3, 1), "03/1965"),
        ("year", date(1965, 3, 17), date(1965, 1, 1), "1965"),
    ],
)
def test_a_birth_date_known_to_the_month_or_the_year(
    precision: str, given: date, stored: date, shown: str
) -> None:
    household = make_household(
        members=[{"full_name": "A", "birth_date": given, "birth_date_precision": precision}]
    )
    person = household.head
    assert person is not None
    assert (person.birth_date, person.birth_date_precision, person.birth_date_text) == (
        stored,
        precision,
        shown,
    )


def test_a_year_only_birth_date_gives_the_working_age_of_1_january() -> None:
    # NĐ 135/2020 Điều 3 khoản 3: only the year known -> 01/01 of that year. A man born in 1965 reaches 61 years
    # 6 months (the age of 2026) in July 2026 and is of working age until 31/07/2026.
    household = make_household(
        members=[
            {"full_name": "B", "sex": "nam", "birth_date": date(1965, 8, 9), "birth_date_precision": "year"}
        ]
    )
    on_31_july = household_facts(household, on=date(2026, 7, 31), income_per_capita=1, entered={})
    on_1_august = household_facts(household, on=date(2026, 8, 1), income_per_capita=1, entered={})
    assert (on_31_july.members[0].working_age, on_31_july.members[0].past_working_age) == (True, False)
    assert (on_1_august.members[0].working_age, on_1_august.members[0].past_working_age) == (False, True)


def test_a_birth_date_changed_alone_is_a_full_date() -> None:
    household = make_household(
        members=[{"full_name": "C", "birth_date": date(1970, 1, 1), "birth_date_precision": "year"}]
    )
    person = household.head
    assert person is not None
    services.member_update(person=person, actor=None, on=date(2026, 11, 20), birth_date=date(1970, 6, 15))
    person.refresh_from_db()
    assert (person.birth_date, person.birth_date_precision) == (date(1970, 6, 15), "day")
    event = HouseholdEvent.objects.filter(household=household, kind=EventKind.MEMBER_UPDATED).get()
    assert event.changes == {
        "birth_date": ["1970-01-01", "1970-06-15"],
        "birth_date_precision": ["year", "day"],
    }


def test_leaving_school_clears_the_level_attended_and_a_level_needs_school() -> None:
    household = make_household(members=[{"full_name": "Mẹ"}])
    child = make_person(household, full_name="Con", birth_date=date(2016, 5, 1), in_education=True,
                        school_level="primary")  # fmt: skip
    services.member_update(person=child, actor=None, on=date(2026, 11, 20), in_education=False)
    child.refresh_from_db()
    assert (child.in_education, child.school_level) == (False, None)
    with pytest.raises(ValidationError) as error:
        services.member_update(person=child, actor=None, on=date(2026, 11, 20), school_level="primary")
    assert error.value.message_dict["school_level"] == [
        "Cấp học đang theo học «Tiểu học» chỉ ghi cho người đang đi học (đã ghi: không đi học)."
    ]
    with pytest.raises(ValidationError) as error:
        make_person(household, full_name="Cháu", in_education=True, school_level="kindergarten")
    assert (
        "Cấp học đang theo học: giá trị «kindergarten» không hợp lệ"
        in error.value.message_dict["school_level"][0]
    )


def test_the_migration_moves_vocational_levels_out_of_general_education() -> None:
    household = make_household(members=[{"full_name": "D"}])
    elementary = make_person(household, full_name="Sơ cấp")
    intermediate = make_person(household, full_name="Trung cấp")
    make_person(household, full_name="Phổ thông", education_level="upper_secondary")
    # The values the old schema stored (no database constraint restricts them).
    Person.objects.filter(pk=elementary.pk).update(education_level="vocational_elementary")
    Person.objects.filter(pk=intermediate.pk).update(education_level="vocational_intermediate")
    migration = import_module("giamngheo.registry.migrations.0003_person_facts_unknown_school_vocational")
    migration.split_vocational(apps, None)
    rows = dict(Person.objects.values_list("full_name", "education_level"))
    levels = dict(Person.objects.values_list("full_name", "vocational_level"))
    # Sơ cấp says nothing of general education (TT 42/2015 Điều 15): unknown, to be recorded.
    assert (rows["Sơ cấp"], levels["Sơ cấp"]) == (None, "elementary")
    assert (rows["Trung cấp"], levels["Trung cấp"]) == (None, "intermediate")
    assert (rows["Phổ thông"], levels["Phổ thông"]) == ("upper_secondary", None)
    migration.join_vocational(apps, None)
    assert (
        dict(Person.objects.values_list("full_name", "education_level"))["Sơ cấp"] == "vocational_elementary"
    )
