"""The overview's figures: poverty figures of an area for the latest year with a periodic review, per commune and
in total, with the change from the previous year, and the latest review. The area is one the caller already
checked against the user's (`accounts.access.unit_communes_for_stats`); `web.dashboard` is the page.

Figures follow `reviews.stats` exactly: the households of year Y are the assessments of the periodic reviews of
year Y whose commune lies within the area (`areas.selectors.commune_ids_within`), one per household, with the same
rates (`YearFigures`, half-up percentages) and changes (`AreaStats`). The per-commune figures come from one
aggregate grouped by commune per year, and the area's totals are their sum (tests check them against
`area_stats`): asking `area_stats` as well would read the same assessments again. When a year has a single
periodic review (the usual case) no household can be counted twice, so the aggregate reads that review's rows
through the (review, commune) index without the per-row "no later assessment" test that
`reviews.stats` applies for years with several periodic reviews: about 200 ms instead of 900 ms for a province
of 100,000 households.

The page asks `cached_dashboard`, which keeps a built overview in Django's cache (Redis when configured) for as
long as the data under it stands: the key carries the newest assessment, survey-result event and review (every
assessment written, corrected or re-recorded writes a household event in the same transaction,
`reviews.services._record`) and the territory generation (`areas.territory_cache`), so a survey recorded a moment
ago shows at once; `OVERVIEW_CACHE_SECONDS` bounds what no key can see (an administrator renaming a review).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit, UnitLevel, UnitSuccession, Village
from giamngheo.areas.selectors import ancestor_at, commune_ids_within, default_successor
from giamngheo.areas.territory_cache import territory_generation
from giamngheo.registry.models import EventKind, HouseholdEvent
from giamngheo.reviews.models import Assessment, PovertyClass, Review, ReviewKind
from giamngheo.reviews.stats import (
    AreaStats,
    YearFigures,
    area_label,
    figures_from_counts,
    periodic_assessments,
)


def _year_assessments(year: int, commune_ids: set[int], periodic_reviews: list[int]) -> QuerySet[Assessment]:
    """The assessments counted for `year` (see the module docstring for the single-review shortcut)."""
    return periodic_assessments(year, commune_ids, periodic_reviews)


def commune_counts(
    year: int, commune_ids: set[int], periodic_reviews: list[int], *, today_holder: TodayHolder | None = None
) -> dict[int, tuple[set[str], dict[str, int]]]:
    """{commune id: (standards, {class: households})} for `year`, in one query grouped by commune (and by village
    when `today_holder` regroups the rows into the communes that hold them today)."""
    classes = (PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.MIDDLE, PovertyClass.NOT_POOR)
    keys = ("commune_id", "village_id") if today_holder is not None else ("commune_id",)
    rows = (
        _year_assessments(year, commune_ids, periodic_reviews)
        .order_by()
        .values(*keys, "standard_id")
        .annotate(**{value: Count("id", filter=Q(poverty_class=value)) for value in classes})
        .values_list(*keys, "standard_id", *classes)
    )
    found: dict[int, tuple[set[str], dict[str, int]]] = {}
    for row in rows:
        place, (standard_id, *numbers) = row[: len(keys)], row[len(keys) :]
        commune_id = place[0] if today_holder is None else today_holder(place[0], place[1])
        if commune_id is None:
            continue
        standards, counts = found.setdefault(commune_id, (set(), {}))
        standards.add(standard_id)
        for value, number in zip(classes, numbers, strict=True):
            counts[value] = counts.get(value, 0) + number
    return found


class TodayHolder:
    """The commune of `unit` that holds a (commune, village) today, or None when that territory went elsewhere.

    A commune still valid holds itself; a legacy commune's village is held by the commune it belongs to today
    (`Village.commune`, set by the 2025 reform); a legacy commune's row without a village goes to the commune's
    default successor. Loaded in two queries for all the communes of an area, then answered from memory."""

    def __init__(self, unit: AdminUnit, commune_ids: set[int], today: date) -> None:
        units = AdminUnit.objects.in_bulk(commune_ids)
        self.valid = {pk for pk, commune in units.items() if commune.is_valid_on(today)}
        self.successor = dict(
            UnitSuccession.objects.filter(
                predecessor_id__in=set(units) - self.valid, is_default=True
            ).values_list("predecessor_id", "successor_id")
        )
        self.village_holder = dict(
            Village.objects.filter(legacy_commune_id__in=set(units) - self.valid).values_list(
                "pk", "commune_id"
            )
        )
        self.inside = {pk for pk in self.valid if pk == unit.pk or units[pk].parent_id == unit.pk}

    def __call__(self, commune_id: int, village_id: int | None) -> int | None:
        holder: int | None
        if commune_id in self.valid:
            holder = commune_id
        elif village_id is not None and village_id in self.village_holder:
            holder = self.village_holder[village_id]
        else:
            holder = self.successor.get(commune_id)
        return holder if holder in self.inside else None


@dataclass(frozen=True)
class CommuneFigures:
    commune: AdminUnit
    current: YearFigures
    previous: YearFigures | None

    @property
    def stats(self) -> AreaStats:
        """The same figures as an `AreaStats` (its change in households and in points)."""
        return AreaStats(unit=self.commune, current=self.current, previous=self.previous)

    @property
    def label(self) -> str:
        return area_label(self.commune)


@dataclass(frozen=True)
class Dashboard:
    unit: AdminUnit | None
    year: int | None = None
    years: tuple[int, ...] = ()
    totals: AreaStats | None = None
    communes: tuple[CommuneFigures, ...] = ()
    latest_review: Review | None = None
    latest_review_assessments: int = 0

    def chart(self) -> dict[str, Any]:
        """The chart's data (passed to dashboard.js as JSON): rates and counts per commune."""
        rows = [row for row in self.communes if row.current.total_households]
        return {
            "year": self.year,
            "communes": [row.commune.name for row in rows],
            "poor_rate": [_number(row.current.poverty_rate) for row in rows],
            "near_poor_rate": [_number(row.current.near_poor_rate) for row in rows],
            "poor": [row.current.poor_households for row in rows],
            "near_poor": [row.current.near_poor_households for row in rows],
            "total": [row.current.total_households for row in rows],
            "labels": {
                "poor": _("Hộ nghèo"),
                "near_poor": _("Hộ cận nghèo"),
                "rate": _("Tỷ lệ (%)"),
                "households": _("hộ"),
                "of": _("trên"),
            },
        }


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def build_dashboard(
    unit: AdminUnit,
    *,
    year: int | None = None,
    commune_ids: set[int] | None = None,
    by_today: bool = False,
    today: date | None = None,
) -> Dashboard:
    """Figures of `unit` (already checked against the user's area) for `year`, by default the latest year with a
    periodic review in it. A fixed number of queries: the communes of the unit, the reviews with assessments in
    them, the periodic reviews of the two years, one grouped aggregate per year, the communes' rows and the
    latest review's assessment count. `commune_ids`: `commune_ids_within(unit)` when the caller has it.
    `by_today`: one row per commune of `unit` as it is today (a post-2025 unit), the assessments' legacy communes
    regrouped into them (`TodayHolder`); territory of a legacy commune that went to another unit is left out."""
    commune_ids = commune_ids_within(unit) if commune_ids is None else commune_ids
    if not commune_ids:
        return Dashboard(unit=unit)
    in_area = Assessment.objects.filter(review=OuterRef("pk"), commune_id__in=sorted(commune_ids))
    reviews = list(
        Review.objects.filter(Exists(in_area)).select_related("standard").order_by("-reference_date", "-pk")
    )
    years = tuple(sorted({r.year for r in reviews if r.kind == ReviewKind.PERIODIC}, reverse=True))
    if not years:
        return Dashboard(unit=unit, latest_review=reviews[0] if reviews else None)
    year = year if year in years else years[0]
    periodic: dict[int, list[int]] = {year: [], year - 1: []}
    for review_year, review_id in (
        Review.objects.filter(kind=ReviewKind.PERIODIC, year__in=[year, year - 1])
        .order_by()
        .values_list("year", "pk")
    ):
        periodic[review_year].append(review_id)
    holder = TodayHolder(unit, commune_ids, today or timezone.localdate()) if by_today else None
    current = commune_counts(year, commune_ids, periodic[year], today_holder=holder)
    previous = (
        commune_counts(year - 1, commune_ids, periodic[year - 1], today_holder=holder)
        if year - 1 in years
        else {}
    )
    units = AdminUnit.objects.in_bulk(set(current) | set(previous))
    rows = []
    for commune_id in sorted(units, key=lambda pk: (units[pk].code, units[pk].valid_from or date.min, pk)):
        standards, counts = current.get(commune_id, (set(), {}))
        before = previous.get(commune_id)
        rows.append(
            CommuneFigures(
                commune=units[commune_id],
                current=figures_from_counts(year, standards, counts),
                previous=figures_from_counts(year - 1, *before) if before else None,
            )
        )
    totals = AreaStats(
        unit=unit,
        current=_sum_figures(year, current.values()),
        previous=_sum_figures(year - 1, previous.values()) if previous else None,
    )
    latest = reviews[0]
    return Dashboard(
        unit=unit,
        year=year,
        years=years,
        totals=totals,
        communes=tuple(rows),
        latest_review=latest,
        latest_review_assessments=Assessment.objects.filter(
            review=latest, commune_id__in=sorted(commune_ids)
        ).count(),
    )


def data_stamp() -> tuple[int, int, int]:
    """The newest assessment, survey-result event and review (ids; 0 when none): any write the overview depends on
    moves one of them. One query over three indexes."""
    assessments, events, reviews = (model._meta.db_table for model in (Assessment, HouseholdEvent, Review))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {assessments}), "
            f"(SELECT MAX(id) FROM {events} WHERE kind = %s), (SELECT MAX(id) FROM {reviews})",
            [EventKind.ASSESSED],
        )
        row = cursor.fetchone()
    return (row[0] or 0, row[1] or 0, row[2] or 0)


def cached_dashboard(
    unit: AdminUnit, *, year: int | None, commune_ids: set[int] | None, by_today: bool, today: date
) -> Dashboard:
    """`build_dashboard` with the same arguments, from the cache while the data under it stands (module docstring)."""
    communes = sorted(commune_ids_within(unit) if commune_ids is None else commune_ids)
    parts = (unit.pk, year, by_today, today.isoformat(), communes, data_stamp(), territory_generation())
    key = "overview:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    board = cache.get(key)
    if board is None:
        board = build_dashboard(unit, year=year, commune_ids=set(communes), by_today=by_today, today=today)
        cache.set(key, board, timeout=settings.OVERVIEW_CACHE_SECONDS)
    return board


def _sum_figures(year: int, parts: Iterable[tuple[set[str], dict[str, int]]]) -> YearFigures:
    standards: set[str] = set()
    counts: dict[str, int] = {}
    for part_standards, part_counts in parts:
        standards |= part_standards
        for value, n in part_counts.items():
            counts[value] = counts.get(value, 0) + n
    return figures_from_counts(year, standards, counts)


def province_choices(today: date) -> list[AdminUnit]:
    """The provinces an administrator chooses among: today's, by name."""
    return list(AdminUnit.objects.provinces().valid_on(today).order_by("name", "code"))


def default_province(choices: list[AdminUnit]) -> AdminUnit | None:
    """For an administrator: today's province holding the area of the latest periodic review, else the first."""
    review = (
        Review.objects.filter(kind=ReviewKind.PERIODIC)
        .select_related("area__parent__parent")
        .order_by("-year", "-reference_date", "-pk")
        .first()
    )
    if review is not None:
        province = ancestor_at(review.area, UnitLevel.PROVINCE)
        if province is not None and province not in choices:
            province = default_successor(province)
        if province is not None and province in choices:
            return province
    return choices[0] if choices else None
