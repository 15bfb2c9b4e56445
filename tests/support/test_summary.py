"""The year-end figures (`support.selectors.support_summary`): per kind, houses by step and work, each with the
rows behind it; areas rolling up (a province sums its communes, a legacy district its legacy communes)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamngheo.areas.selectors import commune_ids_within
from giamngheo.support.models import HousingWork, SupportEvent
from giamngheo.support.selectors import Funding, SupportSummary, support_summary
from giamngheo.support.services import (
    housing_case_open,
    housing_step_record,
    support_event_cancel,
    support_event_correct,
    support_event_record,
)
from tests.support.conftest import Ledger

pytestmark = pytest.mark.django_db


def test_the_figures_of_a_year_and_the_rows_behind_them(ledger: Ledger) -> None:
    district = ledger.personas.units["district"]
    nutrition = ledger.kind("nutrition")
    support_event_record(household=ledger.poor, person=ledger.daughter, kind=nutrition, occurred_on=date(2024, 7, 1),
                         actor=None, state_budget=600_000)  # fmt: skip
    support_event_record(household=ledger.poor, person=ledger.head, kind=nutrition, occurred_on=date(2024, 8, 1),
                         actor=None, state_budget=600_000, mobilised=100_000)  # fmt: skip
    support_event_record(household=ledger.escaped, kind=nutrition, occurred_on=date(2024, 8, 1), actor=None,
                         state_budget=600_000)  # fmt: skip
    wrong = support_event_record(household=ledger.near_poor, kind=nutrition, occurred_on=date(2024, 9, 1),
                                 actor=None, state_budget=9_000_000)  # fmt: skip
    support_event_cancel(event=wrong, reason="Ghi nhầm", actor=None)
    support_event_record(
        household=ledger.poor, kind=nutrition, occurred_on=date(2025, 1, 2), actor=None
    )  # next year
    new = housing_case_open(household=ledger.poor, work="new_build", approved_on=date(2024, 3, 1), actor=None,
                            bank_loan=20_000_000, mobilised=5_000_000)  # fmt: skip
    repair = housing_case_open(
        household=ledger.near_poor, work="repair", approved_on=date(2023, 11, 1), actor=None
    )
    for stage, day in (("building", date(2024, 4, 1)), ("completed", date(2024, 9, 1)),
                       ("handed_over", date(2024, 9, 10))):  # fmt: skip
        housing_step_record(case=new, stage=stage, on=day, actor=None)
    housing_step_record(case=repair, stage="building", on=date(2023, 12, 1), actor=None)
    housing_step_record(case=repair, stage="completed", on=date(2024, 2, 1), actor=None)

    summary = support_summary(district, 2024)
    figures = summary.kind("nutrition")
    assert (figures.events, figures.households, figures.persons) == (3, 2, 2)
    assert figures.funding == Funding(1_800_000, 0, 100_000)
    assert {e.household for e in figures.rows()} == {ledger.poor, ledger.escaped}
    assert summary.kind("housing_new").funding == Funding(40_000_000, 20_000_000, 5_000_000)
    assert summary.kind("housing_repair").events == 0  # approved in 2023

    assert summary.houses("approved").houses == 1 and summary.houses("approved", "repair").houses == 0
    completed = summary.houses("completed")
    assert completed.houses == 2 and set(completed.rows()) == {new, repair}
    assert completed.funding == Funding(60_000_000, 20_000_000, 5_000_000)
    assert summary.houses("handed_over", HousingWork.NEW_BUILD).funding.total == 65_000_000
    assert summary.households == 2 and summary.funding.total == 1_900_000 + 65_000_000
    assert support_summary(district, 2023).houses("approved", "repair").houses == 1
    # The new province of today holds the legacy communes too; a province elsewhere holds nothing.
    assert (
        support_summary(ledger.personas.units["new_province"], 2024).as_json()["kinds"]
        == summary.as_json()["kinds"]
    )
    assert support_summary(ledger.personas.units["far_province"], 2024).funding.total == 0


def _check_adds_up(summary: SupportSummary) -> None:
    """Every figure equals the sum over the rows behind it."""
    for figures in summary.kinds:
        rows = list(figures.rows())
        assert figures.events == len(rows)
        assert figures.households == len({r.household_id for r in rows})
        assert figures.funding == Funding.of(rows)
        assert all(r.kind.code == figures.code and r.occurred_on.year == summary.year for r in rows)
    for houses in summary.housing:
        cases = list(houses.rows())
        entries = [SupportEvent.objects.in_force().get(housing_case=case) for case in cases]
        assert houses.houses == len(cases) and houses.funding == Funding.of(entries)
    assert summary.funding == Funding.of(summary.rows())


def _sum(summaries: list[SupportSummary]) -> dict[str, Any]:
    total: dict[str, Any] = {"funding": Funding(), "kinds": {}, "housing": {}}
    for s in summaries:
        total["funding"] = total["funding"] + s.funding
        for k in s.kinds:
            events, funding = total["kinds"].get(k.code, (0, Funding()))
            total["kinds"][k.code] = (events + k.events, funding + k.funding)
        for h in s.housing:
            houses, funding = total["housing"].get((h.stage, h.work), (0, Funding()))
            total["housing"][(h.stage, h.work)] = (houses + h.houses, funding + h.funding)
    return total


ENTRY = st.tuples(
    st.integers(0, 3),  # household
    st.sampled_from(["information", "production", "nutrition", "education"]),
    st.dates(date(2024, 1, 1), date(2026, 11, 1)),
    st.integers(0, 50_000_000),
    st.integers(0, 50_000_000),
    st.integers(0, 50_000_000),
    st.sampled_from(["keep", "keep", "cancel", "correct"]),
)
HOUSE = st.tuples(st.integers(0, 3), st.sampled_from(["new_build", "repair"]), st.dates(date(2024, 1, 1),
                  date(2026, 6, 1)), st.integers(0, 3))  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(ENTRY, max_size=12), houses=st.lists(HOUSE, max_size=4))
def test_figures_add_up_and_areas_are_the_sum_of_their_communes(
    ledger: Ledger, entries: list[Any], houses: list[Any]
) -> None:
    units = ledger.personas.units
    households = [
        ledger.poor,
        ledger.near_poor,
        ledger.personas.kongchro_household,
        ledger.personas.sro_household,
    ]
    with transaction.atomic():
        for index, kind, day, state, loan, mobilised, fate in entries:
            household = households[index]
            if household.pk in {ledger.personas.kongchro_household.pk, ledger.personas.sro_household.pk}:
                kind = "information"  # no official status: only support for any household
            event = support_event_record(household=household, kind=ledger.kind(kind), occurred_on=day, actor=None,
                                         state_budget=state, bank_loan=loan, mobilised=mobilised)  # fmt: skip
            if fate == "cancel":
                support_event_cancel(event=event, reason="Thử", actor=None)
            elif fate == "correct":
                support_event_correct(event=event, reason="Thử", actor=None, state_budget=state // 2)
        for index, work, day, steps in houses:
            household = households[index % 2]
            try:
                case = housing_case_open(household=household, work=work, approved_on=day, actor=None,
                                         mobilised=index * 1_000_000)  # fmt: skip
            except ValidationError:  # an open case of the same work: the service refuses a second one
                continue
            for offset, stage in enumerate(("building", "completed", "handed_over")[:steps]):
                housing_step_record(case=case, stage=stage, on=day + timedelta(days=offset + 1), actor=None)

        for year in (2024, 2025, 2026):
            province = support_summary(units["new_province"], year)
            communes = [support_summary(u, year) for u in (units["new_commune"], units["new_sro"])]
            district = support_summary(units["district"], year)
            legacy = [
                support_summary(u, year) for u in (units["town"], units["yang_trung"], units["old_sro"])
            ]
            for summary in (province, district, *communes, *legacy):
                _check_adds_up(summary)
            for whole, parts in ((province, communes), (district, legacy)):
                added = _sum(parts)
                assert whole.funding == added["funding"]
                assert {k.code: (k.events, k.funding) for k in whole.kinds} == added["kinds"]
                assert {(h.stage, h.work): (h.houses, h.funding) for h in whole.housing} == added["housing"]
            assert commune_ids_within(units["district"]) == {
                units[n].pk for n in ("town", "yang_trung", "old_sro")
            }
        transaction.set_rollback(True)


def test_the_houses_target_is_computed_from_the_housing_cases(ledger: Ledger) -> None:
    """The targets' houses indicator reads the completed housing cases (`support.computations`); with none
    completed there is no computed figure (an entered one is used), never a 0 that hides it."""
    from giamngheo.goals.computations import Period, computation_for
    from giamngheo.goals.models import Indicator
    from giamngheo.goals.selectors import progress

    district = ledger.personas.units["district"]
    assert Indicator.objects.get(code="houses_supported").obtained == "computed"
    compute = computation_for("houses_supported")
    assert compute is not None
    assert compute(Period(area=district, year=2024)).value is None
    case = housing_case_open(household=ledger.poor, work="repair", approved_on=date(2024, 3, 1), actor=None)
    housing_step_record(case=case, stage="building", on=date(2024, 4, 1), actor=None)
    assert compute(Period(area=district, year=2024)).value is None  # not completed yet
    housing_step_record(case=case, stage="completed", on=date(2024, 6, 1), actor=None)
    assert compute(Period(area=district, year=2024)).value == 1
    assert compute(Period(area=district, year=2024, month=6)).value is None  # counted by year only
    line = next(p for p in progress(district, 2024) if p.indicator.code == "houses_supported")
    assert line.actual is not None and line.actual.value == 1 and line.actual.source == "computed"
