"""Reading credit: a loan's position on a day, the year-end summary of an area and the listed households without
a loan. Nothing here writes.

Position on a day `d` of a loan that is not cancelled: outstanding = amount − principal repaid on or before `d` (not
counting withdrawn repayments), 0 before the disbursement; overdue = the outstanding when `d` is after the maturity
date, else 0.

The summary (`credit_summary`), per commune and programme ("cell"), over the year's window `start` = 1 January to
`end` = the earlier of `as_of` and 31 December, with stocks on `as_of`:

- from the bank's imported figures (`BankFigure` of batches not withdrawn) when the cell has at least one row with
  `period_end` between `start` and `as_of`: the flows (disbursed, number of loans) are the sum of the rows whose
  period lies within the window — the import refuses overlapping periods, so nothing counts twice — and the stocks
  (borrowing households, outstanding, overdue) are those of the row with the latest `period_end` up to `as_of`;
- else from the per-household loans: flows from loans disbursed within the window, stocks on `as_of`; borrowing
  households are the households with an outstanding balance on `as_of`.

**When both exist for a cell the bank's figures are used** (the bank's books are the record; the loans a commune
has typed are often incomplete): the cell says so (`both`), and `rows_behind` shows the rows of either source.
A programme line, and the total, add up their cells; their `source` is "bank", "loans", "mixed" or "none".
Borrowing households add up per programme (a household borrowing under two programmes counts in each, as in the
bank's reports). Areas roll up through `areas.selectors.commune_ids_within`: a province sums its communes, a legacy
district its legacy communes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.credit.models import BankFigure, Loan, Programme, Repayment
from giamngheo.decisions.reports import listed_households
from giamngheo.registry.models import Household, Person

LOANS = "loans"
BANK = "bank"
MIXED = "mixed"
NONE = "none"


@dataclass(frozen=True)
class Position:
    outstanding: int
    overdue: int


def repaid_by(loan_ids: Iterable[int], day: date) -> dict[int, int]:
    """{loan id: principal repaid on or before `day`}, withdrawn repayments left out. One query a 5,000 loans."""
    ids = sorted(set(loan_ids))
    found: dict[int, int] = {}
    for start in range(0, len(ids), 5_000):
        rows = (
            Repayment.objects.filter(
                loan_id__in=ids[start : start + 5_000], paid_on__lte=day, reversal__isnull=True
            )
            .values_list("loan_id")
            .annotate(total=Sum("principal"))
            .order_by()
        )
        found.update({loan_id: int(total) for loan_id, total in rows})
    return found


def position(loan: Loan, day: date, repaid: int) -> Position:
    if loan.disbursed_on > day:
        return Position(0, 0)
    outstanding = max(loan.amount - repaid, 0)
    return Position(outstanding, outstanding if day > loan.matures_on else 0)


def live_loans(commune_ids: Iterable[int]) -> QuerySet[Loan]:
    """Loans of the communes that are not cancelled."""
    return Loan.objects.filter(commune_id__in=sorted(set(commune_ids)), cancellation__isnull=True)


def loan_position_on(loan: Loan, day: date) -> Position:
    """The loan's position on `day` (a cancelled loan has none)."""
    if Loan.objects.filter(pk=loan.pk, cancellation__isnull=False).exists():
        return Position(0, 0)
    return position(loan, day, repaid_by([loan.pk], day).get(loan.pk, 0))


# The summary ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    disbursed: int = 0  # đồng lent in the window
    loans: int = 0  # loans (lượt hộ vay) in the window
    households: int = 0  # households with an outstanding balance on as_of
    outstanding: int = 0  # đồng on as_of
    overdue: int = 0  # đồng on as_of

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.disbursed + other.disbursed, self.loans + other.loans, self.households + other.households,
            self.outstanding + other.outstanding, self.overdue + other.overdue,
        )  # fmt: skip


@dataclass(frozen=True)
class Cell:
    """One commune and programme: its figures and where they come from."""

    commune_id: int
    programme: str  # Programme.code
    source: str  # BANK or LOANS
    figures: Figures
    both: bool  # per-household loans exist too (BANK) — the bank's figures are used
    bank_as_of: date | None = None  # the day of the bank's stocks (BANK)


@dataclass(frozen=True)
class ProgrammeLine:
    programme: str
    name: str
    figures: Figures
    source: str  # BANK, LOANS, MIXED or NONE
    verified: bool  # the programme's terms in force at `end` are verified


@dataclass(frozen=True)
class CreditSummary:
    area_id: int
    year: int
    start: date
    end: date  # the last day of the flows: min(as_of, 31/12)
    as_of: date  # the day of the stocks
    lines: tuple[ProgrammeLine, ...]
    total: Figures
    source: str
    cells: tuple[Cell, ...] = field(repr=False)
    commune_ids: frozenset[int] = field(repr=False, default=frozenset())

    def line(self, programme: str) -> ProgrammeLine | None:
        return next((line for line in self.lines if line.programme == programme), None)


def _combined(sources: Iterable[str]) -> str:
    found = set(sources)
    if not found:
        return NONE
    return found.pop() if len(found) == 1 else MIXED


def active_bank_figures() -> QuerySet[BankFigure]:
    return BankFigure.objects.filter(batch__withdrawal__isnull=True)


def credit_summary(area: AdminUnit, year: int, as_of: date | None = None) -> CreditSummary:
    """The credit figures of `area` for `year` (module docstring for the rule)."""
    start, year_end = date(year, 1, 1), date(year, 12, 31)
    as_of = as_of or year_end
    if as_of < start:
        raise ValueError(f"as_of {as_of} is before the year {year}")
    end = min(as_of, year_end)
    communes = commune_ids_within(area)
    bank = _bank_cells(communes, start, end, as_of)
    loans = _loan_cells(communes, start, end, as_of)
    cells: list[Cell] = []
    for key in sorted(set(bank) | set(loans)):
        if key in bank:
            cells.append(replace(bank[key], both=key in loans))
        else:
            cells.append(loans[key])
    programmes = list(Programme.objects.prefetch_related("terms").order_by("order", "code"))
    by_programme: dict[str, list[Cell]] = defaultdict(list)
    for cell in cells:
        by_programme[cell.programme].append(cell)
    lines = []
    for programme in programmes:
        own = by_programme.get(programme.code, [])
        if not own and not programme.active:
            continue
        terms = [t for t in programme.terms.all() if t.covers(end)]
        lines.append(
            ProgrammeLine(
                programme=programme.code, name=str(programme.name),
                figures=sum((c.figures for c in own), Figures()), source=_combined(c.source for c in own),
                verified=bool(terms) and all(t.verified for t in terms),
            )
        )  # fmt: skip
    return CreditSummary(
        area_id=area.pk, year=year, start=start, end=end, as_of=as_of, lines=tuple(lines),
        total=sum((c.figures for c in cells), Figures()), source=_combined(c.source for c in cells),
        cells=tuple(cells), commune_ids=frozenset(communes),
    )  # fmt: skip


def _bank_cells(communes: set[int], start: date, end: date, as_of: date) -> dict[tuple[int, str], Cell]:
    rows = (
        active_bank_figures()
        .filter(commune_id__in=sorted(communes), period_end__gte=start, period_end__lte=as_of)
        .order_by("period_end", "id")
        .values_list(
            "commune_id", "programme__code", "period_start", "period_end", "disbursed", "loan_count",
            "borrower_households", "outstanding", "overdue",
        )
    )  # fmt: skip
    flows: dict[tuple[int, str], tuple[int, int]] = defaultdict(lambda: (0, 0))
    stocks: dict[tuple[int, str], tuple[date, int, int, int]] = {}
    for commune, code, first, last, disbursed, count, households, outstanding, overdue in rows:
        key = (commune, code)
        if first >= start and last <= end:
            total, loans = flows[key]
            flows[key] = (total + disbursed, loans + count)
        stocks[key] = (last, households, outstanding, overdue)  # ordered by period_end: the latest wins
    cells = {}
    for key, (day, households, outstanding, overdue) in stocks.items():
        disbursed, count = flows.get(key, (0, 0))
        figures = Figures(disbursed, count, households, outstanding, overdue)
        cells[key] = Cell(key[0], key[1], BANK, figures, both=False, bank_as_of=day)
    return cells


def _loan_cells(communes: set[int], start: date, end: date, as_of: date) -> dict[tuple[int, str], Cell]:
    loans = list(
        live_loans(communes)
        .filter(disbursed_on__lte=as_of)
        .values_list(
            "pk", "commune_id", "programme__code", "household_id", "amount", "disbursed_on", "matures_on"
        )
    )
    repaid = repaid_by((row[0] for row in loans), as_of)
    sums: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    households: dict[tuple[int, str], set[int]] = defaultdict(set)
    for pk, commune, code, household, amount, disbursed_on, matures_on in loans:
        key = (commune, code)
        values = sums[key]
        if start <= disbursed_on <= end:
            values[0] += amount
            values[1] += 1
        outstanding = max(amount - repaid.get(pk, 0), 0)
        values[2] += outstanding
        if as_of > matures_on:
            values[3] += outstanding
        if outstanding > 0:
            households[key].add(household)
    cells = {}
    for key, (disbursed, count, outstanding, overdue) in sums.items():
        if not (disbursed or count or outstanding):
            continue  # repaid before the year: nothing of it is in the year's figures
        figures = Figures(disbursed, count, len(households[key]), outstanding, overdue)
        cells[key] = Cell(key[0], key[1], LOANS, figures, both=False)
    return cells


@dataclass(frozen=True)
class RowsBehind:
    loans: QuerySet[Loan]
    bank_figures: QuerySet[BankFigure]


def rows_behind(summary: CreditSummary, *, programme: str | None = None, commune_id: int | None = None,
                include_unused: bool = False) -> RowsBehind:  # fmt: skip
    """The loans and the bank's rows behind a figure of `summary`: of one programme's line (or all), of one commune
    (or all). Only the source each cell used, unless `include_unused` (then also the loans a bank cell set aside)."""
    loan_cells: set[tuple[int, str]] = set()
    bank_cells: set[tuple[int, str]] = set()
    for cell in summary.cells:
        if (programme is not None and cell.programme != programme) or (
            commune_id is not None and cell.commune_id != commune_id
        ):
            continue
        if cell.source == BANK:
            bank_cells.add((cell.commune_id, cell.programme))
            if include_unused and cell.both:
                loan_cells.add((cell.commune_id, cell.programme))
        else:
            loan_cells.add((cell.commune_id, cell.programme))
    loan_ids = [
        pk
        for pk, commune, code in live_loans({c for c, _p in loan_cells})
        .filter(disbursed_on__lte=summary.as_of)
        .values_list("pk", "commune_id", "programme__code")
        if (commune, code) in loan_cells
    ]
    repaid = repaid_by(loan_ids, summary.as_of)
    amounts = dict(Loan.objects.filter(pk__in=loan_ids).values_list("pk", "amount"))
    disbursed_in = set(
        Loan.objects.filter(pk__in=loan_ids, disbursed_on__gte=summary.start, disbursed_on__lte=summary.end)
        .values_list("pk", flat=True)
    )  # fmt: skip
    counted = [pk for pk in loan_ids if pk in disbursed_in or amounts[pk] - repaid.get(pk, 0) > 0]
    bank_ids = [
        pk
        for pk, commune, code in active_bank_figures()
        .filter(
            commune_id__in=sorted({c for c, _p in bank_cells}),
            period_end__gte=summary.start, period_end__lte=summary.as_of,
        )
        .values_list("pk", "commune_id", "programme__code")
        if (commune, code) in bank_cells
    ]  # fmt: skip
    return RowsBehind(
        loans=Loan.objects.filter(pk__in=counted).select_related("household", "programme", "commune")
        .order_by("commune__code", "programme__order", "disbursed_on", "id"),
        bank_figures=BankFigure.objects.filter(pk__in=bank_ids).select_related("commune", "programme", "batch")
        .order_by("commune__code", "programme__order", "period_end", "id"),
    )  # fmt: skip


def source_label(source: str) -> str:
    return {
        BANK: _("Số liệu ngân hàng"),
        LOANS: _("Khoản vay ghi theo hộ"),
        MIXED: _("Kết hợp: số liệu ngân hàng và khoản vay ghi theo hộ"),
        NONE: _("Chưa có số liệu"),
    }[source]


# Listed households without a loan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EligibleHousehold:
    household_id: int
    code: str
    head_name: str
    status: str  # PovertyClass value: "ngheo" or "can_ngheo"
    commune_id: int
    village_id: int | None


def eligible_without_loan(area: AdminUnit, on: date, *, near_poor: bool = True) -> list[EligibleHousehold]:
    """The households of `area` on the poor list (and, with `near_poor`, the near-poor list) in force on `on` that
    have no loan with an outstanding balance that day, in any programme — the target "every eligible poor household
    that needs a loan gets one". Ordered by status (poor first), then household code."""
    communes = commune_ids_within(area)
    listed = [item for item in listed_households(communes, on) if near_poor or item.status == "ngheo"]
    ids = [item.household for item in listed]
    with_balance: set[int] = set()
    loans = list(
        Loan.objects.filter(
            household_id__in=ids, cancellation__isnull=True, disbursed_on__lte=on
        ).values_list("pk", "household_id", "amount")
    )
    repaid = repaid_by((pk for pk, _h, _a in loans), on)
    for pk, household, amount in loans:
        if amount - repaid.get(pk, 0) > 0:
            with_balance.add(household)
    wanted = [item for item in listed if item.household not in with_balance]
    households = Household.objects.in_bulk([item.household for item in wanted])
    heads = dict(
        Person.objects.filter(pk__in=[h.head_id for h in households.values() if h.head_id]).values_list(
            "pk", "full_name"
        )
    )
    found = [
        EligibleHousehold(
            household_id=item.household, code=households[item.household].code,
            head_name=heads.get(households[item.household].head_id or 0, ""), status=item.status,
            commune_id=item.commune, village_id=item.village,
        )
        for item in wanted
    ]  # fmt: skip
    return sorted(found, key=lambda h: (h.status != "ngheo", h.code))
