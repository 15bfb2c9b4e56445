"""The statutory reports of the official lists, for any area (commune, legacy district, province; the historical or
the current hierarchy) and any year or month (domain.md §3.5):

- "Tổng hợp kết quả chính thức rà soát" (`ket-qua`, form 1): resident households and people, and the poor,
  near-poor and middle-living-standard ones with their rates, from the lists in force at the end of the period. A
  rate whose denominator is missing or zero is left blank, with a note, never printed as a number.
- "Tổng hợp diễn biến hộ nghèo" and "... hộ cận nghèo" (forms 2 and 3), on the household and the person basis.

Resident households are those of the registry on the day (registered, not closed), placed by their status row
when they have one and by the registry otherwise; resident people are their members on the day. The people of a
list are those its decision listed with each household (as the transition reports count them).

A year Y runs from the lists in force on 1 January Y (decided at the end of Y − 1) to those in force on 1 January
Y + 1 (decided at the end of Y, with the regular decisions of the year in between); a month from its first day to
the first of the next. One line per commune of the area, and the area's total, each computed by
`transitions.tally` so that every line adds up (End = Start − decreases + increases). A household that moved
between two communes of the area is a decrease of one line and an increase of the other, and neither in the total.
Until approval exists (a later part of the review procedure) every figure is provisional, and the report says so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, Subquery
from django.utils import translation
from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.decisions.approval import area_approved
from giamngheo.decisions.models import Decision, OfficialStatus
from giamngheo.decisions.transitions import NEAR_POOR, POOR, Row, Stay, tally
from giamngheo.engine.standard import get_standard, load_catalogue, standard_for_lists_year
from giamngheo.lib.formatting import percent, round_half_up
from giamngheo.registry.models import Household, Membership
from giamngheo.reviews.explanations import indicator_name
from giamngheo.reviews.models import Assessment, Cause, PovertyClass
from giamngheo.reviews.stats import area_label


@dataclass(frozen=True)
class ReportKind:
    name: str
    title: str
    listed: str  # the list a transitions report follows; "" for the results
    columns: tuple[tuple[int, str], ...]


POOR_TRANSITIONS = ReportKind(
    name="dien-bien-ngheo",
    title="Tổng hợp diễn biến hộ nghèo",
    listed=POOR,
    columns=(
        (1, "Số hộ nghèo đầu kỳ"),
        (2, "Giảm: thoát nghèo, thành hộ cận nghèo"),
        (3, "Giảm: thoát nghèo, vượt chuẩn cận nghèo"),
        (4, "Giảm khác (hộ chết, chuyển đi, tách, nhập hộ)"),
        (5, "Tăng: hộ cận nghèo thành hộ nghèo"),
        (6, "Tăng: tái nghèo"),
        (7, "Tăng: phát sinh mới"),
        (8, "Tăng khác (thay đổi nhân khẩu, chuyển đến, tách hộ)"),
        (9, "Số hộ nghèo cuối kỳ (9 = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8)"),
    ),
)
NEAR_POOR_TRANSITIONS = ReportKind(
    name="dien-bien-can-ngheo",
    title="Tổng hợp diễn biến hộ cận nghèo",
    listed=NEAR_POOR,
    columns=(
        (1, "Số hộ cận nghèo đầu kỳ"),
        (2, "Giảm: thoát cận nghèo"),
        (3, "Giảm: hộ cận nghèo thành hộ nghèo"),
        (4, "Giảm khác (hộ chết, chuyển đi, tách, nhập hộ)"),
        (5, "Tăng: hộ nghèo thành hộ cận nghèo"),
        (6, "Tăng: tái cận nghèo"),
        (7, "Tăng: phát sinh mới"),
        (8, "Tăng khác (thay đổi nhân khẩu, chuyển đến, tách hộ)"),
        (9, "Số hộ cận nghèo cuối kỳ (9 = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8)"),
    ),
)
RESULTS = ReportKind(
    name="ket-qua",
    title="Tổng hợp kết quả chính thức rà soát hộ nghèo, hộ cận nghèo, hộ làm nông, lâm, ngư, diêm nghiệp có mức sống "
    "trung bình",
    listed="",
    columns=(
        (1, "Tổng số hộ dân cư"),
        (2, "Tổng số nhân khẩu"),
        (3, "Số hộ nghèo"),
        (4, "Tỷ lệ hộ nghèo (%) (4 = 3/1 × 100)"),
        (5, "Số hộ cận nghèo"),
        (6, "Tỷ lệ hộ cận nghèo (%) (6 = 5/1 × 100)"),
        (7, "Số hộ có mức sống trung bình"),
        (8, "Tỷ lệ hộ có mức sống trung bình (%) (8 = 7/1 × 100)"),
        (9, "Số nhân khẩu hộ nghèo"),
        (10, "Tỷ lệ nhân khẩu hộ nghèo (%) (10 = 9/2 × 100)"),
        (11, "Số nhân khẩu hộ cận nghèo"),
        (12, "Tỷ lệ nhân khẩu hộ cận nghèo (%) (12 = 11/2 × 100)"),
        (13, "Số nhân khẩu hộ có mức sống trung bình"),
        (14, "Tỷ lệ nhân khẩu hộ có mức sống trung bình (%) (14 = 13/2 × 100)"),
    ),
)
DEPRIVATIONS = {
    (POOR, False): ReportKind(
        "thieu-hut-ngheo", "Phân tích các chỉ số thiếu hụt dịch vụ xã hội cơ bản của hộ nghèo", POOR, ()
    ),
    (POOR, True): ReportKind(
        "ty-le-thieu-hut-ngheo", "Tỷ lệ thiếu hụt các chỉ số dịch vụ xã hội cơ bản của hộ nghèo", POOR, ()
    ),
    (NEAR_POOR, False): ReportKind(
        "thieu-hut-can-ngheo",
        "Phân tích các chỉ số thiếu hụt dịch vụ xã hội cơ bản của hộ cận nghèo",
        NEAR_POOR,
        (),
    ),
    (NEAR_POOR, True): ReportKind(
        "ty-le-thieu-hut-can-ngheo",
        "Tỷ lệ thiếu hụt các chỉ số dịch vụ xã hội cơ bản của hộ cận nghèo",
        NEAR_POOR,
        (),
    ),
}
CAUSES = {
    POOR: ReportKind("nguyen-nhan-ngheo", "Phân tích hộ nghèo theo nguyên nhân nghèo", POOR, ()),
    NEAR_POOR: ReportKind("nguyen-nhan-can-ngheo", "Phân tích hộ cận nghèo theo nguyên nhân", NEAR_POOR, ()),
}
ETHNICITY = ReportKind(
    name="dan-toc",
    title="Phân tích hộ nghèo, hộ cận nghèo theo dân tộc",
    listed="",
    columns=(
        (1, "Số hộ nghèo"),
        (2, "Trong đó: chủ hộ là người dân tộc thiểu số"),
        (3, "Trong đó: chủ hộ là người Kinh"),
        (4, "Trong đó: chưa ghi dân tộc của chủ hộ"),
        (5, "Số hộ cận nghèo"),
        (6, "Trong đó: chủ hộ là người dân tộc thiểu số"),
        (7, "Trong đó: chủ hộ là người Kinh"),
        (8, "Trong đó: chưa ghi dân tộc của chủ hộ"),
    ),
)
REPORTS = {
    kind.name: kind
    for kind in (
        RESULTS,
        POOR_TRANSITIONS,
        NEAR_POOR_TRANSITIONS,
        *DEPRIVATIONS.values(),
        *CAUSES.values(),
        ETHNICITY,
    )
}
RESULT_COLUMNS = {PovertyClass.POOR.value: 3, PovertyClass.NEAR_POOR.value: 5, PovertyClass.MIDDLE.value: 7}
RATES = {4: (3, 1), 6: (5, 1), 8: (7, 1), 10: (9, 2), 12: (11, 2), 14: (13, 2)}


Value = int | Decimal | None


@dataclass
class Line:
    """One line of a report: its values by the form's column numbers (and the person basis, for the transitions)."""

    area_code: str
    area_name: str
    values: dict[int, Value]
    persons: dict[int, Value] | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "area_code": self.area_code,
            "area_name": self.area_name,
            "values": {str(n): _json_value(v) for n, v in self.values.items()},
        }
        if self.persons is not None:
            data["persons"] = {str(n): _json_value(v) for n, v in self.persons.items()}
        return data


def _json_value(value: Value) -> int | str | None:
    """Counts as numbers, rates as exact decimal strings ("33.78"), a blank rate as null."""
    return str(value) if isinstance(value, Decimal) else value


@dataclass
class Report:
    kind: ReportKind
    area: AdminUnit
    start: date
    end: date
    period_label: str
    rows: list[Line]
    total: Line
    notes: list[str] = field(default_factory=list)
    approved: bool = False  # every decision of the period behind it approved by the level above
    columns: tuple[tuple[int, str], ...] = ()  # the kind's, unless the report sets its own (indicators)

    def __post_init__(self) -> None:
        if not self.columns:
            self.columns = self.kind.columns

    def to_json(self) -> dict[str, Any]:
        return {
            "report": self.kind.name,
            "title": self.kind.title,
            "area_code": self.area.code,
            "area_name": area_label(self.area),
            "period": self.period_label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "approved": self.approved,
            "columns": [{"number": n, "title": t} for n, t in self.columns],
            "rows": [row.to_json() for row in self.rows],
            "total": self.total.to_json(),
            "notes": self.notes,
        }


def period(year: int, month: int | None = None) -> tuple[date, date, str]:
    """(first day, first day after, label) of a year or a month."""
    if month is None:
        return date(year, 1, 1), date(year + 1, 1, 1), _("Năm %(year)s") % {"year": year}
    after = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, 1), after, _("Tháng %(month)s/%(year)s") % {"month": month, "year": year}


def last_day(year: int, month: int | None = None) -> date:
    """The last day of the period: the day on which an area code given for it is read (`resolve_unit`)."""
    return period(year, month)[1] - timedelta(days=1)


def load_stays(communes: set[int]) -> list[Stay]:
    """Every household ever listed in one of `communes`, with all its status rows (wherever listed)."""
    listed = (
        OfficialStatus.objects.filter(commune_id__in=sorted(communes))
        .order_by()
        .values("household_id")
        .distinct()
    )
    rows: dict[int, list[Row]] = defaultdict(list)
    for household_id, valid_from, status, commune_id, members, assessment_id in (
        OfficialStatus.objects.filter(household_id__in=Subquery(listed))
        .order_by("household_id", "valid_from", "id")
        .values_list("household_id", "valid_from", "status", "commune_id", "member_count", "assessment_id")
    ):
        rows[household_id].append(Row(valid_from, status, commune_id, members, assessment_id))
    return [
        # A household without a registration date (legacy records) is taken as registered from the start.
        Stay(pk, registered_on or date.min, closed_on, commune_id, tuple(rows[pk]))
        for pk, registered_on, closed_on, commune_id in Household.objects.filter(
            pk__in=Subquery(listed)
        ).values_list("pk", "registered_on", "closed_on", "commune_id")
    ]


def period_approved(communes: set[int], start: date, end: date) -> bool:
    """The decisions that changed the lists within the period (taking effect after `start`, by `end`) are all
    approved; False when there is none (`approval.area_approved`)."""
    decisions = list(
        Decision.objects.filter(
            commune_id__in=sorted(communes), effective_from__gt=start, effective_from__lte=end
        ).select_related("review", "commune")
    )
    return area_approved(decisions)


def approval_note(approved: bool) -> str:
    if approved:
        return _("Số liệu đã được cấp trên phê duyệt.")
    return _("Số liệu tạm thời: kết quả chưa được cấp trên phê duyệt.")


def _int(value: Value) -> int:
    return value if isinstance(value, int) else 0


def transitions_report(kind: ReportKind, area: AdminUnit, year: int, month: int | None = None) -> Report:
    """The report `kind` for `area` over a year or a month (module docstring)."""
    start, end, label = period(year, month)
    communes = commune_ids_within(area)
    stays = load_stays(communes)
    touching: dict[int, list[Stay]] = defaultdict(list)
    for stay in stays:
        for commune in {row.commune for row in stay.rows} | {stay.home_commune}:
            if commune in communes:
                touching[commune].append(stay)
    units = AdminUnit.objects.in_bulk(list(touching))
    rows = []
    for pk in sorted(units, key=lambda pk: (units[pk].code, units[pk].valid_from or date.min)):
        line = tally(touching[pk], kind.listed, start, end, {pk})
        if any(line.households.values()):
            rows.append(
                Line(units[pk].code, area_label(units[pk]), dict(line.households), dict(line.persons))
            )
    whole = tally(stays, kind.listed, start, end, communes)
    total = Line(area.code, area_label(area), dict(whole.households), dict(whole.persons))
    approved = period_approved(communes, start, end)
    notes = [
        approval_note(approved),
        _("Đầu kỳ: danh sách có hiệu lực ngày %(start)s; cuối kỳ: danh sách có hiệu lực ngày %(end)s.")
        % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"},
    ]
    if any(sum(_int(row.values[c]) for row in rows) != total.values[c] for c in (4, 8)):
        notes.append(_("Hộ chuyển giữa các xã trong địa bàn được tính giảm ở xã đi, tăng ở xã đến, không tính ở "
                       "dòng tổng."))  # fmt: skip
    return Report(kind, area, start, end, label, rows, total, notes, approved)


def results_report(area: AdminUnit, year: int, month: int | None = None) -> Report:
    """Form 1 for `area`: the lists in force at the end of the period (1 January Y + 1 for a year), against the
    households and people resident that day (module docstring)."""
    start, end, label = period(year, month)
    communes = commune_ids_within(area)
    listed = {stay.household: stay for stay in load_stays(communes)}
    registered = Household.objects.filter(Q(commune_id__in=sorted(communes)) | Q(pk__in=list(listed)))
    places: dict[int, int] = {}  # household -> commune of the area it is resident in on `end`
    status: dict[int, str] = {}
    listed_people: dict[int, int] = {}  # the people the decision listed, for the people of the lists
    for pk, registered_on, closed_on, commune_id in registered.values_list(
        "pk", "registered_on", "closed_on", "commune_id"
    ):
        stay = listed.get(pk) or Stay(pk, registered_on or date.min, closed_on, commune_id)
        if not stay.exists_on(end):
            continue
        row = stay.row_on(end)
        commune = row.commune if row is not None else stay.home_commune
        if commune in communes:
            places[pk] = commune
            status[pk] = row.status if row is not None else PovertyClass.NOT_POOR
            if row is not None:
                listed_people[pk] = row.members
    people: dict[int, int] = dict.fromkeys(places, 0)
    members = Membership.objects.filter(start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=end)
    )
    for start_index in range(0, len(places), 5_000):
        chunk = sorted(places)[start_index : start_index + 5_000]
        for household_id in members.filter(household_id__in=chunk).values_list("household_id", flat=True):
            people[household_id] += 1
    groups: dict[int, list[int]] = defaultdict(list)
    for pk, commune in places.items():
        groups[commune].append(pk)
    units = AdminUnit.objects.in_bulk(list(groups))
    approved = period_approved(communes, start, end)
    notes = [
        approval_note(approved),
        _("Danh sách có hiệu lực ngày %(end)s; hộ dân cư và nhân khẩu có mặt ngày đó.")
        % {"end": f"{end:%d/%m/%Y}"},
    ]
    rows = [
        _results_line(units[pk].code, area_label(units[pk]), groups[pk], status, people, listed_people)
        for pk in sorted(units, key=lambda pk: (units[pk].code, units[pk].valid_from or date.min))
    ]
    total = _results_line(area.code, area_label(area), list(places), status, people, listed_people)
    if any(row.values[1] == 0 for row in [*rows, total]):
        notes.append(_("Tỷ lệ để trống: địa bàn không có hộ dân cư nào trong danh sách (mẫu số bằng 0)."))
    return Report(RESULTS, area, start, end, label, rows, total, notes, approved)


def _results_line(
    code: str,
    name: str,
    households: list[int],
    status: dict[int, str],
    people: dict[int, int],
    listed_people: dict[int, int],
) -> Line:
    values: dict[int, Value] = dict.fromkeys(range(1, 15), 0)
    values[1] = len(households)
    values[2] = sum(people[pk] for pk in households)
    for pk in households:
        column = RESULT_COLUMNS.get(status[pk])
        if column is not None:
            values[column] = _int(values[column]) + 1
            values[column + 6] = _int(values[column + 6]) + listed_people.get(pk, people[pk])
    for rate, (part, whole) in RATES.items():
        values[rate] = percent(_int(values[part]), _int(values[whole]))
    return Line(code, name, values)


def deprivations_report(kind: ReportKind, area: AdminUnit, year: int, month: int | None = None) -> Report:
    """Forms 4-7: the households of a list in force at the end of the period, and how many of them are deprived on
    each indicator of their standard (as the survey behind their status found), as counts or as rates of the
    list's households. Columns: 1 the households, 2 the deprivations counted, then one per indicator."""
    rates = kind.name.startswith("ty-le")
    start, end, label = period(year, month)
    communes = commune_ids_within(area)
    listed = listed_assessments(kind.listed, communes, end)
    masks = _assessment_values(listed, "deprivation_mask")
    # The indicators of the standards behind the lists; with nobody listed, those of the standard the lists of
    # that day are decided under, so that an empty report still shows its columns.
    standards = {standard for _mask, standard in masks.values()} or {standard_for_lists_year(end.year).id}
    indicators = _indicator_columns(standards)
    columns = (
        (1, _("Tổng số hộ") if not rates else _("Tổng số hộ (mẫu số)")),
        (2, _("Tổng số lượt thiếu hụt") if not rates else _("Số lượt thiếu hụt bình quân mỗi hộ")),
        *((3 + index, name) for index, (_bit, name) in enumerate(indicators)),
    )

    def line(code: str, name: str, assessments: list[int]) -> Line:
        values: dict[int, Value] = {1: len(assessments), 2: 0}
        counts = [0] * len(indicators)
        for pk in assessments:
            mask = masks[pk][0]
            for index, (bit, _name) in enumerate(indicators):
                if mask & (1 << bit):
                    counts[index] += 1
        total = sum(counts)
        values[2] = (
            (round_half_up(Decimal(total) / len(assessments), 2) if assessments else None) if rates else total
        )
        for index, count in enumerate(counts):
            values[3 + index] = percent(count, len(assessments)) if rates else count
        return Line(code, name, values)

    units = AdminUnit.objects.in_bulk(list(listed))
    rows = [
        line(units[pk].code, area_label(units[pk]), listed[pk])
        for pk in sorted(units, key=lambda pk: (units[pk].code, units[pk].valid_from or date.min))
    ]
    total = line(area.code, area_label(area), [a for items in listed.values() for a in items])
    approved = period_approved(communes, start, end)
    notes = [
        approval_note(approved),
        _("Hộ trong danh sách có hiệu lực ngày %(end)s; thiếu hụt theo phiếu rà soát làm căn cứ công nhận.")
        % {"end": f"{end:%d/%m/%Y}"},
    ]
    if rates and not total.values[1]:
        notes.append(_("Tỷ lệ để trống: không có hộ nào trong danh sách (mẫu số bằng 0)."))
    return Report(kind, area, start, end, label, rows, total, notes, approved, columns)


def listed_assessments(listed: str, communes: set[int], day: date) -> dict[int, list[int]]:
    """{commune: the assessments behind the households on the list `listed` in force on `day`} for an area."""
    found: dict[int, list[int]] = defaultdict(list)
    for stay in load_stays(communes):
        standing, _members = stay.standing(day, communes)
        row = stay.row_on(day)
        if standing == listed and row is not None and row.assessment is not None:
            found[row.commune].append(row.assessment)
    return found


def _assessment_values(listed: dict[int, list[int]], field_name: str) -> dict[int, tuple[int, str]]:
    """{assessment: (its `field_name` mask, its standard)} for the assessments of `listed`."""
    values: dict[int, tuple[int, str]] = {}
    ids = sorted(a for items in listed.values() for a in items)
    for first in range(0, len(ids), 5_000):
        for pk, mask, standard_id in Assessment.objects.filter(pk__in=ids[first : first + 5_000]).values_list(
            "pk", field_name, "standard_id"
        ):
            values[pk] = (mask, standard_id)
    return values


def causes_report(kind: ReportKind, area: AdminUnit, year: int, month: int | None = None) -> Report:
    """Form 10: the households of a list in force at the end of the period by cause of poverty, as the survey
    behind their recognition recorded it. A household may have several causes, so the causes do not add up to
    the households; column 2 counts those with none recorded."""
    start, end, label = period(year, month)
    communes = commune_ids_within(area)
    listed = listed_assessments(kind.listed, communes, end)
    masks = _assessment_values(listed, "causes_mask")

    def line(code: str, name: str, assessments: list[int]) -> Line:
        values: dict[int, Value] = {1: len(assessments), 2: sum(1 for pk in assessments if not masks[pk][0])}
        for cause in Cause:
            values[3 + cause.value] = sum(1 for pk in assessments if masks[pk][0] & (1 << cause.value))
        return Line(code, name, values)

    units = AdminUnit.objects.in_bulk(list(listed))
    rows = [
        line(units[pk].code, area_label(units[pk]), listed[pk])
        for pk in sorted(units, key=lambda pk: (units[pk].code, units[pk].valid_from or date.min))
    ]
    total = line(area.code, area_label(area), [a for items in listed.values() for a in items])
    approved = period_approved(communes, start, end)
    notes = [
        approval_note(approved),
        _("Một hộ có thể có nhiều nguyên nhân: các cột nguyên nhân không cộng lại bằng số hộ."),
    ]
    with translation.override(settings.LANGUAGE_CODE):  # the form's own words, like its title
        columns = (
            (1, "Tổng số hộ"),
            (2, "Chưa ghi nguyên nhân"),
            *((3 + c.value, str(c.label)) for c in Cause),
        )
    return Report(kind, area, start, end, label, rows, total, notes, approved, columns)


def ethnicity_report(area: AdminUnit, year: int, month: int | None = None) -> Report:
    """Form 9: the households of the poor and near-poor lists in force at the end of the period by the ethnicity of
    their head as the registry records it (an ethnic minority, Kinh, or not recorded); each list's three columns
    add up to its households."""
    start, end, label = period(year, month)
    communes = commune_ids_within(area)
    listed: dict[int, list[tuple[str, int]]] = defaultdict(list)  # commune -> (list, household)
    for stay in load_stays(communes):
        standing, _members = stay.standing(end, communes)
        row = stay.row_on(end)
        if standing in (POOR, NEAR_POOR) and row is not None:
            listed[row.commune].append((standing, stay.household))
    households = [pk for items in listed.values() for _list, pk in items]
    minority: dict[int, bool | None] = {}
    for first in range(0, len(households), 5_000):
        for pk, is_minority in Household.objects.filter(pk__in=households[first : first + 5_000]).values_list(
            "pk", "head__ethnicity__is_minority"
        ):
            minority[pk] = is_minority

    def line(code: str, name: str, items: list[tuple[str, int]]) -> Line:
        values: dict[int, Value] = dict.fromkeys(range(1, 9), 0)
        for which, pk in items:
            base = 1 if which == POOR else 5
            kind = {True: 1, False: 2, None: 3}[minority.get(pk)]
            values[base] = _int(values[base]) + 1
            values[base + kind] = _int(values[base + kind]) + 1
        return Line(code, name, values)

    units = AdminUnit.objects.in_bulk(list(listed))
    rows = [
        line(units[pk].code, area_label(units[pk]), listed[pk])
        for pk in sorted(units, key=lambda pk: (units[pk].code, units[pk].valid_from or date.min))
    ]
    total = line(area.code, area_label(area), [item for items in listed.values() for item in items])
    approved = period_approved(communes, start, end)
    notes = [
        approval_note(approved),
        _("Dân tộc của chủ hộ theo sổ hộ hiện nay; hộ trong danh sách có hiệu lực ngày %(end)s.")
        % {"end": f"{end:%d/%m/%Y}"},
    ]
    return Report(ETHNICITY, area, start, end, label, rows, total, notes, approved)


def _indicator_columns(standards: set[str]) -> list[tuple[int, str]]:
    """(catalogue bit, name) of the indicators of `standards`, in the order of the first standard (by code), then
    those only the others count (a period whose lists come from two standards)."""
    catalogue = load_catalogue()
    seen: dict[int, str] = {}
    for code in sorted(standards):
        definition = get_standard(code)
        for rule in definition.indicators:
            seen.setdefault(definition.bit(rule.code), indicator_name(rule.code, catalogue))
    return list(seen.items())


def build_report(kind: ReportKind, area: AdminUnit, year: int, month: int | None = None) -> Report:
    if kind is RESULTS:
        return results_report(area, year, month)
    if kind in DEPRIVATIONS.values():
        return deprivations_report(kind, area, year, month)
    if kind in CAUSES.values():
        return causes_report(kind, area, year, month)
    if kind is ETHNICITY:
        return ethnicity_report(area, year, month)
    return transitions_report(kind, area, year, month)
