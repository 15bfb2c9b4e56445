"""Helpers for review tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from giamngheo.areas.models import AdminUnit
from giamngheo.registry.models import Household
from giamngheo.reviews import services
from giamngheo.reviews.models import Assessment, Review
from tests.registry.factories import make_commune


def open_review(area: AdminUnit | None = None, *, year: int = 2023, **kwargs: object) -> Review:
    """A periodic review of `year` (reference date 1 December) for an area (a new commune by default)."""
    values: dict[str, object] = {"reference_date": date(year, 12, 1), **kwargs}
    return services.review_open(area=area or make_commune(), year=year, **values)  # type: ignore[arg-type]


def import_past(
    review: Review, household: Household, assessed_on: date, income_per_capita: int, **values: Any
) -> Assessment:
    """Import a household's record of a past round (closed on the tests' calendar), as migrating the records of
    earlier years does: `assessments_bulk_record(historical=True)`, which never replaces one."""
    item = services.AssessmentInput(household, assessed_on, income_per_capita, **values)
    services.assessments_bulk_record([item], review=review, actor=None, historical=True)
    return Assessment.objects.get(review=review, household=household, superseded=False)
