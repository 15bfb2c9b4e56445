"""The transitions partition the changes (decisions.transitions): on generated histories, every line adds up on
the household and the person basis, every household counted at either end falls in exactly one place, and the
communes' start and end counts add up to the area's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giamngheo.decisions.transitions import (
    CHANGE_COLUMNS,
    NEAR_POOR,
    OTHER,
    POOR,
    Row,
    Stay,
    change_column,
    tally,
)

MIDDLE, NOT_POOR = "muc_song_trung_binh", "khong_ngheo"
COMMUNES = (1, 2, 3)
OUTSIDE = 9
FIRST, LAST = date(2020, 1, 1), date(2025, 12, 31)
days = st.dates(min_value=FIRST, max_value=LAST)


@st.composite
def stays(draw: st.DrawFn, household: int) -> Stay:
    registered = draw(days)
    closed = draw(
        st.none() | st.dates(min_value=registered + timedelta(days=1), max_value=LAST + timedelta(days=1))
    )
    rows = sorted(
        draw(
            st.lists(
                st.tuples(
                    days,
                    st.sampled_from((POOR, NEAR_POOR, MIDDLE, NOT_POOR)),
                    st.sampled_from((*COMMUNES, OUTSIDE)),
                    st.integers(1, 8),
                ),
                max_size=5,
            )
        ),
        key=lambda row: row[0],  # a stable sort: rows of one day keep their (recording) order
    )
    home = draw(st.sampled_from((*COMMUNES, OUTSIDE)))
    return Stay(household, registered, closed, home, tuple(Row(*row) for row in rows))


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Stay], date, date, frozenset[int]]:
    people = [draw(stays(n)) for n in range(draw(st.integers(0, 25)))]
    start = draw(days)
    end = draw(st.dates(min_value=start + timedelta(days=1), max_value=LAST + timedelta(days=1)))
    area = draw(st.frozensets(st.sampled_from(COMMUNES), min_size=1))
    return people, start, end, area


def on_list(stay: Stay, day: date, area: frozenset[int], listed: str) -> tuple[bool, int]:
    """An independent reading: the last row by date (and recording order) on or before `day`."""
    if not (stay.registered_on <= day and (stay.closed_on is None or day < stay.closed_on)):
        return False, 0
    earlier = [(row.valid_from, index, row) for index, row in enumerate(stay.rows) if row.valid_from <= day]
    if not earlier:
        return False, 0
    row = max(earlier, key=lambda item: (item[0], item[1]))[2]
    return row.status == listed and row.commune in area, row.members


@pytest.mark.parametrize("listed", [POOR, NEAR_POOR])
@settings(max_examples=300, deadline=None)
@given(history=histories())
def test_every_line_adds_up_and_partitions_the_households(
    listed: str, history: tuple[list[Stay], date, date, frozenset[int]]
) -> None:
    people, start, end, area = history
    line = tally(people, listed, start, end, area)
    assert line.balances()
    at_start = [s for s in people if on_list(s, start, area, listed)[0]]
    at_end = [s for s in people if on_list(s, end, area, listed)[0]]
    assert line.households[1] == len(at_start) and line.households[9] == len(at_end)
    assert line.persons[1] == sum(on_list(s, start, area, listed)[1] for s in at_start)
    assert line.persons[9] == sum(on_list(s, end, area, listed)[1] for s in at_end)
    both = {s.household for s in at_start} & {s.household for s in at_end}
    counted = {s.household for s in at_start} | {s.household for s in at_end}
    assert sorted(line.members) == sorted(counted)  # each once
    assert len(counted) == len(both) + sum(line.households[c] for c in CHANGE_COLUMNS)
    # The communes' lines add up to the area's at both ends (the changes may not: moves within the area).
    lines = [tally(people, listed, start, end, {commune}) for commune in area]
    assert sum(each.households[1] for each in lines) == line.households[1]
    assert sum(each.households[9] for each in lines) == line.households[9]
    assert all(each.balances() for each in lines)


@pytest.mark.parametrize(
    ("listed", "start", "end", "before", "column"),
    [
        (POOR, POOR, POOR, False, None),  # on the list at both ends: no change, even if it left in between
        (POOR, POOR, NEAR_POOR, False, 2),  # thoát nghèo, thành hộ cận nghèo
        (POOR, POOR, OTHER, False, 3),  # thoát nghèo, vượt chuẩn cận nghèo
        (POOR, POOR, None, False, 4),  # giảm khác: closed, moved out
        (POOR, NEAR_POOR, POOR, True, 5),  # hộ cận nghèo thành hộ nghèo (not re-poor, even if poor before)
        (POOR, OTHER, POOR, True, 6),  # tái nghèo: escaped earlier, poor again
        (POOR, OTHER, POOR, False, 7),  # phát sinh mới
        (POOR, None, POOR, True, 8),  # tăng khác: split off, moved in
        (NEAR_POOR, NEAR_POOR, OTHER, False, 2),  # thoát cận nghèo
        (NEAR_POOR, NEAR_POOR, POOR, False, 3),  # cận nghèo thành nghèo
        (NEAR_POOR, NEAR_POOR, None, False, 4),
        (NEAR_POOR, POOR, NEAR_POOR, False, 5),  # hộ nghèo thành hộ cận nghèo
        (NEAR_POOR, OTHER, NEAR_POOR, True, 6),  # tái cận nghèo
        (NEAR_POOR, OTHER, NEAR_POOR, False, 7),
        (NEAR_POOR, None, NEAR_POOR, False, 8),
        (POOR, NEAR_POOR, OTHER, True, None),  # the other list only: not in this report
    ],
)
def test_each_change_has_its_column(
    listed: str, start: str | None, end: str | None, before: bool, column: int | None
) -> None:
    assert change_column(listed, start, end, before) == column
