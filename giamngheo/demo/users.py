"""The demo's published logins (demo only): an administrator, Gia Lai province staff and four commune officers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import area_role_assign
from giamngheo.areas.models import REFORM_DATE, UnitLevel
from giamngheo.areas.selectors import resolve_unit

DEMO_PASSWORD = "giamngheo-demo"  # noqa: S105 — the published password of the local demo's accounts


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    unit_code: str | None
    unit_level: str | None
    description: str


DEMO_USERS = (
    DemoUser("admin", "Quản trị hệ thống", Role.ADMIN, None, None, "quản trị hệ thống, mọi địa bàn"),
    DemoUser("gialai", "Cán bộ tỉnh Gia Lai", Role.PROVINCE, "52", UnitLevel.PROVINCE,
             "cán bộ tỉnh Gia Lai (52), xem và phê duyệt trong tỉnh"),
    DemoUser("xa.kongchro", "Cán bộ xã Kông Chro", Role.COMMUNE, "23824", UnitLevel.COMMUNE,
             "cán bộ xã Kông Chro (23824), sửa hộ trong xã"),
    DemoUser("xa.sro", "Cán bộ xã SRó", Role.COMMUNE, "23839", UnitLevel.COMMUNE,
             "cán bộ xã SRó (23839), sửa hộ trong xã"),
    DemoUser("xa.daksong", "Cán bộ xã Đăk Song", Role.COMMUNE, "23842", UnitLevel.COMMUNE,
             "cán bộ xã Đăk Song (23842), đợt rà soát cuối năm 2026 đã quyết định, chờ tỉnh phê duyệt"),
    DemoUser("xa.cholong", "Cán bộ xã Chơ Long", Role.COMMUNE, "23851", UnitLevel.COMMUNE,
             "cán bộ xã Chơ Long (23851), đợt rà soát cuối năm 2026 đang niêm yết"),
)  # fmt: skip


@transaction.atomic
def ensure_demo_users(
    *, on: date = REFORM_DATE, users: Sequence[DemoUser] = DEMO_USERS
) -> list[tuple[DemoUser, bool]]:
    """Create the demo accounts of `users` that are missing (existing ones keep their password); bind each to its
    area."""
    User = get_user_model()
    results = []
    for spec in users:
        user = User.objects.filter(username=spec.username).first()
        created = user is None
        if user is None:
            first, _, last = spec.full_name.rpartition(" ")
            user = User.objects.create_user(
                spec.username, password=DEMO_PASSWORD, first_name=first, last_name=last
            )
            if spec.role == Role.ADMIN:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
        area = (
            resolve_unit(spec.unit_code, on=on, level=spec.unit_level)
            if spec.unit_code is not None and spec.unit_level is not None
            else None
        )
        area_role_assign(user=user, role=spec.role, area=area)
        results.append((spec, created))
    return results
