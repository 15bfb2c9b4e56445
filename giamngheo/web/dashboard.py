"""The overview page: poverty figures of the user's area for the latest year with a periodic review, per commune and
in total, with the change from the previous year, a chart and the latest review (`reviews.overview` computes them).

Whose area (access rule, giamngheo.accounts): an administrator chooses among the provinces; province staff see
their province, a commune officer or viewer their commune — a new (post-2025) commune with the legacy communes that
map into it. Another unit can be asked with `?area=<id>` (drilling into a commune of the table); a unit outside
the account's area is the same 404 as a unit that does not exist (`access.unit_communes_for_stats`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.access import unit_communes_for_stats, unit_not_found
from giamngheo.accounts.scope import scope_for
from giamngheo.areas.models import AdminUnit, UnitLevel
from giamngheo.areas.selectors import unit_includes
from giamngheo.goals.selectors import dashboard_progress
from giamngheo.lib.formatting import format_percent_vi, group_thousands
from giamngheo.lib.params import positive_int
from giamngheo.reviews.overview import Dashboard, cached_dashboard, default_province, province_choices
from giamngheo.reviews.stats import AreaStats, area_label
from giamngheo.web.goals import progress_rows

# Rows by today's communes (the default for a unit of today) or, with ?theo=thoi-diem, by the communes the
# assessments were made in (legacy ones labelled).
BY_TODAY = "hien-nay"
BY_THEN = "thoi-diem"


def _requested_unit(request: HttpRequest) -> tuple[AdminUnit, set[int]] | None:
    """The unit asked with `?area=` and its communes, or None; 404 when it is missing or not the user's."""
    raw = request.GET.get("area", "").strip()
    if not raw:
        return None
    unit_id = positive_int(raw)
    unit = AdminUnit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    if unit is None:
        raise unit_not_found()
    return unit, unit_communes_for_stats(request.user, unit)


def _signed(value: int | Decimal | None, *, percent_points: bool = False) -> str:
    """+12 / −697 / 0; with `percent_points`, −5,91 (Vietnamese decimal comma). Empty when not comparable."""
    if value is None:
        return ""
    text = (
        format_percent_vi(abs(Decimal(value))).removesuffix(" %")
        if percent_points
        else group_thousands(abs(int(value)))
    )
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def figures_row(label: str, stats: AreaStats, unit: AdminUnit | None = None) -> dict[str, Any]:
    """One line of the table as text (thousands with dots, rates with a decimal comma), and its trend."""
    current = stats.current
    change = stats.change_households
    return {
        "label": label,
        "unit": unit,
        "legacy": unit is not None and unit.valid_to is not None,
        "total": group_thousands(current.total_households),
        "poor": group_thousands(current.poor_households),
        "poor_rate": format_percent_vi(current.poverty_rate),
        "near_poor": group_thousands(current.near_poor_households),
        "near_poor_rate": format_percent_vi(current.near_poor_rate),
        "multidimensional_rate": format_percent_vi(current.multidimensional_poverty_rate),
        "change_households": _signed(change),
        "change_points": _signed(stats.change_points, percent_points=True),
        "trend": "" if change is None or change == 0 else ("down" if change < 0 else "up"),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    requested = _requested_unit(request)
    choices = province_choices(timezone.localdate()) if scope.everything else []
    home: AdminUnit | None = None
    home_communes: set[int] | None = None
    if scope.everything:
        home = default_province(choices)
    elif scope.unit is not None:
        # Only a village reviewer's own commune can fall outside: its area is the communes of its villages.
        home_communes = scope.communes_readable(scope.unit)
        if home_communes is not None:
            home = scope.unit
    unit = requested[0] if requested is not None else home
    raw_year = request.GET.get("nam", "")
    year = positive_int(raw_year) if len(raw_year.strip()) == 4 else None
    # A post-2025 unit can be read by the communes the assessments were made in (the default: the units of the
    # time, legacy ones labelled) or regrouped into its communes of today.
    today = timezone.localdate()
    can_regroup = unit is not None and unit.valid_from is not None and unit.level != UnitLevel.DISTRICT
    by_today = can_regroup and request.GET.get("theo") != BY_THEN
    board = Dashboard(unit=None)
    if unit is not None:
        communes = home_communes if requested is None else requested[1]
        board = cached_dashboard(unit, year=year, commune_ids=communes, by_today=by_today, today=today)
    return render(
        request,
        "web/dashboard.html",
        {
            "board": board,
            "unit": unit,
            "unit_label": area_label(unit) if unit is not None else "",
            "home": home if home is not None and unit is not None and home.pk != unit.pk else None,
            "choices": choices,
            "rows": [figures_row(row.label, row.stats, row.commune) for row in board.communes],
            "total_row": figures_row(_("Toàn địa bàn"), board.totals) if board.totals is not None else None,
            "previous_year": board.totals.previous.year if board.totals and board.totals.previous else None,
            "chart": board.chart() if board.communes else None,
            "can_regroup": can_regroup,
            "by_today": by_today,
            "by_today_value": BY_TODAY,
            "by_then_value": BY_THEN,
            "includes": [area_label(u) for u in unit_includes(unit)] if unit is not None else [],
            "goals_year": today.year,
            "goals": progress_rows(dashboard_progress(unit, today.year)) if unit is not None else [],
        },
    )
