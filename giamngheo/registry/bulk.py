"""Bulk variants of the registry services, for generators (the demo district) and imports.

Same rules as the single-record services, checked set-based: every row is validated first and all problems are
raised together (one ValidationError, each message naming the row, the field and the problem); nothing is written
unless every row is valid. Then the rows are written set-based (`registry.sqlbulk`) in one transaction, with the
same `HouseholdEvent` rows the single services would write for the same input, in the same order:

- `households_bulk_register(rows)` = `household_register` + `member_add` per member + `living_conditions_record`
  per living-conditions row, for new households;
- `members_bulk_add(items)` = `member_add` per (household, member) pair, for existing households;
- `living_conditions_bulk_record(items)` = `living_conditions_record` per (household, record) pair;
- `members_bulk_leave(rows)` = `member_leave` per membership (reason "died" also records the date of death).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit, Village
from giamngheo.lib.text import fold
from giamngheo.registry import builders
from giamngheo.registry.history import SAME_DAY_LIVING_CONDITIONS_NOTE, Changes, EventContext, json_value
from giamngheo.registry.models import (
    Ethnicity,
    EventKind,
    Household,
    HouseholdEvent,
    LivingConditions,
    Membership,
    MembershipEnd,
    Person,
)
from giamngheo.registry.sqlbulk import insert_rows, reserve_ids, update_rows
from giamngheo.registry.validation import (
    LIVING_CONDITIONS_FIELDS,
    PERSON_FACT_FIELDS,
    Problems,
    add,
    citizen_id_taken_message,
    row_message,
    row_messages,
    unknown_fields,
    vn_date,
)

_CHUNK = 5_000  # values per `IN (...)` lookup, well under every backend's parameter limit


@dataclass(frozen=True)
class MemberRow:
    full_name: str
    sex: str
    relationship: str
    start_date: date
    birth_date: date | None = None
    citizen_id: str | None = None
    ethnicity: Ethnicity | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)  # Person fact fields, as `member_add(**facts)`


@dataclass(frozen=True)
class LivingConditionsRow:
    recorded_on: date
    fields: Mapping[str, Any] = field(default_factory=dict)  # as `living_conditions_record(**fields)`


@dataclass(frozen=True)
class HouseholdRow:
    code: str
    commune: AdminUnit
    area_type: str
    registered_on: date
    village: Village | None = None
    is_agri: bool = False
    has_meritorious_member: bool = False
    no_working_capacity: bool = False
    address: str = ""
    split_from: Household | None = None
    members: Sequence[MemberRow] = ()
    living_conditions: Sequence[LivingConditionsRow] = ()


@dataclass(frozen=True)
class MemberLeaveRow:
    membership: Membership
    end_date: date
    reason: str


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _taken_codes(codes: Sequence[str]) -> set[str]:
    taken: set[str] = set()
    for chunk in _chunks(codes):
        taken.update(Household.objects.filter(code__in=chunk).values_list("code", flat=True))
    return taken


def _taken_citizen_ids(ids: Sequence[str]) -> set[str]:
    taken: set[str] = set()
    for chunk in _chunks(ids):
        taken.update(
            str(i) for i in Person.objects.filter(citizen_id__in=chunk).values_list("citizen_id", flat=True)
        )
    return taken


def _member_prefix(household_prefix: str, index: int) -> str:
    return _("%(row)s, thành viên %(index)s") % {"row": household_prefix, "index": index}


class _Members:
    """Validation and building of member rows, shared by new and existing households."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.errors: list[str] = []
        self.persons: list[Person] = []
        self.memberships: list[Membership] = []
        self.citizen_ids: list[tuple[str, str]] = []  # (citizen id, row prefix)

    def build(self, household: Household, row: MemberRow, prefix: str) -> tuple[Person, Membership] | None:
        try:
            unknown_fields(row.facts, PERSON_FACT_FIELDS, prefix)
        except TypeError as exc:
            self.errors.append(str(exc))
            return None
        values = {
            "full_name": row.full_name,
            "sex": row.sex,
            "birth_date": row.birth_date,
            "citizen_id": row.citizen_id,
            "ethnicity": row.ethnicity,
            **row.facts,
        }
        person, membership, problems = builders.build_member(
            household=household,
            values=values,
            relationship=row.relationship,
            start_date=row.start_date,
            today=self.today,
        )
        if problems:
            self.errors.extend(row_messages(prefix, problems))
            return None
        if person.citizen_id:
            self.citizen_ids.append((person.citizen_id, prefix))
        person.search_name = fold(person.full_name)
        self.persons.append(person)
        self.memberships.append(membership)
        return person, membership

    def check_citizen_ids(self) -> None:
        counts = Counter(citizen_id for citizen_id, _ in self.citizen_ids)
        taken = _taken_citizen_ids(list(counts))
        for citizen_id, prefix in self.citizen_ids:
            if citizen_id in taken:
                message = citizen_id_taken_message(citizen_id)
                self.errors.append(row_message(prefix, message))
            elif counts[citizen_id] > 1:
                message = _("Số định danh cá nhân %(citizen_id)s bị trùng trong dữ liệu nhập.") % {
                    "citizen_id": citizen_id
                }
                self.errors.append(row_message(prefix, message))

    def reserve(self, now: Any) -> None:
        """Ids and timestamps before the events are built (an event refers to its person)."""
        for person in self.persons:
            person.created_at = person.updated_at = now
        reserve_ids(Person, self.persons)

    def save(self) -> None:
        insert_rows(Person, self.persons)
        insert_rows(Membership, self.memberships)


class _Heads:
    """The one-current-head rule while rows are added in order: the head and their membership per household."""

    def __init__(self) -> None:
        self.head_membership: dict[int, Membership | None] = {}

    def conflict(self, household: Household, membership: Membership) -> str | None:
        current = self.head_membership.get(id(household))
        if current is None or not current.is_current_on(membership.start_date):
            return None
        return _("Hộ %(code)s đã có chủ hộ «%(head)s»; chọn quan hệ khác hoặc đổi chủ hộ trước.") % {
            "code": household.code,
            "head": current.person.full_name,
        }

    def set(self, household: Household, membership: Membership) -> None:
        self.head_membership[id(household)] = membership


def _raise(errors: list[str]) -> None:
    if errors:
        raise ValidationError(errors)


def _lc_events(
    context: EventContext,
    items: Sequence[tuple[Household, LivingConditions, LivingConditions | None, bool]],
) -> list[HouseholdEvent]:
    events = []
    for household, record, previous, same_day in items:
        changes = builders.living_conditions_changes(previous, record)
        note = SAME_DAY_LIVING_CONDITIONS_NOTE if same_day else ""
        events.append(
            context.event(
                household,
                EventKind.LIVING_CONDITIONS,
                occurred_on=record.recorded_on,
                changes=changes,
                note=note,
            )
        )
    return events


def households_bulk_register(
    rows: Sequence[HouseholdRow], *, actor: Any, actor_name: str | None = None
) -> list[Household]:
    """Register new households with their members and living conditions (see the module docstring)."""
    context = EventContext.for_actor(actor, actor_name)
    today = timezone.localdate()
    errors: list[str] = []
    members = _Members(today)
    heads = _Heads()
    households: list[Household] = []
    # Per household, in input order: ("member", person, membership) and ("lc", record) steps.
    steps: list[list[tuple[Any, ...]]] = []
    for number, row in enumerate(rows, start=1):
        prefix = _("Dòng %(number)s (mã hộ %(code)s)") % {"number": number, "code": row.code}
        household, problems = builders.build_household(
            code=row.code,
            commune=row.commune,
            village=row.village,
            area_type=row.area_type,
            registered_on=row.registered_on,
            is_agri=row.is_agri,
            has_meritorious_member=row.has_meritorious_member,
            no_working_capacity=row.no_working_capacity,
            address=row.address,
            split_from=row.split_from,
            today=today,
        )
        errors.extend(row_messages(prefix, problems))
        households.append(household)
        household_steps: list[tuple[Any, ...]] = []
        for index, member in enumerate(row.members, start=1):
            member_prefix = _member_prefix(prefix, index)
            built = members.build(household, member, member_prefix)
            if built is None:
                continue
            person, membership = built
            if builders.is_head(member.relationship):
                conflict = heads.conflict(household, membership)
                if conflict:
                    errors.append(row_message(member_prefix, conflict))
                heads.set(household, membership)
            household_steps.append(("member", person, membership))
        seen_days: set[date] = set()
        for index, lc_row in enumerate(row.living_conditions, start=1):
            lc_prefix = _("%(row)s, điều kiện sống %(index)s") % {"row": prefix, "index": index}
            try:
                unknown_fields(lc_row.fields, LIVING_CONDITIONS_FIELDS, lc_prefix)
            except TypeError as exc:
                errors.append(str(exc))
                continue
            record, lc_problems = builders.build_living_conditions(
                household=household, recorded_on=lc_row.recorded_on, fields=lc_row.fields, today=today
            )
            if lc_row.recorded_on in seen_days:
                add(
                    lc_problems,
                    "recorded_on",
                    _("Trùng ngày ghi nhận %(date)s trong cùng hộ.") % {"date": vn_date(lc_row.recorded_on)},
                )
            seen_days.add(lc_row.recorded_on)
            errors.extend(row_messages(lc_prefix, lc_problems))
            household_steps.append(("lc", record))
        steps.append(household_steps)
    codes = Counter(h.code for h in households)
    taken = _taken_codes(list(codes))
    for number, household in enumerate(households, start=1):
        prefix = _("Dòng %(number)s (mã hộ %(code)s)") % {"number": number, "code": household.code}
        if household.code in taken:
            message = _("Mã hộ «%(code)s» đã có trong sổ hộ.") % {"code": household.code}
            errors.append(row_message(prefix, message))
        elif codes[household.code] > 1:
            message = _("Mã hộ «%(code)s» bị trùng trong dữ liệu nhập.") % {"code": household.code}
            errors.append(row_message(prefix, message))
    members.check_citizen_ids()
    errors.extend(members.errors)
    _raise(errors)

    with transaction.atomic():
        now = context.recorded_at
        for household in households:
            household.created_at = household.updated_at = now
        reserve_ids(Household, households)
        members.reserve(now)
        events: list[HouseholdEvent] = []
        records: list[LivingConditions] = []
        for row, household, household_steps in zip(rows, households, steps, strict=True):
            household_events = [
                context.event(
                    household,
                    EventKind.CREATED,
                    occurred_on=row.registered_on,
                    changes=builders.household_created_changes(household),
                    household_version=household.version,
                )
            ]
            recorded: list[LivingConditions] = []
            for step in household_steps:
                if step[0] == "member":
                    _step, person, membership = step
                    changes = builders.member_added_changes(person, membership)
                    version = None
                    if builders.is_head(membership.relationship) and household.head_id != person.pk:
                        changes["head"] = [json_value(household.head), json_value(person)]
                        household.head = person
                        household.version += 1
                        version = household.version
                    household_events.append(
                        context.event(
                            household,
                            EventKind.MEMBER_ADDED,
                            occurred_on=membership.start_date,
                            changes=changes,
                            person=person,
                            household_version=version,
                        )
                    )
                else:
                    record = step[1]
                    previous = max(
                        (r for r in recorded if r.recorded_on < record.recorded_on),
                        key=lambda r: r.recorded_on,
                        default=None,
                    )
                    recorded.append(record)
                    household_events.extend(_lc_events(context, [(household, record, previous, False)]))
            records.extend(recorded)
            events.extend(household_events)
        insert_rows(Household, households)
        members.save()
        insert_rows(LivingConditions, records)
        insert_rows(HouseholdEvent, events)
    return households


def _fresh_households(households: Iterable[Household]) -> dict[int, Household]:
    ids = sorted({h.pk for h in households})
    fresh: dict[int, Household] = {}
    for chunk in _chunks(ids):
        fresh.update(Household.objects.select_for_update(of=("self",)).select_related("head").in_bulk(chunk))
    return fresh


def _change_head(
    household: Household, head: Person | None, changes: Changes, changed: dict[int, Household], now: datetime
) -> int:
    """Make `head` the household's head (None: no head), recording head old → new in `changes` and the household
    in `changed` for the one bulk update; the household's new version."""
    changes["head"] = [json_value(household.head), json_value(head)]
    household.head = head
    household.version += 1
    household.updated_at = now
    changed[household.pk] = household
    return household.version


def _member_row_prefix(number: int, household: Household, name: str) -> str:
    return _("Dòng %(number)s (hộ %(code)s, %(name)s)") % {
        "number": number,
        "code": household.code,
        "name": name,
    }


def members_bulk_add(
    items: Sequence[tuple[Household, MemberRow]], *, actor: Any, actor_name: str | None = None
) -> list[Person]:
    """Add members to existing households, as `member_add` per pair (see the module docstring)."""
    context = EventContext.for_actor(actor, actor_name)
    today = timezone.localdate()
    with transaction.atomic():
        fresh = _fresh_households(h for h, _ in items)
        heads = _Heads()
        current_heads = _current_head_memberships(fresh.values())
        for household in fresh.values():
            if household.pk in current_heads:
                heads.set(household, current_heads[household.pk])
        members = _Members(today)
        errors: list[str] = []
        built_rows: list[tuple[Household, Person, Membership]] = []
        for number, (given, row) in enumerate(items, start=1):
            household = fresh[given.pk]
            prefix = _member_row_prefix(number, household, row.full_name)
            built = members.build(household, row, prefix)
            if built is None:
                continue
            person, membership = built
            if builders.is_head(row.relationship):
                conflict = heads.conflict(household, membership)
                if conflict:
                    errors.append(row_message(prefix, conflict))
                heads.set(household, membership)
            built_rows.append((household, person, membership))
        members.check_citizen_ids()
        _raise(errors + members.errors)
        now = context.recorded_at
        members.reserve(now)
        members.save()
        events = []
        changed: dict[int, Household] = {}
        for household, person, membership in built_rows:
            changes = builders.member_added_changes(person, membership)
            version = None
            if builders.is_head(membership.relationship) and household.head_id != person.pk:
                version = _change_head(household, person, changes, changed, now)
            events.append(
                context.event(
                    household,
                    EventKind.MEMBER_ADDED,
                    occurred_on=membership.start_date,
                    changes=changes,
                    person=person,
                    household_version=version,
                )
            )
        update_rows(Household, list(changed.values()), ["head", "version", "updated_at"])
        insert_rows(HouseholdEvent, events)
        for given, _row in items:  # the callers' instances see the new head and version
            given.head_id, given.version = fresh[given.pk].head_id, fresh[given.pk].version
    return members.persons


def _current_head_memberships(households: Iterable[Household]) -> dict[int, Membership]:
    """The latest membership of each household's head in that household (checked against dates by the caller)."""
    pairs = {(h.pk, h.head_id) for h in households if h.head_id is not None}
    result: dict[int, Membership] = {}
    household_ids = sorted({household_id for household_id, _ in pairs})
    for chunk in _chunks(household_ids):
        rows = Membership.objects.filter(household_id__in=chunk).order_by("start_date", "id")
        for membership in rows:
            if (membership.household_id, membership.person_id) in pairs:
                result[membership.household_id] = membership
    return result


def living_conditions_bulk_record(
    items: Sequence[tuple[Household, LivingConditionsRow]], *, actor: Any, actor_name: str | None = None
) -> list[LivingConditions]:
    """Record living conditions of existing households, as `living_conditions_record` per pair: a record on a day
    that already has one corrects it; the event compares with the latest earlier record."""
    context = EventContext.for_actor(actor, actor_name)
    today = timezone.localdate()
    with transaction.atomic():
        fresh = _fresh_households(h for h, _ in items)
        existing: dict[int, list[LivingConditions]] = defaultdict(list)
        for chunk in _chunks(sorted(fresh)):
            for record in LivingConditions.objects.filter(household_id__in=chunk):
                existing[record.household_id].append(record)
        errors: list[str] = []
        built: list[tuple[Household, LivingConditions]] = []
        seen: set[tuple[int, date]] = set()
        for number, (given, row) in enumerate(items, start=1):
            household = fresh[given.pk]
            prefix = _("Dòng %(number)s (hộ %(code)s)") % {"number": number, "code": household.code}
            try:
                unknown_fields(row.fields, LIVING_CONDITIONS_FIELDS, prefix)
            except TypeError as exc:
                errors.append(str(exc))
                continue
            record, problems = builders.build_living_conditions(
                household=household, recorded_on=row.recorded_on, fields=row.fields, today=today
            )
            if (household.pk, row.recorded_on) in seen:
                add(
                    problems,
                    "recorded_on",
                    _("Trùng ngày ghi nhận %(date)s trong cùng hộ.") % {"date": vn_date(row.recorded_on)},
                )
            seen.add((household.pk, row.recorded_on))
            errors.extend(row_messages(prefix, problems))
            built.append((household, record))
        _raise(errors)
        creates: list[LivingConditions] = []
        updates: list[LivingConditions] = []
        event_items: list[tuple[Household, LivingConditions, LivingConditions | None, bool]] = []
        for household, record in built:
            history = existing[household.pk]
            same_day = next((r for r in history if r.recorded_on == record.recorded_on), None)
            if same_day is not None:
                event_items.append((household, record, same_day, True))
                record.pk = same_day.pk
                history[history.index(same_day)] = record
                updates.append(record)
            else:
                earlier = [r for r in history if r.recorded_on < record.recorded_on]
                previous = max(earlier, key=lambda r: r.recorded_on, default=None)
                event_items.append((household, record, previous, False))
                history.append(record)
                creates.append(record)
        insert_rows(LivingConditions, creates)
        update_rows(LivingConditions, updates, LIVING_CONDITIONS_FIELDS)
        insert_rows(HouseholdEvent, _lc_events(context, event_items))
    return [record for _, record in built]


def members_bulk_leave(rows: Sequence[MemberLeaveRow], *, actor: Any, actor_name: str | None = None) -> int:
    """End memberships, as `member_leave` per row. Returns the number of memberships ended."""
    context = EventContext.for_actor(actor, actor_name)
    today = timezone.localdate()
    with transaction.atomic():
        ids = [row.membership.pk for row in rows]
        memberships: dict[int, Membership] = {}
        for chunk in _chunks(ids):
            memberships.update(Membership.objects.select_related("person", "household").in_bulk(chunk))
        fresh = _fresh_households(m.household for m in memberships.values())
        errors: list[str] = []
        seen: set[int] = set()
        for number, row in enumerate(rows, start=1):
            membership = memberships[row.membership.pk]
            membership.household = fresh[membership.household_id]
            problems: Problems = {}
            builders.check_leave(problems, membership, row.end_date, row.reason, today)
            if membership.pk in seen:
                add(problems, "membership", _("Thành viên xuất hiện hai lần trong dữ liệu nhập."))
            seen.add(membership.pk)
            prefix = _member_row_prefix(number, membership.household, membership.person.full_name)
            errors.extend(row_messages(prefix, problems))
        _raise(errors)
        events = []
        persons: list[Person] = []
        changed: dict[int, Household] = {}
        for row in rows:
            membership = memberships[row.membership.pk]
            household, person = membership.household, membership.person
            changes: Changes = {"end_date": [None, json_value(row.end_date)], "end_reason": ["", row.reason]}
            membership.end_date, membership.end_reason = row.end_date, row.reason
            if row.reason == MembershipEnd.DIED and person.date_of_death is None:
                changes["date_of_death"] = [None, json_value(row.end_date)]
                person.date_of_death = row.end_date
                person.updated_at = context.recorded_at
                persons.append(person)
            version = None
            if household.head_id == person.pk:
                version = _change_head(household, None, changes, changed, context.recorded_at)
            events.append(
                context.event(
                    household,
                    EventKind.MEMBER_LEFT,
                    occurred_on=row.end_date,
                    changes=changes,
                    person=person,
                    household_version=version,
                )
            )
        update_rows(Membership, list(memberships.values()), ["end_date", "end_reason"])
        update_rows(Person, persons, ["date_of_death", "updated_at"])
        update_rows(Household, list(changed.values()), ["head", "version", "updated_at"])
        insert_rows(HouseholdEvent, events)
        for row in rows:
            row.membership.end_date, row.membership.end_reason = row.end_date, row.reason
    return len(rows)
