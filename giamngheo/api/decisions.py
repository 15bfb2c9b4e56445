"""The official lists through the API: the statutory reports (the same JSON as `giamngheo report`), a household's
status history, recording the chairman's decision and the approval steps (`decisions.services`,
`decisions.approval`). Areas outside the caller's are the same 404 as unknown ones; the services check the role."""

from datetime import date
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from giamngheo.accounts.access import household_for_read, round_for, unit_for_stats
from giamngheo.api.auth import current_user
from giamngheo.api.errors import Error
from giamngheo.api.households import READ_ERRORS, HouseholdId
from giamngheo.api.schemas.common import Id
from giamngheo.areas.models import UnitLevel
from giamngheo.areas.selectors import UnitAmbiguous, UnitNotFound, resolve_unit
from giamngheo.decisions.approval import approval_state, round_approve, round_submit, round_unlock
from giamngheo.decisions.reports import REPORTS, build_report, last_day
from giamngheo.decisions.services import decision_record
from giamngheo.decisions.status import status_history

router = Router(tags=["Quyết định công nhận, báo cáo"])
WRITE = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


class ReportKindOut(Schema):
    name: str
    title: str


class ReportQuery(Schema):
    area: Annotated[str, Field(pattern=r"^[0-9]{1,5}$", description="Mã đơn vị hành chính")]
    year: Annotated[int, Field(ge=2000, le=2100, description="Năm báo cáo")]
    month: Annotated[int | None, Field(None, ge=1, le=12, description="Tháng (báo cáo tháng)")]
    level: UnitLevel | None = Field(None, description="Cấp đơn vị khi một mã trùng ở nhiều cấp")
    current: bool = Field(False, description="Hiểu mã theo đơn vị hiện hành thay vì ngày cuối kỳ")


class StatusOut(Schema):
    status: str
    valid_from: date
    valid_to: date | None
    decision_number: str
    signed_on: date
    commune_code: str


class DecisionCreate(Schema):
    review_id: Id
    commune_id: Id
    number: Annotated[str, Field(max_length=60)]
    signed_on: date
    signer: Annotated[str, Field(max_length=150)]
    corrects_id: Id | None = Field(None, description="Quyết định đang có hiệu lực được đính chính")
    reason: Annotated[str, Field(max_length=2000)] = ""


class DecisionOut(Schema):
    id: int
    number: str
    signed_on: date
    effective_from: date
    statuses_changed: int


class ApprovalCreate(Schema):
    review_id: Id
    commune_id: Id
    step: Literal["submit", "approve", "unlock"]
    reason: Annotated[str, Field(max_length=2000)] = ""


class ApprovalOut(Schema):
    state: str


@router.get("/reports", response={200: list[ReportKindOut], 401: Error}, summary="Các báo cáo có sẵn")
def report_list(request: HttpRequest) -> Any:
    return [{"name": kind.name, "title": kind.title} for kind in REPORTS.values()]


@router.get(
    "/reports/{name}",
    response={200: dict[str, Any], **READ_ERRORS},
    summary="Một báo cáo theo danh sách đã công nhận: cột, dòng theo địa bàn, tổng (như `giamngheo report`)",
)
def report(request: HttpRequest, name: str, query: Query[ReportQuery]) -> Any:
    kind = REPORTS.get(name)
    if kind is None:
        raise Http404(_("Không có báo cáo %(name)s.") % {"name": name})
    try:
        unit = resolve_unit(
            query.area,
            on=timezone.localdate() if query.current else last_day(query.year, query.month),
            level=query.level,
        )
    except UnitNotFound as exc:
        raise Http404(_("Không tìm thấy đơn vị hành chính.")) from exc
    except UnitAmbiguous as exc:
        raise ValidationError({"level": [str(exc)]}) from exc
    unit_for_stats(current_user(request), unit)
    return build_report(kind, unit, query.year, query.month).to_json()


@router.get(
    "/households/{household_id}/statuses",
    response={200: list[StatusOut], **READ_ERRORS},
    summary="Tình trạng của hộ theo các quyết định công nhận, từ ngày … đến ngày …",
)
def household_statuses(request: HttpRequest, household_id: int = HouseholdId) -> Any:
    household = household_for_read(current_user(request), household_id)
    return [
        {
            "status": period.row.status,
            "valid_from": period.valid_from,
            "valid_to": period.valid_to,
            "decision_number": period.row.decision.number,
            "signed_on": period.row.decision.signed_on,
            "commune_code": period.row.commune.code,
        }
        for period in status_history(household.pk)
    ]


@router.post(
    "/decisions",
    response={201: DecisionOut, **WRITE},
    summary="Ghi quyết định công nhận của Chủ tịch UBND xã cho một đợt (hoặc quyết định đính chính)",
)
def decision_create(request: HttpRequest, payload: DecisionCreate) -> Any:
    user = current_user(request)
    review, commune = round_for(user, payload.review_id, payload.commune_id)
    corrects = None
    if payload.corrects_id is not None:
        corrects = review.decisions.filter(pk=payload.corrects_id, commune=commune).first()
        if corrects is None:
            raise ValidationError({"corrects_id": [_("Không có quyết định này trong đợt.")]})
    decision = decision_record(
        review=review, commune=commune, number=payload.number, signed_on=payload.signed_on, signer=payload.signer,
        actor=user, corrects=corrects, reason=payload.reason,
    )  # fmt: skip
    return Status(
        201,
        {"id": decision.pk, "number": decision.number, "signed_on": decision.signed_on,
         "effective_from": decision.effective_from, "statuses_changed": decision.statuses.count()},
    )  # fmt: skip


@router.post(
    "/decisions/approvals",
    response={201: ApprovalOut, **WRITE},
    summary="Trình (submit), phê duyệt (approve) hoặc mở khoá có lý do (unlock) kết quả một đợt của một xã",
)
def approval_create(request: HttpRequest, payload: ApprovalCreate) -> Any:
    user = current_user(request)
    review, commune = round_for(user, payload.review_id, payload.commune_id)
    if payload.step == "submit":
        round_submit(review=review, commune=commune, actor=user)
    elif payload.step == "approve":
        round_approve(review=review, commune=commune, actor=user)
    else:
        round_unlock(review=review, commune=commune, actor=user, reason=payload.reason)
    return Status(201, {"state": approval_state(review, commune)})
