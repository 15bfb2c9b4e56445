"""The decision tests' scenario: four households of legacy TT Kông Chro through the 2022 and 2023 reviews."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from giamngheo.areas.models import Village
from giamngheo.registry import services as registry
from giamngheo.registry.bulk import HouseholdRow
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


@pytest.fixture
def commune_2026(personas: Any) -> Any:
    """(personas, new commune, two villages, households by name, the 2025 round, the 2026 round)."""
    units = personas.units
    commune = units["new_commune"]
    to_mo = personas.kongchro_village
    hra = Village.objects.create(commune=commune, local_code="02", name="Làng Hra")
    rows = [
        HouseholdRow(code=code, commune=commune, area_type="nong_thon", registered_on=date(2025, 8, 1),
                     village=village)
        for code, village in (("P-1", to_mo), ("P-2", to_mo), ("P-3", hra), ("P-4", hra), ("P-5", None),
                              ("P-6", hra))
    ]  # fmt: skip
    made = registry.households_bulk_register(rows, actor=None)
    h = {household.code: household for household in made}
    first = open_review(commune, year=2025, reference_date=date(2025, 12, 14))
    survey(first, {h["P-1"]: "ngheo", h["P-2"]: "can_ngheo", h["P-3"]: "ngheo", h["P-6"]: "ngheo"},
           on=date(2025, 10, 1))  # fmt: skip
    decide(first, commune, date(2025, 12, 20))
    registry.household_close(household=h["P-6"], on=date(2026, 3, 1), reason="moved_away", actor=None)
    second = open_review(commune, year=2026, reference_date=date(2026, 12, 14))
    return personas, commune, (to_mo, hra), h, first, second
