"""The support ledger through the API (`support.services`, `support.selectors`): the kinds of support and their
rules, a household's entries and housing cases, recording, correcting and cancelling entries, housing steps, and
an area's figures for a year. Households and areas outside the caller's are the same 404 as unknown ones; commune
officers (and administrators) write, the other roles of the area read (403 on a write)."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from giamngheo.accounts.access import household_for_read, persons_for, unit_for_stats
from giamngheo.api.auth import current_user
from giamngheo.api.errors import Error
from giamngheo.api.households import READ_ERRORS, HouseholdId
from giamngheo.api.schemas.common import Day, Id, Input, Money, Text
from giamngheo.areas.models import UnitLevel
from giamngheo.areas.selectors import UnitAmbiguous, UnitNotFound, commune_ids_within, resolve_unit
from giamngheo.support.access import (
    housing_case_for_edit,
    refuse_unless_writer,
    support_event_for_edit,
)
from giamngheo.support.models import (
    HousingCase,
    HousingStage,
    HousingWork,
    SupportEvent,
    SupportKind,
    SupportRule,
)
from giamngheo.support.selectors import (
    case_view,
    cases_with_steps,
    household_cases,
    household_events,
    summary_of_communes,
)
from giamngheo.support.services import (
    housing_case_open,
    housing_step_record,
    support_event_cancel,
    support_event_correct,
    support_event_record,
)

router = Router(tags=["Hỗ trợ hộ nghèo, cận nghèo"])
WRITE = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}
PLAIN = Annotated[Text, Field(max_length=2000)]


class RuleOut(Schema):
    valid_from: date
    valid_to: date | None
    poor: bool
    near_poor: bool
    escaped_within_years: int | None
    any_household: bool
    default_state_amount: int | None
    verified: bool
    source: str


class KindOut(Schema):
    code: str
    name: str
    project: str
    housing: str
    active: bool
    rules: list[RuleOut]


class FundingIn(Input):
    state_budget: Money | None = Field(None, description="Ngân sách nhà nước (đồng); trống: mức mặc định")
    bank_loan: Money = 0
    mobilised: Money = Field(0, description="Vốn huy động, cộng đồng (đồng)")


class EventCreate(FundingIn):
    kind: Annotated[str, Field(max_length=40)]
    occurred_on: Day
    person_id: Id | None = None
    description: PLAIN = ""
    reference: Annotated[Text, Field(max_length=200)] = ""


class EventCorrect(Input):
    reason: PLAIN
    kind: Annotated[str, Field(max_length=40)] | None = None
    occurred_on: Day | None = None
    person_id: Id | None = None
    clear_person: bool = False
    description: PLAIN | None = None
    reference: Annotated[Text, Field(max_length=200)] | None = None
    state_budget: Money | None = None
    bank_loan: Money | None = None
    mobilised: Money | None = None


class Reason(Input):
    reason: PLAIN


class EventOut(Schema):
    id: int
    kind: str
    occurred_on: date
    person_id: int | None
    description: str
    state_budget: int
    bank_loan: int
    mobilised: int
    reference: str
    standing: str
    commune_code: str
    housing_case_id: int | None
    corrects_id: int | None
    reason: str
    in_force: bool
    cancelled_reason: str | None
    recorded_by: str
    recorded_at: datetime


class CaseCreate(FundingIn):
    work: HousingWork
    approved_on: Day
    description: PLAIN = ""
    reference: Annotated[Text, Field(max_length=200)] = ""


class StepCreate(Input):
    stage: Literal["building", "completed", "handed_over"]
    on: Day
    note: PLAIN = ""


class StepOut(Schema):
    stage: str
    on: date
    note: str
    recorded_by: str


class CaseOut(Schema):
    id: int
    household_id: int
    work: str
    stage: str | None
    cancelled: bool
    event_id: int | None
    state_budget: int
    bank_loan: int
    mobilised: int
    steps: list[StepOut]


class SupportSummaryQuery(Schema):
    area: Annotated[str, Field(pattern=r"^[0-9]{1,5}$", description="Mã đơn vị hành chính")]
    year: Annotated[int, Field(ge=2000, le=2100, description="Năm")]
    level: UnitLevel | None = Field(None, description="Cấp đơn vị khi một mã trùng ở nhiều cấp")
    current: bool = Field(False, description="Hiểu mã theo đơn vị hiện hành thay vì ngày cuối năm")


def _event_json(event: SupportEvent) -> dict[str, Any]:
    corrected = hasattr(event, "correction")
    cancellation = getattr(event, "cancellation", None)
    return {
        "id": event.pk, "kind": event.kind.code, "occurred_on": event.occurred_on, "person_id": event.person_id,
        "description": event.description, "state_budget": event.state_budget, "bank_loan": event.bank_loan,
        "mobilised": event.mobilised, "reference": event.reference, "standing": event.standing,
        "commune_code": event.commune.code, "housing_case_id": event.housing_case_id,
        "corrects_id": event.corrects_id, "reason": event.reason,
        "in_force": not corrected and cancellation is None,
        "cancelled_reason": cancellation.reason if cancellation is not None else None,
        "recorded_by": event.recorded_by_name, "recorded_at": event.recorded_at,
    }  # fmt: skip


def _case_json(case: HousingCase) -> dict[str, Any]:
    view = case_view(case)
    return {
        "id": case.pk, "household_id": case.household_id, "work": case.work, "stage": view["stage"],
        "cancelled": view["cancelled"], "event_id": view["event"].pk if view["event"] else None,
        **{name: getattr(view["funding"], name) for name in ("state_budget", "bank_loan", "mobilised")},
        "steps": [{"stage": s.stage, "on": s.on, "note": s.note, "recorded_by": s.recorded_by_name}
                  for s in view["steps"]],
    }  # fmt: skip


def _kind(code: str) -> SupportKind:
    kind = SupportKind.objects.filter(code=code).first()
    if kind is None:
        raise ValidationError({"kind": [_("Không có loại hỗ trợ «%(code)s».") % {"code": code}]})
    return kind


def _person(user: Any, person_id: int | None) -> Any:
    if person_id is None:
        return None
    person = persons_for(user).filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"person_id": [_("Không tìm thấy nhân khẩu.")]})
    return person


@router.get(
    "/support/kinds", response={200: list[KindOut], 401: Error}, summary="Các loại hỗ trợ và đối tượng"
)
def kind_list(request: HttpRequest) -> Any:
    rules: dict[int, list[SupportRule]] = {}
    for rule in SupportRule.objects.order_by("valid_from"):
        rules.setdefault(rule.kind_id, []).append(rule)
    return [
        {"code": k.code, "name": k.name, "project": k.project, "housing": k.housing, "active": k.active,
         "rules": rules.get(k.pk, [])}
        for k in SupportKind.objects.order_by("order", "code")
    ]  # fmt: skip


@router.get(
    "/households/{household_id}/support",
    response={200: list[EventOut], **READ_ERRORS},
    summary="Các mục hỗ trợ hộ đã nhận (cả mục đã đính chính, đã huỷ), mới nhất trước",
)
def event_list(request: HttpRequest, household_id: int = HouseholdId) -> Any:
    household = household_for_read(current_user(request), household_id)
    return [_event_json(event) for event in household_events(household)]


@router.post(
    "/households/{household_id}/support",
    response={201: EventOut, **WRITE},
    summary="Ghi một hỗ trợ hộ (hoặc một thành viên) đã nhận; kiểm tra đối tượng theo tình trạng của hộ ngày đó",
)
def event_create(request: HttpRequest, payload: EventCreate, household_id: int = HouseholdId) -> Any:
    user = current_user(request)
    household = household_for_read(user, household_id)
    refuse_unless_writer(user)
    event = support_event_record(
        household=household, kind=_kind(payload.kind), occurred_on=payload.occurred_on,
        person=_person(user, payload.person_id), description=payload.description, reference=payload.reference,
        state_budget=payload.state_budget, bank_loan=payload.bank_loan, mobilised=payload.mobilised, actor=user,
    )  # fmt: skip
    return Status(201, _event_json(SupportEvent.objects.select_related("kind", "commune").get(pk=event.pk)))


@router.post(
    "/support/events/{event_id}/corrections",
    response={201: EventOut, **WRITE},
    summary="Đính chính một mục hỗ trợ: mục mới thay mục sai (nêu lý do); mục cũ được giữ",
)
def event_correct(request: HttpRequest, payload: EventCorrect, event_id: int) -> Any:
    user = current_user(request)
    event = support_event_for_edit(user, event_id)
    changes: dict[str, Any] = {}
    if payload.kind is not None:
        changes["kind"] = _kind(payload.kind)
    if payload.person_id is not None or payload.clear_person:
        changes["person"] = _person(user, payload.person_id)
    for name in ("occurred_on", "description", "reference", "state_budget", "bank_loan", "mobilised"):
        value = getattr(payload, name)
        if value is not None:
            changes[name] = value
    new = support_event_correct(event=event, reason=payload.reason, actor=user, **changes)
    return Status(201, _event_json(SupportEvent.objects.select_related("kind", "commune").get(pk=new.pk)))


@router.post(
    "/support/events/{event_id}/cancellation",
    response={201: EventOut, **WRITE},
    summary="Huỷ một mục hỗ trợ ghi sai (nêu lý do); mục được giữ, đánh dấu đã huỷ",
)
def event_cancel(request: HttpRequest, payload: Reason, event_id: int) -> Any:
    user = current_user(request)
    event = support_event_for_edit(user, event_id)
    support_event_cancel(event=event, reason=payload.reason, actor=user)
    return Status(201, _event_json(SupportEvent.objects.select_related("kind", "commune").get(pk=event.pk)))


@router.get(
    "/households/{household_id}/housing",
    response={200: list[CaseOut], **READ_ERRORS},
    summary="Hồ sơ hỗ trợ nhà ở của hộ, với các bước",
)
def case_list(request: HttpRequest, household_id: int = HouseholdId) -> Any:
    household = household_for_read(current_user(request), household_id)
    return [_case_json(case) for case in household_cases(household)]


@router.post(
    "/households/{household_id}/housing",
    response={201: CaseOut, **WRITE},
    summary="Lập hồ sơ hỗ trợ nhà ở đã được phê duyệt (xây mới hoặc sửa chữa)",
)
def case_create(request: HttpRequest, payload: CaseCreate, household_id: int = HouseholdId) -> Any:
    user = current_user(request)
    household = household_for_read(user, household_id)
    refuse_unless_writer(user)
    case = housing_case_open(
        household=household, work=payload.work, approved_on=payload.approved_on, state_budget=payload.state_budget,
        bank_loan=payload.bank_loan, mobilised=payload.mobilised, reference=payload.reference,
        description=payload.description, actor=user,
    )  # fmt: skip
    return Status(201, _case_json(cases_with_steps(HousingCase.objects.filter(pk=case.pk)).get()))


@router.post(
    "/housing/{case_id}/steps",
    response={201: CaseOut, **WRITE},
    summary="Ghi bước tiếp theo của hồ sơ nhà ở: thi công, hoàn thành, bàn giao (theo đúng thứ tự)",
)
def step_create(request: HttpRequest, payload: StepCreate, case_id: int) -> Any:
    user = current_user(request)
    case = housing_case_for_edit(user, case_id)
    housing_step_record(
        case=case, stage=HousingStage(payload.stage), on=payload.on, note=payload.note, actor=user
    )
    return Status(201, _case_json(cases_with_steps(HousingCase.objects.filter(pk=case.pk)).get()))


@router.get(
    "/support/summary",
    response={200: dict[str, Any], **READ_ERRORS},
    summary="Số liệu hỗ trợ của một địa bàn trong một năm: theo loại, theo nguồn vốn; nhà ở theo bước",
)
def summary(request: HttpRequest, query: Query[SupportSummaryQuery]) -> Any:
    try:
        unit = resolve_unit(
            query.area,
            on=timezone.localdate() if query.current else date(query.year, 12, 31),
            level=query.level,
        )
    except UnitNotFound as exc:
        raise Http404(_("Không tìm thấy đơn vị hành chính.")) from exc
    except UnitAmbiguous as exc:
        raise ValidationError({"level": [str(exc)]}) from exc
    unit_for_stats(current_user(request), unit)
    return summary_of_communes(unit.pk, commune_ids_within(unit), query.year).as_json()
