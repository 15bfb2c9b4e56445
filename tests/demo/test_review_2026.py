"""The demo's end-2026 periodic review of new Xã Kông Chro under NĐ 351/2025 (issue 7's acceptance: "the demo's
end-2026 review (at least one commune) is recorded under NĐ 351's 2027 standard"), the registry moved forward to
it, and the demo's register fully recorded under the rules that follow the law to the letter."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from giamngheo.areas.models import REFORM_DATE, UnitLevel
from giamngheo.areas.selectors import territory
from giamngheo.demo import targets
from giamngheo.demo.build import record_assessments
from giamngheo.demo.summary import later_review
from giamngheo.engine.classify import classify_household
from giamngheo.engine.standard import get_standard
from giamngheo.registry.facts import facts_from_json
from giamngheo.registry.models import (
    EventKind,
    Household,
    HouseholdEvent,
    LatrineType,
    LivingConditions,
    Person,
)
from giamngheo.reviews import services as reviews
from giamngheo.reviews.models import Assessment, Review
from giamngheo.reviews.rounds import ClosedRoundError
from tests.conftest import NOW, TODAY
from tests.demo.conftest import DemoSetup

pytestmark = pytest.mark.django_db

WASTE = "thu_gom_xu_ly_rac"
DEVICES = "tai_san_tiep_can_thong_tin"
SCHOOLING = "tre_em_di_hoc"


def the_review() -> Review:
    review = later_review()
    assert review is not None
    return review


def test_the_end_2026_review_is_recorded_under_nd351() -> None:
    review = the_review()
    target = targets.REVIEW_2026
    assert (review.kind, review.year, review.reference_date) == ("periodic", 2026, date(2026, 12, 14))
    assert review.standard_id == targets.STANDARD_2026 == "ND351-2025"
    assert review.lists_effective_year == 2027
    # One of today's communes (from the 2025 reform), not the former district.
    assert (review.area.level, review.area.code, review.area.valid_from) == (
        UnitLevel.COMMUNE,
        "23824",
        REFORM_DATE,
    )
    assert not review.is_closed_on(TODAY)  # built on the test calendar's day: the round is still open
    assessments = Assessment.objects.filter(review=review)
    assert assessments.count() == target.households
    assert set(assessments.values_list("standard_id", flat=True)) == {"ND351-2025"}
    days = sorted(set(assessments.values_list("assessed_on", flat=True)))
    assert targets.SURVEY_2026[0] <= days[0] and days[-1] <= TODAY
    # Recorded as in an open round, not imported as a past round's records.
    notes = HouseholdEvent.objects.filter(kind=EventKind.ASSESSED, occurred_on__year=2026).values_list(
        "note", flat=True
    )
    assert notes and not any("đợt đã chốt" in note for note in notes)


def test_every_2026_assessment_counts_the_12_indicators_of_nd351() -> None:
    standard = get_standard("ND351-2025")
    devices_bit = 1 << get_standard(targets.STANDARD_CODE).bit(DEVICES)
    waste_bit = 1 << standard.bit(WASTE)
    all_bits = sum(1 << standard.bit(code) for code in standard.indicator_codes)
    assert len(standard.indicators) == 12 and DEVICES not in standard.indicator_codes
    waste_deprived = 0
    rows = Assessment.objects.filter(review=the_review()).values_list(
        "facts", "derivable_mask", "deprivation_mask", "deprivation_count", "missing_mask"
    )
    for facts, derivable, deprivation, count, missing in rows.iterator(chunk_size=2_000):
        result = classify_household(standard, facts_from_json(facts))
        assert result.indicator_total == 12 and len(result.outcomes) == 12
        assert DEVICES not in {o.code for o in result.outcomes}
        assert derivable == all_bits and missing == 0  # every indicator decided by the recorded facts
        assert not (deprivation | derivable) & devices_bit  # the information-devices indicator is not counted
        assert count == bin(deprivation).count("1") == result.deprivation_count
        assert facts["waste_collected"] is not None
        waste_deprived += bool(deprivation & waste_bit)
    total = targets.REVIEW_2026.households
    assert 0 < waste_deprived < total  # waste-collection deprivations occur, and collected waste too


def stats_json(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("stats", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_2026_figures_are_the_documented_targets(demo_setup: DemoSetup) -> None:
    target = targets.REVIEW_2026
    figures = stats_json("--area", targets.COMMUNE_2026, "--year", "2026", "--current")
    got = (figures["total_households"], figures["poor_households"], figures["near_poor_households"])
    assert got == (target.households, target.poor, target.near_poor)
    assert figures["poverty_rate"] == float(target.poor_rate)
    # NĐ 351/2025 sets no middle-living-standard line: the figure is absent, not "0 households".
    assert figures["middle_households"] is None and figures["middle_rate"] is None
    assert target.middle == 0
    assert "ND351-2025" in figures["standard"]
    assert "Rà soát định kỳ năm 2026" in demo_setup.output and "danh sách năm 2027" in demo_setup.output
    assert "15,38 %" in demo_setup.output


def test_the_communes_registry_moved_forward_to_2026() -> None:
    review = the_review()
    inside: set[int] = set()
    for carried in Review.objects.filter(year=2026, area__code__in=[t.commune for t in targets.TERRITORIES]):
        inside |= set(
            Household.objects.filter(territory(carried.area).households_q()).values_list("pk", flat=True)
        )
    later = HouseholdEvent.objects.filter(occurred_on__year__gte=2024).exclude(kind=EventKind.ASSESSED)
    assert (
        set(later.values_list("household_id", flat=True)) <= inside
    )  # only the three communes moved forward
    assert set(later.values_list("household__commune__code", flat=True)) == {
        code for t in targets.TERRITORIES for code in t.legacy_communes
    }
    assert not later.filter(occurred_on__gt=TODAY).exists()
    kinds = Counter(later.values_list("occurred_on__year", "kind"))
    for year in (2024, 2025, 2026):
        for kind in (
            EventKind.MEMBER_ADDED,
            EventKind.MEMBER_LEFT,
            EventKind.MEMBER_UPDATED,
            EventKind.CLOSED,
        ):
            assert kinds[(year, kind)] > 0, (year, kind)
    split = Household.objects.exclude(split_from=None).filter(registered_on__year__gte=2024)
    assert split.exists() and not split.filter(registered_on__gte=targets.SPLITS_BEFORE).exists()
    # Each September the new school year moves pupils up a level.
    school_years = later.filter(kind=EventKind.MEMBER_UPDATED, occurred_on__month=9, occurred_on__day=5)
    assert {d.year for d in school_years.values_list("occurred_on", flat=True)} == {2024, 2025, 2026}
    assert any("school_level" in changes for changes in school_years.values_list("changes", flat=True)[:200])
    # Every household reviewed in 2026 has its living conditions recorded in 2026 or since it was set up, with
    # the new waste-collection question answered; nothing recorded before 2026 answers it.
    reviewed = Assessment.objects.filter(review=review).values_list("household_id", flat=True)
    latest = LivingConditions.objects.filter(household_id__in=reviewed, waste_collected__isnull=False)
    assert latest.values("household_id").distinct().count() == targets.REVIEW_2026.households
    assert not LivingConditions.objects.filter(
        recorded_on__lt=date(2026, 1, 1), waste_collected__isnull=False
    )


def test_the_register_is_fully_recorded() -> None:
    persons = Person.objects.all()
    for name in ("disabled", "receives_social_allowance", "has_health_insurance", "in_education", "able_to_work",
                 "education_level", "vocational_level", "work_status", "has_labour_contract",
                 "on_the_job_training_certified"):  # fmt: skip
        assert not persons.filter(**{f"{name}__isnull": True}).exists(), name
    # The level attended is recorded for every member in school, and only for them.
    assert not persons.filter(in_education=True, school_level=None).exists()
    assert not persons.filter(in_education=False).exclude(school_level=None).exists()
    # Vocational qualifications beside the general level: an elementary certificate with primary or lower
    # secondary education.
    assert persons.filter(
        vocational_level="elementary", education_level__in=["primary", "lower_secondary"]
    ).exists()
    assert persons.filter(vocational_level="intermediate").exists()
    latrines = Counter(LivingConditions.objects.values_list("latrine_type", flat=True))
    assert set(latrines) <= set(LatrineType.values)
    assert latrines[LatrineType.BIOGAS] == 0
    assert latrines[LatrineType.SINGLE_VAULT] > 0 and latrines[LatrineType.VENTILATED_PIT] > 0


def test_children_out_of_school_or_at_the_wrong_level_are_deprived() -> None:
    """Both realistic exceptions occur among the children's-schooling deprivations: a child out of school, and a
    child in school a level behind their school age."""
    out_of_school = behind = 0
    standard = get_standard(targets.STANDARD_CODE)
    rows = Assessment.objects.filter(deprivation_mask__gt=0).values_list("facts", "deprivation_mask")
    bit = 1 << standard.bit(SCHOOLING)
    for facts, mask in rows.iterator(chunk_size=2_000):
        if not mask & bit:
            continue
        for member in facts["members"]:
            if not 3 <= member["age"] < 16:
                continue
            if not member["in_education"]:
                out_of_school += 1
            elif member["school_level"] != _due(member["school_age"]) and not (
                member["school_age"] >= 15 and member["school_level"] == "vocational"
            ):
                behind += 1
    assert out_of_school > 0 and behind > 0


def _due(school_age: int) -> str:
    if school_age <= 5:
        return "preschool"
    if school_age <= 10:
        return "primary"
    return "lower_secondary" if school_age <= 14 else "upper_secondary"


def test_a_round_closed_on_the_day_of_the_build_is_imported_as_historical() -> None:
    """Built after the cut-off date, the end-2026 review's records go in as a past round's (`historical`); the same
    records are refused as today's data in a closed round."""
    review = the_review()
    sample = list(Assessment.objects.filter(review=review).select_related("household").order_by("id")[:3])
    items = [
        reviews.AssessmentInput(
            household=a.household, assessed_on=a.assessed_on, income_per_capita=a.income_per_capita,
            entered=reviews.entered_flags(a),
        )
        for a in sample
    ]  # fmt: skip
    after = date(2027, 1, 5)
    with time_machine.travel(NOW.replace(year=2027, month=1, day=5), tick=False):
        closed = reviews.review_open(
            area=review.area, year=2026, reference_date=date(2026, 12, 13), standard_code="ND351-2025",
            name="Rà soát định kỳ năm 2026 (kiểm thử đợt đã chốt)",
        )  # fmt: skip
        with pytest.raises(ClosedRoundError):
            record_assessments(closed, items, actor=None, today=TODAY)  # as if built while it was open
        assert record_assessments(closed, items, actor=None, today=after) == 3
    imported = Assessment.objects.filter(review=closed)
    assert sorted(imported.values_list("poverty_class", flat=True)) == sorted(a.poverty_class for a in sample)
    notes = HouseholdEvent.objects.filter(
        kind=EventKind.ASSESSED, occurred_on__in=[a.assessed_on for a in sample]
    )
    assert notes.filter(note__contains="đợt đã chốt").count() == 3


def test_the_documented_default_plan() -> None:
    """The plan the demo holds is the one its targets' docstring describes: rebuilt for the same day it has the
    stored checksum, the commune's end-2023 households and figures, its splits (half in 2024, half in 2025), no
    income moved across a line in 2024 and 2025 and the 27 of 2026."""
    from giamngheo.demo.models import DemoRun
    from giamngheo.demo.planner import build_plan, district_config

    plan = build_plan(district_config(today=TODAY))
    assert plan.checksum() == DemoRun.objects.get().plan_checksum
    moved = {(r.year, r.area): r.moved_across_line for r in plan.reviews if r.year > 2023}
    communes = [t.commune for t in targets.TERRITORIES]
    assert moved == {
        (2024, "630"): 0, **{(2025, c): 0 for c in communes}, **{(2026, c): 0 for c in communes}, (2026, "23824"): 27,
    }  # fmt: skip
    end_2023 = stats_json("--area", targets.COMMUNE_2026, "--year", "2023", "--current")
    assert (end_2023["total_households"], end_2023["poverty_rate"], end_2023["near_poor_rate"]) == (
        3_953, 15.94, 9.74,
    )  # fmt: skip
    households = {**plan.households, **plan.new_households}
    splits = Counter(
        e.on.year for e in plan.events
        if e.kind == "household_split" and e.on.year > 2023
        and households[e.household].commune in targets.LEGACY_COMMUNES_2026
    )  # fmt: skip
    assert splits == {2024: 64, 2025: 64}
