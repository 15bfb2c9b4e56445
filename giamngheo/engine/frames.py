"""Build the Polars frames of `giamngheo.engine.batch.classify_frame` from `HouseholdFacts`, the way a real caller
does: one households row per household (area, income, farming flag, the reviewer's entered flags as two bit masks,
the living conditions) and one members row per member, joined by ``household_id``.

Every column is written with its canonical type (`HOUSEHOLD_FACT_TYPES`, `MEMBER_FACT_TYPES`), even when no
household has a value, so that a batch of households with no recorded facts still has a fixed schema. A Decimal
floor area becomes a float, as it does when read from the database into a Float64 column; a NaN stays NaN (both
paths treat it as not recorded).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import polars as pl

from giamngheo.engine.facts import HOUSEHOLD_FACT_TYPES, MEMBER_FACT_TYPES, HouseholdFacts
from giamngheo.engine.standard import CatalogueIndicator, load_catalogue

HOUSEHOLD_COLUMNS: dict[str, pl.DataType] = {
    "household_id": pl.Int64(),
    "area_type": pl.String(),
    "income_per_capita": pl.Int64(),
    "is_agri": pl.Boolean(),
    "entered_mask": pl.Int64(),
    "entered_known_mask": pl.Int64(),
    **{name: dtype for name, dtype in HOUSEHOLD_FACT_TYPES.items() if name != "member_count"},
}
MEMBER_COLUMNS: dict[str, pl.DataType] = {"household_id": pl.Int64(), **MEMBER_FACT_TYPES}


def _column_value(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def entered_masks(
    entered: Mapping[str, bool | None], catalogue: Mapping[str, CatalogueIndicator] | None = None
) -> tuple[int, int]:
    """(entered_mask, entered_known_mask) of a reviewer's flags: the bits of the indicators entered as deprived,
    and the bits of every indicator entered at all. None means "not entered"; an unknown code is an error."""
    catalogue = catalogue if catalogue is not None else load_catalogue()
    deprived = known = 0
    for code, value in entered.items():
        if code not in catalogue:
            raise ValueError(f"chỉ số thiếu hụt không xác định: {code!r}")
        if value is None:
            continue
        bit = 1 << catalogue[code].bit
        known |= bit
        if value:
            deprived |= bit
    return deprived, known


def facts_to_frames(
    facts: Sequence[HouseholdFacts],
    *,
    ids: Sequence[int] | None = None,
    catalogue: Mapping[str, CatalogueIndicator] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(households, members) frames for `classify_frame`, one households row per element of `facts` in order.

    `household_id` is `ids[i]` when given, else the position i. The members frame lists the members of each
    household in order (a household without members has no members rows).
    """
    if ids is not None and len(ids) != len(facts):
        raise ValueError("ids và facts phải có cùng số phần tử")
    household_ids = list(ids) if ids is not None else list(range(len(facts)))
    households: dict[str, list[Any]] = {name: [] for name in HOUSEHOLD_COLUMNS}
    members: dict[str, list[Any]] = {name: [] for name in MEMBER_COLUMNS}
    for household_id, household in zip(household_ids, facts, strict=True):
        deprived, known = entered_masks(household.entered, catalogue)
        households["household_id"].append(household_id)
        households["area_type"].append(str(household.area_type))
        households["income_per_capita"].append(household.income_per_capita)
        households["is_agri"].append(household.is_agri)
        households["entered_mask"].append(deprived)
        households["entered_known_mask"].append(known)
        for name in HOUSEHOLD_COLUMNS:
            if name in HOUSEHOLD_FACT_TYPES:
                households[name].append(_column_value(getattr(household, name)))
        for member in household.members:
            members["household_id"].append(household_id)
            for name in MEMBER_FACT_TYPES:
                members[name].append(_column_value(getattr(member, name)))
    return (
        pl.DataFrame(households, schema=HOUSEHOLD_COLUMNS),
        pl.DataFrame(members, schema=MEMBER_COLUMNS),
    )
