"""The statutory reports of the official lists, for any area (commune, legacy district, province; the historical or
the current hierarchy) and any year or month (domain.md §3.5):

- "Tổng hợp kết quả chính thức rà soát" (`ket-qua`, form 1): resident households and people, and the poor,
  near-poor and middle-living-standard ones with their rates, from the lists in force at the end of the period. A
  rate whose denominator is missing or zero is left blank, with a note, never printed as a number.
- "Tổng hợp diễn biến hộ nghèo" and "... hộ cận nghèo" (forms 2 and 3), on the household and the person basis.
- The deprivations of the listed households by indicator, as counts and rates (forms 4-7), the listed households
  by target group (`nhom-doi-tuong`, form 8), by the head's ethnicity (`dan-toc`, form 9), by cause of poverty
  (`nguyen-nhan-*`, form 10), their children (`tre-em`, form 11), the summaries of each list (`tong-hop-ngheo`,
  `tong-hop-can-ngheo`, forms 12 and 13) and the named lists (`danh-sach-ngheo`, `danh-sach-can-ngheo`, forms 15
  and 14).

Resident households are those of the registry on the day (registered, not closed), placed by their status row
when they have one and by the registry otherwise; resident people are their members on the day. The people of a
list are those its decision listed with each household (as the transition reports count them).

A year Y runs from the lists in force on 1 January Y (decided at the end of Y − 1) to those in force on 1 January
Y + 1 (decided at the end of Y, with the regular decisions of the year in between); a month from its first day to
the first of the next. One line per commune of the area (per village when the area is a commune: the village of
the status row, else the registry's; the households with no village recorded on a line of their own), and the
area's total, each computed from the same households; the transitions by `transitions.tally` so that every line
adds up (End = Start − decreases + increases). A household that moved between two communes (villages) of the area
is a decrease of one line and an increase of the other, and neither in the total. The named lists have one line
per household instead, ordered by commune, village and household code, read in batches.

What the registry does not hold is not reported: the support columns of forms 8, 12 and 13 (health, education,
production, credit, housing and other support received) wait for the support records of issue 10; the facts of
forms 8 and 11 are today's household flags and the members' recorded facts, and an unrecorded fact is never
counted as a deprivation (the notes say how many are unknown).
Until approval exists (a later part of the review procedure) every figure is provisional, and the report says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, Subquery
from django.utils import translation
from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit, UnitLevel, Village
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.decisions.approval import area_approved
from giamngheo.decisions.models import Decision, OfficialStatus
from giamngheo.decisions.transitions import LISTS, NEAR_POOR, POOR, Row, Stay, tally
from giamngheo.engine.facts import age_on
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
    per_household: bool = False  # one line per household (the named lists) rather than per area


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
TARGET_GROUPS = ReportKind(
    name="nhom-doi-tuong",
    title="Phân tích hộ nghèo, hộ cận nghèo theo các nhóm đối tượng",
    listed="",
    columns=(
        (1, "Số hộ nghèo"),
        (2, "Trong đó: hộ không có khả năng lao động"),
        (3, "Trong đó: hộ có thành viên là người có công với cách mạng"),
        (4, "Trong đó: chủ hộ là người dân tộc thiểu số"),
        (5, "Trong đó: chủ hộ là người dân tộc tại chỗ"),
        (6, "Số hộ cận nghèo"),
        (7, "Trong đó: hộ không có khả năng lao động"),
        (8, "Trong đó: hộ có thành viên là người có công với cách mạng"),
        (9, "Trong đó: chủ hộ là người dân tộc thiểu số"),
        (10, "Trong đó: chủ hộ là người dân tộc tại chỗ"),
    ),
)
CHILDREN = ReportKind(
    name="tre-em",
    title="Tổng hợp chỉ tiêu thiếu hụt của trẻ em thuộc hộ nghèo, hộ cận nghèo",
    listed="",
    columns=(
        (1, "Số trẻ em dưới 16 tuổi thuộc hộ nghèo"),
        (2, "Trong đó: không có bảo hiểm y tế"),
        (3, "Trong đó: suy dinh dưỡng"),
        (4, "Trong đó: từ 3 đến dưới 16 tuổi không đi học"),
        (5, "Số trẻ em dưới 16 tuổi thuộc hộ cận nghèo"),
        (6, "Trong đó: không có bảo hiểm y tế"),
        (7, "Trong đó: suy dinh dưỡng"),
        (8, "Trong đó: từ 3 đến dưới 16 tuổi không đi học"),
    ),
)


def _summary_columns(which: str) -> tuple[tuple[int, str], ...]:
    return (
        (1, f"Số hộ {which}"),
        (2, f"Số nhân khẩu hộ {which}"),
        (3, "Hộ không có khả năng lao động"),
        (4, "Hộ có thành viên là người có công với cách mạng"),
        (5, "Chủ hộ là người dân tộc thiểu số"),
        (6, "Chủ hộ là người dân tộc tại chỗ"),
        (7, "Tổng số lượt thiếu hụt dịch vụ xã hội cơ bản"),
        (8, "Số trẻ em dưới 16 tuổi"),
    )


SUMMARIES = {
    POOR: ReportKind(
        "tong-hop-ngheo",
        "Tổng hợp kết quả rà soát hộ nghèo theo chuẩn nghèo đa chiều",
        POOR,
        _summary_columns("nghèo"),
    ),
    NEAR_POOR: ReportKind(
        "tong-hop-can-ngheo",
        "Tổng hợp kết quả rà soát hộ cận nghèo theo chuẩn nghèo đa chiều",
        NEAR_POOR,
        _summary_columns("cận nghèo"),
    ),
}
_LIST_COLUMNS = (
    (1, "Mã hộ"),
    (2, "Họ và tên chủ hộ"),
    (3, "Thôn"),
    (4, "Số nhân khẩu"),
    (5, "Dân tộc của chủ hộ"),
    (6, "Số chỉ số thiếu hụt"),
)
NAMED_LISTS = {
    POOR: ReportKind(
        "danh-sach-ngheo", "Danh sách chi tiết hộ nghèo", POOR, _LIST_COLUMNS, per_household=True
    ),
    NEAR_POOR: ReportKind(
        "danh-sach-can-ngheo", "Danh sách chi tiết hộ cận nghèo", NEAR_POOR, _LIST_COLUMNS, per_household=True
    ),
}
REPORTS = {
    kind.name: kind
    for kind in (  # in the order of the forms (domain.md §3.5)
        RESULTS,
        POOR_TRANSITIONS,
        NEAR_POOR_TRANSITIONS,
        *DEPRIVATIONS.values(),
        TARGET_GROUPS,
        ETHNICITY,
        *CAUSES.values(),
        CHILDREN,
        SUMMARIES[POOR],
        SUMMARIES[NEAR_POOR],
        NAMED_LISTS[POOR],
        NAMED_LISTS[NEAR_POOR],
    )
}
RESULT_COLUMNS = {PovertyClass.POOR.value: 3, PovertyClass.NEAR_POOR.value: 5, PovertyClass.MIDDLE.value: 7}
RATES = {4: (3, 1), 6: (5, 1), 8: (7, 1), 10: (9, 2), 12: (11, 2), 14: (13, 2)}


Value = int | Decimal | str | None  # a count, a rate (None: no denominator), a text (the named lists)
Key = tuple[int, int | None]  # a line's place: (commune, village or None; None too on per-commune lines)


@dataclass
class Line:
    """One line of a report: its values by the form's column numbers (and the person basis, for the transitions).
    `area_code` and `area_name` are the commune's (the area's, for the total); a village line also names its
    village (`village_name` "Chưa ghi thôn", `village_code` None for the households with none), a household line
    (named lists) its household."""

    area_code: str
    area_name: str
    values: dict[int, Value]
    persons: dict[int, Value] | None = None
    village_code: str | None = None
    village_name: str | None = None
    household: int | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"area_code": self.area_code, "area_name": self.area_name}
        if self.village_name is not None:
            data["village_code"] = self.village_code
            data["village_name"] = self.village_name
        if self.household is not None:
            data["household_id"] = self.household
        data["values"] = {str(n): _json_value(v) for n, v in self.values.items()}
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
    lines: str = "commune"  # what a row is: "commune", "village" (a commune's report) or "household"

    def __post_init__(self) -> None:
        if not self.columns:
            self.columns = self.kind.columns

    def row_labels(self) -> list[str]:
        """The name of each row as printed: its village (with its commune when the rows span several), else its
        commune."""
        several = len({row.area_name for row in self.rows}) > 1
        return [
            row.area_name
            if row.village_name is None
            else (f"{row.village_name} — {row.area_name}" if several else row.village_name)
            for row in self.rows
        ]

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
            "lines": self.lines,
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
    for household_id, valid_from, status, commune_id, members, assessment_id, village_id in (
        OfficialStatus.objects.filter(household_id__in=Subquery(listed))
        .order_by("household_id", "valid_from", "id")
        .values_list(
            "household_id",
            "valid_from",
            "status",
            "commune_id",
            "member_count",
            "assessment_id",
            "village_id",
        )
    ):
        rows[household_id].append(Row(valid_from, status, commune_id, members, assessment_id, village_id))
    return [
        # A household without a registration date (legacy records) is taken as registered from the start.
        Stay(pk, registered_on or date.min, closed_on, commune_id, tuple(rows[pk]), village_id)
        for pk, registered_on, closed_on, commune_id, village_id in Household.objects.filter(
            pk__in=Subquery(listed)
        ).values_list("pk", "registered_on", "closed_on", "commune_id", "village_id")
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


VillageLines = int | None  # the commune whose report has one line per village; None: one line per commune


def village_lines(area: AdminUnit) -> VillageLines:
    """A commune's reports have one line per village (`area`'s key); a wider area's one per commune (None)."""
    return area.pk if area.level == UnitLevel.COMMUNE else None


def line_key(commune: int, village: int | None, villages: VillageLines) -> Key:
    """The line a household placed in `commune` and `village` is counted on: on a commune's village lines, the
    village under that commune, whichever commune the record names (a village the 2025 reform moved into today's
    commune is one line, its records before the reform naming the former commune)."""
    return (villages, village) if villages else (commune, None)


def ordered_places(
    keys: Iterable[Key], villages: VillageLines | bool
) -> list[tuple[Key, AdminUnit, Village | None]]:
    """(line, its commune, its village) for `keys`, in the order of the communes' codes and, on village lines,
    the villages' local codes (the households with no village recorded last)."""
    keys = list(keys)
    units = AdminUnit.objects.in_bulk(sorted({commune for commune, _village in keys}))
    places = (
        Village.objects.in_bulk(sorted({village for _commune, village in keys if village is not None}))
        if villages
        else {}
    )
    found = [(key, units[key[0]], places.get(key[1]) if key[1] is not None else None) for key in keys]
    return sorted(
        found,
        key=lambda place: (
            place[1].code,
            place[1].valid_from or date.min,
            place[2] is None,
            place[2].local_code if place[2] is not None else "",
            place[2].name if place[2] is not None else "",
        ),
    )


def ordered_lines(
    keys: Iterable[Key], villages: VillageLines, make: Callable[[Key, str, str], Line]
) -> list[Line]:
    """The lines of `keys` in order (`ordered_places`), made by `make(key, commune code, commune label)`; on
    village lines, named after their village."""
    lines = []
    for key, unit, village in ordered_places(keys, villages):
        line = make(key, unit.code, area_label(unit))
        if villages:
            line.village_code = village.local_code if village is not None else None
            line.village_name = village.name if village is not None else _("Chưa ghi thôn")
        lines.append(line)
    return lines


def _lines_kind(villages: VillageLines) -> str:
    return "village" if villages else "commune"


def transitions_report(kind: ReportKind, area: AdminUnit, year: int, month: int | None = None) -> Report:
    """The report `kind` for `area` over a year or a month (module docstring)."""
    start, end, label = period(year, month)
    communes = commune_ids_within(area)
    villages = village_lines(area)
    stays = load_stays(communes)
    touching: dict[Key, list[Stay]] = defaultdict(list)
    for stay in stays:
        places = {line_key(row.commune, row.village, villages) for row in stay.rows}
        places.add(line_key(stay.home_commune, stay.home_village, villages))
        for key in places:
            if key[0] in communes:
                touching[key].append(stay)

    def make(key: Key, code: str, name: str) -> Line:
        line = tally(
            touching[key],
            kind.listed,
            start,
            end,
            communes if villages else {key[0]},
            {key[1]} if villages else None,
        )
        return Line(code, name, dict(line.households), dict(line.persons))

    rows = [line for line in ordered_lines(touching, villages, make) if any(line.values.values())]
    whole = tally(stays, kind.listed, start, end, communes)
    total = Line(area.code, area_label(area), dict(whole.households), dict(whole.persons))
    approved = period_approved(communes, start, end)
    notes = [
        approval_note(approved),
        _("Đầu kỳ: danh sách có hiệu lực ngày %(start)s; cuối kỳ: danh sách có hiệu lực ngày %(end)s.")
        % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"},
    ]
    if any(sum(_int(row.values[c]) for row in rows) != total.values[c] for c in (4, 8)):
        if villages:
            notes.append(
                _(
                    "Hộ chuyển giữa các thôn trong địa bàn được tính giảm ở thôn đi, tăng ở thôn đến, "
                    "không tính ở dòng tổng."
                )
            )
        else:
            notes.append(
                _(
                    "Hộ chuyển giữa các xã trong địa bàn được tính giảm ở xã đi, tăng ở xã đến, không "
                    "tính ở dòng tổng."
                )
            )
    return Report(kind, area, start, end, label, rows, total, notes, approved, lines=_lines_kind(villages))


def results_report(area: AdminUnit, year: int, month: int | None = None) -> Report:
    """Form 1 for `area`: the lists in force at the end of the period (1 January Y + 1 for a year), against the
    households and people resident that day (module docstring)."""
    start, end, label = period(year, month)
    communes = commune_ids_within(area)
    villages = village_lines(area)
    listed = {stay.household: stay for stay in load_stays(communes)}
    registered = Household.objects.filter(Q(commune_id__in=sorted(communes)) | Q(pk__in=list(listed)))
    places: dict[int, Key] = {}  # household -> the line of the area it is resident on on `end`
    status: dict[int, str] = {}
    listed_people: dict[int, int] = {}  # the people the decision listed, for the people of the lists
    for pk, registered_on, closed_on, commune_id, village_id in registered.values_list(
        "pk", "registered_on", "closed_on", "commune_id", "village_id"
    ):
        stay = listed.get(pk) or Stay(pk, registered_on or date.min, closed_on, commune_id, (), village_id)
        if not stay.exists_on(end):
            continue
        row = stay.row_on(end)
        commune, village = stay.place_on(end)
        if commune in communes:
            places[pk] = line_key(commune, village, villages)
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
    groups: dict[Key, list[int]] = defaultdict(list)
    for pk, key in places.items():
        groups[key].append(pk)
    approved = period_approved(communes, start, end)
    notes = [
        approval_note(approved),
        _("Danh sách có hiệu lực ngày %(end)s; hộ dân cư và nhân khẩu có mặt ngày đó.")
        % {"end": f"{end:%d/%m/%Y}"},
    ]
    rows = ordered_lines(
        groups,
        villages,
        lambda key, code, name: _results_line(code, name, groups[key], status, people, listed_people),
    )
    total = _results_line(area.code, area_label(area), list(places), status, people, listed_people)
    if any(row.values[1] == 0 for row in [*rows, total]):
        notes.append(_("Tỷ lệ để trống: địa bàn không có hộ dân cư nào trong danh sách (mẫu số bằng 0)."))
    return Report(RESULTS, area, start, end, label, rows, total, notes, approved, lines=_lines_kind(villages))


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
    villages = village_lines(area)
    listed = listed_assessments(kind.listed, communes, end, villages=villages)
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

    rows = ordered_lines(listed, villages, lambda key, code, name: line(code, name, listed[key]))
    total = line(area.code, area_label(area), [a for items in listed.values() for a in items])
    approved = period_approved(communes, start, end)
    notes = [
        approval_note(approved),
        _("Hộ trong danh sách có hiệu lực ngày %(end)s; thiếu hụt theo phiếu rà soát làm căn cứ công nhận.")
        % {"end": f"{end:%d/%m/%Y}"},
    ]
    if rates and not total.values[1]:
        notes.append(_("Tỷ lệ để trống: không có hộ nào trong danh sách (mẫu số bằng 0)."))
    return Report(
        kind, area, start, end, label, rows, total, notes, approved, columns, lines=_lines_kind(villages)
    )


@dataclass(frozen=True)
class Listed:
    """A household on the poor or the near-poor list in force on a day: which list, where the status row places
    it, the people the decision listed with it and the survey behind it."""

    household: int
    status: str  # POOR or NEAR_POOR
    commune: int
    village: int | None
    members: int
    assessment: int | None


def listed_households(communes: set[int], day: date) -> list[Listed]:
    """The households of an area (`communes`) on the poor and near-poor lists in force on `day`."""
    found = []
    for stay in load_stays(communes):
        standing, members = stay.standing(day, communes)
        row = stay.row_on(day)
        if standing in LISTS and row is not None:
            found.append(
                Listed(stay.household, row.status, row.commune, row.village, members, row.assessment)
            )
    return found


def _by_line(items: Iterable[Listed], villages: VillageLines) -> dict[Key, list[Listed]]:
    groups: dict[Key, list[Listed]] = defaultdict(list)
    for item in items:
        groups[line_key(item.commune, item.village, villages)].append(item)
    return groups


def listed_assessments(
    listed: str, communes: set[int], day: date, *, villages: VillageLines = None
) -> dict[Key, list[int]]:
    """{line: the assessments behind the households on the list `listed` in force on `day`} for an area."""
    found: dict[Key, list[int]] = defaultdict(list)
    for item in listed_households(communes, day):
        if item.status == listed and item.assessment is not None:
            found[line_key(item.commune, item.village, villages)].append(item.assessment)
    return found


def _assessment_values(listed: Mapping[Any, list[int]], field_name: str) -> dict[int, tuple[int, str]]:
    """{assessment: (its `field_name` value, its standard)} for the assessments of `listed`."""
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
    villages = village_lines(area)
    listed = listed_assessments(kind.listed, communes, end, villages=villages)
    masks = _assessment_values(listed, "causes_mask")

    def line(code: str, name: str, assessments: list[int]) -> Line:
        values: dict[int, Value] = {1: len(assessments), 2: sum(1 for pk in assessments if not masks[pk][0])}
        for cause in Cause:
            values[3 + cause.value] = sum(1 for pk in assessments if masks[pk][0] & (1 << cause.value))
        return Line(code, name, values)

    rows = ordered_lines(listed, villages, lambda key, code, name: line(code, name, listed[key]))
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
    return Report(
        kind, area, start, end, label, rows, total, notes, approved, columns, lines=_lines_kind(villages)
    )


def ethnicity_report(area: AdminUnit, year: int, month: int | None = None) -> Report:
    """Form 9: the households of the poor and near-poor lists in force at the end of the period by the ethnicity of
    their head as the registry records it (an ethnic minority, Kinh, or not recorded); each list's three columns
    add up to its households."""
    start, end, label = period(year, month)
    communes = commune_ids_within(area)
    villages = village_lines(area)
    items = listed_households(communes, end)
    groups = _by_line(items, villages)
    traits = household_traits([item.household for item in items], end, members=False)

    def line(code: str, name: str, items: list[Listed]) -> Line:
        values: dict[int, Value] = dict.fromkeys(range(1, 9), 0)
        for item in items:
            base = 1 if item.status == POOR else 5
            kind = {True: 1, False: 2, None: 3}[traits[item.household].minority]
            values[base] = _int(values[base]) + 1
            values[base + kind] = _int(values[base + kind]) + 1
        return Line(code, name, values)

    rows = ordered_lines(groups, villages, lambda key, code, name: line(code, name, groups[key]))
    total = line(area.code, area_label(area), items)
    approved = period_approved(communes, start, end)
    notes = [
        approval_note(approved),
        _("Dân tộc của chủ hộ theo sổ hộ hiện nay; hộ trong danh sách có hiệu lực ngày %(end)s.")
        % {"end": f"{end:%d/%m/%Y}"},
    ]
    return Report(
        ETHNICITY, area, start, end, label, rows, total, notes, approved, lines=_lines_kind(villages)
    )


CHILD_AGE = 16  # a child is under 16 (Luật Trẻ em 2016, Điều 1)
SCHOOL_FROM = 3  # the children's schooling indicator counts children from 3 to under 16 (NĐ 07/2021)


@dataclass
class Children:
    """The children (under 16 on the day) of some households and their deprivations; `*_unknown` counts those
    whose fact is not recorded (never counted as deprived), `no_birth_date` the members whose age is unknown."""

    children: int = 0
    no_insurance: int = 0
    insurance_unknown: int = 0
    malnourished: int = 0
    nutrition_unknown: int = 0
    school_age: int = 0  # from 3 to under 16
    out_of_school: int = 0
    school_unknown: int = 0
    no_birth_date: int = 0

    def add(self, other: Children) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Traits:
    """What the registry holds of a listed household for the reports: its code, its head (name, ethnicity), its
    flags, and from its members on the day whether any has served the revolution, whether every one is recorded
    as unable to work, and its children."""

    code: str = ""
    head_name: str = ""
    ethnicity: str = ""
    minority: bool | None = None  # the head's ethnicity; None when not recorded
    indigenous: bool | None = None  # local indigenous (DTTC)
    flagged_no_working_capacity: bool = False
    flagged_meritorious: bool = False
    members: int = 0
    unable_to_work: int = 0  # members recorded as not able to work
    meritorious_member: bool = False
    children: Children = field(default_factory=Children)

    @property
    def no_working_capacity(self) -> bool:
        """Flagged so in the registry, or every member on the day recorded as not able to work."""
        return self.flagged_no_working_capacity or (self.members > 0 and self.unable_to_work == self.members)

    @property
    def meritorious(self) -> bool:
        return self.flagged_meritorious or self.meritorious_member


BATCH = 5_000


def household_traits(households: Sequence[int], day: date, *, members: bool = True) -> dict[int, Traits]:
    """{household: its `Traits` on `day`}, read in batches (with `members` False, without the members' facts)."""
    ids = sorted(set(households))
    found: dict[int, Traits] = {}
    for first in range(0, len(ids), BATCH):
        chunk = ids[first : first + BATCH]
        for pk, code, head, ethnicity, minority, indigenous, no_work, meritorious in Household.objects.filter(
            pk__in=chunk
        ).values_list(
            "pk",
            "code",
            "head__full_name",
            "head__ethnicity__name",
            "head__ethnicity__is_minority",
            "head__ethnicity__is_local_indigenous",
            "no_working_capacity",
            "has_meritorious_member",
        ):
            found[pk] = Traits(code, head or "", ethnicity or "", minority, indigenous, no_work, meritorious)
        if not members:
            continue
        rows = (
            Membership.objects.filter(household_id__in=chunk, start_date__lte=day)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
            .values_list(
                "household_id",
                "person__birth_date",
                "person__date_of_death",
                "person__able_to_work",
                "person__has_meritorious_service",
                "person__has_health_insurance",
                "person__malnourished",
                "person__in_education",
            )
        )
        for household_id, birth, death, able, served, insured, malnourished, in_school in rows:
            if death is not None and death <= day:
                continue
            traits = found[household_id]
            traits.members += 1
            traits.unable_to_work += able is False
            traits.meritorious_member = traits.meritorious_member or bool(served)
            _count_child(traits.children, age_on(birth, day), insured, malnourished, in_school)
    return found


def _count_child(
    children: Children,
    age: int | None,
    insured: bool | None,
    malnourished: bool | None,
    in_school: bool | None,
) -> None:
    if age is None:
        children.no_birth_date += 1
        return
    if not 0 <= age < CHILD_AGE:
        return
    children.children += 1
    children.no_insurance += insured is False
    children.insurance_unknown += insured is None
    children.malnourished += malnourished is True
    children.nutrition_unknown += malnourished is None
    if age >= SCHOOL_FROM:
        children.school_age += 1
        children.out_of_school += in_school is False
        children.school_unknown += in_school is None


def group_counts(items: Iterable[Listed], traits: Mapping[int, Traits]) -> tuple[int, int, int, int, int]:
    """(households, without working capacity, with a meritorious member, head of an ethnic minority, head of a
    local indigenous group) of `items`: form 8's columns for one list, and forms 12 and 13's."""
    counts = [0] * 5
    for item in items:
        found = traits[item.household]
        counts[0] += 1
        counts[1] += found.no_working_capacity
        counts[2] += found.meritorious
        counts[3] += found.minority is True
        counts[4] += found.indigenous is True
    return counts[0], counts[1], counts[2], counts[3], counts[4]


def child_counts(items: Iterable[Listed], traits: Mapping[int, Traits]) -> Children:
    """The children of the households of `items`: form 11's columns for one list, and forms 12 and 13's."""
    total = Children()
    for item in items:
        total.add(traits[item.household].children)
    return total


@dataclass
class ListedFacts:
    """What the reports of the listed households read besides the lists: each household's traits and, for the
    summaries, the deprivations counted by the survey behind each (assessment -> count)."""

    traits: dict[int, Traits]
    deprivations: dict[int, int] = field(default_factory=dict)


def _listed_report(
    kind: ReportKind,
    area: AdminUnit,
    year: int,
    month: int | None,
    line: Callable[[str, str, list[Listed], ListedFacts], Line],
    *,
    deprivations: bool = False,
) -> tuple[Report, list[Listed], ListedFacts]:
    """A report of the households on the lists at the end of the period (forms 8, 11, 12, 13): one `line` per
    commune (village) and the total, from the same households and the same facts."""
    start, end, label = period(year, month)
    communes = commune_ids_within(area)
    villages = village_lines(area)
    items = [item for item in listed_households(communes, end) if kind.listed in ("", item.status)]
    groups = _by_line(items, villages)
    facts = ListedFacts(household_traits([item.household for item in items], end))
    if deprivations:
        found = _assessment_values(
            {0: [item.assessment for item in items if item.assessment is not None]}, "deprivation_count"
        )
        facts.deprivations = {pk: count for pk, (count, _standard) in found.items()}
    rows = ordered_lines(groups, villages, lambda key, code, name: line(code, name, groups[key], facts))
    total = line(area.code, area_label(area), items, facts)
    approved = period_approved(communes, start, end)
    notes = [
        approval_note(approved),
        _("Hộ trong danh sách có hiệu lực ngày %(end)s; thành viên của hộ có mặt ngày đó.")
        % {"end": f"{end:%d/%m/%Y}"},
    ]
    report = Report(kind, area, start, end, label, rows, total, notes, approved, lines=_lines_kind(villages))
    return report, items, facts


def _group_notes() -> list[str]:
    return [
        _(
            "Hộ không có khả năng lao động: hộ được đánh dấu như vậy trong sổ hộ, hoặc mọi thành viên đều được ghi là "
            "không có khả năng lao động. Hộ có người có công: hộ được đánh dấu, hoặc có thành viên được ghi là người "
            "có công với cách mạng. Dân tộc của chủ hộ theo sổ hộ hiện nay."
        ),
    ]


def target_groups_report(area: AdminUnit, year: int, month: int | None = None) -> Report:
    """Form 8: the households of each list at the end of the period, of which without working capacity, with a
    meritorious member, with a head of an ethnic minority or of a local indigenous group (`group_counts`)."""

    def line(code: str, name: str, items: list[Listed], facts: ListedFacts) -> Line:
        values: dict[int, Value] = {}
        for base, which in ((1, POOR), (6, NEAR_POOR)):
            counts = group_counts((item for item in items if item.status == which), facts.traits)
            values.update({base + index: count for index, count in enumerate(counts)})
        return Line(code, name, values)

    report, _items, _facts = _listed_report(TARGET_GROUPS, area, year, month, line)
    report.notes += [
        *_group_notes(),
        _(
            "Chưa có các cột hộ được hỗ trợ (y tế, giáo dục, sản xuất, tín dụng, nhà ở, khác): hệ thống chưa ghi "
            "nhận các chính sách hỗ trợ."
        ),
    ]
    return report


def _child_values(children: Children) -> list[int]:
    return [children.children, children.no_insurance, children.malnourished, children.out_of_school]


def _children_notes(end: date, children: Children) -> list[str]:
    notes = [
        _("Trẻ em: thành viên dưới 16 tuổi vào ngày %(end)s, tính theo ngày sinh.")
        % {"end": f"{end:%d/%m/%Y}"}
    ]
    if children.no_birth_date:
        notes.append(
            _(
                "%(count)s thành viên chưa ghi ngày sinh: không xác định được có phải trẻ em không, không tính."
            )
            % {"count": children.no_birth_date}
        )
    if children.insurance_unknown or children.nutrition_unknown or children.school_unknown:
        notes.append(
            _(
                "Chưa ghi, không tính là thiếu hụt: %(insurance)s trẻ em chưa ghi bảo hiểm y tế, %(nutrition)s trẻ "
                "em chưa ghi tình trạng dinh dưỡng, %(school)s trẻ em từ 3 tuổi chưa ghi việc đi học."
            )
            % {
                "insurance": children.insurance_unknown,
                "nutrition": children.nutrition_unknown,
                "school": children.school_unknown,
            }
        )
    return notes


def children_report(area: AdminUnit, year: int, month: int | None = None) -> Report:
    """Form 11: the children (under 16 on the day the lists of the end of the period take effect, by the birth
    dates of the members that day) of the poor and of the near-poor households, of which without health
    insurance, malnourished, and of those from 3 not in school, as recorded (`child_counts`)."""

    def line(code: str, name: str, items: list[Listed], facts: ListedFacts) -> Line:
        values: dict[int, Value] = {}
        for base, which in ((1, POOR), (5, NEAR_POOR)):
            counts = _child_values(
                child_counts((item for item in items if item.status == which), facts.traits)
            )
            values.update({base + index: count for index, count in enumerate(counts)})
        return Line(code, name, values)

    report, items, facts = _listed_report(CHILDREN, area, year, month, line)
    report.notes += _children_notes(report.end, child_counts(items, facts.traits))
    return report


def summary_report(kind: ReportKind, area: AdminUnit, year: int, month: int | None = None) -> Report:
    """Forms 12 and 13: for the households of one list at the end of the period, the households and the people
    listed with them, the target groups of form 8 (`group_counts`), the deprivations the surveys behind them
    found (form 4's column 2) and their children (form 11's, `child_counts`)."""

    def line(code: str, name: str, items: list[Listed], facts: ListedFacts) -> Line:
        households, no_work, meritorious, minority, indigenous = group_counts(items, facts.traits)
        values: dict[int, Value] = {
            1: households,
            2: sum(item.members for item in items),
            3: no_work,
            4: meritorious,
            5: minority,
            6: indigenous,
            7: sum(
                facts.deprivations.get(item.assessment, 0) for item in items if item.assessment is not None
            ),
            8: child_counts(items, facts.traits).children,
        }
        return Line(code, name, values)

    report, items, facts = _listed_report(kind, area, year, month, line, deprivations=True)
    children = child_counts(items, facts.traits)
    report.notes += [
        _(
            "Số nhân khẩu: những người quyết định công nhận ghi cùng hộ. Số lượt thiếu hụt theo phiếu rà soát làm căn "
            "cứ công nhận."
        ),
        *_group_notes(),
        _("Chưa có các cột hộ được hỗ trợ: hệ thống chưa ghi nhận các chính sách hỗ trợ."),
        *_children_notes(
            report.end, Children(children=children.children, no_birth_date=children.no_birth_date)
        ),
    ]
    return report


LIST_COLUMNS = range(1, len(_LIST_COLUMNS) + 1)


def named_list_report(kind: ReportKind, area: AdminUnit, year: int, month: int | None = None) -> Report:
    """Forms 14 and 15: one line per household on the list at the end of the period, ordered by commune, village
    and household code: its code, its head's name, its village, the people listed with it, its head's ethnicity
    and the deprivations the survey behind it found (blank without one). Read in batches (`household_traits`):
    a province's list has tens of thousands of households."""
    start, end, label = period(year, month)
    communes = commune_ids_within(area)
    items = [item for item in listed_households(communes, end) if item.status == kind.listed]
    traits = household_traits([item.household for item in items], end, members=False)
    found = _assessment_values(
        {0: [item.assessment for item in items if item.assessment is not None]}, "deprivation_count"
    )
    groups: dict[Key, list[Listed]] = defaultdict(list)  # by the commune and village each list records
    for item in items:
        groups[(item.commune, item.village)].append(item)
    rows: list[Line] = []
    labels: dict[int, str] = {}
    for key, unit, village in ordered_places(groups, villages=True):
        name = labels.setdefault(unit.pk, area_label(unit))
        village_name = village.name if village is not None else ""
        for item in sorted(groups[key], key=lambda item: traits[item.household].code):
            household = traits[item.household]
            deprivations = found[item.assessment][0] if item.assessment in found else None
            values: dict[int, Value] = {
                1: household.code,
                2: household.head_name,
                3: village_name,
                4: item.members,
                5: household.ethnicity,
                6: deprivations,
            }
            rows.append(Line(unit.code, name, values, household=item.household))
    total_values: dict[int, Value] = dict.fromkeys(LIST_COLUMNS, None)
    total_values[4] = sum(item.members for item in items)
    total_values[6] = sum(count for count, _standard in found.values())
    total = Line(area.code, area_label(area), total_values)
    approved = period_approved(communes, start, end)
    notes = [
        approval_note(approved),
        _(
            "Danh sách có hiệu lực ngày %(end)s: %(count)s hộ. Số nhân khẩu: những người quyết định công nhận ghi "
            "cùng hộ; họ tên và dân tộc của chủ hộ theo sổ hộ hiện nay."
        )
        % {"end": f"{end:%d/%m/%Y}", "count": len(rows)},
    ]
    return Report(kind, area, start, end, label, rows, total, notes, approved, lines="household")


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
    if kind is TARGET_GROUPS:
        return target_groups_report(area, year, month)
    if kind is CHILDREN:
        return children_report(area, year, month)
    if kind in SUMMARIES.values():
        return summary_report(kind, area, year, month)
    if kind in NAMED_LISTS.values():
        return named_list_report(kind, area, year, month)
    return transitions_report(kind, area, year, month)
