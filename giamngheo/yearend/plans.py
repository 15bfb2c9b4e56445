"""The year-end summary's last sections: next year's targets as the area set them (`goals`) and the
commendations of the year (`commendations`)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode

from giamngheo.areas.models import AdminUnit
from giamngheo.commendations.models import RecipientType
from giamngheo.commendations.selectors import commendations_summary
from giamngheo.goals.models import Unit
from giamngheo.goals.selectors import targets_for
from giamngheo.yearend.figures import (
    COUNT,
    HOUSEHOLDS,
    PERCENT,
    PERSONS,
    POINTS,
    Figure,
    Section,
    Sentence,
    Table,
)

# The goals app's units in the report's vocabulary (money targets are in millions, as entered).
_UNITS = {
    Unit.POINTS.value: POINTS,
    Unit.PERCENT.value: PERCENT,
    Unit.PERSONS.value: PERSONS,
    Unit.HOUSEHOLDS.value: HOUSEHOLDS,
}


def page_link(name: str, area: AdminUnit, year: int) -> str:
    return f"{reverse(name)}?{urlencode({'area': str(area.pk), 'nam': str(year)})}"


def _target_value(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value.normalize()


def targets_section(area: AdminUnit, year: int) -> tuple[Section, list[Figure], bool]:
    """The targets the area set for the next year, each sentence citing its figure."""
    upcoming = year + 1
    link = page_link("web:goals", area, upcoming)
    figures: list[Figure] = []
    sentences: list[Sentence] = []
    rows = []
    for line in targets_for(area, upcoming):
        key = f"targets.{line.indicator_code}"
        source = f"; theo {line.source_decision}" if line.source_decision else ""
        figure = Figure(
            key, _target_value(line.value), _UNITS.get(line.unit, COUNT),
            f"Chỉ tiêu năm {upcoming} «{line.indicator_name}» đặt cho địa bàn{source}", link,
        )  # fmt: skip
        figures.append(figure)
        bound = "từ" if line.comparator == "≥" else "không quá"
        tail = "trở lên" if line.comparator == "≥" else ""
        if line.unit == Unit.PERCENT and line.value == 100:
            bound, tail = "đạt", ""
        unit = "%" if line.unit == Unit.PERCENT else line.unit_label
        sentences.append(Sentence(f"{line.indicator_name}: {bound} {{{key}}} {unit} {tail}".rstrip() + ";"))
        rows.append((line.indicator_name, figure))
    if sentences:
        last = sentences[-1].template
        sentences[-1] = Sentence(last[:-1] + ".")
    section = Section(key="targets", title=f"Phương hướng, chỉ tiêu năm {upcoming}", paragraphs=[sentences])
    if rows:
        section.tables.append(
            Table(title=f"Chỉ tiêu năm {upcoming}", columns=("Chỉ tiêu", "Mức"), rows=tuple(rows))
        )
    else:
        section.notes.append(f"Địa bàn chưa đặt chỉ tiêu nào cho năm {upcoming} trong hệ thống.")
    return section, figures, True


def commendations_section(area: AdminUnit, year: int) -> tuple[Section, list[Figure], bool]:
    summary = commendations_summary(area, year)
    link = page_link("web:commendations", area, year)
    keys = {
        RecipientType.COLLECTIVE.value: "collectives",
        RecipientType.INDIVIDUAL.value: "individuals",
        RecipientType.HOUSEHOLD.value: "households",
    }
    figures = [
        Figure("commendations.total", summary.total, COUNT, f"Khen thưởng của năm {year} trên địa bàn", link)
    ]
    for item in summary.by_recipient_type:
        figures.append(
            Figure(
                f"commendations.{keys[item.key]}",
                item.count,
                COUNT,
                f"Khen thưởng cho {item.label.lower()}",
                link,
            )
        )
    movements = [item.label for item in summary.by_movement if item.key]
    movement = f" trong phong trào thi đua «{movements[0]}»" if len(movements) == 1 else ""
    sentences = [
        Sentence(
            f"Năm {year}, các tập thể, cá nhân và hộ gia đình có thành tích xuất sắc{movement} được khen thưởng: "
            "{commendations.collectives} tập thể, {commendations.individuals} cá nhân và "
            "{commendations.households} hộ gia đình."
        )
    ]
    section = Section(
        key="commendations", title="Thi đua, khen thưởng", paragraphs=[sentences if summary.total else []]
    )
    if not summary.total:
        section.notes.append(f"Chưa có khen thưởng nào của năm {year} được ghi trong hệ thống.")
    return section, figures, True
