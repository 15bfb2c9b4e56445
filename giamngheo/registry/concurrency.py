"""Optimistic concurrency for edits of a household, its members, living conditions and assessments: two officers
(in the browser or through the API) never silently overwrite each other.

Every edit carries what its user saw: the household's `version` and the id of the household's last history
entry (`seen`; the API calls it `last_event_id`). `household_update` refuses a stale version itself (`ConcurrentEditError`). The member,
living-conditions and assessment services take no version (and a member edit does not move the household's
version), so before calling them a view or an API endpoint locks the household row and calls `refuse_if_stale`: when the
household's version moved on, or a history entry written since `seen` touches what the form edits (the same
member, a living-conditions record, an assessment), the save is refused with a message listing who changed
what, old → new. The lock is held until the service's transaction ends, so the check and the save cannot be
separated by another save.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from giamngheo.registry.history import describe_changes
from giamngheo.registry.models import EventKind, Household, HouseholdEvent, Person
from giamngheo.reviews.models import Assessment

Relevant = Callable[[HouseholdEvent], bool]


class StaleEditError(ValidationError):
    """The household changed after the form was opened in a way that concerns this form."""

    def __init__(
        self, household: Household, events: Sequence[HouseholdEvent], *, expected_version: int
    ) -> None:
        self.events = list(events)
        self.expected_version = expected_version
        self.current_version = household.version
        super().__init__(stale_message(household, self.events), code="concurrent_edit")


def check(household: Household, *, version: int | None, seen: int | None, relevant: Relevant) -> None:
    """`refuse_if_stale` with what an API client sent: either part may be missing (not checked then)."""
    if version is None and seen is None:
        return
    refuse_if_stale(
        household,
        version=household.version if version is None else version,
        seen=seen if seen is not None else (last_event_id(household)),
        relevant=relevant,
    )


def last_event_id(household: Household) -> int:
    """The id of the household's latest history entry (0 when it has none)."""
    return HouseholdEvent.objects.filter(household_id=household.pk).aggregate(last=Max("id"))["last"] or 0


def lock(household: Household) -> Household:
    """Lock the household row for the current transaction; the fresh row (its current version)."""
    return Household.objects.select_for_update().get(pk=household.pk)


def lock_id(household_id: int) -> Household:
    return Household.objects.select_for_update().get(pk=household_id)


def any_change(event: HouseholdEvent) -> bool:
    return True


def household_saved(event: HouseholdEvent) -> bool:
    return event.household_version is not None


def concerning(person: Person) -> Relevant:
    """Entries about `person`, and any save of the household (a new head, a move, a closing)."""
    return lambda event: event.person_id == person.pk or household_saved(event)


def of_kind(kind: str) -> Relevant:
    return lambda event: event.kind == kind or household_saved(event)


def refuse_if_stale(household: Household, *, version: int, seen: int, relevant: Relevant) -> None:
    """Raise `StaleEditError` when `household` (locked, fresh) moved past `version`, or an entry written after
    `seen` is relevant to the form."""
    since = list(
        HouseholdEvent.objects.filter(household_id=household.pk, pk__gt=seen)
        .select_related("person")
        .order_by("id")
    )
    concerned = [event for event in since if relevant(event)]
    if concerned or household.version != version:
        raise StaleEditError(household, concerned or since, expected_version=version)


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
        model = Assessment if event.kind == EventKind.ASSESSED else Household
        lines = describe_changes(model, event.changes or {})
        changes.append(f"{subject}: {', '.join(lines)}" if lines else subject)
    if changes:
        message += " " + _("Những thay đổi đã có: %(changes)s.") % {"changes": "; ".join(changes)}
    message += " " + _(
        "Thay đổi của bạn chưa được lưu. Hãy tải lại biểu mẫu, xem lại các thay đổi này rồi nhập lại."
    )
    return message
