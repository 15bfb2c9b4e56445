"""Section 1 of the year-end summary: the poverty results of the year and how they changed, from the official
lists (the statutory reports `ket-qua`, `dien-bien-ngheo` and `dan-toc` of `decisions.reports`): the lists in force
at the end of the period the chairmen's decisions set, not the survey's raw results."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode

from giamngheo.areas.models import AdminUnit
from giamngheo.decisions.reports import ETHNICITY, POOR_TRANSITIONS, RESULTS, Report, build_report
from giamngheo.yearend.figures import HOUSEHOLDS, PERCENT, POINTS, Figure, Section, Sentence, Table

# The columns of the poor transitions report (`dien-bien-ngheo`) and the figures' keys.
FLOWS = (
    (1, "start"), (2, "escaped_to_near_poor"), (3, "escaped_above"), (4, "left_other"), (5, "from_near_poor"),
    (6, "re_poor"), (7, "newly_arising"), (8, "entered_other"), (9, "end"),
)  # fmt: skip


def report_link(report: str, area: AdminUnit, year: int) -> str:
    query = urlencode({"bao_cao": report, "area": str(area.pk), "nam": str(year)})
    return f"{reverse('web:reports')}?{query}"


def _value(report: Report, column: int) -> int | Decimal | None:
    raw = report.total.values.get(column)
    if raw is None or raw == "":
        return None
    if isinstance(raw, str | Decimal):
        return Decimal(raw)
    return int(raw)


def _count(report: Report, column: int) -> int | None:
    value = _value(report, column)
    return None if value is None else int(value)


def poverty_section(area: AdminUnit, year: int) -> tuple[Section, list[Figure], bool]:
    """The section, its figures and whether every list behind them is approved."""
    results = build_report(RESULTS, area, year)
    before = build_report(RESULTS, area, year - 1)
    flows = build_report(POOR_TRANSITIONS, area, year)
    ethnicity = build_report(ETHNICITY, area, year)
    link = report_link(RESULTS.name, area, year)
    link_before = report_link(RESULTS.name, area, year - 1)
    link_flows = report_link(POOR_TRANSITIONS.name, area, year)
    end = f"{results.end:%d/%m/%Y}"

    households, poor, near_poor = _count(results, 1), _count(results, 3), _count(results, 5)
    rate, near_rate = _value(results, 4), _value(results, 6)
    households_before, poor_before = _count(before, 1), _count(before, 3)
    rate_before = _value(before, 4) if households_before else None
    change = (
        poor - poor_before if poor is not None and poor_before is not None and households_before else None
    )
    points = (
        Decimal(rate_before) - Decimal(rate)
        if isinstance(rate, Decimal) and isinstance(rate_before, Decimal)
        else None
    )
    figures = [
        Figure("poverty.households", households, HOUSEHOLDS, f"Hộ dân cư của địa bàn có mặt ngày {end}", link),
        Figure("poverty.poor", poor, HOUSEHOLDS, f"Hộ trong danh sách hộ nghèo có hiệu lực ngày {end}", link),
        Figure("poverty.poor_rate", rate, PERCENT, "Số hộ nghèo trên tổng số hộ dân cư", link,
               of=("poverty.poor", "poverty.households")),
        Figure("poverty.near_poor", near_poor, HOUSEHOLDS,
               f"Hộ trong danh sách hộ cận nghèo có hiệu lực ngày {end}", link),
        Figure("poverty.near_poor_rate", near_rate, PERCENT, "Số hộ cận nghèo trên tổng số hộ dân cư", link,
               of=("poverty.near_poor", "poverty.households")),
        Figure("poverty.previous.households", households_before, HOUSEHOLDS,
               f"Hộ dân cư của địa bàn có mặt ngày {before.end:%d/%m/%Y}", link_before),
        Figure("poverty.previous.poor", poor_before if households_before else None, HOUSEHOLDS,
               f"Hộ trong danh sách hộ nghèo có hiệu lực ngày {before.end:%d/%m/%Y}", link_before),
        Figure("poverty.previous.poor_rate", rate_before, PERCENT, "Số hộ nghèo trên tổng số hộ dân cư năm trước",
               link_before, of=("poverty.previous.poor", "poverty.previous.households")),
        Figure("poverty.change.households", change, HOUSEHOLDS,
               "Số hộ nghèo cuối năm trừ số hộ nghèo cuối năm trước (âm: giảm)", link_flows),
        Figure("poverty.change.decrease_households", -change if change is not None else None, HOUSEHOLDS,
               "Số hộ nghèo cuối năm trước trừ số hộ nghèo cuối năm (dương: giảm)", link_flows),
        Figure("poverty.change.reduction_points", points, POINTS,
               "Tỷ lệ hộ nghèo cuối năm trước trừ tỷ lệ cuối năm (dương: giảm)", link),
        Figure("poverty.minority_poor", _count(ethnicity, 2), HOUSEHOLDS,
               "Hộ nghèo có chủ hộ là người dân tộc thiểu số", report_link(ETHNICITY.name, area, year)),
    ]  # fmt: skip
    for number, key in FLOWS:
        title = dict(POOR_TRANSITIONS.columns)[number]
        figures.append(Figure(f"poverty.flows.{key}", _count(flows, number), HOUSEHOLDS, title, link_flows))
    sentences = [
        Sentence(
            f"Đến ngày {end}, toàn địa bàn có {{poverty.poor}} hộ nghèo, chiếm {{poverty.poor_rate}} % tổng số "
            "{poverty.households} hộ dân cư, và {poverty.near_poor} hộ cận nghèo ({poverty.near_poor_rate} %)."
        ),
    ]
    if points is not None and change is not None:
        if points >= 0:
            sentences.append(Sentence(
                "So với cuối năm trước ({poverty.previous.poor} hộ nghèo, {poverty.previous.poor_rate} %), tỷ lệ hộ "
                "nghèo giảm {poverty.change.reduction_points} điểm phần trăm; số hộ nghèo giảm "
                "{poverty.change.decrease_households} hộ."
            ))  # fmt: skip
        else:
            sentences.append(Sentence(
                "So với cuối năm trước ({poverty.previous.poor} hộ nghèo, {poverty.previous.poor_rate} %), tỷ lệ hộ "
                "nghèo tăng; chênh lệch {poverty.change.reduction_points} điểm phần trăm; số hộ nghèo thay đổi "
                "{poverty.change.households} hộ."
            ))  # fmt: skip
    sentences.append(
        Sentence("Trong số hộ nghèo, {poverty.minority_poor} hộ có chủ hộ là người dân tộc thiểu số.")
    )
    flows_sentence = Sentence(
        "Trong năm, {poverty.flows.escaped_to_near_poor} hộ thoát nghèo thành hộ cận nghèo và "
        "{poverty.flows.escaped_above} hộ thoát nghèo vượt chuẩn cận nghèo; {poverty.flows.from_near_poor} hộ cận "
        "nghèo rơi xuống nghèo, {poverty.flows.re_poor} hộ tái nghèo và {poverty.flows.newly_arising} hộ nghèo phát "
        "sinh mới."
    )
    by_key = {f.key: f for f in figures}
    table = Table(
        title="Diễn biến hộ nghèo trong năm",
        columns=("Chỉ tiêu", "Số hộ"),
        rows=tuple((dict(POOR_TRANSITIONS.columns)[n], by_key[f"poverty.flows.{k}"]) for n, k in FLOWS),
        note="Mỗi hộ nghèo đầu kỳ hoặc cuối kỳ được tính ở đúng một dòng: cuối kỳ = đầu kỳ − giảm + tăng.",
    )
    section = Section(key="poverty", title="Kết quả giảm nghèo", paragraphs=[sentences, [flows_sentence]],
                      tables=[table], notes=list(results.notes))  # fmt: skip
    approved = bool(results.approved and flows.approved)
    return section, figures, approved
