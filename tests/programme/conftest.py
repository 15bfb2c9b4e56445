"""The programme tests' catalogue lookups and a helper recording allocations as the system."""

from __future__ import annotations

from datetime import date
from typing import Any

from giamngheo.programme import services
from giamngheo.programme.models import Allocation, CapitalType, FundingSource, ProgrammeItem

INVESTMENT, RECURRENT = "dau_tu_phat_trien", "thuong_xuyen"
CENTRAL, LOCAL, OTHER = "ngan_sach_trung_uong", "ngan_sach_dia_phuong", "huy_dong_khac"


def item(code: str, programme: str = "GNBV-2021-2025") -> ProgrammeItem:
    return ProgrammeItem.objects.get(programme__code=programme, code=code)


def capital(code: str) -> CapitalType:
    return CapitalType.objects.get(code=code)


def source(code: str) -> FundingSource:
    return FundingSource.objects.get(code=code)


def allocate(
    area: Any,
    amount: int,
    *,
    year: int = 2023,
    code: str = "DA2",
    capital_code: str = RECURRENT,
    source_code: str = CENTRAL,
    actor: Any = None,
    number: str = "100/QĐ-UBND",
) -> Allocation:
    return services.allocation_record(
        year=year, area=area, item=item(code), capital_type=capital(capital_code), source=source(source_code),
        amount=amount, decision_number=number, decision_date=date(year, 1, 15), actor=actor,
    )  # fmt: skip
