"""The deterministic planner of the demo district: who lives where, how they live, what changes in 2023, and
how new Xã Kông Chro's territory goes on through its reviews of 2024 and 2025 to its end-2026 review.

Method (every draw from one `random.Random(seed)`; no global randomness, no clock: the day of the build is given):

1. Households are generated village by village (`population`), each with a latent living standard ("welfare")
   that is lower in remote communes, in Bahnar and Jrai villages and with many dependants.
2. End-2022 classes are set by rank: the `poor` households with the lowest welfare are to be poor, the next
   `near_poor` near-poor, then the `middle` lowest farming households have a middle living standard; the others
   are not poor. The counts are exactly the targets (`giamngheo.demo.targets`).
3. Facts are generated so that the engine finds each household's class (`realize`): an income per person at or
   below the poverty line for poor and near-poor households (above it for the others, and up to the middle line
   for middle-standard farm households) and a set of deprivations with at least the cut-off for poor households
   and fewer for near-poor ones, realised as concrete member and housing facts. Every fact the engine reads is
   recorded (the demo is a fully recorded register). The planner never stores a class in the registry: it only
   records the class it expects, and the builder checks the engine's result against it.
4. 2023: registry events (households splitting, moving in, closing; births, deaths, people leaving; elderly people
   reaching 80 and receiving the social allowance; the new school year in September), then each household's
   welfare moves (growth, programme support for poor households, shocks), classes are set by rank again with the
   end-2023 targets, and the facts are changed through dated events (a health-insurance card issued, a latrine
   built, a job lost, ...) so that the history shows why a class changed.
5. With the day of the build on or after the end-2026 review's survey weeks begin (`later_config`): 2024-2026 in
   the former communes of new Xã Kông Chro (the same kinds of events, year by year), each year followed by the
   territory's periodic review: 2024 (the former district's, in those communes only) and 2025 (new Xã Kông
   Chro's) under NĐ 07/2021, 2026 under NĐ 351/2025. Each carries incomes forward from the household's last
   assessment and sets classes by rank of that income against the standard's lines and of the households'
   deprivations (in 2026 under the new 12 indicators, waste collection asked for the first time); facts are
   changed through dated events as in 2023. Nothing is dated after the day of the build; of the later years only
   the end-2026 review's survey days depend on it. Steps 1-4 do not depend on that day: they draw first.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from giamngheo.demo import names, targets
from giamngheo.demo.life import LifeEvents, age_of, day_between
from giamngheo.demo.plan import (
    AssessmentPlan,
    EventPlan,
    HouseholdPlan,
    LivingPlan,
    PersonPlan,
    Plan,
    PlanError,
    ReviewPlan,
    VillagePlan,
)
from giamngheo.demo.population import (
    INDIGENOUS,
    URBAN,
    CommuneSpec,
    Registry,
    VillageSpec,
    apportion,
    load_communes,
    make_household,
)
from giamngheo.demo.realize import (
    DURABLE_MATERIALS,
    INITIAL,
    UPDATE,
    WEIGHTS_FIX,
    WEIGHTS_OTHER,
    WEIGHTS_RURAL_INDIGENOUS,
    WEIGHTS_SHOCK,
    RealizeError,
    Rules,
    Scene,
    living_values,
    weighted_sample,
)
from giamngheo.demo.targets import ReviewTarget
from giamngheo.engine.classify import classify_household, classify_income
from giamngheo.engine.facts import AreaType, HouseholdFacts, MemberFacts, PovertyClass
from giamngheo.engine.standard import Standard, get_standard
from giamngheo.lib.formatting import percent

DEFAULT_SEED = 630

POOR = PovertyClass.POOR.value
NEAR_POOR = PovertyClass.NEAR_POOR.value
MIDDLE = PovertyClass.MIDDLE.value
NOT_POOR = PovertyClass.NOT_POOR.value

_ETHNIC_EFFECT = {names.KINH: 0.75, names.BA_NA: 0.0, names.JRAI: -0.1, names.MUONG: 0.35, names.TAY: 0.35,
                  names.DAO: 0.2, names.NUNG: 0.3}  # fmt: skip

# Causes of poverty (reviews.models.Cause bit positions) and how often a poor/near-poor household names each.
_CAUSE_WEIGHTS = {"1": 0.6, "4": 0.45, "0": 0.3, "5": 0.4, "3": 0.25, "2": 0.15, "6": 0.15, "7": 0.05}


@dataclass(frozen=True)
class LaterReview:
    """A yearly periodic review of a territory after the second review (`targets.Territory.reviews`): its part of
    the former district's review before the 2025 reform (the district's review is the territories' parts
    together), today's commune's after it."""

    target: ReviewTarget
    standard_code: str
    area: str  # the code of the unit reviewed, valid on the reference date ...
    area_level: str  # ... and its level ("district" or "commune")


@dataclass(frozen=True)
class LaterTerritory:
    """One of today's communes whose former communes' registry is moved forward after the second review, with its
    yearly periodic reviews, the last one open (or just closed) on the day of the build."""

    commune: str  # today's commune (the area of its reviews after the reform)
    name: str
    legacy_communes: tuple[str, ...]  # the plan's communes whose villages make up its territory
    reviews: tuple[LaterReview, ...]  # in order of year
    closures: Mapping[str, int]  # households closing over the years after the second review, by reason
    survey: tuple[date, date]  # the survey days of its last review (not after the day of the build)


@dataclass(frozen=True)
class LaterConfig:
    """The registry moved forward after the second review in some of today's communes, and their yearly reviews.
    The first territory draws from the plan's random generator as if it were alone; every other one from its own
    (seeded with the plan's seed and its code), so that adding a territory changes nothing in the others."""

    territories: tuple[LaterTerritory, ...]
    splits_before: date  # households split off only before this day (`targets.SPLITS_BEFORE`)
    income_growth: float  # a year
    survey: tuple[date, date]  # the survey weeks of the reviews before the last (month and day; any year)
    today: date  # nothing is planned after this day (the day the demo is built)


@dataclass(frozen=True)
class PlanConfig:
    seed: int
    communes: tuple[CommuneSpec, ...]
    first: ReviewTarget
    second: ReviewTarget
    splits: int
    move_ins: int
    closures: Mapping[str, int]
    houses_supported: int
    regular: Mapping[str, int] = field(default_factory=dict)
    standard_code: str = targets.STANDARD_CODE
    district: str = targets.DISTRICT_CODE
    later: LaterConfig | None = None


def later_config(today: date | None) -> LaterConfig | None:
    """The years after 2023 in the territories of `targets.TERRITORIES` with their reviews of 2024, 2025 and 2026,
    as far as they can be recorded on `today` (None before the end-2026 survey weeks)."""
    first, _last = targets.SURVEY_2026
    if today is None or today < first:
        return None
    territories = []
    for territory in targets.TERRITORIES:
        *earlier, final = territory.reviews
        reviews = [
            LaterReview(target, targets.STANDARD_CODE, targets.DISTRICT_CODE, "district")
            if target.reference_date < targets.REFORM_DATE
            else LaterReview(target, targets.STANDARD_CODE, territory.commune, "commune")
            for target in earlier
        ]
        reviews.append(LaterReview(final, targets.STANDARD_2026, territory.commune, "commune"))
        territories.append(LaterTerritory(
            commune=territory.commune, name=territory.name, legacy_communes=territory.legacy_communes,
            reviews=tuple(reviews), closures=dict(territory.closures),
            survey=(first, survey_last_2026(today, territory.stage_2026)),
        ))  # fmt: skip
    return LaterConfig(
        territories=tuple(territories),
        splits_before=targets.SPLITS_BEFORE,
        income_growth=float(targets.INCOME_GROWTH_2024_2026),
        survey=targets.SURVEY_2026,
        today=today,
    )


def later_targets(later: LaterConfig) -> list[ReviewTarget]:
    """The targets of the later reviews in the order of the plan's reviews (by year, then area): a review that
    several territories share (the former district's) has their targets together."""
    together: dict[tuple[int, str], list[ReviewTarget]] = {}
    for territory in later.territories:
        for review in territory.reviews:
            together.setdefault((review.target.year, review.area), []).append(review.target)
    result = []
    for _key, parts in sorted(together.items()):
        households = sum(t.households for t in parts)
        poor = sum(t.poor for t in parts)
        result.append(dataclasses.replace(
            parts[0], households=households, poor=poor, poor_rate=percent(poor, households) or Decimal(0),
            near_poor=sum(t.near_poor for t in parts), middle=sum(t.middle for t in parts),
        ))  # fmt: skip
    return result


def survey_last_2026(today: date, stage: str) -> date:
    """The last survey day of a commune's end-2026 round whose stage on `today` is `stage` (`targets.STAGE_DAYS`):
    that many days before `today`, on 9 December at the latest (`targets.SURVEY_2026_LAST`) and not before the
    first survey day (a round built too early for its stage has gone as far as the days allow); after the round's
    cut-off date, the last day of the planned survey weeks (`targets.SURVEY_2026`)."""
    first, planned = targets.SURVEY_2026
    if today > targets.REVIEW_2026.reference_date:
        return planned  # a round closed on the day of the build had its survey weeks as planned
    wanted = today - timedelta(days=targets.STAGE_DAYS[stage])
    return max(first, min(wanted, targets.SURVEY_2026_LAST, today))


def district_config(seed: int = DEFAULT_SEED, today: date | None = None) -> PlanConfig:
    """The whole former Kông Chro district with the targets of `giamngheo.demo.targets`; with `today` (the day
    the demo is built), also the end-2026 review of new Xã Kông Chro as far as it can be recorded that day."""
    targets.check_consistency()
    return PlanConfig(
        seed=seed,
        communes=load_communes(),
        first=targets.REVIEW_2022,
        second=targets.REVIEW_2023,
        splits=targets.SPLITS_2023,
        move_ins=targets.MOVE_INS_2023,
        closures=dict(targets.CLOSURES_2023),
        houses_supported=targets.HOUSES_SUPPORTED_2023,
        regular=dict(targets.REGULAR_REVIEW_2023),
        later=later_config(today),
    )


def build_plan(config: PlanConfig) -> Plan:
    return _Planner(config).run()


@dataclass
class _Verification:
    """What each planned assessment is expected to give (kept out of the plan itself): the class, the class the
    income rule gives for the realised deprivation count, and, for a sample, the facts for the scalar engine."""

    expected: list[str] = field(default_factory=list)
    by_count: list[str] = field(default_factory=list)
    sample: list[tuple[Standard, HouseholdFacts, str]] = field(default_factory=list)


WASTE_INDICATOR = "thu_gom_xu_ly_rac"  # NĐ 351/2025's waste collection: asked from the first review under it

VERIFY_EVERY = 100  # one assessment in VERIFY_EVERY is also classified by the scalar engine while planning

WELFARE_GROWTH = 0.1  # the mean yearly rise of every household's welfare (`_evolve_welfare`)
# How a household's own change of welfare (beyond WELFARE_GROWTH) moves its income: exp(0.5 × change), so a shock
# of -1.3 roughly halves it and programme support of +0.25 a year raises it by about an eighth.
INCOME_ELASTICITY = 0.5


def _survey_day_between(rng: random.Random, first: date, last: date) -> date:
    """A working day from `first` to `last` (`first` itself when there is none)."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    working = [day for day in days if day.weekday() < 5]
    return rng.choice(working) if working else first


def _survey_day(rng: random.Random, year: int) -> date:
    """A working day of the periodic review's survey weeks (October to late November)."""
    day = date(year, 10, 2) + timedelta(days=rng.randrange(54))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


class _Planner(LifeEvents):
    def __init__(self, config: PlanConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)  # noqa: S311 — reproducible demo data, not security
        self.standard: Standard = get_standard(config.standard_code)
        self.rules = Rules(self.standard)
        self.registry = Registry(self.rng, ladder=self.rules.ladder)
        self.splits, self.move_ins, self.closures = config.splits, config.move_ins, config.closures
        self.communes = {c.code: c for c in config.communes}
        self.villages: dict[tuple[str, str], VillageSpec] = {
            (v.commune, v.local_code): v for c in config.communes for v in c.villages
        }
        self.households: dict[str, HouseholdPlan] = {}
        self.persons: dict[str, PersonPlan] = {}
        self.ethnicity: dict[str, str] = {}
        self.new_households: set[str] = set()
        self.new_persons: set[str] = set()
        self.events: list[EventPlan] = []
        self.verification = _Verification()
        first, second = config.first, config.second
        self.population_day = date(first.year, 9, 30)
        self.year_start = date(second.year, 1, 3)
        # Days within which the 2023 changes of a household assessed in the regular review fall.
        self.windows: dict[str, tuple[date, date]] = {}
        self.allowance_households: set[str] = set()  # people reaching 80 in 2023
        self.birth_households: set[str] = set()  # a child born in 2023
        self.last_change: dict[str, date] = {}
        # Household -> (year, income per person) of its latest assessment; person -> day of their latest update.
        self.last_income: dict[str, tuple[int, int]] = {}
        self.survey_days = {
            first.year: {key: _survey_day(self.rng, first.year) for key in sorted(self.villages)},
            second.year: {key: _survey_day(self.rng, second.year) for key in sorted(self.villages)},
        }

    # Orchestration -----------------------------------------------------------------------------------------------

    def run(self) -> Plan:
        first, second = self.config.first, self.config.second
        self._populate()
        classes_first = self._rank_classes(list(self.households), first)
        review_first = self._review_plan(first)
        for code in sorted(self.households):
            review_first.assessments.append(self._assess_first(self.households[code], classes_first[code]))
        persons_first = {key: copy.copy(person) for key, person in self.persons.items()}
        households_first = {code: _copy_household(hh) for code, hh in self.households.items()}

        self._structural_events(second.year)
        active = [
            code for code, hh in sorted(self.households.items()) if self._active_at_review(hh, second.year)
        ]
        self._evolve_welfare(active, classes_first, second.year)
        classes_second = self._rank_classes(active, second, classes_first)
        review_second = self._review_plan(second)
        supported = self._housing_support(active, classes_first, classes_second)
        review_regular = self._regular_review(active, classes_first, classes_second, supported)
        self._school_year(second.year, active)  # after the regular review of June, before the periodic one
        for code in active:
            second_class, first_class = classes_second[code], classes_first.get(code)
            assessment = self._assess_second(
                self.households[code], second_class, first_class, code in supported
            )
            review_second.assessments.append(assessment)
        reviews = [review_first, review_regular, review_second]
        # A person created by an event is written with one state, that of the next review.
        new_persons = {key: copy.copy(self.persons[key]) for key in sorted(self.new_persons)}
        new_households = set(self.new_households)
        if self.config.later is not None:
            later_reviews, later_persons, later_households = self._later(self.config.later, classes_second)
            reviews.extend(later_reviews)
            new_persons.update(later_persons)
            new_households |= later_households
        self.events.sort(key=lambda e: (e.on, _EVENT_ORDER[e.kind], e.household, e.person or ""))
        plan = Plan(
            seed=self.config.seed,
            district=self.config.district,
            persons=persons_first,
            households=households_first,
            reviews=reviews,
            events=self.events,
            new_households={code: self.households[code] for code in sorted(new_households)},
            new_persons=dict(sorted(new_persons.items())),
            today=self.config.later.today if self.config.later is not None else None,
            villages=[
                VillagePlan(commune=v.commune, local_code=v.local_code, name=v.name, kind=v.kind)
                for c in self.config.communes
                for v in c.villages
            ],
        )
        self._verify(plan)
        return plan

    def _regular_review(
        self,
        codes: list[str],
        classes_first: dict[str, str],
        classes_second: dict[str, str],
        supported: set[str],
    ) -> ReviewPlan:
        """A monthly regular review in June 2023 (QĐ 24/2021 Art. 5): poor households that asked to be recognised
        as having escaped (Mẫu 04), some of which fall back into poverty by the end of the year (tái nghèo), and
        households hit by a shock that asked to be recognised as poor (Mẫu 01)."""
        year = self.config.second.year
        plan = self.config.regular
        review = ReviewPlan(
            # The June round runs from 15 June to 14 July, its cut-off date (`reviews.rounds`).
            year=year, reference_date=date(year, 7, 14), lists_effective_year=year,
            standard_code=self.config.standard_code, kind="regular", area=self.config.district,
            name=f"Rà soát thường xuyên tháng 6/{year} — huyện Kông Chro (dữ liệu mẫu)",
        )  # fmt: skip
        eligible = [
            c for c in codes
            if c not in self.new_households and c not in supported and c not in self.allowance_households
            and c not in self.birth_households  # a person created in 2023 has one state: their final one
        ]  # fmt: skip

        def pick(condition: Any, count: int) -> list[str]:
            pool = [c for c in eligible if condition(c)]
            chosen = sorted(self.rng.sample(pool, min(count, len(pool))))
            for code in chosen:
                eligible.remove(code)
            return chosen

        middle_class: dict[str, str] = {}
        for code in pick(
            lambda c: classes_first[c] == POOR and classes_second[c] == POOR, plan.get("re_poor", 0)
        ):
            middle_class[code] = NEAR_POOR if self.rng.random() < 0.7 else NOT_POOR
        for code in pick(
            lambda c: classes_first[c] == POOR and classes_second[c] != POOR, plan.get("escaped", 0)
        ):
            middle_class[code] = classes_second[code] if classes_second[code] != MIDDLE else NOT_POOR
        for code in pick(
            lambda c: classes_first[c] != POOR and classes_second[c] == POOR, plan.get("newly_poor", 0)
        ):
            middle_class[code] = POOR
        for code in sorted(middle_class):
            household = self.households[code]
            day = date(year, 6, 15) + timedelta(days=self.rng.randrange(12))
            assessment = self._assess_second(
                household, middle_class[code], classes_first[code], False, on=day,
                window=(date(year, 3, 1), day - timedelta(days=1)),
            )  # fmt: skip
            review.assessments.append(assessment)
            self.windows[code] = (day + timedelta(days=1), date(year, 9, 29))
        return review

    def _review_plan(self, target: ReviewTarget) -> ReviewPlan:
        return ReviewPlan(
            year=target.year,
            reference_date=target.reference_date,
            lists_effective_year=target.lists_effective_year,
            standard_code=self.config.standard_code,
            name=f"Rà soát hộ nghèo, hộ cận nghèo định kỳ năm {target.year} — huyện Kông Chro (dữ liệu mẫu)",
            area=self.config.district,
        )

    def _survey_day_of(self, household: HouseholdPlan, year: int) -> date:
        """The household's survey day in the periodic review of `year` (the end of a year without one)."""
        days = self.survey_days.get(year)
        return date(year, 12, 31) if days is None else days[(household.commune, household.village)]

    def _active_at_review(self, household: HouseholdPlan, year: int) -> bool:
        return household.active_on(self._survey_day_of(household, year))

    # Population --------------------------------------------------------------------------------------------------

    def _populate(self) -> None:
        villages = [v for c in self.config.communes for v in c.villages]
        counts = apportion([v.households for v in villages], self.config.first.households)
        for village, count in zip(villages, counts, strict=True):
            commune = self.communes[village.commune]
            village_effect = self.rng.gauss(0, 0.3)
            for _ in range(count):
                self._new_household(commune, village, self.population_day, village_effect)

    def _new_household(
        self,
        commune: CommuneSpec,
        village: VillageSpec,
        on: date,
        village_effect: float,
        registered_on: date | None = None,
    ) -> HouseholdPlan:
        base = 1.3 * (1 - commune.remoteness) + (0.1 if commune.area_type == URBAN else 0) + village_effect
        base += self.rng.gauss(0, 0.85)
        built = make_household(
            self.registry, commune=commune, village=village, on=on, registered_on=registered_on, welfare=base
        )
        household = built.household
        head = built.persons[0]
        ethnicity = head.ethnicity
        for person in built.persons:
            self.persons[person.key] = person
        self.households[household.code] = household
        self.ethnicity[household.code] = ethnicity
        household.welfare = (
            base + _ETHNIC_EFFECT.get(ethnicity, 0.3) + self._composition_effect(built.persons, on)
        )
        return household

    def _composition_effect(self, persons: list[PersonPlan], on: date) -> float:
        ages = [age_of(p, on) for p in persons]
        dependants = sum(1 for a in ages if a < 16 or a >= 65)
        effect = -0.8 * (dependants / len(persons) - 0.4) - 0.3 * sum(1 for p in persons if p.disabled)
        if len(persons) == 1 and ages[0] >= 65:
            effect -= 0.3
        return effect

    # Classes by rank ---------------------------------------------------------------------------------------------

    def _rank_classes(
        self, codes: list[str], target: ReviewTarget, previous: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """Classes by welfare rank. Middle-standard farm households come from a band of farm households just
        above the near-poor (four times as many as needed), those already middle-standard first, so that the
        status is as persistent as it is in practice."""
        if len(codes) != target.households:
            raise PlanError(
                f"năm {target.year}: kế hoạch có {len(codes)} hộ, chỉ tiêu {target.households} hộ"
            )
        ordered = sorted(codes, key=lambda c: (self.households[c].welfare, c))
        classes: dict[str, str] = {}
        for code in ordered[: target.poor]:
            classes[code] = POOR
        for code in ordered[target.poor : target.poor + target.near_poor]:
            classes[code] = NEAR_POOR
        rest = ordered[target.poor + target.near_poor :]
        band = [code for code in rest if self.households[code].is_agri][: 4 * target.middle]
        earlier = previous or {}
        band.sort(key=lambda c: (earlier.get(c) != MIDDLE, self.households[c].welfare, c))
        chosen = set(band[: target.middle])
        for code in rest:
            classes[code] = MIDDLE if code in chosen else NOT_POOR
        middle = len(chosen)
        if middle != target.middle:
            raise PlanError(
                f"năm {target.year}: chỉ có {middle} hộ nông nghiệp cho {target.middle} hộ có mức sống trung bình"
            )
        return classes

    # Assessments -------------------------------------------------------------------------------------------------

    def _scene(
        self,
        household: HouseholdPlan,
        on: date,
        mode: str,
        living_mode: str | None = None,
        living: Mapping[str, Any] | None = None,
    ) -> Scene:
        members = [self.persons[m.person] for m in household.members_on(on)]
        members = [p for p in members if p.date_of_death is None or p.date_of_death > on]
        return Scene(
            rules=self.rules,
            rng=self.rng,
            on=on,
            urban=household.area_type == URBAN,
            indigenous=self.ethnicity[household.code] in INDIGENOUS,
            persons=members,
            living={**living_values(household.living_on(on)), **(living or {})},
            mode=mode,
            living_mode=living_mode or mode,
        )

    def _weights(self, household: HouseholdPlan) -> dict[str, float]:
        rural_indigenous = household.area_type != URBAN and self.ethnicity[household.code] in INDIGENOUS
        return WEIGHTS_RURAL_INDIGENOUS if rural_indigenous else WEIGHTS_OTHER

    def _count_for(self, poverty_class: str) -> int:
        table = {
            POOR: ((3, 0.38), (4, 0.30), (5, 0.18), (6, 0.09), (7, 0.05)),
            NEAR_POOR: ((0, 0.12), (1, 0.38), (2, 0.50)),
            MIDDLE: ((0, 0.30), (1, 0.38), (2, 0.22), (3, 0.10)),
            NOT_POOR: ((0, 0.55), (1, 0.30), (2, 0.12), (3, 0.03)),
        }[poverty_class]
        counts, weights = zip(*table, strict=True)
        return self.rng.choices(counts, weights=weights)[0]

    def _assess_first(self, household: HouseholdPlan, poverty_class: str) -> AssessmentPlan:
        on = self._survey_day_of(household, self.config.first.year)
        scene = self._scene(household, on, INITIAL)
        forced = frozenset(c for c in self._forced(scene))
        wanted = max(self._count_for(poverty_class), len(forced))
        if poverty_class == NEAR_POOR:
            wanted = min(wanted, self.standard.cutoff - 1)
        pool = [c for c in self.rules.codes if c not in forced and scene.can_deprive(c)]
        target = forced | frozenset(
            weighted_sample(self.rng, self._weights(household), pool, wanted - len(forced))
        )
        self._realise(scene, target, household)
        # The members' facts and the living conditions recorded by the reviewer are the state before 2023.
        household.living[0] = LivingPlan(recorded_on=on, **scene.living)
        return self._assessment(household, on, poverty_class, scene)

    def _forced(self, scene: Scene) -> list[str]:
        """Deprivations the household's composition decides (the dependants' share): nothing to change."""
        household, members = scene.household(), scene.members()
        return [
            code
            for code, rule in self.rules.rules.items()
            if rule.kind == "member_share" and self.rules.derive_one(code, household, members)
        ]

    def _realise(
        self,
        scene: Scene,
        target: frozenset[str],
        household: HouseholdPlan,
        current: frozenset[str] | None = None,
    ) -> None:
        try:
            scene.realise(target, current)
        except RealizeError as exc:
            raise PlanError(f"hộ {household.code}: {exc}") from exc

    def _assess_second(
        self,
        household: HouseholdPlan,
        poverty_class: str,
        previous: str | None,
        supported: bool,
        on: date | None = None,
        window: tuple[date, date] | None = None,
        *,
        year: int | None = None,
        income: int | None = None,
        living: Mapping[str, Any] | None = None,
        living_note: str | None = None,
    ) -> AssessmentPlan:
        """An assessment after the first review (2023 by default): start from the household's facts now, change
        as few as the class needs (a poor household that escapes gets health insurance, a latrine, ...), record
        the changes as events. `income`: the income per person to record (else drawn for the class); `living`:
        living-conditions values newly recorded at this review (else those last recorded); `living_note`: record
        the living conditions again with this note even when nothing in them changed."""
        year = year or self.config.second.year
        on = on or self._survey_day_of(household, year)
        window = window or self.windows.get(household.code, (date(year, 5, 2), date(year, 9, 29)))
        is_new = household.code in self.new_households
        scene = self._scene(household, on, UPDATE, living_mode=INITIAL if is_new else UPDATE, living=living)
        current = scene.deprived()
        forced = frozenset(self._forced(scene))
        target = set(current)
        if supported:
            target.discard("chat_luong_nha_o")
        cutoff = self.standard.cutoff
        removable = sorted(c for c in target if c not in forced and scene.can_fix(c))
        if poverty_class == POOR:
            if len(target) >= cutoff + 1 and removable and self.rng.random() < 0.2:
                target -= set(weighted_sample(self.rng, WEIGHTS_FIX, removable, 1))
            if len(target) < cutoff:
                pool = [c for c in self.rules.codes if c not in target and scene.can_deprive(c)]
                extra = cutoff - len(target) + (1 if self.rng.random() < 0.3 else 0)
                target |= set(weighted_sample(self.rng, WEIGHTS_SHOCK, pool, extra))
        elif poverty_class == NEAR_POOR:
            limit = self.rng.choice(range(len(forced), cutoff))
            if len(target) > cutoff - 1:
                target -= set(weighted_sample(self.rng, WEIGHTS_FIX, removable, len(target) - limit))
            elif removable and self.rng.random() < 0.15:
                target -= set(weighted_sample(self.rng, WEIGHTS_FIX, removable, 1))
        elif previous in {POOR, NEAR_POOR} and removable and self.rng.random() < 0.5:
            target -= set(weighted_sample(self.rng, WEIGHTS_FIX, removable, 1))
        if supported:
            scene.living_notes.append("Hỗ trợ xây mới, sửa chữa nhà ở cho hộ nghèo năm 2023")
        self._realise(scene, frozenset(target), household, current)
        if living_note is not None:
            scene.living_changed = True
            scene.living_notes.insert(0, living_note)
        self._record_changes(household, scene, on, is_new, window)
        return self._assessment(household, on, poverty_class, scene, income=income)

    def _record_changes(
        self, household: HouseholdPlan, scene: Scene, on: date, is_new: bool, window: tuple[date, date]
    ) -> None:
        """Turn the scene's changes into events dated within `window` (or into the creation state of what is new
        in the period)."""
        first_day, last = window
        for key in sorted(scene.person_changes):
            if key in self.new_persons:
                continue
            start = max(
                max(m.start_date for m in household.memberships if m.person == key),
                self.last_change.get(key, date.min),
            )
            day = min(
                max(day_between(self.rng, first_day, last), start + timedelta(days=1)),
                on - timedelta(days=1),
            )
            self.events.append(EventPlan(
                on=day, kind="member_update", household=household.code, person=key,
                changes=dict(sorted(scene.person_changes[key].items())),
                note="; ".join(scene.person_notes.get(key, [])),
            ))  # fmt: skip
        if not scene.living_changed:
            return
        if is_new:
            first = household.living[0]
            household.living[0] = LivingPlan(recorded_on=first.recorded_on, **scene.living)
            return
        day = max(
            day_between(self.rng, first_day, last), household.living[-1].recorded_on + timedelta(days=1)
        )
        if day >= on:
            raise PlanError(f"hộ {household.code}: không còn ngày để ghi điều kiện sống trước {on:%d/%m/%Y}")
        record = LivingPlan(recorded_on=day, **scene.living)
        household.living.append(record)
        self.events.append(EventPlan(
            on=day, kind="living_conditions", household=household.code, changes=dict(scene.living),
            note="; ".join(scene.living_notes),
        ))  # fmt: skip

    def _assessment(
        self, household: HouseholdPlan, on: date, poverty_class: str, scene: Scene, income: int | None = None
    ) -> AssessmentPlan:
        deprived = scene.result
        income = self._income(household, poverty_class) if income is None else income
        self.last_income[household.code] = (on.year, income)
        entered = {code: code in deprived for code in self.rules.codes}
        conflict = None
        if self.rng.random() < 0.012:
            # A reviewer's slip, kept on purpose: the flag disagrees with the facts, the engine follows the facts.
            conflict = self.rng.choice(("nguon_nuoc_sinh_hoat", "nha_tieu_hop_ve_sinh", "bao_hiem_y_te",
                                        "dich_vu_vien_thong"))  # fmt: skip
            entered[conflict] = not entered[conflict]
        causes: tuple[int, ...] = ()
        if poverty_class in {POOR, NEAR_POOR}:
            count = self.rng.choice((1, 1, 2, 2, 3))
            causes = tuple(
                sorted(int(c) for c in weighted_sample(self.rng, _CAUSE_WEIGHTS, _CAUSE_WEIGHTS, count))
            )
        verification = self.verification
        by_count = classify_income(self.standard, income=income, area_type=household.area_type,
                                   is_agri=household.is_agri, deprivation_count=len(deprived))  # fmt: skip
        verification.by_count.append(by_count.value)
        if len(verification.expected) % VERIFY_EVERY == 0:
            facts = HouseholdFacts(
                area_type=AreaType(household.area_type), income_per_capita=income, is_agri=household.is_agri,
                members=tuple(MemberFacts(**values) for values in scene.members()), entered=dict(entered),
                **_living_facts(scene.living),
            )  # fmt: skip
            verification.sample.append((self.standard, facts, poverty_class))
        self.verification.expected.append(poverty_class)
        return AssessmentPlan(
            household=household.code,
            assessed_on=on,
            income_per_capita=income,
            entered=entered,
            causes=causes,
            expected_class=poverty_class,
            expected_deprivations=tuple(sorted(deprived)),
            conflict=conflict,
        )

    def _income(self, household: HouseholdPlan, poverty_class: str) -> int:
        lines = self.standard.income[AreaType(household.area_type)]
        line = lines.poverty_line
        middle = lines.middle_line or line
        u = self.rng.random()
        if poverty_class == POOR:
            value = line * (0.42 + 0.5 * u)
        elif poverty_class == NEAR_POOR:
            value = line * (0.72 + 0.28 * u)
        elif poverty_class == MIDDLE:
            value = line + 5_000 + (middle - line - 5_000) * u
        else:
            floor = middle if household.is_agri else line
            value = floor + 10_000 + floor * (0.04 + 1.6 * u * u)
        income = int(value) // 1_000 * 1_000
        if poverty_class in {POOR, NEAR_POOR}:
            return min(income, line)
        return income

    # 2023: registry events ---------------------------------------------------------------------------------------

    def _evolve_welfare(self, codes: list[str], classes_first: dict[str, str], year: int) -> None:
        """One year of life: general growth, programme support for poor households, and shocks (a household set
        up this year starts from its own welfare)."""
        rng = self.rng
        for code in codes:
            household = self.households[code]
            if household.registered_on.year == year:
                continue
            change = rng.gauss(WELFARE_GROWTH, 0.15)
            if classes_first.get(code) == POOR and rng.random() < 0.5:
                change += 0.25  # a VBSP loan, a livelihood model, a job found through Project 4
            roll = rng.random()
            if roll < 0.02:
                change -= rng.uniform(0.9, 1.8)  # illness, accident, crop failure
            elif roll < 0.05:
                change += rng.uniform(0.5, 1.2)  # migrant work, a new job in the town
            household.welfare += change

    def _housing_support(
        self, codes: list[str], classes_first: dict[str, str], classes_second: dict[str, str]
    ) -> set[str]:
        """The houses built or repaired for poor households in 2023 (seed article: 12)."""
        candidates = []
        for code in codes:
            if classes_first.get(code) != POOR or code in self.new_households:
                continue
            household = self.households[code]
            living = household.living_on(self._survey_day_of(household, self.config.second.year))
            non_durable = sum(
                1 for m in (living.wall_material, living.pillar_material, living.roof_material)
                if m not in DURABLE_MATERIALS
            )  # fmt: skip
            if non_durable >= 2 and classes_second[code] != POOR:
                candidates.append(code)
        return set(self.rng.sample(candidates, min(self.config.houses_supported, len(candidates))))

    # After the second review: the registry moved forward, and the yearly reviews of one commune's territory ---

    def _use_standard(self, code: str) -> None:
        self.standard = get_standard(code)
        self.rules = Rules(self.standard)
        self.registry.ladder = self.rules.ladder

    def _later(
        self, later: LaterConfig, classes_before: dict[str, str]
    ) -> tuple[list[ReviewPlan], dict[str, PersonPlan], set[str]]:
        """The years after the second review in each territory of `later` (`_territory`), one territory after the
        other, the first drawing from the plan's generator and each other one from its own. A review that several
        territories share (the former district's, before the reform) is one review of their assessments
        together. Returns the reviews, the people created in the period (each with their state at the first review
        after their creation) and the households created."""
        reviews: list[ReviewPlan] = []
        created_persons: dict[str, PersonPlan] = {}
        created_households: set[str] = set()
        own_rng, initial_standard = self.rng, self.config.standard_code
        for index, territory in enumerate(later.territories):
            if index:
                rng = random.Random(f"{self.config.seed}:later:{territory.commune}")  # noqa: S311 — demo data
                self.rng = self.registry.rng = rng
            self._use_standard(initial_standard)
            try:
                plans, persons, households = self._territory(
                    later, territory, classes_before, first=index == 0
                )
            finally:
                self.rng = self.registry.rng = own_rng
            reviews.extend(plans)
            created_persons.update(persons)
            created_households |= households
        merged: dict[tuple[int, str, str], ReviewPlan] = {}
        for review in reviews:
            key = (review.year, review.area, review.area_level)
            if key not in merged:
                merged[key] = review
                continue
            shared = merged[key]
            shared.assessments.extend(review.assessments)
            shared.moved_across_line += review.moved_across_line
        for review in merged.values():
            if review.area_level == "district":
                covered = ", ".join(
                    t.name for t in later.territories if t.reviews[0].target.year == review.year
                )
                review.name = (
                    f"Rà soát hộ nghèo, hộ cận nghèo định kỳ năm {review.year} — huyện Kông Chro "
                    f"(địa bàn nay là {covered}) (dữ liệu mẫu)"
                )
        return sorted(merged.values(), key=lambda r: (r.year, r.area)), created_persons, created_households

    def _territory(
        self, later: LaterConfig, territory: LaterTerritory, classes_before: dict[str, str], *, first: bool
    ) -> tuple[list[ReviewPlan], dict[str, PersonPlan], set[str]]:
        """The years after the second review in the communes of `territory.legacy_communes`: registry events each
        year, then, in the years of `territory.reviews`, the territory's periodic review, with incomes carried
        forward from each household's last assessment and classes by rank to meet the review's target. One
        evolution of the registry: the closures of `territory.closures` are apportioned over the years, the
        households splitting off between two reviews are as many as the next one's household target takes
        (`_later_splits`)."""
        wanted = {spec.target.year: spec for spec in territory.reviews}
        start_year, year = self.config.second.year + 1, territory.reviews[-1].target.year
        if len(wanted) != len(territory.reviews) or not all(start_year <= y <= year for y in wanted):
            raise PlanError(f"các đợt rà soát sau năm {start_year - 1} không hợp lệ: {sorted(wanted)}")
        for spec in wanted.values():
            standard = get_standard(spec.standard_code)
            if spec.target.middle and not any(lines.middle_line for lines in standard.income.values()):
                raise PlanError(f"chuẩn {spec.standard_code} không có chuẩn mức sống trung bình")
        self.new_households, self.new_persons = set(), set()
        created_persons: dict[str, PersonPlan] = {}
        created_households: set[str] = set()
        scope = {
            code for code, household in self.households.items()
            if household.commune in territory.legacy_communes and household.closed_on is None
        }  # fmt: skip
        # The survey days of the last review depend on the day of the build; each year's are drawn apart, so that
        # nothing else does.
        for current in sorted(wanted):
            first_day, last_day = (
                territory.survey if current == year
                else (later.survey[0].replace(year=current), later.survey[1].replace(year=current))
            )  # fmt: skip
            seed = f"{self.config.seed}:survey:{current}" + ("" if first else f":{territory.commune}")
            days = random.Random(seed)  # noqa: S311 — reproducible demo data
            self.survey_days.setdefault(current, {}).update({
                key: _survey_day_between(days, first_day, last_day)
                for key in sorted(self.villages) if key[0] in territory.legacy_communes
            })  # fmt: skip
        years = list(range(start_year, year + 1))
        closures_by_year = {
            reason: apportion([1] * len(years), count) for reason, count in territory.closures.items()
        }
        splits_by_year = self._later_splits(later, territory, years, len(scope), wanted, closures_by_year)
        # Each household's welfare at its last assessment (its income is carried forward from then).
        welfare_at = {code: self.households[code].welfare for code in scope}
        classes_last = classes_before
        reviews: list[ReviewPlan] = []
        for index, current in enumerate(years):
            if current in wanted:
                self._use_standard(wanted[current].standard_code)
            closures = {reason: counts[index] for reason, counts in closures_by_year.items()}
            self._structural_events(current, sorted(scope), splits=splits_by_year[index], move_ins=0,
                                    closures=closures)  # fmt: skip
            scope |= {c for c in self.new_households if self.households[c].registered_on.year == current}
            scope = {c for c in scope if self.households[c].closed_on is None}
            self._school_year(current, sorted(scope))
            self._evolve_welfare(sorted(scope), classes_last, current)
            if current not in wanted:
                continue
            review, classes = self._later_review(
                wanted[current], later, territory, scope, classes_last, welfare_at
            )
            reviews.append(review)
            classes_last = classes
            welfare_at.update({code: self.households[code].welfare for code in classes})
            # A person created since the last review is written with one state, that of this review; afterwards
            # their changes are events like everybody's, and the households set up since are no longer new.
            created_persons.update({key: copy.copy(self.persons[key]) for key in sorted(self.new_persons)})
            created_households |= self.new_households
            self.new_households, self.new_persons = set(), set()
        return reviews, created_persons, created_households

    def _later_splits(
        self,
        later: LaterConfig,
        territory: LaterTerritory,
        years: list[int],
        households: int,
        wanted: Mapping[int, LaterReview],
        closures_by_year: Mapping[str, list[int]],
    ) -> list[int]:
        """How many households split off each year: from one review to the next, as many as its household target
        takes once that period's closures are counted, apportioned over the period's years in which households
        split off (January to March, before `later.splits_before`). With the default targets, in Xã Kông Chro: the
        128 households of 2024-2026 split off half in 2024 and half in 2025 (`targets.REVIEW_2024`,
        `targets.REVIEW_2025`)."""
        splits_by_year = [0] * len(years)
        start = 0
        for index, current in enumerate(years):
            if current not in wanted:
                continue
            period = range(start, index + 1)
            closed = sum(counts[i] for counts in closures_by_year.values() for i in period)
            splits = wanted[current].target.households - households + closed
            if splits < 0:
                raise PlanError(
                    f"năm {current}: địa bàn {territory.name} đã có {households} hộ, chỉ tiêu "
                    f"{wanted[current].target.households} hộ sau khi {closed} hộ giải thể: không thể đạt bằng tách hộ"
                )
            allowed = [int(date(years[i], 3, 31) < later.splits_before) for i in period]
            if splits and not any(allowed):
                raise PlanError(f"không có năm nào trước {later.splits_before:%d/%m/%Y} để tách {splits} hộ")
            for i, count in zip(
                period, apportion(allowed, splits) if splits else [0] * len(period), strict=True
            ):
                splits_by_year[i] = count
            households = wanted[current].target.households
            start = index + 1
        return splits_by_year

    def _later_review(
        self,
        spec: LaterReview,
        later: LaterConfig,
        territory: LaterTerritory,
        scope: set[str],
        classes_last: Mapping[str, str],
        welfare_at: Mapping[str, float],
    ) -> tuple[ReviewPlan, dict[str, str]]:
        """One periodic review after the second one: incomes carried forward, classes by rank (`_later_classes`),
        facts changed through dated events from March to September."""
        target = spec.target
        year = target.year
        active = sorted(c for c in scope if self._active_at_review(self.households[c], year))
        incomes = {code: self._carried_income(code, year, later.income_growth, welfare_at) for code in active}
        # The waste question is asked from the first review under a standard with the waste indicator (NĐ 351).
        asks_waste = WASTE_INDICATOR in self.standard.indicator_codes
        waste = {code: self._waste_collected(self.households[code]) for code in active} if asks_waste else {}
        classes, moved = self._later_classes(active, target, incomes, waste)
        where = "huyện Kông Chro" if spec.area_level == "district" else territory.name
        review = ReviewPlan(
            year=year, reference_date=target.reference_date, lists_effective_year=target.lists_effective_year,
            standard_code=spec.standard_code, area=spec.area, area_level=spec.area_level,
            name=f"Rà soát hộ nghèo, hộ cận nghèo định kỳ năm {year} — {where} (dữ liệu mẫu)",
            moved_across_line=moved,
        )  # fmt: skip
        window = (date(year, 3, 1), date(year, 9, 29))
        for code in active:
            household = self.households[code]
            extra: dict[str, Any] = {}
            if asks_waste:
                extra = dict(
                    living={"waste_collected": waste[code]},
                    living_note=(
                        f"Ghi nhận điều kiện sống năm {year}, có thu gom rác thải sinh hoạt (chuẩn nghèo mới)"
                    ),
                )
            review.assessments.append(self._assess_second(
                household, classes[code], classes_last.get(code), False, window=window, year=year,
                income=incomes[code], **extra,
            ))  # fmt: skip
        return review, classes

    def _carried_income(self, code: str, year: int, growth: float, welfare_at: Mapping[str, float]) -> int:
        """The income per person at the household's last assessment (its origin's, for a household that split off
        since), grown by `growth` a year and by the household's own change of welfare beyond the general rise."""
        origin = code
        while origin not in self.last_income:
            split_from = self.households[origin].split_from
            if split_from is None:
                raise PlanError(f"hộ {code}: chưa có phiếu rà soát nào để ước tính thu nhập")
            origin = split_from
        assessed_year, income = self.last_income[origin]
        years = year - assessed_year
        own = self.households[code].welfare - welfare_at[origin] - years * WELFARE_GROWTH
        value = income * (1 + growth) ** years * math.exp(INCOME_ELASTICITY * own)
        return int(value) // 1_000 * 1_000

    def _waste_collected(self, household: HouseholdPlan) -> bool:
        """Whether the household's waste is collected, first asked at the end-2026 review: the commune's
        collection reaches most of the town, about half of the Kinh and mixed hamlets along the roads and few of
        the Bahnar and Jrai villages (illustrative)."""
        village = self.villages[(household.commune, household.village)]
        if household.area_type == URBAN:
            chance = 0.92 if village.profile in {"kinh", "mixed"} else 0.75
        else:
            chance = 0.55 if village.profile in {"kinh", "mixed", "migrant"} else 0.2
        return self.rng.random() < chance

    def _later_classes(
        self, codes: list[str], target: ReviewTarget, incomes: dict[str, int], waste: Mapping[str, bool]
    ) -> tuple[dict[str, str], int]:
        """Classes for a later review: the `poor + near_poor` households with the lowest carried-forward income
        relative to their poverty line are at or below it, the most deprived of them (under the review's standard,
        on the facts as they are) poor; of the farm households above the line, the `middle` with the lowest income
        relative to the middle line are at or below that line (a standard with one). `incomes` is changed in place
        for the households on the wrong side of a line, whose number is returned."""
        if len(codes) != target.households:
            raise PlanError(
                f"năm {target.year}: kế hoạch có {len(codes)} hộ, chỉ tiêu {target.households} hộ"
            )
        year = target.year

        def line(code: str) -> int:
            return self.standard.income[AreaType(self.households[code].area_type)].poverty_line

        ordered = sorted(codes, key=lambda c: (incomes[c] / line(c), c))
        low = ordered[: target.poor + target.near_poor]
        deprived = {}
        for code in low:
            household = self.households[code]
            on = self._survey_day_of(household, year)
            living_mode = INITIAL if code in self.new_households else UPDATE
            living = {"waste_collected": waste[code]} if code in waste else None
            scene = self._scene(household, on, UPDATE, living_mode, living=living)
            deprived[code] = len(scene.deprived())
        by_need = sorted(low, key=lambda c: (-deprived[c], self.households[c].welfare, c))
        poor = set(by_need[: target.poor])
        classes = {code: POOR if code in poor else NEAR_POOR for code in low}
        moved = 0
        for code in low:
            if incomes[code] > line(code):
                # Just under the line: an income that fell this year (a lost job, a poor harvest).
                incomes[code] = line(code) - 1_000 * self.rng.randrange(0, 60)
                moved += 1
        for code in ordered[len(low) :]:
            classes[code] = NOT_POOR
            if incomes[code] <= line(code):
                incomes[code] = line(code) + 1_000 * self.rng.randint(1, 60)
                moved += 1
        if not target.middle:
            return classes, moved

        def middle_line(code: str) -> int:
            lines = self.standard.income[AreaType(self.households[code].area_type)]
            return lines.middle_line or lines.poverty_line

        farms = sorted(
            (c for c in ordered[len(low) :] if self.households[c].is_agri),
            key=lambda c: (incomes[c] / middle_line(c), c),
        )
        if len(farms) < target.middle:
            raise PlanError(
                f"năm {year}: chỉ có {len(farms)} hộ nông nghiệp cho {target.middle} hộ có mức sống trung bình"
            )
        for code in farms[: target.middle]:
            classes[code] = MIDDLE
            if incomes[code] > middle_line(code):
                incomes[code] = middle_line(code) - 1_000 * self.rng.randrange(0, 60)
                moved += 1
        for code in farms[target.middle :]:
            if incomes[code] <= middle_line(code):
                incomes[code] = middle_line(code) + 1_000 * self.rng.randint(1, 60)
                moved += 1
        return classes, moved

    # Verification ------------------------------------------------------------------------------------------------

    def _verify(self, plan: Plan) -> None:
        """Check the plan against the engine before anything is written: every assessment's income and realised
        deprivation count give its planned class, a sample classified by the scalar engine agrees, and the
        counts are the targets."""
        verification = self.verification
        wrong = sum(
            1 for got, want in zip(verification.by_count, verification.expected, strict=True) if got != want
        )
        wrong += sum(1 for standard, facts, want in verification.sample
                     if classify_household(standard, facts).poverty_class.value != want)  # fmt: skip
        if wrong:
            raise PlanError(f"{wrong} phiếu rà soát theo kế hoạch sẽ không được phân loại như dự kiến")
        periodic = [review for review in plan.reviews if review.kind == "periodic"]
        wanted = [self.config.first, self.config.second]
        if self.config.later is not None:
            wanted.extend(later_targets(self.config.later))
        for review, target in zip(periodic, wanted, strict=True):
            counts = Counter(a.expected_class for a in review.assessments)
            got = (len(review.assessments), counts[POOR], counts[NEAR_POOR], counts[MIDDLE])
            want = (target.households, target.poor, target.near_poor, target.middle)
            if got != want:
                raise PlanError(
                    f"năm {review.year}: kế hoạch (tổng, nghèo, cận nghèo, trung bình) = {got}, chỉ tiêu {want}"
                )


_EVENT_ORDER = {
    "household_split": 0,
    "household_register": 1,
    "member_leave": 2,
    "household_close": 3,
    "member_add": 4,
    "member_update": 5,
    "living_conditions": 6,
}


def _copy_household(household: HouseholdPlan) -> HouseholdPlan:
    """A copy whose memberships and living records can change without changing the original."""
    clone = copy.copy(household)
    clone.memberships = [copy.copy(m) for m in household.memberships]
    clone.living = list(household.living)
    return clone


def _living_facts(living: Mapping[str, Any]) -> dict[str, Any]:
    durable = DURABLE_MATERIALS
    return {
        "wall_durable": living["wall_material"] in durable,
        "pillar_durable": living["pillar_material"] in durable,
        "roof_durable": living["roof_material"] in durable,
        "floor_area_m2": float(living["floor_area_m2"]),
        **{name: living[name] for name in ("water_source", "latrine_type", "uses_internet", "has_phone", "has_tv",
                                             "has_radio", "has_computer", "has_smartphone", "waste_collected")},
    }  # fmt: skip
