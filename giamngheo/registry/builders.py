"""Unsaved registry records built from service input, with their problems and their history entries.

The single-record services (`services.py`) and the bulk variants (`bulk.py`) both build records here, so the same
input gives the same rows, the same validation messages and the same `HouseholdEvent.changes`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit, Village
from giamngheo.registry.history import Changes, diff, initial_changes
from giamngheo.registry.models import (
    Household,
    HouseholdStatus,
    LivingConditions,
    Membership,
    MembershipEnd,
    Person,
    Relationship,
)
from giamngheo.registry.validation import (
    HOUSEHOLD_FLAGS,
    LIVING_CONDITIONS_FIELDS,
    PERSON_FIELDS,
    Problems,
    add,
    check_code,
    check_household,
    check_relationship,
    clean_living_conditions,
    clean_person,
    clean_text,
    is_choice,
    label,
    vn_date,
)

HOUSEHOLD_FIELDS: tuple[str, ...] = (
    "code",
    "commune",
    "village",
    "area_type",
    "address",
    "registered_on",
    *HOUSEHOLD_FLAGS,
    "split_from",
)


def household_snapshot(household: Household, names: tuple[str, ...] = HOUSEHOLD_FIELDS) -> dict[str, Any]:
    return {name: getattr(household, name) for name in names}


def build_household(
    *,
    code: str,
    commune: AdminUnit,
    village: Village | None,
    area_type: str,
    registered_on: date,
    is_agri: bool,
    has_meritorious_member: bool,
    no_working_capacity: bool,
    address: str,
    split_from: Household | None,
    today: date,
) -> tuple[Household, Problems]:
    problems: Problems = {}
    code = clean_text(code)
    check_code(problems, code)
    if not isinstance(registered_on, date):
        add(
            problems,
            "registered_on",
            _("Ngày đăng ký: «%(value)s» không phải là ngày.") % {"value": registered_on},
        )
    else:
        check_household(
            problems, commune=commune, village=village, area_type=area_type, on=registered_on, today=today
        )
    address = clean_text(address)
    if len(address) > 200:
        add(problems, "address", _("Địa chỉ dài quá 200 ký tự."))
    flags = {
        "is_agri": is_agri,
        "has_meritorious_member": has_meritorious_member,
        "no_working_capacity": no_working_capacity,
    }
    for name, value in flags.items():
        if not isinstance(value, bool):
            add(problems, name, _("%(field)s: phải là có hoặc không.") % {"field": label(Household, name)})
    household = Household(
        code=code,
        commune=commune,
        village=village,
        area_type=area_type,
        address=address,
        registered_on=registered_on,
        split_from=split_from,
        status=HouseholdStatus.ACTIVE,
        version=1,
        **flags,
    )
    return household, problems


def household_created_changes(household: Household) -> Changes:
    return initial_changes(Household, household_snapshot(household))


def household_is_open_on(household: Household, day: date) -> bool:
    return household.status == HouseholdStatus.ACTIVE or (
        household.closed_on is not None and household.closed_on > day
    )


def build_member(
    *,
    household: Household,
    values: Mapping[str, Any],
    relationship: str,
    start_date: date,
    today: date,
) -> tuple[Person, Membership, Problems]:
    """A new person and their membership. The head rule (one current head) is checked by the caller."""
    cleaned, problems = clean_person(values, today=today, start_date=start_date)
    check_relationship(problems, relationship)
    if not isinstance(start_date, date):
        add(problems, "start_date", _("Ngày vào hộ: «%(value)s» không phải là ngày.") % {"value": start_date})
    elif start_date > today:
        add(
            problems,
            "start_date",
            _("Ngày vào hộ %(date)s ở tương lai (hôm nay là %(today)s).")
            % {"date": vn_date(start_date), "today": vn_date(today)},
        )
    elif not household_is_open_on(household, start_date):
        add(
            problems,
            "household",
            _("Hộ %(code)s đã đóng, không thể thêm thành viên.") % {"code": household.code},
        )
    person = Person(**cleaned)
    membership = Membership(
        household=household, person=person, relationship=relationship, start_date=start_date
    )
    return person, membership, problems


def person_snapshot(person: Person, names: tuple[str, ...] = PERSON_FIELDS) -> dict[str, Any]:
    return {name: getattr(person, name) for name in names}


def member_added_changes(person: Person, membership: Membership) -> Changes:
    values = person_snapshot(person)
    values["relationship"] = membership.relationship
    values["start_date"] = membership.start_date
    return initial_changes(Person, values)


def member_label(person: Person) -> str:
    return f"{person.full_name}"


def head_conflict(household: Household, current_head_member: bool) -> str | None:
    """The message when a second head would be added while the household has a current head."""
    if household.head_id is not None and current_head_member:
        return _("Hộ %(code)s đã có chủ hộ «%(head)s»; chọn quan hệ khác hoặc đổi chủ hộ trước.") % {
            "code": household.code,
            "head": household.head,
        }
    return None


def is_head(relationship: str) -> bool:
    return relationship == Relationship.HEAD


def build_living_conditions(
    *, household: Household, recorded_on: date, fields: Mapping[str, Any], today: date
) -> tuple[LivingConditions, Problems]:
    cleaned, problems = clean_living_conditions(fields, recorded_on=recorded_on, today=today)
    if isinstance(recorded_on, date) and not household_is_open_on(household, recorded_on):
        add(
            problems,
            "household",
            _("Hộ %(code)s đã đóng, không ghi nhận điều kiện sống.") % {"code": household.code},
        )
    record = LivingConditions(household=household, recorded_on=recorded_on, **cleaned)
    return record, problems


def living_conditions_snapshot(record: LivingConditions | None) -> dict[str, Any]:
    if record is None:
        return {}
    return {name: getattr(record, name) for name in LIVING_CONDITIONS_FIELDS}


def living_conditions_changes(previous: LivingConditions | None, record: LivingConditions) -> Changes:
    """Old → new against the record in force before (the latest earlier record), or from nothing."""
    new = living_conditions_snapshot(record)
    if previous is None:
        return initial_changes(LivingConditions, new)
    return diff(living_conditions_snapshot(previous), new)


def check_leave(problems: Problems, membership: Membership, end_date: Any, reason: Any, today: date) -> None:
    """Problems with ending `membership` on `end_date` for `reason`."""
    if not is_choice(MembershipEnd, reason):
        allowed = ", ".join(MembershipEnd.values)
        add(
            problems,
            "end_reason",
            _("Lý do rời hộ: giá trị «%(value)s» không hợp lệ (chọn một trong: %(allowed)s).")
            % {"value": reason, "allowed": allowed},
        )
    if membership.end_date is not None:
        add(
            problems,
            "end_date",
            _("«%(name)s» đã rời hộ %(code)s ngày %(date)s.")
            % {
                "name": membership.person.full_name,
                "code": membership.household.code,
                "date": vn_date(membership.end_date),
            },
        )
    if not isinstance(end_date, date):
        add(problems, "end_date", _("Ngày rời hộ: «%(value)s» không phải là ngày.") % {"value": end_date})
        return
    if end_date < membership.start_date:
        add(
            problems,
            "end_date",
            _("Ngày rời hộ %(date)s trước ngày vào hộ %(start)s.")
            % {"date": vn_date(end_date), "start": vn_date(membership.start_date)},
        )
    if end_date > today:
        add(
            problems,
            "end_date",
            _("Ngày rời hộ %(date)s ở tương lai (hôm nay là %(today)s).")
            % {"date": vn_date(end_date), "today": vn_date(today)},
        )
    birth = membership.person.birth_date
    if reason == MembershipEnd.DIED and birth is not None and end_date < birth:
        add(
            problems,
            "end_date",
            _("Ngày mất %(death)s trước ngày sinh %(birth)s.")
            % {"death": vn_date(end_date), "birth": vn_date(birth)},
        )
