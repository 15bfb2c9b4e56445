"""Approval and locking (decisions.approval), with personas: the commune submits, the level above approves and
only it unlocks, with a reason; locked results take no new decision; reports say whether they are approved."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giamngheo.decisions.approval import approval_state, round_approve, round_submit, round_unlock
from giamngheo.decisions.models import Approval, OfficialStatus
from giamngheo.decisions.reports import POOR_TRANSITIONS, build_report
from tests.decisions.helpers import decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(town: Any) -> Any:
    personas, households, _first, second, _decided = town
    decision = decide(second, personas.units["town"], date(2023, 12, 20), actor=personas.owner)
    return personas, households, second, decision


def test_submit_approve_unlock_with_the_right_roles(decided: Any) -> None:
    personas, _households, review, _decision = decided
    town = personas.units["town"]
    with pytest.raises(PermissionDenied):
        round_submit(review=review, commune=town, actor=personas.peer)  # another commune's officer
    with pytest.raises(PermissionDenied):
        round_submit(review=review, commune=town, actor=personas.province)  # the level above does not submit
    round_submit(review=review, commune=town, actor=personas.owner)
    assert approval_state(review, town) == "submitted"
    with pytest.raises(PermissionDenied):
        round_approve(review=review, commune=town, actor=personas.owner)  # no one approves their own
    with pytest.raises(PermissionDenied):
        round_approve(review=review, commune=town, actor=personas.outsider)
    round_approve(review=review, commune=town, actor=personas.province)
    assert approval_state(review, town) == "approved"
    with pytest.raises(ValidationError) as refused:
        round_unlock(review=review, commune=town, actor=personas.province, reason="  ")
    assert refused.value.message_dict == {"reason": ["Nêu lý do mở khoá."]}
    round_unlock(review=review, commune=town, actor=personas.province, reason="Sai số nhân khẩu hộ QD-1")
    assert approval_state(review, town) == "draft"
    steps = list(Approval.objects.filter(review=review, commune=town).values_list("action", "actor_name"))
    assert steps == [("submitted", "xa.kongchro"), ("approved", "gialai"), ("unlocked", "gialai")]


def test_steps_out_of_order_are_refused(decided: Any) -> None:
    personas, _households, review, _decision = decided
    town = personas.units["town"]
    with pytest.raises(ValidationError, match="Chưa trình"):
        round_approve(review=review, commune=town, actor=personas.province)
    with pytest.raises(ValidationError):
        round_unlock(review=review, commune=town, actor=personas.province, reason="x")
    round_submit(review=review, commune=town, actor=personas.owner)
    with pytest.raises(ValidationError):
        round_submit(review=review, commune=town, actor=personas.owner)
    yang_trung = personas.units["yang_trung"]
    with pytest.raises(ValidationError, match="Chưa có quyết định công nhận"):
        round_submit(review=review, commune=yang_trung, actor=personas.owner)


def test_locked_results_take_no_new_decision_until_unlocked(decided: Any) -> None:
    personas, (h1, *_others), review, decision = decided
    town = personas.units["town"]
    round_submit(review=review, commune=town, actor=personas.owner)
    round_approve(review=review, commune=town, actor=personas.province)
    kwargs = {
        "number": "02/QĐ-UBND",
        "corrects": decision,
        "reason": "Hộ QD-1 đã thoát nghèo",
        "actor": personas.owner,
    }
    with pytest.raises(ValidationError, match="đã được phê duyệt: chỉ cấp trên mở khoá"):
        decide(review, town, date(2023, 12, 27), **kwargs)
    round_unlock(review=review, commune=town, actor=personas.province, reason="Phúc tra hộ QD-1")
    # The correction: h1's result corrected in the closed round, then the decision corrected from the same day.
    from giamngheo.reviews import services as reviews
    from giamngheo.reviews.models import Assessment

    wrong = Assessment.objects.get(review=review, household=h1, superseded=False)
    reviews.assessment_correct(
        assessment=wrong,
        income_per_capita=5_000_000,
        reason="Phúc tra: thu nhập đã tăng",
        actor=personas.owner,
    )
    correction = decide(review, town, date(2023, 12, 27), **kwargs)
    assert correction.effective_from == decision.effective_from == date(2024, 1, 1)
    assert [(s.household_id, s.status) for s in correction.statuses.all()] == [(h1.pk, "khong_ngheo")]
    line = build_report(POOR_TRANSITIONS, personas.units["district"], 2023).total.values
    assert (line[1], line[3], line[9]) == (2, 1, 2)  # h1 now escaped above the line; h3, h4 poor at the end


def test_reports_say_whether_their_figures_are_approved(decided: Any) -> None:
    personas, _households, review, _decision = decided
    town = personas.units["town"]
    report = build_report(POOR_TRANSITIONS, personas.units["district"], 2023)
    assert not report.approved and "Số liệu tạm thời" in report.notes[0]
    round_submit(review=review, commune=town, actor=personas.owner)
    round_approve(review=review, commune=town, actor=personas.province)
    report = build_report(POOR_TRANSITIONS, personas.units["district"], 2023)
    assert report.approved and report.to_json()["approved"] is True
    assert report.notes[0] == "Số liệu đã được cấp trên phê duyệt."
    assert OfficialStatus.objects.exists()


def test_a_locked_result_takes_no_corrected_survey_result(decided: Any) -> None:
    from giamngheo.reviews.models import Assessment
    from giamngheo.reviews.services import assessment_correct

    personas, (h1, *_rest), review, _decision = decided
    town = personas.units["town"]
    in_force = Assessment.objects.get(review=review, household=h1, superseded=False)
    round_submit(review=review, commune=town, actor=personas.owner)
    with pytest.raises(ValidationError) as refused:
        assessment_correct(
            assessment=in_force, actor=personas.owner, reason="Sai thu nhập", income_per_capita=9
        )
    assert "chỉ cấp trên mở khoá" in str(refused.value)
    assert Assessment.objects.filter(review=review, household=h1).count() == 1
    round_unlock(review=review, commune=town, actor=personas.province, reason="Xã xin sửa một phiếu")
    corrected = assessment_correct(
        assessment=in_force, actor=personas.owner, reason="Sai thu nhập", income_per_capita=9
    )
    assert corrected.corrects == in_force
