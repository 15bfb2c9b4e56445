"""Household history: building `HouseholdEvent` rows and reading them back as Vietnamese text.

Every service writes its events through `build_event`, so the single and the bulk paths record exactly the same
rows. Values in `changes` are JSON-safe: dates as ISO text, decimals as exact text, a related record as
{"id": ..., "label": ...} (the label as it read at the time), choices as their stored value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from giamngheo.registry.models import Household, HouseholdEvent, Person

# Stored as the event's actor name, so kept in Vietnamese; marked for the catalogue so a page can translate it.
SYSTEM_ACTOR_NAME = gettext_noop("hệ thống")
# Event notes are stored as written (Vietnamese); the fixed ones are marked so a page can translate them.
SAME_DAY_LIVING_CONDITIONS_NOTE = gettext_noop("Sửa bản ghi điều kiện sống cùng ngày")

Actor = AbstractBaseUser | AnonymousUser | None
Changes = dict[str, list[Any]]


def actor_display_name(actor: Any, actor_name: str | None = None) -> str:
    """The name the history shows: the explicit name, else the user's full name, else the username, else
    "hệ thống" (a generator or an import without a user)."""
    if actor_name:
        return actor_name[:150]
    if actor is not None and getattr(actor, "is_authenticated", False):
        full_name = actor.get_full_name().strip() if hasattr(actor, "get_full_name") else ""
        return (full_name or actor.get_username())[:150]
    return SYSTEM_ACTOR_NAME


def actor_user(actor: Any) -> Any:
    """The user to store as the event's actor (None for anonymous users and the system)."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def json_value(value: Any) -> Any:
    """A value as stored in `HouseholdEvent.changes`."""
    if isinstance(value, Enum):
        value = value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return {"id": value.pk, "label": str(value)}
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    raise TypeError(f"cannot store {type(value).__name__} in a household event")


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> Changes:
    """{field: [old, new]} for the fields whose value differs, JSON-safe, in the order of `new`."""
    changes: Changes = {}
    for name, value in new.items():
        before = old.get(name)
        if _comparable(before) != _comparable(value):
            changes[name] = [json_value(before), json_value(value)]
    return changes


def initial_changes(model: type[models.Model], values: Mapping[str, Any]) -> Changes:
    """{field: [None, value]} for a new record, leaving out values that only repeat the default (empty text,
    None, and False for a yes/no field that cannot be unknown); False of a field that may be unknown is kept."""
    changes: Changes = {}
    for name, value in values.items():
        if value is None or value == "":
            continue
        if value is False:
            field = _field(model, name)
            if field is not None and not field.null:
                continue
        changes[name] = [None, json_value(value)]
    return changes


def _comparable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return (type(value), value.pk)
    if isinstance(value, Enum):
        return value.value
    return value


@dataclass(frozen=True)
class EventContext:
    """Who records and when: shared by all events of one service call."""

    actor: Any
    actor_name: str
    recorded_at: datetime

    @classmethod
    def for_actor(cls, actor: Any, actor_name: str | None = None) -> EventContext:
        return cls(
            actor=actor_user(actor),
            actor_name=actor_display_name(actor, actor_name),
            recorded_at=timezone.now(),
        )

    def event(
        self,
        household: Household,
        kind: str,
        *,
        occurred_on: date,
        changes: Changes | None = None,
        note: str = "",
        person: Person | None = None,
        household_version: int | None = None,
    ) -> HouseholdEvent:
        """An unsaved event; the caller saves it (single path) or bulk-creates it."""
        # Ids rather than instances: building events is the hot loop of the bulk services.
        return HouseholdEvent(
            household_id=household.pk,
            kind=kind,
            occurred_on=occurred_on,
            recorded_at=self.recorded_at,
            actor_id=self.actor.pk if self.actor is not None else None,
            actor_name=self.actor_name,
            changes=changes or {},
            note=note,
            person_id=person.pk if person is not None else None,
            household_version=household_version,
        )


# Reading events back ------------------------------------------------------------------------------------------


# Change keys that are not fields of the event's model: membership fields in member events, and the links a
# split or merge records.
EXTRA_LABELS: dict[str, Any] = {  # lazy translations, read with str()
    "split_to": gettext_lazy("tách thành hộ"),
    "merged_from": gettext_lazy("nhận thành viên từ hộ"),
    "from_household": gettext_lazy("chuyển từ hộ"),
    "deprivations": gettext_lazy("chỉ số thiếu hụt"),
    "causes": gettext_lazy("nguyên nhân nghèo"),
}


@cache
def _field(model: type[models.Model], name: str) -> models.Field[Any, Any] | None:
    from giamngheo.registry.models import LivingConditions, Membership

    for candidate in (model, Membership, Person, LivingConditions):
        try:
            field = candidate._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.Field):
            return field
    return None


def field_label(model: type[models.Model], name: str) -> str:
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    field = _field(model, name)
    return str(field.verbose_name) if field is not None else name.replace("_", " ")


def format_change_value(model: type[models.Model], name: str, value: Any) -> str:
    """A stored change value as a person reads it: "có"/"không", 12/10/2023, a choice's label, a record's label."""
    if value is None or value == "":
        return _("(trống)")
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, dict) and "label" in value:
        return str(value["label"])
    if isinstance(value, list):
        return ", ".join(format_change_value(model, name, item) for item in value) or _("(trống)")
    field = _field(model, name)
    if field is not None and field.choices:
        labels = {str(key): str(label) for key, label in field.flatchoices}
        return labels.get(str(value), str(value))
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def describe_changes(model: type[models.Model], changes: Mapping[str, Any]) -> list[str]:
    """["địa chỉ: «Thôn 1» → «Thôn 2»", ...] for a `changes` mapping."""
    lines = []
    for name, pair in changes.items():
        old, new = (pair[0], pair[1]) if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        old_text = format_change_value(model, name, old)
        new_text = format_change_value(model, name, new)
        lines.append(
            _("%(field)s: «%(old)s» → «%(new)s»")
            % {"field": field_label(model, name), "old": old_text, "new": new_text}
        )
    return lines


def merge_changes(events: Iterable[HouseholdEvent]) -> Changes:
    """The net change per field over a run of events: the first old value and the last new value."""
    merged: Changes = {}
    for event in events:
        for name, pair in (event.changes or {}).items():
            if not isinstance(pair, list) or len(pair) != 2:
                continue
            if name in merged:
                merged[name][1] = pair[1]
            else:
                merged[name] = [pair[0], pair[1]]
    return {name: pair for name, pair in merged.items() if pair[0] != pair[1]}
