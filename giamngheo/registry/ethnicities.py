"""The ethnicity master: the 54 ethnic groups with their codes in code lists A and B.

Rule (domain.md §9): two numeric code lists are in use (list A, the administrative-software order; list B, the GSO
census order) and they disagree — Ba Na is 13 in list A and 12 in list B — so a code is stored only together with
its list (`Ethnicity.code_list`), one row per (list, code). The data file `registry/data/ethnicities.toml` says
which codes are verified; groups without a list-B code there get no list-B row.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from giamngheo.registry.models import CodeList, Ethnicity

DATA_FILE = Path(__file__).resolve().parent / "data" / "ethnicities.toml"

# The list the registry uses when it has to pick one (the list administrative software uses).
DEFAULT_CODE_LIST = CodeList.A


class EthnicityDataError(ValueError):
    """The ethnicity data file is invalid; the message names the entry and the problem."""


@dataclass(frozen=True)
class EthnicGroup:
    name: str
    code_a: str
    code_b: str | None
    name_b: str | None
    alt_names: tuple[str, ...]
    is_minority: bool
    is_local_indigenous: bool

    def code(self, code_list: str) -> str | None:
        return self.code_a if code_list == CodeList.A else self.code_b

    def name_in(self, code_list: str) -> str:
        return self.name_b if code_list == CodeList.B and self.name_b else self.name


@cache
def ethnic_groups(path: Path = DATA_FILE) -> tuple[EthnicGroup, ...]:
    """The groups in the data file, validated: codes are two digits and unique within each list."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    groups: list[EthnicGroup] = []
    seen: dict[str, set[str]] = {CodeList.A: set(), CodeList.B: set()}
    for number, entry in enumerate(raw.get("ethnicity", []), start=1):
        name = entry.get("name")
        if not name:
            raise EthnicityDataError(
                _("%(file)s, mục %(number)s: thiếu tên dân tộc") % {"file": path.name, "number": number}
            )
        group = EthnicGroup(
            name=name,
            code_a=str(entry.get("code_a", "")),
            code_b=str(entry["code_b"]) if "code_b" in entry else None,
            name_b=entry.get("name_b"),
            alt_names=tuple(entry.get("alt_names", ())),
            is_minority=bool(entry.get("is_minority", True)),
            is_local_indigenous=bool(entry.get("is_local_indigenous", False)),
        )
        for code_list in (CodeList.A, CodeList.B):
            code = group.code(code_list)
            if code is None:
                continue
            if len(code) != 2 or not code.isdigit():
                raise EthnicityDataError(
                    _("%(file)s, %(name)s: mã danh mục %(list)s %(code)s phải gồm 2 chữ số")
                    % {"file": path.name, "name": name, "list": code_list, "code": repr(code)}
                )
            if code in seen[code_list]:
                raise EthnicityDataError(
                    _("%(file)s, %(name)s: mã %(code)s bị trùng trong danh mục %(list)s")
                    % {"file": path.name, "name": name, "code": code, "list": code_list}
                )
            seen[code_list].add(code)
        groups.append(group)
    return tuple(groups)


def group_by_code(code: str, code_list: str = DEFAULT_CODE_LIST) -> EthnicGroup:
    for group in ethnic_groups():
        if group.code(code_list) == code:
            return group
    raise EthnicityDataError(
        _("không có dân tộc mã %(code)s trong danh mục %(list)s") % {"code": code, "list": code_list}
    )


@transaction.atomic
def ethnicities_sync() -> int:
    """Create or update one `Ethnicity` row per (code list, code) of the data file. Idempotent; returns the number
    of rows created or changed. Rows not in the file are left alone (they may be referenced by people)."""
    existing = {(e.code_list, e.code): e for e in Ethnicity.objects.all()}
    to_create: list[Ethnicity] = []
    to_update: list[Ethnicity] = []
    fields = ("name", "alt_names", "is_minority", "is_local_indigenous")
    for group in ethnic_groups():
        for code_list in (CodeList.A, CodeList.B):
            code = group.code(code_list)
            if code is None:
                continue
            spellings = {name for name in (group.name, group.name_b) if name}
            alt_names = sorted({*group.alt_names, *spellings} - {group.name_in(code_list)})
            values = {
                "name": group.name_in(code_list),
                "alt_names": alt_names,
                "is_minority": group.is_minority,
                "is_local_indigenous": group.is_local_indigenous,
            }
            row = existing.get((code_list, code))
            if row is None:
                to_create.append(Ethnicity(code_list=code_list, code=code, **values))
            elif any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                to_update.append(row)
    Ethnicity.objects.bulk_create(to_create)
    if to_update:
        Ethnicity.objects.bulk_update(to_update, fields)
    return len(to_create) + len(to_update)


def ethnicity_ids(code: str) -> QuerySet[Ethnicity, Any]:
    """Ethnicity rows of the group with `code` in the default list: its row there and in the other list."""
    condition = Q(code_list=DEFAULT_CODE_LIST, code=code)
    for group in ethnic_groups():
        if group.code(DEFAULT_CODE_LIST) == code and group.code(CodeList.B):
            condition |= Q(code_list=CodeList.B, code=group.code(CodeList.B))
    return Ethnicity.objects.filter(condition).values("pk")


def ethnicity_choices() -> list[tuple[str, str]]:
    """(code, name) of every ethnic group in the default code list, in code order (Kinh first)."""
    groups = [(g.code(DEFAULT_CODE_LIST) or "", g.name) for g in ethnic_groups()]
    return sorted((code, name) for code, name in groups if code)
