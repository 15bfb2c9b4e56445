"""Review rounds in time: when a round is closed, the regular (monthly) round a date falls in, and the commune a
household's round belongs to.

Rules (QĐ 24/2021/QĐ-TTg Art. 3–5; domain.md §3.1, §3.4):
- The periodic review runs once a year from 1 September to 14 December; its lists take effect the next year.
- The regular review runs every month from the 15th. Here the regular round of month M covers the 15th of M to
  the 14th of M+1, so that every day belongs to exactly one round; its cut-off date ("ngày chốt số liệu") is the
  14th of M+1. (The 15-day time limit for deciding each request belongs to the review procedure, not to the
  round's data.)
- A round whose cut-off date has passed is closed: its results were decided and are never rewritten. A correction
  of a closed round is a new, attributed entry (`reviews.services.assessment_correct`); results from today's data
  go into the round open today.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit
from giamngheo.areas.selectors import place_commune_on
from giamngheo.registry.models import Household
from giamngheo.reviews.models import Review

REGULAR_START_DAY = 15  # the regular review starts on the 15th of each month (QĐ 24/2021, Art. 3)


class ClosedRoundError(ValidationError):
    """A write that would rewrite a result of a round whose cut-off date has passed."""

    def __init__(self, review: Review) -> None:
        self.review = review
        super().__init__({"review": closed_round_message(review)}, code="closed_round")


def closed_round_message(review: Review) -> str:
    return _(
        "Đợt «%(review)s» đã chốt số liệu ngày %(date)s: kết quả đã quyết định không được ghi lại. Muốn sửa một "
        "kết quả, hãy ghi đính chính (nêu lý do); muốn phân loại theo dữ liệu hiện nay, hãy ghi vào đợt rà soát "
        "đang mở."
    ) % {"review": review.name, "date": review.reference_date.strftime("%d/%m/%Y")}


def regular_round_period(day: date) -> tuple[date, date]:
    """(first day, cut-off date) of the regular round `day` falls in: from the 15th of a month to the 14th of
    the next."""
    year, month = day.year, day.month
    if day.day < REGULAR_START_DAY:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    start = date(year, month, REGULAR_START_DAY)
    end_year, end_month = (year + 1, 1) if month == 12 else (year, month + 1)
    return start, date(end_year, end_month, REGULAR_START_DAY - 1)


def household_commune_on(household: Household, day: date) -> AdminUnit:
    """The commune holding the household's place on `day`: the commune it is registered in while that exists;
    after the 2025 reform, the commune holding its village, else the legacy commune's default successor."""
    return place_commune_on(household.commune, household.village, day)
