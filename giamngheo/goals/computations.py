"""Computed actuals: a registry of computations keyed by indicator code, to which any app may add its own.

A computation takes the area and the period (`Period`) and returns a `Computed`: the value, the rates behind it
each with its numerator and denominator (a rate is never given without them), and a note on where it comes from.
It returns a `Computed` with value None, saying why, when the system holds no data to compute it from; the
progress then falls back on an entered figure (`selectors.progress`).

Another app registers its own in its `AppConfig.ready()` (the credit app, for the loans to eligible poor
households):

    from giamngheo.goals.computations import register
    register("loans_eligible_poor", loans_actual)

and a data migration switches that indicator to "computed" (`Indicator.obtained`).

The built-in ones read the official results (`decisions.reports.results_report`, form 1): the lists in force at
the end of the period against the households resident that day. A year's poverty-rate reduction is the rate at
the end of the previous year minus the rate at the end of this one, both rounded as published (domain.md §10:
39,69 % − 33,78 % = 5,91 points).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.decisions.models import Decision
from giamngheo.decisions.reports import Report, approval_note, period, results_report


@dataclass(frozen=True)
class Ratio:
    """A rate with what it is made of: `numerator` of `denominator`, in percent (None: no denominator)."""

    label: str
    numerator: int
    denominator: int
    rate: Decimal | None


@dataclass(frozen=True)
class Computed:
    value: Decimal | None  # None: nothing to compute from (`note` says why)
    note: str
    ratios: tuple[Ratio, ...] = ()


@dataclass
class Period:
    """The area and period a computation is asked about; `memo` is shared by the computations of one progress
    call, so that two indicators read from the same report build it once."""

    area: AdminUnit
    year: int
    month: int | None = None
    memo: dict[Any, Any] = field(default_factory=dict)

    def previous(self) -> tuple[int, int | None]:
        """The period before this one: the previous year, or the previous month."""
        if self.month is None:
            return self.year - 1, None
        return (self.year - 1, 12) if self.month == 1 else (self.year, self.month - 1)


Computation = Callable[[Period], Computed]

_REGISTRY: dict[str, Computation] = {}


def register(code: str, computation: Computation | None = None) -> Any:
    """Register `computation` for the indicator `code` (also usable as a decorator: `@register("code")`). A code
    registered twice is a programming error."""

    def add(function: Computation) -> Computation:
        if code in _REGISTRY and _REGISTRY[code] is not function:
            raise ValueError(f"a computation is already registered for indicator {code!r}")
        _REGISTRY[code] = function
        return function

    return add(computation) if computation is not None else add


def unregister(code: str) -> None:
    """Remove the computation of `code` (tests; an app that replaces one)."""
    _REGISTRY.pop(code, None)


def computation_for(code: str) -> Computation | None:
    return _REGISTRY.get(code)


def registered_codes() -> frozenset[str]:
    return frozenset(_REGISTRY)


# The official results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Results:
    """The poor households and the resident households of the lists in force at the end of a period."""

    end: date
    households: int
    poor: int
    rate: Decimal | None
    approved: bool


def _results(period_: Period, year: int, month: int | None) -> Results | None:
    """The official results at the end of (year, month) for the area, or None when no decision of a commune of
    the area took effect within that period (the lists were not decided for it)."""
    key = ("results", period_.area.pk, year, month)
    if key not in period_.memo:
        start, end, _label = period(year, month)
        communes = period_.memo.setdefault(("communes", period_.area.pk), commune_ids_within(period_.area))
        decided = Decision.objects.filter(
            commune_id__in=sorted(communes), effective_from__gt=start, effective_from__lte=end
        ).exists()
        found: Results | None = None
        if decided:
            report: Report = results_report(period_.area, year, month)
            total = report.total.values
            households, poor = int(total[1] or 0), int(total[3] or 0)
            rate = total[4] if isinstance(total[4], Decimal) else None
            found = Results(end, households, poor, rate, report.approved)
        period_.memo[key] = found
    result: Results | None = period_.memo[key]
    return result


def _period_label(year: int, month: int | None) -> str:
    return period(year, month)[2]


def _not_decided(year: int, month: int | None) -> Computed:
    return Computed(
        None,
        _("Chưa có kết quả chính thức (quyết định công nhận có hiệu lực trong kỳ) của %(period)s.")
        % {"period": _period_label(year, month).lower()},
    )


def _ratio(label: str, results: Results) -> Ratio:
    return Ratio(label, results.poor, results.households, results.rate)


@register("poor_households")
def poor_households(period_: Period) -> Computed:
    """The poor households on the lists in force at the end of the period."""
    now = _results(period_, period_.year, period_.month)
    if now is None:
        return _not_decided(period_.year, period_.month)
    note = _("Kết quả chính thức (biểu 1), danh sách có hiệu lực ngày %(end)s. %(approval)s") % {
        "end": f"{now.end:%d/%m/%Y}",
        "approval": approval_note(now.approved),
    }
    return Computed(Decimal(now.poor), note, (_ratio(_("Tỷ lệ hộ nghèo cuối kỳ"), now),))


@register("poverty_rate")
def poverty_rate(period_: Period) -> Computed:
    """The poverty rate (poor over resident households) at the end of the period."""
    now = _results(period_, period_.year, period_.month)
    if now is None:
        return _not_decided(period_.year, period_.month)
    if now.rate is None:
        return Computed(None, _("Địa bàn không có hộ dân cư nào (mẫu số bằng 0)."), (_ratio("", now),))
    note = _("Kết quả chính thức (biểu 1), danh sách có hiệu lực ngày %(end)s. %(approval)s") % {
        "end": f"{now.end:%d/%m/%Y}",
        "approval": approval_note(now.approved),
    }
    return Computed(now.rate, note, (_ratio(_("Tỷ lệ hộ nghèo cuối kỳ"), now),))


@register("poverty_rate_reduction")
def poverty_rate_reduction(period_: Period) -> Computed:
    """The rate at the end of the previous period minus the rate at the end of this one (a fall is positive)."""
    before_year, before_month = period_.previous()
    before = _results(period_, before_year, before_month)
    now = _results(period_, period_.year, period_.month)
    if before is None:
        return _not_decided(before_year, before_month)
    if now is None:
        return _not_decided(period_.year, period_.month)
    ratios = (_ratio(_("Tỷ lệ hộ nghèo đầu kỳ"), before), _ratio(_("Tỷ lệ hộ nghèo cuối kỳ"), now))
    if before.rate is None or now.rate is None:
        return Computed(None, _("Địa bàn không có hộ dân cư nào (mẫu số bằng 0)."), ratios)
    note = _(
        "Tỷ lệ hộ nghèo theo danh sách có hiệu lực ngày %(start)s trừ tỷ lệ theo danh sách có hiệu lực ngày "
        "%(end)s (kết quả chính thức, biểu 1). %(approval)s"
    ) % {
        "start": f"{before.end:%d/%m/%Y}",
        "end": f"{now.end:%d/%m/%Y}",
        "approval": approval_note(before.approved and now.approved),
    }
    return Computed(before.rate - now.rate, note, ratios)
