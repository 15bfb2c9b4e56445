"""Households: registering, editing with optimistic concurrency, closing, splitting and merging.

Public functions are re-exported by `giamngheo.registry.services`, the registry's service API.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit, Village
from giamngheo.areas.selectors import place_commune_on
from giamngheo.registry import builders
from giamngheo.registry.concurrency import Seen, any_change, household_saved, refuse_if_stale
from giamngheo.registry.history import Changes, EventContext, diff, json_value
from giamngheo.registry.members import (
    current_memberships,
    end_membership,
    lock_household,
    member_joined,
    save_household,
    today_local,
)
from giamngheo.registry.models import (
    ClosedReason,
    EventKind,
    Household,
    HouseholdEvent,
    HouseholdStatus,
    Membership,
    MembershipEnd,
    Person,
    Relationship,
)
from giamngheo.registry.validation import (
    Problems,
    add,
    check_code,
    check_household,
    check_relationship,
    clean_text,
    label,
    raise_if_any,
    unknown_fields,
    vn_date,
)

# Household fields `household_update` may change (status and closing go through `household_close`).
HOUSEHOLD_EDITABLE_FIELDS: tuple[str, ...] = (
    "code",
    "commune",
    "village",
    "area_type",
    "address",
    "head",
    "is_agri",
    "has_meritorious_member",
    "no_working_capacity",
)
# When a household closes, its remaining members leave for this reason.
_CLOSE_TO_MEMBERSHIP_END = {
    ClosedReason.MOVED_AWAY: MembershipEnd.MOVED_OUT,
    ClosedReason.MERGED: MembershipEnd.HOUSEHOLD_MERGED,
    ClosedReason.SPLIT: MembershipEnd.HOUSEHOLD_SPLIT,
    ClosedReason.DIED_OUT: MembershipEnd.DIED,
    ClosedReason.OTHER: MembershipEnd.OTHER,
}


def household_register(
    *,
    code: str,
    commune: AdminUnit,
    village: Village | None,
    area_type: str,
    registered_on: date,
    actor: Any,
    actor_name: str | None = None,
    is_agri: bool = False,
    has_meritorious_member: bool = False,
    no_working_capacity: bool = False,
    address: str = "",
    split_from: Household | None = None,
) -> Household:
    """Register a new household (version 1) and write its CREATED event."""
    context = EventContext.for_actor(actor, actor_name)
    household, problems = builders.build_household(
        code=code,
        commune=commune,
        village=village,
        area_type=area_type,
        registered_on=registered_on,
        is_agri=is_agri,
        has_meritorious_member=has_meritorious_member,
        no_working_capacity=no_working_capacity,
        address=address,
        split_from=split_from,
        today=today_local(),
    )
    with transaction.atomic():
        _save_new(context, household, problems, on=registered_on)
    return household


def _save_new(
    context: EventContext,
    household: Household,
    problems: Problems,
    *,
    on: date,
    field: str = "code",
    note: str = "",
) -> None:
    """Save a newly built household with its CREATED event, once its code is known to be free (a taken code is
    reported on `field`) and `problems` is empty."""
    if field not in problems and Household.objects.filter(code=household.code).exists():
        add(problems, field, _("Mã hộ «%(code)s» đã có trong sổ hộ.") % {"code": household.code})
    raise_if_any(problems)
    household.save()
    context.event(
        household,
        EventKind.CREATED,
        occurred_on=on,
        changes=builders.household_created_changes(household),
        household_version=household.version,
        note=note,
    ).save()


def household_update(
    *,
    household: Household,
    actor: Any,
    seen: Seen | None = None,
    on: date | None = None,
    **changes: Any,
) -> Household:
    """Edit household fields (`HOUSEHOLD_EDITABLE_FIELDS`). With `seen` (what the editor loaded), a household
    saved in the meantime raises `concurrency.StaleCopyError` listing what changed since. A change of commune or
    village is a move (event MOVED); `on` is the date of the change (default today)."""
    unknown_fields(changes, HOUSEHOLD_EDITABLE_FIELDS, "household_update")
    context = EventContext.for_actor(actor)
    today = today_local()
    on = on or today
    with transaction.atomic():
        lock_household(household)
        refuse_if_stale(household, seen, household_saved)
        problems: Problems = {}
        if household.status != HouseholdStatus.ACTIVE:
            add(problems, "household", _("Hộ %(code)s đã đóng, không sửa được.") % {"code": household.code})
        new = dict(changes)
        if "code" in new:
            new["code"] = clean_text(new["code"])
            check_code(problems, new["code"])
            if Household.objects.filter(code=new["code"]).exclude(pk=household.pk).exists():
                add(problems, "code", _("Mã hộ «%(code)s» đã có trong sổ hộ.") % {"code": new["code"]})
        if "address" in new:
            new["address"] = clean_text(new["address"])
        if {"commune", "village", "area_type"} & set(new):
            check_household(
                problems,
                commune=new.get("commune", household.commune),
                village=new.get("village", household.village),
                area_type=new.get("area_type", household.area_type),
                on=on,
                today=today,
            )
        for name in ("is_agri", "has_meritorious_member", "no_working_capacity"):
            if name in new and not isinstance(new[name], bool):
                add(
                    problems, name, _("%(field)s: phải là có hoặc không.") % {"field": label(Household, name)}
                )
        if new.get("head") is not None:
            head = new["head"]
            if not current_memberships(household, on).filter(person_id=head.pk).exists():
                add(
                    problems,
                    "head",
                    _("«%(person)s» không phải là thành viên hộ %(code)s vào ngày %(date)s.")
                    % {"person": head, "code": household.code, "date": vn_date(on)},
                )
        raise_if_any(problems)
        record = diff(builders.household_snapshot(household, tuple(new)), new)
        if not record:
            return household
        old_head_id = household.head_id
        for name, value in new.items():
            setattr(household, name, value)
        version = save_household(household, list(new))
        kind = EventKind.MOVED if {"commune", "village"} & set(record) else EventKind.UPDATED
        context.event(household, kind, occurred_on=on, changes=record, household_version=version).save()
        if "head" in record:
            _relationships_follow_head(context, household, old_head_id, on)
    return household


def _relationships_follow_head(
    context: EventContext, household: Household, old_head_id: int | None, on: date
) -> None:
    """After the head changed: the new head's relationship becomes "head", the former head's "other" (their
    relationship to the new head is not known; correct it with member_update)."""
    for membership in current_memberships(household, on).select_related("person"):
        if membership.person_id == household.head_id:
            relationship = Relationship.HEAD
        elif membership.person_id == old_head_id or membership.relationship == Relationship.HEAD:
            relationship = Relationship.OTHER
        else:
            continue
        if membership.relationship == relationship:
            continue
        changes: Changes = {"relationship": [membership.relationship, relationship]}
        membership.relationship = relationship
        membership.save(update_fields=["relationship"])
        context.event(
            household, EventKind.MEMBER_UPDATED, occurred_on=on, changes=changes, person=membership.person
        ).save()


def household_close(
    *,
    household: Household,
    on: date,
    reason: str,
    actor: Any,
    merged_into: Household | None = None,
    seen: Seen | None = None,
) -> Household:
    """Close a household on `on`. Its remaining members leave (moved away, died, ...); with `merged_into` (reason
    "merged") they join that household instead, with relationship "other" until corrected. `seen`: what the caller
    saw of the household closed (refused when anything was written to it since)."""
    context = EventContext.for_actor(actor)
    with transaction.atomic():
        lock_household(household)
        refuse_if_stale(household, seen, any_change)
        if merged_into is not None:
            lock_household(merged_into)
        problems: Problems = {}
        if reason not in ClosedReason.values:
            allowed = ", ".join(ClosedReason.values)
            add(
                problems,
                "closed_reason",
                _("Lý do đóng: giá trị «%(value)s» không hợp lệ (chọn một trong: %(allowed)s).")
                % {"value": reason, "allowed": allowed},
            )
        if household.status != HouseholdStatus.ACTIVE:
            add(problems, "household", _("Hộ %(code)s đã đóng.") % {"code": household.code})
        if not isinstance(on, date) or on > today_local():
            add(
                problems,
                "closed_on",
                _("Ngày đóng hộ «%(value)s» không hợp lệ hoặc ở tương lai.") % {"value": on},
            )
        elif household.registered_on is not None and on < household.registered_on:
            add(
                problems,
                "closed_on",
                _("Ngày đóng hộ %(date)s trước ngày đăng ký %(registered)s.")
                % {"date": vn_date(on), "registered": vn_date(household.registered_on)},
            )
        if (reason == ClosedReason.MERGED) != (merged_into is not None):
            add(problems, "merged_into", _("Nhập hộ cần chọn hộ nhận và lý do «nhập vào hộ khác»."))
        elif merged_into is not None:
            if merged_into.pk == household.pk:
                add(problems, "merged_into", _("Không thể nhập hộ vào chính nó."))
            elif (
                not builders.household_is_open_on(merged_into, on)
                or merged_into.status != HouseholdStatus.ACTIVE
            ):
                add(problems, "merged_into", _("Hộ nhận %(code)s đã đóng.") % {"code": merged_into.code})
        remaining = (
            list(current_memberships(household, on).select_related("person", "household"))
            if not problems
            else []
        )
        if reason == ClosedReason.DIED_OUT and remaining:
            names = ", ".join(m.person.full_name for m in remaining)
            add(
                problems,
                "closed_reason",
                _("Hộ %(code)s còn thành viên (%(names)s); ghi nhận rời hộ trước.")
                % {"code": household.code, "names": names},
            )
        raise_if_any(problems)
        end_reason = _CLOSE_TO_MEMBERSHIP_END[ClosedReason(reason)]
        events: list[HouseholdEvent] = []
        for membership in remaining:
            note = f"Nhập vào hộ {merged_into.code}" if merged_into is not None else ""
            events.append(end_membership(context, membership, on, end_reason, note=note, clear_head=False))
        before = builders.household_snapshot(
            household, ("status", "closed_on", "closed_reason", "merged_into")
        )
        household.status = HouseholdStatus.CLOSED
        household.closed_on = on
        household.closed_reason = reason
        household.merged_into = merged_into
        after = builders.household_snapshot(household, tuple(before))
        version = save_household(household, list(before))
        kind = EventKind.MERGED if merged_into is not None else EventKind.CLOSED
        note = f"Nhập vào hộ {merged_into.code}" if merged_into is not None else ""
        events.append(
            context.event(
                household,
                kind,
                occurred_on=on,
                changes=diff(before, after),
                household_version=version,
                note=note,
            )
        )
        for event in events:
            event.save()
        if merged_into is not None:
            _receive_members(context, merged_into, [m.person for m in remaining], on, household, merged=True)
    return household


def _receive_members(
    context: EventContext,
    target: Household,
    persons: Sequence[Person],
    on: date,
    source: Household,
    relationships: Mapping[int, str] | None = None,
    *,
    merged: bool = False,
) -> None:
    relationships = relationships or {}
    for person in persons:
        relationship = relationships.get(person.pk, Relationship.OTHER)
        membership = Membership.objects.create(
            household=target, person=person, relationship=relationship, start_date=on
        )
        changes: Changes = {
            "relationship": [None, relationship],
            "start_date": [None, json_value(on)],
            "from_household": [None, json_value(source)],
        }
        member_joined(context, target, membership, changes)
    if merged:
        context.event(
            target,
            EventKind.MERGED,
            occurred_on=on,
            note=f"Nhận thành viên từ hộ {source.code}",
            changes={"merged_from": [None, json_value(source)]},
        ).save()


def household_split(
    *,
    household: Household,
    new_code: str,
    members: Sequence[Person],
    on: date,
    actor: Any,
    village: Village | None = None,
    relationships: Mapping[int, str] | None = None,
    seen: Seen | None = None,
) -> Household:
    """Split members off into a new household registered on `on` (the village of the old household unless given,
    in the commune holding that place on `on` — today's commune after the 2025 reform; the same area type). The first member listed becomes head of the new household; the others are
    "other" unless `relationships` ({person id: relationship}) says otherwise. At least one member must stay.
    `seen`: what the caller saw of the household split (refused when anything was written to it since)."""
    context = EventContext.for_actor(actor)
    with transaction.atomic():
        lock_household(household)
        refuse_if_stale(household, seen, any_change)
        problems: Problems = {}
        if household.status != HouseholdStatus.ACTIVE:
            add(problems, "household", _("Hộ %(code)s đã đóng, không tách được.") % {"code": household.code})
        current = {
            m.person_id: m for m in current_memberships(household, on).select_related("person", "household")
        }
        if not members:
            add(problems, "members", _("Chọn ít nhất một thành viên để tách hộ."))
        outsiders = [p.full_name for p in members if p.pk not in current]
        if outsiders:
            add(
                problems,
                "members",
                _("Không phải thành viên hộ %(code)s vào ngày %(date)s: %(names)s.")
                % {"code": household.code, "date": vn_date(on), "names": ", ".join(outsiders)},
            )
        elif members and len({p.pk for p in members}) >= len(current):
            add(
                problems,
                "members",
                _("Phải còn lại ít nhất một thành viên trong hộ %(code)s.") % {"code": household.code},
            )
        chosen = dict(relationships or {})
        if members:
            chosen.setdefault(members[0].pk, Relationship.HEAD)
        for relationship in chosen.values():
            check_relationship(problems, relationship)
        if sum(1 for r in chosen.values() if r == Relationship.HEAD) > 1:
            add(problems, "relationship", _("Hộ mới chỉ có một chủ hộ."))
        place = village if village is not None else household.village
        new, new_problems = builders.build_household(
            code=new_code,
            commune=place_commune_on(household.commune, place, on),
            village=place,
            area_type=household.area_type,
            registered_on=on,
            is_agri=household.is_agri,
            has_meritorious_member=False,
            no_working_capacity=False,
            address=household.address,
            split_from=household,
            today=today_local(),
        )
        for name, messages in new_problems.items():
            problems.setdefault("new_code" if name == "code" else name, []).extend(messages)
        _save_new(context, new, problems, on=on, field="new_code", note=f"Tách từ hộ {household.code}")
        events = [
            end_membership(
                context, current[p.pk], on, MembershipEnd.HOUSEHOLD_SPLIT, note=f"Tách sang hộ {new.code}"
            )
            for p in members
        ]
        version = save_household(household, [])
        events.append(
            context.event(
                household,
                EventKind.SPLIT,
                occurred_on=on,
                changes={"split_to": [None, json_value(new)]},
                household_version=version,
                note=f"Tách thành hộ {new.code}",
            )
        )
        for event in events:
            event.save()
        _receive_members(context, new, list(members), on, household, chosen)
    return new
