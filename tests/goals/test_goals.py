"""Targets, actuals and progress (giamngheo.goals): computed vs entered actuals, met by direction, append-only
corrections, the area rules with personas."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giamngheo.goals import computations
from giamngheo.goals.computations import Computed, Period, Ratio
from giamngheo.goals.models import ActualEntry, Direction, Indicator, Obtained, Target, Unit
from giamngheo.goals.selectors import is_met, progress, targets_for
from giamngheo.goals.services import StaleEntryError, actual_record, target_set
from tests.decisions.helpers import decide

pytestmark = pytest.mark.django_db


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def line(lines: list[Any], code: str) -> Any:
    return next(item for item in lines if item.indicator.code == code)


def test_the_seeded_indicators_and_their_computations() -> None:
    codes = set(Indicator.objects.values_list("code", flat=True))
    assert {"poverty_rate_reduction", "poor_households", "rural_jobs", "trained_labour_rate",
            "loans_eligible_poor", "training_support_poor", "jobless_poor_priority"} <= codes  # fmt: skip
    computed = set(Indicator.objects.filter(obtained=Obtained.COMPUTED).values_list("code", flat=True))
    # The support ledger computes the houses (`support.computations`).
    assert computed == {"poverty_rate_reduction", "poor_households", "poverty_rate", "houses_supported"}
    assert computed <= computations.registered_codes()
    loans = indicator("loans_eligible_poor")
    assert (loans.unit, loans.direction, loans.obtained) == (Unit.PERCENT, Direction.HIGHER, Obtained.ENTERED)


def test_the_poverty_rate_reduction_is_computed_from_the_official_results(town: Any) -> None:
    personas, _households, _first, second, _decided = town
    area = personas.units["town"]
    owner = personas.owner
    target_set(indicator=indicator("poverty_rate_reduction"), area=area, year=2023, value=Decimal("5.5"),
               document_number="12/KH-UBND", document_date=date(2023, 1, 20), actor=owner)  # fmt: skip
    target_set(indicator=indicator("poor_households"), area=area, year=2023, value=4,
               document_title="Kế hoạch giảm nghèo năm 2023", actor=owner)  # fmt: skip

    before = line(progress(area, 2023), "poverty_rate_reduction")
    assert before.actual is None and before.met is None
    assert "Chưa có kết quả chính thức" in before.missing  # the 2023 lists are not decided yet

    # 2022: 2 poor; 2023: 3 poor; of 5 resident households (the personas' own household of the town, never
    # listed, is resident too).
    decide(second, area, date(2023, 12, 20))
    lines = progress(area, 2023)
    reduction = line(lines, "poverty_rate_reduction")
    assert reduction.actual.value == Decimal("-20.00") and reduction.actual.source == "computed"
    assert [(r.numerator, r.denominator, r.rate) for r in reduction.actual.ratios] == [
        (2, 5, Decimal("40.00")), (3, 5, Decimal("60.00"))
    ]  # fmt: skip
    assert reduction.met is False  # higher is better: −20 points is short of a 5.5-point fall
    poor = line(lines, "poor_households")
    assert poor.actual.value == 3 and poor.met is True  # lower is better: 3 households, at most 4
    assert poor.actual.ratios[0].denominator == 5  # never a rate without its denominator


def test_a_computed_indicator_falls_back_on_an_entered_figure_and_the_computation_wins_once_possible(
    town: Any,
) -> None:
    personas, _households, _first, second, _decided = town
    area = personas.units["town"]
    reduction = indicator("poverty_rate_reduction")
    actual_record(indicator=reduction, area=area, year=2023, value=Decimal("5.91"), as_of=date(2023, 12, 31),
                  source_note="Báo cáo tổng kết năm 2023", actor=personas.owner)  # fmt: skip
    entered = line(progress(area, 2023), "poverty_rate_reduction")
    assert (entered.actual.value, entered.actual.source) == (Decimal("5.91"), "entered")
    assert "Báo cáo tổng kết năm 2023" in entered.actual.note and "Không tính được" in entered.actual.note
    decide(second, area, date(2023, 12, 20))
    computed = line(progress(area, 2023), "poverty_rate_reduction")
    assert (computed.actual.value, computed.actual.source) == (Decimal("-20.00"), "computed")
    assert computed.latest_entry_id == entered.actual.entry_id  # still there, for a correction


def test_entered_actuals_met_by_direction_and_corrected_append_only(personas: Any) -> None:
    area = personas.units["new_commune"]
    jobs = indicator("rural_jobs")
    target = target_set(indicator=jobs, area=area, year=2024, value=825, document_number="05/KH-UBND",
                        actor=personas.owner)  # fmt: skip
    first = actual_record(indicator=jobs, area=area, year=2024, value=800, as_of=date(2024, 12, 31),
                          source_note="Phòng LĐ-TB&XH", actor=personas.owner)  # fmt: skip
    assert line(progress(area, 2024), "rural_jobs").met is False

    with pytest.raises(StaleEntryError):  # believes there is nothing yet
        actual_record(indicator=jobs, area=area, year=2024, value=830, as_of=date(2024, 12, 31),
                      source_note="x", actor=personas.owner)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        actual_record(indicator=jobs, area=area, year=2024, value=830, as_of=date(2024, 12, 31),
                      source_note="x", actor=personas.owner, expected_latest=first.pk)  # fmt: skip
    assert refused.value.message_dict == {"reason": ["Nêu lý do đính chính số liệu đã ghi."]}
    second = actual_record(indicator=jobs, area=area, year=2024, value=830, as_of=date(2025, 1, 10),
                           source_note="Báo cáo bổ sung", actor=personas.province, expected_latest=first.pk,
                           reason="Bổ sung số liệu tháng 12")  # fmt: skip
    assert (second.corrects, second.recorded_by) == (first, personas.province)
    now = line(progress(area, 2024), "rural_jobs")
    assert (now.actual.value, now.met, now.actual.entry_id) == (Decimal("830"), True, second.pk)
    with pytest.raises(StaleEntryError) as stale:  # a copy taken before the correction
        actual_record(indicator=jobs, area=area, year=2024, value=840, as_of=date(2025, 1, 10),
                      source_note="x", actor=personas.owner, expected_latest=first.pk, reason="y")  # fmt: skip
    assert stale.value.latest == second
    assert ActualEntry.objects.filter(indicator=jobs).count() == 2  # the first is kept
    with pytest.raises(ValueError, match="append-only"):
        ActualEntry.objects.filter(pk=first.pk).update(value=1)
    with pytest.raises(ValueError, match="append-only"):
        target.delete()


def test_met_depends_on_the_direction() -> None:
    assert is_met(Direction.HIGHER, Decimal("49"), Decimal("49")) is True
    assert is_met(Direction.HIGHER, Decimal("49"), Decimal("48.99")) is False
    assert is_met(Direction.LOWER, Decimal("4000"), Decimal("4000")) is True
    assert is_met(Direction.LOWER, Decimal("4000"), Decimal("4001")) is False


def test_values_are_checked_against_the_unit(personas: Any) -> None:
    area = personas.units["new_commune"]
    with pytest.raises(ValidationError) as refused:
        target_set(indicator=indicator("trained_labour_rate"), area=area, year=2024, value="101",
                   actor=personas.owner)  # fmt: skip
    assert set(refused.value.message_dict) == {"value", "document_number"}
    with pytest.raises(ValidationError) as refused:
        actual_record(indicator=indicator("rural_jobs"), area=area, year=2024, value="12.5",
                      as_of=date(2030, 1, 1), source_note=" ", actor=personas.owner)  # fmt: skip
    assert set(refused.value.message_dict) == {"value", "as_of", "source_note"}


def test_who_may_write_and_targets_do_not_roll_up(personas: Any) -> None:
    commune, province = personas.units["new_commune"], personas.units["new_province"]
    jobs = indicator("rural_jobs")
    for account in (personas.peer, personas.viewer, personas.outsider, personas.unbound):
        with pytest.raises(PermissionDenied):
            target_set(indicator=jobs, area=commune, year=2024, value=10, document_number="1", actor=account)
    with pytest.raises(PermissionDenied):  # a commune officer does not set the province's target
        target_set(
            indicator=jobs, area=province, year=2024, value=10, document_number="1", actor=personas.owner
        )
    target_set(indicator=jobs, area=commune, year=2024, value=825, document_number="05/KH-UBND",
               document_date=date(2024, 1, 25), actor=personas.province)  # fmt: skip
    target_set(indicator=indicator("poverty_rate_reduction"), area=commune, year=2024, value=Decimal("5.5"),
               document_number="05/KH-UBND", actor=personas.owner)  # fmt: skip
    lines = targets_for(commune, 2024)
    assert [(t.indicator_code, t.comparator, t.wording) for t in lines] == [
        ("poverty_rate_reduction", "≥", "từ 5,5 điểm phần trăm trở lên"),
        ("rural_jobs", "≥", "từ 825 người trở lên"),
    ]
    assert lines[1].source_decision == "05/KH-UBND ngày 25/01/2024"
    assert targets_for(province, 2024) == []  # a province's targets are its own, not its communes' sum
    assert Target.objects.count() == 2


def test_another_app_registers_a_computation(personas: Any) -> None:
    area = personas.units["new_commune"]
    loans = indicator("loans_eligible_poor")

    def loans_actual(period: Period) -> Computed:
        return Computed(
            Decimal("100.00"), "Ngân hàng CSXH", (Ratio("Hộ được vay", 12, 12, Decimal("100.00")),)
        )

    computations.register("loans_eligible_poor", loans_actual)
    try:
        with pytest.raises(ValueError, match="already registered"):
            computations.register("loans_eligible_poor", lambda period: loans_actual(period))
        assert line(progress(area, 2024), "loans_eligible_poor").actual is None  # still "entered"
        Indicator.objects.filter(pk=loans.pk).update(obtained=Obtained.COMPUTED)
        found = line(progress(area, 2024), "loans_eligible_poor")
        assert (found.actual.value, found.actual.source, found.actual.ratios[0].denominator) == (
            Decimal("100.00"), "computed", 12
        )  # fmt: skip
    finally:
        computations.unregister("loans_eligible_poor")
