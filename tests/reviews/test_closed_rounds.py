"""Results stay as decided: no path rewrites an assessment of a round whose cut-off date has passed — not the
services, the re-record button, the assessment form, the area job or the API. A correction is a new, attributed
entry naming what it corrects; today's data goes into the round open today.

On the tests' calendar (20/11/2026) the end-2025 periodic round (cut-off 01/12/2025) is closed and the regular
round of November 2026 (15/11–14/12/2026) is open.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from giamngheo.jobs import services as jobs
from giamngheo.jobs.models import JobStatus
from giamngheo.registry import services as registry
from giamngheo.registry.models import EventKind, HouseholdEvent
from giamngheo.reviews import services
from giamngheo.reviews.models import Assessment, Review, ReviewKind
from giamngheo.reviews.reclassify import assessments_classify
from giamngheo.reviews.rounds import ClosedRoundError, regular_round_period
from giamngheo.reviews.stats import area_stats
from tests.api.conftest import Api, etag
from tests.api.conftest import api as api  # the API client fixture, used here too
from tests.conftest import TODAY
from tests.jobs.helpers import run_worker
from tests.reviews.helpers import import_past, open_review

pytestmark = pytest.mark.django_db

# Near-poor (income under the line, one deprivation) and poor (three more entered deprivations).
NEAR_POOR = {"bao_hiem_y_te": True}
POOR = {"bao_hiem_y_te": True, "viec_lam": True, "nguon_nuoc_sinh_hoat": True}
RESULT_FIELDS = [
    f.attname for f in Assessment._meta.concrete_fields if f.attname not in {"id", "superseded"}
]  # everything a decision consists of


def result_of(assessment: Assessment) -> tuple[Any, ...]:
    fresh = Assessment.objects.get(pk=assessment.pk)
    return tuple(getattr(fresh, name) for name in RESULT_FIELDS)


@pytest.fixture
def decided(personas: Any) -> Assessment:
    """The Kông Chro household's result in the end-2025 periodic round of its new commune (closed now)."""
    review = open_review(personas.units["new_commune"], year=2025, reference_date=date(2025, 12, 1))
    assessment = import_past(
        review, personas.kongchro_household, date(2025, 11, 20), 1_000_000, entered=NEAR_POOR
    )
    assert assessment.poverty_class == "can_ngheo" and review.is_closed_on(TODAY)
    return assessment


def test_rounds_follow_the_calendar() -> None:
    assert regular_round_period(date(2026, 11, 20)) == (date(2026, 11, 15), date(2026, 12, 14))
    assert regular_round_period(date(2026, 11, 14)) == (date(2026, 10, 15), date(2026, 11, 14))
    assert regular_round_period(date(2026, 12, 31)) == (date(2026, 12, 15), date(2027, 1, 14))
    assert regular_round_period(date(2027, 1, 3)) == (date(2026, 12, 15), date(2027, 1, 14))


# Services ------------------------------------------------------------------------------------------------------


def test_recording_into_a_closed_round_is_refused_and_writes_nothing(
    personas: Any, decided: Assessment
) -> None:
    before, events = result_of(decided), HouseholdEvent.objects.count()
    with pytest.raises(ClosedRoundError, match="đã chốt số liệu ngày 01/12/2025"):
        services.assessment_record(review=decided.review, household=personas.kongchro_household,
                                   assessed_on=date(2025, 11, 20), income_per_capita=1_000_000, actor=None,
                                   entered=POOR)  # fmt: skip
    with pytest.raises(ClosedRoundError):
        services.assessments_bulk_record(
            [services.AssessmentInput(personas.sro_household, date(2025, 11, 20), 1_000_000)],
            review=decided.review, actor=None,
        )  # fmt: skip
    # Importing records of a past round adds a first one, never replaces one.
    with pytest.raises(ValidationError, match="không được ghi đè"):
        services.assessments_bulk_record(
            [services.AssessmentInput(personas.kongchro_household, date(2025, 11, 20), 5_000_000)],
            review=decided.review, actor=None, historical=True,
        )  # fmt: skip
    assert result_of(decided) == before and HouseholdEvent.objects.count() == events


def test_reclassification_never_touches_a_closed_round(personas: Any, decided: Assessment) -> None:
    Assessment.objects.filter(pk=decided.pk).update(
        poverty_class="ngheo", deprivation_count=9
    )  # a stale result
    before = result_of(decided)
    with pytest.raises(ClosedRoundError):
        assessments_classify(review=decided.review)
    report = assessments_classify(assessment_ids=[decided.pk], rederive=True)
    assert report.total == 0 and report.skipped_closed == 1
    everything = assessments_classify()
    assert everything.total == 0 and everything.skipped_closed == 1
    assert result_of(decided) == before


def test_a_correction_is_a_new_attributed_entry_and_the_decision_is_kept(
    personas: Any, decided: Assessment
) -> None:
    before = result_of(decided)
    with pytest.raises(ValidationError, match="lý do"):
        services.assessment_correct(assessment=decided, actor=personas.owner, reason="  ")
    correction = services.assessment_correct(
        assessment=decided, actor=personas.owner, reason="Nhập sai thu nhập; giấy xác nhận của xã",
        income_per_capita=900_000, entered=POOR,
    )  # fmt: skip
    assert correction.pk != decided.pk and correction.corrects_id == decided.pk
    assert correction.review == decided.review and correction.assessed_on == decided.assessed_on
    assert correction.poverty_class == "ngheo" and correction.reviewer == personas.owner
    assert result_of(decided) == before and Assessment.objects.get(pk=decided.pk).superseded
    event = HouseholdEvent.objects.filter(kind=EventKind.ASSESSED).latest("id")
    assert "Đính chính phiếu rà soát ngày 20/11/2025" in event.note and "Nhập sai thu nhập" in event.note
    assert event.changes["poverty_class"] == ["can_ngheo", "ngheo"] and event.actor == personas.owner
    # Only the assessment in force is corrected again; figures count it, not the corrected one.
    with pytest.raises(ValidationError, match="đã được đính chính"):
        services.assessment_correct(assessment=decided, actor=None, reason="Lần hai")
    stats = area_stats(personas.units["new_commune"], year=2025)
    assert stats.current.total_households == 1 and stats.current.poor_households == 1


def test_an_open_round_is_recorded_again_not_corrected(personas: Any) -> None:
    review = services.regular_round(commune=personas.units["new_commune"], on=TODAY, may_open=True)
    assert review is not None and review.kind == ReviewKind.REGULAR and not review.is_closed_on(TODAY)
    assessment = services.assessment_record(review=review, household=personas.kongchro_household,
                                            assessed_on=TODAY, income_per_capita=1_000_000, actor=None)  # fmt: skip
    with pytest.raises(ValidationError, match="còn mở"):
        services.assessment_correct(assessment=assessment, actor=None, reason="Sai")


def test_re_recording_after_the_round_closed_goes_into_the_open_regular_round(
    personas: Any, decided: Assessment
) -> None:
    household = personas.kongchro_household
    registry.member_update(person=household.head, actor=None, on=TODAY, has_health_insurance=True)
    before = result_of(decided)
    with pytest.raises(ValidationError, match="không được mở đợt mới"):
        services.assessment_rerecord(household=household, actor=personas.owner, may_open=False)
    recorded = services.assessment_rerecord(household=household, actor=personas.owner, may_open=True)
    review = recorded.review
    assert review.kind == ReviewKind.REGULAR and review.area == personas.units["new_commune"]
    assert (review.reference_date, review.standard_id) == (date(2026, 12, 14), "ND07-2021")
    assert recorded.assessed_on == TODAY and recorded.income_per_capita == decided.income_per_capita
    assert result_of(decided) == before
    # Recording again today goes into the same (open) round, in place.
    again = services.assessment_rerecord(household=household, actor=personas.owner, may_open=False)
    assert again.pk == recorded.pk and Review.objects.filter(kind=ReviewKind.REGULAR).count() == 1


# Pages ---------------------------------------------------------------------------------------------------------


def test_pages_offer_only_open_rounds_and_correct_a_closed_one(personas: Any, decided: Assessment) -> None:
    client = Client()
    client.force_login(personas.owner)
    household = personas.kongchro_household
    add = reverse("web:assessment-add", args=[household.pk])
    page = client.get(add)
    assert list(page.context["form"].fields["review"].queryset) == []  # the closed round is not offered
    assert "Mở đợt rà soát thường xuyên" in page.content.decode()
    forged = client.post(add, {"review": decided.review_id, "assessed_on": "20/11/2025",
                               "income_per_capita": "5000000", "income_method": "estimated",
                               **{k: v for k, v in page.context["form"].initial.items() if k in {"version", "seen"}},
                               "xac_nhan": "1"})  # fmt: skip
    assert forged.status_code == 422 and "review" in forged.context["form"].errors
    # Opening the regular round is its own button; then the form offers it.
    client.post(reverse("web:regular-round-open", args=[household.pk]))
    regular = Review.objects.get(kind=ReviewKind.REGULAR)
    assert list(client.get(add).context["form"].fields["review"].queryset) == [regular]

    detail = client.get(reverse("web:household-detail", args=[household.pk])).content.decode()
    correct = reverse("web:assessment-correct", args=[household.pk, decided.pk])
    assert correct in detail
    form = client.get(correct).context["form"]
    data = {**{name: form[name].value() or "" for name in ("version", "seen", "income_method")},
            "income_per_capita": "900000", "reason": "Sai thu nhập", "entered_bao_hiem_y_te": "True",
            "entered_viec_lam": "True", "entered_nguon_nuoc_sinh_hoat": "True"}  # fmt: skip
    first = client.post(correct, data)  # says what will be written
    assert first.status_code == 200 and first.context["confirm"]["assessment"].poverty_class == "ngheo"
    assert not Assessment.objects.filter(corrects=decided).exists()
    assert client.post(correct, {**data, "xac_nhan": "1"}).status_code == 302
    assert Assessment.objects.get(corrects=decided).correction_reason == "Sai thu nhập"
    assert client.get(correct).status_code == 404  # the corrected one is corrected no further


def test_the_re_record_button_says_where_it_writes_and_keeps_the_decision(
    personas: Any, decided: Assessment
) -> None:
    client = Client()
    client.force_login(personas.owner)
    household = personas.kongchro_household
    registry.member_update(person=household.head, actor=None, on=TODAY, has_health_insurance=True)
    url = reverse("web:assessment-rerecord", args=[household.pk])
    page = client.get(url)
    assert page.context["plan"].review is None and page.context["plan"].opens_round
    assert "sẽ được mở khi bạn xác nhận" in page.content.decode()
    assert client.post(url, page.context["stamp"]).status_code == 302  # without confirming: nothing written
    assert Assessment.objects.count() == 1
    before = result_of(decided)
    assert client.post(url, {**page.context["stamp"], "xac_nhan": "1"}).status_code == 302
    assert Assessment.objects.get(review__kind=ReviewKind.REGULAR).assessed_on == TODAY
    assert result_of(decided) == before


# API and jobs --------------------------------------------------------------------------------------------------


def test_the_api_refuses_a_closed_round_and_takes_a_correction(
    api: Api, personas: Any, decided: Assessment
) -> None:
    household = personas.kongchro_household
    body = {"review_id": decided.review_id, "assessed_on": "2025-11-20", "income_per_capita": 5_000_000}
    refused = api.post("owner", f"/api/households/{household.pk}/assessments", body, if_match=etag(household))
    assert refused.status_code == 409 and refused.json()["code"] == "closed_round"
    assert "đã chốt số liệu" in refused.json()["message"]
    path = f"/api/assessments/{decided.pk}/corrections"
    assert api.post("owner", path, {"reason": "Sai"}).status_code == 428
    made = api.post("owner", path, {"reason": "Sai thu nhập", "income_per_capita": 5_000_000},
                    if_match=etag(household))  # fmt: skip
    assert made.status_code == 201, made.json()
    assert made.json()["corrects"] == decided.pk and made.json()["poverty_class"] == "khong_ngheo"
    assert api.get("owner", f"/api/assessments/{decided.pk}").json()["in_force"] is False
    assert Assessment.objects.get(pk=decided.pk).poverty_class == "can_ngheo"
    assert api.post("viewer", path, {"reason": "x"}, if_match=etag(household)).status_code == 403


def test_the_area_job_leaves_a_closed_round_as_decided(personas: Any, decided: Assessment) -> None:
    Assessment.objects.filter(pk=decided.pk).update(poverty_class="ngheo")  # stale against today's rules
    before = result_of(decided)
    job = jobs.area_classify_start(actor=personas.owner, unit=personas.units["new_commune"], rederive=True)
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.summary["assessments"] == 0
    assert result_of(decided) == before
