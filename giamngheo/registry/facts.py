"""The engine's facts, built from the registry.

On a date `on`, a household's members are its memberships current on that day (joined on or before it, not yet
left) of persons alive on that day (no date of death, or a later one); what follows from the birth date and the sex
(age in completed years, school age, working age) is computed for that day by `engine.facts.member_facts`. Its living conditions are the latest record made on or before that day. A wall, pillar or
roof is durable when its material is in `registry.models.DURABLE_MATERIALS` (domain.md §1.2, indicator 7).

Three builders share these definitions:
- `household_facts` / `facts_for_households`: `HouseholdFacts` for the scalar engine, two queries per batch of
  households (or none when the memberships and living conditions are prefetched, see `prefetch_for_facts`);
- `reviews.frames.frames_for_assessments`: the Polars frames of `engine.batch.classify_frame` for stored
  assessments, with two set-based SQL queries (no query per household), from the names exported here.
`facts_to_json` / `facts_from_json` store the snapshot an assessment was classified from (exact round trip).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, NamedTuple

from django.db.models import Prefetch, QuerySet

from giamngheo.engine.facts import HOUSEHOLD_FACT_TYPES, AreaType, HouseholdFacts, MemberFacts
from giamngheo.engine.facts import member_facts as engine_member_facts
from giamngheo.registry.models import DURABLE_MATERIALS, Household, LivingConditions, Membership, Person

_PERSON_COLUMNS = {f.attname for f in Person._meta.concrete_fields}
_LC_COLUMNS = {f.attname for f in LivingConditions._meta.concrete_fields}
# Member facts computed from the birth date, the sex and the date (`engine.facts.member_facts`).
COMPUTED_MEMBER_FACTS = frozenset(
    {"age", "birth_year", "school_age", "working_age", "past_working_age", "sex"}
)
# Member facts read straight from a Person field of the same name.
MEMBER_FIELDS_FROM_PERSON: tuple[str, ...] = tuple(
    f.name for f in fields(MemberFacts) if f.name not in COMPUTED_MEMBER_FACTS and f.name in _PERSON_COLUMNS
)
DURABILITY_COLUMNS = {
    "wall_durable": "wall_material",
    "pillar_durable": "pillar_material",
    "roof_durable": "roof_material",
}
# Household facts read straight from a LivingConditions field of the same name.
HOUSEHOLD_FIELDS_FROM_LC: tuple[str, ...] = tuple(
    name for name in HOUSEHOLD_FACT_TYPES if name in _LC_COLUMNS and name not in DURABILITY_COLUMNS
)
DURABLE_VALUES = frozenset(str(m) for m in DURABLE_MATERIALS)


@dataclass(frozen=True)
class FactsRequest:
    """One household to build facts for: as `household_facts` takes them."""

    household: Household
    on: date
    income_per_capita: int
    entered: Mapping[str, bool]
    is_agri: bool | None = None


class _Member(NamedTuple):
    """A membership with the person's facts, as read for the builder (plain tuples: thousands at a time)."""

    id: int
    start_date: date
    end_date: date | None
    birth_date: date | None
    date_of_death: date | None
    sex: str | None
    name: str
    facts: tuple[Any, ...]  # values of MEMBER_FIELDS_FROM_PERSON

    def counts_on(self, on: date) -> bool:
        return (
            self.start_date <= on
            and (self.end_date is None or self.end_date > on)
            and (self.date_of_death is None or self.date_of_death > on)
        )


_MEMBER_VALUES = ("id", "start_date", "end_date", "person__birth_date", "person__date_of_death", "person__sex",
                  "person__full_name", *(f"person__{name}" for name in MEMBER_FIELDS_FROM_PERSON))  # fmt: skip
_LC_VALUES = ("recorded_on", *DURABILITY_COLUMNS.values(), *HOUSEHOLD_FIELDS_FROM_LC)


def _member_from(membership: Membership) -> _Member:
    person = membership.person
    return _Member(membership.pk, membership.start_date, membership.end_date, person.birth_date,
                   person.date_of_death, person.sex, person.full_name,
                   tuple(getattr(person, name) for name in MEMBER_FIELDS_FROM_PERSON))  # fmt: skip


def member_facts(person: Person, on: date) -> MemberFacts:
    """A person's facts on `on` (named, for explanations)."""
    values = {name: getattr(person, name) for name in MEMBER_FIELDS_FROM_PERSON}
    return engine_member_facts(birth_date=person.birth_date, sex=person.sex or None, on=on,
                               name=person.full_name, **values)  # fmt: skip


def _facts_of(member: _Member, on: date) -> MemberFacts:
    values = dict(zip(MEMBER_FIELDS_FROM_PERSON, member.facts, strict=True))
    return engine_member_facts(birth_date=member.birth_date, sex=member.sex or None, on=on, name=member.name,
                               **values)  # fmt: skip


def _durable(material: str | None) -> bool | None:
    return None if material is None else material in DURABLE_VALUES


def _lc_values(record: LivingConditions) -> dict[str, Any]:
    return {name: getattr(record, name) for name in _LC_VALUES}


def living_conditions_facts(record: Mapping[str, Any] | None) -> dict[str, Any]:
    """Household facts from a living-conditions record (its field values by name), or none."""
    if record is None:
        return {}
    values: dict[str, Any] = {name: _durable(record[column]) for name, column in DURABILITY_COLUMNS.items()}
    for name in HOUSEHOLD_FIELDS_FROM_LC:
        values[name] = record[name]
    if values.get("floor_area_m2") is not None:
        values["floor_area_m2"] = float(values["floor_area_m2"])
    return values


def _build(
    request: FactsRequest, members: Iterable[_Member], records: Iterable[Mapping[str, Any]]
) -> HouseholdFacts:
    on = request.on
    current = sorted((m for m in members if m.counts_on(on)), key=lambda m: (m.start_date, m.id))
    earlier = [r for r in records if r["recorded_on"] <= on]
    latest = max(earlier, key=lambda r: r["recorded_on"], default=None)
    household = request.household
    return HouseholdFacts(
        area_type=AreaType(household.area_type),
        income_per_capita=request.income_per_capita,
        is_agri=household.is_agri if request.is_agri is None else request.is_agri,
        members=tuple(_facts_of(m, on) for m in current),
        entered=dict(request.entered),
        **living_conditions_facts(latest),
    )


def prefetch_for_facts(queryset: QuerySet[Household]) -> QuerySet[Household]:
    """Households with what `household_facts` reads prefetched: two queries for the whole queryset."""
    return queryset.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("person")),
        "living_conditions",
    )


def _prefetched(household: Household, name: str) -> list[Any] | None:
    cache = getattr(household, "_prefetched_objects_cache", {})
    return list(cache[name]) if name in cache else None


def facts_for_households(
    requests: Sequence[FactsRequest], *, chunk_size: int = 2_000
) -> list[HouseholdFacts]:
    """`HouseholdFacts` for many households at once, in request order: two queries per `chunk_size` households
    (none for households whose memberships and living conditions are prefetched)."""
    members: dict[int, list[_Member]] = defaultdict(list)
    records: dict[int, list[dict[str, Any]]] = defaultdict(list)
    to_load: list[int] = []
    for request in requests:
        household = request.household
        prefetched_members = _prefetched(household, "memberships")
        prefetched_records = _prefetched(household, "living_conditions")
        if prefetched_members is not None and prefetched_records is not None:
            members[household.pk] = [_member_from(m) for m in prefetched_members]
            records[household.pk] = [_lc_values(r) for r in prefetched_records]
        else:
            to_load.append(household.pk)
    ids = sorted(set(to_load))
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        rows = Membership.objects.filter(household_id__in=chunk).values_list("household_id", *_MEMBER_VALUES)
        for household_id, pk, start_date, end_date, birth, death, sex, name, *facts in rows:
            members[household_id].append(
                _Member(pk, start_date, end_date, birth, death, sex, name, tuple(facts))
            )
        for household_id, *values in LivingConditions.objects.filter(household_id__in=chunk).values_list(
            "household_id", *_LC_VALUES
        ):
            records[household_id].append(dict(zip(_LC_VALUES, values, strict=True)))
    return [_build(r, members[r.household.pk], records[r.household.pk]) for r in requests]


def household_facts(
    household: Household,
    *,
    on: date,
    income_per_capita: int,
    entered: Mapping[str, bool],
    is_agri: bool | None = None,
) -> HouseholdFacts:
    """The facts of one household on `on` (see the module docstring); `is_agri` defaults to the household's."""
    request = FactsRequest(
        household=household, on=on, income_per_capita=income_per_capita, entered=entered, is_agri=is_agri
    )
    return facts_for_households([request])[0]


# JSON snapshot ------------------------------------------------------------------------------------------------

FACTS_JSON_FORMAT = 1


_HOUSEHOLD_FACT_FIELDS = tuple(f.name for f in fields(HouseholdFacts))
_MEMBER_FACT_FIELDS = tuple(f.name for f in fields(MemberFacts))


def facts_to_json(facts: HouseholdFacts) -> dict[str, Any]:
    """A JSON-safe dict of every field of `facts` (members as a list of dicts)."""
    data: dict[str, Any] = {"format": FACTS_JSON_FORMAT}
    for name in _HOUSEHOLD_FACT_FIELDS:
        value = getattr(facts, name)
        if name == "members":
            value = [{field: getattr(member, field) for field in _MEMBER_FACT_FIELDS} for member in value]
        elif name == "area_type":
            value = str(value)
        elif name == "entered":
            value = dict(value)
        data[name] = value
    return data


def facts_from_json(data: Mapping[str, Any]) -> HouseholdFacts:
    """The inverse of `facts_to_json`; keys the current dataclasses do not know are ignored, missing ones take
    their defaults (snapshots written before a fact was added)."""
    member_names = set(_MEMBER_FACT_FIELDS)
    household_names = set(_HOUSEHOLD_FACT_FIELDS)
    values: dict[str, Any] = {k: v for k, v in data.items() if k in household_names}
    values["area_type"] = AreaType(values["area_type"])
    values["members"] = tuple(
        MemberFacts(**{k: v for k, v in member.items() if k in member_names})
        for member in data.get("members", ())
    )
    values["entered"] = dict(data.get("entered", {}))
    return HouseholdFacts(**values)
