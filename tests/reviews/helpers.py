"""Helpers for review tests."""

from __future__ import annotations

from datetime import date

from giamngheo.areas.models import AdminUnit
from giamngheo.reviews import services
from giamngheo.reviews.models import Review
from tests.registry.factories import make_commune


def open_review(area: AdminUnit | None = None, *, year: int = 2023, **kwargs: object) -> Review:
    """A periodic review of `year` (reference date 1 December) for an area (a new commune by default)."""
    values: dict[str, object] = {"reference_date": date(year, 12, 1), **kwargs}
    return services.review_open(area=area or make_commune(), year=year, **values)  # type: ignore[arg-type]
