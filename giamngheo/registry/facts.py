"""The engine's facts, built from the registry.

On a date `on`, a household's members are its memberships current on that day (joined on or before it, not yet
left) of persons alive on that day (no date of death, or a later one); ages are completed years on that day
(`engine.facts.age_on`). Its living conditions are the latest record made on or before that day. A wall, pillar or
roof is durable when its material is in `registry.models.DURABLE_MATERIALS` (domain.md §1.2, indicator 7).

Three builders share these definitions:
- `household_facts` / `facts_for_households`: `HouseholdFacts` for the scalar engine, two queries per batch of
  households (or none when the memberships and living conditions are prefetched, see `prefetch_for_facts`);
- `frames_for_assessments`: the Polars frames of `engine.batch.classify_frame` for stored assessments, with two
  set-based SQL queries (no query per household).
`facts_to_json` / `facts_from_json` store the snapshot an assessment was classified from (exact round trip).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, NamedTuple

import polars as pl
from django.db import connection
from django.db.models import Prefetch, QuerySet

from giamngheo.engine.facts import (
    HOUSEHOLD_FACT_TYPES,
    MEMBER_FACT_TYPES,
    AreaType,
    HouseholdFacts,
    MemberFacts,
    age_on,
)
from giamngheo.registry.models import DURABLE_MATERIALS, Household, LivingConditions, Membership, Person

_PERSON_COLUMNS = {f.attname for f in Person._meta.concrete_fields}
_LC_COLUMNS = {f.attname for f in LivingConditions._meta.concrete_fields}
# Member facts read straight from a Person field of the same name (age is computed; a fact with no Person field
# keeps its MemberFacts default).
MEMBER_FIELDS_FROM_PERSON: tuple[str, ...] = tuple(
    f.name for f in fields(MemberFacts) if f.name != "age" and f.name in _PERSON_COLUMNS
)
_DURABILITY = {
    "wall_durable": "wall_material",
    "pillar_durable": "pillar_material",
    "roof_durable": "roof_material",
}
# Household facts read straight from a LivingConditions field of the same name.
HOUSEHOLD_FIELDS_FROM_LC: tuple[str, ...] = tuple(
    name for name in HOUSEHOLD_FACT_TYPES if name in _LC_COLUMNS and name not in _DURABILITY
)
_DURABLE_VALUES = frozenset(str(m) for m in DURABLE_MATERIALS)


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
    facts: tuple[Any, ...]  # values of MEMBER_FIELDS_FROM_PERSON

    def counts_on(self, on: date) -> bool:
        return (
            self.start_date <= on
            and (self.end_date is None or self.end_date > on)
            and (self.date_of_death is None or self.date_of_death > on)
        )


_MEMBER_VALUES = ("id", "start_date", "end_date", "person__birth_date", "person__date_of_death",
                  *(f"person__{name}" for name in MEMBER_FIELDS_FROM_PERSON))  # fmt: skip
_LC_VALUES = ("recorded_on", *_DURABILITY.values(), *HOUSEHOLD_FIELDS_FROM_LC)


def _member_from(membership: Membership) -> _Member:
    person = membership.person
    return _Member(membership.pk, membership.start_date, membership.end_date, person.birth_date,
                   person.date_of_death, tuple(getattr(person, name) for name in MEMBER_FIELDS_FROM_PERSON))  # fmt: skip


def member_facts(person: Person, on: date) -> MemberFacts:
    values = {name: getattr(person, name) for name in MEMBER_FIELDS_FROM_PERSON}
    return MemberFacts(age=age_on(person.birth_date, on), **values)


def _durable(material: str | None) -> bool | None:
    return None if material is None else material in _DURABLE_VALUES


def _lc_values(record: LivingConditions) -> dict[str, Any]:
    return {name: getattr(record, name) for name in _LC_VALUES}


def living_conditions_facts(record: Mapping[str, Any] | None) -> dict[str, Any]:
    """Household facts from a living-conditions record (its field values by name), or none."""
    if record is None:
        return {}
    values: dict[str, Any] = {name: _durable(record[column]) for name, column in _DURABILITY.items()}
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
        members=tuple(
            MemberFacts(
                age_on(m.birth_date, on), **dict(zip(MEMBER_FIELDS_FROM_PERSON, m.facts, strict=True))
            )
            for m in current
        ),
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
        for household_id, pk, start_date, end_date, birth, death, *facts in rows:
            members[household_id].append(_Member(pk, start_date, end_date, birth, death, tuple(facts)))
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


# Polars frames for stored assessments --------------------------------------------------------------------------


def _ids_clause(assessments: QuerySet[Any] | Iterable[int]) -> list[tuple[str, list[Any]]]:
    """(SQL condition on a.id, params) pieces: one subquery for a queryset, chunks of ids for a list."""
    if isinstance(assessments, QuerySet):
        sql, params = assessments.values("id").query.sql_with_params()
        return [(f"a.id IN ({sql})", list(params))]
    ids = sorted(set(assessments))
    pieces = []
    for start in range(0, len(ids), 5_000):
        chunk = ids[start : start + 5_000]
        pieces.append((f"a.id IN ({', '.join(['%s'] * len(chunk))})", list(chunk)))
    return pieces


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def frames_for_assessments(
    assessments: QuerySet[Any] | Iterable[int], *, on: date | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(households, members) frames for `classify_frame` for stored assessments (ids or a queryset).

    One households row per assessment, keyed `household_id` = the assessment id (the engine's row key), with
    the assessment's area type, income, farming flag and entered masks, and the living-conditions facts; one
    members row per member. Facts are taken on `on`, or, when `on` is None, on each assessment's `assessed_on`
    (what `assessment_record` uses).
    """
    from giamngheo.reviews.models import Assessment  # reviews depends on registry, not the other way round

    a_table = Assessment._meta.db_table
    lc_table = LivingConditions._meta.db_table
    m_table = Membership._meta.db_table
    p_table = Person._meta.db_table
    reference = "%s" if on is not None else "a.assessed_on"
    ref_params = [on] if on is not None else []
    lc_columns = sorted({*_DURABILITY.values(), *HOUSEHOLD_FIELDS_FROM_LC})
    member_columns = ["birth_date", *MEMBER_FIELDS_FROM_PERSON]

    household_rows: list[tuple[Any, ...]] = []
    member_rows: list[tuple[Any, ...]] = []
    for condition, params in _ids_clause(assessments):
        household_sql = (
            f"SELECT a.id, a.area_type, a.income_per_capita, a.is_agri, a.entered_mask, a.entered_known_mask, "
            f"{', '.join('lc.' + c for c in lc_columns)} "
            f"FROM {a_table} a LEFT JOIN {lc_table} lc ON lc.id = ("
            f"SELECT l2.id FROM {lc_table} l2 WHERE l2.household_id = a.household_id AND l2.recorded_on <= {reference} "
            f"ORDER BY l2.recorded_on DESC, l2.id DESC LIMIT 1) WHERE {condition}"
        )
        household_rows.extend(_fetch(household_sql, [*ref_params, *params]))
        member_sql = (
            f"SELECT a.id, a.assessed_on, {', '.join('p.' + c for c in member_columns)} "
            f"FROM {a_table} a JOIN {m_table} m ON m.household_id = a.household_id "
            f"JOIN {p_table} p ON p.id = m.person_id "
            f"WHERE {condition} AND m.start_date <= {reference} AND (m.end_date IS NULL OR m.end_date > {reference}) "
            f"AND (p.date_of_death IS NULL OR p.date_of_death > {reference})"
        )
        member_rows.extend(_fetch(member_sql, [*params, *ref_params, *ref_params, *ref_params]))
    households = _frame(
        household_rows,
        [
            "household_id",
            "area_type",
            "income_per_capita",
            "is_agri",
            "entered_mask",
            "entered_known_mask",
            *lc_columns,
        ],
    )
    members = _frame(member_rows, ["household_id", "assessed_on", *member_columns])
    return _households_frame(households), _members_frame(members, on)


def _frame(rows: list[tuple[Any, ...]], names: list[str]) -> pl.DataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pl.DataFrame(
        {
            name: pl.Series(name, list(values), strict=False)
            for name, values in zip(names, columns, strict=True)
        }
    )


def _durable_expr(column: str) -> pl.Expr:
    value = pl.col(column).cast(pl.String)
    return pl.when(value.is_null()).then(None).otherwise(value.is_in(sorted(_DURABLE_VALUES)))


def _households_frame(raw: pl.DataFrame) -> pl.DataFrame:
    return raw.select(
        pl.col("household_id").cast(pl.Int64),
        pl.col("area_type").cast(pl.String),
        pl.col("income_per_capita").cast(pl.Int64),
        pl.col("is_agri").cast(pl.Boolean).fill_null(False),
        pl.col("entered_mask").cast(pl.Int64),
        pl.col("entered_known_mask").cast(pl.Int64),
        *[_durable_expr(column).alias(name) for name, column in _DURABILITY.items()],
        *[pl.col(name).cast(HOUSEHOLD_FACT_TYPES[name]) for name in HOUSEHOLD_FIELDS_FROM_LC],
    )


def _members_frame(raw: pl.DataFrame, on: date | None) -> pl.DataFrame:
    """Ages as `age_on`: completed years, one less before the birthday (month*100+day compared)."""
    birth = pl.col("birth_date").cast(pl.Date)
    reference = pl.lit(on, dtype=pl.Date) if on is not None else pl.col("assessed_on").cast(pl.Date)

    def month_day(day: pl.Expr) -> pl.Expr:
        return day.dt.month().cast(pl.Int32) * 100 + day.dt.day().cast(pl.Int32)

    age = (
        reference.dt.year().cast(pl.Int32)
        - birth.dt.year().cast(pl.Int32)
        - (month_day(reference) < month_day(birth)).cast(pl.Int32)
    )
    return raw.select(
        pl.col("household_id").cast(pl.Int64),
        age.alias("age"),
        *[pl.col(name).cast(MEMBER_FACT_TYPES[name]) for name in MEMBER_FIELDS_FROM_PERSON],
    )
