"""Households with chosen survey results in a round, for the decision and report tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from giamngheo.areas.models import AdminUnit
from giamngheo.registry import services as registry
from giamngheo.registry.bulk import HouseholdRow
from giamngheo.registry.models import Household
from giamngheo.reviews import services as reviews
from giamngheo.reviews.models import Review

POOR_FLAGS = {"viec_lam": True, "dinh_duong": True, "bao_hiem_y_te": True}
CLASS_INPUT = {  # (income per person, entered flags, farm household): the class the engine gives, without facts
    "ngheo": (1_000_000, POOR_FLAGS, False),
    "can_ngheo": (1_000_000, {}, False),
    "muc_song_trung_binh": (2_000_000, {}, True),
    "khong_ngheo": (5_000_000, {}, False),
}
_codes = iter(range(1, 1_000_000))


def register(commune: AdminUnit, count: int, *, registered_on: date = date(2020, 1, 1)) -> list[Household]:
    rows = [
        HouseholdRow(
            code=f"QD-{next(_codes)}", commune=commune, area_type="nong_thon", registered_on=registered_on
        )
        for _ in range(count)
    ]
    return registry.households_bulk_register(rows, actor=None)


def survey(
    review: Review,
    results: dict[Household, str],
    *,
    on: date | None = None,
    causes: dict[Household, list[int]] | None = None,
) -> None:
    """Record `results` (household → class, with `causes` of poverty for some) in `review` as a past round's records."""
    day = on or date(review.year, 10, 1)
    items = []
    for household, poverty_class in results.items():
        income, flags, farm = CLASS_INPUT[poverty_class]
        items.append(
            reviews.AssessmentInput(
                household, day, income, entered=flags, is_agri=farm, causes=(causes or {}).get(household, ())
            )
        )
    reviews.assessments_bulk_record(items, review=review, actor=None, historical=True)


def decide(
    review: Review, commune: AdminUnit, signed_on: date, *, number: str = "01/QĐ-UBND", **kwargs: Any
) -> Any:
    from giamngheo.decisions.services import decision_record

    kwargs.setdefault("actor", None)
    return decision_record(
        review=review, commune=commune, number=number, signed_on=signed_on, signer="Nguyễn Văn A", **kwargs
    )
