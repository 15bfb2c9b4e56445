"""Commendations through the API (`commendations.services`, `commendations.selectors`): the movements, an area's
commendations of a year (rolled up from the units within it) with their counts, and recording, correcting and
withdrawing one. An area or a commendation outside the caller's area is the same 404 as an unknown one; province
staff and commune officers write (403 for a viewer). Correcting or withdrawing a row that has been replaced
meanwhile answers 409."""

from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from giamngheo.accounts.access import household_for_read, person_for_read, unit_for_stats, unit_not_found
from giamngheo.api.auth import current_user
from giamngheo.api.errors import Error
from giamngheo.api.schemas.common import Day, Id, Input, Text
from giamngheo.areas.models import AdminUnit
from giamngheo.commendations.models import Commendation, Movement, RecipientType
from giamngheo.commendations.selectors import commendation_for, commendations_summary
from giamngheo.commendations.services import (
    CommendationInput,
    StaleCommendationError,
    commendation_correct,
    commendation_record,
    commendation_withdraw,
)

router = Router(tags=["Thi đua, khen thưởng"])
READ = {401: Error, 404: Error, 422: Error}
WRITE = {400: Error, 401: Error, 403: Error, 404: Error, 409: dict[str, Any], 422: Error}


class MovementOut(Schema):
    code: str
    name: str
    start_year: int
    end_year: int | None
    basis: str


class YearQuery(Schema):
    area_id: Id = Field(description="Id của đơn vị hành chính; gồm cả khen thưởng của các đơn vị trực thuộc")
    year: Annotated[int, Field(ge=2000, le=2100)]


class CommendationOut(Schema):
    id: int
    movement_code: str | None
    year: int
    decision_number: str
    decision_date: date
    authority: str
    award: str
    recipient_type: str
    recipient_name: str
    household_id: int | None
    person_id: int | None
    area_id: int
    area_code: str
    achievement: str
    corrects_id: int | None
    withdrawn: bool
    reason: str
    recorded_by_name: str
    recorded_at: datetime


class CountOut(Schema):
    key: str
    label: str
    count: int
    ids: list[int]


class CommendationsSummaryOut(Schema):
    area_id: int
    year: int
    total: int
    by_recipient_type: list[CountOut]
    by_movement: list[CountOut]
    rows: list[CommendationOut]


class CommendationIn(Input):
    area_id: Id
    year: Annotated[int, Field(ge=2000, le=2100)]
    movement_code: Annotated[str, Field(max_length=60)] | None = None
    decision_number: Annotated[Text, Field(max_length=60)]
    decision_date: Day
    authority: Annotated[Text, Field(max_length=150)]
    award: Annotated[Text, Field(max_length=100)] = ""
    recipient_type: RecipientType
    recipient_name: Annotated[Text, Field(max_length=200)] = ""
    household_id: Id | None = None
    person_id: Id | None = None
    achievement: Annotated[Text, Field(max_length=4000)]


class CorrectionIn(CommendationIn):
    reason: Annotated[Text, Field(max_length=2000)]


class WithdrawalIn(Input):
    reason: Annotated[Text, Field(max_length=2000)]


def _area(request: HttpRequest, area_id: int) -> AdminUnit:
    unit = AdminUnit.objects.filter(pk=area_id).first()
    if unit is None:
        raise unit_not_found()
    return unit_for_stats(current_user(request), unit)


def commendation_json(row: Commendation) -> dict[str, Any]:
    return {
        "id": row.pk, "movement_code": row.movement.code if row.movement else None, "year": row.year,
        "decision_number": row.decision_number, "decision_date": row.decision_date, "authority": row.authority,
        "award": row.award, "recipient_type": row.recipient_type, "recipient_name": row.recipient_name,
        "household_id": row.household_id, "person_id": row.person_id, "area_id": row.area_id,
        "area_code": row.area.code, "achievement": row.achievement, "corrects_id": row.corrects_id,
        "withdrawn": row.withdrawn, "reason": row.reason, "recorded_by_name": row.recorded_by_name,
        "recorded_at": row.recorded_at,
    }  # fmt: skip


def _input(request: HttpRequest, payload: CommendationIn) -> CommendationInput:
    user = current_user(request)
    movement = None
    if payload.movement_code is not None:
        movement = Movement.objects.filter(code=payload.movement_code).first()
        if movement is None:
            raise ValidationError(
                {"movement_code": [_("Không có phong trào «%(code)s».") % {"code": payload.movement_code}]}
            )
    household = household_for_read(user, payload.household_id) if payload.household_id is not None else None
    person = person_for_read(user, payload.person_id) if payload.person_id is not None else None
    return CommendationInput(
        area=_area(request, payload.area_id), year=payload.year, decision_number=payload.decision_number,
        decision_date=payload.decision_date, authority=payload.authority, recipient_type=payload.recipient_type,
        recipient_name=payload.recipient_name, achievement=payload.achievement, movement=movement,
        award=payload.award, household=household, person=person,
    )  # fmt: skip


def _stale(error: StaleCommendationError) -> Any:
    return Status(
        409, {"message": error.messages[0], "code": "stale_copy", "replaced_by_id": error.replaced_by.pk}
    )


@router.get(
    "/commendations/movements", response={200: list[MovementOut], 401: Error}, summary="Phong trào thi đua"
)
def movement_list(request: HttpRequest) -> Any:
    return list(
        Movement.objects.filter(active=True).values("code", "name", "start_year", "end_year", "basis")
    )


@router.get(
    "/commendations",
    response={200: CommendationsSummaryOut, **READ},
    summary="Khen thưởng của địa bàn trong năm (gồm các đơn vị trực thuộc), đếm theo đối tượng và phong trào",
)
def commendation_list(request: HttpRequest, query: Query[YearQuery]) -> Any:
    summary = commendations_summary(_area(request, query.area_id), query.year)

    def counts(items: Any) -> list[dict[str, Any]]:
        return [
            {"key": item.key, "label": item.label, "count": item.count, "ids": [row.pk for row in item.rows]}
            for item in items
        ]

    return {
        "area_id": summary.area.pk, "year": summary.year, "total": summary.total,
        "by_recipient_type": counts(summary.by_recipient_type), "by_movement": counts(summary.by_movement),
        "rows": [commendation_json(row) for row in summary.rows],
    }  # fmt: skip


@router.post("/commendations", response={201: CommendationOut, **WRITE}, summary="Ghi một khen thưởng")
def commendation_create(request: HttpRequest, payload: CommendationIn) -> Any:
    row = commendation_record(data=_input(request, payload), actor=current_user(request))
    return Status(201, commendation_json(row))


@router.post(
    "/commendations/{commendation_id}/correct",
    response={201: CommendationOut, **WRITE},
    summary="Đính chính một khen thưởng đang có hiệu lực (bản ghi mới thay bản cũ), nêu lý do",
)
def commendation_correction(request: HttpRequest, commendation_id: int, payload: CorrectionIn) -> Any:
    user = current_user(request)
    row = commendation_for(user, commendation_id)
    try:
        changed = commendation_correct(
            commendation=row, data=_input(request, payload), reason=payload.reason, actor=user
        )
    except StaleCommendationError as error:
        return _stale(error)
    return Status(201, commendation_json(changed))


@router.post(
    "/commendations/{commendation_id}/withdraw",
    response={201: CommendationOut, **WRITE},
    summary="Thu hồi một khen thưởng đang có hiệu lực, nêu lý do",
)
def commendation_withdrawal(request: HttpRequest, commendation_id: int, payload: WithdrawalIn) -> Any:
    user = current_user(request)
    row = commendation_for(user, commendation_id)
    try:
        changed = commendation_withdraw(commendation=row, reason=payload.reason, actor=user)
    except StaleCommendationError as error:
        return _stale(error)
    return Status(201, commendation_json(changed))
