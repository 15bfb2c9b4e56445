"""Small factories for registry and review tests; other test folders may import them.

Everything is created through the services (so history rows exist) except administrative units, villages,
ethnicities and users, which other apps own.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from giamngheo.areas.models import AdminUnit, UnitLevel, Village
from giamngheo.registry import services
from giamngheo.registry.models import Ethnicity, Household, Person

_counter = itertools.count(1)


def _next() -> int:
    return next(_counter)


def make_user(username: str = "", *, full_name: str = "") -> Any:
    first, _, last = full_name.rpartition(" ")
    return get_user_model().objects.create_user(
        username=username or f"user{_next()}",
        password="x",
        first_name=first,
        last_name=last,
    )


def make_unit(
    code: str = "",
    *,
    level: str = UnitLevel.COMMUNE,
    name: str = "",
    parent: AdminUnit | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    unit_type: str = "",
) -> AdminUnit:
    code = code or f"{90000 + _next():05d}"
    return AdminUnit.objects.create(
        code=code,
        level=level,
        name=name or f"Xã {code}",
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        unit_type=unit_type,
    )


def make_commune(code: str = "", **kwargs: Any) -> AdminUnit:
    return make_unit(code, level=UnitLevel.COMMUNE, **kwargs)


def make_village(commune: AdminUnit, *, name: str = "", local_code: str = "") -> Village:
    number = _next()
    return Village.objects.create(
        commune=commune, local_code=local_code or f"T{number}", name=name or f"Thôn {number}"
    )


def make_ethnicity(name: str = "Ba Na", *, code: str = "13", code_list: str = "A") -> Ethnicity:
    ethnicity, _ = Ethnicity.objects.get_or_create(
        code_list=code_list, code=code, defaults={"name": name, "is_minority": name != "Kinh"}
    )
    return ethnicity


def make_household(
    *,
    commune: AdminUnit | None = None,
    code: str = "",
    registered_on: date = date(2020, 1, 1),
    area_type: str = "nong_thon",
    village: Village | None = None,
    actor: Any = None,
    members: Sequence[dict[str, Any]] = (),
    living_conditions: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Household:
    """A household with members (dicts of `member_add` arguments; the first defaults to head) and optionally
    one living-conditions record (a dict with `recorded_on` and fields)."""
    commune = commune or make_commune()
    household = services.household_register(
        code=code or f"H{_next():06d}",
        commune=commune,
        village=village,
        area_type=area_type,
        registered_on=registered_on,
        actor=actor,
        **kwargs,
    )
    for index, member in enumerate(members):
        values = {
            "full_name": f"Thành viên {index + 1}",
            "sex": "nam",
            "start_date": registered_on,
            "relationship": "head" if index == 0 else "child",
            **member,
        }
        services.member_add(household=household, actor=actor, **values)
    if living_conditions is not None:
        values = dict(living_conditions)
        recorded_on = values.pop("recorded_on", registered_on)
        services.living_conditions_record(household=household, recorded_on=recorded_on, actor=actor, **values)
    household.refresh_from_db()
    return household


def make_person(household: Household, **kwargs: Any) -> Person:
    values = {
        "full_name": f"Người {_next()}",
        "sex": "nu",
        "relationship": "child",
        "start_date": date(2020, 1, 1),
        **kwargs,
    }
    return services.member_add(household=household, actor=None, **values)


# A household that is deprived on the housing, water, latrine, internet and devices indicators by its facts.
POOR_CONDITIONS: dict[str, Any] = {
    "wall_material": "earth",
    "pillar_material": "weak_wood_bamboo",
    "roof_material": "leaf_straw",
    "floor_area_m2": "20.50",
    "water_source": "surface",
    "latrine_type": "pit",
    "uses_internet": False,
    "has_tv": False,
    "has_radio": False,
    "has_computer": False,
    "has_smartphone": False,
}
GOOD_CONDITIONS: dict[str, Any] = {
    "wall_material": "concrete",
    "pillar_material": "concrete",
    "roof_material": "tile_metal_sheet",
    "floor_area_m2": "80.00",
    "water_source": "piped",
    "latrine_type": "septic",
    "uses_internet": True,
    "has_tv": True,
    "has_radio": False,
    "has_computer": False,
    "has_smartphone": True,
}


REFORM = date(2025, 7, 1)
LEGACY_END = date(2025, 6, 30)


def make_reform_area() -> dict[str, AdminUnit]:
    """A hand-made slice of the 2025 reform: old province 64 > old district 630 > old communes 23824, 23845
    (until 30/06/2025), and from 01/07/2025 new province 52 > new commune 23824 that took both; plus an unrelated
    old district 631 with commune 23900 (same province)."""
    from giamngheo.areas.models import UnitSuccession

    old_province = make_unit(
        "64", level=UnitLevel.PROVINCE, name="Gia Lai", valid_to=LEGACY_END, unit_type="Tỉnh"
    )
    district = make_unit("630", level=UnitLevel.DISTRICT, name="Kông Chro", parent=old_province,
                         valid_to=LEGACY_END, unit_type="Huyện")  # fmt: skip
    town = make_commune("23824", name="Kông Chro", parent=district, valid_to=LEGACY_END, unit_type="Thị trấn")
    yang_trung = make_commune(
        "23845", name="Yang Trung", parent=district, valid_to=LEGACY_END, unit_type="Xã"
    )
    other_district = make_unit("631", level=UnitLevel.DISTRICT, name="Huyện khác", parent=old_province,
                               valid_to=LEGACY_END)  # fmt: skip
    other_commune = make_commune("23900", name="Xã khác", parent=other_district, valid_to=LEGACY_END)
    new_province = make_unit(
        "52", level=UnitLevel.PROVINCE, name="Gia Lai", valid_from=REFORM, unit_type="Tỉnh"
    )
    new_commune = make_commune(
        "23824", name="Kông Chro", parent=new_province, valid_from=REFORM, unit_type="Xã"
    )
    for old in (town, yang_trung):
        UnitSuccession.objects.create(predecessor=old, successor=new_commune, effective_on=REFORM)
    return {
        "old_province": old_province, "district": district, "town": town, "yang_trung": yang_trung,
        "other_district": other_district, "other_commune": other_commune, "new_province": new_province,
        "new_commune": new_commune,
    }  # fmt: skip
