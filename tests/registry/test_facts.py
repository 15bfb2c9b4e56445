"""The facts builder: members and ages on the reference date, the latest living conditions, JSON snapshots and
the set-based frames."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giamngheo.engine.facts import AreaType, HouseholdFacts, MemberFacts
from giamngheo.engine.frames import facts_to_frames
from giamngheo.registry import services
from giamngheo.registry.facts import (
    FactsRequest,
    facts_for_households,
    facts_from_json,
    facts_to_json,
    household_facts,
    prefetch_for_facts,
)
from giamngheo.registry.models import Household
from giamngheo.reviews.frames import frames_for_assessments
from tests.registry.factories import GOOD_CONDITIONS, POOR_CONDITIONS, make_household

db = pytest.mark.django_db


def facts_on(household, on, **kwargs):
    values = {"income_per_capita": 1_200_000, "entered": {}, **kwargs}
    return household_facts(household, on=on, **values)


@db
def test_ages_are_completed_years_on_the_reference_date():
    household = make_household(members=[
        {"full_name": "Sinh 29/2", "birth_date": date(2008, 2, 29)},
        {"full_name": "Sinh 1/10", "birth_date": date(2007, 10, 1)},
        {"full_name": "Không rõ ngày sinh"},
    ])  # fmt: skip
    by_date = {
        date(2024, 2, 28): [15, 16, None],
        date(2024, 2, 29): [16, 16, None],
        date(2023, 2, 28): [14, 15, None],
        date(2023, 3, 1): [15, 15, None],
        date(2023, 9, 30): [15, 15, None],
        date(2023, 10, 1): [15, 16, None],
    }
    for on, expected in by_date.items():
        assert [m.age for m in facts_on(household, on).members] == expected, on


@db
def test_member_facts_come_from_the_person_record():
    household = make_household(members=[{
        "full_name": "Y Blôk", "birth_date": date(1990, 1, 1), "sex": "nam", "has_health_insurance": False,
        "work_status": "wage_worker", "has_labour_contract": False, "able_to_work": True,
        "education_level": "primary", "in_education": False, "disabled": True,
    }], is_agri=True)  # fmt: skip
    facts = facts_on(household, date(2023, 10, 1), entered={"viec_lam": True})
    assert (
        facts.area_type is AreaType.RURAL and facts.is_agri is True and facts.income_per_capita == 1_200_000
    )
    assert facts.entered == {"viec_lam": True}
    # Recorded facts as recorded, unrecorded ones None (never "no"); the date facts computed for 01/10/2023.
    assert facts.members == (MemberFacts(age=33, sex="nam", birth_year=1990, school_age=33, working_age=True,
                                         past_working_age=False, has_health_insurance=False, in_education=False,
                                         education_level="primary", work_status="wage_worker",
                                         has_labour_contract=False, able_to_work=True, disabled=True,
                                         name="Y Blôk"),)  # fmt: skip
    assert facts_on(household, date(2023, 10, 1), is_agri=False).is_agri is False


@db
def test_living_conditions_are_the_latest_record_on_or_before_the_date():
    household = make_household(living_conditions={"recorded_on": date(2021, 5, 1), **POOR_CONDITIONS})
    services.living_conditions_record(household=household, recorded_on=date(2023, 5, 1), actor=None,
                                      **GOOD_CONDITIONS)  # fmt: skip
    before = facts_on(household, date(2021, 4, 30))
    assert before.wall_durable is None and before.floor_area_m2 is None and before.water_source is None
    old = facts_on(household, date(2023, 4, 30))
    assert (old.wall_durable, old.pillar_durable, old.roof_durable) == (False, False, False)
    assert old.floor_area_m2 == 20.5 and isinstance(old.floor_area_m2, float)
    assert old.water_source == "surface" and old.uses_internet is False and old.has_phone is None
    new = facts_on(household, date(2023, 5, 1))
    assert (new.wall_durable, new.pillar_durable, new.roof_durable) == (True, True, True)
    assert new.floor_area_m2 == 80.0 and new.latrine_type == "septic" and new.has_smartphone is True


@db
def test_a_fixed_number_of_queries_per_household(django_assert_num_queries):
    households = [make_household(members=[{"full_name": f"M{i}{j}"} for j in range(3)],
                                 living_conditions=dict(GOOD_CONDITIONS)) for i in range(4)]  # fmt: skip
    with django_assert_num_queries(2):
        facts_on(households[0], date(2023, 1, 1))
    requests = [
        FactsRequest(household=h, on=date(2023, 1, 1), income_per_capita=0, entered={}) for h in households
    ]
    with django_assert_num_queries(2):
        many = facts_for_households(requests)
    assert [len(f.members) for f in many] == [3, 3, 3, 3]
    prefetched = list(prefetch_for_facts(Household.objects.filter(pk__in=[h.pk for h in households])))
    with django_assert_num_queries(0):
        again = facts_for_households([FactsRequest(household=h, on=date(2023, 1, 1), income_per_capita=0, entered={})
                                      for h in prefetched])  # fmt: skip
    assert {f.members for f in again} == {f.members for f in many}


# JSON snapshot --------------------------------------------------------------------------------------------------

maybe_bool = st.none() | st.booleans()
members = st.builds(
    MemberFacts,
    age=st.none() | st.integers(0, 110),
    sex=st.none() | st.sampled_from(["nam", "nu"]),
    has_health_insurance=maybe_bool,
    in_education=maybe_bool,
    education_level=st.none() | st.sampled_from(["none", "primary", "university"]),
    work_status=st.none() | st.sampled_from(["wage_worker", "unemployed"]),
    has_labour_contract=st.booleans(),
    able_to_work=maybe_bool,
    disabled=st.booleans(),
    receives_social_allowance=st.booleans(),
    malnourished=maybe_bool,
)
households = st.builds(
    HouseholdFacts,
    area_type=st.sampled_from(list(AreaType)),
    income_per_capita=st.integers(0, 50_000_000),
    is_agri=st.booleans(),
    members=st.lists(members, max_size=6).map(tuple),
    wall_durable=maybe_bool,
    floor_area_m2=st.none() | st.floats(0, 10_000, allow_nan=False),
    water_source=st.none() | st.sampled_from(["piped", "surface"]),
    uses_internet=maybe_bool,
    entered=st.dictionaries(st.sampled_from(["viec_lam", "bao_hiem_y_te", "dinh_duong"]), st.booleans()),
)


@given(households)
@settings(max_examples=200)
def test_facts_json_round_trip_is_exact(facts):
    import json

    data = facts_to_json(facts)
    assert facts_from_json(json.loads(json.dumps(data))) == facts


def test_facts_json_tolerates_snapshots_from_other_versions():
    data = facts_to_json(
        HouseholdFacts(area_type=AreaType.URBAN, income_per_capita=5, members=(MemberFacts(age=3),))
    )
    data["retired_fact"] = 1
    data["members"][0]["retired_member_fact"] = 2
    del data["members"][0]["malnourished"]
    restored = facts_from_json(data)
    assert restored.members[0].age == 3 and restored.members[0].malnourished is None
    assert restored.area_type is AreaType.URBAN


# Frames for stored assessments -------------------------------------------------------------------------------


@db
@pytest.mark.calendar(date(2023, 12, 1))  # recorded during the end-2023 review (`open_review`)
def test_frames_for_assessments_match_the_scalar_facts():
    from giamngheo.reviews import services as review_services
    from tests.reviews.helpers import open_review

    review = open_review()
    commune = review.area
    assessed = []
    for index, conditions in enumerate([POOR_CONDITIONS, GOOD_CONDITIONS, None]):
        household = make_household(
            commune=commune, registered_on=date(2015, 1, 1),
            members=[{"full_name": "Chủ", "birth_date": date(1970 + index, 10, 2), "has_health_insurance": False},
                     {"full_name": "Con", "birth_date": date(2012, 10, 1), "in_education": True}],
            living_conditions=None if conditions is None else {"recorded_on": date(2019, 1, 1), **conditions},
        )  # fmt: skip
        leaver = services.member_add(
            household=household,
            full_name="Đã chuyển đi",
            sex="nu",
            relationship="child",
            start_date=date(2015, 1, 1),
            actor=None,
            birth_date=date(2000, 1, 1),
        )
        services.member_leave(
            membership=leaver.memberships.get(), end_date=date(2022, 1, 1), reason="moved_out", actor=None
        )
        assessed.append(review_services.assessment_record(
            review=review, household=household, assessed_on=date(2023, 10, 1), income_per_capita=900_000 + index,
            actor=None, entered={"dinh_duong": True, "viec_lam": False},
        ))  # fmt: skip
    ids = [a.pk for a in assessed]
    expected_facts = [household_facts(a.household, on=a.assessed_on, income_per_capita=a.income_per_capita,
                                      entered={"dinh_duong": True, "viec_lam": False}) for a in assessed]  # fmt: skip
    expected_households, expected_members = facts_to_frames(expected_facts, ids=ids)
    for source in (ids, type(assessed[0]).objects.filter(pk__in=ids)):
        got_households, got_members = frames_for_assessments(source)
        common = [c for c in got_households.columns if c in expected_households.columns]
        assert set(common) >= {
            "household_id",
            "income_per_capita",
            "wall_durable",
            "floor_area_m2",
            "entered_mask",
        }
        assert (
            got_households.sort("household_id")
            .select(common)
            .equals(expected_households.sort("household_id").select(common))
        )
        member_columns = [c for c in got_members.columns if c in expected_members.columns]
        order = ["household_id", "age"]
        assert (
            got_members.select(member_columns)
            .sort(order)
            .equals(expected_members.select(member_columns).sort(order))
        )
    # A fixed reference date instead of each assessment's own date.
    _, later = frames_for_assessments(ids, on=date(2024, 10, 2))
    assert later.filter(pl.col("household_id") == ids[0])["age"].sort().to_list() == [12, 54]
