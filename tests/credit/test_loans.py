"""Per-household loans: eligibility on the disbursement date, ceilings, positions on dates, append-only
corrections and stale copies (`giamngheo.credit.services`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giamngheo.credit import services
from giamngheo.credit.access import loan_for, loans_for
from giamngheo.credit.eligibility import add_months
from giamngheo.credit.models import CreditEvent, Loan, ProgrammeTerms, Repayment
from giamngheo.credit.selectors import Position, loan_position_on
from tests.credit.conftest import Town

pytestmark = pytest.mark.django_db


def lend(town: Town, household: str, programme: str = "ho_ngheo", *, amount: int = 50_000_000,
         on: date = date(2023, 3, 1), months: int = 12, actor: Any = None, **kwargs: Any) -> Loan:  # fmt: skip
    return services.loan_record(
        household=town.h[household], programme=town.programme(programme), amount=amount, disbursed_on=on,
        term_months=months, actor=actor, **kwargs,
    )  # fmt: skip


def refusal(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_loan_is_checked_against_the_lists_on_the_day_it_is_disbursed(town: Town) -> None:
    errors = refusal(lambda: lend(town, "h3", "ho_ngheo"))  # near-poor in 2023
    assert errors["programme"] == [
        "Chương trình «Cho vay hộ nghèo» chỉ cho vay hộ có tên trong danh sách hộ nghèo; ngày 01/03/2023 hộ không "
        "thuộc danh sách này."
    ]
    assert lend(town, "h3", "ho_ngheo", on=date(2024, 3, 1)).programme.code == "ho_ngheo"  # poor in 2024
    assert "danh sách hộ cận nghèo" in refusal(lambda: lend(town, "h1", "ho_can_ngheo"))["programme"][0]
    assert lend(town, "h3", "ho_can_ngheo").terms.interest_rate == Decimal("7.92")
    assert "danh sách hộ nghèo" in refusal(lambda: lend(town, "h4", "ho_nghe" + "o"))["programme"][0]
    assert not Loan.objects.filter(household=town.h["h4"]).exists()


def test_a_newly_escaped_household_borrows_within_the_window(town: Town) -> None:
    assert lend(town, "h5", "ho_moi_thoat_ngheo", on=date(2024, 3, 1)).household == town.h["h5"]
    errors = refusal(lambda: lend(town, "h1", "ho_moi_thoat_ngheo", on=date(2024, 3, 1)))
    assert "không phải hộ mới thoát nghèo" in errors["programme"][0] and "3 năm" in errors["programme"][0]


@pytest.mark.calendar(date(2027, 3, 1))
def test_more_than_three_years_after_leaving_the_lists_is_not_newly_escaped(town: Town) -> None:
    assert lend(town, "h5", "ho_moi_thoat_ngheo", on=date(2026, 12, 31)).household == town.h["h5"]
    errors = refusal(lambda: lend(town, "h5", "ho_moi_thoat_ngheo", on=date(2027, 1, 2)))
    assert errors["programme"] == [
        "Chương trình «Cho vay hộ mới thoát nghèo» chỉ cho vay hộ đã ra khỏi danh sách hộ nghèo, hộ cận nghèo trong "
        "vòng 3 năm; ngày 02/01/2027 hộ không phải hộ mới thoát nghèo."
    ]


def test_the_ceiling_and_the_maximum_term_on_the_day_are_enforced(town: Town) -> None:
    errors = refusal(lambda: lend(town, "h1", amount=100_000_001))
    assert errors["amount"] == [
        "Số tiền vay 100.000.001đ vượt mức cho vay tối đa 100.000.000đ một hộ của chương trình «Cho vay hộ "
        "nghèo» (áp dụng ngày 01/03/2023)."
    ]
    assert lend(town, "h1", amount=100_000_000).amount == 100_000_000
    errors = refusal(lambda: lend(town, "h5", "ho_moi_thoat_ngheo", on=date(2024, 3, 1), months=61))
    assert errors["term_months"] == [
        "Thời hạn 61 tháng vượt thời hạn tối đa 60 tháng của chương trình «Cho vay hộ mới thoát nghèo»."
    ]
    errors = refusal(lambda: lend(town, "h1", on=date(2020, 6, 1)))
    assert "không có lãi suất, mức cho vay áp dụng ngày 01/06/2020" in errors["programme"][0]


def test_terms_are_data_valid_by_date(town: Town) -> None:
    programme = town.programme("ho_ngheo")
    ProgrammeTerms.objects.filter(programme=programme).update(valid_to=date(2023, 12, 31))
    ProgrammeTerms.objects.create(programme=programme, valid_from=date(2024, 1, 1), ceiling=120_000_000,
                                  interest_rate=6, evidence="unverified")  # fmt: skip
    assert "vượt mức cho vay tối đa" in refusal(lambda: lend(town, "h1", amount=110_000_000))["amount"][0]
    loan = lend(town, "h1", amount=110_000_000, on=date(2024, 2, 1))
    assert loan.terms.ceiling == 120_000_000 and not loan.terms.verified
    assert ProgrammeTerms.objects.get(programme=programme, valid_from=date(2021, 1, 1)).verified


def test_outstanding_and_overdue_on_any_date(town: Town) -> None:
    loan = lend(town, "h1", amount=50_000_000, on=date(2023, 3, 1), months=12)
    assert loan.matures_on == date(2024, 3, 1)
    services.repayment_record(loan=loan, paid_on=date(2023, 9, 1), principal=10_000_000, actor=None)
    assert loan_position_on(loan, date(2023, 2, 28)) == Position(0, 0)
    assert loan_position_on(loan, date(2023, 8, 31)) == Position(50_000_000, 0)
    assert loan_position_on(loan, date(2023, 12, 31)) == Position(40_000_000, 0)
    assert loan_position_on(loan, date(2024, 3, 1)) == Position(
        40_000_000, 0
    )  # due that day, not yet overdue
    assert loan_position_on(loan, date(2024, 3, 2)) == Position(40_000_000, 40_000_000)
    services.repayment_record(loan=loan, paid_on=date(2024, 4, 1), principal=40_000_000, actor=None)
    assert loan_position_on(loan, date(2024, 4, 1)) == Position(0, 0)


def test_repayments_are_checked(town: Town) -> None:
    loan = lend(town, "h1", amount=10_000_000)
    errors = refusal(lambda: services.repayment_record(loan=loan, paid_on=date(2023, 2, 1), principal=10_000_001,
                                                      actor=None))  # fmt: skip
    assert errors["paid_on"] == ["Ngày trả 01/02/2023 trước ngày giải ngân 01/03/2023."]
    assert errors["principal"] == ["Số tiền gốc trả 10.000.001đ vượt dư nợ gốc còn lại 10.000.000đ."]
    errors = refusal(
        lambda: services.repayment_record(loan=loan, paid_on=date(2030, 1, 1), principal=1, actor=None)
    )
    assert errors["paid_on"] == ["Ngày trả 01/01/2030 chưa đến."]
    assert not Repayment.objects.exists()


def test_a_wrong_repayment_or_loan_is_corrected_by_a_new_attributed_entry(town: Town) -> None:
    owner = town.personas.owner
    loan = lend(town, "h1", amount=30_000_000, actor=owner)
    wrong = services.repayment_record(loan=loan, paid_on=date(2023, 6, 1), principal=20_000_000, actor=owner)
    assert loan_position_on(loan, date(2023, 12, 31)).outstanding == 10_000_000
    assert "reason" in refusal(lambda: services.repayment_reverse(repayment=wrong, reason=" ", actor=owner))
    reversal = services.repayment_reverse(repayment=wrong, reason="Ghi nhầm số tiền", actor=owner)
    assert reversal.recorded_by == owner and reversal.recorded_by_name == owner.username
    assert loan_position_on(loan, date(2023, 12, 31)).outstanding == 30_000_000
    assert Repayment.objects.get(pk=wrong.pk).principal == 20_000_000  # kept as it was
    errors = refusal(lambda: services.repayment_reverse(repayment=wrong, reason="lại", actor=owner))
    assert errors["repayment"] == ["Lần trả nợ này đã được huỷ."]

    services.loan_cancel(loan=loan, reason="Ghi nhầm hộ", actor=owner)
    assert loan_position_on(loan, date(2023, 12, 31)) == Position(0, 0)
    errors = refusal(
        lambda: services.repayment_record(loan=loan, paid_on=date(2023, 7, 1), principal=1, actor=owner)
    )
    assert errors["loan"] == ["Khoản vay này đã bị huỷ (ghi nhầm); không ghi trả nợ được."]
    assert list(CreditEvent.objects.filter(household=town.h["h1"]).values_list("kind", flat=True)) == [
        "loan", "repayment", "reversal", "cancellation",
    ]  # fmt: skip

    with pytest.raises(ValueError, match="append-only"):
        loan.amount = 1
        loan.save()
    with pytest.raises(ValueError, match="append-only"):
        Repayment.objects.filter(pk=wrong.pk).update(principal=1)
    with pytest.raises(ValueError, match="append-only"):
        Loan.objects.filter(pk=loan.pk).delete()


def test_a_write_from_a_stale_copy_is_refused(town: Town) -> None:
    household = town.h["h1"]
    seen = services.credit_mark(household)
    assert seen == 0
    loan = lend(town, "h1", seen=seen, actor=town.personas.owner)
    with pytest.raises(services.StaleCreditError) as caught:
        lend(town, "h1", seen=seen)  # a second form opened before the first loan was recorded
    assert "đã thay đổi sau khi bạn mở trang" in caught.value.messages[0]
    assert "«Ghi khoản vay»" in caught.value.messages[0]
    mark = services.credit_mark(household)
    services.repayment_record(loan=loan, paid_on=date(2023, 4, 1), principal=1_000_000, actor=None, seen=mark)
    with pytest.raises(services.StaleCreditError):
        services.loan_cancel(loan=loan, reason="x", actor=None, seen=mark)


def test_commune_officers_write_others_read_within_their_area(town: Town) -> None:
    p = town.personas
    loan = lend(town, "h1", actor=p.owner)  # the owner's new commune took legacy TT Kông Chro
    for reader in (p.owner, p.province, p.viewer, p.admin):
        assert loan_for(reader, loan.pk) == loan
    for stranger in (p.peer, p.outsider, p.unbound):
        assert not loans_for(stranger).exists()
        with pytest.raises(Exception, match="Không tìm thấy khoản vay"):
            loan_for(stranger, loan.pk)
    for not_a_writer in (p.viewer, p.province, p.peer):
        with pytest.raises(PermissionDenied):
            lend(town, "h1", actor=not_a_writer)
        with pytest.raises(PermissionDenied):
            services.repayment_record(loan=loan, paid_on=date(2023, 5, 1), principal=1, actor=not_a_writer)
    assert Loan.objects.count() == 1


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month() -> None:
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 11, 15), 14) == date(2025, 1, 15)
