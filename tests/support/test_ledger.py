"""The ledger is append-only: corrections and cancellations are new attributed entries with a reason; housing cases
move through their steps in order only (`support.services`)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from giamngheo.support.models import HousingStep, SupportCancellation, SupportEvent
from giamngheo.support.selectors import household_events
from giamngheo.support.services import (
    case_event,
    case_stage,
    housing_case_open,
    housing_step_record,
    support_event_cancel,
    support_event_correct,
    support_event_record,
)
from tests.support.conftest import Ledger

pytestmark = pytest.mark.django_db


def test_a_correction_is_a_new_attributed_entry_and_the_old_one_stays(ledger: Ledger) -> None:
    owner = ledger.personas.owner
    wrong = support_event_record(household=ledger.poor, kind=ledger.kind("production"), occurred_on=date(2024, 4, 1),
                                 actor=owner, state_budget=5_000_000, description="Giống lúa")  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        support_event_correct(event=wrong, reason=" ", actor=owner, state_budget=3_000_000)
    assert caught.value.message_dict == {"reason": ["Nêu lý do đính chính."]}
    right = support_event_correct(event=wrong, reason="Nhầm số tiền", actor=owner, state_budget=3_000_000)
    assert (right.corrects, right.reason, right.recorded_by) == (wrong, "Nhầm số tiền", owner)
    assert (right.state_budget, right.description, right.occurred_on) == (
        3_000_000,
        "Giống lúa",
        date(2024, 4, 1),
    )
    wrong.refresh_from_db()
    assert wrong.state_budget == 5_000_000  # untouched
    assert list(SupportEvent.objects.in_force()) == [right]
    # The corrected entry cannot be corrected or cancelled again: only the latest one.
    with pytest.raises(ValidationError) as caught:
        support_event_cancel(event=wrong, reason="x", actor=owner)
    assert "đã được đính chính" in caught.value.messages[0]
    # A correction is checked like a new entry: moved to a day the household was not yet listed.
    with pytest.raises(ValidationError) as caught:
        support_event_correct(event=right, reason="Sai ngày", actor=owner, occurred_on=date(2022, 6, 1))
    assert list(caught.value.message_dict) == ["kind"]


def test_a_cancellation_keeps_the_entry_with_the_reason(ledger: Ledger) -> None:
    owner = ledger.personas.owner
    event = support_event_record(household=ledger.near_poor, kind=ledger.kind("health_insurance"),
                                 occurred_on=date(2024, 1, 10), actor=owner, state_budget=700_000)  # fmt: skip
    with pytest.raises(ValidationError):
        support_event_cancel(event=event, reason="", actor=owner)
    cancellation = support_event_cancel(event=event, reason="Ghi nhầm hộ", actor=owner)
    assert (cancellation.reason, cancellation.recorded_by) == ("Ghi nhầm hộ", owner)
    assert not SupportEvent.objects.in_force().exists()
    assert [e.pk for e in household_events(ledger.near_poor)] == [event.pk]
    with pytest.raises(ValidationError) as caught:
        support_event_cancel(event=event, reason="Lần nữa", actor=owner)
    assert caught.value.messages == ["Mục này đã bị huỷ."]
    assert SupportCancellation.objects.count() == 1


def test_entries_cannot_be_changed_or_deleted(ledger: Ledger) -> None:
    event = support_event_record(household=ledger.poor, kind=ledger.kind("education"), occurred_on=date(2024, 9, 1),
                                 actor=None, state_budget=1_000_000)  # fmt: skip
    event.state_budget = 1
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    with pytest.raises(ValueError, match="append-only"):
        SupportEvent.objects.filter(pk=event.pk).update(state_budget=2)
    with pytest.raises(ValueError, match="append-only"):
        SupportEvent.objects.all().delete()
    assert SupportEvent.objects.get().state_budget == 1_000_000


def test_housing_case_from_approval_to_hand_over_in_order(ledger: Ledger) -> None:
    owner = ledger.personas.owner
    case = housing_case_open(household=ledger.poor, work="new_build", approved_on=date(2024, 3, 1), actor=owner,
                             mobilised=10_000_000, reference="15/QĐ-UBND ngày 01/03/2024")  # fmt: skip
    event = case_event(case)
    assert event is not None
    assert (event.kind.code, event.state_budget, event.mobilised, event.occurred_on) == (
        "housing_new",
        40_000_000,
        10_000_000,
        date(2024, 3, 1),
    )
    assert case_stage(case) == "approved"

    def refused(stage: str, on: date) -> list[str]:
        with pytest.raises(ValidationError) as caught:
            housing_step_record(case=case, stage=stage, on=on, actor=owner)
        return caught.value.messages

    assert refused("completed", date(2024, 6, 1)) == [
        "Bước tiếp theo của hồ sơ là «Đang thi công», không phải «Đã hoàn thành»."
    ]
    assert refused("building", date(2024, 2, 1)) == [
        "Ngày 01/02/2024 trước ngày của bước «Đã phê duyệt» (01/03/2024)."
    ]
    assert refused("building", date(2027, 1, 1)) == ["Ngày 01/01/2027 chưa đến."]
    housing_step_record(case=case, stage="building", on=date(2024, 4, 1), actor=owner)
    housing_step_record(case=case, stage="completed", on=date(2024, 8, 1), actor=owner)
    assert refused("building", date(2024, 9, 1)) == [
        "Bước tiếp theo của hồ sơ là «Đã bàn giao», không phải «Đang thi công»."
    ]
    handed = housing_step_record(
        case=case, stage="handed_over", on=date(2024, 8, 15), actor=owner, note="Lễ bàn giao"
    )
    assert (handed.recorded_by, handed.note) == (owner, "Lễ bàn giao")
    assert case_stage(case) == "handed_over"
    assert refused("handed_over", date(2024, 9, 1)) == ["Hồ sơ đã bàn giao; không còn bước nào."]
    assert [s.stage for s in HousingStep.objects.filter(case=case).order_by("on")] == [
        "approved", "building", "completed", "handed_over"
    ]  # fmt: skip


def test_housing_case_checks_eligibility_defaults_and_cancellation(ledger: Ledger) -> None:
    with pytest.raises(ValidationError) as caught:
        housing_case_open(household=ledger.escaped, work="repair", approved_on=date(2024, 5, 1), actor=None)
    assert "chỉ hỗ trợ hộ nghèo, hộ cận nghèo." in caught.value.messages[0]
    assert not ledger.escaped.housing_cases.exists()  # nothing written

    case = housing_case_open(
        household=ledger.near_poor, work="repair", approved_on=date(2024, 5, 1), actor=None
    )
    assert case_event(case).state_budget == 20_000_000  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as caught:
        housing_case_open(household=ledger.near_poor, work="repair", approved_on=date(2024, 6, 1), actor=None)
    assert "đã có hồ sơ «Hỗ trợ nhà ở: sửa chữa» chưa bàn giao" in caught.value.messages[0]

    # The amounts are corrected on the case's entry; the kind of a case's entry cannot change.
    corrected = support_event_correct(event=case_event(case), reason="Bổ sung vốn vay", actor=None,  # type: ignore[arg-type]
                                      bank_loan=25_000_000)  # fmt: skip
    assert case_event(case) == corrected and corrected.housing_case == case
    with pytest.raises(ValidationError) as caught:
        support_event_correct(event=corrected, reason="x", actor=None, kind=ledger.kind("housing_new"))
    assert list(caught.value.message_dict) == ["kind"]

    support_event_cancel(event=corrected, reason="Hộ không nhận hỗ trợ", actor=None)
    assert case_event(case) is None
    with pytest.raises(ValidationError) as caught:
        housing_step_record(case=case, stage="building", on=date(2024, 7, 1), actor=None)
    assert caught.value.messages == ["Hồ sơ đã bị huỷ."]
