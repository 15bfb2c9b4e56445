"""The indicators of NĐ 07/2021 (ND07-2021.toml) as law tests: each indicator's legal sentence is quoted here, next
to the households that sit on both sides of every bound it sets, and the tests check that the data file still quotes
the same sentence. Where the data file has no sentence (the rule was not read: evidence "unverified"), its
Vietnamese description is quoted instead.

Every household is classified on both paths (helpers.classify_both). Members are built consistently: from a birth
date on a given day (`grown`, `child`: age, school age and working age follow from it, engine.facts.member_facts),
or as helpers.adult, a 35-year-old with every fact recorded. An unrecorded fact is unknown: the cases marked None
are undecided (neither deprived nor not), and the reviewer's entered flag would decide them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import pytest

from giamngheo.engine.facts import HouseholdFacts, MemberFacts, age_on, member_facts, school_age_on
from giamngheo.engine.standard import IndicatorRule, Standard, get_standard

from .helpers import adult, classify_both, household

ND07 = get_standard("ND07-2021")
ON = date(
    2026, 11, 20
)  # tests.conftest.NOW: the day members' ages are counted on, unless a case says otherwise

# --- Builders -----------------------------------------------------------------------------------------------------

DERIVED = {"age", "sex", "birth_year", "school_age", "working_age", "past_working_age"}
# Everything helpers.adult records besides what a birth date gives: insured, upper secondary, self-employed, ...
ADULT_RECORDED = {name: value for name, value in asdict(adult()).items() if name not in DERIVED}


def grown(birth: date | None, sex: str | None = "nam", *, on: date = ON, **recorded: Any) -> MemberFacts:
    """A member born on `birth`, as on `on`, with helpers.adult's recorded facts unless told otherwise."""
    return member_facts(birth_date=birth, sex=sex, on=on, **(ADULT_RECORDED | recorded))


def level_for(school_age: int) -> str:
    """The level of schooling due at a school age (Luật Giáo dục 2019, Điều 28)."""
    if school_age <= 5:
        return "preschool"
    if school_age <= 10:
        return "primary"
    if school_age <= 14:
        return "lower_secondary"
    return "upper_secondary"


def child(birth: date, *, on: date = ON, **recorded: Any) -> MemberFacts:
    """A child born on `birth`, as on `on`: from 3, in school at the level due for their school age, with the
    general education that level implies; insured, well nourished, not working."""
    school_age, age = school_age_on(birth, on), age_on(birth, on)
    assert school_age is not None and age is not None
    in_school = recorded.get("in_education", age >= 3)
    values: dict[str, Any] = {
        "has_health_insurance": True,
        "in_education": in_school,
        "school_level": level_for(school_age) if in_school else None,
        "education_level": "none"
        if school_age <= 10
        else "primary"
        if school_age <= 14
        else "lower_secondary",
        "vocational_level": "none",
        "work_status": "not_in_labour_force",
        "has_labour_contract": False,
        "able_to_work": False,
        "disabled": False,
        "receives_social_allowance": False,
        "malnourished": False,
        "on_the_job_training_certified": False,
    }
    return member_facts(birth_date=birth, sex="nu", on=on, **(values | recorded))


def elder(**recorded: Any) -> MemberFacts:
    """A woman of 71, long past working age, not working."""
    values: dict[str, Any] = {"work_status": "not_in_labour_force", "able_to_work": False}
    return grown(date(1955, 1, 1), "nu", **(values | recorded))


# Children on ON, by age.
CHILD_4 = child(date(2022, 3, 1))
CHILD_8 = child(date(2018, 5, 1))
CHILD_12 = child(date(2014, 2, 1))

# --- Checks -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    facts: HouseholdFacts
    deprived: bool | None  # None: undecided (the recorded facts do not decide it)


@dataclass(frozen=True)
class Law:
    code: str
    quote: str  # the legal sentence, verbatim as the data file quotes it; "" when it has none
    cases: tuple[Case, ...]
    describe_vi: str = ""  # quoted instead of the sentence when the data file has none
    evidence: str = ""  # the evidence the data file gives a rule it quotes no sentence for


def rule_of(standard: Standard, code: str) -> IndicatorRule:
    return next(rule for rule in standard.indicators if rule.code == code)


def same_rule(standard: Standard, other: Standard, code: str) -> bool:
    """Whether two standards measure an indicator alike: kind, group, condition, share and parameters."""
    a, b = rule_of(standard, code), rule_of(other, code)
    return (
        a.kind == b.kind
        and (a.among and a.among.source) == (b.among and b.among.source)
        and (a.when and a.when.source) == (b.when and b.when.source)
        and a.above == b.above
        and a.params == b.params
    )


def assert_quotes(standard: Standard, law: Law) -> None:
    """The data file quotes the sentence the test quotes (or, with none, describes the rule as the test does)."""
    rule = rule_of(standard, law.code)
    if law.quote:
        assert rule.quote == law.quote
    else:
        assert (rule.quote, rule.evidence, rule.describe_vi) == ("", law.evidence, law.describe_vi)


def assert_case(standard: Standard, code: str, case: Case) -> None:
    result = classify_both(standard, case.facts)
    outcome = next(o for o in result.outcomes if o.code == code)
    assert outcome.entered is None
    assert outcome.derived is case.deprived, case.name
    assert outcome.deprived is bool(case.deprived)
    assert outcome.missing is (case.deprived is None)
    assert (code in result.counted) is bool(case.deprived)


def law_cases(laws: list[Law]) -> list[Any]:
    return [pytest.param(law, case, id=f"{law.code}: {case.name}") for law in laws for case in law.cases]


# --- 1. Employment ------------------------------------------------------------------------------------------------

VIEC_LAM = Law(
    code="viec_lam",
    quote="Hộ gia đình có ít nhất 01 người trong độ tuổi lao động, có khả năng lao động, có nhu cầu làm việc nhưng "
    "không tìm được việc làm; hoặc có việc làm công ăn lương nhưng không có hợp đồng lao động",
    cases=(
        # "trong độ tuổi lao động": from 15 full years (Bộ luật Lao động 2019 Điều 3)...
        Case(
            "unemployed, 15 today",
            household(
                adult(),
                grown(date(2011, 11, 20), education_level="lower_secondary", work_status="unemployed"),
            ),
            True,
        ),
        Case(
            "unemployed, 15 tomorrow",
            household(
                adult(),
                grown(date(2011, 11, 21), education_level="lower_secondary", work_status="unemployed"),
            ),
            False,
        ),
        Case(
            "unemployed, 14 years 11 months",
            household(
                adult(),
                grown(date(2011, 12, 20), education_level="lower_secondary", work_status="unemployed"),
            ),
            False,
        ),
        # ... to the end of the month of the retirement age (men 61 years 6 months in 2026, women 57 years).
        Case(
            "man born 15/03/1965, unemployed, 30/09/2026: end of his retirement month",
            household(grown(date(1965, 3, 15), on=date(2026, 9, 30), work_status="unemployed")),
            True,
        ),
        Case(
            "man born 15/03/1965, unemployed, 01/10/2026: past working age",
            household(grown(date(1965, 3, 15), on=date(2026, 10, 1), work_status="unemployed")),
            False,
        ),
        Case(
            "man born 15/06/1965, 61, unemployed, 20/11/2026: retires at the end of 12/2026",
            household(grown(date(1965, 6, 15), work_status="unemployed")),
            True,
        ),
        Case(
            "man born 15/06/1965, unemployed, 31/12/2026",
            household(grown(date(1965, 6, 15), on=date(2026, 12, 31), work_status="unemployed")),
            True,
        ),
        Case(
            "man born 15/06/1965, unemployed, 01/01/2027",
            household(grown(date(1965, 6, 15), on=date(2027, 1, 1), work_status="unemployed")),
            False,
        ),
        Case(
            "woman reaching 57 on 10/08/2026, unemployed, 31/08/2026",
            household(grown(date(1969, 8, 10), "nu", on=date(2026, 8, 31), work_status="unemployed")),
            True,
        ),
        Case(
            "woman reaching 57 on 10/08/2026, unemployed, 01/09/2026",
            household(grown(date(1969, 8, 10), "nu", on=date(2026, 9, 1), work_status="unemployed")),
            False,
        ),
        Case("unemployed, past working age (71)", household(elder(work_status="unemployed")), False),
        # "có khả năng lao động".
        Case(
            "unemployed, unable to work",
            household(adult(work_status="unemployed", able_to_work=False)),
            False,
        ),
        Case(
            "unemployed, ability to work not recorded",
            household(adult(work_status="unemployed", able_to_work=None)),
            None,
        ),
        Case(
            "unemployed, 58, sex not recorded: working age unknown",
            household(grown(date(1968, 6, 1), sex=None, work_status="unemployed")),
            None,
        ),
        Case(
            "self-employed, 58, sex not recorded",
            household(grown(date(1968, 6, 1), sex=None, work_status="self_employed")),
            False,
        ),
        # "không tìm được việc làm; hoặc có việc làm công ăn lương nhưng không có hợp đồng lao động".
        Case("wage worker without a contract", household(adult(work_status="wage_worker")), True),
        Case(
            "wage worker with a contract",
            household(adult(work_status="wage_worker", has_labour_contract=True)),
            False,
        ),
        Case(
            "wage worker, contract not recorded",
            household(adult(work_status="wage_worker", has_labour_contract=None)),
            None,
        ),
        Case(
            "wage worker, contract not recorded, another member unemployed",
            household(
                adult(work_status="wage_worker", has_labour_contract=None), adult(work_status="unemployed")
            ),
            True,
        ),
        Case("self-employed without a contract", household(adult(has_labour_contract=False)), False),
        Case("not in the labour force", household(adult(work_status="not_in_labour_force")), False),
        Case("work status not recorded", household(adult(work_status=None)), None),
    ),
)

# --- 2. Dependants ------------------------------------------------------------------------------------------------

NGUOI_PHU_THUOC = Law(
    code="nguoi_phu_thuoc",
    quote="Tỷ lệ người phụ thuộc trong tổng số nhân khẩu lớn hơn 50%",
    cases=(
        # "lớn hơn 50%": strictly more than half.
        Case("3 of 5 are children", household(adult(), adult(), CHILD_12, CHILD_8, CHILD_4), True),
        Case("2 of 4 are children: exactly half", household(adult(), adult(), CHILD_8, CHILD_4), False),
        Case("2 of 3 are children", household(adult(), CHILD_8, CHILD_4), True),
        # Children under 16.
        Case(
            "2 of 3 are children, one 16 tomorrow",
            household(adult(), CHILD_8, child(date(2010, 11, 21))),
            True,
        ),
        Case(
            "1 of 3 is a child, the other 16 today",
            household(adult(), CHILD_8, child(date(2010, 11, 20))),
            False,
        ),
        # People past working age on a monthly social allowance.
        Case(
            "man past working age (retired 09/2026) on an allowance",
            household(adult(), grown(date(1965, 3, 15), receives_social_allowance=True), CHILD_8),
            True,
        ),
        Case(
            "man of 61 still of working age (retires 12/2026) on an allowance, not disabled",
            household(adult(), grown(date(1965, 6, 15), receives_social_allowance=True), CHILD_8),
            False,
        ),
        Case(
            "woman who reached 57 in 08/2026 on an allowance",
            household(adult(), grown(date(1969, 8, 10), "nu", receives_social_allowance=True), CHILD_8),
            True,
        ),
        Case("past working age, no allowance", household(adult(), elder(), CHILD_8), False),
        Case(
            "past working age, allowance not recorded",
            household(adult(), elder(receives_social_allowance=None), CHILD_8),
            None,
        ),
        Case(
            "on an allowance, 58, sex not recorded: past working age unknown",
            household(adult(), grown(date(1968, 6, 1), sex=None, receives_social_allowance=True), CHILD_8),
            None,
        ),
        # People with a disability on a monthly social allowance.
        Case(
            "disabled, on an allowance",
            household(adult(), adult(disabled=True, receives_social_allowance=True), CHILD_8),
            True,
        ),
        Case("disabled, no allowance", household(adult(), adult(disabled=True), CHILD_8), False),
        Case(
            "on an allowance, neither disabled nor past working age",
            household(adult(), adult(receives_social_allowance=True), CHILD_8),
            False,
        ),
        Case(
            "on an allowance, disability not recorded",
            household(adult(), adult(disabled=None, receives_social_allowance=True), CHILD_8),
            None,
        ),
        Case(
            "disabled, allowance not recorded",
            household(adult(), adult(disabled=True, receives_social_allowance=None), CHILD_8),
            None,
        ),
        # Unrecorded flags never lower the count: what the recorded facts already decide stands.
        Case(
            "2 children of 3, the third's disability and allowance not recorded",
            household(CHILD_8, CHILD_4, adult(disabled=None, receives_social_allowance=None)),
            True,
        ),
        Case(
            "1 child of 4, one adult's disability and allowance not recorded: at most half",
            household(adult(), adult(), CHILD_8, adult(disabled=None, receives_social_allowance=None)),
            False,
        ),
    ),
)

# --- 3. Nutrition -------------------------------------------------------------------------------------------------

DINH_DUONG = Law(
    code="dinh_duong",
    quote="Hộ gia đình có ít nhất 01 trẻ em dưới 16 tuổi bị suy dinh dưỡng chiều cao theo tuổi hoặc suy dinh dưỡng "
    "cân nặng theo tuổi",
    cases=(
        Case("malnourished baby", household(adult(), child(date(2026, 1, 10), malnourished=True)), True),
        Case(
            "malnourished, 16 tomorrow",
            household(adult(), child(date(2010, 11, 21), malnourished=True)),
            True,
        ),
        Case(
            "malnourished, 16 today", household(adult(), child(date(2010, 11, 20), malnourished=True)), False
        ),
        Case("no child malnourished", household(adult(), CHILD_8, CHILD_4), False),
        Case(
            "a child's nutrition not recorded",
            household(adult(), child(date(2018, 5, 1), malnourished=None)),
            None,
        ),
        Case("an adult's nutrition not recorded", household(adult(malnourished=None), CHILD_8), False),
    ),
)

# --- 4. Health insurance ------------------------------------------------------------------------------------------

BAO_HIEM_Y_TE = Law(
    code="bao_hiem_y_te",
    quote="Hộ gia đình có ít nhất 01 người từ 06 tuổi trở lên hiện không có bảo hiểm y tế",
    cases=(
        Case(
            "uninsured, 6 today",
            household(adult(), child(date(2020, 11, 20), has_health_insurance=False)),
            True,
        ),
        Case(
            "uninsured, 6 tomorrow",
            household(adult(), child(date(2020, 11, 21), has_health_insurance=False)),
            False,
        ),
        Case("uninsured adult", household(adult(has_health_insurance=False)), True),
        Case("uninsured 71-year-old", household(adult(), elder(has_health_insurance=False)), True),
        Case("everyone insured", household(adult(), CHILD_8), False),
        Case(
            "insurance of a 10-year-old not recorded",
            household(adult(), child(date(2016, 1, 5), has_health_insurance=None)),
            None,
        ),
        Case(
            "insurance of a 4-year-old not recorded",
            household(adult(), child(date(2022, 3, 1), has_health_insurance=None)),
            False,
        ),
        Case(
            "birth date not recorded, uninsured",
            household(adult(), grown(None, has_health_insurance=False)),
            None,
        ),
        Case("birth date not recorded, insured", household(adult(), grown(None)), False),
    ),
)

# --- 5. Adult education -------------------------------------------------------------------------------------------


def youth(birth: date, education_level: str | None, **recorded: Any) -> HouseholdFacts:
    """A household with a member born on `birth`, out of school, with that general education and no vocational
    qualification unless told otherwise."""
    values = {"in_education": False, "education_level": education_level, "vocational_level": "none"}
    return household(adult(), grown(birth, **(values | recorded)))


AGE_15, AGE_16 = date(2010, 11, 21), date(2010, 11, 20)  # 16 tomorrow, 16 today
AGE_17, AGE_18 = date(2008, 11, 21), date(2008, 11, 20)  # 18 tomorrow, 18 today
AGE_20 = date(2006, 5, 1)
AGE_30, AGE_31 = date(1995, 11, 21), date(1995, 11, 20)  # 31 tomorrow, 31 today

GIAO_DUC_NGUOI_LON = Law(
    code="giao_duc_nguoi_lon",
    quote="Hộ gia đình có ít nhất 01 người từ 16 tuổi đến 30 tuổi không tham gia các khóa đào tạo hoặc không có bằng "
    "cấp, chứng chỉ giáo dục đào tạo so với độ tuổi tương ứng (người từ 16 tuổi đến dưới 18 tuổi đang học hoặc đã "
    "tốt nghiệp trung học cơ sở; từ 18 tuổi đến 30 tuổi đang học hoặc đã tốt nghiệp trung học phổ thông hoặc sơ "
    "cấp/trung cấp/cao đẳng nghề; hoặc người từ 16 tuổi đến 30 tuổi được doanh nghiệp tuyển dụng và chứng nhận đào "
    "tạo nghề tại chỗ)",
    cases=(
        # "từ 16 tuổi đến 30 tuổi".
        Case("16 tomorrow, primary, out of school", youth(AGE_15, "primary"), False),
        Case("16 today, primary, out of school", youth(AGE_16, "primary"), True),
        Case("30, primary", youth(AGE_30, "primary"), True),
        Case("31 today, primary", youth(AGE_31, "primary"), False),
        # "từ 16 tuổi đến dưới 18 tuổi ... đã tốt nghiệp trung học cơ sở".
        Case("16, lower secondary", youth(AGE_16, "lower_secondary"), False),
        Case("18 tomorrow, primary", youth(AGE_17, "primary"), True),
        Case("18 tomorrow, lower secondary", youth(AGE_17, "lower_secondary"), False),
        # An elementary vocational certificate (sơ cấp) is not a lower-secondary diploma and does not imply one.
        Case(
            "17, primary, elementary vocational",
            youth(AGE_17, "primary", vocational_level="elementary"),
            True,
        ),
        Case(
            "17, lower secondary, elementary vocational",
            youth(AGE_17, "lower_secondary", vocational_level="elementary"),
            False,
        ),
        # "từ 18 tuổi đến 30 tuổi ... đã tốt nghiệp trung học phổ thông hoặc sơ cấp/trung cấp/cao đẳng nghề".
        Case("18 today, lower secondary", youth(AGE_18, "lower_secondary"), True),
        Case("18 today, upper secondary", youth(AGE_18, "upper_secondary"), False),
        Case(
            "18 today, primary, elementary vocational",
            youth(AGE_18, "primary", vocational_level="elementary"),
            False,
        ),
        Case(
            "30, primary, elementary vocational",
            youth(AGE_30, "primary", vocational_level="elementary"),
            False,
        ),
        Case(
            "20, lower secondary, intermediate vocational",
            youth(AGE_20, "lower_secondary", vocational_level="intermediate"),
            False,
        ),
        Case(
            "20, lower secondary, vocational college",
            youth(AGE_20, "lower_secondary", vocational_level="college"),
            False,
        ),
        Case("20, university", youth(AGE_20, "university"), False),
        Case("20, no schooling", youth(AGE_20, "none"), True),
        # "đang học": being in school or training exempts, at any age of the group.
        Case(
            "16, primary, in school",
            youth(AGE_16, "primary", in_education=True, school_level="lower_secondary"),
            False,
        ),
        Case(
            "20, primary, in training",
            youth(AGE_20, "primary", in_education=True, school_level="vocational"),
            False,
        ),
        # "được doanh nghiệp tuyển dụng và chứng nhận đào tạo nghề tại chỗ".
        Case(
            "20, primary, trained on the job",
            youth(AGE_20, "primary", on_the_job_training_certified=True),
            False,
        ),
        Case(
            "17, primary, trained on the job",
            youth(AGE_17, "primary", on_the_job_training_certified=True),
            False,
        ),
        # Unrecorded facts.
        Case("20, education not recorded, no vocational", youth(AGE_20, None), None),
        Case(
            "20, education not recorded, elementary vocational",
            youth(AGE_20, None, vocational_level="elementary"),
            False,
        ),
        Case("20, primary, attendance not recorded", youth(AGE_20, "primary", in_education=None), None),
        Case(
            "20, upper secondary, attendance not recorded",
            youth(AGE_20, "upper_secondary", in_education=None),
            False,
        ),
        Case(
            "20, primary, on-the-job certificate not recorded",
            youth(AGE_20, "primary", on_the_job_training_certified=None),
            None,
        ),
    ),
)

# --- 6. Children's schooling --------------------------------------------------------------------------------------


def pupil(birth: date, school_level: str | None, **recorded: Any) -> HouseholdFacts:
    """A household with a child born on `birth`, on ON (school year 2026–2027), in school at that level."""
    return household(
        adult(), child(birth, **({"in_education": True, "school_level": school_level} | recorded))
    )


def out_of_school(birth: date) -> HouseholdFacts:
    return household(adult(), child(birth, in_education=False))


TRE_EM_DI_HOC = Law(
    code="tre_em_di_hoc",
    quote="Hộ gia đình có ít nhất 01 trẻ em từ 3 tuổi đến dưới 16 tuổi không được học đúng bậc, cấp học phù hợp với "
    "độ tuổi",
    cases=(
        # "từ 3 tuổi đến dưới 16 tuổi".
        Case("out of school, 3 today", out_of_school(date(2023, 11, 20)), True),
        Case("out of school, 3 tomorrow", out_of_school(date(2023, 11, 21)), False),
        Case("3, in preschool", pupil(date(2023, 11, 20), "preschool"), False),
        Case("out of school, 16 tomorrow", out_of_school(date(2010, 11, 21)), True),
        Case("out of school, 16 today", out_of_school(date(2010, 11, 20)), False),
        # "học đúng bậc, cấp học phù hợp với độ tuổi": the level due for the school age (age counted by year).
        Case("school age 5, preschool", pupil(date(2021, 3, 1), "preschool"), False),
        Case("school age 5, primary", pupil(date(2021, 3, 1), "primary"), True),
        Case("school age 6 (aged 5), primary", pupil(date(2020, 12, 31), "primary"), False),
        Case("school age 6 (aged 5), preschool", pupil(date(2020, 12, 31), "preschool"), True),
        # School age counts by the school year, which starts in September.
        Case(
            "born 01/06/2020, in preschool, 31/08/2026: school age 5",
            pupil(date(2020, 6, 1), "preschool", on=date(2026, 8, 31)),
            False,
        ),
        Case(
            "born 01/06/2020, still in preschool, 01/09/2026: school age 6",
            pupil(date(2020, 6, 1), "preschool", on=date(2026, 9, 1)),
            True,
        ),
        Case("school age 10, primary", pupil(date(2016, 6, 1), "primary"), False),
        Case("school age 10, lower secondary", pupil(date(2016, 6, 1), "lower_secondary"), True),
        Case("school age 11, lower secondary", pupil(date(2015, 6, 1), "lower_secondary"), False),
        Case("school age 11, still in primary", pupil(date(2015, 6, 1), "primary"), True),
        Case("school age 14, lower secondary", pupil(date(2012, 6, 1), "lower_secondary"), False),
        Case("school age 14, upper secondary", pupil(date(2012, 6, 1), "upper_secondary"), True),
        Case("school age 15 (aged 14), upper secondary", pupil(date(2011, 12, 31), "upper_secondary"), False),
        Case("school age 15 (aged 14), vocational", pupil(date(2011, 12, 31), "vocational"), False),
        Case("school age 15 (aged 14), lower secondary", pupil(date(2011, 12, 31), "lower_secondary"), True),
        # Unrecorded facts.
        Case("in school, level not recorded", pupil(date(2016, 6, 1), None), None),
        Case("attendance not recorded", pupil(date(2016, 6, 1), "primary", in_education=None), None),
    ),
)

# --- 7. Housing quality -------------------------------------------------------------------------------------------

CHAT_LUONG_NHA_O = Law(
    code="chat_luong_nha_o",
    quote="Hộ gia đình đang ở trong ngôi nhà/căn hộ thuộc loại không bền chắc (có ít nhất 02 trong 03 kết cấu chính "
    "là cột, tường, mái làm bằng vật liệu không bền chắc)",
    cases=(
        Case("all durable", household(), False),
        Case("walls non-durable", household(wall_durable=False), False),
        Case("pillars non-durable", household(pillar_durable=False), False),
        Case("roof non-durable", household(roof_durable=False), False),
        Case("walls and roof", household(wall_durable=False, roof_durable=False), True),
        Case("walls and pillars", household(wall_durable=False, pillar_durable=False), True),
        Case("pillars and roof", household(pillar_durable=False, roof_durable=False), True),
        Case("all three", household(wall_durable=False, pillar_durable=False, roof_durable=False), True),
        # An unknown structure matters only when it could change the count's side of 2.
        Case(
            "2 non-durable, roof unknown",
            household(wall_durable=False, pillar_durable=False, roof_durable=None),
            True,
        ),
        Case("2 durable, roof unknown", household(roof_durable=None), False),
        Case("1 non-durable, 1 durable, 1 unknown", household(wall_durable=False, roof_durable=None), None),
        Case(
            "1 non-durable, 2 unknown",
            household(wall_durable=False, pillar_durable=None, roof_durable=None),
            None,
        ),
    ),
)

# --- 8. Floor area per person -------------------------------------------------------------------------------------

DIEN_TICH_NHA_O = Law(
    code="dien_tich_nha_o",
    quote="Diện tích nhà ở bình quân đầu người của hộ gia đình nhỏ hơn 8m2",
    cases=(
        Case("2 members, 16 m²: exactly 8 each", household(adult(), adult(), floor_area_m2=16.0), False),
        Case("2 members, 15.99 m²", household(adult(), adult(), floor_area_m2=15.99), True),
        Case("3 members, 24 m²", household(adult(), adult(), adult(), floor_area_m2=24.0), False),
        Case("3 members, 23.9 m²", household(adult(), adult(), adult(), floor_area_m2=23.9), True),
        Case("1 member, 7.5 m²", household(floor_area_m2=7.5), True),
        Case("area not recorded", household(floor_area_m2=None), None),
        Case("no members recorded", household(members=()), None),
    ),
)

# --- 9. Domestic water --------------------------------------------------------------------------------------------

SAFE_WATER = ["piped", "drilled_well", "protected_dug_well", "protected_spring", "rainwater", "bottled"]
UNSAFE_WATER = ["unprotected_well", "surface", "other"]

NGUON_NUOC_SINH_HOAT = Law(
    code="nguon_nuoc_sinh_hoat",
    quote="Hộ gia đình không tiếp cận được nguồn nước sạch trong sinh hoạt (gồm: nước máy, giếng khoan, giếng đào "
    "được bảo vệ, nước khe/mó được bảo vệ và nước mưa, nước đóng chai bình)",
    cases=(
        *(Case(f"safe: {water}", household(water_source=water), False) for water in SAFE_WATER),
        *(Case(f"unsafe: {water}", household(water_source=water), True) for water in UNSAFE_WATER),
        Case("source not recorded", household(water_source=None), None),
    ),
)

# --- 10. Hygienic latrine -----------------------------------------------------------------------------------------

HYGIENIC_LATRINES = ["septic", "semi_septic", "pour_flush", "double_vault", "single_vault", "ventilated_pit"]
# Biogas is not a latrine type of QCVN 01:2011/BYT: it is not counted as hygienic.
OTHER_LATRINES = ["pit", "none", "other", "biogas"]

NHA_TIEU_HOP_VE_SINH = Law(
    code="nha_tieu_hop_ve_sinh",
    quote="Hộ gia đình không sử dụng hố xí/nhà tiêu hợp vệ sinh (gồm: tự hoại/bán tự hoại, thấm dội …",
    cases=(
        *(
            Case(f"hygienic: {latrine}", household(latrine_type=latrine), False)
            for latrine in HYGIENIC_LATRINES
        ),
        *(
            Case(f"not hygienic: {latrine}", household(latrine_type=latrine), True)
            for latrine in OTHER_LATRINES
        ),
        Case("latrine not recorded", household(latrine_type=None), None),
    ),
)

# --- 11. Telecom services -----------------------------------------------------------------------------------------

DICH_VU_VIEN_THONG = Law(
    code="dich_vu_vien_thong",
    quote="",
    evidence="unverified",
    describe_vi="không có thành viên nào sử dụng dịch vụ internet",
    cases=(
        Case("nobody uses the internet", household(uses_internet=False), True),
        Case(
            "nobody uses the internet, though a phone", household(uses_internet=False, has_phone=True), True
        ),
        Case("internet, no phone", household(uses_internet=True, has_phone=False), False),
        Case("internet use not recorded", household(uses_internet=None), None),
    ),
)

# --- 12. Means of access to information ---------------------------------------------------------------------------

NO_DEVICE = {"has_tv": False, "has_radio": False, "has_computer": False, "has_smartphone": False}

TAI_SAN_TIEP_CAN_THONG_TIN = Law(
    code="tai_san_tiep_can_thong_tin",
    quote="",
    evidence="unverified",
    describe_vi="không có phương tiện nào phục vụ tiếp cận thông tin (ti vi, radio, máy tính, điện thoại thông minh)",
    cases=(
        Case("no device", household(**NO_DEVICE), True),
        Case(
            "no device, though the loudspeaker is heard", household(**NO_DEVICE, hears_loudspeaker=True), True
        ),
        *(
            Case(f"only {device}", household(**(NO_DEVICE | {device: True})), False)
            for device in ("has_tv", "has_radio", "has_computer", "has_smartphone")
        ),
        Case("no device known, the TV not recorded", household(**(NO_DEVICE | {"has_tv": None})), None),
        Case(
            "a radio, the TV not recorded",
            household(**(NO_DEVICE | {"has_tv": None, "has_radio": True})),
            False,
        ),
    ),
)

LAWS = [
    VIEC_LAM,
    NGUOI_PHU_THUOC,
    DINH_DUONG,
    BAO_HIEM_Y_TE,
    GIAO_DUC_NGUOI_LON,
    TRE_EM_DI_HOC,
    CHAT_LUONG_NHA_O,
    DIEN_TICH_NHA_O,
    NGUON_NUOC_SINH_HOAT,
    NHA_TIEU_HOP_VE_SINH,
    DICH_VU_VIEN_THONG,
    TAI_SAN_TIEP_CAN_THONG_TIN,
]

# --- Tests --------------------------------------------------------------------------------------------------------


def test_every_indicator_has_its_law_with_cases_on_both_sides() -> None:
    assert [law.code for law in LAWS] == list(ND07.indicator_codes)
    for law in LAWS:
        assert {True, False} <= {case.deprived for case in law.cases}, law.code


@pytest.mark.parametrize("law", LAWS, ids=[law.code for law in LAWS])
def test_the_data_file_quotes_the_law(law: Law) -> None:
    assert_quotes(ND07, law)


@pytest.mark.parametrize(("law", "case"), law_cases(LAWS))
def test_indicator_follows_the_law(law: Law, case: Case) -> None:
    assert_quotes(ND07, law)
    assert_case(ND07, law.code, case)


def test_the_builders_make_households_deprived_on_nothing_with_everything_recorded() -> None:
    facts = household(
        adult(), grown(date(1969, 8, 10), "nu"), CHILD_12, CHILD_8, child(date(2025, 2, 1)), elder()
    )
    result = classify_both(ND07, facts)
    assert result.deprivation_count == 0
    assert result.derivable_mask == ND07.mask
    assert result.missing_mask == 0
    # A child out of school, too young for it, is not deprived either.
    assert facts.members[4].in_education is False


def test_an_undecided_indicator_falls_back_to_the_entered_flag() -> None:
    facts = household(adult(work_status="wage_worker", has_labour_contract=None), entered={"viec_lam": True})
    result = classify_both(ND07, facts)
    outcome = next(o for o in result.outcomes if o.code == "viec_lam")
    assert (outcome.derived, outcome.entered, outcome.deprived, outcome.missing) == (None, True, True, False)
