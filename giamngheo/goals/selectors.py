"""Reads of targets and actuals for an area and a period: what the pages, the API and the year-end summary show.

The caller has already checked that the account may read the area's figures (`access.unit_for_stats`: the same
404 for a unit outside its area as for a missing one); these functions read one area and do not roll up. Targets
are set per area and do not add up — a province's target is the one the province set itself, never the sum of
its communes' — so `targets_for(province, year)` lists the province's own targets only. A computed actual is the
area's own figure (a province's poverty rate is computed over all its households); an entered one is the
figure entered for that area.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit
from giamngheo.goals.computations import Computed, Period, Ratio, computation_for
from giamngheo.goals.models import ActualEntry, Direction, Indicator, Obtained, Target, Unit


def format_value(value: Decimal, unit: str) -> str:
    """5.5 points -> "5,5 điểm phần trăm"; 825 persons -> "825 người"; 49 % -> "49 %" (Vietnamese separators)."""
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}".rstrip("0")
    whole, _dot, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-') or 0):,}".replace(",", ".")
    number = sign + grouped + ("," + fraction if fraction else "")
    label = Unit(unit).label if unit in Unit.values else unit
    return f"{number} {label}"


def comparator(direction: str) -> str:
    return "≥" if direction == Direction.HIGHER else "≤"


def wording(value: Decimal, unit: str, direction: str) -> str:
    """How the target reads: "từ 5,5 điểm phần trăm trở lên", "không quá 4.000 hộ"."""
    text = format_value(value, unit)
    if direction == Direction.HIGHER:
        return _("từ %(value)s trở lên") % {"value": text}
    return _("không quá %(value)s") % {"value": text}


@dataclass(frozen=True)
class TargetLine:
    indicator_code: str
    indicator_name: str
    unit: str
    unit_label: str
    direction: str
    value: Decimal
    comparator: str  # "≥" (higher is better) or "≤"
    wording: str  # "từ 5,5 điểm phần trăm trở lên"
    year: int
    month: int | None
    document_number: str
    document_date: date | None
    document_title: str
    source_decision: str  # the plan or decision, as one line ("" when none was named)
    target_id: int
    recorded_by_name: str
    recorded_at: datetime
    corrected: bool  # the line is a correction of an earlier target


@dataclass(frozen=True)
class Actual:
    value: Decimal
    source: str  # "computed" or "entered"
    source_label: str
    note: str  # where the figure comes from: the computation's note, or the entry's source note
    ratios: tuple[
        Ratio, ...
    ] = ()  # the rates behind a computed figure, each with its numerator and denominator
    as_of: date | None = None
    entry_id: int | None = None  # the entry in force (send it back to correct it)
    recorded_by_name: str = ""
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class ProgressLine:
    indicator: Indicator
    target: TargetLine | None
    actual: Actual | None
    met: bool | None  # None: no target or no actual
    missing: str  # why there is no actual ("" when there is one)
    latest_entry_id: int | None  # the entered figure in force, computed or not (for a correction)
    computed: Computed | None  # what the computation said, even when it had nothing to compute from

    @property
    def code(self) -> str:
        return self.indicator.code


def targets_in_force() -> QuerySet[Target]:
    """The targets no later row corrects: the end of each period's chain."""
    return Target.objects.exclude(Exists(Target.objects.filter(corrects=OuterRef("pk"))))


def entries_in_force() -> QuerySet[ActualEntry]:
    """The entered actuals no later row corrects."""
    return ActualEntry.objects.exclude(Exists(ActualEntry.objects.filter(corrects=OuterRef("pk"))))


def document_line(target: Target) -> str:
    parts = []
    if target.document_number:
        parts.append(target.document_number)
    if target.document_date is not None:
        parts.append(_("ngày %(date)s") % {"date": f"{target.document_date:%d/%m/%Y}"})
    line = " ".join(parts)
    if target.document_title:
        line = f"{line} — {target.document_title}" if line else target.document_title
    return line


def target_line(target: Target) -> TargetLine:
    indicator = target.indicator
    return TargetLine(
        indicator_code=indicator.code,
        indicator_name=indicator.name,
        unit=indicator.unit,
        unit_label=indicator.get_unit_display(),
        direction=indicator.direction,
        value=target.value,
        comparator=comparator(indicator.direction),
        wording=wording(target.value, indicator.unit, indicator.direction),
        year=target.year,
        month=target.month,
        document_number=target.document_number,
        document_date=target.document_date,
        document_title=target.document_title,
        source_decision=document_line(target),
        target_id=target.pk,
        recorded_by_name=target.recorded_by_name,
        recorded_at=target.recorded_at,
        corrected=target.corrects_id is not None,
    )


def targets_for(area: AdminUnit, year: int, month: int | None = None) -> list[TargetLine]:
    """The targets `area` set itself for `year` (or `month` of it), in the indicators' order. Not rolled up: a
    province's targets are its own (module docstring)."""
    rows = (
        targets_in_force()
        .filter(area=area, year=year, month=month, indicator__active=True)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__code")
    )
    return [target_line(row) for row in rows]


def entries_for(area: AdminUnit, year: int, month: int | None = None) -> dict[int, ActualEntry]:
    """The entered actuals in force of `area` for the period, by indicator id."""
    rows = entries_in_force().filter(area=area, year=year, month=month)
    return {row.indicator_id: row for row in rows}


def is_met(direction: str, target: Decimal, actual: Decimal) -> bool:
    """Higher is better: met when the actual is not below the target; lower is better: not above it."""
    return actual >= target if direction == Direction.HIGHER else actual <= target


def _entered(entry: ActualEntry, note: str = "") -> Actual:
    return Actual(
        value=entry.value,
        source=Obtained.ENTERED,
        source_label=str(Obtained.ENTERED.label),
        note=f"{entry.source_note} {note}".strip(),
        as_of=entry.as_of,
        entry_id=entry.pk,
        recorded_by_name=entry.recorded_by_name,
        recorded_at=entry.recorded_at,
    )


def progress(
    area: AdminUnit, year: int, month: int | None = None, indicators: Iterable[Indicator] | None = None
) -> list[ProgressLine]:
    """For each active indicator (or those given): the area's target for the period, the actual — computed where
    the indicator is computed and the system has the data, else the latest entered figure, else none — with its
    source, and whether the target is met given the indicator's direction."""
    chosen = list(indicators) if indicators is not None else list(Indicator.objects.filter(active=True))
    targets = {
        row.indicator_id: row
        for row in targets_in_force().filter(area=area, year=year, month=month).select_related("indicator")
    }
    entries = entries_for(area, year, month)
    asked = Period(area=area, year=year, month=month)
    lines = []
    for indicator in chosen:
        target = targets.get(indicator.pk)
        entry = entries.get(indicator.pk)
        computation = computation_for(indicator.code) if indicator.obtained == Obtained.COMPUTED else None
        computed = computation(asked) if computation is not None else None
        actual: Actual | None = None
        missing = ""
        if computed is not None and computed.value is not None:
            actual = Actual(
                value=computed.value,
                source=Obtained.COMPUTED,
                source_label=str(Obtained.COMPUTED.label),
                note=computed.note,
                ratios=computed.ratios,
            )
        elif entry is not None:
            fallback = computed.note if computed is not None else ""
            actual = _entered(entry, _("(Không tính được: %(why)s)") % {"why": fallback} if fallback else "")
        elif computed is not None:
            missing = computed.note
        elif indicator.obtained == Obtained.COMPUTED:
            missing = _("Phần mềm chưa có phép tính cho chỉ tiêu này; hãy nhập số thực hiện.")
        else:
            missing = _("Chưa nhập số thực hiện.")
        met = None
        if target is not None and actual is not None:
            met = is_met(indicator.direction, target.value, actual.value)
        lines.append(
            ProgressLine(
                indicator=indicator,
                target=target_line(target) if target is not None else None,
                actual=actual,
                met=met,
                missing=missing,
                latest_entry_id=entry.pk if entry is not None else None,
                computed=computed,
            )
        )
    return lines


def dashboard_progress(area: AdminUnit, year: int) -> list[ProgressLine]:
    """`progress` of the indicators the area has a target or an entered actual for in `year` (whole year): the
    dashboard's small section, which computes nothing the area has not set itself a target for."""
    ids = set(
        targets_in_force().filter(area=area, year=year, month=None).values_list("indicator_id", flat=True)
    )
    ids |= set(
        entries_in_force().filter(area=area, year=year, month=None).values_list("indicator_id", flat=True)
    )
    if not ids:
        return []
    return progress(area, year, indicators=Indicator.objects.filter(pk__in=sorted(ids), active=True))
