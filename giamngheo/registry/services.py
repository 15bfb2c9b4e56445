"""Every change to the household registry: register, members joining, changing and leaving, living conditions,
edits with optimistic concurrency, closing, splitting and merging.

Each service is keyword-only, validates its input (a ValidationError naming the field, in Vietnamese), runs in one
transaction and writes `HouseholdEvent` rows with the actor and the old → new values, so every change is
attributable. `Household.version` goes up by one on every save of the household. The bulk variants for generators
and imports (`households_bulk_register`, `members_bulk_add`, `living_conditions_bulk_record`,
`members_bulk_leave`) live in `giamngheo.registry.bulk` and are re-exported here.

Dates: memberships run from `start_date` (a member from that day) to `end_date` (the day of leaving, no longer a
member); `timezone.localdate()` is read once per call, only to refuse dates in the future.
"""

from __future__ import annotations

from giamngheo.registry.bulk import (
    HouseholdRow,
    LivingConditionsRow,
    MemberLeaveRow,
    MemberRow,
    households_bulk_register,
    living_conditions_bulk_record,
    members_bulk_add,
    members_bulk_leave,
)
from giamngheo.registry.concurrency import Seen, StaleCopyError
from giamngheo.registry.households import (
    HOUSEHOLD_EDITABLE_FIELDS,
    household_close,
    household_register,
    household_split,
    household_update,
)
from giamngheo.registry.members import (
    living_conditions_record,
    member_add,
    member_leave,
    member_transfer,
    member_update,
)

__all__ = [
    "HOUSEHOLD_EDITABLE_FIELDS",
    "HouseholdRow",
    "LivingConditionsRow",
    "MemberLeaveRow",
    "MemberRow",
    "Seen",
    "StaleCopyError",
    "household_close",
    "household_register",
    "household_split",
    "household_update",
    "households_bulk_register",
    "living_conditions_bulk_record",
    "living_conditions_record",
    "member_add",
    "member_leave",
    "member_transfer",
    "member_update",
    "members_bulk_add",
    "members_bulk_leave",
]
