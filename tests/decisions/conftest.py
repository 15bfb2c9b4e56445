"""The decision tests' scenario: four households of legacy TT Kông Chro through the 2022 and 2023 reviews."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.decisions.helpers import decide, register, survey
from tests.reviews.helpers import open_review


@pytest.fixture
def town(personas: Any) -> Any:
    """Four households of legacy TT Kông Chro surveyed in the periodic reviews of 2022 and 2023: (households, the
    2022 round, the 2023 round, the 2022 decision). Each test decides 2023 (or not) itself."""
    units = personas.units
    h1, h2, h3, h4 = register(units["town"], 4)
    first = open_review(units["district"], year=2022, reference_date=date(2022, 12, 14))
    survey(first, {h1: "ngheo", h2: "ngheo", h3: "can_ngheo", h4: "khong_ngheo"})
    decided_2022 = decide(first, units["town"], date(2022, 12, 20))
    second = open_review(units["district"], year=2023, reference_date=date(2023, 12, 14))
    survey(second, {h1: "ngheo", h2: "can_ngheo", h3: "ngheo", h4: "ngheo"})
    return personas, (h1, h2, h3, h4), first, second, decided_2022
