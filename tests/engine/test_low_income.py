"""Low-income workers (Nghị định 30/2025/NĐ-CP, adding điểm d to khoản 2 Điều 3 of NĐ 07/2021), from the
`[low_income_worker]` section of ND07-2021.toml. The decree's sentence is quoted here and must stay quoted in the
data file's `source`. Households are classified on both paths first (helpers.classify_both), as the review does."""

from __future__ import annotations

from datetime import date

import pytest

from giamngheo.engine.facts import AreaType, HouseholdFacts, PovertyClass
from giamngheo.engine.low_income import EXCLUDED_CLASSES, LowIncomeFinding, low_income_workers
from giamngheo.engine.standard import get_standard

from .helpers import adult, classify_both, household
from .test_rules_nd07 import CHILD_8, ON, elder, grown

LAW = (
    "Người lao động có thu nhập thấp là người lao động thuộc hộ gia đình (không bao gồm người lao động thuộc hộ "
    "nghèo, hộ cận nghèo) có thu nhập bình quân đầu người/tháng từ 2.250.000 đồng trở xuống ở khu vực nông thôn và "
    "từ 3.000.000 đồng trở xuống ở khu vực thành thị"
)

ND07 = get_standard("ND07-2021")
ND351 = get_standard("ND351-2025")
RURAL, URBAN = AreaType.RURAL, AreaType.URBAN
# Deprived on water, latrine and internet: poor at or under the poverty line.
THREE = {"water_source": "surface", "latrine_type": "pit", "uses_internet": False}


def finding(facts: HouseholdFacts, on: date = ON) -> tuple[PovertyClass, LowIncomeFinding]:
    """The household's class under NĐ 07/2021 and its low-income workers on `on`."""
    poverty_class = classify_both(ND07, facts).poverty_class
    return poverty_class, low_income_workers(ND07, facts, poverty_class, on)


def test_the_data_file_quotes_the_decree_and_holds_its_lines() -> None:
    rule = ND07.low_income_worker
    assert rule is not None
    assert LAW in rule.source
    assert rule.instrument == "Nghị định 30/2025/NĐ-CP"
    assert rule.lines == {RURAL: 2_250_000, URBAN: 3_000_000}
    assert rule.valid_from == date(2025, 2, 24)
    assert {PovertyClass.POOR, PovertyClass.NEAR_POOR} == EXCLUDED_CLASSES


@pytest.mark.parametrize(
    ("area", "income", "expected"),
    [
        # "từ 2.250.000 đồng trở xuống ở khu vực nông thôn".
        (RURAL, 1_500_001, True),
        (RURAL, 2_250_000, True),
        (RURAL, 2_250_001, False),
        # "từ 3.000.000 đồng trở xuống ở khu vực thành thị".
        (URBAN, 2_000_001, True),
        (URBAN, 3_000_000, True),
        (URBAN, 3_000_001, False),
    ],
)
def test_income_per_person_at_most_the_line_of_the_area(area: AreaType, income: int, expected: bool) -> None:
    poverty_class, result = finding(household(adult(), area_type=area, income_per_capita=income))
    assert poverty_class is PovertyClass.NOT_POOR
    assert result.household is expected
    assert result.line == (2_250_000 if area is RURAL else 3_000_000)
    assert result.workers == ((0,) if expected else ())
    assert result.undecided == ()


def test_a_farming_household_of_middle_living_standard_is_not_excluded() -> None:
    poverty_class, result = finding(household(adult(), income_per_capita=2_250_000, is_agri=True))
    assert poverty_class is PovertyClass.MIDDLE
    assert (result.household, result.workers) == (True, (0,))


@pytest.mark.parametrize(
    ("facts", "excluded_class"),
    [
        (household(adult(), income_per_capita=1_500_000), PovertyClass.NEAR_POOR),
        (household(adult(), income_per_capita=1_500_000, **THREE), PovertyClass.POOR),
        (household(adult(), area_type=URBAN, income_per_capita=2_000_000), PovertyClass.NEAR_POOR),
        (household(adult(), area_type=URBAN, income_per_capita=900_000, **THREE), PovertyClass.POOR),
    ],
)
def test_workers_of_poor_and_near_poor_households_are_excluded(
    facts: HouseholdFacts, excluded_class: PovertyClass
) -> None:
    """ "không bao gồm người lao động thuộc hộ nghèo, hộ cận nghèo"."""
    poverty_class, result = finding(facts)
    assert poverty_class is excluded_class
    line = {RURAL: 2_250_000, URBAN: 3_000_000}[facts.area_type]
    assert result == LowIncomeFinding(household=False, line=line)


def test_the_decree_applies_from_24_february_2025() -> None:
    facts = household(adult(), income_per_capita=2_000_000)
    assert finding(facts, date(2025, 2, 23))[1] == LowIncomeFinding(household=False, line=None)
    assert finding(facts, date(2025, 2, 24))[1] == LowIncomeFinding(
        household=True, line=2_250_000, workers=(0,)
    )


def test_nd351_sets_no_low_income_line() -> None:
    assert ND351.low_income_worker is None
    # Above ND351's poverty line, within NĐ 07/2021's low-income line.
    above = household(adult(), income_per_capita=2_200_001)
    above_class = classify_both(ND351, above).poverty_class
    assert above_class is PovertyClass.NOT_POOR
    on = date(2027, 6, 1)
    assert low_income_workers(ND351, above, above_class, on) == LowIncomeFinding(household=False, line=None)


def test_only_members_of_working_age_and_able_to_work_are_workers() -> None:
    facts = household(
        adult(),  # 0: of working age, able to work
        CHILD_8,  # 1: under the working age
        elder(),  # 2: past the working age
        adult(disabled=True, able_to_work=False),  # 3: unable to work
        grown(date(1968, 6, 1), sex=None),  # 4: 58, sex not recorded: working age unknown
        adult(able_to_work=None),  # 5: ability to work not recorded
        grown(date(1968, 6, 1), sex=None, able_to_work=False),  # 6: working age unknown, but unable to work
        grown(date(2011, 11, 20)),  # 7: 15 today
        grown(date(2011, 11, 21)),  # 8: 15 tomorrow
        income_per_capita=2_000_000,
    )
    poverty_class, result = finding(facts)
    assert poverty_class is PovertyClass.NOT_POOR
    assert facts.members[4].working_age is None
    assert result == LowIncomeFinding(household=True, line=2_250_000, workers=(0, 7), undecided=(4, 5))


def test_a_household_without_workers_still_meets_the_condition() -> None:
    poverty_class, result = finding(household(elder(), CHILD_8, income_per_capita=2_000_000))
    assert poverty_class is PovertyClass.NOT_POOR
    assert result == LowIncomeFinding(household=True, line=2_250_000, workers=(), undecided=())
