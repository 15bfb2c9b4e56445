"""The chairman's decision and the official status history (decisions.services, decisions.status), and the
transition reports they feed (decisions.reports, `giamngheo report`)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from giamngheo.areas.selectors import commune_ids_within
from giamngheo.decisions.models import Decision, OfficialStatus
from giamngheo.decisions.reports import (
    NEAR_POOR_TRANSITIONS,
    POOR_TRANSITIONS,
    REPORTS,
    RESULTS,
    build_report,
    transitions_report,
)
from giamngheo.decisions.status import escaped_on, status_history, statuses_on
from giamngheo.lib.formatting import percent
from giamngheo.registry import services as registry
from giamngheo.registry.models import Household
from giamngheo.reviews.models import Cause
from tests.decisions.helpers import decide, register, survey
from tests.reviews.helpers import open_review

pytestmark = pytest.mark.django_db


def test_a_periodic_decision_takes_effect_on_1_january_and_writes_only_changes(town: Any) -> None:
    personas, (h1, h2, h3, h4), _first, second, decided_2022 = town
    assert decided_2022.effective_from == date(
        2023, 1, 1
    )  # the lists decided at the end of 2022 apply in 2023
    assert {(s.household, s.status) for s in decided_2022.statuses.all()} == {
        (h1, "ngheo"), (h2, "ngheo"), (h3, "can_ngheo")
    }  # fmt: skip  # h4, never listed and still not, gets no row
    decided_2023 = decide(second, personas.units["town"], date(2023, 12, 20))
    assert {(s.household, s.status) for s in decided_2023.statuses.all()} == {
        (h2, "can_ngheo"), (h3, "ngheo"), (h4, "ngheo")
    }  # fmt: skip  # h1 stays poor: no new row
    on_2023 = statuses_on([h1.pk, h2.pk, h3.pk, h4.pk], date(2023, 12, 31))
    assert {pk: s.status for pk, s in on_2023.items()} == {h1.pk: "ngheo", h2.pk: "ngheo", h3.pk: "can_ngheo"}
    on_2024 = statuses_on([h1.pk, h2.pk, h3.pk, h4.pk], date(2024, 1, 1))
    assert [on_2024[h.pk].status for h in (h1, h2, h3, h4)] == ["ngheo", "can_ngheo", "ngheo", "ngheo"]


def test_a_regular_decision_takes_effect_the_day_it_is_signed(town: Any) -> None:
    personas, (h1, *_rest), _first, _second, _decided = town
    june = open_review(
        personas.units["district"], year=2023, kind="regular", reference_date=date(2023, 7, 14)
    )
    survey(june, {h1: "khong_ngheo"}, on=date(2023, 6, 20))
    decision = decide(june, personas.units["town"], date(2023, 6, 29))
    assert decision.effective_from == date(2023, 6, 29)
    assert [(p.row.status, p.valid_from, p.valid_to) for p in status_history(h1.pk)] == [
        ("ngheo", date(2023, 1, 1), date(2023, 6, 28)),
        ("khong_ngheo", date(2023, 6, 29), None),
    ]
    # "Newly escaped" (at most 3 years off the lists) governs loans and support.
    assert escaped_on(h1.pk, date(2024, 5, 1)) == date(2023, 6, 29)
    assert escaped_on(h1.pk, date(2026, 6, 29)) is None
    assert escaped_on(h1.pk, date(2023, 6, 1)) is None  # still poor that day


def test_a_decision_is_refused_when_it_cannot_stand(town: Any) -> None:
    personas, _households, first, second, _decided = town
    units = personas.units
    statuses = OfficialStatus.objects.count()
    with pytest.raises(ValidationError) as refused:
        decide(first, units["town"], date(2022, 12, 21), number="02/QĐ-UBND")
    assert "đã có quyết định 01/QĐ-UBND (20/12/2022)" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        decide(second, units["far_commune"], date(2023, 12, 20))
    assert "không thuộc địa bàn của đợt" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        decide(second, units["yang_trung"], date(2023, 12, 20))
    assert "chưa có phiếu rà soát nào của Xã Yang Trung (mã cũ 23845" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        decide(second, units["town"], date(2027, 1, 1), number=" ")
    messages = refused.value.message_dict
    assert messages["number"] == ["Nhập số quyết định."] and "chưa đến" in messages["signed_on"][0]
    assert (
        OfficialStatus.objects.count() == statuses and Decision.objects.count() == 1
    )  # nothing half-written


def test_statuses_are_never_rewritten(town: Any) -> None:
    _personas, _households, _first, _second, decided = town
    row = decided.statuses.first()
    with pytest.raises(ValueError, match="append-only"):
        row.save()
    with pytest.raises(ValueError, match="append-only"):
        OfficialStatus.objects.filter(pk=row.pk).update(status="khong_ngheo")
    with pytest.raises(ValueError, match="append-only"):
        Decision.objects.filter(pk=decided.pk).delete()


def test_the_transition_reports_add_up(town: Any) -> None:
    personas, (_h1, _h2, _h3, _h4), _first, second, _decided = town
    units = personas.units
    decide(second, units["town"], date(2023, 12, 20))
    report = transitions_report(POOR_TRANSITIONS, units["district"], 2023)
    [line] = report.rows
    assert line.area_code == "23824" and line.values == {
        1: 2, 2: 1, 3: 0, 4: 0, 5: 1, 6: 0, 7: 1, 8: 0, 9: 3
    }  # fmt: skip  # h2 poor → near-poor; h3 near-poor → poor; h4 newly arising
    assert report.total.values == line.values
    near = transitions_report(NEAR_POOR_TRANSITIONS, units["district"], 2023).total.values
    assert near == {1: 1, 2: 0, 3: 1, 4: 0, 5: 1, 6: 0, 7: 0, 8: 0, 9: 1}


def test_decisions_are_recorded_in_the_order_they_take_effect(town: Any) -> None:
    personas, (h1, *_rest), _first, _second, _decided = town
    june = open_review(
        personas.units["district"], year=2022, kind="regular", reference_date=date(2022, 7, 14)
    )
    survey(june, {h1: "khong_ngheo"}, on=date(2022, 6, 20))
    with pytest.raises(ValidationError) as refused:
        decide(june, personas.units["town"], date(2022, 6, 29))
    assert "có hiệu lực từ ngày 01/01/2023" in str(refused.value) and "theo thứ tự thời gian" in str(
        refused.value
    )


def test_re_poor_closed_and_new_households(personas: Any) -> None:
    """Tái nghèo needs a household that was poor before the period started; a closed household is an "other"
    decrease; one split off during the year and poor at the end an "other" increase."""
    units = personas.units
    commune = units["yang_trung"]
    back, closed, stays = register(commune, 3)
    june = open_review(units["district"], year=2022, kind="regular", reference_date=date(2022, 7, 14))
    survey(june, {back: "ngheo"}, on=date(2022, 6, 20))
    decide(june, commune, date(2022, 6, 29))
    first = open_review(units["district"], year=2022, reference_date=date(2022, 12, 14))
    survey(first, {back: "khong_ngheo", closed: "ngheo", stays: "ngheo"})  # `back` escaped at the end of 2022
    decide(first, commune, date(2022, 12, 20))
    registry.household_close(household=closed, on=date(2023, 3, 1), reason="moved_away", actor=None)
    [split] = register(commune, 1, registered_on=date(2023, 5, 1))
    second = open_review(units["district"], year=2023, reference_date=date(2023, 12, 14))
    survey(second, {back: "ngheo", stays: "ngheo", split: "ngheo"})
    decide(second, commune, date(2023, 12, 20))
    line = transitions_report(POOR_TRANSITIONS, units["district"], 2023).total.values
    assert line == {1: 2, 2: 0, 3: 0, 4: 1, 5: 0, 6: 1, 7: 0, 8: 1, 9: 3}


def test_report_command_lists_and_writes_json(town: Any, tmp_path: Any) -> None:
    personas, _households, _first, second, _decided = town
    decide(second, personas.units["town"], date(2023, 12, 20))
    out = StringIO()
    call_command("report", list=True, stdout=out)
    assert "dien-bien-ngheo\tTổng hợp diễn biến hộ nghèo" in out.getvalue()
    # The statutory reports, and the year-end summary (`report summary`).
    assert len(out.getvalue().splitlines()) == len(REPORTS) + 1 == 17
    assert out.getvalue().splitlines()[-1].startswith("summary\t")
    path = tmp_path / "dien-bien.json"
    call_command("report", "dien-bien-ngheo", area="630", year=2023, format="json", output=str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [c["number"] for c in data["columns"]] == list(range(1, 10))
    assert data["total"]["values"]["1"] == 2 and data["total"]["values"]["9"] == 3
    assert data["rows"][0]["area_code"] == "23824" and data["approved"] is False
    for row in [*data["rows"], data["total"]]:
        v = {int(k): n for k, n in row["values"].items()}
        assert v[9] == v[1] - v[2] - v[3] - v[4] + v[5] + v[6] + v[7] + v[8]


def test_the_results_report_counts_the_lists_against_the_resident_households(town: Any) -> None:
    personas, (h1, *_others), _first, second, _decided = town
    units = personas.units
    decide(second, units["town"], date(2023, 12, 20))
    registry.household_close(household=h1, on=date(2023, 12, 28), reason="moved_away", actor=None)
    report = build_report(RESULTS, units["district"], 2023)
    resident = Household.objects.filter(
        commune_id__in=commune_ids_within(units["district"]), registered_on__lte=date(2024, 1, 1)
    ).exclude(closed_on__lte=date(2024, 1, 1))
    values = report.total.values
    assert values[1] == resident.count()  # h1 closed before the end: neither resident nor on a list
    assert (values[3], values[5], values[7]) == (2, 1, 0)  # h3, h4 poor; h2 near-poor
    assert values[4] == percent(2, resident.count()) and values[8] == Decimal("0.00")
    assert sum(row.values[1] for row in report.rows) == values[1]
    # A rate over no households is left blank, and the report says why.
    empty = build_report(RESULTS, units["yang_trung"], 2023)
    assert empty.total.values[1] == 0 and empty.total.values[4] is None
    assert any("mẫu số bằng 0" in note for note in empty.notes)
    assert empty.to_json()["total"]["values"]["4"] is None


def test_the_excel_report_has_the_forms_layout_and_the_same_figures(town: Any, tmp_path: Any) -> None:
    personas, _households, _first, second, _decided = town
    decide(second, personas.units["town"], date(2023, 12, 20))
    path = tmp_path / "dien-bien.xlsx"
    call_command("report", "dien-bien-ngheo", area="630", year=2023, format="xlsx", output=str(path))
    sheet = openpyxl.load_workbook(path).active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == ["UBND HUYỆN KÔNG CHRO", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert cells[3] == ["TỔNG HỢP DIỄN BIẾN HỘ NGHÈO"] and "Năm 2023" in cells[4][0]
    assert cells[8] == ["A", "B", *range(1, 10)]  # the forms' column numbers
    report = transitions_report(POOR_TRANSITIONS, personas.units["district"], 2023)
    assert cells[9][2:] == [report.rows[0].values[n] for n in range(1, 10)]
    assert cells[10] == ["", "Tổng cộng", *[report.total.values[n] for n in range(1, 10)]]
    assert ["NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ"] in cells


def test_an_excel_rate_without_a_denominator_is_an_empty_cell(town: Any, tmp_path: Any) -> None:
    personas = town[0]
    path = tmp_path / "ket-qua.xlsx"
    call_command(
        "report",
        "ket-qua",
        area=personas.units["yang_trung"].code,
        year=2023,
        format="xlsx",
        output=str(path),
    )
    sheet = openpyxl.load_workbook(path).active
    total = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Tổng cộng")
    assert total[2] == 0 and total[5] is None  # households 0, poverty rate blank
    assert any("mẫu số bằng 0" in str(row[0]) for row in sheet.iter_rows(values_only=True))


def test_the_deprivation_reports_count_the_listed_households_by_indicator(town: Any) -> None:
    personas, _households, _first, second, _decided = town
    decide(second, personas.units["town"], date(2023, 12, 20))
    counts = build_report(REPORTS["thieu-hut-ngheo"], personas.units["district"], 2023)
    titles = [title for _number, title in counts.columns]
    assert titles[:2] == ["Tổng số hộ", "Tổng số lượt thiếu hụt"] and len(titles) == 14  # ND07: 12 indicators
    values = counts.total.values
    by_title = dict(zip(titles, (values[n] for n, _t in counts.columns), strict=True))
    # h1, h3 and h4 are poor at the end, each deprived on employment, nutrition and health insurance (POOR_FLAGS).
    assert values[1] == 3 and values[2] == 9
    assert (by_title["Việc làm"], by_title["Dinh dưỡng"], by_title["Bảo hiểm y tế"]) == (3, 3, 3)
    for line in [*counts.rows, counts.total]:
        assert sum(line.values[n] for n in range(3, 15)) == line.values[2]  # type: ignore[misc]
    rates = build_report(REPORTS["ty-le-thieu-hut-ngheo"], personas.units["district"], 2023).total.values
    assert rates[1] == 3 and rates[2] == Decimal("3.00") and rates[3] == Decimal("100.00")
    empty = build_report(REPORTS["ty-le-thieu-hut-can-ngheo"], personas.units["yang_trung"], 2023)
    assert empty.total.values[1] == 0 and empty.total.values[3] is None
    assert any("mẫu số bằng 0" in note for note in empty.notes)


def test_the_causes_report_counts_each_cause_of_the_listed_households(personas: Any) -> None:
    units = personas.units
    commune = units["yang_trung"]
    landless, sick, unknown, near = register(commune, 4)
    review = open_review(units["district"], year=2023, reference_date=date(2023, 12, 14))
    survey(
        review,
        {landless: "ngheo", sick: "ngheo", unknown: "ngheo", near: "can_ngheo"},
        causes={landless: [Cause.NO_LAND, Cause.NO_CAPITAL], sick: [Cause.ILLNESS]},
    )
    decide(review, commune, date(2023, 12, 20))
    report = build_report(REPORTS["nguyen-nhan-ngheo"], units["district"], 2023)
    titles = dict(report.columns)
    assert titles[3] == "Thiếu đất sản xuất" and titles[9] == "Ốm đau, bệnh nặng, tai nạn"
    values = report.total.values
    assert (values[1], values[2]) == (3, 1)  # three poor households, one with no cause recorded
    assert (values[3], values[4], values[9], values[10]) == (1, 1, 1, 0)
    near_line = build_report(REPORTS["nguyen-nhan-can-ngheo"], units["district"], 2023).total.values
    assert (near_line[1], near_line[2]) == (1, 1)


def test_the_ethnicity_report_splits_each_list_by_the_heads_ethnicity(town: Any) -> None:
    personas, _households, _first, second, _decided = town
    decide(second, personas.units["town"], date(2023, 12, 20))
    values = build_report(REPORTS["dan-toc"], personas.units["district"], 2023).total.values
    # The scenario's households were registered without members: their heads' ethnicity is not recorded.
    assert values == {1: 3, 2: 0, 3: 0, 4: 3, 5: 1, 6: 0, 7: 0, 8: 1}
