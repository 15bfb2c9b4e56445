"""The demo district read through the current (post-2025) hierarchy.

Rule (domain.md §7.3): on 1 July 2025 the 14 communes of the former Kông Chro district (630, province 64) became six
communes of the new Gia Lai province (52). Reports for 2022–2025 data may be asked for either way: by the old
district, or by the new communes, each of which covers its predecessor communes (`areas.selectors.
commune_ids_within`). This check proves both give the same households.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from giamngheo.areas.models import REFORM_DATE, AdminUnit, UnitLevel
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.demo import targets
from giamngheo.lib.formatting import group_thousands
from giamngheo.registry.models import Household
from giamngheo.reviews.stats import YearFigures, year_figures


class RollupError(AssertionError):
    """The new communes do not add up to the old district."""


@dataclass(frozen=True)
class Rollup:
    year: int
    communes: tuple[tuple[AdminUnit, YearFigures], ...]
    district: YearFigures

    @property
    def total_households(self) -> int:
        return sum(figures.total_households for _, figures in self.communes)

    @property
    def poor_households(self) -> int:
        return sum(figures.poor_households for _, figures in self.communes)

    def describe(self) -> str:
        parts = [
            f"{unit.name} {group_thousands(f.total_households)} hộ, {group_thousands(f.poor_households)} nghèo"
            for unit, f in self.communes
        ]
        return (
            f"{group_thousands(self.total_households)} hộ, {group_thousands(self.poor_households)} hộ nghèo "
            f"({'; '.join(parts)})"
        )


def new_communes(on: date = REFORM_DATE) -> list[AdminUnit]:
    """The six communes that took the district's territory, as valid on `on` (after the reform)."""
    units = list(
        AdminUnit.objects.valid_on(on)
        .filter(level=UnitLevel.COMMUNE, code__in=targets.NEW_COMMUNES)
        .order_by("code")
    )
    if len(units) != len(targets.NEW_COMMUNES):
        found = ", ".join(u.code for u in units)
        raise RollupError(f"Không tìm thấy đủ 6 xã mới ngày {on:%d/%m/%Y} (có: {found or 'không có'}).")
    return units


def check_rollup(*, year: int, on: date = REFORM_DATE) -> Rollup:
    """The six new communes' figures for `year`; raises RollupError when they do not add up to the district's or
    when new Xã Kông Chro does not cover the households of its three predecessor communes."""
    old_day = date(year, 12, 31)
    district = AdminUnit.objects.valid_on(old_day).get(level=UnitLevel.DISTRICT, code=targets.DISTRICT_CODE)
    district_figures = year_figures(year, commune_ids_within(district))
    communes = new_communes(on)
    pairs = tuple((unit, year_figures(year, commune_ids_within(unit))) for unit in communes)
    rollup = Rollup(year=year, communes=pairs, district=district_figures)
    if (rollup.total_households, rollup.poor_households) != (
        district_figures.total_households,
        district_figures.poor_households,
    ):
        raise RollupError(
            f"6 xã mới có {rollup.total_households} hộ, {rollup.poor_households} hộ nghèo; huyện cũ có "
            f"{district_figures.total_households} hộ, {district_figures.poor_households} hộ nghèo."
        )
    new_code, old_codes = targets.REFORM_CHECK
    new_unit = next(unit for unit in communes if unit.code == new_code)
    covered = commune_ids_within(new_unit)
    old_units = AdminUnit.objects.valid_on(old_day).filter(level=UnitLevel.COMMUNE, code__in=old_codes)
    missing = [unit.code for unit in old_units if unit.pk not in covered]
    if len(old_units) != len(old_codes) or missing:
        raise RollupError(f"Xã mới {new_code} không bao gồm các xã cũ {', '.join(missing or old_codes)}.")
    households = Household.objects.filter(commune__in=old_units)
    if households.exclude(commune_id__in=covered).exists() or not households.exists():
        raise RollupError(f"Hộ của các xã cũ {', '.join(old_codes)} không thuộc xã mới {new_code}.")
    return rollup
