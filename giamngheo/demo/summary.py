"""How the poor list of the demo district changed over the year of the end-2023 review, and the end-2026 reviews of
today's communes, for the command's summary.

The changes are those of the statutory report "diễn biến hộ nghèo" (`decisions.reports`), read from the lists
the communes' chairmen decided: a partition, so the line adds up (a household that escaped in the June regular
review and was poor again at the end of the year was poor at both ends and is counted in neither column).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from giamngheo.areas.models import UnitLevel
from giamngheo.decisions.reports import load_stays, period
from giamngheo.decisions.transitions import tally
from giamngheo.demo import targets
from giamngheo.lib.formatting import group_thousands
from giamngheo.reviews.models import PovertyClass, Review, ReviewKind
from giamngheo.reviews.stats import area_stats, format_vi

POOR = PovertyClass.POOR.value


@dataclass(frozen=True)
class PoorFlows:
    start: int
    escaped_to_near_poor: int
    escaped_above: int
    left_other: int  # households that closed (died out, moved away, merged)
    from_near_poor: int
    re_poor: int
    newly_arising: int
    new_households: int  # split off or moved in during the year, poor at the end
    end: int

    def describe(self) -> str:
        n = group_thousands
        return (
            f"Diễn biến hộ nghèo: đầu kỳ {n(self.start)}; thoát nghèo {n(self.escaped_to_near_poor)} hộ thành hộ "
            f"cận nghèo và {n(self.escaped_above)} hộ vượt chuẩn cận nghèo; giảm khác {n(self.left_other)}; "
            f"cận nghèo rơi xuống nghèo {n(self.from_near_poor)}; tái nghèo {n(self.re_poor)}; phát sinh mới "
            f"{n(self.newly_arising)}; hộ mới tách, chuyển đến {n(self.new_households)}; cuối kỳ {n(self.end)}."
        )


def poor_flows(year: int, commune_ids: set[int]) -> PoorFlows:
    """The poor list's changes over `year` in the communes `commune_ids` (`decisions.transitions`)."""
    start, end, _label = period(year)
    line = tally(load_stays(commune_ids), POOR, start, end, commune_ids).households
    return PoorFlows(
        start=line[1],
        escaped_to_near_poor=line[2],
        escaped_above=line[3],
        left_other=line[4],
        from_near_poor=line[5],
        re_poor=line[6],
        newly_arising=line[7],
        new_households=line[8],
        end=line[9],
    )


def later_reviews() -> list[Review]:
    """The demo's end-2026 periodic reviews of today's communes (`targets.TERRITORIES`), those the demo recorded."""
    target = targets.REVIEW_2026
    return list(
        Review.objects.filter(
            kind=ReviewKind.PERIODIC,
            year=target.year,
            area__code__in=[territory.commune for territory in targets.TERRITORIES],
            area__level=UnitLevel.COMMUNE,
        )
        .select_related("area", "standard")
        .order_by("area__code")
    )


def later_review() -> Review | None:
    """The demo's end-2026 periodic review of new Xã Kông Chro, if the demo recorded it."""
    return next((r for r in later_reviews() if r.area.code == targets.COMMUNE_2026), None)


def later_summary(today: date | None = None) -> str | None:
    """The figures of the end-2026 reviews, with their standard, whether each is still open and its step."""
    from giamngheo.decisions.approval import state_label
    from giamngheo.decisions.procedure import progress

    reviews = later_reviews()
    if not reviews:
        return None
    today = today or timezone.localdate()
    lines = []
    for review in reviews:
        if review.is_closed_on(today):
            state = "đã chốt"
        else:
            step = progress(review, review.area, today=today)
            state = f"đang mở (hôm nay {today:%d/%m/%Y}), bước «{step.step_label}», {state_label(step.approval).lower()}"
        lines.append(
            f"Rà soát định kỳ năm {review.year} của {review.area.name} theo {review.standard.name.lower()} "
            f"({review.standard.instrument}), quyết định danh sách năm {review.lists_effective_year}; ngày chốt số "
            f"liệu {review.reference_date:%d/%m/%Y}, {state}:\n{format_vi(area_stats(review.area, year=review.year))}"
        )
    return "\n\n".join(lines)
