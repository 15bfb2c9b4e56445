"""Social-policy bank credit through the API (`giamngheo.credit`): the programmes, a household's loans and
repayments, the bank's figures imported from its spreadsheets (with undo), the year's summary of an area and the
listed households without a loan.

A household, loan or batch outside the caller's area is the same 404 as a missing one. Commune officers (and
administrators) record loans; every role covering the household reads them. Writes to a household's loans send
back the `credit_mark` read with them (GET …/loans): a write from an older copy answers 409, one without it 428.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from giamngheo.accounts.access import household_for_read, household_persons, unit_for_stats
from giamngheo.api.auth import current_user
from giamngheo.api.errors import Error
from giamngheo.api.households import READ_ERRORS, HouseholdId
from giamngheo.api.preconditions import LocalizedHttpError
from giamngheo.api.schemas.common import Id
from giamngheo.areas.models import UnitLevel
from giamngheo.areas.selectors import UnitAmbiguous, UnitNotFound, resolve_unit
from giamngheo.credit import services
from giamngheo.credit.access import batch_for, batches_for, loan_for, repayment_for
from giamngheo.credit.bank import ImportRefused, bank_import, bank_import_withdraw, uploaded_file
from giamngheo.credit.models import Channel, Loan, Programme
from giamngheo.credit.selectors import credit_summary, eligible_without_loan, repaid_by
from giamngheo.registry.models import Household

router = Router(tags=["Tín dụng chính sách (NHCSXH)"])
WRITE = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 428: Error}


class TermsOut(Schema):
    valid_from: date
    valid_to: date | None
    interest_rate: Decimal | None = Field(description="%/năm")
    overdue_rate_percent: Decimal | None
    ceiling: int | None = Field(description="đồng/hộ")
    max_term_months: int | None
    verified: bool
    source: str


class CreditProgrammeOut(Schema):
    code: str
    name: str
    legal_basis: str
    eligibility: str
    window_years: int | None
    active: bool
    terms: list[TermsOut]


class RepaymentOut(Schema):
    id: int
    paid_on: date
    principal: int
    reversed: bool
    reversal_reason: str
    recorded_by_name: str


class LoanOut(Schema):
    id: int
    programme: str
    amount: int
    disbursed_on: date
    term_months: int
    matures_on: date
    channel: str
    contract_number: str
    borrower_id: int | None
    cancelled: bool
    cancellation_reason: str
    outstanding: int
    overdue: int
    repayments: list[RepaymentOut]
    recorded_by_name: str


class LoansOut(Schema):
    household_id: int
    on: date
    credit_mark: int = Field(description="Gửi lại khi ghi để không ghi đè thay đổi của người khác")
    loans: list[LoanOut]


class Marked(Schema):
    credit_mark: int | None = Field(None, description="credit_mark đã đọc cùng danh sách khoản vay")


class LoanCreate(Marked):
    programme: Annotated[str, Field(max_length=40, description="Mã chương trình")]
    amount: Annotated[int, Field(gt=0, description="đồng")]
    disbursed_on: date
    term_months: Annotated[int, Field(ge=1, le=600)]
    borrower_id: Id | None = None
    channel: Channel | None = None
    contract_number: Annotated[str, Field(max_length=60)] = ""


class RepaymentCreate(Marked):
    paid_on: date
    principal: Annotated[int, Field(gt=0, description="đồng")]


class Correction(Marked):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class BatchOut(Schema):
    id: int
    file_name: str
    sha256: str
    row_count: int
    imported_by_name: str
    imported_at: Any
    withdrawn: bool
    withdrawal_reason: str


class Withdrawal(Schema):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class ImportErrorOut(Schema):
    """422: the file's problems (`problems`, nothing saved) or a request without a file (`errors`)."""

    message: str
    problems: list[dict[str, Any]] = []
    errors: dict[str, list[str]] | None = None


class AreaQuery(Schema):
    area: Annotated[str, Field(pattern=r"^[0-9]{1,5}$", description="Mã đơn vị hành chính")]
    level: UnitLevel | None = Field(None, description="Cấp đơn vị khi một mã trùng ở nhiều cấp")


class CreditSummaryQuery(AreaQuery):
    year: Annotated[int, Field(ge=2000, le=2100)]
    as_of: date | None = Field(None, description="Ngày tính dư nợ (mặc định 31/12 của năm)")


class EligibleQuery(AreaQuery):
    on: date | None = Field(None, description="Ngày (mặc định hôm nay)")


def _area(request: HttpRequest, query: AreaQuery, on: date) -> Any:
    try:
        unit = resolve_unit(query.area, on=on, level=query.level)
    except UnitNotFound as exc:
        raise Http404(_("Không tìm thấy đơn vị hành chính.")) from exc
    except UnitAmbiguous as exc:
        raise ValidationError({"level": [str(exc)]}) from exc
    return unit_for_stats(current_user(request), unit)


def _seen(payload: Marked) -> int:
    if payload.credit_mark is None:
        raise LocalizedHttpError(428, _("Thiếu credit_mark: gửi lại giá trị đã nhận cùng danh sách khoản vay của "
                                        "hộ để không ghi đè thay đổi của người khác."))  # fmt: skip
    return payload.credit_mark


def _write(call: Any) -> Any:
    try:
        return call()
    except services.StaleCreditError as exc:
        raise LocalizedHttpError(409, exc.messages[0]) from None


def loans_json(household: Household, on: date) -> dict[str, Any]:
    loans = list(
        Loan.objects.filter(household=household)
        .select_related("programme", "cancellation")
        .prefetch_related("repayments__reversal")
        .order_by("disbursed_on", "id")
    )
    repaid = repaid_by([loan.pk for loan in loans], on)
    items = []
    for loan in loans:
        cancelled = hasattr(loan, "cancellation")
        outstanding = 0 if cancelled or loan.disbursed_on > on else loan.amount - repaid.get(loan.pk, 0)
        items.append(
            {
                "id": loan.pk, "programme": loan.programme.code, "amount": loan.amount,
                "disbursed_on": loan.disbursed_on, "term_months": loan.term_months, "matures_on": loan.matures_on,
                "channel": loan.channel, "contract_number": loan.contract_number, "borrower_id": loan.borrower_id,
                "cancelled": cancelled, "cancellation_reason": loan.cancellation.reason if cancelled else "",
                "outstanding": outstanding, "overdue": outstanding if on > loan.matures_on else 0,
                "recorded_by_name": loan.recorded_by_name,
                "repayments": [
                    {"id": r.pk, "paid_on": r.paid_on, "principal": r.principal,
                     "reversed": hasattr(r, "reversal"), "reversal_reason": r.reversal.reason if hasattr(r, "reversal") else "",
                     "recorded_by_name": r.recorded_by_name}
                    for r in loan.repayments.all()
                ],
            }
        )  # fmt: skip
    return {
        "household_id": household.pk,
        "on": on,
        "credit_mark": services.credit_mark(household),
        "loans": items,
    }


@router.get(
    "/credit/programmes",
    response={200: list[CreditProgrammeOut], 401: Error},
    summary="Các chương trình cho vay",
)
def programme_list(request: HttpRequest) -> Any:
    return [
        {
            "code": p.code, "name": p.name, "legal_basis": p.legal_basis, "eligibility": p.eligibility,
            "window_years": p.window_years, "active": p.active,
            "terms": [
                {"valid_from": t.valid_from, "valid_to": t.valid_to, "interest_rate": t.interest_rate,
                 "overdue_rate_percent": t.overdue_rate_percent, "ceiling": t.ceiling,
                 "max_term_months": t.max_term_months, "verified": t.verified, "source": t.source}
                for t in p.terms.all()
            ],
        }
        for p in Programme.objects.prefetch_related("terms")
    ]  # fmt: skip


@router.get(
    "/households/{household_id}/loans",
    response={200: LoansOut, **READ_ERRORS},
    summary="Các khoản vay của hộ, dư nợ và nợ quá hạn vào một ngày",
)
def loan_list(request: HttpRequest, household_id: int = HouseholdId, on: date | None = None) -> Any:
    household = household_for_read(current_user(request), household_id)
    return loans_json(household, on or timezone.localdate())


@router.post(
    "/households/{household_id}/loans", response={201: LoansOut, **WRITE}, summary="Ghi một khoản vay"
)
def loan_create(request: HttpRequest, payload: LoanCreate, household_id: int = HouseholdId) -> Any:
    user = current_user(request)
    household = household_for_read(user, household_id)
    programme = Programme.objects.filter(code=payload.programme).first()
    if programme is None:
        raise ValidationError(
            {"programme": [_("Không có chương trình mã «%(code)s».") % {"code": payload.programme}]}
        )
    borrower = None
    if payload.borrower_id is not None:
        borrower = household_persons(household).filter(pk=payload.borrower_id).first()
        if borrower is None:
            raise ValidationError({"borrower_id": [_("Người vay phải là thành viên của hộ.")]})
    seen = _seen(payload)
    _write(
        lambda: services.loan_record(
            household=household, programme=programme, amount=payload.amount, disbursed_on=payload.disbursed_on,
            term_months=payload.term_months, borrower=borrower, channel=payload.channel or "",
            contract_number=payload.contract_number, actor=user, seen=seen,
        )
    )  # fmt: skip
    return Status(201, loans_json(household, timezone.localdate()))


@router.post(
    "/credit/loans/{loan_id}/repayments", response={201: LoansOut, **WRITE}, summary="Ghi trả nợ gốc"
)
def repayment_create(request: HttpRequest, loan_id: int, payload: RepaymentCreate) -> Any:
    user = current_user(request)
    loan = loan_for(user, loan_id)
    seen = _seen(payload)
    _write(lambda: services.repayment_record(loan=loan, paid_on=payload.paid_on, principal=payload.principal,
                                             actor=user, seen=seen))  # fmt: skip
    return Status(201, loans_json(loan.household, timezone.localdate()))


@router.post(
    "/credit/repayments/{repayment_id}/reversal",
    response={201: LoansOut, **WRITE},
    summary="Huỷ một lần trả nợ ghi nhầm (nêu lý do)",
)
def repayment_reversal(request: HttpRequest, repayment_id: int, payload: Correction) -> Any:
    user = current_user(request)
    repayment = repayment_for(user, repayment_id)
    seen = _seen(payload)
    _write(
        lambda: services.repayment_reverse(repayment=repayment, reason=payload.reason, actor=user, seen=seen)
    )
    return Status(201, loans_json(repayment.loan.household, timezone.localdate()))


@router.post(
    "/credit/loans/{loan_id}/cancellation",
    response={201: LoansOut, **WRITE},
    summary="Huỷ một khoản vay ghi nhầm (nêu lý do)",
)
def loan_cancellation(request: HttpRequest, loan_id: int, payload: Correction) -> Any:
    user = current_user(request)
    loan = loan_for(user, loan_id)
    seen = _seen(payload)
    _write(lambda: services.loan_cancel(loan=loan, reason=payload.reason, actor=user, seen=seen))
    return Status(201, loans_json(loan.household, timezone.localdate()))


def _batch_json(batch: Any) -> dict[str, Any]:
    withdrawal = getattr(batch, "withdrawal", None)
    return {
        "id": batch.pk, "file_name": batch.file_name, "sha256": batch.sha256, "row_count": batch.row_count,
        "imported_by_name": batch.imported_by_name, "imported_at": batch.imported_at,
        "withdrawn": withdrawal is not None, "withdrawal_reason": withdrawal.reason if withdrawal else "",
    }  # fmt: skip


@router.get(
    "/credit/imports", response={200: list[BatchOut], 401: Error}, summary="Các lô số liệu của ngân hàng"
)
def batch_list(request: HttpRequest) -> Any:
    return [_batch_json(b) for b in batches_for(current_user(request)).select_related("withdrawal")[:200]]


@router.post(
    "/credit/imports",
    response={201: BatchOut, 422: ImportErrorOut, 400: Error, 401: Error, 403: Error, 404: Error},
    summary="Nhập số liệu của ngân hàng từ tệp Excel hoặc CSV (mọi dòng đúng thì mới lưu)",
)
def batch_create(request: HttpRequest, file: File[UploadedFile]) -> Any:
    user = current_user(request)
    try:
        with uploaded_file(file) as path:
            batch = bank_import(path=path, file_name=file.name or "", actor=user)
    except ImportRefused as refused:
        return Status(
            422,
            {"message": _("Tệp có %(count)s lỗi; chưa lưu dòng nào.") % {"count": len(refused.problems) + refused.more},
             "problems": [{"row": p.row, "column": p.column, "message": p.message, "text": str(p)}
                          for p in refused.problems]},
        )  # fmt: skip
    return Status(201, _batch_json(batch))


@router.post(
    "/credit/imports/{batch_id}/withdrawal",
    response={201: BatchOut, **WRITE},
    summary="Rút (huỷ nhập) một lô số liệu, nêu lý do; lô vẫn được lưu lại",
)
def batch_withdraw(request: HttpRequest, batch_id: int, payload: Withdrawal) -> Any:
    user = current_user(request)
    batch = batch_for(user, batch_id)
    bank_import_withdraw(batch=batch, reason=payload.reason, actor=user)
    return Status(201, _batch_json(batch_for(user, batch_id)))


@router.get(
    "/credit/summary",
    response={200: dict[str, Any], **READ_ERRORS},
    summary="Tín dụng chính sách của một địa bàn trong năm: doanh số, lượt vay, hộ còn dư nợ, dư nợ, nợ quá hạn",
)
def summary(request: HttpRequest, query: Query[CreditSummaryQuery]) -> Any:
    as_of = query.as_of or date(query.year, 12, 31)
    if as_of < date(query.year, 1, 1):
        raise ValidationError({"as_of": [_("Ngày tính dư nợ phải từ năm báo cáo trở đi.")]})
    unit = _area(request, query, as_of)
    return summary_json(credit_summary(unit, query.year, as_of))


def summary_json(result: Any) -> dict[str, Any]:
    def figures(f: Any) -> dict[str, int]:
        return {"disbursed": f.disbursed, "loans": f.loans, "households": f.households,
                "outstanding": f.outstanding, "overdue": f.overdue}  # fmt: skip

    return {
        "year": result.year, "start": result.start, "end": result.end, "as_of": result.as_of,
        "rule": _("Mỗi xã, mỗi chương trình: có số liệu ngân hàng trong năm thì dùng số liệu ngân hàng, không thì "
                  "cộng các khoản vay ghi theo hộ."),
        "source": result.source, "total": figures(result.total),
        "programmes": [
            {"programme": line.programme, "name": line.name, "source": line.source, "verified": line.verified,
             **figures(line.figures)}
            for line in result.lines
        ],
        "cells": [
            {"commune_id": c.commune_id, "programme": c.programme, "source": c.source, "both": c.both,
             "bank_as_of": c.bank_as_of, **figures(c.figures)}
            for c in result.cells
        ],
    }  # fmt: skip


@router.get(
    "/credit/eligible-without-loan",
    response={200: list[dict[str, Any]], **READ_ERRORS},
    summary="Hộ nghèo, hộ cận nghèo trong danh sách vào một ngày mà không có khoản vay còn dư nợ",
)
def eligible(request: HttpRequest, query: Query[EligibleQuery]) -> Any:
    on = query.on or timezone.localdate()
    unit = _area(request, query, on)
    return [
        {"household_id": h.household_id, "code": h.code, "head_name": h.head_name, "status": h.status,
         "commune_id": h.commune_id, "village_id": h.village_id}
        for h in eligible_without_loan(unit, on)
    ]  # fmt: skip
