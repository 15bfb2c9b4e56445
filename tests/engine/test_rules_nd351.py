"""NĐ 351/2025 (ND351-2025.toml, lists of 2027–2030) as law tests: its income lines, its twelve indicators (the
information-means indicator of NĐ 07/2021 removed; waste collection and internet/digital services added) and the
years it decides. The eleven indicators it measures exactly as NĐ 07/2021 (the same `among`, `when`, share and
parameters, checked below) run the NĐ 07 cases of test_rules_nd07.py; the data file must quote the same sentences.
"""

from __future__ import annotations

from typing import Any

import pytest

from giamngheo.engine.facts import AreaType, PovertyClass
from giamngheo.engine.standard import DEFAULT_DATA_DIR, StandardError, get_standard, standard_for_lists_year

from .helpers import classify_both, household
from .test_rules_nd07 import LAWS as ND07_LAWS
from .test_rules_nd07 import ND07, NO_DEVICE, Case, Law, assert_case, assert_quotes, law_cases, same_rule

ND351 = get_standard("ND351-2025")
ND351_TEXT = (DEFAULT_DATA_DIR / "ND351-2025.toml").read_text(encoding="utf-8")

CODES = [
    "viec_lam",
    "nguoi_phu_thuoc",
    "dinh_duong",
    "bao_hiem_y_te",
    "giao_duc_nguoi_lon",
    "tre_em_di_hoc",
    "chat_luong_nha_o",
    "dien_tich_nha_o",
    "nguon_nuoc_sinh_hoat",
    "nha_tieu_hop_ve_sinh",
    "dich_vu_vien_thong",
    "thu_gom_xu_ly_rac",
]
SHARED_WITH_ND07 = CODES[:11]

# The information dimension: "use of digital services, internet access" replaces the information means. No sentence
# was read (evidence "secondary"): the description is quoted. The rule is NĐ 07/2021's internet rule.
DICH_VU_VIEN_THONG = Law(
    code="dich_vu_vien_thong",
    quote="",
    evidence="secondary",
    describe_vi="không có thành viên nào sử dụng dịch vụ viễn thông, dịch vụ số, truy cập internet",
    cases=next(law for law in ND07_LAWS if law.code == "dich_vu_vien_thong").cases,
)

# "The capacity to handle domestic waste", added by NĐ 351/2025; no sentence read.
THU_GOM_XU_LY_RAC = Law(
    code="thu_gom_xu_ly_rac",
    quote="",
    evidence="secondary",
    describe_vi="rác thải sinh hoạt của hộ không được thu gom, xử lý",
    cases=(
        Case("waste not collected", household(waste_collected=False), True),
        Case("waste collected", household(waste_collected=True), False),
        Case("waste collection not recorded", household(waste_collected=None), None),
    ),
)

# The NĐ 07/2021 laws NĐ 351/2025 keeps: the same sentence, the same cases.
KEPT = [law for law in ND07_LAWS if law.code in SHARED_WITH_ND07 and law.code != "dich_vu_vien_thong"]
LAWS = [*KEPT, DICH_VU_VIEN_THONG, THU_GOM_XU_LY_RAC]


def test_twelve_indicators_without_the_information_means() -> None:
    assert list(ND351.indicator_codes) == CODES
    assert "tai_san_tiep_can_thong_tin" in ND07.indicator_codes
    assert "tai_san_tiep_can_thong_tin" not in ND351.indicator_codes
    assert "thu_gom_xu_ly_rac" not in ND07.indicator_codes
    assert sorted(law.code for law in LAWS) == sorted(CODES)


def test_the_shared_indicators_are_measured_as_in_nd07() -> None:
    assert [code for code in CODES if code in ND07.indicator_codes and same_rule(ND351, ND07, code)] == (
        SHARED_WITH_ND07
    )


@pytest.mark.parametrize("law", LAWS, ids=[law.code for law in LAWS])
def test_the_data_file_quotes_the_law(law: Law) -> None:
    assert_quotes(ND351, law)


@pytest.mark.parametrize(("law", "case"), law_cases(LAWS))
def test_indicator_follows_the_law(law: Law, case: Case) -> None:
    assert_quotes(ND351, law)
    assert_case(ND351, law.code, case)


def test_a_household_without_information_means_is_not_deprived_for_it_any_more() -> None:
    facts = household(**NO_DEVICE, hears_loudspeaker=False)
    result = classify_both(ND351, facts)
    assert (result.deprivation_count, result.missing_mask) == (0, 0)
    assert result.derivable_mask == ND351.mask
    assert classify_both(ND07, facts).counted == ("tai_san_tiep_can_thong_tin",)


def test_waste_counts_towards_the_cutoff() -> None:
    two = household(water_source="surface", latrine_type="pit", income_per_capita=2_000_000)
    assert classify_both(ND351, two).poverty_class is PovertyClass.NEAR_POOR
    three = household(
        water_source="surface", latrine_type="pit", waste_collected=False, income_per_capita=2_000_000
    )
    result = classify_both(ND351, three)
    assert result.counted == ("nguon_nuoc_sinh_hoat", "nha_tieu_hop_ve_sinh", "thu_gom_xu_ly_rac")
    assert result.poverty_class is PovertyClass.POOR


# --- Income -------------------------------------------------------------------------------------------------------

# The Government's announcement as the press published it (quoted in the data file).
RURAL_LINE = "ở khu vực nông thôn, thu nhập bình quân đầu người của hộ gia đình là 2.200.000 đồng/người/tháng"
URBAN_LINE = (
    "Đối với khu vực đô thị, thu nhập bình quân đầu người của hộ gia đình là 2.800.000 đồng/người/tháng"
)
RULE = (
    "có thu nhập bình quân đầu người từ 2.200.000 đồng/người/tháng trở xuống và thiếu hụt từ 3 chỉ số đo lường tiếp "
    "cận dịch vụ xã hội cơ bản trở lên"
)

POOR, NEAR, NOT_POOR = PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.NOT_POOR
THREE = {"water_source": "surface", "latrine_type": "pit", "waste_collected": False}


@pytest.mark.parametrize("sentence", [RURAL_LINE, URBAN_LINE, RULE])
def test_the_data_file_quotes_the_income_rule(sentence: str) -> None:
    assert sentence in ND351_TEXT


def test_the_data_file_holds_the_lines() -> None:
    assert (ND351.rule, ND351.cutoff) == ("single_line", 3)
    rural, urban = ND351.income[AreaType.RURAL], ND351.income[AreaType.URBAN]
    assert (rural.lower_line, rural.poverty_line, rural.middle_line) == (None, 2_200_000, None)
    assert (urban.lower_line, urban.poverty_line, urban.middle_line) == (None, 2_800_000, None)


@pytest.mark.parametrize(
    ("area", "income", "deprivations", "is_agri", "expected"),
    [
        # "từ 2.200.000 đồng/người/tháng trở xuống": inclusive.
        (AreaType.RURAL, 2_200_000, THREE, False, POOR),
        (AreaType.RURAL, 2_200_000, {}, False, NEAR),
        (AreaType.RURAL, 2_200_001, THREE, False, NOT_POOR),
        # No middle living standard line is known for 2027–2030: a farming household above the line is not poor.
        (AreaType.RURAL, 2_200_001, {}, True, NOT_POOR),
        (AreaType.URBAN, 2_800_000, THREE, False, POOR),
        (AreaType.URBAN, 2_800_000, {}, False, NEAR),
        (AreaType.URBAN, 2_800_001, THREE, False, NOT_POOR),
        (AreaType.URBAN, 2_800_001, {}, True, NOT_POOR),
    ],
)
def test_income_lines_are_inclusive(
    area: AreaType, income: int, deprivations: dict[str, Any], is_agri: bool, expected: PovertyClass
) -> None:
    facts = household(area_type=area, income_per_capita=income, is_agri=is_agri, **deprivations)
    result = classify_both(ND351, facts)
    assert result.deprivation_count == len(deprivations)
    assert result.poverty_class is expected
    assert result.poverty_line == (2_200_000 if area is AreaType.RURAL else 2_800_000)


def test_urban_areas_are_called_do_thi() -> None:
    assert ND351.area_label(AreaType.URBAN) == "đô thị"
    assert ND351.area_label(AreaType.RURAL) == "nông thôn"
    assert ND07.area_label(AreaType.URBAN) == "thành thị"
    result = classify_both(ND351, household(area_type=AreaType.URBAN, income_per_capita=2_800_000))
    assert "chuẩn 2.800.000đ (đô thị)" in result.explanation


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2026, "ND07-2021"), (2027, "ND351-2025"), (2028, "ND351-2025"), (2030, "ND351-2025")],
)
def test_the_standard_is_chosen_by_the_year_of_the_lists(year: int, expected: str) -> None:
    assert standard_for_lists_year(year).id == expected


def test_no_standard_decides_the_lists_of_2031_yet() -> None:
    with pytest.raises(StandardError, match="không có chuẩn nghèo nào có hiệu lực ngày 01/01/2031"):
        standard_for_lists_year(2031)
