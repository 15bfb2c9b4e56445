"""The year-end selectors (`giamngheo.credit.selectors`): the summary by programme with the source of each figure,
the rows behind it, area roll-ups, and the listed households without a loan."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamngheo.areas.models import AdminUnit
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.credit import services
from giamngheo.credit.bank import bank_import
from giamngheo.credit.models import BankFigure, BankImport, Programme
from giamngheo.credit.selectors import (
    BANK,
    LOANS,
    MIXED,
    Figures,
    credit_summary,
    eligible_without_loan,
    loan_position_on,
    rows_behind,
)
from tests.credit.conftest import Town
from tests.credit.helpers import row, write_csv
from tests.decisions.helpers import register

pytestmark = pytest.mark.django_db
MILLION = 1_000_000


def test_the_seed_articles_2023_figures_come_back_from_the_banks_report(town: Town, tmp_path: Path) -> None:
    """Kông Chro district, 2023 (seed-article.md): 99,186 million đồng lent in 2,486 household loans up to 28/12/2023,
    190,434 million outstanding."""
    rows = [
        row("23824", "ho_ngheo", disbursed=40_120 * MILLION, loans=1_010, households=2_100,
            outstanding=80_000 * MILLION, overdue=500 * MILLION),
        row("23824", "ho_can_ngheo", disbursed=12_066 * MILLION, loans=300, households=700,
            outstanding=25_000 * MILLION),
        row("23845", "ho_ngheo", disbursed=30_000 * MILLION, loans=776, households=1_500,
            outstanding=55_434 * MILLION, overdue=100 * MILLION),
        row("23845", "ho_moi_thoat_ngheo", disbursed=17_000 * MILLION, loans=400, households=800,
            outstanding=30_000 * MILLION),
    ]  # fmt: skip
    bank_import(path=write_csv(tmp_path / "nhcsxh-2023.csv", rows), file_name="nhcsxh-2023.csv", actor=None)
    summary = credit_summary(town.personas.units["district"], 2023)
    assert (summary.total.disbursed, summary.total.loans, summary.total.outstanding) == (
        99_186 * MILLION,
        2_486,
        190_434 * MILLION,
    )
    assert summary.source == BANK and summary.as_of == date(2023, 12, 31)
    poor = summary.line("ho_ngheo")
    assert poor is not None and poor.figures == Figures(70_120 * MILLION, 1_786, 3_600, 135_434 * MILLION,
                                                        600 * MILLION)  # fmt: skip
    assert {c.bank_as_of for c in summary.cells} == {date(2023, 12, 28)}
    # The same territory read through the province of today (the 2025 reform) gives the same figures.
    assert credit_summary(town.personas.units["new_province"], 2023).total == summary.total


def test_bank_figures_win_where_both_exist_and_the_rows_behind_say_which(town: Town, tmp_path: Path) -> None:
    h = town.h
    poor = Programme.objects.get(code="ho_ngheo")
    jobs = Programme.objects.get(code="viec_lam")
    services.loan_record(household=h["h1"], programme=poor, amount=20 * MILLION, disbursed_on=date(2023, 3, 1),
                         term_months=36, actor=None)  # fmt: skip
    jobs_loan = services.loan_record(household=h["h4"], programme=jobs, amount=30 * MILLION,
                                     disbursed_on=date(2023, 5, 1), term_months=6, actor=None)  # fmt: skip
    services.repayment_record(loan=jobs_loan, paid_on=date(2023, 10, 1), principal=5 * MILLION, actor=None)
    bank_import(path=write_csv(tmp_path / "b.csv", [row("23824", "ho_ngheo", disbursed=25 * MILLION, loans=2,
                                                        households=2, outstanding=25 * MILLION)]),
                file_name="b.csv", actor=None)  # fmt: skip
    summary = credit_summary(town.personas.units["town"], 2023)
    by_programme = {c.programme: c for c in summary.cells}
    assert by_programme["ho_ngheo"].source == BANK and by_programme["ho_ngheo"].both
    assert by_programme["viec_lam"].source == LOANS
    assert by_programme["viec_lam"].figures == Figures(
        30 * MILLION, 1, 1, 25 * MILLION, 25 * MILLION
    )  # overdue
    assert summary.source == MIXED and summary.total.disbursed == 55 * MILLION

    behind = rows_behind(summary, programme="ho_ngheo")
    assert behind.bank_figures.count() == 1 and not behind.loans.exists()
    assert rows_behind(summary, programme="ho_ngheo", include_unused=True).loans.count() == 1
    assert list(rows_behind(summary).loans) == [jobs_loan]


def test_a_loan_repaid_before_the_year_is_not_in_it(town: Town) -> None:
    jobs = Programme.objects.get(code="viec_lam")
    loan = services.loan_record(household=town.h["h4"], programme=jobs, amount=MILLION,
                                disbursed_on=date(2022, 5, 1), term_months=6, actor=None)  # fmt: skip
    assert credit_summary(town.personas.units["town"], 2023).total.outstanding == MILLION
    services.repayment_record(loan=loan, paid_on=date(2022, 11, 1), principal=MILLION, actor=None)
    summary = credit_summary(town.personas.units["town"], 2023)
    assert summary.cells == () and summary.total == Figures()


def test_listed_households_without_an_outstanding_loan(town: Town) -> None:
    h = town.h
    poor = Programme.objects.get(code="ho_ngheo")
    services.loan_record(household=h["h1"], programme=poor, amount=MILLION, disbursed_on=date(2023, 2, 1),
                         term_months=24, actor=None)  # fmt: skip
    repaid = services.loan_record(household=h["h2"], programme=poor, amount=MILLION,
                                  disbursed_on=date(2023, 2, 1), term_months=24, actor=None)  # fmt: skip
    services.repayment_record(loan=repaid, paid_on=date(2023, 5, 1), principal=MILLION, actor=None)
    district = town.personas.units["district"]
    found = eligible_without_loan(district, date(2023, 6, 1))
    assert [(e.code, e.status) for e in found] == [
        (h["h2"].code, "ngheo"), (h["h5"].code, "ngheo"), (h["h3"].code, "can_ngheo"),
    ]  # fmt: skip
    assert [e.code for e in eligible_without_loan(district, date(2023, 6, 1), near_poor=False)] == [
        h["h2"].code, h["h5"].code,
    ]  # fmt: skip
    # Before the loans were disbursed, h1 was without a loan too.
    assert h["h1"].code in [e.code for e in eligible_without_loan(district, date(2023, 1, 15))]


# Properties ---------------------------------------------------------------------------------------------------

PROPERTY = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
DAYS = st.integers(min_value=0, max_value=700)


@PROPERTY
@given(
    amount=st.integers(min_value=1, max_value=500 * MILLION),
    payments=st.lists(st.tuples(DAYS, st.integers(min_value=1, max_value=200 * MILLION), st.booleans()),
                      max_size=6),
    probes=st.lists(DAYS, min_size=1, max_size=4),
)  # fmt: skip
def test_outstanding_is_disbursed_minus_repaid(town: Town, amount: int, payments: list[tuple[int, int, bool]],
                                               probes: list[int]) -> None:  # fmt: skip
    start = date(2023, 1, 10)
    with transaction.atomic():
        jobs = Programme.objects.get(code="viec_lam")
        loan = services.loan_record(household=town.h["h4"], programme=jobs, amount=amount, disbursed_on=start,
                                    term_months=12, actor=None)  # fmt: skip
        counted: list[tuple[date, int]] = []
        for offset, principal, reverse in payments:
            day = start + timedelta(days=offset)
            if principal > amount - sum(p for _d, p in counted) or day > timezone.localdate():
                continue  # refused by the service: the history stays what the bank could have
            repayment = services.repayment_record(loan=loan, paid_on=day, principal=principal, actor=None)
            if reverse:
                services.repayment_reverse(repayment=repayment, reason="ghi nhầm", actor=None)
            else:
                counted.append((day, principal))
        for offset in probes:
            day = start + timedelta(days=offset)
            expected = amount - sum(p for d, p in counted if d <= day)
            position = loan_position_on(loan, day)
            assert position.outstanding == expected
            assert position.overdue == (expected if day > loan.matures_on else 0)
        year_end = credit_summary(town.personas.units["town"], 2023).total
        assert year_end.outstanding == amount - sum(p for d, p in counted if d <= date(2023, 12, 31))
        assert year_end.disbursed == amount
        transaction.set_rollback(True)


@PROPERTY
@given(
    loans=st.lists(st.tuples(st.sampled_from(["town", "yang_trung"]), st.integers(0, 2),
                             st.integers(min_value=1, max_value=90 * MILLION), st.integers(0, 360)), max_size=6),
    figures=st.lists(st.tuples(st.sampled_from(["town", "yang_trung", "old_sro"]),
                               st.sampled_from(["ho_ngheo", "hssv"]), st.integers(0, 10**11),
                               st.integers(0, 10**11)), max_size=4, unique_by=lambda f: (f[0], f[1])),
)  # fmt: skip
def test_an_areas_figures_are_the_sum_of_its_communes(town: Town, loans: list[tuple[str, int, int, int]],
                                                      figures: list[tuple[str, str, int, int]]) -> None:  # fmt: skip
    units = town.personas.units
    with transaction.atomic():
        households = {"town": [town.h["h4"], *register(units["town"], 2)],
                      "yang_trung": register(units["yang_trung"], 3)}  # fmt: skip
        jobs = Programme.objects.get(code="viec_lam")
        for commune, index, amount, offset in loans:
            services.loan_record(household=households[commune][index], programme=jobs, amount=amount,
                                 disbursed_on=date(2023, 1, 1) + timedelta(days=offset), term_months=6, actor=None)  # fmt: skip
        batch = BankImport.objects.create(file_name="p.csv", sha256="0" * 64, row_count=len(figures),
                                          imported_at=timezone.now())  # fmt: skip
        for number, (commune, code, outstanding, disbursed) in enumerate(figures, start=2):
            BankFigure.objects.create(
                batch=batch, row_number=number, commune=units[commune], programme=Programme.objects.get(code=code),
                period_start=date(2023, 1, 1), period_end=date(2023, 12, 28), disbursed=disbursed, loan_count=1,
                borrower_households=1, outstanding=outstanding, overdue=0,
            )  # fmt: skip
        district = units["district"]
        whole = credit_summary(district, 2023)
        parts = [
            credit_summary(AdminUnit.objects.get(pk=pk), 2023) for pk in sorted(commune_ids_within(district))
        ]
        assert whole.total == sum((part.total for part in parts), Figures())
        for line in whole.lines:
            assert line.figures == sum((p.line(line.programme).figures for p in parts), Figures())  # type: ignore[union-attr]
        transaction.set_rollback(True)
