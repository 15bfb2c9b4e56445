"""The credit tests' scenario: five households of legacy TT Kông Chro (commune 23824, district 630) on the lists
decided in the 2022 and 2023 periodic reviews.

| household | 2023 list (from 01/01/2023) | 2024 list (from 01/01/2024) |
|---|---|---|
| h1 | poor | poor |
| h2 | poor | near-poor |
| h3 | near-poor | poor |
| h4 | not listed | poor |
| h5 | poor | not listed (escaped on 01/01/2024) |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from giamngheo.credit.models import Programme
from giamngheo.registry.models import Household
from tests.decisions.helpers import decide, register, survey
from tests.reviews.helpers import open_review


@dataclass
class Town:
    personas: Any
    h: dict[str, Household]

    def programme(self, code: str) -> Programme:
        return Programme.objects.get(code=code)


@pytest.fixture
def town(personas: Any) -> Town:
    units = personas.units
    h1, h2, h3, h4, h5 = register(units["town"], 5)
    first = open_review(units["district"], year=2022, reference_date=date(2022, 12, 14))
    survey(first, {h1: "ngheo", h2: "ngheo", h3: "can_ngheo", h4: "khong_ngheo", h5: "ngheo"})
    decide(first, units["town"], date(2022, 12, 20))
    second = open_review(units["district"], year=2023, reference_date=date(2023, 12, 14))
    survey(second, {h1: "ngheo", h2: "can_ngheo", h3: "ngheo", h4: "ngheo", h5: "khong_ngheo"})
    decide(second, units["town"], date(2023, 12, 20), number="02/QĐ-UBND")
    return Town(personas, {"h1": h1, "h2": h2, "h3": h3, "h4": h4, "h5": h5})
