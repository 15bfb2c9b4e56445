"""Number and money formatting the Vietnamese way: 1.500.000đ, 33,78 %."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def group_thousands(value: int) -> str:
    """1500000 -> '1.500.000' (Vietnamese thousands separator)."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")


def format_vnd(value: int) -> str:
    return f"{group_thousands(value)}đ"


def round_half_up(value: Decimal | float, places: int = 2) -> Decimal:
    """Round as statisticians and the public expect (0,125 -> 0,13), not banker's rounding."""
    quantum = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def percent(part: int, whole: int, places: int = 2) -> Decimal | None:
    """part/whole as a percentage rounded half-up; None when the denominator is missing or zero."""
    if not whole:
        return None
    return round_half_up(Decimal(part) * 100 / Decimal(whole), places)


def format_percent_vi(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}".replace(".", ",") + " %"
