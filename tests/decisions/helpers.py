"""Households with chosen survey results in a round, for the decision and report tests."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

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
    from giamngheo.demo.procedure import walk_to_decision
    from giamngheo.reviews.models import Assessment

    kwargs.setdefault("actor", None)
    walk = kwargs.pop("walk", True)
    from giamngheo.decisions.models import Decision

    ready = walk and kwargs.get("corrects") is None and Assessment.objects.filter(review=review).exists()
    if ready and not Decision.objects.filter(review=review, commune=commune).exists():
        # As far as the procedure goes: where it cannot (a commune outside the round, a day to come), the
        # decision's own refusal is what the test reads.
        with contextlib.suppress(ValidationError):
            walk_to_decision(review, commune, signed_on)
    return decision_record(
        review=review, commune=commune, number=number, signed_on=signed_on, signer="Nguyễn Văn A", **kwargs
    )


PDF = b"%PDF-1.4\n% minutes\n"


def minutes(content: bytes = PDF, name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def record(review: Review, results: dict[Any, str]) -> None:
    """Survey results recorded in the open round as an officer records them (re-recording replaces one)."""
    items = []
    for household, poverty_class in results.items():
        income, flags, farm = CLASS_INPUT[poverty_class]
        items.append(
            reviews.AssessmentInput(household, date(2026, 10, 5), income, entered=flags, is_agri=farm)
        )
    reviews.assessments_bulk_record(items, review=review, actor=None)
