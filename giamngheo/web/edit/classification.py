"""Live classification: the engine run on the household's registry facts, with or without a form's changes.

"Current" means: the household's facts today (`registry.facts.household_facts`: today's members and the latest
living-conditions record), the income per person and the entered flags of the household's latest assessment,
and the standard in force today. Nothing here writes: a form's changes are applied to the facts in memory
only.

With the household's memberships (persons selected) and living conditions prefetched, nothing here queries the
database (`household_facts` reads the prefetched rows).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from giamngheo.engine.classify import Classification
from giamngheo.engine.facts import AreaType, HouseholdFacts
from giamngheo.engine.low_income import LowIncomeFinding, low_income_workers
from giamngheo.engine.standard import Standard, StandardError, get_standard, standard_in_force
from giamngheo.registry.facts import household_facts, living_conditions_facts, member_facts
from giamngheo.registry.models import Household, LivingConditions, Person
from giamngheo.registry.validation import LIVING_CONDITIONS_FIELDS
from giamngheo.reviews.explanations import explain_live, indicator_name
from giamngheo.reviews.models import Assessment, PovertyClass
from giamngheo.reviews.services import RerecordPlan, entered_flags, rerecord_standard


@dataclass(frozen=True)
class Basis:
    """What a classification is computed from, besides the registry facts."""

    standard: Standard
    on: date
    income: int | None  # None: no assessment yet, so no income to classify with
    entered: Mapping[str, bool] = field(default_factory=dict)
    latest: Assessment | None = None


def current_basis(latest: Assessment | None, today: date) -> Basis:
    """Today, the standard in force today (else the latest assessment's), the latest assessment's income."""
    try:
        standard = standard_in_force(today)
    except StandardError:
        if latest is None:
            raise
        standard = get_standard(latest.standard_id)
    if latest is None:
        return Basis(standard=standard, on=today, income=None)
    return Basis(
        standard=standard,
        on=today,
        income=latest.income_per_capita,
        entered=entered_flags(latest),
        latest=latest,
    )


@dataclass(frozen=True)
class Outcome:
    """A classification as the page shows it."""

    result: Classification
    basis: Basis
    needed: tuple[tuple[str, str], ...] = ()  # (indicator, answers still needed) for the undecided indicators
    low_income: LowIncomeFinding | None = None  # NĐ 30/2025 low-income workers, where the standard sets them
    low_income_workers: tuple[str, ...] = ()  # their names
    low_income_undecided: tuple[str, ...] = ()  # members whose working age or ability to work is not recorded

    @property
    def has_income(self) -> bool:
        return self.basis.income is not None

    @property
    def poverty_class(self) -> str:
        return str(self.result.poverty_class)

    @property
    def class_label(self) -> str:
        return str(PovertyClass(self.poverty_class).label)

    @property
    def deprived_names(self) -> list[str]:
        return [indicator_name(outcome.code) for outcome in self.result.outcomes if outcome.deprived]

    @property
    def could_change(self) -> bool:
        """Undecided indicators could change the class (with an income to classify)."""
        return self.has_income and not self.result.settled

    @property
    def possible_label(self) -> str:
        possible = self.result.possible_class
        return str(PovertyClass(possible.value).label) if possible is not None else ""

    def same_as(self, other: Outcome) -> bool:
        """Same class, deprivations and reasons (the explanation names the income line that applies)."""
        return (
            self.poverty_class == other.poverty_class
            and self.result.deprivation_mask == other.result.deprivation_mask
            and self.result.explanation == other.result.explanation
            and self.has_income == other.has_income
        )


@dataclass
class FactChanges:
    """A form's changes, applied to the facts in memory (`facts_with`)."""

    persons: dict[int, Mapping[str, Any]] = field(default_factory=dict)  # person id -> new attribute values
    new_persons: list[tuple[Person, date]] = field(default_factory=list)  # (unsaved person, date of joining)
    leaving: dict[int, date] = field(default_factory=dict)  # person id -> date of leaving
    living_conditions: Mapping[str, Any] | None = None  # a new record's values, with recorded_on
    area_type: str | None = None
    is_agri: bool | None = None


def _current_persons(household: Household, on: date, changes: FactChanges) -> list[Person]:
    persons = []
    memberships = sorted(household.memberships.all(), key=lambda m: (m.start_date, m.pk))
    for membership in memberships:
        if not membership.is_current_on(on):
            continue
        leaves = changes.leaving.get(membership.person_id)
        if leaves is not None and leaves <= on:
            continue
        person = membership.person
        if membership.person_id in changes.persons:
            person = copy.copy(person)
            for name, value in changes.persons[membership.person_id].items():
                setattr(person, name, value)
        persons.append(person)
    persons.extend(person for person, start in changes.new_persons if start <= on)
    return [person for person in persons if person.is_alive_on(on)]


def _latest_record_date(household: Household, on: date) -> date | None:
    dates = [r.recorded_on for r in household.living_conditions.all() if r.recorded_on <= on]
    return max(dates, default=None)


def facts_with(household: Household, basis: Basis, changes: FactChanges | None = None) -> HouseholdFacts:
    """The household's facts on `basis.on`, with `changes` applied."""
    changes = changes or FactChanges()
    facts = household_facts(
        household, on=basis.on, income_per_capita=basis.income or 0, entered=dict(basis.entered)
    )
    # The members again, person by person, so that a form's change to one person can be applied.
    members = tuple(
        member_facts(person, basis.on) for person in _current_persons(household, basis.on, changes)
    )
    facts = replace(facts, members=members)
    record = changes.living_conditions
    if (
        record is not None
        and isinstance(record.get("recorded_on"), date)
        and record["recorded_on"] <= basis.on
    ):
        latest = _latest_record_date(household, basis.on)
        if latest is None or record["recorded_on"] >= latest:
            values = {name: record.get(name) for name in LIVING_CONDITIONS_FIELDS}
            values["recorded_on"] = record["recorded_on"]
            facts = replace(facts, **living_conditions_facts(values))
    if changes.area_type in {area.value for area in AreaType}:
        facts = replace(facts, area_type=AreaType(changes.area_type))
    if changes.is_agri is not None:
        facts = replace(facts, is_agri=changes.is_agri)
    return facts


def classify(household: Household, basis: Basis, changes: FactChanges | None = None) -> Outcome:
    facts = facts_with(household, basis, changes)
    explained = explain_live(basis.standard, facts)
    result = explained.result
    assert result is not None
    finding = None
    if basis.income is not None:
        finding = low_income_workers(basis.standard, facts, result.poverty_class, basis.on)
        if not finding.household:
            finding = None

    def names(indexes: tuple[int, ...]) -> tuple[str, ...]:
        return tuple(facts.members[i].name or "" for i in indexes)

    return Outcome(
        result=result,
        basis=basis,
        needed=explained.needed,
        low_income=finding,
        low_income_workers=names(finding.workers) if finding else (),
        low_income_undecided=names(finding.undecided) if finding else (),
    )


def rerecord_outcome(household: Household, plan: RerecordPlan) -> Outcome:
    """What re-recording the household with today's registry would give (`reviews.services.rerecord_plan`): the
    target round's standard (for a regular round still to open, the one it would take), the plan's date, the
    latest assessment's income and entered flags, the facts as the registry holds them now."""
    basis = Basis(
        standard=rerecord_standard(plan),
        on=plan.on,
        income=plan.latest.income_per_capita,
        entered=entered_flags(plan.latest),
        latest=plan.latest,
    )
    return classify(household, basis)


def stored_matches(latest: Assessment, outcome: Outcome) -> bool:
    return (
        latest.poverty_class == outcome.poverty_class
        and latest.deprivation_mask == outcome.result.deprivation_mask
        and latest.standard_id == outcome.result.standard_id
    )


def living_record_values(record: LivingConditions | None) -> dict[str, Any]:
    if record is None:
        return {}
    return {name: getattr(record, name) for name in LIVING_CONDITIONS_FIELDS}
