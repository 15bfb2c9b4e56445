"""Reading the official lists: a household's status on a day, its history with the dates each status held, and
the households that left the lists within the last years (the "newly escaped" window of loans and support)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from giamngheo.decisions.models import OfficialStatus
from giamngheo.reviews.models import PovertyClass

ESCAPE_WINDOW_YEARS = 3  # "hộ mới thoát nghèo": out of the lists for at most 3 years (domain.md §3.6)
LISTS = (PovertyClass.POOR.value, PovertyClass.NEAR_POOR.value)


def statuses_on(household_ids: Iterable[int], day: date) -> dict[int, OfficialStatus]:
    """The status row in force on `day` for each of `household_ids` that has one (the latest row from that day or
    earlier; of one day, the one recorded last)."""
    found: dict[int, OfficialStatus] = {}
    ids = sorted(set(household_ids))
    for start in range(0, len(ids), 5_000):
        rows = OfficialStatus.objects.filter(
            household_id__in=ids[start : start + 5_000], valid_from__lte=day
        ).order_by("household_id", "valid_from", "id")
        for row in rows:
            found[row.household_id] = row
    return found


@dataclass(frozen=True)
class Period:
    """One status of a household, from `valid_from` to `valid_to` (inclusive; None: still in force)."""

    row: OfficialStatus
    valid_from: date
    valid_to: date | None


def status_history(household_id: int) -> list[Period]:
    """Every status of the household in the order they took effect, with the day each ended. A row taken over the
    same day it began (a correction) held for no day and is left out."""
    rows = list(
        OfficialStatus.objects.filter(household_id=household_id)
        .select_related("decision", "commune")
        .order_by("valid_from", "id")
    )
    periods: list[Period] = []
    for index, row in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else None
        if following is not None and following.valid_from == row.valid_from:
            continue
        periods.append(
            Period(row, row.valid_from, following.valid_from - timedelta(days=1) if following else None)
        )
    return periods


def escaped_on(household_id: int, day: date, *, years: int = ESCAPE_WINDOW_YEARS) -> date | None:
    """The day the household left the poor and near-poor lists when that was within `years` before `day` and it
    is off the lists on `day`; else None."""
    return escaped_from(status_history(household_id), day, years=years)


def escaped_from(periods: list[Period], day: date, *, years: int = ESCAPE_WINDOW_YEARS) -> date | None:
    """`escaped_on` over a history already read (`status_history`)."""
    history = [p for p in periods if p.valid_from <= day]
    off = len(history)
    while off > 0 and history[off - 1].row.status not in LISTS:
        off -= 1
    if off == 0 or off == len(history):
        return None  # never listed, or listed on `day`
    left = history[off].valid_from
    try:
        limit = day.replace(year=day.year - years)
    except ValueError:  # 29 February
        limit = day.replace(year=day.year - years, day=28)
    return left if left > limit else None
