"""The one write path of the programme ledger (`models` says what it holds and why it is append-only).

Every function is keyword-only, runs in a transaction, checks the actor's role and area (`decisions.approval.
may_act`: commune and province officers within their area, administrators anywhere; village reviewers and
viewers never), collects the problems of the input per field in Vietnamese and writes nothing unless everything is
right. Entries against an existing allocation lock it (`select_for_update`) and, for corrections and carry-over,
compare the caller's copy with the allocation's current version (`selectors.AllocationState.version`, the number
of entries recorded against it): a stale copy is refused with `StaleAllocationError`. An amount is never changed:
an allocation is corrected by an adjustment entry, a disbursement by a reversing one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role
from giamngheo.areas.models import AdminUnit, UnitLevel
from giamngheo.decisions.approval import may_act
from giamngheo.lib.formatting import format_vnd
from giamngheo.programme.models import (
    FUNDABLE_KINDS,
    Allocation,
    AllocationKind,
    CapitalType,
    Disbursement,
    FundingSource,
    ProgrammeItem,
)
from giamngheo.programme.selectors import AllocationState, allocation_state
from giamngheo.registry.history import actor_display_name, actor_user
from giamngheo.registry.validation import Problems, add, raise_if_any
from giamngheo.reviews.stats import area_label

WRITERS = {Role.COMMUNE.value, Role.PROVINCE.value, Role.ADMIN.value}
MAX_AMOUNT = 10**15  # đồng: far above any programme's money, inside a 64-bit column


class StaleAllocationError(ValidationError):
    """The allocation took entries after the caller's copy was read."""

    def __init__(self, allocation: Allocation, *, expected_version: int, current: AllocationState) -> None:
        self.allocation = allocation
        self.expected_version = expected_version
        self.current_version = current.version
        super().__init__(
            _("Khoản vốn %(allocation)s đã có bút toán mới sau khi bạn mở (phiên bản %(expected)s, nay là "
              "%(current)s; còn lại %(remaining)s): hãy tải lại và kiểm tra trước khi ghi.")
            % {"allocation": describe(allocation), "expected": expected_version, "current": current.version,
               "remaining": format_vnd(current.remaining)},
            code="stale_copy",
        )  # fmt: skip


def describe(allocation: Allocation) -> str:
    """An allocation named for people: "#12 (2023, DA2, Huyện Kông Chro (mã cũ 630, …))"."""
    return _("#%(id)s (năm %(year)s, %(item)s, %(area)s)") % {
        "id": allocation.pk,
        "year": allocation.year,
        "item": allocation.item.code,
        "area": area_label(allocation.area),
    }


def _check_amount(problems: Problems, field: str, amount: Any) -> bool:
    if isinstance(amount, bool) or not isinstance(amount, int):
        add(problems, field, _("Số tiền phải là số nguyên đồng."))
        return False
    if amount <= 0:
        add(problems, field, _("Số tiền phải lớn hơn 0 đồng."))
        return False
    if amount > MAX_AMOUNT:
        add(problems, field, _("Số tiền %(amount)s vượt quá giới hạn.") % {"amount": format_vnd(amount)})
        return False
    return True


def _check_decision(
    problems: Problems, number: str, day: date | None, today: date, *, required: bool
) -> None:
    if required and not number:
        add(problems, "decision_number", _("Nhập số quyết định giao vốn."))
    if required and day is None:
        add(problems, "decision_date", _("Nhập ngày quyết định."))
    if day is not None and day > today:
        add(problems, "decision_date", _("Ngày quyết định %(date)s chưa đến.") % {"date": f"{day:%d/%m/%Y}"})


def _lock(allocation: Allocation) -> Allocation:
    """The allocation `allocation` belongs to (itself, or the one an adjustment adjusts), locked."""
    return (
        Allocation.objects.select_for_update()
        .select_related("area", "item", "capital_type", "source")
        .get(pk=allocation.head_id)
    )


def _refuse_if_stale(allocation: Allocation, state: AllocationState, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != state.version:
        raise StaleAllocationError(allocation, expected_version=expected_version, current=state)


def _refuse_if_closed(allocation: Allocation, state: AllocationState) -> None:
    if state.closed:
        raise ValidationError(
            {"allocation": _("Khoản vốn %(allocation)s đã chuyển số dư %(amount)s sang năm %(next)s: không ghi "
                             "thêm bút toán vào khoản này.")
             % {"allocation": describe(allocation), "amount": format_vnd(state.carried_out),
                "next": allocation.year + 1}},
            code="closed",
        )  # fmt: skip


def _recorded(actor: Any, actor_name: str | None) -> dict[str, Any]:
    return {
        "recorded_by": actor_user(actor),
        "recorded_by_name": actor_display_name(actor, actor_name),
        "recorded_at": timezone.now(),
    }


def _valid_in_year(unit: AdminUnit, year: int) -> bool:
    return (unit.valid_from is None or unit.valid_from <= date(year, 12, 31)) and (
        unit.valid_to is None or unit.valid_to >= date(year, 1, 1)
    )


@transaction.atomic
def allocation_record(
    *,
    year: int,
    area: AdminUnit,
    item: ProgrammeItem,
    capital_type: CapitalType,
    source: FundingSource,
    amount: int,
    decision_number: str,
    decision_date: date | None,
    note: str = "",
    actor: Any,
    actor_name: str | None = None,
    today: date | None = None,
) -> Allocation:
    """Record money allocated to `area` for `year`, a project or sub-project, a capital type and a source."""
    today = today or timezone.localdate()
    may_act(actor, area, WRITERS)
    decision_number = decision_number.strip()
    problems: Problems = {}
    _check_amount(problems, "amount", amount)
    _check_decision(problems, decision_number, decision_date, today, required=True)
    programme = item.programme
    if item.kind not in FUNDABLE_KINDS:
        add(problems, "item", _("Vốn được giao cho một dự án hoặc tiểu dự án; «%(item)s» là %(kind)s.")
            % {"item": item.code, "kind": item.get_kind_display().lower()})  # fmt: skip
    if not programme.first_year <= year <= programme.last_year:
        add(problems, "year", _("Năm %(year)s nằm ngoài thời gian của chương trình %(programme)s (%(first)s–%(last)s).")
            % {"year": year, "programme": programme.code, "first": programme.first_year,
               "last": programme.last_year})  # fmt: skip
    if year > today.year + 1:
        add(problems, "year", _("Chưa thể giao vốn cho năm %(year)s.") % {"year": year})
    if area.level not in {UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE}:
        add(problems, "area", _("Địa bàn không hợp lệ."))
    elif not _valid_in_year(area, year):
        add(problems, "area", _("%(area)s không tồn tại trong năm %(year)s.")
            % {"area": area_label(area), "year": year})  # fmt: skip
    raise_if_any(problems)
    return Allocation.objects.create(
        year=year, area=area, item=item, capital_type=capital_type, source=source, kind=AllocationKind.ORIGINAL,
        amount=amount, decision_number=decision_number, decision_date=decision_date, note=note.strip(),
        **_recorded(actor, actor_name),
    )  # fmt: skip


@transaction.atomic
def allocation_adjust(
    *,
    allocation: Allocation,
    change: int,
    expected_version: int,
    reason: str,
    decision_number: str = "",
    decision_date: date | None = None,
    actor: Any,
    actor_name: str | None = None,
    today: date | None = None,
) -> Allocation:
    """Correct an allocation's amount by `change` đồng (negative to reduce): a new adjustment entry. The amount
    may not fall below what was disbursed from it."""
    today = today or timezone.localdate()
    may_act(actor, allocation.area, WRITERS)
    head = _lock(allocation)
    state = allocation_state(head)
    _refuse_if_stale(head, state, expected_version)
    _refuse_if_closed(head, state)
    problems: Problems = {}
    decision_number, reason = decision_number.strip(), reason.strip()
    if head.kind != AllocationKind.ORIGINAL:
        add(problems, "allocation", _("Khoản chuyển từ năm trước không điều chỉnh được: điều chỉnh khoản gốc của "
                                      "năm trước."))  # fmt: skip
    if isinstance(change, bool) or not isinstance(change, int) or change == 0:
        add(problems, "change", _("Số tiền điều chỉnh phải là số nguyên đồng khác 0."))
    elif state.amount + change < state.disbursed:
        add(problems, "change", _("Sau điều chỉnh khoản vốn %(allocation)s còn %(after)s, ít hơn số đã giải ngân "
                                  "%(disbursed)s.")
            % {"allocation": describe(head), "after": format_vnd(state.amount + change),
               "disbursed": format_vnd(state.disbursed)})  # fmt: skip
    elif abs(change) > MAX_AMOUNT:
        add(problems, "change", _("Số tiền %(amount)s vượt quá giới hạn.") % {"amount": format_vnd(change)})
    if not reason:
        add(problems, "reason", _("Nêu lý do điều chỉnh."))
    _check_decision(problems, decision_number, decision_date, today, required=False)
    raise_if_any(problems)
    return Allocation.objects.create(
        year=head.year, area=head.area, item=head.item, capital_type=head.capital_type, source=head.source,
        kind=AllocationKind.ADJUSTMENT, amount=change, adjusts=head, decision_number=decision_number,
        decision_date=decision_date, note=reason, **_recorded(actor, actor_name),
    )  # fmt: skip


@transaction.atomic
def disbursement_record(
    *,
    allocation: Allocation,
    paid_on: date,
    amount: int,
    activity: str,
    actor: Any,
    expected_version: int | None = None,
    actor_name: str | None = None,
    today: date | None = None,
) -> Disbursement:
    """Record money paid out of `allocation` for `activity`; never more than what remains of it."""
    today = today or timezone.localdate()
    may_act(actor, allocation.area, WRITERS)
    head = _lock(allocation)
    state = allocation_state(head)
    _refuse_if_stale(head, state, expected_version)
    _refuse_if_closed(head, state)
    problems: Problems = {}
    activity = activity.strip()
    if _check_amount(problems, "amount", amount) and amount > state.remaining:
        add(problems, "amount", _("Khoản vốn %(allocation)s chỉ còn %(remaining)s, không giải ngân được "
                                  "%(amount)s.")
            % {"allocation": describe(head), "remaining": format_vnd(state.remaining),
               "amount": format_vnd(amount)})  # fmt: skip
    if paid_on > today:
        add(problems, "paid_on", _("Ngày giải ngân %(date)s chưa đến.") % {"date": f"{paid_on:%d/%m/%Y}"})
    if paid_on < date(head.year, 1, 1):
        add(problems, "paid_on", _("Ngày giải ngân %(date)s trước năm của khoản vốn (%(year)s).")
            % {"date": f"{paid_on:%d/%m/%Y}", "year": head.year})  # fmt: skip
    if not activity:
        add(problems, "activity", _("Nhập nội dung, hoạt động được chi."))
    raise_if_any(problems)
    return Disbursement.objects.create(
        allocation=head, paid_on=paid_on, amount=amount, activity=activity, **_recorded(actor, actor_name)
    )


@transaction.atomic
def disbursement_reverse(
    *,
    disbursement: Disbursement,
    reversed_on: date,
    reason: str,
    expected_version: int,
    actor: Any,
    actor_name: str | None = None,
    today: date | None = None,
) -> Disbursement:
    """Undo a wrongly recorded disbursement by a reversing entry of the opposite amount (record the right one
    afterwards)."""
    today = today or timezone.localdate()
    original = Disbursement.objects.select_related("allocation__area").get(pk=disbursement.pk)
    may_act(actor, original.allocation.area, WRITERS)
    head = _lock(original.allocation)
    state = allocation_state(head)
    _refuse_if_stale(head, state, expected_version)
    _refuse_if_closed(head, state)
    problems: Problems = {}
    reason = reason.strip()
    if original.reverses_id is not None:
        add(problems, "disbursement", _("Đây là một bút toán huỷ; không huỷ lại được."))
    elif Disbursement.objects.filter(reverses=original).exists():
        add(problems, "disbursement", _("Khoản giải ngân #%(id)s đã được huỷ.") % {"id": original.pk})
    if reversed_on > today:
        add(problems, "reversed_on", _("Ngày huỷ %(date)s chưa đến.") % {"date": f"{reversed_on:%d/%m/%Y}"})
    if reversed_on < original.paid_on:
        add(problems, "reversed_on", _("Ngày huỷ phải từ ngày giải ngân %(date)s trở đi.")
            % {"date": f"{original.paid_on:%d/%m/%Y}"})  # fmt: skip
    if not reason:
        add(problems, "reason", _("Nêu lý do huỷ khoản giải ngân."))
    raise_if_any(problems)
    return Disbursement.objects.create(
        allocation=head, paid_on=reversed_on, amount=-original.amount, reverses=original,
        activity=reason[:300], **_recorded(actor, actor_name),
    )  # fmt: skip


@transaction.atomic
def carry_over(
    *,
    allocation: Allocation,
    expected_version: int,
    decision_number: str,
    decision_date: date | None,
    note: str = "",
    actor: Any,
    actor_name: str | None = None,
    today: date | None = None,
) -> Allocation:
    """Move what remains of `allocation` at the end of its year to the next year: a carried-in allocation of year
    + 1 for the same area, item, capital type and source, linked to its origin, whose remaining becomes 0."""
    today = today or timezone.localdate()
    may_act(actor, allocation.area, WRITERS)
    head = _lock(allocation)
    state = allocation_state(head)
    _refuse_if_stale(head, state, expected_version)
    _refuse_if_closed(head, state)
    decision_number = decision_number.strip()
    problems: Problems = {}
    if state.remaining <= 0:
        add(problems, "allocation", _("Khoản vốn %(allocation)s đã giải ngân hết: không còn số dư để chuyển.")
            % {"allocation": describe(head)})  # fmt: skip
    _check_decision(problems, decision_number, decision_date, today, required=True)
    raise_if_any(problems)
    return Allocation.objects.create(
        year=head.year + 1, area=head.area, item=head.item, capital_type=head.capital_type, source=head.source,
        kind=AllocationKind.CARRIED_IN, amount=state.remaining, carried_from=head, decision_number=decision_number,
        decision_date=decision_date, note=note.strip(), **_recorded(actor, actor_name),
    )  # fmt: skip
