"""Reads of a household's members, for a household the caller already holds.

These never decide who may read what: views and endpoints call them only with a household (or person) obtained
through the access functions of `accounts.access`, which apply the account's area scope.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from giamngheo.registry.models import Household, Membership, Person


def current_members(household: Household, on: date) -> QuerySet[Person]:
    """The people who are members of `household` on `on`, by name."""
    return Person.objects.filter(
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gt=on),
        memberships__household=household,
        memberships__start_date__lte=on,
    ).order_by("full_name")


def memberships_of(household: Household, *, on: date | None = None) -> QuerySet[Membership]:
    """The memberships of `household` (only those current on `on` when given), oldest first, with the person."""
    memberships = Membership.objects.select_related("person", "person__ethnicity").filter(household=household)
    if on is not None:
        memberships = memberships.filter(Q(end_date__isnull=True) | Q(end_date__gt=on), start_date__lte=on)
    return memberships.order_by("start_date", "id")


def household_of_person(person: Person, on: date) -> int | None:
    """The id of the household `person` belongs to on `on`, else of their latest household, else None (as
    `member_update` decides which household a change of the person belongs to)."""
    memberships = list(Membership.objects.filter(person=person).order_by("start_date", "id"))
    for membership in memberships:
        if membership.is_current_on(on):
            return membership.household_id
    return memberships[-1].household_id if memberships else None
