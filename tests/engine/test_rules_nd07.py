"""Each indicator of NĐ 07/2021 (domain.md §1.2) at its edge: a household that is just deprived and one that is
just not. Every case runs on both paths (helpers.classify_both)."""

from __future__ import annotations

import pytest

from giamngheo.engine.classify import derive_indicator
from giamngheo.engine.facts import HouseholdFacts
from giamngheo.engine.standard import get_standard

from .helpers import adult, classify_both, household, outcome

ND07 = get_standard("ND07-2021")
SCHOOL = {"in_education": True, "education_level": "primary"}
CHILD = {**SCHOOL, "work_status": "not_in_labour_force"}

CASES: list[tuple[str, str, HouseholdFacts, bool]] = [
    # 1. Employment: a working-age member, able to work, unemployed or a wage worker without a contract.
    (
        "viec_lam",
        "unemployed at 15",
        household(adult(), adult(), adult(age=15, work_status="unemployed", **SCHOOL)),
        True,
    ),
    (
        "viec_lam",
        "unemployed at 14",
        household(adult(), adult(), adult(age=14, work_status="unemployed", **SCHOOL)),
        False,
    ),
    ("viec_lam", "unemployed at 60", household(adult(age=60, work_status="unemployed")), True),
    ("viec_lam", "unemployed at 61", household(adult(age=61, work_status="unemployed")), False),
    ("viec_lam", "wage job, no contract", household(adult(work_status="wage_worker")), True),
    (
        "viec_lam",
        "wage job with a contract",
        household(adult(work_status="wage_worker", has_labour_contract=True)),
        False,
    ),
    (
        "viec_lam",
        "unemployed, unable to work",
        household(adult(work_status="unemployed", able_to_work=False)),
        False,
    ),
    # 2. Dependants: more than half are children under 16 or elderly/disabled on a monthly social allowance.
    (
        "nguoi_phu_thuoc",
        "3 of 5 are children",
        household(adult(), adult(), adult(age=15, **CHILD), adult(age=8, **CHILD), adult(age=3, **CHILD)),
        True,
    ),
    (
        "nguoi_phu_thuoc",
        "exactly half are children",
        household(adult(), adult(), adult(age=15, **CHILD), adult(age=8, **CHILD)),
        False,
    ),
    (
        "nguoi_phu_thuoc",
        "a 16-year-old is not a child",
        household(adult(), adult(age=16, **CHILD), adult(age=8, **CHILD)),
        False,
    ),
    (
        "nguoi_phu_thuoc",
        "allowance at 60 counts",
        household(adult(), adult(age=60, receives_social_allowance=True), adult(age=8, **CHILD)),
        True,
    ),
    (
        "nguoi_phu_thuoc",
        "allowance at 59, not disabled, does not",
        household(adult(), adult(age=59, receives_social_allowance=True), adult(age=8, **CHILD)),
        False,
    ),
    (
        "nguoi_phu_thuoc",
        "disabled on an allowance counts",
        household(adult(), adult(disabled=True, receives_social_allowance=True), adult(age=8, **CHILD)),
        True,
    ),
    (
        "nguoi_phu_thuoc",
        "elderly without an allowance does not",
        household(adult(), adult(age=80), adult(age=8, **CHILD)),
        False,
    ),
    # 3. Nutrition: a malnourished child under 16.
    ("dinh_duong", "malnourished at 15", household(adult(), adult(age=15, malnourished=True, **CHILD)), True),
    (
        "dinh_duong",
        "malnourished at 16",
        household(adult(), adult(age=16, malnourished=True, **CHILD)),
        False,
    ),
    # 4. Health insurance: a member aged 6 or more without it.
    (
        "bao_hiem_y_te",
        "uninsured at exactly 6",
        household(adult(), adult(age=6, has_health_insurance=False, **CHILD)),
        True,
    ),
    (
        "bao_hiem_y_te",
        "uninsured at 5",
        household(adult(), adult(age=5, has_health_insurance=False, **CHILD)),
        False,
    ),
    # 5. Adult education, 16 to 30, not studying: under 18 needs lower secondary, 18+ upper secondary/vocational.
    (
        "giao_duc_nguoi_lon",
        "17, only primary",
        household(adult(), adult(age=17, in_education=False, education_level="primary")),
        True,
    ),
    (
        "giao_duc_nguoi_lon",
        "17, lower secondary",
        household(adult(), adult(age=17, in_education=False, education_level="lower_secondary")),
        False,
    ),
    (
        "giao_duc_nguoi_lon",
        "18, lower secondary",
        household(adult(), adult(age=18, education_level="lower_secondary")),
        True,
    ),
    (
        "giao_duc_nguoi_lon",
        "18, elementary vocational",
        household(adult(), adult(age=18, education_level="vocational_elementary")),
        False,
    ),
    (
        "giao_duc_nguoi_lon",
        "30, primary",
        household(adult(), adult(age=30, education_level="primary")),
        True,
    ),
    (
        "giao_duc_nguoi_lon",
        "31, primary",
        household(adult(), adult(age=31, education_level="primary")),
        False,
    ),
    (
        "giao_duc_nguoi_lon",
        "20, primary, still studying",
        household(adult(), adult(age=20, education_level="primary", in_education=True)),
        False,
    ),
    (
        "giao_duc_nguoi_lon",
        "20, primary, trained on the job",
        household(adult(), adult(age=20, education_level="primary", on_the_job_training_certified=True)),
        False,
    ),
    # 6. School attendance: a child aged 3 to under 16 out of school.
    (
        "tre_em_di_hoc",
        "out of school at 3",
        household(adult(), adult(age=3, **(CHILD | {"in_education": False}))),
        True,
    ),
    (
        "tre_em_di_hoc",
        "out of school at 2",
        household(adult(), adult(age=2, **(CHILD | {"in_education": False}))),
        False,
    ),
    (
        "tre_em_di_hoc",
        "out of school at 15",
        household(adult(), adult(age=15, **(CHILD | {"in_education": False}))),
        True,
    ),
    ("tre_em_di_hoc", "in school at 15", household(adult(), adult(age=15, **CHILD)), False),
    # 7. Housing quality: at least 2 of the 3 main structures non-durable.
    ("chat_luong_nha_o", "2 of 3 non-durable", household(wall_durable=False, roof_durable=False), True),
    ("chat_luong_nha_o", "1 of 3 non-durable", household(wall_durable=False), False),
    # 8. Floor area: below 8 m² per person.
    ("dien_tich_nha_o", "exactly 8 m² each", household(adult(), adult(), floor_area_m2=16.0), False),
    ("dien_tich_nha_o", "just under 8 m² each", household(adult(), adult(), floor_area_m2=15.99), True),
    # 9. Domestic water: no safe source.
    ("nguon_nuoc_sinh_hoat", "river water", household(water_source="surface"), True),
    ("nguon_nuoc_sinh_hoat", "rainwater", household(water_source="rainwater"), False),
    # 10. Hygienic latrine.
    ("nha_tieu_hop_ve_sinh", "pit latrine", household(latrine_type="pit"), True),
    ("nha_tieu_hop_ve_sinh", "semi-septic", household(latrine_type="semi_septic"), False),
    # 11. Telecom use: nobody uses the internet.
    ("dich_vu_vien_thong", "no internet", household(uses_internet=False), True),
    ("dich_vu_vien_thong", "internet", household(uses_internet=True, has_phone=False), False),
    # 12. Information devices: none of TV, radio, computer, smartphone.
    (
        "tai_san_tiep_can_thong_tin",
        "no device",
        household(has_tv=False, has_radio=False, has_computer=False, has_smartphone=False),
        True,
    ),
    (
        "tai_san_tiep_can_thong_tin",
        "a radio only",
        household(has_tv=False, has_radio=True, has_computer=False, has_smartphone=False),
        False,
    ),
]


def test_the_reference_household_is_deprived_on_nothing_and_everything_is_derived() -> None:
    result = classify_both(ND07, household())
    assert result.deprivation_count == 0
    assert result.derivable_mask == ND07.mask
    assert result.missing_mask == 0


def test_every_nd07_indicator_has_an_edge_case_both_ways() -> None:
    for code in ND07.indicator_codes:
        assert {expected for c, _, _, expected in CASES if c == code} == {True, False}, code


@pytest.mark.parametrize(("code", "case", "facts", "deprived"), CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_indicator_edge(code: str, case: str, facts: HouseholdFacts, deprived: bool) -> None:
    result = outcome(ND07, facts, code)
    assert result.derived is deprived, case
    assert result.deprived is deprived
    # The rule moves this indicator only.
    others = classify_both(ND07, facts)
    assert [o.code for o in others.outcomes if o.deprived] == ([code] if deprived else [])


def test_a_rule_whose_fact_is_not_recorded_is_not_derivable() -> None:
    rule = next(r for r in ND07.indicators if r.code == "bao_hiem_y_te")
    assert derive_indicator(rule, household(adult(), adult(age=10, has_health_insurance=None))) is None
    # A member outside the group may lack the fact: a 4-year-old's insurance does not matter.
    assert derive_indicator(rule, household(adult(), adult(age=4, has_health_insurance=None))) is False
    # A member whose age is unknown blocks the rule: nobody can tell whether they are in the group.
    assert derive_indicator(rule, household(adult(), adult(age=None))) is None
    # No members: nothing to derive from.
    assert derive_indicator(rule, household(members=())) is None
    floor = next(r for r in ND07.indicators if r.code == "dien_tich_nha_o")
    assert derive_indicator(floor, household(members=())) is None
    assert derive_indicator(floor, household(floor_area_m2=None)) is None
    assert derive_indicator(floor, household(floor_area_m2=float("nan"))) is None
