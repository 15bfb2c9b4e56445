"""Set-based re-classification of stored assessments equals the scalar engine; the per-commune aggregate."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
import time_machine

from giamngheo.engine.classify import classify_household
from giamngheo.engine.standard import get_standard
from giamngheo.registry import services as registry
from giamngheo.registry.facts import facts_from_json, household_facts
from giamngheo.reviews import reclassify, services
from giamngheo.reviews.explanations import explanation_for, recorded_labels, value_labels
from giamngheo.reviews.models import Assessment
from tests.registry.factories import GOOD_CONDITIONS, POOR_CONDITIONS, make_commune, make_household
from tests.reviews.helpers import open_review

# Re-classification rewrites results of open rounds only: these tests run during the end-2023 periodic review
# (cut-off date 1 December 2023, `open_review`).
pytestmark = [pytest.mark.django_db, pytest.mark.calendar(date(2023, 12, 1))]
RESULTS = ("poverty_class", "deprivation_count", "deprivation_mask", "derived_mask", "derivable_mask",
           "conflict_mask", "missing_mask")  # fmt: skip
INDICATORS = ["viec_lam", "nguoi_phu_thuoc", "dinh_duong", "bao_hiem_y_te", "giao_duc_nguoi_lon", "tre_em_di_hoc",
              "chat_luong_nha_o", "dien_tich_nha_o", "nguon_nuoc_sinh_hoat", "nha_tieu_hop_ve_sinh",
              "dich_vu_vien_thong", "tai_san_tiep_can_thong_tin", "tiep_can_dich_vu_y_te"]  # fmt: skip


def random_households(commune, count: int, seed: int) -> list:
    """Households with a random mix of recorded and missing facts, so that derived, entered, conflicting and
    missing indicators all occur."""
    rng = random.Random(seed)
    households = []
    for index in range(count):
        members = []
        for _ in range(rng.randint(0, 5)):
            born = date(rng.randint(1940, 2022), rng.randint(1, 12), rng.randint(1, 28))
            members.append({
                "full_name": f"Người {index}-{len(members)}",
                "birth_date": born,
                "start_date": max(born, date(2015, 1, 1)),
                "has_health_insurance": rng.choice([True, False, None]),
                "in_education": rng.choice([True, False, None]),
                "education_level": rng.choice([None, "primary", "upper_secondary"]),
                "work_status": rng.choice([None, "wage_worker", "unemployed", "self_employed"]),
                "able_to_work": rng.choice([True, None]),
                "malnourished": rng.choice([False, True, None]),
                "receives_social_allowance": rng.random() < 0.1,
            })  # fmt: skip
        conditions = None
        if rng.random() < 0.8:
            base = dict(rng.choice([POOR_CONDITIONS, GOOD_CONDITIONS]))
            for key in list(base):
                if rng.random() < 0.2:
                    base[key] = None
            conditions = {"recorded_on": date(2022, 1, 1), **base}
        households.append(make_household(commune=commune, registered_on=date(2015, 1, 1), members=members,
                                         living_conditions=conditions, is_agri=rng.random() < 0.5))  # fmt: skip
    return households


def record_random(review, households, seed: int) -> list[Assessment]:
    rng = random.Random(seed)
    items = [
        services.AssessmentInput(
            household=h, assessed_on=date(2023, 10, 1), income_per_capita=rng.choice([600_000, 950_000, 1_500_000,
            1_800_000, 2_000_001, 2_500_000, 4_000_000]),
            entered={code: rng.random() < 0.5 for code in rng.sample(INDICATORS, rng.randint(0, 8))},
        )
        for h in households
    ]  # fmt: skip
    services.assessments_bulk_record(items, review=review, actor=None)
    return list(Assessment.objects.filter(review=review).order_by("id"))


def scalar(assessment: Assessment, standard_code: str | None = None, **options: Any):
    standard = get_standard(standard_code or assessment.standard_id)
    return classify_household(standard, facts_from_json(assessment.facts), **options)


def scramble(review) -> None:
    """Overwrite the stored results (not the derived facts) as a stale or wrong classification would."""
    Assessment.objects.filter(review=review).update(poverty_class="khong_ngheo", deprivation_count=0,
                                                    deprivation_mask=0, conflict_mask=0, missing_mask=0)  # fmt: skip


def test_fast_path_restores_exactly_what_the_scalar_engine_computes():
    review = open_review()
    assessments = record_random(review, random_households(review.area, 40, seed=7), seed=8)
    conflicts = sum(1 for a in assessments if a.conflict_mask)
    assert (
        conflicts >= 3
        and any(a.missing_mask for a in assessments)
        and any(a.derivable_mask for a in assessments)
    )
    assert {a.poverty_class for a in assessments} >= {"ngheo", "can_ngheo", "khong_ngheo"}
    unchanged = reclassify.assessments_classify(review=review)
    assert unchanged.total == 40 and unchanged.changed == 0
    scramble(review)
    report = reclassify.assessments_classify(review=review)
    assert report.total == 40 and report.changed == sum(1 for a in assessments if a.poverty_class != "khong_ngheo"
                                                         or a.deprivation_mask or a.conflict_mask or a.missing_mask)  # fmt: skip
    assert sum(report.by_class.values()) == 40 and report.by_standard == {"ND07-2021": 40}
    assert min(report.seconds_read, report.seconds_classify, report.seconds_store) >= 0
    for stored in Assessment.objects.filter(review=review):
        expected = scalar(stored)
        assert tuple(getattr(stored, f) for f in RESULTS) == tuple(getattr(expected, f) for f in RESULTS), (
            stored.pk
        )
        if stored.poverty_class != "khong_ngheo" or stored.deprivation_mask:
            assert stored.explanation == ""  # the old text described the old result
        assert explanation_for(stored) == scalar(stored, value_labels=value_labels()).explanation
    assert dict(report.by_class) == {
        c: Assessment.objects.filter(poverty_class=c).count()
        for c in Assessment.objects.values_list("poverty_class", flat=True).distinct()
    }


@pytest.mark.parametrize("standard_code", ["QD59-2015", "ND351-2025"])
def test_fast_path_under_another_standard_equals_the_scalar_engine_on_entered_flags(standard_code):
    review = open_review()
    rng = random.Random(3)
    households = [make_household(commune=review.area) for _ in range(25)]  # no facts: every flag is entered
    items = [
        services.AssessmentInput(h, date(2023, 10, 1), rng.choice([500_000, 800_000, 1_100_000, 1_300_000, 1_600_000,
                                 2_300_000]), entered={c: rng.random() < 0.4 for c in INDICATORS})
        for h in households
    ]  # fmt: skip
    services.assessments_bulk_record(items, review=review, actor=None)
    report = reclassify.assessments_classify(review=review, standard_code=standard_code)
    assert report.by_standard == {standard_code: 25}
    for stored in Assessment.objects.filter(review=review):
        expected = scalar(stored, standard_code)
        assert stored.standard_id == standard_code
        assert tuple(getattr(stored, f) for f in RESULTS) == tuple(getattr(expected, f) for f in RESULTS)


def test_rederive_reads_the_registry_again():
    review = open_review()
    household = make_household(commune=review.area, members=[{"full_name": "A", "birth_date": date(1980, 1, 1),
                               "has_health_insurance": False}],
                               living_conditions={"recorded_on": date(2022, 1, 1), **POOR_CONDITIONS})  # fmt: skip
    kept = make_household(commune=review.area, members=[{"full_name": "B", "birth_date": date(1990, 1, 1)}])
    assessment = services.assessment_record(review=review, household=household, assessed_on=date(2023, 10, 1),
                                            income_per_capita=1_000_000, actor=None)  # fmt: skip
    other = services.assessment_record(review=review, household=kept, assessed_on=date(2023, 10, 1),
                                       income_per_capita=1_000_000, actor=None)  # fmt: skip
    assert assessment.poverty_class == "ngheo"
    # The registry is corrected afterwards: the house was recorded wrongly.
    registry.living_conditions_record(
        household=household, recorded_on=date(2023, 9, 1), actor=None, **GOOD_CONDITIONS
    )
    assert reclassify.assessments_classify(review=review).changed == 0  # the fast path does not see facts
    report = reclassify.assessments_classify(assessment_ids=[assessment.pk], rederive=True)
    assert report.total == 1 and report.changed == 1 and report.rederived
    assessment.refresh_from_db()
    expected = classify_household(get_standard("ND07-2021"), household_facts(
        household, on=date(2023, 10, 1), income_per_capita=1_000_000, entered={}),
        value_labels=recorded_labels())  # fmt: skip
    assert tuple(getattr(assessment, f) for f in RESULTS) == tuple(getattr(expected, f) for f in RESULTS)
    assert assessment.poverty_class == "can_ngheo"
    assert facts_from_json(assessment.facts).wall_durable is True  # the snapshot the new class came from
    assert assessment.explanation == expected.explanation == explanation_for(assessment)
    other_before = (other.poverty_class, other.classified_at)
    other.refresh_from_db()
    assert (other.poverty_class, other.classified_at) == other_before


def test_assessment_ids_limit_what_is_classified():
    review = open_review()
    households = [make_household(commune=review.area) for _ in range(4)]
    for h in households:
        services.assessment_record(review=review, household=h, assessed_on=date(2023, 10, 1), income_per_capita=1,
                                   actor=None, entered={"viec_lam": True, "dinh_duong": True, "bao_hiem_y_te": True})  # fmt: skip
    scramble(review)
    ids = list(Assessment.objects.order_by("id").values_list("id", flat=True)[:2])
    report = reclassify.assessments_classify(assessment_ids=ids)
    assert report.total == 2 and report.by_class == {"ngheo": 2}
    assert list(Assessment.objects.order_by("id").values_list("poverty_class", flat=True)) == [
        "ngheo", "ngheo", "khong_ngheo", "khong_ngheo"]  # fmt: skip
    assert reclassify.assessments_classify(assessment_ids=[]).total == 0


def test_aggregate_by_commune():
    first, second = make_commune(name="Xã Một"), make_commune(name="Xã Hai")
    review_2023 = open_review(first)
    review_2023_b = open_review(second)
    review_2022 = open_review(first, year=2022)
    poor = {"viec_lam": True, "dinh_duong": True, "bao_hiem_y_te": True}
    plan = [(review_2023, first, 1_000_000, poor), (review_2023, first, 1_000_000, {}),
            (review_2023, first, 5_000_000, {}), (review_2023_b, second, 1_000_000, poor),
            (review_2022, first, 1_000_000, poor)]  # fmt: skip
    for review, commune, income, entered in plan:
        with time_machine.travel(date(review.year, 10, 1)):  # each round while it was open
            services.assessment_record(review=review, household=make_household(commune=commune),
                                       assessed_on=date(review.year, 10, 1), income_per_capita=income,
                                       actor=None, entered=entered)  # fmt: skip
    by_review = reclassify.aggregate_by_commune(review=review_2023)
    assert [(c.commune_name, c.total, c.poor, c.near_poor, c.not_poor) for c in by_review] == [
        ("Xã Một", 3, 1, 1, 1)
    ]
    by_year = {c.commune_id: c for c in reclassify.aggregate_by_commune(year=2023)}
    assert by_year[first.pk].total == 3 and by_year[second.pk].poor == 1 and len(by_year) == 2
    only_second = reclassify.aggregate_by_commune(year=2023, commune_ids=[second.pk], kind="periodic")
    assert [(c.commune_code, c.total) for c in only_second] == [(second.code, 1)]
    assert reclassify.aggregate_by_commune(year=2021) == []


@pytest.mark.parametrize("standard_code", ["ND07-2021", "QD59-2015", "ND351-2025"])
def test_classify_many_equals_the_scalar_engine_with_its_explanations(standard_code):
    from giamngheo.registry.facts import FactsRequest, facts_for_households
    from giamngheo.reviews.services import classify_many

    rng = random.Random(21)
    households = random_households(make_commune(), 30, seed=13)
    requests = [
        FactsRequest(household=h, on=date(2023, 10, 1), income_per_capita=rng.choice([600_000, 1_000_000, 1_400_000,
                     1_900_000, 2_600_000]), entered={c: rng.random() < 0.5 for c in rng.sample(INDICATORS, 5)})
        for h in households
    ]  # fmt: skip
    facts = facts_for_households(requests)
    standard = get_standard(standard_code)
    expected = [classify_household(standard, f, value_labels=recorded_labels()) for f in facts]
    assert classify_many(standard, facts) == expected
    assert any(r.conflict_mask for r in expected) and any(r.missing_mask for r in expected)
