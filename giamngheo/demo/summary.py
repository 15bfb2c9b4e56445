"""How the poor list of the demo district changed between two periodic reviews, and the end-2026 review of new Xã
Kông Chro, for the command's summary.

Vocabulary of domain.md §3.6 (thoát nghèo, cận nghèo → nghèo, phát sinh mới, tái nghèo, other changes), counted
from the engine's classes of each household in the two periodic reviews and, for tái nghèo, in the regular
reviews in between. This is a summary for the demo, not the statutory transition report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from giamngheo.areas.models import UnitLevel
from giamngheo.demo import targets
from giamngheo.lib.formatting import group_thousands
from giamngheo.reviews.models import Assessment, PovertyClass, Review, ReviewKind
from giamngheo.reviews.stats import area_stats, format_vi

POOR = PovertyClass.POOR.value
NEAR_POOR = PovertyClass.NEAR_POOR.value


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


def _classes(kind: str, year: int, commune_ids: set[int]) -> dict[int, str]:
    rows = Assessment.objects.filter(review__kind=kind, review__year=year, commune_id__in=sorted(commune_ids))
    return dict(rows.order_by("assessed_on", "id").values_list("household_id", "poverty_class"))


def poor_flows(year: int, commune_ids: set[int]) -> PoorFlows:
    """Changes of the poor list from the periodic review of `year - 1` to that of `year`."""
    before = _classes(ReviewKind.PERIODIC, year - 1, commune_ids)
    after = _classes(ReviewKind.PERIODIC, year, commune_ids)
    between = _classes(ReviewKind.REGULAR, year, commune_ids)
    flows = Counter((before.get(h), after.get(h)) for h in set(before) | set(after))
    re_poor = sum(
        1 for h, cls in between.items() if before.get(h) == POOR and cls != POOR and after.get(h) == POOR
    )
    escaped_above = sum(v for (b, a), v in flows.items() if b == POOR and a not in {POOR, NEAR_POOR, None})
    return PoorFlows(
        start=sum(1 for c in before.values() if c == POOR),
        escaped_to_near_poor=flows[(POOR, NEAR_POOR)],
        escaped_above=escaped_above,
        left_other=flows[(POOR, None)],
        from_near_poor=flows[(NEAR_POOR, POOR)],
        re_poor=re_poor,
        newly_arising=sum(v for (b, a), v in flows.items() if a == POOR and b not in {POOR, NEAR_POOR, None}),
        new_households=flows[(None, POOR)],
        end=sum(1 for c in after.values() if c == POOR),
    )


def later_review() -> Review | None:
    """The demo's end-2026 periodic review of new Xã Kông Chro, if the demo recorded it."""
    target = targets.REVIEW_2026
    return (
        Review.objects.filter(
            kind=ReviewKind.PERIODIC,
            year=target.year,
            area__code=targets.COMMUNE_2026,
            area__level=UnitLevel.COMMUNE,
        )
        .select_related("area", "standard")
        .first()
    )


def later_summary(today: date | None = None) -> str | None:
    """The figures of the end-2026 review, with its standard and whether it is still open."""
    review = later_review()
    if review is None:
        return None
    today = today or timezone.localdate()
    state = "đã chốt" if review.is_closed_on(today) else f"đang mở (hôm nay {today:%d/%m/%Y})"
    header = (
        f"Rà soát định kỳ năm {review.year} theo {review.standard.name.lower()} ({review.standard.instrument}), "
        f"quyết định danh sách năm {review.lists_effective_year}; ngày chốt số liệu "
        f"{review.reference_date:%d/%m/%Y}, {state}:"
    )
    return f"{header}\n{format_vi(area_stats(review.area, year=review.year))}"
