"""The year-end summary report ("báo cáo tổng kết") of an area and a year, built from the system's records
(`domain.md` §4.5 and the seed article): poverty results and change, programme funds by capital type and project
with disbursement, social-policy credit, houses and other support, next year's targets, commendations.

Each section is built by its own function from the records behind it and returns its figures; the report is the
sections in order. Nothing is typed in: a figure the system does not hold is absent (its sentence left out and
the section's notes saying so), never a zero.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils import timezone

from giamngheo.areas.models import AdminUnit
from giamngheo.decisions.documents import unit_name
from giamngheo.yearend.figures import Figure, Section, Summary, check_rates
from giamngheo.yearend.money import credit_section, funds_section, support_section
from giamngheo.yearend.plans import commendations_section, targets_section
from giamngheo.yearend.poverty import poverty_section

SectionBuilder = Callable[[AdminUnit, int], tuple[Section, list[Figure], bool]]


def section_builders() -> list[SectionBuilder]:
    """The report's sections in order (each returns its section, its figures and whether its figures are
    approved)."""
    return [
        poverty_section,
        funds_section,
        credit_section,
        support_section,
        targets_section,
        commendations_section,
    ]


def build_summary(area: AdminUnit, year: int, *, issued_on: date | None = None) -> Summary:
    issued_on = issued_on or timezone.localdate()
    place = area.name
    summary = Summary(
        area_code=area.code,
        area_name=unit_name(area),
        year=year,
        title=f"Báo cáo tổng kết Chương trình mục tiêu quốc gia giảm nghèo bền vững năm {year} — {unit_name(area)}",
        place_and_date=f"{place}, ngày {issued_on.day:02d} tháng {issued_on.month:02d} năm {issued_on.year}",
        sections=[],
        figures={},
        provisional=False,
    )
    for builder in section_builders():
        section, figures, approved = builder(area, year)
        summary.sections.append(section)
        summary.add(figures)
        summary.provisional = summary.provisional or not approved
    check_rates(summary.figures)
    return summary
