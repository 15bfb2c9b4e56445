"""The income rule of each standard at its lines (domain.md §1.1, §2.1, §2.2; survey-format.md), the fallback to
the reviewer's entered flags, conflicts, and the Vietnamese explanation."""

from __future__ import annotations

import pytest

from giamngheo.engine.classify import classify_income
from giamngheo.engine.facts import AreaType, PovertyClass
from giamngheo.engine.standard import get_standard
from giamngheo.lib.formatting import format_vnd

from .helpers import adult, classify_both, household

POOR, NEAR, MIDDLE, NOT_POOR = (
    PovertyClass.POOR,
    PovertyClass.NEAR_POOR,
    PovertyClass.MIDDLE,
    PovertyClass.NOT_POOR,
)
RURAL, URBAN = AreaType.RURAL, AreaType.URBAN

# The lines as domain.md states them, per standard and area: (lower, poverty, middle).
LINES = {
    ("ND07-2021", RURAL): (None, 1_500_000, 2_250_000),
    ("ND07-2021", URBAN): (None, 2_000_000, 3_000_000),
    ("QD59-2015", RURAL): (700_000, 1_000_000, 1_500_000),
    ("QD59-2015", URBAN): (900_000, 1_300_000, 1_950_000),
    ("ND351-2025", RURAL): (None, 2_200_000, None),
    ("ND351-2025", URBAN): (None, 2_800_000, None),
}


def expected_class(standard_id: str, area: AreaType, income: int, is_agri: bool, count: int) -> PovertyClass:
    """The rule, restated from survey-format.md independently of the engine."""
    lower, poverty, middle = LINES[(standard_id, area)]
    if lower is not None and income <= lower:
        return POOR
    if income <= poverty:
        return POOR if count >= 3 else NEAR
    if is_agri and middle is not None and income <= middle:
        return MIDDLE
    return NOT_POOR


@pytest.mark.parametrize(("standard_id", "area"), sorted(LINES))
def test_data_files_hold_the_lines_of_the_domain_notes(standard_id: str, area: AreaType) -> None:
    lines = get_standard(standard_id).income[area]
    assert (lines.lower_line, lines.poverty_line, lines.middle_line) == LINES[(standard_id, area)]
    assert get_standard(standard_id).cutoff == 3


@pytest.mark.parametrize(("standard_id", "area"), sorted(LINES))
def test_income_rule_at_and_around_every_line(standard_id: str, area: AreaType) -> None:
    standard = get_standard(standard_id)
    points = {0}
    for line in LINES[(standard_id, area)]:
        if line is not None:
            points |= {line - 1, line, line + 1}
    for income in sorted(points):
        for is_agri in (False, True):
            for count in range(0, len(standard.indicators) + 1):
                got = classify_income(
                    standard, income=income, area_type=area, is_agri=is_agri, deprivation_count=count
                )
                assert got == expected_class(standard_id, area, income, is_agri, count), (
                    income,
                    is_agri,
                    count,
                )


def test_nd07_lines_are_inclusive_and_need_both_conditions() -> None:
    nd07 = get_standard("ND07-2021")
    at_line = dict(area_type=RURAL, income=1_500_000, is_agri=False)
    assert classify_income(nd07, deprivation_count=3, **at_line) is POOR
    assert classify_income(nd07, deprivation_count=2, **at_line) is NEAR
    # "and", not "or": above the line, any number of deprivations does not make a household poor.
    assert (
        classify_income(nd07, area_type=RURAL, income=1_500_001, is_agri=False, deprivation_count=12)
        is NOT_POOR
    )
    # Middle living standard: farming households only, above the line and at most the middle line.
    assert (
        classify_income(nd07, area_type=URBAN, income=3_000_000, is_agri=True, deprivation_count=0) is MIDDLE
    )
    assert (
        classify_income(nd07, area_type=URBAN, income=3_000_001, is_agri=True, deprivation_count=0)
        is NOT_POOR
    )
    assert (
        classify_income(nd07, area_type=URBAN, income=2_500_000, is_agri=False, deprivation_count=0)
        is NOT_POOR
    )


def test_qd59_is_two_tier() -> None:
    qd59 = get_standard("QD59-2015")
    # Below the lower line: poor regardless of deprivations.
    assert classify_income(qd59, area_type=RURAL, income=700_000, is_agri=False, deprivation_count=0) is POOR
    assert classify_income(qd59, area_type=RURAL, income=700_001, is_agri=False, deprivation_count=2) is NEAR
    assert (
        classify_income(qd59, area_type=RURAL, income=1_000_000, is_agri=False, deprivation_count=3) is POOR
    )


def test_nd351_has_no_middle_line_yet() -> None:
    nd351 = get_standard("ND351-2025")
    assert (
        classify_income(nd351, area_type=RURAL, income=2_200_001, is_agri=True, deprivation_count=0)
        is NOT_POOR
    )
    assert nd351.area_label(URBAN) == "đô thị"


def test_entered_flag_is_used_when_the_facts_are_missing() -> None:
    nd07 = get_standard("ND07-2021")
    facts = household(water_source=None, latrine_type=None, entered={"nguon_nuoc_sinh_hoat": True})
    result = classify_both(nd07, facts)
    water = next(o for o in result.outcomes if o.code == "nguon_nuoc_sinh_hoat")
    latrine = next(o for o in result.outcomes if o.code == "nha_tieu_hop_ve_sinh")
    assert (water.entered, water.derived, water.deprived, water.missing) == (True, None, True, False)
    assert (latrine.entered, latrine.derived, latrine.deprived, latrine.missing) == (None, None, False, True)
    assert result.deprivation_mask == 1 << nd07.bit("nguon_nuoc_sinh_hoat")
    assert result.missing_mask == 1 << nd07.bit("nha_tieu_hop_ve_sinh")
    assert "? Nhà tiêu hợp vệ sinh: chưa có dữ liệu" in result.explanation


def test_qd59_health_access_always_comes_from_the_entered_flag() -> None:
    qd59 = get_standard("QD59-2015")
    yes = classify_both(qd59, household(entered={"tiep_can_dich_vu_y_te": True}))
    no = classify_both(qd59, household(entered={"tiep_can_dich_vu_y_te": False}))
    bit = 1 << qd59.bit("tiep_can_dich_vu_y_te")
    assert (yes.deprivation_mask & bit, no.deprivation_mask & bit, yes.derivable_mask & bit) == (bit, 0, 0)


def test_conflict_between_entered_flag_and_facts_is_reported_and_the_facts_win() -> None:
    nd07 = get_standard("ND07-2021")
    facts = household(
        adult(), adult(age=10, has_health_insurance=False, in_education=True, education_level="primary"),
        entered={"bao_hiem_y_te": False, "dich_vu_vien_thong": False},
    )  # fmt: skip
    result = classify_both(nd07, facts)
    insurance_bit = 1 << nd07.bit("bao_hiem_y_te")
    assert result.conflict_mask == insurance_bit
    assert result.deprivation_mask == insurance_bit
    assert [o.code for o in result.conflicts] == ["bao_hiem_y_te"]
    assert "⚠ Bảo hiểm y tế: phiếu ghi thiếu hụt «không», dữ liệu hộ cho thấy «có»" in result.explanation


def test_explanation_reads_like_the_village_meeting() -> None:
    nd07 = get_standard("ND07-2021")
    facts = household(
        adult(work_status="unemployed"),
        adult(age=8, in_education=False, education_level="none"),
        income_per_capita=1_234_567,
        area_type=URBAN,
        latrine_type="pit",
    )
    result = classify_both(nd07, facts)
    assert result.poverty_class is POOR
    text = result.explanation
    assert "thu nhập 1.234.567đ" in text
    assert f"chuẩn {format_vnd(2_000_000)} (thành thị)" in text
    assert "thiếu hụt 3/12: việc làm, tình trạng đi học của trẻ em, nhà tiêu hợp vệ sinh" in text
    assert "→ hộ nghèo (chuẩn ND07-2021)" in text
    assert "đủ 3 chỉ số thiếu hụt" in text


def test_explanation_of_middle_and_two_tier_and_area_label() -> None:
    middle = classify_both(get_standard("ND07-2021"), household(income_per_capita=2_250_000, is_agri=True))
    assert middle.poverty_class is MIDDLE
    assert "thu nhập 2.250.000đ > chuẩn 1.500.000đ (nông thôn)" in middle.explanation
    assert "≤ mức sống trung bình 2.250.000đ" in middle.explanation
    assert "thiếu hụt 0/12" in middle.explanation
    lower = classify_both(get_standard("QD59-2015"), household(income_per_capita=650_000, area_type=URBAN))
    assert "thu nhập 650.000đ ≤ chuẩn 900.000đ (thành thị, mức thấp)" in lower.explanation
    assert "thiếu hụt 0/10" in lower.explanation and "→ hộ nghèo" in lower.explanation
    urban_2027 = classify_both(
        get_standard("ND351-2025"), household(income_per_capita=2_900_000, area_type=URBAN)
    )
    assert "> chuẩn 2.800.000đ (đô thị)" in urban_2027.explanation
    assert "→ không thuộc diện nghèo, cận nghèo" in urban_2027.explanation
