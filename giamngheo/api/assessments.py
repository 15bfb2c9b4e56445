"""Assessments (survey results): a household's assessments, one with its indicators and explanation, recording
one through `reviews.services.assessment_record`, and the review rounds an assessment can be recorded in.

The class is never sent by the caller: the service computes it with the engine from the household's recorded
facts and the entered flags, under the review's standard, and stores the explanation with it.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from giamngheo.accounts.access import assessment_for_read, household_for_assess, household_for_read
from giamngheo.api.auth import current_user
from giamngheo.api.households import READ_ERRORS, WRITE_ERRORS, HouseholdId
from giamngheo.api.pagination import Page
from giamngheo.api.schemas import (
    MAX_ID,
    AssessmentCreate,
    AssessmentDetail,
    AssessmentItem,
    ReviewFilters,
    ReviewOut,
)
from giamngheo.api.schemas.common import stamp
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.registry import concurrency as guard
from giamngheo.registry.models import EventKind, Household
from giamngheo.reviews.models import Assessment, Review
from giamngheo.reviews.services import assessment_record

router = Router(tags=["Rà soát"])

AssessmentId = Path(..., ge=1, le=MAX_ID, description="id của phiếu rà soát")


def _assessments() -> QuerySet[Assessment]:
    return Assessment.objects.select_related("review")


@router.get(
    "/households/{household_id}/assessments",
    response={200: list[AssessmentItem], **READ_ERRORS},
    summary="Các lần rà soát của một hộ, mới nhất trước",
)
@paginate(Page)
def assessment_list(request: HttpRequest, household_id: int = HouseholdId) -> Any:
    household = household_for_read(current_user(request), household_id)
    return _assessments().filter(household=household).order_by("-assessed_on", "-id")


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentDetail, **READ_ERRORS},
    summary="Một phiếu rà soát: phân loại, các chỉ số và lời giải thích",
)
def assessment_get(request: HttpRequest, assessment_id: int = AssessmentId) -> Any:
    assessment = assessment_for_read(current_user(request), assessment_id)
    return _assessments().get(pk=assessment.pk)


@router.post(
    "/households/{household_id}/assessments",
    response={200: AssessmentDetail, 201: AssessmentDetail, **WRITE_ERRORS},
    summary="Ghi phiếu rà soát của hộ trong một đợt rà soát (ghi lại nếu đã có: 200)",
)
def assessment_create(
    request: HttpRequest, payload: AssessmentCreate, household_id: int = HouseholdId
) -> Any:
    user = current_user(request)
    household = household_for_assess(user, household_id)
    review = Review.objects.select_related("area").filter(pk=payload.review_id).first()
    if review is None:
        message = _("Không có đợt rà soát có id %(id)s.") % {"id": payload.review_id}
        raise ValidationError({"review_id": [message]})
    with transaction.atomic():
        fresh = guard.lock(household)
        guard.check(fresh, **stamp(payload), relevant=guard.of_kind(EventKind.ASSESSED))
        existed = Assessment.objects.filter(review=review, household=fresh).exists()
        assessment = _record(user, fresh, review, payload)
    return Status(200 if existed else 201, _assessments().get(pk=assessment.pk))


def _record(user: Any, household: Household, review: Review, payload: AssessmentCreate) -> Assessment:
    return assessment_record(
        review=review,
        household=household,
        assessed_on=payload.assessed_on,
        income_per_capita=payload.income_per_capita,
        entered=payload.entered,
        income_method=payload.income_method,
        b1_score=payload.b1_score,
        causes=[int(cause) for cause in payload.causes],
        reviewer_name=payload.reviewer_name,
        actor=user,
    )


@router.get(
    "/reviews",
    response={200: list[ReviewOut], **READ_ERRORS},
    summary="Các đợt rà soát (để chọn review_id khi ghi phiếu)",
)
@paginate(Page)
def review_list(request: HttpRequest, filters: Query[ReviewFilters]) -> Any:
    reviews = Review.objects.select_related("area")
    if filters.year is not None:
        reviews = reviews.filter(year=filters.year)
    if filters.kind is not None:
        reviews = reviews.filter(kind=filters.kind)
    if filters.household is not None:
        household = household_for_read(current_user(request), filters.household)
        # Review rounds are few; which of them cover the household's commune is decided by the same rule as
        # `assessment_record` uses.
        covering = [
            review.pk for review in reviews if household.commune_id in commune_ids_within(review.area)
        ]
        reviews = reviews.filter(pk__in=covering)
    return reviews.order_by("-year", "-reference_date", "id")
