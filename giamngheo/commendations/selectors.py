"""Reads of commendations: the rows in force of an area and a year, and their counts for the year-end summary.

Commendations roll up: those of an area are its own and those of every unit within it — a province's are the
province's own, its districts' and its communes' (with, for a commune of today, those of the legacy communes
it took over: `areas.selectors.commune_ids_within`). The caller has already checked that the account may read
the area (`access.unit_for_stats` or `commendation_for`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from giamngheo.accounts.scope import scope_for
from giamngheo.areas.models import AdminUnit
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.commendations.models import Commendation, RecipientType


def units_within(area: AdminUnit) -> set[int]:
    """`area`, the units below it (districts, communes) and the communes whose territory lies within it."""
    below = AdminUnit.objects.filter(Q(parent=area) | Q(parent__parent=area)).values_list("pk", flat=True)
    return {area.pk, *below, *commune_ids_within(area)}


def in_force() -> QuerySet[Commendation]:
    """The rows no later row replaces, withdrawn ones left out."""
    later = Commendation.objects.filter(corrects=OuterRef("pk"))
    return Commendation.objects.exclude(Exists(later)).filter(withdrawn=False)


def commendations_in(
    area: AdminUnit, year: int | None = None, *, rollup: bool = True
) -> QuerySet[Commendation]:
    """The commendations in force of `area` (and of the units within it, with `rollup`), of `year` if given."""
    rows = in_force().filter(area_id__in=sorted(units_within(area)) if rollup else [area.pk])
    if year is not None:
        rows = rows.filter(year=year)
    return rows.select_related("movement", "area").order_by(
        "recipient_type", "area__code", "recipient_name", "id"
    )


@dataclass(frozen=True)
class CommendationCount:
    key: str  # the recipient type, or the movement's code ("" for none)
    label: str
    count: int
    rows: tuple[Commendation, ...]


@dataclass(frozen=True)
class CommendationsSummary:
    area: AdminUnit
    year: int
    total: int
    by_recipient_type: tuple[CommendationCount, ...]  # every type, in order, zero counts included
    by_movement: tuple[CommendationCount, ...]  # the movements with commendations ("" last: none)
    rows: tuple[Commendation, ...]

    def count(self, recipient_type: str) -> int:
        return next(item.count for item in self.by_recipient_type if item.key == recipient_type)


def commendations_summary(area: AdminUnit, year: int) -> CommendationsSummary:
    """The commendations of `area` (rolled up) in `year`, counted by recipient type and by movement, each count
    with the rows behind it. Two queries."""
    rows = tuple(commendations_in(area, year))
    by_type = tuple(
        CommendationCount(
            value, str(label), len(chosen := tuple(r for r in rows if r.recipient_type == value)), chosen
        )
        for value, label in RecipientType.choices
    )
    movements: dict[str, list[Commendation]] = {}
    labels: dict[str, str] = {}
    for row in rows:
        key = row.movement.code if row.movement is not None else ""
        movements.setdefault(key, []).append(row)
        labels[key] = str(row.movement) if row.movement is not None else _("Không thuộc phong trào thi đua")
    by_movement = tuple(
        CommendationCount(key, labels[key], len(items), tuple(items))
        for key, items in sorted(movements.items(), key=lambda item: (item[0] == "", labels[item[0]]))
    )
    return CommendationsSummary(area, year, len(rows), by_type, by_movement, rows)


def commendation_for(user: Any, pk: Any) -> Commendation:
    """One commendation row (in force or not: the services refuse a replaced one as a stale copy) whose area the
    user may read; the same 404 otherwise."""
    try:
        row = Commendation.objects.select_related("area", "movement").get(pk=int(pk))
    except (Commendation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Không tìm thấy khen thưởng.")) from exc
    if not scope_for(user).covers_unit(row.area):
        raise Http404(_("Không tìm thấy khen thưởng."))
    return row
