"""`giamngheo stats`: figures of an area for a year, on a small hand-made area with two years."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from giamngheo.cli import main
from giamngheo.registry import services as registry
from giamngheo.registry.bulk import HouseholdRow
from giamngheo.reviews import services
from giamngheo.reviews.stats import area_stats
from tests.registry.factories import make_reform_area
from tests.reviews.helpers import open_review

pytestmark = pytest.mark.django_db
POOR = {"viec_lam": True, "dinh_duong": True, "bao_hiem_y_te": True}
# (income, entered, is_agri) per class, for households without recorded facts.
CLASS_INPUT = {
    "ngheo": (1_000_000, POOR, False),
    "can_ngheo": (1_000_000, {}, False),
    "muc_song_trung_binh": (2_000_000, {}, True),
    "khong_ngheo": (5_000_000, {}, False),
}
_codes = iter(range(1, 10_000))


def assess(review, commune, counts: dict[str, int], *, assessed_on: date | None = None) -> list:
    """Register households in `commune` and import their records of the (past, closed) `review` with the given
    number per class."""
    rows, plan = [], []
    for poverty_class, count in counts.items():
        for _ in range(count):
            rows.append(HouseholdRow(code=f"S-{next(_codes)}", commune=commune, area_type="nong_thon",
                                     registered_on=date(2020, 1, 1), is_agri=CLASS_INPUT[poverty_class][2]))  # fmt: skip
            plan.append(poverty_class)
    households = registry.households_bulk_register(rows, actor=None)
    day = assessed_on or date(review.year, 10, 1)
    items = [services.AssessmentInput(h, day, CLASS_INPUT[c][0], entered=CLASS_INPUT[c][1])
             for h, c in zip(households, plan, strict=True)]  # fmt: skip
    services.assessments_bulk_record(items, review=review, actor=None, historical=True)
    return households


@pytest.fixture
def area():
    units = make_reform_area()
    district = units["district"]
    review_2022 = open_review(district, year=2022)
    review_2023 = open_review(district, year=2023)
    # 2022: 8 households, 2 poor (25 %), 1 near-poor (12.5 %).
    assess(review_2022, units["town"], {"ngheo": 1, "can_ngheo": 1, "khong_ngheo": 2})
    assess(review_2022, units["yang_trung"], {"ngheo": 1, "khong_ngheo": 3})
    # 2023: 32 households: 1 poor (3.125 % -> 3.13 half-up), 2 near-poor (6.25 %), 3 middle (9.375 % -> 9.38).
    assess(review_2023, units["town"], {"ngheo": 1, "can_ngheo": 2, "khong_ngheo": 10})
    twice = assess(review_2023, units["yang_trung"], {"muc_song_trung_binh": 3, "khong_ngheo": 16})
    # Not counted: another district, a regular review, and a second periodic review of a household counted once.
    other = open_review(units["other_district"], year=2023)
    assess(other, units["other_commune"], {"ngheo": 5})
    regular = services.review_open(area=district, year=2023, reference_date=date(2023, 5, 15), kind="regular")
    assess(regular, units["town"], {"ngheo": 4}, assessed_on=date(2023, 5, 10))
    recheck = open_review(units["yang_trung"], year=2023, reference_date=date(2023, 12, 10))
    services.assessments_bulk_record(
        [services.AssessmentInput(twice[0], date(2023, 12, 10), 5_000_000)], review=recheck, actor=None,
        historical=True,
    )  # fmt: skip
    return units


def stats_json(*args: str) -> dict:
    out = StringIO()
    call_command("stats", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_json_keys_and_arithmetic(area):
    data = stats_json("--area", "630", "--year", "2023")
    assert data["area"] == {"code": "630", "name": "Kông Chro", "level": "district", "type": "Huyện"}
    assert data["year"] == 2023 and data["standard"] == "ND07-2021"
    # The household re-checked in a second 2023 review counts once, with its latest class (middle -> not poor).
    assert data["total_households"] == 32
    assert data["poor_households"] == 1 and data["poverty_rate"] == 3.13
    assert data["near_poor_households"] == 2 and data["near_poor_rate"] == 6.25
    assert data["middle_households"] == 2 and data["middle_rate"] == 6.25
    assert data["multidimensional_poverty_rate"] == 9.38
    previous = data["previous"]
    assert previous["year"] == 2022 and previous["total_households"] == 8
    assert previous["poor_households"] == 2 and previous["poverty_rate"] == 25.0
    assert previous["near_poor_rate"] == 12.5 and previous["multidimensional_poverty_rate"] == 37.5
    assert data["change_households"] == -1
    assert data["change_points"] == -21.87  # 3.13 - 25.00, from the published (rounded) rates


def test_a_year_without_a_previous_year_and_a_rate_without_households(area):
    data = stats_json("--area", "630", "--year", "2022")
    assert data["previous"] is None and data["change_households"] is None and data["change_points"] is None
    empty = stats_json("--area", "630", "--year", "2021")
    assert empty["total_households"] == 0 and empty["poverty_rate"] is None and empty["standard"] is None
    assert empty["multidimensional_poverty_rate"] is None and empty["previous"] is None


def test_codes_are_read_in_the_hierarchy_of_the_year_or_today(area):
    legacy_town = stats_json("--area", "23824", "--year", "2023")
    assert legacy_town["area"]["type"] == "Thị trấn" and legacy_town["total_households"] == 13
    current = stats_json("--area", "23824", "--year", "2023", "--current")
    assert (
        current["area"]["type"] == "Xã" and current["total_households"] == 32
    )  # new commune: both old units
    province = stats_json("--area", "64", "--year", "2023")
    assert province["total_households"] == 37 and province["poor_households"] == 6


def test_human_output_is_vietnamese_with_comma_decimals(area):
    out = StringIO()
    call_command("stats", "--area", "630", "--year", "2023", stdout=out)
    text = out.getvalue()
    assert "Huyện Kông Chro (mã cũ 630, đến 30/06/2025) — rà soát định kỳ năm 2023 (chuẩn ND07-2021)" in text
    assert "3,13 %" in text and "9,38 %" in text
    assert (
        "So với năm 2022 (2 hộ nghèo, 25,00 %): hộ nghèo giảm 1 hộ; tỷ lệ hộ nghèo giảm 21,87 điểm phần trăm."
        in text
    )
    out = StringIO()
    call_command("stats", "--area", "630", "--year", "2021", stdout=out)
    assert "Không có hộ nào được rà soát định kỳ năm 2021" in out.getvalue()


def test_unknown_area_exits_with_code_2(area, capsys):
    with pytest.raises(CommandError) as caught:
        call_command("stats", "--area", "52", "--year", "2023")
    assert caught.value.returncode == 2
    assert "Không có đơn vị hành chính mã 52" in str(caught.value)
    assert main(["stats", "--area", "99999", "--year", "2023"]) == 2
    assert "99999" in capsys.readouterr().err


def test_area_stats_function(area):
    stats = area_stats(area["district"], year=2023)
    assert stats.current.poverty_rate is not None and str(stats.current.poverty_rate) == "3.13"
    assert (
        stats.previous is not None and stats.change_households == -1 and str(stats.change_points) == "-21.87"
    )
