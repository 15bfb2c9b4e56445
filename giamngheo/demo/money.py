"""The demo district's programme money and social-policy credit of 2022 and 2023 and its houses of 2023, written
through the services an officer uses so that the year-end summary sums them (the seed article's figures for 2023,
documented demo choices for 2022: `targets.MONEY_2023`, `targets.MONEY_2022`, `targets.HOUSES_*`):

- allocations to the district by sub-project, capital type and source (`programme.services.allocation_record`),
  the recurrent ones split between the central budget and the province's counterpart, and disbursements through
  the year (`disbursement_record`) up to the documented share;
- the bank's lending report for the year by commune and programme, written as the bank's spreadsheet and imported
  (`credit.bank.bank_import`), apportioned from the article's totals;
- the houses built or repaired in 2023 for the poor households whose living conditions the plan improved
  (`support.services.housing_case_open` and its steps), funded from mobilised resources.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from giamngheo.areas.models import AdminUnit, UnitLevel
from giamngheo.credit import bank
from giamngheo.decisions.status import statuses_on
from giamngheo.demo import targets
from giamngheo.demo.population import apportion
from giamngheo.programme.models import CapitalType, FundingSource, ProgrammeItem
from giamngheo.programme.services import allocation_record, disbursement_record
from giamngheo.registry.models import Household
from giamngheo.reviews.models import PovertyClass
from giamngheo.support.models import HousingStage, HousingWork
from giamngheo.support.services import housing_case_open, housing_step_record

MILLION = 1_000_000
PROGRAMME = "GNBV-2021-2025"
INVESTMENT, RECURRENT = "dau_tu_phat_trien", "thuong_xuyen"
CENTRAL, LOCAL = "ngan_sach_trung_uong", "ngan_sach_dia_phuong"
HOUSE_NOTE = "Hỗ trợ xây mới, sửa chữa nhà ở cho hộ nghèo năm 2023"

_ACTIVITIES = {
    INVESTMENT: (
        "Tạm ứng hợp đồng thi công",
        "Thanh toán khối lượng hoàn thành đợt {n}",
        "Quyết toán công trình",
    ),
    RECURRENT: ("Tạm ứng kinh phí thực hiện", "Thanh toán hoạt động đợt {n}", "Thanh toán cuối năm"),
}


def record_funds(money: targets.MoneyYear, district: AdminUnit, *, actor: Any, today: date) -> int:
    """The district's allocations of the year and their disbursements. Returns the number of allocations."""
    year = money.year
    number, decided_on = money.decision
    items = {i.code: i for i in ProgrammeItem.objects.filter(programme__code=PROGRAMME)}
    capital = {c.code: c for c in CapitalType.objects.all()}
    sources = {s.code: s for s in FundingSource.objects.all()}
    plan: list[tuple[str, str, str, int]] = []  # (item, capital type, source, đồng)
    for code, millions in money.investment.items():
        plan.append((code, INVESTMENT, CENTRAL, millions * MILLION))
    for code, millions in money.recurrent.items():
        local = (
            int((Decimal(millions) * targets.FUNDS_LOCAL_SHARE).to_integral_value(ROUND_HALF_UP)) * MILLION
        )
        plan.append((code, RECURRENT, CENTRAL, millions * MILLION - local))
        plan.append((code, RECURRENT, LOCAL, local))
    for index, (code, capital_code, source_code, amount) in enumerate(plan):
        allocation = allocation_record(
            year=year, area=district, item=items[code], capital_type=capital[capital_code],
            source=sources[source_code], amount=amount, decision_number=number, decision_date=decided_on,
            note="Dữ liệu mẫu", actor=actor, today=today,
        )  # fmt: skip
        share = targets.FUNDS_DISBURSED_SHARE[capital_code]
        spent = int((Decimal(amount) * share / 1_000).to_integral_value(ROUND_HALF_UP)) * 1_000
        parts = apportion([2, 3, 5], spent)
        days = (date(year, 4, 10) + timedelta(days=index), date(year, 8, 15) + timedelta(days=index),
                date(year, 12, 20) + timedelta(days=index % 8))  # fmt: skip
        for n, (part, day) in enumerate(zip(parts, days, strict=True), start=1):
            if part:
                disbursement_record(
                    allocation=allocation, paid_on=day, amount=part,
                    activity=_ACTIVITIES[capital_code][n - 1].format(n=n), actor=actor, today=today,
                )  # fmt: skip
    return len(plan)


def bank_rows(
    money: targets.MoneyYear, communes: Sequence[AdminUnit], weights: Sequence[int]
) -> list[dict[str, Any]]:
    """The bank's lending report of the year by commune and programme, apportioned from the year's totals: each
    programme's share of the year's lending (`targets.CREDIT_2023_SHARES`), each commune's share of a programme by
    `weights`; the loans, the outstanding balance and the households with a balance the same way."""
    start, end = money.credit_period
    shares = targets.CREDIT_2023_SHARES
    programmes = list(shares)
    by_programme = {
        "disbursed": apportion([shares[p] for p in programmes], money.credit_disbursed * MILLION // 1_000),
        "loans": apportion([shares[p] for p in programmes], money.credit_loans),
        "outstanding": apportion(
            [shares[p] for p in programmes], money.credit_outstanding * MILLION // 1_000
        ),
    }
    rows = []
    for index, programme in enumerate(programmes):
        disbursed = apportion(list(weights), by_programme["disbursed"][index])
        loans = apportion(list(weights), by_programme["loans"][index])
        outstanding = apportion(list(weights), by_programme["outstanding"][index])
        for commune, lent, count, balance in zip(communes, disbursed, loans, outstanding, strict=True):
            balance_dong = balance * 1_000
            overdue = (
                int((Decimal(balance_dong) * targets.CREDIT_2023_OVERDUE_SHARE / 1_000).to_integral_value())
                * 1_000
            )
            # Households with a balance (demo choice): this year's borrowers and as many again from earlier
            # years, at most one per 20 million đồng of balance.
            households = min(count * 2, balance_dong // (20 * MILLION)) if balance_dong else 0
            rows.append({
                bank.COMMUNE: commune.code, bank.PROGRAMME: programme, bank.START: f"{start:%d/%m/%Y}",
                bank.END: f"{end:%d/%m/%Y}", bank.DISBURSED: lent * 1_000, bank.LOAN_COUNT: count,
                bank.HOUSEHOLDS: households, bank.OUTSTANDING: balance_dong, bank.OVERDUE: overdue,
            })  # fmt: skip
    return rows


def record_credit(money: targets.MoneyYear, district: AdminUnit, *, actor: Any, today: date) -> int:
    """Import the bank's report of the year for the district's communes, weighted by their poor and near-poor
    households on the demo's first lists (in force on 1 January 2023). Returns the number of rows."""
    communes = list(AdminUnit.objects.filter(parent=district, level=UnitLevel.COMMUNE).order_by("code"))
    from giamngheo.decisions.models import OfficialStatus

    listed = OfficialStatus.objects.filter(commune__in=communes).values_list("household_id", "commune_id")
    home = dict(listed)
    counts = dict.fromkeys((c.pk for c in communes), 0)
    for row in statuses_on(sorted(home), date(2023, 1, 1)).values():
        if row.status in {PovertyClass.POOR, PovertyClass.NEAR_POOR}:
            counts[row.commune_id] = counts.get(row.commune_id, 0) + 1
    rows = bank_rows(money, communes, [counts[c.pk] or 1 for c in communes])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"nhcsxh-kong-chro-{money.year}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(bank.COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
        bank.bank_import(path=path, file_name=path.name, actor=actor, today=today)
    return len(rows)


def record_houses_2023(houses: Sequence[tuple[Household, date]], *, actor: Any, today: date) -> int:
    """The houses of the households whose 2023 living conditions the plan improved with the support (the plan's
    HOUSES_SUPPORTED_2023; `houses`: each household and the day its new conditions were recorded): approved two
    months before that day (not before 2 January), built, completed that day and handed over a week later; funded
    from mobilised resources at the rule's amounts."""
    for index, (household, done) in enumerate(sorted(houses, key=lambda item: item[0].code)):
        work = HousingWork.NEW_BUILD if index < targets.HOUSES_NEW_2023 else HousingWork.REPAIR
        approved = max(date(2023, 1, 2), done - timedelta(days=60))
        amount = 40 * MILLION if work == HousingWork.NEW_BUILD else 20 * MILLION
        case = housing_case_open(
            household=household, work=work, approved_on=approved, actor=actor, state_budget=0,
            mobilised=amount, reference="Vận động các tổ chức, cá nhân (dữ liệu mẫu)",
            description=HOUSE_NOTE, today=today,
        )  # fmt: skip
        building = approved + (done - approved) // 3
        for stage, on in ((HousingStage.BUILDING, building), (HousingStage.COMPLETED, done),
                          (HousingStage.HANDED_OVER, done + timedelta(days=7))):  # fmt: skip
            housing_step_record(case=case, stage=stage, on=on, actor=actor, today=today)
    return len(houses)
