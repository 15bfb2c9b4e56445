"""The one write path of per-household loans (`models`): record a loan, a repayment of principal, and the two
corrections — withdraw a repayment recorded by mistake, cancel a loan recorded by mistake — each with its reason.

Every service checks the actor's role and area (`WRITERS`: a commune officer of the household's commune, or an
administrator; `decisions.approval.may_act`), locks the household row so that two writes to its loans cannot
cross, refuses a write made from a stale copy (`seen`: the household's credit mark when the form or the API client
read the loans; `credit_mark`), collects every problem in Vietnamese per field and writes nothing unless all is
right. Nothing is ever updated: each write adds rows and a `CreditEvent` naming who and when.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role
from giamngheo.credit.eligibility import add_months, refusal
from giamngheo.credit.models import (
    Channel,
    CreditEvent,
    CreditEventKind,
    Eligibility,
    Loan,
    LoanCancellation,
    Programme,
    ProgrammeTerms,
    Repayment,
    RepaymentReversal,
)
from giamngheo.decisions.approval import may_act
from giamngheo.decisions.status import ESCAPE_WINDOW_YEARS, escaped_on, statuses_on
from giamngheo.lib.formatting import format_vnd
from giamngheo.registry.history import actor_display_name, actor_user
from giamngheo.registry.models import Household, Membership, Person
from giamngheo.registry.validation import Problems, add, raise_if_any

WRITERS = {Role.COMMUNE.value, Role.ADMIN.value}
MAX_TERM_MONTHS = 600  # far above any programme's term (students: up to the end of the course plus years)


class StaleCreditError(ValidationError):
    """The household's loans changed after the caller read them."""

    def __init__(self, household: Household, event: CreditEvent | None) -> None:
        if event is None:
            message = _(
                "Các khoản vay của hộ %(code)s đã thay đổi sau khi bạn mở trang; hãy tải lại rồi ghi lại."
            ) % {"code": household.code}
        else:
            message = _(
                "Các khoản vay của hộ %(code)s đã thay đổi sau khi bạn mở trang: %(who)s đã «%(what)s» lúc "
                "%(when)s. Hãy tải lại trang, kiểm tra rồi ghi lại."
            ) % {
                "code": household.code,
                "who": event.recorded_by_name,
                "what": event.get_kind_display(),
                "when": f"{timezone.localtime(event.recorded_at):%H:%M %d/%m/%Y}",
            }
        self.current_mark = event.pk if event is not None else 0
        super().__init__(message, code="stale_copy")


def credit_mark(household: Household) -> int:
    """The id of the household's latest credit event (0 when none): what a caller saw of its loans."""
    return CreditEvent.objects.filter(household_id=household.pk).aggregate(last=Max("id"))["last"] or 0


def terms_on(programme: Programme, day: date) -> ProgrammeTerms | None:
    """The programme's terms in force on `day` (the latest that started by then), or None."""
    for terms in programme.terms.filter(valid_from__lte=day).order_by("-valid_from"):
        return terms if terms.covers(day) else None
    return None


def _locked(household: Household, seen: int | None) -> Household:
    fresh = Household.objects.select_for_update().get(pk=household.pk)
    if seen is not None:
        latest = CreditEvent.objects.filter(household_id=fresh.pk).order_by("-id").first()
        if (latest.pk if latest is not None else 0) != seen:
            raise StaleCreditError(fresh, latest)
    return fresh


def _event(
    household: Household, kind: str, loan: Loan, summary: str, actor: Any, actor_name: str | None
) -> None:
    CreditEvent.objects.create(
        household=household, kind=kind, loan=loan, summary=summary, recorded_by=actor_user(actor),
        recorded_by_name=actor_display_name(actor, actor_name), recorded_at=timezone.now(),
    )  # fmt: skip


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@transaction.atomic
def loan_record(
    *,
    household: Household,
    programme: Programme,
    amount: int,
    disbursed_on: date,
    term_months: int,
    actor: Any,
    borrower: Person | None = None,
    channel: str = "",
    contract_number: str = "",
    seen: int | None = None,
    actor_name: str | None = None,
    today: date | None = None,
) -> Loan:
    """Record a loan the bank disbursed to `household` under `programme` (module docstring). Refused when the
    household is not eligible on `disbursed_on` (`eligibility.refusal`), the amount is above the programme's
    ceiling or the term above its maximum on that day, or the programme has no terms for that day."""
    today = today or timezone.localdate()
    may_act(actor, household.commune, WRITERS)
    household = _locked(household, seen)
    problems: Problems = {}
    contract_number = contract_number.strip()
    if not _is_whole(amount) or amount <= 0:
        add(problems, "amount", _("Số tiền vay phải là số nguyên đồng lớn hơn 0."))
    if not _is_whole(term_months) or not 1 <= term_months <= MAX_TERM_MONTHS:
        add(
            problems,
            "term_months",
            _("Thời hạn vay phải là số tháng từ 1 đến %(max)s.") % {"max": MAX_TERM_MONTHS},
        )
    if disbursed_on > today:
        add(
            problems,
            "disbursed_on",
            _("Ngày giải ngân %(date)s chưa đến.") % {"date": f"{disbursed_on:%d/%m/%Y}"},
        )
    if household.closed_on is not None and disbursed_on >= household.closed_on:
        add(problems, "disbursed_on", _("Hộ đã đóng từ ngày %(date)s, trước ngày giải ngân.")
            % {"date": f"{household.closed_on:%d/%m/%Y}"})  # fmt: skip
    if channel and channel not in Channel.values:
        add(problems, "channel", _("Tổ chức nhận ủy thác «%(value)s» không hợp lệ.") % {"value": channel})
    if borrower is not None and not Membership.objects.filter(household=household, person=borrower).exists():
        add(problems, "borrower", _("Người vay phải là thành viên của hộ."))
    terms = terms_on(programme, disbursed_on)
    if terms is None:
        add(problems, "programme", _("Chương trình «%(programme)s» không có lãi suất, mức cho vay áp dụng ngày "
            "%(date)s.") % {"programme": programme.name, "date": f"{disbursed_on:%d/%m/%Y}"})  # fmt: skip
    else:
        if terms.ceiling is not None and _is_whole(amount) and amount > terms.ceiling:
            add(problems, "amount", _("Số tiền vay %(amount)s vượt mức cho vay tối đa %(ceiling)s một hộ của "
                "chương trình «%(programme)s» (áp dụng ngày %(date)s).")
                % {"amount": format_vnd(amount), "ceiling": format_vnd(terms.ceiling), "programme": programme.name,
                   "date": f"{disbursed_on:%d/%m/%Y}"})  # fmt: skip
        if (
            terms.max_term_months is not None
            and _is_whole(term_months)
            and term_months > terms.max_term_months
        ):
            add(problems, "term_months", _("Thời hạn %(months)s tháng vượt thời hạn tối đa %(max)s tháng của "
                "chương trình «%(programme)s».")
                % {"months": term_months, "max": terms.max_term_months, "programme": programme.name})  # fmt: skip
    reason = _eligibility_refusal(household, programme, disbursed_on)
    if reason is not None:
        add(problems, "programme", reason)
    raise_if_any(problems)
    assert terms is not None
    loan = Loan.objects.create(
        household=household, borrower=borrower, programme=programme, terms=terms, commune_id=household.commune_id,
        village_id=household.village_id, amount=amount, disbursed_on=disbursed_on, term_months=term_months,
        matures_on=add_months(disbursed_on, term_months), channel=channel, contract_number=contract_number,
        recorded_by=actor_user(actor), recorded_by_name=actor_display_name(actor, actor_name),
        recorded_at=timezone.now(),
    )  # fmt: skip
    _event(household, CreditEventKind.LOAN, loan,
           f"{programme.code} {format_vnd(amount)} {disbursed_on:%d/%m/%Y}", actor, actor_name)  # fmt: skip
    return loan


def _eligibility_refusal(household: Household, programme: Programme, day: date) -> str | None:
    rule = programme.eligibility
    if rule not in {
        Eligibility.POOR,
        Eligibility.NEAR_POOR,
        Eligibility.POOR_OR_NEAR_POOR,
        Eligibility.NEWLY_ESCAPED,
    }:
        return None
    row = statuses_on([household.pk], day).get(household.pk)
    years = programme.window_years or ESCAPE_WINDOW_YEARS
    escaped = escaped_on(household.pk, day, years=years) if rule == Eligibility.NEWLY_ESCAPED else None
    return refusal(
        rule, status=row.status if row is not None else None, escaped=escaped, window_years=years,
        programme=str(programme.name), day=day,
    )  # fmt: skip


def _repaid(loan: Loan) -> int:
    total = Repayment.objects.filter(loan=loan, reversal__isnull=True).aggregate(total=Sum("principal"))[
        "total"
    ]
    return int(total or 0)


@transaction.atomic
def repayment_record(
    *,
    loan: Loan,
    paid_on: date,
    principal: int,
    actor: Any,
    seen: int | None = None,
    actor_name: str | None = None,
    today: date | None = None,
) -> Repayment:
    """Record principal repaid on `paid_on`. The total repaid may not exceed the amount lent."""
    today = today or timezone.localdate()
    may_act(actor, loan.household.commune, WRITERS)
    household = _locked(loan.household, seen)
    loan = Loan.objects.select_related("programme").get(pk=loan.pk)
    problems: Problems = {}
    if LoanCancellation.objects.filter(loan=loan).exists():
        add(problems, "loan", _("Khoản vay này đã bị huỷ (ghi nhầm); không ghi trả nợ được."))
    if paid_on < loan.disbursed_on:
        add(problems, "paid_on", _("Ngày trả %(date)s trước ngày giải ngân %(disbursed)s.")
            % {"date": f"{paid_on:%d/%m/%Y}", "disbursed": f"{loan.disbursed_on:%d/%m/%Y}"})  # fmt: skip
    if paid_on > today:
        add(problems, "paid_on", _("Ngày trả %(date)s chưa đến.") % {"date": f"{paid_on:%d/%m/%Y}"})
    if not _is_whole(principal) or principal <= 0:
        add(problems, "principal", _("Số tiền gốc trả phải là số nguyên đồng lớn hơn 0."))
    else:
        remaining = loan.amount - _repaid(loan)
        if principal > remaining:
            add(problems, "principal", _("Số tiền gốc trả %(amount)s vượt dư nợ gốc còn lại %(remaining)s.")
                % {"amount": format_vnd(principal), "remaining": format_vnd(remaining)})  # fmt: skip
    raise_if_any(problems)
    repayment = Repayment.objects.create(
        loan=loan, paid_on=paid_on, principal=principal, recorded_by=actor_user(actor),
        recorded_by_name=actor_display_name(actor, actor_name), recorded_at=timezone.now(),
    )  # fmt: skip
    _event(household, CreditEventKind.REPAYMENT, loan, f"{format_vnd(principal)} {paid_on:%d/%m/%Y}", actor,
           actor_name)  # fmt: skip
    return repayment


@transaction.atomic
def repayment_reverse(
    *, repayment: Repayment, reason: str, actor: Any, seen: int | None = None, actor_name: str | None = None
) -> RepaymentReversal:
    """Withdraw a repayment recorded by mistake (a reason is required); it counts nowhere from now on."""
    loan = repayment.loan
    may_act(actor, loan.household.commune, WRITERS)
    household = _locked(loan.household, seen)
    problems: Problems = {}
    reason = reason.strip()
    if not reason:
        add(problems, "reason", _("Nêu lý do huỷ lần trả nợ."))
    if RepaymentReversal.objects.filter(repayment=repayment).exists():
        add(problems, "repayment", _("Lần trả nợ này đã được huỷ."))
    raise_if_any(problems)
    reversal = RepaymentReversal.objects.create(
        repayment=repayment, reason=reason, recorded_by=actor_user(actor),
        recorded_by_name=actor_display_name(actor, actor_name), recorded_at=timezone.now(),
    )  # fmt: skip
    _event(household, CreditEventKind.REVERSAL, loan,
           f"{format_vnd(repayment.principal)} {repayment.paid_on:%d/%m/%Y}: {reason}", actor, actor_name)  # fmt: skip
    return reversal


@transaction.atomic
def loan_cancel(
    *, loan: Loan, reason: str, actor: Any, seen: int | None = None, actor_name: str | None = None
) -> LoanCancellation:
    """Cancel a loan recorded by mistake (a reason is required): it and its repayments count nowhere from now on.
    A loan the household really took and repaid is not cancelled: it is repaid."""
    may_act(actor, loan.household.commune, WRITERS)
    household = _locked(loan.household, seen)
    problems: Problems = {}
    reason = reason.strip()
    if not reason:
        add(problems, "reason", _("Nêu lý do huỷ khoản vay."))
    if LoanCancellation.objects.filter(loan=loan).exists():
        add(problems, "loan", _("Khoản vay này đã được huỷ."))
    raise_if_any(problems)
    cancellation = LoanCancellation.objects.create(
        loan=loan, reason=reason, recorded_by=actor_user(actor),
        recorded_by_name=actor_display_name(actor, actor_name), recorded_at=timezone.now(),
    )  # fmt: skip
    _event(household, CreditEventKind.CANCELLATION, loan, reason, actor, actor_name)
    return cancellation
