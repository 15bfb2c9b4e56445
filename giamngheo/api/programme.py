"""The national target programme's money through the API (`programme.services`, `programme.selectors`): the
catalogue, allocations and disbursements of the caller's area, corrections, carry-over and the year's summary.
Amounts are whole đồng. Areas and records outside the caller's area are the same 404 as unknown ones; village
reviewers and viewers read only (403 on a write). Corrections and carry-over send the allocation's `version` as
`expected_version`; a stale one answers 409 with code "stale_copy"."""

from datetime import date
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from giamngheo.api.auth import current_user
from giamngheo.api.errors import ConflictError, Error
from giamngheo.api.pagination import Page
from giamngheo.api.schemas.common import Day, Id, Input, Text
from giamngheo.programme import services
from giamngheo.programme.access import (
    allocation_for_write,
    allocations_for,
    area_for_read,
    area_for_write,
    disbursement_for_write,
    disbursements_for,
)
from giamngheo.programme.models import Allocation, CapitalType, FundingSource, Programme, ProgrammeItem
from giamngheo.programme.selectors import Breakdown, allocation_states, funds_summary, unit_ids_within
from giamngheo.programme.services import StaleAllocationError

router = Router(tags=["Vốn chương trình mục tiêu quốc gia"])
READ: dict[int, Any] = {401: Error, 404: Error, 422: Error}
WRITE: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 409: ConflictError, 422: Error}
Amount = Annotated[int, Field(ge=1, le=services.MAX_AMOUNT)]
Year = Annotated[int, Field(ge=2000, le=2100)]
Version = Annotated[int, Field(ge=0, le=2**31 - 1, description="Phiên bản khoản vốn đã xem (trường version)")]


class ItemOut(Schema):
    id: int
    code: str
    kind: str
    name: str
    parent_code: str | None
    evidence: str


class FundsProgrammeOut(Schema):
    code: str
    name: str
    legal_basis: str
    first_year: int
    last_year: int
    evidence: str
    items: list[ItemOut]


class NamedOut(Schema):
    code: str
    name: str


class CatalogueOut(Schema):
    programmes: list[FundsProgrammeOut]
    capital_types: list[NamedOut]
    sources: list[NamedOut]


class AllocationOut(Schema):
    id: int
    year: int
    area_id: int
    area_code: str
    item_code: str
    capital_type: str
    source: str
    kind: str
    amount: int
    adjusts_id: int | None
    carried_from_id: int | None
    decision_number: str
    decision_date: date | None
    note: str
    recorded_by_name: str
    # The state of the allocation an entry belongs to (an adjustment: the allocation it adjusts).
    current_amount: int
    disbursed: int
    carried_out: int
    remaining: int
    version: int


class AllocationQuery(Schema):
    area: Id = Field(description="Mã số (id) đơn vị hành chính")
    year: Year | None = Field(None, description="Năm")


class AllocationCreate(Input):
    area_id: Id
    year: Year
    item_code: Annotated[str, Field(max_length=40)]
    programme_code: Annotated[str, Field(max_length=40)] = "GNBV-2021-2025"
    capital_type: Annotated[str, Field(max_length=40)]
    source: Annotated[str, Field(max_length=40)]
    amount: Amount
    decision_number: Annotated[Text, Field(max_length=60)]
    decision_date: Day
    note: Annotated[Text, Field(max_length=2000)] = ""


class AdjustmentCreate(Input):
    change: Annotated[int, Field(ge=-services.MAX_AMOUNT, le=services.MAX_AMOUNT)]
    expected_version: Version
    reason: Annotated[Text, Field(max_length=2000)]
    decision_number: Annotated[Text, Field(max_length=60)] = ""
    decision_date: Day | None = None


class CarryOverCreate(Input):
    expected_version: Version
    decision_number: Annotated[Text, Field(max_length=60)]
    decision_date: Day
    note: Annotated[Text, Field(max_length=2000)] = ""


class DisbursementOut(Schema):
    id: int
    allocation_id: int
    paid_on: date
    amount: int
    activity: str
    reverses_id: int | None
    recorded_by_name: str


class DisbursementQuery(Schema):
    allocation: Id | None = Field(None, description="Khoản vốn")
    area: Id | None = Field(None, description="Đơn vị hành chính")
    year: Year | None = Field(None, description="Năm của khoản vốn")


class DisbursementCreate(Input):
    allocation_id: Id
    paid_on: Day
    amount: Amount
    activity: Annotated[Text, Field(max_length=300)]
    expected_version: Version | None = None


class ReversalCreate(Input):
    reversed_on: Day
    reason: Annotated[Text, Field(max_length=300)]
    expected_version: Version


class FigureOut(Schema):
    id: int
    code: str
    label: str
    amount: int


class BreakdownOut(Schema):
    total: int
    by_project: list[FigureOut]
    by_item: list[FigureOut]
    by_capital_type: list[FigureOut]
    by_source: list[FigureOut]
    by_area: list[FigureOut]


class RateOut(Schema):
    numerator: int
    denominator: int
    percent: str | None = Field(description="Phần trăm, hai chữ số thập phân; null khi mẫu số bằng 0")


class FundsSummaryOut(Schema):
    area_id: int
    year: int
    allocated: BreakdownOut
    carried_in: BreakdownOut
    available: int
    disbursed: BreakdownOut
    carried_out: BreakdownOut
    disbursement_rate: RateOut


class FundsSummaryQuery(Schema):
    area: Id = Field(description="Mã số (id) đơn vị hành chính")
    year: Year


def _allocations_out(rows: list[Allocation]) -> list[dict[str, Any]]:
    states = allocation_states(row.head_id for row in rows)
    out = []
    for row in rows:
        state = states[row.head_id]
        out.append(
            {
                "id": row.pk, "year": row.year, "area_id": row.area_id, "area_code": row.area.code,
                "item_code": row.item.code, "capital_type": row.capital_type.code, "source": row.source.code,
                "kind": row.kind, "amount": row.amount, "adjusts_id": row.adjusts_id,
                "carried_from_id": row.carried_from_id, "decision_number": row.decision_number,
                "decision_date": row.decision_date, "note": row.note, "recorded_by_name": row.recorded_by_name,
                "current_amount": state.amount, "disbursed": state.disbursed, "carried_out": state.carried_out,
                "remaining": state.remaining, "version": state.version,
            }
        )  # fmt: skip
    return out


def _breakdown(breakdown: Breakdown) -> dict[str, Any]:
    def figures(split: Any) -> list[dict[str, Any]]:
        return [{"id": f.pk, "code": f.code, "label": f.label, "amount": f.amount} for f in split]

    return {
        "total": breakdown.total,
        "by_project": figures(breakdown.by_project),
        "by_item": figures(breakdown.by_item),
        "by_capital_type": figures(breakdown.by_capital_type),
        "by_source": figures(breakdown.by_source),
        "by_area": figures(breakdown.by_area),
    }


def _stale(exc: StaleAllocationError) -> Status[dict[str, Any]]:
    return Status(
        409,
        {"message": exc.messages[0], "code": "stale_copy", "expected_version": exc.expected_version,
         "current_version": exc.current_version},
    )  # fmt: skip


def _one(queryset: Any, field: str, code: str, message: str) -> Any:
    found = queryset.filter(code=code).first()
    if found is None:
        raise ValidationError({field: [message % {"code": code}]})
    return found


@router.get("/programme/catalogue", response={200: CatalogueOut, 401: Error}, summary="Danh mục chương trình")
def catalogue(request: HttpRequest) -> Any:
    items = ProgrammeItem.objects.select_related("parent").order_by("programme_id", "code")
    by_programme: dict[int, list[dict[str, Any]]] = {}
    for item in items:
        by_programme.setdefault(item.programme_id, []).append(
            {"id": item.pk, "code": item.code, "kind": item.kind, "name": item.name,
             "parent_code": item.parent.code if item.parent else None, "evidence": item.evidence}
        )  # fmt: skip
    return {
        "programmes": [
            {
                "code": p.code,
                "name": p.name,
                "legal_basis": p.legal_basis,
                "first_year": p.first_year,
                "last_year": p.last_year,
                "evidence": p.evidence,
                "items": by_programme.get(p.pk, []),
            }
            for p in Programme.objects.all()
        ],
        "capital_types": [{"code": c.code, "name": c.name} for c in CapitalType.objects.all()],
        "sources": [{"code": s.code, "name": s.name} for s in FundingSource.objects.all()],
    }


@router.get(
    "/programme/allocations",
    response={200: list[AllocationOut], **READ},
    summary="Các khoản vốn (và bút toán điều chỉnh, chuyển năm) giao cho một địa bàn và các đơn vị trong đó",
)
@paginate(Page)
def allocation_list(request: HttpRequest, query: Query[AllocationQuery]) -> Any:
    user = current_user(request)
    area = area_for_read(user, query.area)
    rows = allocations_for(user).filter(area_id__in=sorted(unit_ids_within(area)))
    if query.year is not None:
        rows = rows.filter(year=query.year)
    page = rows.select_related("area", "item", "capital_type", "source").order_by("year", "item__code", "id")
    return _LazyAllocations(page)


class _LazyAllocations:
    """A queryset the paginator slices; each page's rows get their allocation's state in four queries."""

    def __init__(self, queryset: Any) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return _allocations_out(list(self.queryset[index]))


@router.post(
    "/programme/allocations", response={201: AllocationOut, **WRITE}, summary="Ghi một khoản vốn được giao"
)
def allocation_create(request: HttpRequest, payload: AllocationCreate) -> Any:
    user = current_user(request)
    area = area_for_write(user, payload.area_id)
    item = _one(ProgrammeItem.objects.filter(programme__code=payload.programme_code), "item_code",
                payload.item_code, _("Không có dự án, tiểu dự án mã %(code)s trong chương trình."))  # fmt: skip
    capital = _one(
        CapitalType.objects.all(), "capital_type", payload.capital_type, _("Không có loại vốn %(code)s.")
    )
    source = _one(FundingSource.objects.all(), "source", payload.source, _("Không có nguồn vốn %(code)s."))
    allocation = services.allocation_record(
        year=payload.year, area=area, item=item, capital_type=capital, source=source, amount=payload.amount,
        decision_number=payload.decision_number, decision_date=payload.decision_date, note=payload.note, actor=user,
    )  # fmt: skip
    return Status(201, _allocations_out([allocation])[0])


@router.post(
    "/programme/allocations/{allocation_id}/adjustments",
    response={201: AllocationOut, **WRITE},
    summary="Điều chỉnh số tiền của một khoản vốn (bút toán mới, có lý do)",
)
def allocation_adjust(request: HttpRequest, allocation_id: int, payload: AdjustmentCreate) -> Any:
    allocation = allocation_for_write(current_user(request), allocation_id)
    try:
        entry = services.allocation_adjust(
            allocation=allocation, change=payload.change, expected_version=payload.expected_version,
            reason=payload.reason, decision_number=payload.decision_number, decision_date=payload.decision_date,
            actor=current_user(request),
        )  # fmt: skip
    except StaleAllocationError as exc:
        return _stale(exc)
    return Status(201, _allocations_out([entry])[0])


@router.post(
    "/programme/allocations/{allocation_id}/carry-over",
    response={201: AllocationOut, **WRITE},
    summary="Chuyển số dư cuối năm của một khoản vốn sang năm sau",
)
def allocation_carry_over(request: HttpRequest, allocation_id: int, payload: CarryOverCreate) -> Any:
    allocation = allocation_for_write(current_user(request), allocation_id)
    try:
        carried = services.carry_over(
            allocation=allocation, expected_version=payload.expected_version,
            decision_number=payload.decision_number, decision_date=payload.decision_date, note=payload.note,
            actor=current_user(request),
        )  # fmt: skip
    except StaleAllocationError as exc:
        return _stale(exc)
    return Status(201, _allocations_out([carried])[0])


@router.get(
    "/programme/disbursements", response={200: list[DisbursementOut], **READ}, summary="Các khoản giải ngân"
)
@paginate(Page)
def disbursement_list(request: HttpRequest, query: Query[DisbursementQuery]) -> Any:
    user = current_user(request)
    rows = disbursements_for(user)
    if query.area is not None:
        rows = rows.filter(allocation__area_id__in=sorted(unit_ids_within(area_for_read(user, query.area))))
    if query.allocation is not None:
        rows = rows.filter(allocation_id=query.allocation)
    if query.year is not None:
        rows = rows.filter(allocation__year=query.year)
    return rows.order_by("paid_on", "id")


@router.post(
    "/programme/disbursements", response={201: DisbursementOut, **WRITE}, summary="Ghi một khoản giải ngân"
)
def disbursement_create(request: HttpRequest, payload: DisbursementCreate) -> Any:
    user = current_user(request)
    allocation = allocation_for_write(user, payload.allocation_id)
    try:
        paid = services.disbursement_record(
            allocation=allocation, paid_on=payload.paid_on, amount=payload.amount, activity=payload.activity,
            expected_version=payload.expected_version, actor=user,
        )  # fmt: skip
    except StaleAllocationError as exc:
        return _stale(exc)
    return Status(201, paid)


@router.post(
    "/programme/disbursements/{disbursement_id}/reversal",
    response={201: DisbursementOut, **WRITE},
    summary="Huỷ một khoản giải ngân ghi nhầm (bút toán âm, có lý do)",
)
def disbursement_reverse(request: HttpRequest, disbursement_id: int, payload: ReversalCreate) -> Any:
    user = current_user(request)
    disbursement = disbursement_for_write(user, disbursement_id)
    try:
        reversal = services.disbursement_reverse(
            disbursement=disbursement, reversed_on=payload.reversed_on, reason=payload.reason,
            expected_version=payload.expected_version, actor=user,
        )  # fmt: skip
    except StaleAllocationError as exc:
        return _stale(exc)
    return Status(201, reversal)


@router.get(
    "/programme/summary",
    response={200: FundsSummaryOut, **READ},
    summary="Tổng hợp vốn của một địa bàn trong năm: giao, chuyển từ năm trước, giải ngân, chuyển sang năm sau",
)
def summary(request: HttpRequest, query: Query[FundsSummaryQuery]) -> Any:
    area = area_for_read(current_user(request), query.area)
    funds = funds_summary(area, query.year)
    percent = funds.disbursement_rate.percent
    return {
        "area_id": area.pk,
        "year": funds.year,
        "allocated": _breakdown(funds.allocated),
        "carried_in": _breakdown(funds.carried_in),
        "available": funds.available,
        "disbursed": _breakdown(funds.disbursed),
        "carried_out": _breakdown(funds.carried_out),
        "disbursement_rate": {
            "numerator": funds.disbursement_rate.numerator,
            "denominator": funds.disbursement_rate.denominator,
            "percent": None if percent is None else str(percent),
        },
    }
