"""Opening reviews and recording assessments (single and bulk)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction

from giamngheo.engine.classify import classify_household
from giamngheo.engine.standard import get_standard
from giamngheo.registry.facts import facts_from_json, household_facts
from giamngheo.registry.models import EventKind, HouseholdEvent
from giamngheo.reviews import services
from giamngheo.reviews.explanations import recorded_labels
from giamngheo.reviews.models import Assessment, Review
from giamngheo.standards.models import PovertyStandard
from tests.registry.factories import (
    GOOD_CONDITIONS,
    POOR_CONDITIONS,
    make_commune,
    make_household,
    make_reform_area,
    make_user,
    make_village,
)
from tests.reviews.helpers import open_review

# These tests record during the end-2023 periodic review (cut-off date 1 December 2023, `open_review`).
pytestmark = [pytest.mark.django_db, pytest.mark.calendar(date(2023, 12, 1))]

# Members who make the household deprived on health insurance (an adult without BHYT) besides the housing ones.
POOR_MEMBERS = [
    {"full_name": "Đinh Văn Blơi", "birth_date": date(1975, 5, 5), "has_health_insurance": False},
    {
        "full_name": "Đinh Thị H'Lin",
        "birth_date": date(2015, 8, 1),
        "in_education": True,
        "has_health_insurance": True,
    },
]


# review_open ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "standard"), [(2021, "ND07-2021"), (2023, "ND07-2021"), (2025, "ND07-2021"),
                                                (2026, "ND351-2025"), (2020, "QD59-2015")])  # fmt: skip
def test_a_periodic_review_uses_the_standard_of_the_year_its_lists_take_effect(year, standard):
    area = make_commune()
    review = services.review_open(area=area, year=year, reference_date=date(year, 12, 1))
    assert review.standard_id == standard and review.lists_effective_year == year + 1
    assert review.name == f"Rà soát định kỳ hằng năm năm {year} — {area.name}"
    row = PovertyStandard.objects.get(code=standard)
    assert row.source_sha256 == get_standard(standard).source_sha256


def test_a_regular_review_and_an_explicit_standard():
    area = make_commune()
    regular = services.review_open(area=area, year=2023, reference_date=date(2023, 5, 15), kind="regular")
    assert regular.lists_effective_year == 2023 and regular.standard_id == "ND07-2021"
    chosen = services.review_open(area=area, year=2023, reference_date=date(2023, 12, 1), standard_code="QD59-2015",
                                  name="Thử chuẩn cũ")  # fmt: skip
    assert chosen.standard_id == "QD59-2015" and chosen.name == "Thử chuẩn cũ"


def test_review_open_validation():
    area = make_commune(valid_to=date(2025, 6, 30))
    with pytest.raises(ValidationError) as caught:
        services.review_open(area=area, year=2023, reference_date=date(2024, 1, 1), kind="weekly")
    errors = caught.value.message_dict
    assert "Loại rà soát «weekly» không hợp lệ" in errors["kind"][0]
    assert "không thuộc năm 2023" in errors["reference_date"][0]
    with pytest.raises(ValidationError, match="không có hiệu lực vào ngày 01/12/2025"):
        services.review_open(area=area, year=2025, reference_date=date(2025, 12, 1))
    with pytest.raises(ValidationError, match="không có chuẩn nghèo 'ND99'"):
        services.review_open(area=area, year=2023, reference_date=date(2023, 12, 1), standard_code="ND99")
    services.review_open(area=area, year=2023, reference_date=date(2023, 12, 1))
    with pytest.raises(ValidationError, match="Đã có đợt"):
        services.review_open(area=area, year=2023, reference_date=date(2023, 12, 1))


# assessment_record ---------------------------------------------------------------------------------------------


def test_assessment_record_classifies_with_the_engine_and_explains():
    user = make_user(full_name="Rà soát viên Y")
    review = open_review()
    village = make_village(review.area)
    household = make_household(commune=review.area, village=village, members=POOR_MEMBERS,
                               living_conditions={"recorded_on": date(2022, 1, 1), **POOR_CONDITIONS})  # fmt: skip
    assessment = services.assessment_record(
        review=review, household=household, assessed_on=date(2023, 10, 10), income_per_capita=1_200_000, actor=user,
        entered={"dinh_duong": True, "chat_luong_nha_o": False}, b1_score=120, causes=[0, 6],
    )  # fmt: skip
    standard = get_standard("ND07-2021")
    facts = household_facts(household, on=date(2023, 10, 10), income_per_capita=1_200_000,
                            entered={"dinh_duong": True, "chat_luong_nha_o": False})  # fmt: skip
    expected = classify_household(standard, facts, value_labels=recorded_labels())  # stored in Vietnamese
    assert assessment.poverty_class == "ngheo" == expected.poverty_class
    assert assessment.deprivation_count == expected.deprivation_count >= 3
    for mask in ("deprivation_mask", "derived_mask", "derivable_mask", "conflict_mask", "missing_mask"):
        assert getattr(assessment, mask) == getattr(expected, mask), mask
    assert assessment.conflict_mask == 1 << standard.bit("chat_luong_nha_o")  # entered "no", facts say "yes"
    assert assessment.explanation == expected.explanation and "⚠ Chất lượng nhà ở" in assessment.explanation
    assert assessment.entered_mask == 1 << standard.bit("dinh_duong")
    assert assessment.entered_known_mask == (1 << standard.bit("dinh_duong")) | (
        1 << standard.bit("chat_luong_nha_o")
    )
    assert assessment.causes_mask == 0b1000001 and assessment.b1_score == 120 and assessment.member_count == 2
    assert assessment.commune == review.area and assessment.village == village
    assert assessment.reviewer == user and assessment.reviewer_name == "Rà soát viên Y"
    assert facts_from_json(Assessment.objects.get(pk=assessment.pk).facts) == facts
    event = HouseholdEvent.objects.get(household=household, kind=EventKind.ASSESSED)
    assert event.changes["poverty_class"] == [None, "ngheo"]
    assert event.changes["income_per_capita"] == [None, 1_200_000]
    assert "chat_luong_nha_o" in event.changes["deprivations"][1]
    assert event.note.startswith(review.name) and event.occurred_on == date(2023, 10, 10)


def test_re_recording_updates_the_assessment_and_the_event_shows_old_and_new_class():
    review = open_review()
    household = make_household(commune=review.area, members=POOR_MEMBERS,
                               living_conditions={"recorded_on": date(2022, 1, 1), **POOR_CONDITIONS})  # fmt: skip
    first = services.assessment_record(review=review, household=household, assessed_on=date(2023, 10, 1),
                                       income_per_capita=1_000_000, actor=None)  # fmt: skip
    second = services.assessment_record(review=review, household=household, assessed_on=date(2023, 11, 1),
                                        income_per_capita=2_000_000, actor=None, reviewer_name="Tổ rà soát thôn")  # fmt: skip
    assert first.pk == second.pk and Assessment.objects.count() == 1
    assert second.poverty_class == "khong_ngheo" and second.reviewer_name == "Tổ rà soát thôn"
    last = HouseholdEvent.objects.filter(household=household, kind=EventKind.ASSESSED).order_by("id").last()
    assert last.changes["poverty_class"] == ["ngheo", "khong_ngheo"]
    assert last.changes["income_per_capita"] == [1_000_000, 2_000_000]
    assert last.note.startswith("Ghi lại phiếu rà soát")


def test_assessment_record_validation():
    review = open_review()
    outside = make_household(commune=make_commune(), members=[{"full_name": "A"}])
    with pytest.raises(ValidationError) as caught:
        services.assessment_record(review=review, household=outside, assessed_on=date(2019, 1, 1),
                                   income_per_capita=-5, actor=None, entered={"khong_co": True}, causes=[9],
                                   income_method="guess")  # fmt: skip
    errors = caught.value.message_dict
    assert "Thu nhập bình quân đầu người không được âm (đã nhập -5)" in errors["income_per_capita"][0]
    assert "khong_co" in errors["entered"][0]
    assert "Nguyên nhân nghèo không hợp lệ: 9" in errors["causes"][0]
    assert "trước ngày đăng ký hộ" in errors["assessed_on"][0]
    assert "không thuộc địa bàn rà soát" in errors["household"][0]
    assert "Cách xác định thu nhập «guess»" in errors["income_method"][0]
    assert not Assessment.objects.exists()


def test_a_household_of_a_legacy_commune_assessed_after_the_reform_is_placed_in_the_new_commune():
    area = make_reform_area()
    household = make_household(
        commune=area["yang_trung"], registered_on=date(2020, 1, 1), members=POOR_MEMBERS
    )
    old = open_review(area["district"], year=2024)
    new = open_review(area["new_commune"], year=2025)
    with time_machine.travel(date(2024, 10, 1)):
        before = services.assessment_record(review=old, household=household, assessed_on=date(2024, 10, 1),
                                            income_per_capita=1_000_000, actor=None)  # fmt: skip
    with time_machine.travel(date(2025, 10, 1)):
        after = services.assessment_record(review=new, household=household, assessed_on=date(2025, 10, 1),
                                           income_per_capita=1_000_000, actor=None)  # fmt: skip
    assert before.commune == area["yang_trung"] and after.commune == area["new_commune"]


# assessments_bulk_record -----------------------------------------------------------------------------------------


def _comparable(assessment: Assessment) -> tuple:
    fields = [f.attname for f in Assessment._meta.concrete_fields if f.attname not in {"id", "classified_at"}]
    return tuple(getattr(assessment, f) for f in fields)


def test_bulk_record_equals_the_single_path():
    review = open_review()
    user = make_user(full_name="Cán bộ xã")
    households = [
        make_household(commune=review.area, members=POOR_MEMBERS, living_conditions=dict(POOR_CONDITIONS)),
        make_household(commune=review.area, members=POOR_MEMBERS[:1], is_agri=True,
                       living_conditions=dict(GOOD_CONDITIONS)),
        make_household(commune=review.area),
    ]  # fmt: skip
    items = [
        services.AssessmentInput(households[0], date(2023, 10, 1), 1_400_000, entered={"viec_lam": True}, b1_score=90),
        services.AssessmentInput(households[1], date(2023, 10, 2), 2_100_000, causes=(1,), reviewer_name="Tổ 2"),
        services.AssessmentInput(households[2], date(2023, 10, 3), 900_000, entered={"nguoi_phu_thuoc": True,
                                 "dinh_duong": True, "bao_hiem_y_te": False}, income_method="measured"),
    ]  # fmt: skip
    # Record once so that the second run is a re-record in both paths.
    services.assessments_bulk_record(items[:1], review=review, actor=user)

    def capture(action):
        result = {}

        class Rollback(Exception):
            pass

        try:
            with transaction.atomic():
                action()
                result["assessments"] = sorted(_comparable(a) for a in Assessment.objects.all())
                result["events"] = [
                    (e.household_id, e.kind, e.occurred_on, e.actor_name, e.changes, e.note)
                    for e in HouseholdEvent.objects.filter(kind=EventKind.ASSESSED).order_by(
                        "household_id", "id"
                    )
                ]
                raise Rollback
        except Rollback:
            pass
        return result

    def single():
        for item in items:
            services.assessment_record(review=review, household=item.household, assessed_on=item.assessed_on,
                                       income_per_capita=item.income_per_capita, actor=user, entered=item.entered,
                                       income_method=item.income_method, b1_score=item.b1_score, causes=item.causes,
                                       reviewer_name=item.reviewer_name)  # fmt: skip

    by_single = capture(single)
    by_bulk = capture(lambda: services.assessments_bulk_record(items, review=review, actor=user))
    assert len(by_single["assessments"]) == 3 and len(by_single["events"]) == 4
    assert {a[_class_index()] for a in by_single["assessments"]} == {
        "ngheo",
        "muc_song_trung_binh",
        "can_ngheo",
    }
    assert by_bulk == by_single


def _class_index() -> int:
    names = [f.attname for f in Assessment._meta.concrete_fields if f.attname not in {"id", "classified_at"}]
    return names.index("poverty_class")


def test_bulk_record_reports_all_problems_by_row():
    review = open_review()
    household = make_household(commune=review.area)
    items = [
        services.AssessmentInput(household, date(2023, 10, 1), -1),
        services.AssessmentInput(household, date(2023, 10, 1), 100),
    ]
    with pytest.raises(ValidationError) as caught:
        services.assessments_bulk_record(items, review=review, actor=None)
    text = "\n".join(caught.value.messages)
    assert f"Dòng 1 (hộ {household.code}): Thu nhập bình quân đầu người không được âm" in text
    assert f"Dòng 2 (hộ {household.code}): Hộ {household.code} xuất hiện hai lần" in text
    assert not Assessment.objects.exists()
    assert Review.objects.count() == 1
