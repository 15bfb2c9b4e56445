"""The demo district as a plan: plain data, built by the pure planner and written to the database by the builder.

Nothing here imports Django. A plan is deterministic for a seed; `Plan.checksum()` is the SHA-256 of its canonical
JSON form, so two runs with the same seed can be compared without touching a database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# Person attributes that the engine reads (through giamngheo.engine.facts.MemberFacts) and the builder writes.
PERSON_FACT_FIELDS = (
    "disabled",
    "receives_social_allowance",
    "has_health_insurance",
    "in_education",
    "school_level",
    "education_level",
    "vocational_level",
    "work_status",
    "has_labour_contract",
    "able_to_work",
    "malnourished",
    "on_the_job_training_certified",
)
LIVING_FIELDS = (
    "wall_material",
    "pillar_material",
    "roof_material",
    "floor_area_m2",
    "water_source",
    "latrine_type",
    "uses_internet",
    "has_phone",
    "has_tv",
    "has_radio",
    "has_computer",
    "has_smartphone",
    "waste_collected",
)


class PlanError(RuntimeError):
    """The plan cannot meet its targets (a bug in the generator, or targets the population cannot produce)."""


@dataclass
class VillagePlan:
    commune: str
    local_code: str
    name: str
    kind: str


@dataclass
class PersonPlan:
    key: str
    full_name: str
    sex: str
    birth_date: date
    ethnicity: str  # code in list A
    citizen_id: str | None = None
    has_meritorious_service: bool = False
    disabled: bool = False
    receives_social_allowance: bool = False
    has_health_insurance: bool = True
    in_education: bool = False
    school_level: str | None = None  # the level attended now; only while in school or training
    education_level: str = "none"  # highest general education completed
    vocational_level: str = "none"  # highest vocational qualification (sơ cấp, trung cấp, cao đẳng)
    work_status: str = "not_in_labour_force"
    has_labour_contract: bool = False
    able_to_work: bool = True
    malnourished: bool | None = None
    on_the_job_training_certified: bool = False
    date_of_death: date | None = None

    def facts(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in PERSON_FACT_FIELDS}


@dataclass
class MembershipPlan:
    person: str
    relationship: str
    start_date: date
    end_date: date | None = None
    end_reason: str = ""

    def current_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date > day)


@dataclass
class LivingPlan:
    recorded_on: date
    wall_material: str
    pillar_material: str
    roof_material: str
    floor_area_m2: int
    water_source: str
    latrine_type: str
    uses_internet: bool
    has_phone: bool
    has_tv: bool
    has_radio: bool
    has_computer: bool
    has_smartphone: bool
    # Asked from the end-2026 review on (NĐ 351/2025's waste indicator); None = not recorded before then.
    waste_collected: bool | None = None

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in LIVING_FIELDS}


@dataclass
class HouseholdPlan:
    code: str
    commune: str  # old commune code (valid before 1 July 2025)
    village: str  # the village's local code within the commune
    area_type: str
    address: str
    is_agri: bool
    registered_on: date
    head: str
    memberships: list[MembershipPlan] = field(default_factory=list)
    living: list[LivingPlan] = field(default_factory=list)
    split_from: str | None = None
    closed_on: date | None = None
    closed_reason: str = ""
    merged_into: str | None = None
    welfare: float = 0.0  # the generator's latent living standard (not stored in the database)

    def members_on(self, day: date) -> list[MembershipPlan]:
        return [m for m in self.memberships if m.current_on(day)]

    def living_on(self, day: date) -> LivingPlan:
        return max((lc for lc in self.living if lc.recorded_on <= day), key=lambda lc: lc.recorded_on)

    def active_on(self, day: date) -> bool:
        return self.registered_on <= day and (self.closed_on is None or self.closed_on > day)


@dataclass
class EventPlan:
    """One registry change between the reviews, applied through the registry services in date order.

    kind: member_update (person, changes), member_add (person, relationship), member_leave (person, reason),
    living_conditions (living), household_split (new household code, persons moving), household_register
    (a household moving in), household_close (reason, merged_into).
    """

    on: date
    kind: str
    household: str
    person: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass
class AssessmentPlan:
    household: str
    assessed_on: date
    income_per_capita: int
    entered: dict[str, bool]
    causes: tuple[int, ...]
    expected_class: str
    expected_deprivations: tuple[str, ...]
    conflict: str | None = None  # the indicator entered against the facts on purpose, if any


@dataclass
class ReviewPlan:
    year: int
    reference_date: date
    lists_effective_year: int
    standard_code: str
    name: str
    kind: str = "periodic"  # or "regular" (the monthly review)
    area: str = ""  # the code of the unit reviewed (valid on the reference date) ...
    area_level: str = "district"  # ... and its level
    assessments: list[AssessmentPlan] = field(default_factory=list)
    # Households whose carried-forward income was moved across the poverty line to meet the targets (2026).
    moved_across_line: int = 0


@dataclass
class Plan:
    seed: int
    district: str
    persons: dict[str, PersonPlan]  # attributes as of the first review; events change them afterwards
    households: dict[str, HouseholdPlan]  # registered before the first review
    reviews: list[ReviewPlan]
    events: list[EventPlan]  # after the first review, in date order
    new_households: dict[str, HouseholdPlan] = field(default_factory=dict)  # created by events
    # Born or moved in, created by events, with their attributes as of the next review.
    new_persons: dict[str, PersonPlan] = field(default_factory=dict)
    villages: list[VillagePlan] = field(default_factory=list)
    today: date | None = None  # the day the plan was made for (it decides the end-2026 review's days), if any

    def checksum(self) -> str:
        """SHA-256 over the `repr` of every item of the plan in order (dataclass reprs list every field; dates,
        ints, strings and floats have exact, stable reprs)."""
        digest = hashlib.sha256(f"{self.seed}|{self.district}|{self.today}".encode())
        parts = (self.villages, self.persons, self.households, self.reviews, self.events, self.new_households,
                 self.new_persons)  # fmt: skip
        for part in parts:
            for item in part.values() if isinstance(part, dict) else part:
                digest.update(repr(item).encode("utf-8"))
        return digest.hexdigest()
