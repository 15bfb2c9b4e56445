"""The support tests' scenario: four households of legacy TT Kông Chro with official statuses from the 2022 and
2023 decisions (tests/decisions/helpers.py), and members for one of them.

- `poor`: poor from 01/01/2023 (and still in 2024); head Siu Hlon since 2020, daughter Siu H'Bia from 01/06/2024;
- `near_poor`: near-poor from 01/01/2023;
- `escaped`: poor from 01/01/2023, off the lists from 01/01/2024 (escaped);
- `never`: never listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from giamngheo.registry import services as registry
from giamngheo.registry.models import Household, Person
from giamngheo.support.models import SupportKind
from tests.decisions.helpers import decide, register, survey
from tests.reviews.helpers import open_review


@dataclass
class Ledger:
    personas: Any
    poor: Household
    near_poor: Household
    escaped: Household
    never: Household
    head: Person
    daughter: Person

    def kind(self, code: str) -> SupportKind:
        return SupportKind.objects.get(code=code)


@pytest.fixture
def ledger(personas: Any) -> Ledger:
    units = personas.units
    town = units["town"]
    poor, near_poor, escaped, never = register(town, 4)
    first = open_review(units["district"], year=2022, reference_date=date(2022, 12, 14))
    survey(first, {poor: "ngheo", near_poor: "can_ngheo", escaped: "ngheo", never: "khong_ngheo"})
    decide(first, town, date(2022, 12, 20))
    second = open_review(units["district"], year=2023, reference_date=date(2023, 12, 14))
    survey(second, {poor: "ngheo", near_poor: "can_ngheo", escaped: "khong_ngheo", never: "khong_ngheo"})
    decide(second, town, date(2023, 12, 20), number="02/QĐ-UBND")
    head = registry.member_add(
        household=poor, full_name="Siu Hlon", sex="nam", relationship="head", start_date=date(2020, 1, 1),
        actor=None, birth_date=date(1975, 1, 1),
    )  # fmt: skip
    daughter = registry.member_add(
        household=poor, full_name="Siu H'Bia", sex="nu", relationship="child", start_date=date(2024, 6, 1),
        actor=None, birth_date=date(2024, 5, 20),
    )  # fmt: skip
    poor.refresh_from_db()
    return Ledger(personas, poor, near_poor, escaped, never, head, daughter)
