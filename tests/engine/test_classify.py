"""The income rule of each standard at its lines (domain.md §1.1, §2.1, §2.2; survey-format.md), the fallback to
the reviewer's entered flags, conflicts, and the Vietnamese explanation."""

from __future__ import annotations

import pytest

from giamngheo.engine.classify import classify_household, classify_income
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
    assert (
        "? Nhà tiêu hợp vệ sinh: chưa đủ dữ liệu để kết luận — cần ghi: loại nhà tiêu" in result.explanation
    )
    assert result.possible_class is NEAR and result.settled
    assert "Các chỉ số chưa rõ không làm thay đổi phân loại" in result.explanation


def test_qd59_health_access_always_comes_from_the_entered_flag() -> None:
    qd59 = get_standard("QD59-2015")
    yes = classify_both(qd59, household(entered={"tiep_can_dich_vu_y_te": True}))
    no = classify_both(qd59, household(entered={"tiep_can_dich_vu_y_te": False}))
    bit = 1 << qd59.bit("tiep_can_dich_vu_y_te")
    assert (yes.deprivation_mask & bit, no.deprivation_mask & bit, yes.derivable_mask & bit) == (bit, 0, 0)


def test_conflict_between_entered_flag_and_facts_is_reported_and_the_facts_win() -> None:
    nd07 = get_standard("ND07-2021")
    facts = household(
        adult(),
        adult(age=10, school_age=10, working_age=False, has_health_insurance=False, in_education=True,
              school_level="primary", education_level="primary", name="Rơ Châm Dơk"),
        entered={"bao_hiem_y_te": False, "dich_vu_vien_thong": False},
    )  # fmt: skip
    result = classify_both(nd07, facts)
    insurance_bit = 1 << nd07.bit("bao_hiem_y_te")
    assert result.conflict_mask == insurance_bit
    assert result.deprivation_mask == insurance_bit
    assert [o.code for o in result.conflicts] == ["bao_hiem_y_te"]
    assert (
        "⚠ Bảo hiểm y tế: phiếu rà soát ghi «không thiếu hụt», nhưng theo dữ liệu của hộ thì thiếu hụt "
        "(Rơ Châm Dơk, 10 tuổi, không có bảo hiểm y tế); kết quả tính theo dữ liệu"
    ) in result.explanation


def test_explanation_reads_like_the_village_meeting() -> None:
    nd07 = get_standard("ND07-2021")
    facts = household(
        adult(work_status="unemployed", name="Rơ Châm Blơng"),
        adult(age=5, school_age=5, working_age=False, in_education=False, education_level="none",
              name="Rơ Châm Dơk"),
        income_per_capita=1_234_567,
        area_type=URBAN,
        latrine_type="pit",
    )  # fmt: skip
    labels = {"work_status": {"unemployed": "Thất nghiệp"}, "latrine_type": {"pit": "Hố đào đơn giản"}}
    result = classify_both(nd07, facts)
    assert result.poverty_class is POOR
    text = classify_household(nd07, facts, value_labels=labels).explanation
    assert "thu nhập 1.234.567đ" in text
    assert f"chuẩn {format_vnd(2_000_000)} (thành thị)" in text
    assert (
        "thiếu hụt 3/12: việc làm (Rơ Châm Blơng, 35 tuổi, việc làm: thất nghiệp), "
        "tình trạng đi học của trẻ em (Rơ Châm Dơk, 5 tuổi, không đi học), "
        "nhà tiêu hợp vệ sinh (loại nhà tiêu: hố đào đơn giản)"
    ) in text
    assert "→ hộ nghèo (chuẩn ND07-2021)" in text
    assert "đủ 3 chỉ số thiếu hụt" in text


def test_explanation_in_english_names_the_indicators_and_causes_in_english() -> None:
    nd07 = get_standard("ND07-2021")
    facts = household(
        adult(work_status="unemployed", name="Rơ Châm Blơng"),
        adult(age=5, school_age=5, working_age=False, in_education=False, name="Rơ Châm Dơk"),
        area_type=URBAN,
        latrine_type=None,
    )
    text = classify_household(nd07, facts, language="en").explanation
    assert text.startswith("income 1.000.000đ ≤ line 2.000.000đ (urban)")
    assert "deprived on 2/12: employment (Rơ Châm Blơng, aged 35, work: unemployed)" in text
    assert "(Rơ Châm Dơk, aged 5, not in school)" in text
    assert "→ a near-poor household (standard ND07-2021)" in text
    assert "? Hygienic latrine: not enough data to decide — still needed: latrine" in text
    assert "If the undecided indicators turned out deprived, the household would be a poor household" in text


def test_an_unrecorded_fact_leaves_the_indicator_undecided_and_says_whether_the_class_could_change() -> None:
    nd07 = get_standard("ND07-2021")
    # Two deprivations recorded (no internet, an unsafe water source); the labour contract of a wage worker is not
    # recorded: the employment indicator is undecided, and it alone could make the household poor.
    facts = household(
        adult(work_status="wage_worker", has_labour_contract=None, name="Đinh Văn A"),
        uses_internet=False,
        water_source="river",
    )
    result = classify_both(nd07, facts)
    assert result.poverty_class is NEAR and result.possible_class is POOR and not result.settled
    assert [o.code for o in result.undecided] == ["viec_lam"]
    assert "? Việc làm: chưa đủ dữ liệu để kết luận — cần ghi: hợp đồng lao động (Đinh Văn A, 35 tuổi)" in (
        result.explanation
    )
    assert "Nếu các chỉ số chưa rõ là thiếu hụt, hộ sẽ là hộ nghèo" in result.explanation
    # Recorded either way, it decides.
    with_contract = household(adult(work_status="wage_worker", has_labour_contract=True), uses_internet=False,
                              water_source="river")  # fmt: skip
    assert classify_both(nd07, with_contract).undecided == ()
    without = household(adult(work_status="wage_worker", has_labour_contract=False), uses_internet=False,
                        water_source="river")  # fmt: skip
    assert classify_both(nd07, without).poverty_class is POOR


def test_a_missing_disability_or_allowance_flag_does_not_lower_the_dependants_count() -> None:
    nd07 = get_standard("ND07-2021")
    elder = {"age": 70, "working_age": False, "past_working_age": True, "work_status": "retired"}
    # Two children, one working adult and two elders whose allowance is not recorded: 2/5 certain, 4/5 possible.
    facts = household(
        adult(),
        adult(age=4, school_age=4, working_age=False, in_education=True, school_level="preschool"),
        adult(age=7, school_age=7, working_age=False, in_education=True, school_level="primary"),
        adult(**elder, receives_social_allowance=None),
        adult(**elder, receives_social_allowance=None),
    )
    dependants = next(o for o in classify_both(nd07, facts).outcomes if o.code == "nguoi_phu_thuoc")
    assert dependants.derived is None and dependants.missing
    one = household(*facts.members[:3], adult(**elder, receives_social_allowance=True),
                    adult(**elder, receives_social_allowance=None))  # fmt: skip
    assert next(o for o in classify_both(nd07, one).outcomes if o.code == "nguoi_phu_thuoc").derived is True


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
