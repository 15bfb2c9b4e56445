"""Who may borrow under a programme, read from the official lists on the day the loan is disbursed.

The rule (domain.md §5): a poor-household loan needs the household on the poor list that day (NĐ 78/2002), a
near-poor loan the near-poor list (QĐ 15/2013/QĐ-TTg), a newly-escaped loan a household that left the poor and
near-poor lists within the programme's window, 3 years (QĐ 28/2015/QĐ-TTg). Other conditions (a savings and credit
group's approval, a difficult area, a student's enrolment) are certified by the commune and the bank, not read
here. Pure: the caller reads the status and the escape date (`decisions.status`).
"""

from __future__ import annotations

import calendar
from datetime import date

from django.utils.translation import gettext as _

from giamngheo.reviews.models import PovertyClass

POOR = PovertyClass.POOR.value
NEAR_POOR = PovertyClass.NEAR_POOR.value


def refusal(eligibility: str, *, status: str | None, escaped: date | None, window_years: int | None,
            programme: str, day: date) -> str | None:  # fmt: skip
    """Why the household may not borrow under the programme on `day` (Vietnamese), or None when it may.
    `status`: its official status that day (None: never listed); `escaped`: the day it left the lists when that was
    within `window_years` before `day`."""
    shown = f"{day:%d/%m/%Y}"
    if eligibility == "poor" and status != POOR:
        return _("Chương trình «%(programme)s» chỉ cho vay hộ có tên trong danh sách hộ nghèo; ngày %(day)s hộ "
                 "không thuộc danh sách này.") % {"programme": programme, "day": shown}  # fmt: skip
    if eligibility == "near_poor" and status != NEAR_POOR:
        return _("Chương trình «%(programme)s» chỉ cho vay hộ có tên trong danh sách hộ cận nghèo; ngày %(day)s "
                 "hộ không thuộc danh sách này.") % {"programme": programme, "day": shown}  # fmt: skip
    if eligibility == "poor_or_near_poor" and status not in (POOR, NEAR_POOR):
        return _("Chương trình «%(programme)s» chỉ cho vay hộ nghèo, hộ cận nghèo; ngày %(day)s hộ không thuộc "
                 "danh sách hộ nghèo, hộ cận nghèo.") % {"programme": programme, "day": shown}  # fmt: skip
    if eligibility == "newly_escaped" and escaped is None:
        return (_("Chương trình «%(programme)s» chỉ cho vay hộ đã ra khỏi danh sách hộ nghèo, hộ cận nghèo trong "
                 "vòng %(years)s năm; ngày %(day)s hộ không phải hộ mới thoát nghèo.")
                % {"programme": programme, "years": window_years, "day": shown})  # fmt: skip
    return None


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; the last day of a shorter month when the day does not exist (31/01 + 1 → 28/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
