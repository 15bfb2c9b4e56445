"""Assessments (survey results): a household's assessments, one with its indicators and explanation, recording
one through `reviews.services.assessment_record`, and the review rounds an assessment can be recorded in.

The class is never sent by the caller: the service computes it with the engine from the household's recorded
facts and the entered flags, under the review's standard, and stores the explanation with it.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from giamngheo.accounts.access import (
    assessment_for_read,
    household_for_assess,
    household_for_read,
    reviews_for,
)
from giamngheo.api.auth import current_user
from giamngheo.api.households import READ_ERRORS, WRITE_ERRORS, HouseholdId
from giamngheo.api.pagination import Page
from giamngheo.api.preconditions import seen_for_write, tag
from giamngheo.api.schemas import (
    MAX_ID,
    AssessmentCreate,
    AssessmentDetail,
    AssessmentItem,
    CorrectionCreate,
    ReviewFilters,
    ReviewOut,
)
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.registry.concurrency import Seen
from giamngheo.registry.models import Household
from giamngheo.reviews.models import Assessment, Review
from giamngheo.reviews.selectors import assessments_of
from giamngheo.reviews.services import assessment_correct, assessment_record

router = Router(tags=["Rà soát"])

AssessmentId = Path(..., ge=1, le=MAX_ID, description="id của phiếu rà soát")


@router.get(
    "/households/{household_id}/assessments",
    response={200: list[AssessmentItem], **READ_ERRORS},
    summary="Các lần rà soát của một hộ, mới nhất trước",
)
@paginate(Page)
def assessment_list(request: HttpRequest, response: HttpResponse, household_id: int = HouseholdId) -> Any:
    household = household_for_read(current_user(request), household_id)
    tag(response, household)
    return assessments_of(household)


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentDetail, **READ_ERRORS},
    summary="Một phiếu rà soát: phân loại, các chỉ số và lời giải thích",
)
def assessment_get(request: HttpRequest, assessment_id: int = AssessmentId) -> Any:
    return assessment_for_read(current_user(request), assessment_id)


@router.post(
    "/households/{household_id}/assessments",
    response={200: AssessmentDetail, 201: AssessmentDetail, **WRITE_ERRORS},
    summary="Ghi phiếu rà soát của hộ trong một đợt đang mở (ghi lại nếu đã có: 200); đợt đã chốt: 409; cần If-Match",
)
def assessment_create(
    request: HttpRequest, response: HttpResponse, payload: AssessmentCreate, household_id: int = HouseholdId
) -> Any:
    user = current_user(request)
    household = household_for_assess(user, household_id)
    seen = seen_for_write(request, payload)
    review = reviews_for(user).filter(pk=payload.review_id).first()
    if review is None:
        message = _("Không có đợt rà soát có id %(id)s trong địa bàn của bạn.") % {"id": payload.review_id}
        raise ValidationError({"review_id": [message]})
    existed = assessments_of(household).filter(review=review).exists()
    assessment = _record(user, household, review, payload, seen)
    tag(response, household)
    return Status(200 if existed else 201, assessment_for_read(user, assessment.pk))


def _record(
    user: Any, household: Household, review: Review, payload: AssessmentCreate, seen: Seen
) -> Assessment:
    return assessment_record(
        review=review,
        household=household,
        seen=seen,
        assessed_on=payload.assessed_on,
        income_per_capita=payload.income_per_capita,
        entered=payload.entered,
        income_method=payload.income_method,
        b1_score=payload.b1_score,
        causes=[int(cause) for cause in payload.causes],
        reviewer_name=payload.reviewer_name,
        actor=user,
    )


@router.post(
    "/assessments/{assessment_id}/corrections",
    response={201: AssessmentDetail, **WRITE_ERRORS},
    summary="Đính chính phiếu của đợt đã chốt: một phiếu mới ghi rõ lý do, phiếu cũ giữ nguyên; cần If-Match",
)
def assessment_correction(
    request: HttpRequest, response: HttpResponse, payload: CorrectionCreate, assessment_id: int = AssessmentId
) -> Any:
    user = current_user(request)
    assessment = assessment_for_read(user, assessment_id)
    household = household_for_assess(user, assessment.household_id)
    seen = seen_for_write(request, payload)
    corrected = assessment_correct(
        assessment=assessment,
        actor=user,
        reason=payload.reason,
        seen=seen,
        income_per_capita=payload.income_per_capita,
        entered=payload.entered,
        income_method=payload.income_method,
        b1_score=payload.b1_score,
        causes=[int(cause) for cause in payload.causes] if payload.causes is not None else None,
    )
    tag(response, household)
    return Status(201, assessment_for_read(user, corrected.pk))


@router.get(
    "/reviews",
    response={200: list[ReviewOut], **READ_ERRORS},
    summary="Các đợt rà soát trong địa bàn của bạn (để chọn review_id khi ghi phiếu)",
)
@paginate(Page)
def review_list(request: HttpRequest, filters: Query[ReviewFilters]) -> Any:
    reviews = reviews_for(current_user(request)).select_related("area")
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
