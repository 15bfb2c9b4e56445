"""Reading the ledger: a household's entries and cases, and the year's figures of an area for the year-end summary
(domain.md §4.5 item 3: households supported, trainees, jobs, houses built or repaired; item 2: funding by source).

An area's figures are those of the entries in force whose household lived in one of its communes on the day
(`areas.selectors.commune_ids_within`): a province sums its communes, a new commune takes in the legacy communes
that map into it, a legacy district its legacy communes. Every figure carries the ids of the rows behind it, so a
report can list them and a test can add them up again.

These functions never decide who may read what: callers pass an area the account may read
(`accounts.access.unit_communes_for_stats`) or a household it holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from giamngheo.areas.models import AdminUnit
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.registry.models import Household
from giamngheo.support.models import (
    HOUSING_ORDER,
    HousingCase,
    HousingStage,
    HousingStep,
    HousingWork,
    SupportEvent,
    SupportKind,
)


@dataclass(frozen=True)
class Funding:
    """Amounts in whole đồng by source of funds."""

    state_budget: int = 0
    bank_loan: int = 0
    mobilised: int = 0

    @property
    def total(self) -> int:
        return self.state_budget + self.bank_loan + self.mobilised

    def __add__(self, other: Funding) -> Funding:
        return Funding(
            self.state_budget + other.state_budget,
            self.bank_loan + other.bank_loan,
            self.mobilised + other.mobilised,
        )

    @classmethod
    def of(cls, rows: Iterable[Any]) -> Funding:
        """The sum over rows with `state_budget`, `bank_loan` and `mobilised` attributes."""
        total = cls()
        for row in rows:
            total = total + cls(row.state_budget, row.bank_loan, row.mobilised)
        return total

    def as_json(self) -> dict[str, int]:
        return {
            "state_budget": self.state_budget, "bank_loan": self.bank_loan, "mobilised": self.mobilised,
            "total": self.total,
        }  # fmt: skip


@dataclass(frozen=True)
class KindFigures:
    """One kind of support in the year: entries, households and named members reached, amounts."""

    code: str
    name: str
    events: int
    households: int
    persons: int  # distinct members named on the entries (an entry for the whole household names no one)
    funding: Funding
    event_ids: tuple[int, ...] = field(repr=False)

    def rows(self) -> QuerySet[SupportEvent]:
        """The entries behind the figures."""
        return SupportEvent.objects.filter(pk__in=self.event_ids).order_by("occurred_on", "id")


@dataclass(frozen=True)
class HousingFigures:
    """The houses of one kind of work that reached one step in the year, with the funding of their cases."""

    stage: str
    work: str
    houses: int
    funding: Funding
    case_ids: tuple[int, ...] = field(repr=False)

    def rows(self) -> QuerySet[HousingCase]:
        """The housing cases behind the figures."""
        return HousingCase.objects.filter(pk__in=self.case_ids).order_by("id")


@dataclass(frozen=True)
class SupportSummary:
    area_id: int
    year: int
    kinds: tuple[KindFigures, ...]
    housing: tuple[HousingFigures, ...]  # every (stage, work) pair, in `HOUSING_ORDER` then new build, repair
    funding: Funding  # all entries of the year
    households: int  # distinct households reached by any entry
    event_ids: tuple[int, ...] = field(repr=False)

    def kind(self, code: str) -> KindFigures:
        return next(figures for figures in self.kinds if figures.code == code)

    def houses(self, stage: str, work: str | None = None) -> HousingFigures:
        """The figures of a step for one kind of work, or for both (`work` None)."""
        chosen = [h for h in self.housing if h.stage == stage and (work is None or h.work == work)]
        ids = tuple(sorted(i for h in chosen for i in h.case_ids))
        funding = Funding()
        for h in chosen:
            funding = funding + h.funding
        return HousingFigures(stage, work or "", len(ids), funding, ids)

    def rows(self) -> QuerySet[SupportEvent]:
        return SupportEvent.objects.filter(pk__in=self.event_ids).order_by("occurred_on", "id")

    def as_json(self) -> dict[str, Any]:
        return {
            "area_id": self.area_id,
            "year": self.year,
            "households": self.households,
            "events": len(self.event_ids),
            "funding": self.funding.as_json(),
            "kinds": [
                {"code": k.code, "name": k.name, "events": k.events, "households": k.households,
                 "persons": k.persons, "funding": k.funding.as_json()}
                for k in self.kinds
            ],
            "housing": [
                {"stage": h.stage, "work": h.work, "houses": h.houses, "funding": h.funding.as_json()}
                for h in self.housing
            ],
        }  # fmt: skip


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def support_summary(area: AdminUnit, year: int) -> SupportSummary:
    """The support figures of `area` (a commune, legacy district or province, legacy or new) for `year`. A fixed
    number of queries."""
    return summary_of_communes(area.pk, commune_ids_within(area), year)


def summary_of_communes(area_id: int, commune_ids: Iterable[int], year: int) -> SupportSummary:
    """`support_summary` over a set of commune ids already resolved (an account's readable communes)."""
    first, last = _year(year)
    communes = sorted(set(commune_ids))
    events = list(
        SupportEvent.objects.in_force()
        .filter(commune_id__in=communes, occurred_on__gte=first, occurred_on__lte=last)
        .only("id", "kind_id", "household_id", "person_id", "state_budget", "bank_loan", "mobilised")
        .order_by("id")
    )
    kinds = []
    for kind in SupportKind.objects.order_by("order", "code"):
        mine = [e for e in events if e.kind_id == kind.pk]
        kinds.append(
            KindFigures(
                code=kind.code, name=kind.name, events=len(mine), households=len({e.household_id for e in mine}),
                persons=len({e.person_id for e in mine if e.person_id is not None}), funding=Funding.of(mine),
                event_ids=tuple(e.pk for e in mine),
            )
        )  # fmt: skip

    steps = list(
        HousingStep.objects.filter(case__commune_id__in=communes, on__gte=first, on__lte=last).values_list(
            "case_id", "case__work", "stage"
        )
    )
    funding_of = {
        e.housing_case_id: Funding(e.state_budget, e.bank_loan, e.mobilised)
        for e in SupportEvent.objects.in_force()
        .filter(housing_case_id__in=sorted({row[0] for row in steps}))
        .only("housing_case_id", "state_budget", "bank_loan", "mobilised")
    }
    housing = []
    for stage in HOUSING_ORDER:
        for work in HousingWork.values:
            ids = tuple(sorted(c for c, w, s in steps if s == stage and w == work and c in funding_of))
            total = Funding()
            for case_id in ids:
                total = total + funding_of[case_id]
            housing.append(HousingFigures(stage, work, len(ids), total, ids))
    return SupportSummary(
        area_id=area_id, year=year, kinds=tuple(kinds), housing=tuple(housing), funding=Funding.of(events),
        households=len({e.household_id for e in events}), event_ids=tuple(e.pk for e in events),
    )  # fmt: skip


def household_events(household: Household) -> list[SupportEvent]:
    """Every entry of the household, newest first, with what replaced or withdrew it."""
    return list(
        SupportEvent.objects.filter(household=household)
        .select_related("kind", "person", "rule", "corrects", "correction", "cancellation", "housing_case")
        .order_by("-occurred_on", "-id")
    )


def household_cases(household: Household) -> list[HousingCase]:
    """The household's housing cases, newest first, with their steps and entries."""
    return list(cases_with_steps(HousingCase.objects.filter(household=household)).order_by("-id"))


def cases_with_steps(cases: QuerySet[HousingCase]) -> QuerySet[HousingCase]:
    return cases.select_related("household", "household__head", "commune", "village").prefetch_related(
        Prefetch("steps", queryset=HousingStep.objects.order_by("on", "id")),
        Prefetch(
            "events",
            queryset=SupportEvent.objects.in_force().select_related("kind"),
            to_attr="events_in_force",
        ),
    )


def case_view(case: HousingCase) -> dict[str, Any]:
    """A prefetched case (`cases_with_steps`) as the pages and the API show it: state, steps, funding."""
    steps = list(case.steps.all())
    in_force = list(getattr(case, "events_in_force", []))
    event = in_force[0] if in_force else None
    stage = steps[-1].stage if steps else None
    following = None
    if event is not None and stage in HOUSING_ORDER and HOUSING_ORDER.index(stage) + 1 < len(HOUSING_ORDER):
        following = HOUSING_ORDER[HOUSING_ORDER.index(stage) + 1]
    return {
        "case": case,
        "steps": steps,
        "event": event,
        "stage": stage,
        "stage_label": HousingStage(stage).label if stage else "",
        "cancelled": event is None,
        "next_stage": following,
        "next_stage_label": HousingStage(following).label if following else "",
        "funding": Funding.of([event]) if event is not None else Funding(),
    }
