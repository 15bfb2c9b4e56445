"""Property: the explainable scalar path (classify_household, one household at a time) and the vectorised path
(classify_frame over Polars frames of many households and their members) always agree, for every standard.

Households are generated around and exactly at every threshold of the standards (see strategies.py), with missing
facts everywhere they can be missing, float, Decimal and NaN floor areas, households without members and
entered flags that are set, unset or absent. The frames are built by `facts_to_frames`, as a real caller does.
Each generated batch is classified under every standard: generating households is what costs, so sharing them
lets every standard see more examples in the same time.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamngheo.engine.batch import RESULT_COLUMNS, classify_frame
from giamngheo.engine.classify import Classification, classify_household
from giamngheo.engine.facts import HOUSEHOLD_FACT_TYPES, HouseholdFacts
from giamngheo.engine.frames import facts_to_frames
from giamngheo.engine.standard import Standard, load_standards

from .strategies import households

STANDARDS = [load_standards()[key] for key in sorted(load_standards())]
MASKS = ("deprivation_mask", "derived_mask", "derivable_mask", "conflict_mask", "missing_mask")
PROPERTY_SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def scalar_row(result: Classification) -> dict[str, object]:
    row: dict[str, object] = {
        "poverty_class": result.poverty_class.value,
        "possible_class": result.possible_class.value if result.possible_class else None,
        "deprivation_count": result.deprivation_count,
    }
    row.update({name: getattr(result, name) for name in MASKS})
    return row


def assert_paths_agree(standard: Standard, facts: list[HouseholdFacts]) -> None:
    household_frame, member_frame = facts_to_frames(facts)
    batch = classify_frame(standard, household_frame, member_frame)
    assert batch.height == len(facts)
    assert batch.columns == [*household_frame.columns, *RESULT_COLUMNS]
    assert batch["household_id"].to_list() == list(range(len(facts)))
    for household, row in zip(facts, batch.select(RESULT_COLUMNS).iter_rows(named=True), strict=True):
        result = classify_household(standard, household)
        assert row == scalar_row(result), (standard.id, household, result.explanation)
        # The result is consistent in itself.
        assert result.deprivation_count == bin(result.deprivation_mask).count("1")
        assert result.deprivation_count == len(result.counted)
        assert (result.deprivation_mask | result.derivable_mask | result.missing_mask) & ~standard.mask == 0
        assert result.derived_mask & ~result.derivable_mask == 0
        assert result.conflict_mask & ~result.derivable_mask == 0
        assert result.missing_mask & result.derivable_mask == 0


# 150 examples of 1 to 8 households, each example classified as one frame under each of the three standards:
# about 675 households per standard, at every threshold (see strategies.py).
@settings(PROPERTY_SETTINGS, max_examples=150)
@given(facts=st.lists(households(STANDARDS), min_size=1, max_size=8))
def test_scalar_and_batch_agree_for_every_standard(facts: list[HouseholdFacts]) -> None:
    for standard in STANDARDS:
        assert_paths_agree(standard, facts)


@settings(PROPERTY_SETTINGS, max_examples=40)
@given(facts=st.lists(households(STANDARDS, max_members=0), min_size=1, max_size=8))
def test_absent_columns_mean_not_recorded(facts: list[HouseholdFacts]) -> None:
    """A frame without fact columns and without a members frame (the survey-import shape: entered flags only)
    gives what the scalar path gives for the same households with nothing recorded."""
    blank = {name: None for name in HOUSEHOLD_FACT_TYPES if name != "member_count"}
    household_frame, _ = facts_to_frames(facts)
    bare = household_frame.select(
        "household_id", "area_type", "income_per_capita", "is_agri", "entered_mask", "entered_known_mask"
    )
    for standard in STANDARDS:
        batch = classify_frame(standard, bare)
        for household, row in zip(facts, batch.select(RESULT_COLUMNS).iter_rows(named=True), strict=True):
            assert row == scalar_row(classify_household(standard, replace(household, **blank)))
            assert row["derivable_mask"] == 0


# Facts a members frame may lack (an import that does not record them): read as not recorded on both paths.
UNRECORDED_MEMBER_FACTS = {
    "has_labour_contract": None,
    "disabled": None,
    "receives_social_allowance": None,
    "on_the_job_training_certified": None,
    "school_level": None,
    "vocational_level": None,
}


@settings(PROPERTY_SETTINGS, max_examples=30)
@given(facts=st.lists(households(STANDARDS), min_size=1, max_size=8))
def test_absent_member_columns_mean_not_recorded(facts: list[HouseholdFacts]) -> None:
    """A members frame without some fact columns (labour contract, disability, allowance, on-the-job training,
    school and vocational levels) reads them as not recorded, as the scalar path does with None: never "no"."""
    unrecorded = [
        replace(h, members=tuple(replace(m, **UNRECORDED_MEMBER_FACTS) for m in h.members)) for h in facts
    ]
    household_frame, member_frame = facts_to_frames(facts)
    slim = member_frame.drop(list(UNRECORDED_MEMBER_FACTS))
    for standard in STANDARDS:
        batch = classify_frame(standard, household_frame, slim)
        for household, row in zip(
            unrecorded, batch.select(RESULT_COLUMNS).iter_rows(named=True), strict=True
        ):
            assert row == scalar_row(classify_household(standard, household))


@settings(PROPERTY_SETTINGS, max_examples=15)
@given(
    facts=st.lists(households(STANDARDS), min_size=2, max_size=20),
    seed=st.integers(0, 2**32 - 1),
)
def test_batch_keeps_row_order_and_input_columns_with_members_out_of_order(
    facts: list[HouseholdFacts], seed: int
) -> None:
    """Members listed in any order, households with unsorted ids: each row keeps its own result and its own
    input columns."""
    standard = STANDARDS[0]
    ids = [1000 - 7 * i for i in range(len(facts))]
    household_frame, member_frame = facts_to_frames(facts, ids=ids)
    shuffled = member_frame.sample(fraction=1.0, shuffle=True, seed=seed)
    extra = household_frame.with_columns(extra=household_frame["household_id"] * 2)
    batch = classify_frame(standard, extra, shuffled)
    assert batch["household_id"].to_list() == ids
    assert batch["extra"].to_list() == [2 * i for i in ids]
    for household, row in zip(facts, batch.select(RESULT_COLUMNS).iter_rows(named=True), strict=True):
        assert row == scalar_row(classify_household(standard, household))
