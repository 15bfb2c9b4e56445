"""Personas for permission tests (house style: owner / peer / outsider / province / admin).

Two new communes of new province 52 — Kông Chro (23824, which took legacy communes 23824 and 23845) and SRó
(23839, which took legacy commune 23839) — and a commune of another province (new 99, commune 99001). Each commune
has one household (the Kông Chro one registered in its legacy commune before the reform).

- `owner`: commune officer of new Kông Chro; `peer`: commune officer of new SRó;
- `outsider`: commune officer in province 99; `province`: province staff of 52; `viewer`: read-only in Kông Chro;
- `admin`: administrator; `unbound`: a signed-in account with no role (sees nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import area_role_assign
from giamngheo.areas.models import AdminUnit, UnitLevel, UnitSuccession, Village
from giamngheo.areas.reform import rehome_villages
from giamngheo.registry.models import Household
from tests.registry.factories import (
    LEGACY_END,
    REFORM,
    make_household,
    make_reform_area,
    make_unit,
    make_user,
)

PASSWORD = "x"


@dataclass
class Personas:
    units: dict[str, AdminUnit]
    kongchro_household: Household  # in scope of owner, province, viewer, admin
    sro_household: Household  # in scope of peer, province, admin
    far_household: Household  # in scope of outsider, admin
    kongchro_village: Village
    owner: Any
    peer: Any
    outsider: Any
    province: Any
    viewer: Any
    admin: Any
    unbound: Any

    def users(self) -> dict[str, Any]:
        return {
            "owner": self.owner, "peer": self.peer, "outsider": self.outsider, "province": self.province,
            "viewer": self.viewer, "admin": self.admin, "unbound": self.unbound,
        }  # fmt: skip


def make_personas() -> Personas:
    units = make_reform_area()
    old_sro = make_unit("23839", name="SRó", parent=units["district"], valid_to=LEGACY_END, unit_type="Xã")
    new_sro = make_unit("23839", name="SRó", parent=units["new_province"], valid_from=REFORM, unit_type="Xã")
    UnitSuccession.objects.create(predecessor=old_sro, successor=new_sro, effective_on=REFORM)
    far_province = make_unit("99", level=UnitLevel.PROVINCE, name="Tỉnh xa", valid_from=REFORM)
    far_commune = make_unit("99001", name="Xã xa", parent=far_province, valid_from=REFORM)
    units.update(old_sro=old_sro, new_sro=new_sro, far_province=far_province, far_commune=far_commune)

    village = Village.objects.create(commune=units["town"], local_code="01", name="Làng Tơ Mơ")
    rehome_villages(
        Village, UnitSuccession, AdminUnit
    )  # since 01/07/2025 the village belongs to new Kông Chro
    village.refresh_from_db()
    kongchro = make_household(
        commune=units["town"], village=village, code="H-KONGCHRO",
        members=[{"full_name": "Đinh Văn Súy", "citizen_id": "064080001234", "birth_date": date(1980, 3, 1)}],
    )  # fmt: skip
    sro = make_household(
        commune=old_sro, code="H-SRO",
        members=[{"full_name": "Rơ Mah Hờ", "citizen_id": "064080005678", "birth_date": date(1985, 6, 1)}],
    )  # fmt: skip
    far = make_household(
        commune=far_commune, code="H-FAR", registered_on=date(2025, 8, 1),
        members=[{"full_name": "Nguyễn Văn Xa", "birth_date": date(1990, 1, 1), "start_date": date(2025, 8, 1)}],
    )  # fmt: skip

    def user(username: str, role: str | None, area: AdminUnit | None) -> Any:
        account = make_user(username)
        account.set_password(PASSWORD)
        account.save()
        if role is not None:
            area_role_assign(user=account, role=role, area=area)
        return account

    admin = user("quantri", None, None)
    admin.is_superuser = admin.is_staff = True
    admin.save()
    return Personas(
        units=units,
        kongchro_household=kongchro,
        sro_household=sro,
        far_household=far,
        kongchro_village=village,
        owner=user("xa.kongchro", Role.COMMUNE, units["new_commune"]),
        peer=user("xa.sro", Role.COMMUNE, new_sro),
        outsider=user("xa.xa", Role.COMMUNE, far_commune),
        province=user("gialai", Role.PROVINCE, units["new_province"]),
        viewer=user("xem.kongchro", Role.VIEWER, units["new_commune"]),
        admin=admin,
        unbound=user("khongvaitro", None, None),
    )
