"""Low-income workers (Nghị định 30/2025/NĐ-CP, amending NĐ 07/2021): "người lao động thuộc hộ gia đình (không bao
gồm người lao động thuộc hộ nghèo, hộ cận nghèo) có thu nhập bình quân đầu người/tháng từ 2.250.000 đồng trở xuống
ở khu vực nông thôn và từ 3.000.000 đồng trở xuống ở khu vực thành thị".

The lines and the date they apply from are data (`[low_income_worker]` of a standard's TOML file). The decree
defines the household; who in it is a "worker" is read here as a member of working age (the Labour Code's bounds,
`engine.labour`) who is able to work. Unrecorded facts are unknown: a member whose working age or ability to work is
not recorded is listed as undecided, never silently counted or left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from giamngheo.engine.facts import AreaType, HouseholdFacts, PovertyClass
from giamngheo.engine.standard import Standard

# Classes the decree excludes: the workers of poor and near-poor households are supported as such.
EXCLUDED_CLASSES = frozenset({PovertyClass.POOR, PovertyClass.NEAR_POOR})


@dataclass(frozen=True)
class LowIncomeFinding:
    """Whether a household's workers are low-income workers, and which members are (or may be)."""

    household: bool  # the household meets the decree's condition (class and income)
    line: int | None  # the line of its area type, None when the standard sets none or it does not yet apply
    workers: tuple[int, ...] = ()  # indexes (in `HouseholdFacts.members`) of its low-income workers
    undecided: tuple[int, ...] = ()  # members whose working age or ability to work is not recorded


def low_income_workers(
    standard: Standard, facts: HouseholdFacts, poverty_class: PovertyClass, on: date
) -> LowIncomeFinding:
    """The low-income workers of a household classified `poverty_class` under `standard` on `on`."""
    rule = standard.low_income_worker
    if rule is None or on < rule.valid_from:
        return LowIncomeFinding(household=False, line=None)
    line = rule.lines[AreaType(facts.area_type)]
    if poverty_class in EXCLUDED_CLASSES or facts.income_per_capita > line:
        return LowIncomeFinding(household=False, line=line)
    workers: list[int] = []
    undecided: list[int] = []
    for index, member in enumerate(facts.members):
        if member.working_age is False or member.able_to_work is False:
            continue
        if member.working_age and member.able_to_work:
            workers.append(index)
        else:
            undecided.append(index)
    return LowIncomeFinding(household=True, line=line, workers=tuple(workers), undecided=tuple(undecided))
