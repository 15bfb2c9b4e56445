"""The indicators and income rule of QĐ 59/2015 (QD59-2015.toml, lists of 2016–2021) as law tests, as for NĐ 07/2021
in test_rules_nd07.py: each indicator's sentence is quoted next to the households on both sides of its bounds, and
the data file must still quote it. Where QĐ 59 measures an indicator exactly as NĐ 07/2021 does (the same `among`,
`when` and parameters), the NĐ 07 cases are run here too."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from giamngheo.engine.facts import AreaType, HouseholdFacts, PovertyClass
from giamngheo.engine.standard import get_standard, standard_for_lists_year

from .helpers import adult, classify_both, household
from .test_rules_nd07 import (
    BAO_HIEM_Y_TE,
    CHAT_LUONG_NHA_O,
    DIEN_TICH_NHA_O,
    ND07,
    NHA_TIEU_HOP_VE_SINH,
    NO_DEVICE,
    ON,
    UNSAFE_WATER,
    Case,
    Law,
    assert_case,
    assert_quotes,
    child,
    grown,
    law_cases,
    rule_of,
    same_rule,
)

QD59 = get_standard("QD59-2015")


# --- 1. Access to health care: the reviewer's flag ----------------------------------------------------------------

TIEP_CAN_DICH_VU_Y_TE = Law(
    code="tiep_can_dich_vu_y_te",
    quote="Hộ gia đình có người bị ốm đau nhưng không đi khám chữa bệnh (ốm đau được xác định là bị bệnh/chấn thương "
    "nặng đến mức phải nằm một chỗ và phải có người chăm sóc tại giường hoặc nghỉ việc/học không tham gia được các "
    "hoạt động bình thường)",
    # No fact records it: without the reviewer's flag it stays undecided.
    cases=(Case("no flag entered", household(), None),),
)

# --- 2. Health insurance (measured as in NĐ 07/2021) ---------------------------------------------------------------

QD59_BAO_HIEM_Y_TE = Law(
    code="bao_hiem_y_te",
    quote="Hộ gia đình có ít nhất 1 thành viên từ 6 tuổi trở lên hiện tại không có bảo hiểm y tế",
    cases=BAO_HIEM_Y_TE.cases,
)

# --- 3. Adult education: born in 1986 or later --------------------------------------------------------------------


def member(
    birth: date | None, education_level: str | None, *, on: date = ON, **recorded: Any
) -> HouseholdFacts:
    """A household with a member born on `birth`, as on `on`, out of school, with that general education."""
    values = {"in_education": False, "education_level": education_level, "vocational_level": "none"}
    return household(adult(), grown(birth, on=on, **(values | recorded)))


IN_2016, IN_2021 = date(2016, 6, 1), date(2021, 6, 1)

GIAO_DUC_NGUOI_LON = Law(
    code="giao_duc_nguoi_lon",
    quote="Hộ gia đình có ít nhất 1 thành viên từ 15 tuổi trở lên sinh từ năm 1986 trở lại đây không tốt nghiệp trung "
    "học cơ sở và hiện không đi học",
    cases=(
        # "sinh từ năm 1986 trở lại đây": the bound is the year of birth, not an age.
        Case(
            "born 31/12/1985, 30 in 2016, primary", member(date(1985, 12, 31), "primary", on=IN_2016), False
        ),
        Case("born 01/01/1986, 30 in 2016, primary", member(date(1986, 1, 1), "primary", on=IN_2016), True),
        Case("born 1990, 31 in 2021, primary", member(date(1990, 1, 1), "primary", on=IN_2021), True),
        Case("born 01/01/1986, 40 in 2026, primary", member(date(1986, 1, 1), "primary"), True),
        Case("born 1985, 41 in 2026, primary", member(date(1985, 6, 1), "primary"), False),
        # "từ 15 tuổi trở lên".
        Case("15 today, primary", member(date(2001, 6, 1), "primary", on=IN_2016), True),
        Case("15 tomorrow, primary", member(date(2001, 6, 2), "primary", on=IN_2016), False),
        # "không tốt nghiệp trung học cơ sở": general education; a vocational certificate does not imply it.
        Case("20, no schooling", member(date(1996, 1, 1), "none", on=IN_2016), True),
        Case("20, lower secondary", member(date(1996, 1, 1), "lower_secondary", on=IN_2016), False),
        Case("20, upper secondary", member(date(1996, 1, 1), "upper_secondary", on=IN_2016), False),
        Case(
            "20, primary, elementary vocational",
            member(date(1996, 1, 1), "primary", on=IN_2016, vocational_level="elementary"),
            True,
        ),
        # "và hiện không đi học": being in school exempts.
        Case(
            "15, primary, in school",
            member(
                date(2001, 6, 1), "primary", on=IN_2016, in_education=True, school_level="lower_secondary"
            ),
            False,
        ),
        Case(
            "20, primary, in training",
            member(date(1996, 1, 1), "primary", on=IN_2016, in_education=True, school_level="vocational"),
            False,
        ),
        # Unrecorded facts.
        Case("20, education not recorded", member(date(1996, 1, 1), None, on=IN_2016), None),
        Case(
            "20, primary, attendance not recorded",
            member(date(1996, 1, 1), "primary", in_education=None),
            None,
        ),
        Case(
            "20, lower secondary, attendance not recorded",
            member(date(1996, 1, 1), "lower_secondary", in_education=None),
            False,
        ),
        Case("birth date not recorded, primary", member(None, "primary"), None),
        Case(
            "birth date not recorded, primary, in school",
            member(None, "primary", in_education=True, school_level="lower_secondary"),
            False,
        ),
    ),
)

# --- 4. Children's schooling: attendance from 5 to under 15 -------------------------------------------------------


def out_of_school(birth: date) -> HouseholdFacts:
    return household(adult(), child(birth, in_education=False))


TRE_EM_DI_HOC = Law(
    code="tre_em_di_hoc",
    quote="Hộ gia đình có ít nhất 1 trẻ em trong độ tuổi đi học (5 - dưới 15 tuổi) hiện không đi học",
    cases=(
        Case("out of school, 5 today", out_of_school(date(2021, 11, 20)), True),
        Case("out of school, 5 tomorrow", out_of_school(date(2021, 11, 21)), False),
        Case("out of school, 3", out_of_school(date(2023, 6, 1)), False),
        Case("out of school, 15 tomorrow", out_of_school(date(2011, 11, 21)), True),
        Case("out of school, 15 today", out_of_school(date(2011, 11, 20)), False),
        Case("in school, 10", household(adult(), child(date(2016, 6, 1))), False),
        # "hiện không đi học": attendance only; the level attended does not matter (NĐ 07/2021 asks for it).
        Case(
            "in school at school age 11, still in primary",
            household(adult(), child(date(2015, 6, 1), school_level="primary")),
            False,
        ),
        Case("attendance not recorded", household(adult(), child(date(2016, 6, 1), in_education=None)), None),
    ),
)

# --- 5., 6. Housing quality and floor area (measured as in NĐ 07/2021) --------------------------------------------

QD59_CHAT_LUONG_NHA_O = Law(
    code="chat_luong_nha_o",
    quote="Hộ gia đình đang ở trong ngôi nhà/căn hộ thuộc loại không bền chắc",
    cases=CHAT_LUONG_NHA_O.cases,
)
QD59_DIEN_TICH_NHA_O = Law(
    code="dien_tich_nha_o",
    quote="Diện tích nhà ở bình quân đầu người của hộ gia đình nhỏ hơn 8m2",
    cases=DIEN_TICH_NHA_O.cases,
)

# --- 7. Domestic water: NĐ 07/2021's safe sources without bottled water --------------------------------------------

SAFE_WATER = ["piped", "drilled_well", "protected_dug_well", "protected_spring", "rainwater"]

NGUON_NUOC_SINH_HOAT = Law(
    code="nguon_nuoc_sinh_hoat",
    quote="Hộ gia đình không được tiếp cận nguồn nước hợp vệ sinh",
    cases=(
        *(Case(f"hygienic: {water}", household(water_source=water), False) for water in SAFE_WATER),
        *(Case(f"not hygienic: {water}", household(water_source=water), True) for water in UNSAFE_WATER),
        Case("bottled water only", household(water_source="bottled"), True),
        Case("source not recorded", household(water_source=None), None),
    ),
)

# --- 8. Hygienic latrine (measured as in NĐ 07/2021; no sentence read) --------------------------------------------

QD59_NHA_TIEU_HOP_VE_SINH = Law(
    code="nha_tieu_hop_ve_sinh",
    quote="",
    evidence="unverified",
    describe_vi="không sử dụng hố xí/nhà tiêu hợp vệ sinh",
    cases=NHA_TIEU_HOP_VE_SINH.cases,
)

# --- 9. Telecom: neither a telephone nor the internet --------------------------------------------------------------

DICH_VU_VIEN_THONG = Law(
    code="dich_vu_vien_thong",
    quote="Hộ gia đình không có thành viên nào sử dụng thuê bao điện thoại và internet",
    cases=(
        Case("neither phone nor internet", household(uses_internet=False, has_phone=False), True),
        Case("a phone, no internet", household(uses_internet=False, has_phone=True), False),
        Case("internet, no phone", household(uses_internet=True, has_phone=False), False),
        Case("no internet, phone not recorded", household(uses_internet=False, has_phone=None), None),
        Case("a phone, internet not recorded", household(uses_internet=None, has_phone=True), False),
        Case("neither recorded", household(uses_internet=None, has_phone=None), None),
    ),
)

# --- 10. Information assets and the loudspeaker -------------------------------------------------------------------

TAI_SAN_TIEP_CAN_THONG_TIN = Law(
    code="tai_san_tiep_can_thong_tin",
    quote="Hộ gia đình không có tài sản nào trong số các tài sản: Tivi, radio, máy tính; và không nghe được hệ thống "
    "loa đài truyền thanh xã/thôn",
    cases=(
        Case("no asset, no loudspeaker", household(**NO_DEVICE, hears_loudspeaker=False), True),
        # A smartphone is not one of the assets QĐ 59 names.
        Case(
            "a smartphone only, no loudspeaker",
            household(**(NO_DEVICE | {"has_smartphone": True}), hears_loudspeaker=False),
            True,
        ),
        Case("no asset, hears the loudspeaker", household(**NO_DEVICE, hears_loudspeaker=True), False),
        *(
            Case(
                f"only {asset}, no loudspeaker",
                household(**(NO_DEVICE | {asset: True}), hears_loudspeaker=False),
                False,
            )
            for asset in ("has_tv", "has_radio", "has_computer")
        ),
        Case("no asset, loudspeaker not recorded", household(**NO_DEVICE, hears_loudspeaker=None), None),
        Case(
            "a TV, loudspeaker not recorded",
            household(**(NO_DEVICE | {"has_tv": True}), hears_loudspeaker=None),
            False,
        ),
        Case(
            "TV not recorded, nothing else, no loudspeaker",
            household(**(NO_DEVICE | {"has_tv": None}), hears_loudspeaker=False),
            None,
        ),
        Case(
            "TV not recorded, hears the loudspeaker",
            household(**(NO_DEVICE | {"has_tv": None}), hears_loudspeaker=True),
            False,
        ),
    ),
)

LAWS = [
    TIEP_CAN_DICH_VU_Y_TE,
    QD59_BAO_HIEM_Y_TE,
    GIAO_DUC_NGUOI_LON,
    TRE_EM_DI_HOC,
    QD59_CHAT_LUONG_NHA_O,
    QD59_DIEN_TICH_NHA_O,
    NGUON_NUOC_SINH_HOAT,
    QD59_NHA_TIEU_HOP_VE_SINH,
    DICH_VU_VIEN_THONG,
    TAI_SAN_TIEP_CAN_THONG_TIN,
]
SHARED_WITH_ND07 = ["bao_hiem_y_te", "chat_luong_nha_o", "dien_tich_nha_o", "nha_tieu_hop_ve_sinh"]
LAWS_ND07 = [BAO_HIEM_Y_TE, CHAT_LUONG_NHA_O, DIEN_TICH_NHA_O, NHA_TIEU_HOP_VE_SINH]

# --- Tests --------------------------------------------------------------------------------------------------------


def test_every_indicator_has_its_law_with_cases_on_both_sides() -> None:
    assert [law.code for law in LAWS] == list(QD59.indicator_codes)
    for law in LAWS:
        if law.code != "tiep_can_dich_vu_y_te":  # the reviewer's flag: tested below
            assert {True, False} <= {case.deprived for case in law.cases}, law.code


def test_rules_whose_nd07_cases_are_reused_are_those_of_nd07() -> None:
    assert [
        code for code in QD59.indicator_codes if code in ND07.indicator_codes and same_rule(QD59, ND07, code)
    ] == (SHARED_WITH_ND07)
    for code in SHARED_WITH_ND07:
        law = next(law for law in LAWS if law.code == code)
        assert law.cases == next(law for law in LAWS_ND07 if law.code == code).cases


@pytest.mark.parametrize("law", LAWS, ids=[law.code for law in LAWS])
def test_the_data_file_quotes_the_law(law: Law) -> None:
    assert_quotes(QD59, law)


@pytest.mark.parametrize(("law", "case"), law_cases(LAWS))
def test_indicator_follows_the_law(law: Law, case: Case) -> None:
    assert_quotes(QD59, law)
    assert_case(QD59, law.code, case)


@pytest.mark.parametrize("flag", [True, False])
def test_access_to_health_care_is_the_reviewers_flag(flag: bool) -> None:
    """No recorded fact decides TIEP_CAN_DICH_VU_Y_TE: the reviewer's flag is counted as entered."""
    rule = rule_of(QD59, "tiep_can_dich_vu_y_te")
    assert (rule.kind, rule.evidence) == ("entered", "unverified")
    result = classify_both(QD59, household(entered={"tiep_can_dich_vu_y_te": flag}))
    outcome = next(o for o in result.outcomes if o.code == "tiep_can_dich_vu_y_te")
    assert (outcome.entered, outcome.derived, outcome.deprived, outcome.missing) == (flag, None, flag, False)
    assert result.deprivation_count == int(flag)
    assert result.derivable_mask & (1 << QD59.bit("tiep_can_dich_vu_y_te")) == 0


# --- Income: two tiers --------------------------------------------------------------------------------------------

POOR, NEAR, MIDDLE, NOT_POOR = (
    PovertyClass.POOR,
    PovertyClass.NEAR_POOR,
    PovertyClass.MIDDLE,
    PovertyClass.NOT_POOR,
)
# Households deprived on 2 and on 3 indicators (water, latrine; and telecom), nothing else.
TWO = {"water_source": "surface", "latrine_type": "pit"}
THREE = TWO | {"uses_internet": False, "has_phone": False}


@pytest.mark.parametrize(
    ("area", "income", "deprivations", "is_agri", "expected"),
    [
        # Rural: poor at most 700,000 whatever the deprivations; up to 1,000,000 poor with 3, else near-poor; up to
        # 1,500,000 a farming household has a middle living standard.
        (AreaType.RURAL, 700_000, {}, False, POOR),
        (AreaType.RURAL, 700_001, {}, False, NEAR),
        (AreaType.RURAL, 700_001, TWO, False, NEAR),
        (AreaType.RURAL, 700_001, THREE, False, POOR),
        (AreaType.RURAL, 1_000_000, TWO, False, NEAR),
        (AreaType.RURAL, 1_000_000, THREE, False, POOR),
        (AreaType.RURAL, 1_000_001, THREE, False, NOT_POOR),
        (AreaType.RURAL, 1_000_001, THREE, True, MIDDLE),
        (AreaType.RURAL, 1_500_000, {}, True, MIDDLE),
        (AreaType.RURAL, 1_500_001, {}, True, NOT_POOR),
        # Urban: 900,000, 1,300,000 and 1,950,000.
        (AreaType.URBAN, 900_000, {}, False, POOR),
        (AreaType.URBAN, 900_001, TWO, False, NEAR),
        (AreaType.URBAN, 900_001, THREE, False, POOR),
        (AreaType.URBAN, 1_300_000, TWO, False, NEAR),
        (AreaType.URBAN, 1_300_000, THREE, False, POOR),
        (AreaType.URBAN, 1_300_001, THREE, False, NOT_POOR),
        (AreaType.URBAN, 1_950_000, {}, True, MIDDLE),
        (AreaType.URBAN, 1_950_001, {}, True, NOT_POOR),
    ],
)
def test_two_tier_income_lines(
    area: AreaType, income: int, deprivations: dict[str, Any], is_agri: bool, expected: PovertyClass
) -> None:
    facts = household(area_type=area, income_per_capita=income, is_agri=is_agri, **deprivations)
    result = classify_both(QD59, facts)
    assert result.deprivation_count == (3 if deprivations == THREE else 2 if deprivations == TWO else 0)
    assert result.poverty_class is expected


def test_the_data_file_holds_the_two_tier_lines() -> None:
    assert (QD59.rule, QD59.cutoff) == ("two_tier", 3)
    rural, urban = QD59.income[AreaType.RURAL], QD59.income[AreaType.URBAN]
    assert (rural.lower_line, rural.poverty_line, rural.middle_line) == (700_000, 1_000_000, 1_500_000)
    assert (urban.lower_line, urban.poverty_line, urban.middle_line) == (900_000, 1_300_000, 1_950_000)
    assert QD59.area_label(AreaType.URBAN) == "thành thị"


@pytest.mark.parametrize(
    ("year", "expected"), [(2016, "QD59-2015"), (2021, "QD59-2015"), (2022, "ND07-2021")]
)
def test_qd59_decides_the_lists_of_2016_to_2021(year: int, expected: str) -> None:
    assert standard_for_lists_year(year).id == expected
