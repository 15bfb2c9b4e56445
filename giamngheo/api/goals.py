"""Targets and actuals through the API (`goals.services`, `goals.selectors`): the indicators, an area's targets,
entered actuals and progress for a year (or a month). An area outside the caller's is the same 404 as an unknown
one; province staff and commune officers write (the services check the role: 403 for a viewer). A correction
names the row in force it replaces (`expected_latest_id`); a stale one answers 409 with the row in force."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from giamngheo.accounts.access import unit_for_stats, unit_not_found
from giamngheo.api.auth import current_user
from giamngheo.api.errors import Error
from giamngheo.api.schemas.common import Day, Id, Input, Text
from giamngheo.areas.models import AdminUnit
from giamngheo.goals.models import Indicator
from giamngheo.goals.selectors import (
    Actual,
    ProgressLine,
    TargetLine,
    entries_in_force,
    progress,
    targets_for,
)
from giamngheo.goals.services import StaleEntryError, actual_record, target_set

router = Router(tags=["Chỉ tiêu và kết quả thực hiện"])
READ = {401: Error, 404: Error, 422: Error}
WRITE = {400: Error, 401: Error, 403: Error, 404: Error, 409: dict[str, Any], 422: Error}
Value = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]


class GoalIndicatorOut(Schema):
    code: str
    name: str
    unit: str
    unit_label: str
    direction: str
    obtained: str
    description: str


class PeriodQuery(Schema):
    area_id: Id = Field(description="Id của đơn vị hành chính (/api/units)")
    year: Annotated[int, Field(ge=2000, le=2100, description="Năm")]
    month: Annotated[int | None, Field(None, ge=1, le=12, description="Tháng (bỏ trống: cả năm)")]


class TargetOut(Schema):
    id: int
    indicator_code: str
    indicator_name: str
    unit: str
    unit_label: str
    direction: str
    value: Decimal
    comparator: str
    wording: str
    year: int
    month: int | None
    source_decision: str
    document_number: str
    document_date: date | None
    document_title: str
    recorded_by_name: str
    recorded_at: datetime


class TargetIn(Input):
    indicator_code: Annotated[str, Field(max_length=60)]
    area_id: Id
    year: Annotated[int, Field(ge=2000, le=2100)]
    month: Annotated[int | None, Field(None, ge=1, le=12)]
    value: Value
    document_number: Annotated[Text, Field(max_length=60)] = ""
    document_date: Day | None = None
    document_title: Annotated[Text, Field(max_length=255)] = ""
    expected_latest_id: Id | None = Field(None, description="Chỉ tiêu đang có hiệu lực được đính chính")
    reason: Annotated[Text, Field(max_length=2000)] = ""


class ActualIn(Input):
    indicator_code: Annotated[str, Field(max_length=60)]
    area_id: Id
    year: Annotated[int, Field(ge=2000, le=2100)]
    month: Annotated[int | None, Field(None, ge=1, le=12)]
    value: Value
    as_of: Day
    source_note: Annotated[Text, Field(max_length=2000)]
    expected_latest_id: Id | None = Field(None, description="Số liệu đang có hiệu lực được đính chính")
    reason: Annotated[Text, Field(max_length=2000)] = ""


class EntryOut(Schema):
    id: int
    indicator_code: str
    year: int
    month: int | None
    value: Decimal
    as_of: date
    source_note: str
    corrects_id: int | None
    reason: str
    recorded_by_name: str
    recorded_at: datetime


class RatioOut(Schema):
    label: str
    numerator: int
    denominator: int
    rate: Decimal | None


class ActualOut(Schema):
    value: Decimal
    source: str
    source_label: str
    note: str
    ratios: list[RatioOut]
    as_of: date | None
    entry_id: int | None


class GoalProgressOut(Schema):
    indicator_code: str
    indicator_name: str
    unit: str
    direction: str
    target: TargetOut | None
    actual: ActualOut | None
    met: bool | None
    missing: str
    latest_entry_id: int | None


def _area(request: HttpRequest, area_id: int) -> AdminUnit:
    unit = AdminUnit.objects.filter(pk=area_id).first()
    if unit is None:
        raise unit_not_found()
    return unit_for_stats(current_user(request), unit)


def _indicator(code: str) -> Indicator:
    indicator = Indicator.objects.filter(code=code, active=True).first()
    if indicator is None:
        raise ValidationError({"indicator_code": [_("Không có chỉ tiêu «%(code)s».") % {"code": code}]})
    return indicator


def target_json(line: TargetLine) -> dict[str, Any]:
    return {
        "id": line.target_id, "indicator_code": line.indicator_code, "indicator_name": line.indicator_name,
        "unit": line.unit, "unit_label": line.unit_label, "direction": line.direction, "value": line.value,
        "comparator": line.comparator, "wording": line.wording, "year": line.year, "month": line.month,
        "source_decision": line.source_decision, "document_number": line.document_number,
        "document_date": line.document_date, "document_title": line.document_title,
        "recorded_by_name": line.recorded_by_name, "recorded_at": line.recorded_at,
    }  # fmt: skip


def _actual_json(actual: Actual) -> dict[str, Any]:
    return {
        "value": actual.value, "source": actual.source, "source_label": actual.source_label, "note": actual.note,
        "ratios": [vars(ratio) for ratio in actual.ratios], "as_of": actual.as_of, "entry_id": actual.entry_id,
    }  # fmt: skip


def progress_json(line: ProgressLine) -> dict[str, Any]:
    return {
        "indicator_code": line.indicator.code, "indicator_name": line.indicator.name,
        "unit": line.indicator.unit, "direction": line.indicator.direction,
        "target": target_json(line.target) if line.target is not None else None,
        "actual": _actual_json(line.actual) if line.actual is not None else None,
        "met": line.met, "missing": line.missing, "latest_entry_id": line.latest_entry_id,
    }  # fmt: skip


def _stale(error: StaleEntryError) -> Any:
    latest = error.latest
    return Status(
        409,
        {"message": error.messages[0], "code": "stale_copy", "latest_id": latest.pk if latest else None,
         "latest_value": str(latest.value) if latest else None},
    )  # fmt: skip


@router.get("/goals/indicators", response={200: list[GoalIndicatorOut], 401: Error}, summary="Các chỉ tiêu")
def indicator_list(request: HttpRequest) -> Any:
    return [
        {"code": i.code, "name": i.name, "unit": i.unit, "unit_label": i.get_unit_display(),
         "direction": i.direction, "obtained": i.obtained, "description": i.description}
        for i in Indicator.objects.filter(active=True)
    ]  # fmt: skip


@router.get(
    "/goals/targets",
    response={200: list[TargetOut], **READ},
    summary="Chỉ tiêu địa bàn tự đặt cho một năm (không cộng dồn từ cấp dưới)",
)
def target_list(request: HttpRequest, query: Query[PeriodQuery]) -> Any:
    area = _area(request, query.area_id)
    return [target_json(line) for line in targets_for(area, query.year, query.month)]


@router.post(
    "/goals/targets", response={201: TargetOut, **WRITE}, summary="Đặt (hoặc đính chính) một chỉ tiêu"
)
def target_create(request: HttpRequest, payload: TargetIn) -> Any:
    user = current_user(request)
    area = _area(request, payload.area_id)
    try:
        target = target_set(
            indicator=_indicator(payload.indicator_code), area=area, year=payload.year, month=payload.month,
            value=payload.value, document_number=payload.document_number, document_date=payload.document_date,
            document_title=payload.document_title, expected_latest=payload.expected_latest_id,
            reason=payload.reason, actor=user,
        )  # fmt: skip
    except StaleEntryError as error:
        return _stale(error)
    line = next(line for line in targets_for(area, target.year, target.month) if line.target_id == target.pk)
    return Status(201, target_json(line))


@router.get(
    "/goals/actuals",
    response={200: list[EntryOut], **READ},
    summary="Số thực hiện đã nhập (đang có hiệu lực) của địa bàn trong kỳ",
)
def actual_list(request: HttpRequest, query: Query[PeriodQuery]) -> Any:
    area = _area(request, query.area_id)
    rows = (
        entries_in_force()
        .filter(area=area, year=query.year, month=query.month)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__code")
    )
    return [_entry_json(row) for row in rows]


def _entry_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk, "indicator_code": row.indicator.code, "year": row.year, "month": row.month,
        "value": row.value, "as_of": row.as_of, "source_note": row.source_note, "corrects_id": row.corrects_id,
        "reason": row.reason, "recorded_by_name": row.recorded_by_name, "recorded_at": row.recorded_at,
    }  # fmt: skip


@router.post(
    "/goals/actuals", response={201: EntryOut, **WRITE}, summary="Nhập (hoặc đính chính) số thực hiện"
)
def actual_create(request: HttpRequest, payload: ActualIn) -> Any:
    user = current_user(request)
    area = _area(request, payload.area_id)
    try:
        entry = actual_record(
            indicator=_indicator(payload.indicator_code), area=area, year=payload.year, month=payload.month,
            value=payload.value, as_of=payload.as_of, source_note=payload.source_note,
            expected_latest=payload.expected_latest_id, reason=payload.reason, actor=user,
        )  # fmt: skip
    except StaleEntryError as error:
        return _stale(error)
    return Status(201, _entry_json(entry))


@router.get(
    "/goals/progress",
    response={200: list[GoalProgressOut], **READ},
    summary="Tiến độ: chỉ tiêu, số thực hiện (tính từ dữ liệu hoặc đã nhập) và đạt/chưa đạt",
)
def progress_list(request: HttpRequest, query: Query[PeriodQuery]) -> Any:
    area = _area(request, query.area_id)
    return [progress_json(line) for line in progress(area, query.year, query.month)]
