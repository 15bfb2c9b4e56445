"""Members and living conditions: people joining, changing and leaving households, and dated living-conditions
records; also the primitives the household services share (row locks, version increments, membership ends).

Public functions are re-exported by `giamngheo.registry.services`, the registry's service API.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.registry import builders
from giamngheo.registry.concurrency import Seen, concerning, household_saved, of_kind, refuse_if_stale
from giamngheo.registry.history import (
    SAME_DAY_LIVING_CONDITIONS_NOTE,
    Changes,
    EventContext,
    diff,
    json_value,
)
from giamngheo.registry.models import (
    Ethnicity,
    EventKind,
    Household,
    HouseholdEvent,
    LivingConditions,
    Membership,
    MembershipEnd,
    Person,
    Relationship,
)
from giamngheo.registry.validation import (
    LIVING_CONDITIONS_FIELDS,
    PERSON_FACT_FIELDS,
    PERSON_FIELDS,
    Problems,
    add,
    check_relationship,
    citizen_id_taken_message,
    clean_person,
    raise_if_any,
    unknown_fields,
    vn_date,
)


def today_local() -> date:
    return timezone.localdate()


def lock_household(household: Household) -> None:
    """Lock the household row for this transaction and refresh the caller's instance in place."""
    list(Household.objects.select_for_update().filter(pk=household.pk).values_list("pk"))
    household.refresh_from_db()


def save_household(household: Household, fields: Sequence[str]) -> int:
    household.version += 1
    household.save(update_fields=[*fields, "version", "updated_at"])
    return household.version


def check_citizen_id_free(
    problems: Problems, citizen_id: str | None, *, exclude: Person | None = None
) -> None:
    if not citizen_id or "citizen_id" in problems:
        return
    others = Person.objects.filter(citizen_id=citizen_id)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        add(problems, "citizen_id", citizen_id_taken_message(citizen_id))


def current_head_is_member(household: Household, on: date) -> bool:
    if household.head_id is None:
        return False
    return current_memberships(household, on).filter(person_id=household.head_id).exists()


def current_memberships(household: Household, on: date) -> Any:
    return Membership.objects.filter(household=household, start_date__lte=on).exclude(end_date__lte=on)


# Members ---------------------------------------------------------------------------------------------------


def member_add(
    *,
    household: Household,
    full_name: str,
    sex: str,
    relationship: str,
    start_date: date,
    actor: Any,
    birth_date: date | None = None,
    citizen_id: str | None = None,
    ethnicity: Ethnicity | None = None,
    seen: Seen | None = None,
    **facts: Any,
) -> Person:
    """Add a new person to a household from `start_date` (a birth, a person moving in from outside the registry).
    `facts` are Person fact fields (`validation.PERSON_FACT_FIELDS`). A "head" becomes the household's head.
    `seen`: what the caller saw of the household (refused when it was saved since, `concurrency`)."""
    unknown_fields(facts, PERSON_FACT_FIELDS, "member_add")
    context = EventContext.for_actor(actor)
    values = {
        "full_name": full_name,
        "sex": sex,
        "birth_date": birth_date,
        "citizen_id": citizen_id,
        "ethnicity": ethnicity,
        **facts,
    }
    with transaction.atomic():
        lock_household(household)
        refuse_if_stale(household, seen, household_saved)
        person, membership, problems = builders.build_member(
            household=household,
            values=values,
            relationship=relationship,
            start_date=start_date,
            today=today_local(),
        )
        check_citizen_id_free(problems, person.citizen_id)
        if builders.is_head(relationship) and not problems:
            conflict = builders.head_conflict(household, current_head_is_member(household, start_date))
            if conflict:
                add(problems, "relationship", conflict)
        raise_if_any(problems)
        person.save()
        membership.person = person
        membership.save()
        member_joined(context, household, membership, builders.member_added_changes(person, membership))
    return person


def member_joined(
    context: EventContext, household: Household, membership: Membership, changes: Changes
) -> None:
    """Write MEMBER_ADDED, making the member the head when the relationship says so."""
    version = None
    if builders.is_head(membership.relationship) and household.head_id != membership.person_id:
        changes["head"] = [json_value(household.head), json_value(membership.person)]
        household.head = membership.person
        version = save_household(household, ["head"])
    context.event(
        household,
        EventKind.MEMBER_ADDED,
        occurred_on=membership.start_date,
        changes=changes,
        person=membership.person,
        household_version=version,
    ).save()


def _household_of(person: Person, on: date) -> tuple[Household, Membership | None]:
    """The household a person belongs to on `on`, else their latest household (for the history of a person who
    has left). Raises when the person never belonged to a household."""
    memberships = list(
        Membership.objects.filter(person=person).select_related("household").order_by("start_date", "id")
    )
    for membership in memberships:
        if membership.is_current_on(on):
            return membership.household, membership
    if not memberships:
        raise ValidationError(
            {"person": _("Nhân khẩu «%(name)s» chưa thuộc hộ nào.") % {"name": person.full_name}}
        )
    return memberships[-1].household, None


def member_update(
    *, person: Person, actor: Any, on: date, seen: Seen | None = None, **changes: Any
) -> Person:
    """Change a person's recorded attributes (any of `validation.PERSON_FIELDS`) and, with `relationship`, their
    relationship to the head in the household they belong to on `on`. Writes MEMBER_UPDATED with old → new; a call
    that changes nothing writes nothing. `seen`: what the caller saw of that household (refused when the person
    or the household row changed since, `concurrency`)."""
    unknown_fields(changes, (*PERSON_FIELDS, "relationship"), "member_update")
    context = EventContext.for_actor(actor)
    relationship = changes.pop("relationship", None)
    with transaction.atomic():
        list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk"))
        person.refresh_from_db()
        household, membership = _household_of(person, on)
        lock_household(household)
        refuse_if_stale(household, seen, concerning(person))
        implied_changes(changes)
        merged = {**builders.person_snapshot(person), **changes}
        cleaned, all_problems = clean_person(merged, today=today_local(), start_date=None)
        touched = set(changes) | (
            {"birth_date", "date_of_death"} if {"birth_date", "date_of_death"} & set(changes) else set()
        )
        problems: Problems = {name: messages for name, messages in all_problems.items() if name in touched}
        if "citizen_id" in changes:
            check_citizen_id_free(problems, cleaned["citizen_id"], exclude=person)
        if relationship is not None:
            check_relationship(problems, relationship)
            if membership is None:
                add(
                    problems,
                    "relationship",
                    _("Nhân khẩu «%(name)s» không thuộc hộ nào vào ngày %(date)s.")
                    % {"name": person.full_name, "date": vn_date(on)},
                )
        raise_if_any(problems)
        new_values = {name: cleaned[name] for name in changes}
        record = diff(builders.person_snapshot(person, tuple(new_values)), new_values)
        version = None
        if relationship is not None and membership is not None and relationship != membership.relationship:
            record["relationship"] = [membership.relationship, relationship]
            version = _change_relationship(household, membership, relationship, on, record)
        if not record:
            return person
        for name, value in new_values.items():
            setattr(person, name, value)
        if new_values:
            person.save(update_fields=[*new_values, "search_name", "updated_at"])
        context.event(
            household,
            EventKind.MEMBER_UPDATED,
            occurred_on=on,
            changes=record,
            person=person,
            household_version=version,
        ).save()
    return person


def implied_changes(changes: dict[str, Any]) -> None:
    """What a change implies for a stored person: a birth date given alone is a full date (its precision becomes
    "day"); no longer in school means no level attended."""
    if "birth_date" in changes and "birth_date_precision" not in changes:
        changes["birth_date_precision"] = "day"
    if changes.get("in_education") is False and "school_level" not in changes:
        changes["school_level"] = None


def _change_relationship(
    household: Household, membership: Membership, relationship: str, on: date, record: Changes
) -> int | None:
    """Store a new relationship; becoming "head" makes the person the household head (one current head)."""
    person = membership.person
    if builders.is_head(relationship) and household.head_id != person.pk:
        conflict = builders.head_conflict(household, current_head_is_member(household, on))
        if conflict:
            raise ValidationError({"relationship": conflict})
    membership.relationship = relationship
    membership.save(update_fields=["relationship"])
    if builders.is_head(relationship) and household.head_id != person.pk:
        record["head"] = [json_value(household.head), json_value(person)]
        household.head = person
        return save_household(household, ["head"])
    if not builders.is_head(relationship) and household.head_id == person.pk:
        record["head"] = [json_value(person), None]
        household.head = None
        return save_household(household, ["head"])
    return None


def end_membership(
    context: EventContext,
    membership: Membership,
    end_date: date,
    reason: str,
    *,
    note: str = "",
    clear_head: bool = True,
) -> HouseholdEvent:
    """End a current membership (already validated) and return its unsaved MEMBER_LEFT event."""
    household = membership.household
    person = membership.person
    changes: Changes = {"end_date": [None, json_value(end_date)], "end_reason": ["", reason]}
    membership.end_date = end_date
    membership.end_reason = reason
    membership.save(update_fields=["end_date", "end_reason"])
    if reason == MembershipEnd.DIED and person.date_of_death is None:
        changes["date_of_death"] = [None, json_value(end_date)]
        person.date_of_death = end_date
        person.save(update_fields=["date_of_death", "updated_at"])
    version = None
    if clear_head and household.head_id == person.pk:
        changes["head"] = [json_value(person), None]
        household.head = None
        version = save_household(household, ["head"])
    return context.event(
        household,
        EventKind.MEMBER_LEFT,
        occurred_on=end_date,
        changes=changes,
        person=person,
        household_version=version,
        note=note,
    )


def member_leave(
    *, membership: Membership, end_date: date, reason: str, actor: Any, seen: Seen | None = None
) -> Membership:
    """End a membership on `end_date` (the person is no longer a member from that day). Reason "died" also
    records the date of death; a head who leaves leaves the household without a head until one is named.
    `seen`: what the caller saw of the household (refused when the person or the household row changed since)."""
    context = EventContext.for_actor(actor)
    with transaction.atomic():
        lock_household(membership.household)
        refuse_if_stale(membership.household, seen, concerning(membership.person))
        membership.refresh_from_db()
        problems: Problems = {}
        builders.check_leave(problems, membership, end_date, reason, today_local())
        raise_if_any(problems)
        end_membership(context, membership, end_date, reason).save()
    return membership


def member_transfer(
    *,
    person: Person,
    to_household: Household,
    on: date,
    actor: Any,
    relationship: str = Relationship.OTHER,
    seen: Seen | None = None,
) -> Membership:
    """Move a person from their current household to another from `on` (marriage, moving in with relatives):
    MEMBER_LEFT on the old household, MEMBER_ADDED on the new. Returns the new membership. `seen`: what the
    caller saw of the household the person leaves (refused when the person or that household changed since)."""
    context = EventContext.for_actor(actor)
    with transaction.atomic():
        lock_household(to_household)
        household, current = _household_of(person, on)
        problems: Problems = {}
        if current is None or current.end_date is not None:
            add(
                problems,
                "person",
                _("Nhân khẩu «%(name)s» không thuộc hộ nào vào ngày %(date)s.")
                % {"name": person.full_name, "date": vn_date(on)},
            )
        elif household.pk == to_household.pk:
            add(
                problems,
                "household",
                _("«%(name)s» đã là thành viên hộ %(code)s.")
                % {"name": person.full_name, "code": to_household.code},
            )
        else:
            lock_household(household)
            refuse_if_stale(household, seen, concerning(person))
            builders.check_leave(problems, current, on, MembershipEnd.JOINED_OTHER, today_local())
        check_relationship(problems, relationship)
        if not builders.household_is_open_on(to_household, on):
            add(
                problems,
                "household",
                _("Hộ %(code)s đã đóng, không thể thêm thành viên.") % {"code": to_household.code},
            )
        if builders.is_head(relationship) and not problems:
            conflict = builders.head_conflict(to_household, current_head_is_member(to_household, on))
            if conflict:
                add(problems, "relationship", conflict)
        raise_if_any(problems)
        assert current is not None
        end_membership(
            context, current, on, MembershipEnd.JOINED_OTHER, note=f"Chuyển sang hộ {to_household.code}"
        ).save()
        membership = Membership.objects.create(
            household=to_household, person=person, relationship=relationship, start_date=on
        )
        changes: Changes = {"relationship": [None, relationship], "start_date": [None, json_value(on)]}
        member_joined(context, to_household, membership, changes)
    return membership


def living_conditions_record(
    *, household: Household, recorded_on: date, actor: Any, seen: Seen | None = None, **fields: Any
) -> LivingConditions:
    """Record the household's living conditions as of `recorded_on` (a new dated record; a second record on the
    same day corrects that day's record). The event shows old → new against the record in force before.
    `seen`: what the caller saw of the household (refused when its living conditions or row changed since)."""
    unknown_fields(fields, LIVING_CONDITIONS_FIELDS, "living_conditions_record")
    context = EventContext.for_actor(actor)
    with transaction.atomic():
        lock_household(household)
        refuse_if_stale(household, seen, of_kind(EventKind.LIVING_CONDITIONS))
        record, problems = builders.build_living_conditions(
            household=household, recorded_on=recorded_on, fields=fields, today=today_local()
        )
        raise_if_any(problems)
        same_day = LivingConditions.objects.filter(household=household, recorded_on=recorded_on).first()
        if same_day is not None:
            changes = builders.living_conditions_changes(same_day, record)
            record.pk = same_day.pk
            note = SAME_DAY_LIVING_CONDITIONS_NOTE
        else:
            previous = (
                LivingConditions.objects.filter(household=household, recorded_on__lt=recorded_on)
                .order_by("-recorded_on")
                .first()
            )
            changes = builders.living_conditions_changes(previous, record)
            note = ""
        record.save()
        context.event(
            household, EventKind.LIVING_CONDITIONS, occurred_on=recorded_on, changes=changes, note=note
        ).save()
    return record
