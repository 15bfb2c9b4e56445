"""How the poor and near-poor lists of an area changed over a period, as a partition (domain.md §3.5, §3.6).

Every household counted at the start or the end of the period falls in exactly one line, so that for every area
and period, on the household and on the person basis alike:

    End (9) = Start (1) − decreases (2 + 3 + 4) + increases (5 + 6 + 7 + 8)

A household's *standing* on a day, in an area, is one of: on the poor list, on the near-poor list, present in the
area but on neither list ("other": not poor, or a farm household of middle living standard), or absent (not yet
registered, closed, or listed in a commune outside the area). For the poor list (report "diễn biến hộ nghèo"):

| start \\ end    | poor       | near-poor         | other                  | absent            |
|----------------|------------|-------------------|------------------------|-------------------|
| poor           | (stays)    | 2 escaped to near-poor | 3 escaped above the near-poor line | 4 other decrease |
| near-poor      | 5 near-poor → poor | | | |
| other          | 6 re-poor if it was ever on the poor list before the start, else 7 newly arising | | | |
| absent         | 8 other increase (split off, moved in) | | | |

For the near-poor list: 2 escaped near-poverty (→ other), 3 near-poor → poor, 4 other decrease; 5 poor →
near-poor, 6 re-near-poor (on the near-poor list before the start), 7 newly arising, 8 other increase.

A household on the list at both ends counts in neither the decreases nor the increases, even if it left and came
back within the period: counting it as "re-poor" on top of the start is the error that made the demo's and the
provincial system's lines not add up. On the person basis a household that stays adds the change of its size to
4 (fewer members) or 8 (more), the "other" columns of the forms.

Pure code: `Stay` carries what is needed of one household; `reports` loads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from datetime import date

from giamngheo.reviews.models import PovertyClass

POOR = PovertyClass.POOR.value
NEAR_POOR = PovertyClass.NEAR_POOR.value
OTHER = "other"
LISTS = (POOR, NEAR_POOR)
CHANGE_COLUMNS = (2, 3, 4, 5, 6, 7, 8)
DECREASES = (2, 3, 4)
INCREASES = (5, 6, 7, 8)


@dataclass(frozen=True)
class Row:
    """One official status row: from `valid_from`, `status` (a PovertyClass value), listed in `commune`, with
    `members` people."""

    valid_from: date
    status: str
    commune: int
    members: int = 0
    assessment: int | None = None  # the survey result behind it
    village: int | None = None  # the village the survey recorded, if any


@dataclass(frozen=True)
class Stay:
    """One household as the transitions see it: its life in the registry and its status rows, in the order they
    take effect (by date, then as recorded: a later row of the same day is a correction and wins)."""

    household: int
    registered_on: date
    closed_on: date | None
    home_commune: int  # where the registry places it, for days before its first status row
    rows: tuple[Row, ...] = ()
    home_village: int | None = None  # the registry's village, with `home_commune`

    def place_on(self, day: date) -> tuple[int, int | None]:
        """(commune, village) where the household is counted on `day`: its status row's, else the registry's."""
        row = self.row_on(day)
        return (row.commune, row.village) if row is not None else (self.home_commune, self.home_village)

    def row_on(self, day: date) -> Row | None:
        found = None
        for row in self.rows:
            if row.valid_from > day:
                break
            found = row
        return found

    def exists_on(self, day: date) -> bool:
        return self.registered_on <= day and (self.closed_on is None or self.closed_on > day)

    def standing(
        self, day: date, communes: Set[int], villages: Set[int | None] | None = None
    ) -> tuple[str | None, int]:
        """(POOR, NEAR_POOR, OTHER or None when absent from the area on `day`, members then). With `villages`, the
        area is those villages of `communes` (None: the households with no village recorded)."""
        if not self.exists_on(day):
            return None, 0
        row = self.row_on(day)
        commune, village = (
            (row.commune, row.village) if row is not None else (self.home_commune, self.home_village)
        )
        if commune not in communes or (villages is not None and village not in villages):
            return None, 0
        if row is None:
            return OTHER, 0
        return (row.status if row.status in LISTS else OTHER), row.members

    def listed_before(self, day: date, status: str) -> bool:
        return any(row.valid_from < day and row.status == status for row in self.rows)


def change_column(listed: str, start: str | None, end: str | None, listed_before: bool) -> int | None:
    """The column (2-8) of one household's change for the list `listed` (POOR or NEAR_POOR), None when it is on
    the list at both ends or at neither."""
    other_list = NEAR_POOR if listed == POOR else POOR
    if start == listed and end == listed:
        return None
    if start == listed:
        if end is None:
            return 4
        if listed == POOR:
            return 2 if end == NEAR_POOR else 3
        return 3 if end == POOR else 2
    if end == listed:
        if start == other_list:
            return 5
        if start == OTHER:
            return 6 if listed_before else 7
        return 8
    return None


@dataclass
class Tally:
    """Columns 1-9 of one line, households and persons."""

    households: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 10), 0))
    persons: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 10), 0))
    members: list[int] = field(default_factory=list)  # the households counted, for tracing a figure

    def add(self, column: int, persons: int) -> None:
        self.households[column] += 1
        self.persons[column] += persons

    def balances(self) -> bool:
        return all(
            values[9] == values[1] - sum(values[c] for c in DECREASES) + sum(values[c] for c in INCREASES)
            for values in (self.households, self.persons)
        )


def tally(
    stays: Iterable[Stay],
    listed: str,
    start: date,
    end: date,
    communes: Set[int],
    villages: Set[int | None] | None = None,
) -> Tally:
    """The line of an area (`communes`, or only their `villages`) from `start` to `end` for the list `listed` (POOR
    or NEAR_POOR): the standings on the two days, each household's change in its column."""
    result = Tally()
    for stay in stays:
        first, first_members = stay.standing(start, communes, villages)
        last, last_members = stay.standing(end, communes, villages)
        if listed not in (first, last):
            continue
        result.members.append(stay.household)
        if first == listed:
            result.households[1] += 1
            result.persons[1] += first_members
        if last == listed:
            result.households[9] += 1
            result.persons[9] += last_members
        column = change_column(listed, first, last, stay.listed_before(start, listed))
        if column in DECREASES:
            result.add(column, first_members)
        elif column is not None:
            result.add(column, last_members)
        elif last_members != first_members:  # on the list at both ends: the change of size is "other"
            if last_members < first_members:
                result.persons[4] += first_members - last_members
            else:
                result.persons[8] += last_members - first_members
    return result
