"""Who may receive which support, by the household's official status on the day (`support.eligibility`,
`support.services.support_event_record`), with the 3-year window of newly escaped households and the member check."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from giamngheo.support.eligibility import ESCAPED, NEAR_POOR, POOR, Standing, evaluate
from giamngheo.support.models import SupportEvent, SupportRule
from giamngheo.support.services import support_event_record
from tests.support.conftest import Ledger

pytestmark = pytest.mark.django_db


def refusal(call: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()  # type: ignore[operator]
    return caught.value.message_dict


class Terms:
    def __init__(self, *, poor: bool = False, near_poor: bool = False, years: int | None = None) -> None:
        self.poor, self.near_poor, self.escaped_within_years, self.any_household = (
            poor,
            near_poor,
            years,
            False,
        )


def test_the_pure_rule_reads_the_status_and_the_window() -> None:
    housing = Terms(poor=True, near_poor=True)
    production = Terms(poor=True, near_poor=True, years=3)
    day = date(2025, 6, 1)
    assert evaluate(housing, Standing(POOR), day).basis == POOR
    assert evaluate(housing, Standing(NEAR_POOR), day).basis == NEAR_POOR
    assert not evaluate(housing, Standing("khong_ngheo", date(2024, 1, 1)), day).eligible
    assert evaluate(production, Standing("khong_ngheo", date(2024, 1, 1)), day).basis == ESCAPED
    assert evaluate(production, Standing("muc_song_trung_binh", date(2022, 6, 2)), day).eligible
    # Exactly three years before the day is outside the window (as decisions.status.escaped_on counts it).
    assert not evaluate(production, Standing("khong_ngheo", date(2022, 6, 1)), day).eligible
    assert not evaluate(production, Standing(None), day).eligible
    assert evaluate(production, Standing(None), day).covered == (
        "hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo, thoát cận nghèo trong 3 năm"
    )


def test_housing_for_poor_and_near_poor_households_on_the_day(ledger: Ledger) -> None:
    housing = ledger.kind("education")
    for household in (ledger.poor, ledger.near_poor):
        event = support_event_record(
            household=household, kind=housing, occurred_on=date(2024, 9, 5), actor=None
        )
        assert event.standing in {POOR, NEAR_POOR}
    # The same household on a day before the decision's lists took effect (01/01/2023) was not on them.
    problems = refusal(
        lambda: support_event_record(
            household=ledger.poor, kind=housing, occurred_on=date(2022, 11, 1), actor=None
        )
    )
    assert problems == {
        "kind": [
            f"Hộ {ledger.poor.code} (Siu Hlon) không thuộc diện được hỗ trợ «Hỗ trợ giáo dục» ngày 01/11/2022: tình "
            "trạng của hộ ngày đó là «chưa có tên trong danh sách hộ nghèo, hộ cận nghèo», còn quy định áp dụng từ "
            "01/01/2021 chỉ hỗ trợ hộ nghèo, hộ cận nghèo."
        ]
    }


def test_an_escaped_household_gets_production_support_and_nutrition_but_not_education(ledger: Ledger) -> None:
    day = date(2025, 3, 1)
    for code in ("production", "nutrition"):
        event = support_event_record(
            household=ledger.escaped, kind=ledger.kind(code), occurred_on=day, actor=None
        )
        assert event.standing == ESCAPED
    message = refusal(
        lambda: support_event_record(
            household=ledger.escaped, kind=ledger.kind("education"), occurred_on=day, actor=None
        )
    )["kind"][0]
    assert "tình trạng của hộ ngày đó là «Không nghèo (ra khỏi danh sách từ 01/01/2024)»" in message
    assert "chỉ hỗ trợ hộ nghèo, hộ cận nghèo." in message
    # While it was still poor (2023) the escaped household is covered as poor.
    assert (
        support_event_record(
            household=ledger.escaped, kind=ledger.kind("education"), occurred_on=date(2023, 6, 1), actor=None
        ).standing
        == POOR
    )
    never = refusal(
        lambda: support_event_record(household=ledger.never, kind=ledger.kind("production"), occurred_on=day,
                                     actor=None)
    )  # fmt: skip
    assert "chưa có tên trong danh sách hộ nghèo, hộ cận nghèo" in never["kind"][0]


@pytest.mark.calendar(date(2027, 3, 1))
def test_the_three_year_window_closes(ledger: Ledger) -> None:
    production = ledger.kind("production")
    last_day = support_event_record(
        household=ledger.escaped, kind=production, occurred_on=date(2026, 12, 31), actor=None
    )
    assert last_day.standing == ESCAPED
    problems = refusal(
        lambda: support_event_record(household=ledger.escaped, kind=production, occurred_on=date(2027, 1, 1),
                                     actor=None)
    )  # fmt: skip
    assert (
        "quy định áp dụng từ 01/01/2021 chỉ hỗ trợ hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo"
        in problems["kind"][0]
    )


def test_the_rules_are_data_valid_by_date(ledger: Ledger) -> None:
    production = ledger.kind("production")
    # From 2025 the province narrows production support to 1 year after leaving the lists.
    SupportRule.objects.filter(kind=production).update(valid_to=date(2024, 12, 31))
    SupportRule.objects.create(kind=production, valid_from=date(2025, 1, 1), poor=True, near_poor=True,
                               escaped_within_years=1, source="Thử nghiệm")  # fmt: skip
    earlier = support_event_record(
        household=ledger.escaped, kind=production, occurred_on=date(2024, 12, 1), actor=None
    )
    assert earlier.rule.valid_from == date(2021, 1, 1)
    problems = refusal(
        lambda: support_event_record(household=ledger.escaped, kind=production, occurred_on=date(2025, 2, 1),
                                     actor=None)
    )  # fmt: skip
    assert (
        "áp dụng từ 01/01/2025 chỉ hỗ trợ hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo, thoát cận nghèo trong 1 năm"
        in (problems["kind"][0])
    )
    with pytest.raises(ProtectedError):  # a rule an entry was allowed by stays
        SupportRule.objects.filter(kind=production).delete()
    abroad = ledger.kind("work_abroad")
    SupportRule.objects.filter(kind=abroad).delete()
    assert refusal(
        lambda: support_event_record(
            household=ledger.poor, kind=abroad, occurred_on=date(2025, 2, 1), actor=None
        )
    ) == {
        "kind": [
            "Chưa có quy định đối tượng của loại hỗ trợ «Hỗ trợ đi làm việc ở nước ngoài theo hợp đồng» áp dụng ngày "
            "01/02/2025."
        ]
    }


def test_a_member_must_be_in_the_household_on_the_day(ledger: Ledger) -> None:
    training = ledger.kind("vocational_training")
    problems = refusal(
        lambda: support_event_record(household=ledger.poor, person=ledger.daughter, kind=training,
                                     occurred_on=date(2024, 5, 31), actor=None)
    )  # fmt: skip
    assert problems == {
        "person": [f"Siu H'Bia không phải thành viên của hộ {ledger.poor.code} ngày 31/05/2024."]
    }
    event = support_event_record(household=ledger.poor, person=ledger.daughter, kind=ledger.kind("nutrition"),
                                 occurred_on=date(2024, 6, 1), actor=None)  # fmt: skip
    assert event.person == ledger.daughter
    # A member of another household is refused too.
    problems = refusal(
        lambda: support_event_record(household=ledger.near_poor, person=ledger.head, kind=training,
                                     occurred_on=date(2024, 6, 1), actor=None)
    )  # fmt: skip
    assert list(problems) == ["person"]


def test_every_problem_at_once_and_nothing_written(ledger: Ledger) -> None:
    problems = refusal(
        lambda: support_event_record(
            household=ledger.never, kind=ledger.kind("production"), occurred_on=date(2027, 1, 1), actor=None,
            bank_loan=-5, person=ledger.head,
        )
    )  # fmt: skip
    assert set(problems) == {"occurred_on", "bank_loan", "person", "kind"}
    assert problems["occurred_on"] == ["Ngày hỗ trợ 01/01/2027 chưa đến."]
    assert not SupportEvent.objects.exists()


def test_housing_is_recorded_through_a_housing_case(ledger: Ledger) -> None:
    problems = refusal(
        lambda: support_event_record(household=ledger.poor, kind=ledger.kind("housing_new"),
                                     occurred_on=date(2024, 1, 5), actor=None)
    )  # fmt: skip
    assert problems == {
        "kind": ["Hỗ trợ nhà ở được ghi bằng hồ sơ nhà ở (phê duyệt, thi công, hoàn thành, bàn giao)."]
    }


def test_the_default_state_amount_comes_from_the_rule(ledger: Ledger) -> None:
    event = support_event_record(household=ledger.poor, kind=ledger.kind("production"), occurred_on=date(2024, 2, 1),
                                 actor=None, mobilised=1_500_000)  # fmt: skip
    assert (event.state_budget, event.bank_loan, event.mobilised, event.total) == (0, 0, 1_500_000, 1_500_000)
    assert event.recorded_by is None and event.recorded_by_name
