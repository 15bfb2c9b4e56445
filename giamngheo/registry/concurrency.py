"""Optimistic concurrency for every write to a household: two officers (in the browser or through the API) never
silently overwrite each other. This is the one implementation of the lock-and-stale-check; every write service
calls `refuse_if_stale` itself, inside its transaction, after locking the household row.

What a caller saw is a `Seen`: the household's `version` (moved by every save of the household row) and the id of
the household's last history entry (moved by every write, including member, living-conditions and assessment
writes, which do not save the household row). A service refuses the write with `StaleCopyError` when the version
moved on, or when a history entry written after the one seen concerns what the write changes (the same member, a
living-conditions record, an assessment, any save of the household). The message lists who changed what,
old → new. A caller that holds no copy (a generator, an import, a background job working from the database
itself) passes no `Seen`; views and API endpoints always pass one (the API refuses a write that sends none with
428 Precondition Required).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from giamngheo.registry.history import Changes, describe_changes, merge_changes
from giamngheo.registry.models import EventKind, Household, HouseholdEvent, Person

Relevant = Callable[[HouseholdEvent], bool]


@dataclass(frozen=True)
class Seen:
    """What the caller saw of a household: its `version` and the id of its last history entry (`event_id`).

    Either part may be None (not checked): an API client that sends only `expected_version` is checked on the
    version alone. `etag` / `from_etag` are the HTTP form of both parts, `"v<version>.e<event_id>"`.
    """

    version: int | None = None
    event_id: int | None = None

    @classmethod
    def of(cls, household: Household) -> Seen:
        """What a caller sees of `household` now (its version and its last history entry)."""
        return cls(version=household.version, event_id=last_event_id(household))

    @property
    def etag(self) -> str:
        return f'"v{self.version or 0}.e{self.event_id or 0}"'

    @classmethod
    def from_etag(cls, value: str) -> Seen | None:
        """The `Seen` of an entity tag produced by `etag` (a weak tag is accepted), or None when it is not one."""
        tag = value.strip().removeprefix("W/")
        if len(tag) < 2 or tag[0] != '"' or tag[-1] != '"':
            return None
        version, dot, event = tag[1:-1].partition(".")
        if not dot or not version.startswith("v") or not event.startswith("e"):
            return None
        version, event = version[1:], event[1:]
        if not (version.isascii() and version.isdigit() and event.isascii() and event.isdigit()):
            return None
        if len(version) > 10 or len(event) > 19:
            return None
        return cls(version=int(version), event_id=int(event))


class StaleCopyError(ValidationError):
    """The household changed after the caller's copy was taken, in a way that concerns this write.

    `events` are the history entries written since (those that concern the write, or all of them when only the
    version moved); `changes` their net change per field ({field: [value then, value now]}).
    """

    def __init__(
        self, household: Household, events: Sequence[HouseholdEvent], *, expected_version: int | None
    ) -> None:
        self.household = household
        self.events = list(events)
        self.expected_version = expected_version if expected_version is not None else household.version
        self.current_version = household.version
        super().__init__(stale_message(household, self.events), code="concurrent_edit")

    @property
    def changes(self) -> Changes:
        return merge_changes(self.events)


def last_event_id(household: Household) -> int:
    """The id of the household's latest history entry (0 when it has none)."""
    return HouseholdEvent.objects.filter(household_id=household.pk).aggregate(last=Max("id"))["last"] or 0


# What concerns a write --------------------------------------------------------------------------------------


def any_change(event: HouseholdEvent) -> bool:
    return True


def household_saved(event: HouseholdEvent) -> bool:
    return event.household_version is not None


def concerning(person: Person) -> Relevant:
    """Entries about `person`, and any save of the household (a new head, a move, a closing)."""
    return lambda event: event.person_id == person.pk or household_saved(event)


def of_kind(kind: str) -> Relevant:
    return lambda event: event.kind == kind or household_saved(event)


def refuse_if_stale(household: Household, seen: Seen | None, relevant: Relevant) -> None:
    """Raise `StaleCopyError` when `household` (locked and fresh) moved past `seen.version`, or an entry
    written after `seen.event_id` is relevant to the write. No `Seen` (or an empty one): nothing to check."""
    if seen is None or (seen.version is None and seen.event_id is None):
        return
    version_moved = seen.version is not None and household.version != seen.version
    concerned: list[HouseholdEvent] = []
    since: list[HouseholdEvent] = []
    if seen.event_id is not None:
        since = list(
            HouseholdEvent.objects.filter(household_id=household.pk, pk__gt=seen.event_id)
            .select_related("person")
            .order_by("id")
        )
        concerned = [event for event in since if relevant(event)]
    elif version_moved:
        assert seen.version is not None
        since = list(
            HouseholdEvent.objects.filter(household_id=household.pk, household_version__gt=seen.version)
            .select_related("person")
            .order_by("id")
        )
    if concerned or version_moved:
        raise StaleCopyError(household, concerned or since, expected_version=seen.version)


def stale_message(household: Household, events: Sequence[HouseholdEvent]) -> str:
    who = ", ".join(sorted({event.actor_name for event in events})) or _("người khác")
    message = _("Hộ %(code)s đã được %(who)s sửa sau khi bạn mở biểu mẫu này.") % {
        "code": household.code,
        "who": who,
    }
    changes = []
    for event in events:
        subject = str(event.get_kind_display())
        if event.person is not None:
            subject += f" «{event.person.full_name}»"
        # An assessment event lists the assessment's fields; the model is looked up by name because the reviews
        # app builds on the registry, not the other way round.
        model = apps.get_model("reviews", "Assessment") if event.kind == EventKind.ASSESSED else Household
        lines = describe_changes(model, event.changes or {})
        changes.append(f"{subject}: {', '.join(lines)}" if lines else subject)
    if changes:
        message += " " + _("Những thay đổi đã có: %(changes)s.") % {"changes": "; ".join(changes)}
    message += " " + _(
        "Thay đổi của bạn chưa được lưu. Hãy tải lại biểu mẫu, xem lại các thay đổi này rồi nhập lại."
    )
    return message
