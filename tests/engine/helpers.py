"""Small builders for engine tests: households described by what matters to one rule, classified on both paths."""

from __future__ import annotations

from typing import Any

from giamngheo.engine.batch import RESULT_COLUMNS, classify_frame
from giamngheo.engine.classify import Classification, IndicatorOutcome, classify_household
from giamngheo.engine.facts import AreaType, HouseholdFacts, MemberFacts
from giamngheo.engine.frames import facts_to_frames
from giamngheo.engine.standard import Standard


def adult(**facts: Any) -> MemberFacts:
    """A 35-year-old (born 1991, of working age) with every fact recorded and no deprivation of their own."""
    values: dict[str, Any] = {
        "age": 35,
        "sex": "nam",
        "birth_year": 1991,
        "school_age": 35,
        "working_age": True,
        "past_working_age": False,
        "has_health_insurance": True,
        "in_education": False,
        "school_level": None,
        "education_level": "upper_secondary",
        "vocational_level": "none",
        "work_status": "self_employed",
        "has_labour_contract": False,
        "able_to_work": True,
        "disabled": False,
        "receives_social_allowance": False,
        "malnourished": False,
        "on_the_job_training_certified": False,
    }
    values.update(facts)
    return MemberFacts(**values)


def household(*members: MemberFacts, **facts: Any) -> HouseholdFacts:
    """A rural household with durable housing, 20 m² per member, safe water, a septic latrine, internet, a TV and
    waste collection, unless told otherwise: deprived on nothing."""
    members = members or (adult(),)
    values: dict[str, Any] = {
        "area_type": AreaType.RURAL,
        "income_per_capita": 1_000_000,
        "members": members,
        "wall_durable": True,
        "pillar_durable": True,
        "roof_durable": True,
        "floor_area_m2": 20.0 * len(members),
        "water_source": "piped",
        "latrine_type": "septic",
        "uses_internet": True,
        "has_phone": True,
        "has_tv": True,
        "has_radio": False,
        "has_computer": False,
        "has_smartphone": True,
        "waste_collected": True,
        "hears_loudspeaker": True,
    }
    values.update(facts)
    return HouseholdFacts(**values)


def classify_both(standard: Standard, facts: HouseholdFacts) -> Classification:
    """The scalar result, after checking that the batch path gives the same row."""
    result = classify_household(standard, facts)
    households, members = facts_to_frames([facts])
    row = classify_frame(standard, households, members).select(RESULT_COLUMNS).row(0, named=True)
    assert row == {
        "poverty_class": result.poverty_class.value,
        "deprivation_count": result.deprivation_count,
        "deprivation_mask": result.deprivation_mask,
        "derived_mask": result.derived_mask,
        "derivable_mask": result.derivable_mask,
        "conflict_mask": result.conflict_mask,
        "missing_mask": result.missing_mask,
        "possible_class": result.possible_class.value if result.possible_class else None,
    }
    return result


def outcome(standard: Standard, facts: HouseholdFacts, code: str) -> IndicatorOutcome:
    result = classify_both(standard, facts)
    return next(o for o in result.outcomes if o.code == code)
