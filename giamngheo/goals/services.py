"""Setting a target and entering an actual: the one write path of `Target` and `ActualEntry` (`models`).

Both rows are append-only. The first row of an indicator, area and period is written with `expected_latest` None;
any later one corrects the row in force, which the caller names (`expected_latest`, the id it saw) and explains
(`reason`). A caller whose copy is stale — someone else wrote in between, or it believes there is nothing yet
when there is — is refused with `StaleEntryError`, which names the row in force. Writes to one indicator are
serialised by locking its row, so two writers cannot both pass the check.

Who: province staff, commune officers and administrators, within their area (`approval.may_act`); viewers and
village reviewers only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role
from giamngheo.areas.models import AdminUnit
from giamngheo.decisions.approval import may_act
from giamngheo.goals.models import WHOLE_UNITS, ActualEntry, Indicator, Target, Unit
from giamngheo.registry.history import actor_display_name, actor_user
from giamngheo.registry.validation import Problems, add, raise_if_any, vn_date

WRITERS = {Role.PROVINCE.value, Role.COMMUNE.value, Role.ADMIN.value}
MAX_VALUE = Decimal("999999999999.99")  # max_digits=14, decimal_places=2

Entry = TypeVar("Entry", Target, ActualEntry)


class StaleEntryError(ValidationError):
    """The caller's copy is stale: the row in force is not the one it names."""

    def __init__(self, latest: Target | ActualEntry | None) -> None:
        self.latest = latest
        if latest is None:
            message = _("Chưa có số liệu nào cho kỳ này: không có gì để đính chính.")
        else:
            message = _(
                "Số liệu đã được %(who)s ghi lúc %(when)s (giá trị %(value)s) sau khi bạn mở: hãy xem lại rồi "
                "ghi đính chính."
            ) % {
                "who": latest.recorded_by_name,
                "when": timezone.localtime(latest.recorded_at).strftime("%H:%M %d/%m/%Y"),
                "value": latest.value,
            }
        super().__init__(message, code="stale")


@dataclass(frozen=True)
class PeriodKey:
    indicator: Indicator
    area: AdminUnit
    year: int
    month: int | None = None


def latest(model: type[Entry], key: PeriodKey) -> Entry | None:
    """The row in force of `key` (the end of its chain), or None."""
    return (
        model.objects.filter(indicator=key.indicator, area=key.area, year=key.year, month=key.month)
        .order_by("-recorded_at", "-id")
        .first()
    )


def _check_period(problems: Problems, year: int, month: int | None) -> None:
    if not 2000 <= year <= 2100:
        add(problems, "year", _("Năm phải từ 2000 đến 2100."))
    if month is not None and not 1 <= month <= 12:
        add(problems, "month", _("Tháng phải từ 1 đến 12."))


def _check_value(problems: Problems, indicator: Indicator, value: Any, name: str = "value") -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        add(problems, name, _("Giá trị phải là một số."))
        return None
    if not number.is_finite() or abs(number) > MAX_VALUE:
        add(problems, name, _("Giá trị phải là một số hữu hạn, không quá 12 chữ số phần nguyên."))
        return None
    if number != number.quantize(Decimal("0.01")):
        add(problems, name, _("Giá trị có nhiều nhất 2 chữ số thập phân."))
    if indicator.unit in WHOLE_UNITS and number != number.to_integral_value():
        add(problems, name, _("Chỉ tiêu tính bằng %(unit)s: giá trị phải là số nguyên.")
            % {"unit": indicator.get_unit_display()})  # fmt: skip
    if indicator.unit != Unit.POINTS and number < 0:
        add(problems, name, _("Giá trị không được âm."))
    if indicator.unit == Unit.PERCENT and number > 100:
        add(problems, name, _("Tỷ lệ không quá 100 %."))
    return number


def _chain(
    model: type[Entry], key: PeriodKey, expected_latest: int | None, reason: str, problems: Problems
) -> Entry | None:
    """The row the new one corrects (None for the first), after the stale-copy check."""
    in_force = latest(model, key)
    if (in_force.pk if in_force is not None else None) != expected_latest:
        raise StaleEntryError(in_force)
    if in_force is not None and not reason:
        add(problems, "reason", _("Nêu lý do đính chính số liệu đã ghi."))
    return in_force


def _lock(indicator: Indicator) -> Indicator:
    return Indicator.objects.select_for_update().get(pk=indicator.pk)


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    area: AdminUnit,
    year: int,
    value: Decimal | str | int,
    actor: Any,
    month: int | None = None,
    document_number: str = "",
    document_date: date | None = None,
    document_title: str = "",
    expected_latest: int | None = None,
    reason: str = "",
    today: date | None = None,
) -> Target:
    """Set `area`'s target for `indicator` in `year` (or `month` of it), from the plan or decision named; a
    correction of the target in force when `expected_latest` names it (with a reason)."""
    today = today or timezone.localdate()
    may_act(actor, area, WRITERS)
    indicator = _lock(indicator)
    problems: Problems = {}
    _check_period(problems, year, month)
    number = _check_value(problems, indicator, value)
    document_number, document_title, reason = document_number.strip(), document_title.strip(), reason.strip()
    if not indicator.active:
        add(problems, "indicator", _("Chỉ tiêu «%(name)s» không còn dùng.") % {"name": indicator.name})
    if document_date is not None and document_date > today:
        add(
            problems,
            "document_date",
            _("Ngày ban hành %(date)s chưa đến.") % {"date": vn_date(document_date)},
        )
    if not document_number and not document_title:
        add(problems, "document_number", _("Nêu kế hoạch hoặc quyết định giao chỉ tiêu (số hoặc trích yếu)."))
    corrects = _chain(Target, PeriodKey(indicator, area, year, month), expected_latest, reason, problems)
    raise_if_any(problems)
    assert number is not None  # a value that is not a number is among the problems
    return Target.objects.create(
        indicator=indicator, area=area, year=year, month=month, value=number, document_number=document_number,
        document_date=document_date, document_title=document_title, corrects=corrects, reason=reason,
        recorded_by=actor_user(actor), recorded_by_name=actor_display_name(actor), recorded_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def actual_record(
    *,
    indicator: Indicator,
    area: AdminUnit,
    year: int,
    value: Decimal | str | int,
    as_of: date,
    source_note: str,
    actor: Any,
    month: int | None = None,
    expected_latest: int | None = None,
    reason: str = "",
    today: date | None = None,
) -> ActualEntry:
    """Enter the actual of `indicator` in `area` for `year` (or `month` of it), as of a date and from a source; a
    correction of the entry in force when `expected_latest` names it (with a reason). An indicator computed from
    the system's data takes entries too: they count while the system has nothing to compute it from."""
    today = today or timezone.localdate()
    may_act(actor, area, WRITERS)
    indicator = _lock(indicator)
    problems: Problems = {}
    _check_period(problems, year, month)
    number = _check_value(problems, indicator, value)
    source_note, reason = source_note.strip(), reason.strip()
    if not indicator.active:
        add(problems, "indicator", _("Chỉ tiêu «%(name)s» không còn dùng.") % {"name": indicator.name})
    if not source_note:
        add(problems, "source_note", _("Nêu nguồn số liệu (báo cáo, văn bản, đơn vị cung cấp)."))
    if as_of > today:
        add(problems, "as_of", _("Ngày số liệu %(date)s chưa đến.") % {"date": vn_date(as_of)})
    elif 2000 <= year <= 2100 and as_of < date(year, month or 1, 1):
        add(problems, "as_of", _("Ngày số liệu %(date)s ở trước kỳ báo cáo.") % {"date": vn_date(as_of)})
    corrects = _chain(ActualEntry, PeriodKey(indicator, area, year, month), expected_latest, reason, problems)
    raise_if_any(problems)
    assert number is not None  # a value that is not a number is among the problems
    return ActualEntry.objects.create(
        indicator=indicator, area=area, year=year, month=month, value=number, as_of=as_of,
        source_note=source_note, corrects=corrects, reason=reason, recorded_by=actor_user(actor),
        recorded_by_name=actor_display_name(actor), recorded_at=timezone.now(),
    )  # fmt: skip
