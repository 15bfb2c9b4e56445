"""Reads of the programme ledger: an allocation's state, and the roll-ups of an area and a year.

An area's money is every allocation made to a unit lying within it (`unit_ids_within`): the area itself, its
communes (legacy and new, `areas.selectors.commune_ids_within`) and the districts and provinces all of whose
communes lie within it. So a province sums its communes (and its own province-level allocations); a legacy district
its legacy communes; a new province also the legacy districts whose communes all went to it (the historical and the
current hierarchy give the same money). Each allocation row counts once, whatever way it is split.

Figures of a year (`models` says how carry-over is counted):
- allocated: original allocations of the year and their adjustments (new money);
- carried in: allocations moved from the year before (not new money, not counted again as allocated);
- disbursed: disbursements (reversals included, negative) paid from any allocation of the year;
- carried out: the remainders of the year's allocations moved to the next year.
The disbursement rate is disbursed / (allocated + carried in), always with both numbers; None when nothing was
available. Each figure has its rows (`allocation_rows`, `disbursement_rows`, `carried_out_rows`, `rows_behind`):
the totals are sums over exactly those querysets.

`funds_summary(area, year)` is the stable interface of the year-end report.
"""

from __future__ import annotations

import enum
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from giamngheo.areas.models import AdminUnit, UnitLevel
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.lib.formatting import round_half_up
from giamngheo.programme.models import (
    Allocation,
    AllocationKind,
    CapitalType,
    Disbursement,
    FundingSource,
    ItemKind,
    ProgrammeItem,
)
from giamngheo.reviews.stats import area_label

_LEVEL_ORDER: dict[str, int] = {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2}


# Areas -----------------------------------------------------------------------------------------------------------


def units_covered(commune_ids: Iterable[int]) -> set[int]:
    """Ids of the units (communes, districts, provinces) all of whose communes are among `commune_ids`: the
    communes themselves and the parents and grandparents whose communes all are."""
    communes = set(commune_ids)
    found = set(communes)
    candidates: set[int] = set()
    for parent, grandparent in AdminUnit.objects.filter(pk__in=sorted(communes)).values_list(
        "parent_id", "parent__parent_id"
    ):
        candidates.update(unit for unit in (parent, grandparent) if unit is not None)
    for unit in AdminUnit.objects.filter(pk__in=sorted(candidates)):
        inside = commune_ids_within(unit)
        if inside and inside <= communes:
            found.add(unit.pk)
    return found


def unit_ids_within(area: AdminUnit) -> set[int]:
    """Ids of the units whose allocations an area's figures count (module docstring)."""
    return units_covered(commune_ids_within(area)) | {area.pk}


# One allocation --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllocationState:
    """Where an allocation stands. `amount`: the original (or carried-in) amount with its adjustments; `version`:
    how many entries were recorded against it (a caller's copy is stale when it differs)."""

    amount: int
    disbursed: int
    carried_out: int
    version: int

    @property
    def remaining(self) -> int:
        return self.amount - self.disbursed - self.carried_out

    @property
    def closed(self) -> bool:
        """Its remainder was carried over: it takes no more entries."""
        return self.carried_out > 0


def allocation_state(allocation: Allocation) -> AllocationState:
    """The state of `allocation` (an adjustment row gives the state of the allocation it adjusts). Three queries."""
    head = allocation.head_id
    adjustments = Allocation.objects.filter(adjusts_id=head).aggregate(total=Sum("amount"), n=Count("id"))
    base = Allocation.objects.filter(pk=head).values_list("amount", flat=True).get()
    disbursed = Disbursement.objects.filter(allocation_id=head).aggregate(total=Sum("amount"), n=Count("id"))
    carried = Allocation.objects.filter(carried_from_id=head).values_list("amount", flat=True).first()
    return AllocationState(
        amount=base + (adjustments["total"] or 0),
        disbursed=disbursed["total"] or 0,
        carried_out=carried or 0,
        version=adjustments["n"] + disbursed["n"] + (1 if carried is not None else 0),
    )


def allocation_states(heads: Iterable[int]) -> dict[int, AllocationState]:
    """`allocation_state` of many allocations (original or carried-in ids) in four queries."""
    ids = sorted(set(heads))
    base = dict(Allocation.objects.filter(pk__in=ids).values_list("pk", "amount"))
    adjust: dict[int, tuple[int, int]] = {
        row["adjusts_id"]: (row["total"], row["n"])
        for row in Allocation.objects.filter(adjusts_id__in=ids)
        .values("adjusts_id")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by()
    }
    paid: dict[int, tuple[int, int]] = {
        row["allocation_id"]: (row["total"], row["n"])
        for row in Disbursement.objects.filter(allocation_id__in=ids)
        .values("allocation_id")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by()
    }
    carried = dict(
        Allocation.objects.filter(carried_from_id__in=ids).values_list("carried_from_id", "amount")
    )
    states = {}
    for pk in ids:
        if pk not in base:
            continue
        adjusted, n_adjust = adjust.get(pk, (0, 0))
        disbursed, n_paid = paid.get(pk, (0, 0))
        states[pk] = AllocationState(
            amount=base[pk] + adjusted,
            disbursed=disbursed,
            carried_out=carried.get(pk, 0),
            version=n_adjust + n_paid + (1 if pk in carried else 0),
        )
    return states


# Roll-ups --------------------------------------------------------------------------------------------------------


class Measure(enum.StrEnum):
    ALLOCATED = "allocated"
    CARRIED_IN = "carried_in"
    DISBURSED = "disbursed"
    CARRIED_OUT = "carried_out"


class Dimension(enum.StrEnum):
    PROJECT = "project"  # the project an item belongs to (a sub-project's parent project)
    ITEM = "item"  # the project or sub-project as entered
    CAPITAL_TYPE = "capital_type"
    SOURCE = "source"
    AREA = "area"  # the unit the money was allocated to


@dataclass(frozen=True)
class Figure:
    """One line of a breakdown: `pk` is the item's, capital type's, source's or unit's id (what `rows_behind`
    takes), `code` its code, `label` its name (a capital type's name as the year's documents call it)."""

    pk: int
    code: str
    label: str
    amount: int


@dataclass(frozen=True)
class Breakdown:
    """A total and its splits; each split adds up to the total."""

    total: int
    by_project: tuple[Figure, ...]
    by_item: tuple[Figure, ...]
    by_capital_type: tuple[Figure, ...]
    by_source: tuple[Figure, ...]
    by_area: tuple[Figure, ...]

    def split(self, dimension: Dimension) -> tuple[Figure, ...]:
        return {
            Dimension.PROJECT: self.by_project,
            Dimension.ITEM: self.by_item,
            Dimension.CAPITAL_TYPE: self.by_capital_type,
            Dimension.SOURCE: self.by_source,
            Dimension.AREA: self.by_area,
        }[dimension]


@dataclass(frozen=True)
class Rate:
    """A rate that is never shown without what it divides: `value` is None when the denominator is 0."""

    numerator: int
    denominator: int

    @property
    def value(self) -> Decimal | None:
        if self.denominator == 0:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)

    @property
    def percent(self) -> Decimal | None:
        """The rate in per cent, two decimals, rounded half up."""
        value = self.value
        return None if value is None else round_half_up(value * 100, 2)


@dataclass(frozen=True)
class FundsSummary:
    """The money of `area` in `year` (module docstring)."""

    area: AdminUnit
    year: int
    allocated: Breakdown
    carried_in: Breakdown
    disbursed: Breakdown
    carried_out: Breakdown
    disbursement_rate: Rate

    @property
    def available(self) -> int:
        """What could be spent in the year: the year's allocations and what was carried in."""
        return self.allocated.total + self.carried_in.total

    def breakdown(self, measure: Measure) -> Breakdown:
        return {
            Measure.ALLOCATED: self.allocated,
            Measure.CARRIED_IN: self.carried_in,
            Measure.DISBURSED: self.disbursed,
            Measure.CARRIED_OUT: self.carried_out,
        }[measure]


def _year_allocations(area: AdminUnit, year: int) -> QuerySet[Allocation]:
    return Allocation.objects.filter(year=year, area_id__in=sorted(unit_ids_within(area)))


def _heads_kind_q(kind: AllocationKind, prefix: str = "") -> Q:
    """Rows of allocations whose head (the allocation itself, or the one an adjustment adjusts) is of `kind`."""
    return Q(**{f"{prefix}kind": kind}) | Q(**{f"{prefix}kind": AllocationKind.ADJUSTMENT,
                                             f"{prefix}adjusts__kind": kind})  # fmt: skip


def _dimension_q(dimension: Dimension | None, pk: int | None, prefix: str = "") -> Q:
    if dimension is None or pk is None:
        return Q()
    if dimension == Dimension.PROJECT:
        return Q(**{f"{prefix}item_id__in": sorted(_project_items(pk))})
    field = {
        Dimension.ITEM: "item_id",
        Dimension.CAPITAL_TYPE: "capital_type_id",
        Dimension.SOURCE: "source_id",
        Dimension.AREA: "area_id",
    }[dimension]
    return Q(**{f"{prefix}{field}": pk})


def allocation_rows(
    area: AdminUnit,
    year: int,
    *,
    carried_in: bool = False,
    dimension: Dimension | None = None,
    pk: int | None = None,
) -> QuerySet[Allocation]:
    """The rows behind an allocated figure (`carried_in`: behind a carried-in one) of `area` and `year`, for the
    line `pk` of `dimension` (all the rows of the total when None)."""
    kind = AllocationKind.CARRIED_IN if carried_in else AllocationKind.ORIGINAL
    return (
        _year_allocations(area, year)
        .filter(_heads_kind_q(kind))
        .filter(_dimension_q(dimension, pk))
        .select_related("area", "item", "capital_type", "source")
        .order_by("item__code", "area__level", "area__code", "id")
    )


def disbursement_rows(
    area: AdminUnit, year: int, *, dimension: Dimension | None = None, pk: int | None = None
) -> QuerySet[Disbursement]:
    """The disbursements behind a disbursed figure: those paid from the year's allocations of `area`."""
    return (
        Disbursement.objects.filter(
            allocation__year=year, allocation__area_id__in=sorted(unit_ids_within(area))
        )
        .filter(_dimension_q(dimension, pk, "allocation__"))
        .select_related("allocation__item", "allocation__area")
        .order_by("paid_on", "id")
    )


def carried_out_rows(
    area: AdminUnit, year: int, *, dimension: Dimension | None = None, pk: int | None = None
) -> QuerySet[Allocation]:
    """The allocations of `year` + 1 that carry over the remainders of `area`'s allocations of `year` (the same
    area, item, capital type and source as their origin)."""
    return (
        Allocation.objects.filter(
            kind=AllocationKind.CARRIED_IN,
            carried_from__year=year,
            area_id__in=sorted(unit_ids_within(area)),
        )
        .filter(_dimension_q(dimension, pk))
        .select_related("area", "item", "capital_type", "source", "carried_from")
        .order_by("item__code", "area__level", "area__code", "id")
    )


def rows_behind(
    area: AdminUnit, year: int, measure: Measure, dimension: Dimension | None = None, pk: int | None = None
) -> QuerySet[Any]:
    """The rows a figure of `funds_summary(area, year)` adds up: allocations, or disbursements for DISBURSED."""
    if measure == Measure.DISBURSED:
        return disbursement_rows(area, year, dimension=dimension, pk=pk)
    if measure == Measure.CARRIED_OUT:
        return carried_out_rows(area, year, dimension=dimension, pk=pk)
    return allocation_rows(area, year, carried_in=measure == Measure.CARRIED_IN, dimension=dimension, pk=pk)


def _project_items(project_pk: int) -> set[int]:
    """The item and everything beneath it."""
    found = {project_pk}
    frontier = {project_pk}
    while frontier:
        frontier = (
            set(ProgrammeItem.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return found


def _natural(code: str) -> tuple[Any, ...]:
    """'DA10' after 'DA2': codes compared with their numbers as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def _project_of(items: dict[int, ProgrammeItem], pk: int) -> ProgrammeItem:
    """The project an item counts under: its nearest ancestor (or itself) that is a project, else its top."""
    item = items[pk]
    current: ProgrammeItem | None = item
    while current is not None:
        if current.kind == ItemKind.PROJECT:
            return current
        if current.parent_id is None:
            return current
        current = items.get(current.parent_id)
    return item


def _breakdown(rows: list[tuple[int, int, int, int, int]], year: int) -> Breakdown:
    """Rows of (item, capital type, source, area, amount) summed every way."""
    by: dict[str, dict[int, int]] = {name: defaultdict(int) for name in ("item", "capital", "source", "area")}
    total = 0
    for item, capital, source, area, amount in rows:
        total += amount
        by["item"][item] += amount
        by["capital"][capital] += amount
        by["source"][source] += amount
        by["area"][area] += amount
    items = {item.pk: item for item in ProgrammeItem.objects.all()} if rows else {}
    projects: dict[int, int] = defaultdict(int)
    for item, amount in by["item"].items():
        projects[_project_of(items, item).pk] += amount

    def item_figures(amounts: dict[int, int]) -> tuple[Figure, ...]:
        lines = [Figure(pk, items[pk].code, items[pk].name, amount) for pk, amount in amounts.items()]
        return tuple(sorted(lines, key=lambda f: (items[f.pk].programme_id, _natural(f.code))))

    capitals = CapitalType.objects.prefetch_related("labels").in_bulk(list(by["capital"]))
    sources = FundingSource.objects.in_bulk(list(by["source"]))
    units = AdminUnit.objects.in_bulk(list(by["area"]))
    return Breakdown(
        total=total,
        by_project=item_figures(projects),
        by_item=item_figures(by["item"]),
        by_capital_type=tuple(
            Figure(pk, capitals[pk].code, capitals[pk].label_for(year), amount)
            for pk, amount in sorted(by["capital"].items(), key=lambda i: (capitals[i[0]].position, capitals[i[0]].code))
        ),
        by_source=tuple(
            Figure(pk, sources[pk].code, sources[pk].name, amount)
            for pk, amount in sorted(by["source"].items(), key=lambda i: (sources[i[0]].position, sources[i[0]].code))
        ),
        by_area=tuple(
            Figure(pk, units[pk].code, area_label(units[pk]), amount)
            for pk, amount in sorted(
                by["area"].items(), key=lambda i: (_LEVEL_ORDER.get(units[i[0]].level, 9), units[i[0]].code, i[0])
            )
        ),
    )  # fmt: skip


_ALLOCATION_FIELDS = ("item_id", "capital_type_id", "source_id", "area_id", "amount")
_DISBURSEMENT_FIELDS = (*(f"allocation__{name}" for name in _ALLOCATION_FIELDS[:-1]), "amount")


def funds_summary(area: AdminUnit, year: int) -> FundsSummary:
    """The money of `area` in `year`: allocated, carried in, disbursed and carried out, each with its total and its
    splits by project, item, capital type, source and area, and the disbursement rate. Each figure is the sum of
    `rows_behind(area, year, measure, dimension, pk)`."""

    def of(queryset: QuerySet[Any], fields: tuple[str, ...]) -> Breakdown:
        return _breakdown(list(queryset.order_by().values_list(*fields)), year)

    allocated = of(allocation_rows(area, year), _ALLOCATION_FIELDS)
    carried_in = of(allocation_rows(area, year, carried_in=True), _ALLOCATION_FIELDS)
    disbursed = of(disbursement_rows(area, year), _DISBURSEMENT_FIELDS)
    carried_out = of(carried_out_rows(area, year), _ALLOCATION_FIELDS)
    return FundsSummary(
        area=area,
        year=year,
        allocated=allocated,
        carried_in=carried_in,
        disbursed=disbursed,
        carried_out=carried_out,
        disbursement_rate=Rate(disbursed.total, allocated.total + carried_in.total),
    )
