"""Poverty figures of an area for a year, as reported after the periodic review.

Rules (domain.md §1.1, §10): rates are on the household base — households of a class over all households
assessed — in percent rounded half-up to 2 decimals. The multidimensional poverty rate (tỷ lệ nghèo đa chiều) is
poor + near-poor households over all households, as MOLISA announces it (QĐ 71/QĐ-LĐTBXH 2023). The change in
points is the difference of the two published (rounded) rates, as the press reports "down 5.91 points". A rate
with no households is None, never 0.

The households of year Y are the assessments of the periodic reviews of year Y whose commune (where the household
was assessed) lies within the area (`areas.selectors.commune_ids_within`), one per household: when a household was
assessed in two periodic reviews of the same year, its latest assessment counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from giamngheo.areas.models import AdminUnit
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.engine.standard import load_standards
from giamngheo.lib.formatting import format_percent_vi, group_thousands, percent
from giamngheo.reviews.models import Assessment, PovertyClass, Review, ReviewKind


@dataclass(frozen=True)
class YearFigures:
    year: int
    standard: str | None
    total_households: int
    poor_households: int
    poverty_rate: Decimal | None
    near_poor_households: int
    near_poor_rate: Decimal | None
    # None when no standard behind the figures sets a middle-living-standard line: "0 households" would say the
    # households were counted and none qualified.
    middle_households: int | None
    middle_rate: Decimal | None
    multidimensional_poverty_rate: Decimal | None

    def as_json(self) -> dict[str, Any]:
        return {
            key: float(value) if isinstance(value, Decimal) else value for key, value in asdict(self).items()
        }


@dataclass(frozen=True)
class AreaStats:
    unit: AdminUnit
    current: YearFigures
    previous: YearFigures | None  # None when the previous year has no households

    @property
    def change_households(self) -> int | None:
        if self.previous is None:
            return None
        return self.current.poor_households - self.previous.poor_households

    @property
    def change_points(self) -> Decimal | None:
        if self.previous is None or self.current.poverty_rate is None or self.previous.poverty_rate is None:
            return None
        return self.current.poverty_rate - self.previous.poverty_rate

    def as_json(self) -> dict[str, Any]:
        points = self.change_points
        return {
            "area": {
                "code": self.unit.code,
                "name": self.unit.name,
                "level": self.unit.level,
                "type": self.unit.unit_type,
            },
            **self.current.as_json(),
            "previous": self.previous.as_json() if self.previous is not None else None,
            "change_households": self.change_households,
            "change_points": float(points) if points is not None else None,
        }


def periodic_assessments(
    year: int, commune_ids: Iterable[int], review_ids: Sequence[int] | None = None
) -> Any:
    """The assessments counted for `year` in `commune_ids`: each household's latest one in the year's periodic
    reviews. `review_ids` (those reviews, when the caller already has them) lets a year with a single periodic
    review skip the "no later assessment" check, which is vacuous then (one assessment per household per review)."""
    if review_ids is not None and len(review_ids) == 1:
        return Assessment.objects.filter(
            review_id=review_ids[0], commune_id__in=sorted(commune_ids), superseded=False
        )
    same_year = Assessment.objects.filter(
        review__kind=ReviewKind.PERIODIC, review__year=year, superseded=False
    )
    later = same_year.filter(household=OuterRef("household")).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
    )
    return same_year.filter(commune_id__in=sorted(commune_ids)).exclude(Exists(later))


def year_figures(year: int, commune_ids: Iterable[int]) -> YearFigures:
    reviews = list(Review.objects.filter(kind=ReviewKind.PERIODIC, year=year).values_list("pk", flat=True))
    assessments = periodic_assessments(year, list(commune_ids), reviews)
    counts = dict(
        assessments.values_list("poverty_class").annotate(n=Count("id")).values_list("poverty_class", "n")
    )
    standards = sorted(set(assessments.values_list("standard_id", flat=True).distinct()))
    return figures_from_counts(year, standards, counts)


def figures_from_counts(year: int, standards: Iterable[str], counts: Mapping[str, int]) -> YearFigures:
    """`YearFigures` from household counts per class and the standards that produced them."""
    total = sum(counts.values())
    poor = counts.get(PovertyClass.POOR, 0)
    near_poor = counts.get(PovertyClass.NEAR_POOR, 0)
    codes = sorted(set(standards))
    known = load_standards()
    has_middle = any(known[code].has_middle_line for code in codes if code in known)
    middle = counts.get(PovertyClass.MIDDLE, 0) if has_middle else None
    return YearFigures(
        year=year,
        standard=", ".join(codes) or None,
        total_households=total,
        poor_households=poor,
        poverty_rate=percent(poor, total),
        near_poor_households=near_poor,
        near_poor_rate=percent(near_poor, total),
        middle_households=middle,
        middle_rate=percent(middle, total) if middle is not None else None,
        multidimensional_poverty_rate=percent(poor + near_poor, total),
    )


def area_stats(unit: AdminUnit, *, year: int) -> AreaStats:
    """The figures of the periodic review of `year` for `unit`, with the previous year's for comparison."""
    communes = commune_ids_within(unit)
    current = year_figures(year, communes)
    previous = year_figures(year - 1, communes)
    return AreaStats(unit=unit, current=current, previous=previous if previous.total_households else None)


def area_label(unit: AdminUnit) -> str:
    """A unit named so that legacy and new units with the same code cannot be confused: "Xã Kông Chro (mã mới
    23824)" for a unit created by the 2025 reform, "Thị trấn Kông Chro (mã cũ 23824, đến 30/06/2025)" for one it
    ended, "Tỉnh X (mã 12)" for a unit the reform did not touch."""
    name = unit.name
    if unit.unit_type and not name.lower().startswith(unit.unit_type.lower()):
        name = f"{unit.unit_type} {name}"  # both parts are data (the unit's type and name)
    if unit.valid_to is not None:
        return _("%(name)s (mã cũ %(code)s, đến %(day)s)") % {
            "name": name,
            "code": unit.code,
            "day": unit.valid_to.strftime("%d/%m/%Y"),
        }
    if unit.valid_from is not None:
        return _("%(name)s (mã mới %(code)s)") % {"name": name, "code": unit.code}
    return _("%(name)s (mã %(code)s)") % {"name": name, "code": unit.code}


def _count_line(label: str, count: int, rate: Decimal | None) -> str:
    return f"  {label:<44}{group_thousands(count):>10}   {format_percent_vi(rate)}"


def format_vi(stats: AreaStats) -> str:
    """The figures as text in the active language, numbers written the Vietnamese way: 4.336 hộ, 33,78 %."""
    figures = stats.current
    area = area_label(stats.unit)
    if figures.total_households == 0:
        header = _("%(area)s — rà soát định kỳ năm %(year)s") % {"area": area, "year": figures.year}
        nothing = _("Không có hộ nào được rà soát định kỳ năm %(year)s trên địa bàn này.") % {
            "year": figures.year
        }
        return f"{header}\n{nothing}"
    total_label = _("Tổng số hộ được rà soát")
    rate_label = _("Tỷ lệ nghèo đa chiều (nghèo + cận nghèo)")
    lines = [
        _("%(area)s — rà soát định kỳ năm %(year)s (chuẩn %(standard)s)")
        % {"area": area, "year": figures.year, "standard": figures.standard},
        f"  {total_label:<44}{group_thousands(figures.total_households):>10}",
        _count_line(_("Hộ nghèo"), figures.poor_households, figures.poverty_rate),
        _count_line(_("Hộ cận nghèo"), figures.near_poor_households, figures.near_poor_rate),
    ]
    if figures.middle_households is not None:
        lines.append(
            _count_line(
                _("Hộ nông, lâm, ngư, diêm nghiệp có mức sống TB"),
                figures.middle_households,
                figures.middle_rate,
            )
        )
    lines += [
        f"  {rate_label:<44}{'':>10}   {format_percent_vi(figures.multidimensional_poverty_rate)}",
    ]
    previous = stats.previous
    if previous is None:
        lines.append(
            "  " + _("Không có số liệu rà soát định kỳ năm %(year)s để so sánh.") % {"year": figures.year - 1}
        )
    else:
        comparison = ngettext(
            "So với năm %(year)s (%(poor)s hộ nghèo, %(rate)s): hộ nghèo %(households)s; tỷ lệ hộ nghèo "
            "%(points)s.",
            "So với năm %(year)s (%(poor)s hộ nghèo, %(rate)s): hộ nghèo %(households)s; tỷ lệ hộ nghèo "
            "%(points)s.",
            previous.poor_households,
        ) % {
            "year": previous.year,
            "poor": group_thousands(previous.poor_households),
            "rate": format_percent_vi(previous.poverty_rate),
            "households": _household_change(stats.change_households),
            "points": _points_change(stats.change_points),
        }
        lines.append("  " + comparison)
    return "\n".join(lines)


def _household_change(value: int | None) -> str:
    if value is None:
        return _("không so sánh được")
    if value == 0:
        return _("không đổi")
    count = {"count": group_thousands(abs(value))}
    if value < 0:
        return ngettext("giảm %(count)s hộ", "giảm %(count)s hộ", abs(value)) % count
    return ngettext("tăng %(count)s hộ", "tăng %(count)s hộ", abs(value)) % count


def _points_change(value: Decimal | None) -> str:
    if value is None:
        return _("không so sánh được")
    if value == 0:
        return _("không đổi")
    points = {"points": str(abs(value)).replace(".", ",")}
    if value < 0:
        return _("giảm %(points)s điểm phần trăm") % points
    return _("tăng %(points)s điểm phần trăm") % points
