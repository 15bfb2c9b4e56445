"""Write a demo plan to the database through the services, and check the engine's results against it.

Everything goes through the same services a commune officer's actions use: households, members and living
conditions through the registry services (bulk variants where the plan has many rows of one kind), every change
after the first review (2023 in the district, 2024-2026 in three of today's communes) through the service that
records it in the household's history, reviews through `review_open` (the district's until 30/06/2025, the 2024
one with assessments in those communes' former communes only; each of today's communes' after), and every
assessment through `assessments_bulk_record`, which classifies with the engine: imported as a
past round's records when the round's cut-off date has passed on the day of the build, recorded in the open round
otherwise. The builder never writes a class: after each review it compares the engine's class of every household
with the class the plan expected and stops with an error naming the households that differ.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from giamngheo.areas.models import AdminUnit, UnitLevel, UnitSuccession, Village
from giamngheo.areas.reform import rehome_villages
from giamngheo.areas.selectors import UnitAmbiguous, UnitNotFound, resolve_unit, territory
from giamngheo.areas.territory_cache import territory_changed
from giamngheo.decisions.approval import round_approve, round_submit
from giamngheo.decisions.procedure import certificates_issue
from giamngheo.decisions.services import decision_record
from giamngheo.demo import targets
from giamngheo.demo.models import DemoRun
from giamngheo.demo.money import HOUSE_NOTE, record_credit, record_funds, record_houses_2023
from giamngheo.demo.plan import (
    EventPlan,
    HouseholdPlan,
    LivingPlan,
    MembershipPlan,
    PersonPlan,
    Plan,
    ReviewPlan,
)
from giamngheo.demo.planner import survey_last_2026
from giamngheo.demo.procedure import advance, walk_to_decision
from giamngheo.demo.programme import record_commendations_2023, record_targets_2024
from giamngheo.lib.formatting import group_thousands
from giamngheo.registry import services as registry
from giamngheo.registry.ethnicities import DEFAULT_CODE_LIST, ethnicities_sync
from giamngheo.registry.models import (
    Ethnicity,
    Household,
    HouseholdEvent,
    LivingConditions,
    Membership,
    Person,
)
from giamngheo.reviews import services as reviews
from giamngheo.reviews.models import Assessment, Review, ReviewKind
from giamngheo.reviews.rounds import regular_round_period

# Order in which the kinds of events are applied within one phase (each kind in one batch, in date order):
# households first, then people leaving, households closing, people arriving, and changes of facts last.
_KIND_ORDER = (
    "household_split",
    "household_register",
    "member_leave",
    "household_close",
    "member_add",
    "member_update",
    "living_conditions",
)


def _refresh_statistics() -> None:
    """After the bulk writes, let the query planner see the new row counts: without statistics PostgreSQL scans
    the whole membership table for each single-record service call (about 13 ms a call instead of 0.1 ms)."""
    tables = [model._meta.db_table for model in (Household, Person, Membership, LivingConditions, HouseholdEvent,
                                                 Assessment)]  # fmt: skip
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


class DemoBuildError(RuntimeError):
    """The database does not agree with the plan (the message names the households)."""


@dataclass
class BuildReport:
    households: int = 0
    persons: int = 0
    events: int = 0
    assessments: dict[str, int] = field(default_factory=dict)  # review name -> number of assessments
    timings: dict[str, float] = field(default_factory=dict)  # phase -> seconds


class _Builder:
    def __init__(self, plan: Plan, *, actor: Any, say: Callable[[str], None]) -> None:
        self.plan = plan
        self.actor = actor
        self.say = say
        self.report = BuildReport()
        self.kind_seconds: dict[str, float] = defaultdict(float)
        self.households: dict[str, Household] = {}
        self.person_ids: dict[str, int] = {}
        self.persons: dict[str, PersonPlan] = {**plan.persons, **plan.new_persons}
        self.household_plans: dict[str, HouseholdPlan] = {**plan.households, **plan.new_households}
        self.today = timezone.localdate()
        self.regular_days: dict[str, date] = {
            a.household: a.assessed_on for r in plan.reviews if r.kind == "regular" for a in r.assessments
        }

    # Helpers ---------------------------------------------------------------------------------------------------

    def timed(self, label: str, started: float) -> None:
        self.report.timings[label] = round(time.perf_counter() - started, 2)

    def person(self, key: str) -> Person:
        return Person.objects.get(pk=self.person_ids[key])

    # Steps -----------------------------------------------------------------------------------------------------

    def run(self) -> BuildReport:
        started = time.perf_counter()
        ethnicities_sync()
        self.ethnicities = {e.code: e for e in Ethnicity.objects.filter(code_list=DEFAULT_CODE_LIST)}
        self._places()
        self.timed("địa bàn", started)

        started = time.perf_counter()
        self._register([(h, h.memberships) for h in self.plan.households.values()])
        _refresh_statistics()
        self.timed("đăng ký hộ", started)

        reviews_by_kind = {(r.kind, r.year): r for r in self.plan.reviews}
        periodic = sorted((r for r in self.plan.reviews if r.kind == "periodic"), key=lambda r: r.year)
        first, second, later = periodic[0], periodic[1], periodic[2:]
        regular = reviews_by_kind.get(("regular", second.year))

        started = time.perf_counter()
        self._review(first)
        _refresh_statistics()
        self.timed(f"rà soát {first.year}", started)

        started = time.perf_counter()
        early, late = self._phases([e for e in self.plan.events if e.on.year == second.year])
        self._apply(early)
        if regular is not None:
            self._review(regular)
        self._apply(late)
        self.timed(f"biến động {second.year}", started)

        started = time.perf_counter()
        self._review(second)
        self.timed(f"rà soát {second.year}", started)

        started = time.perf_counter()
        record_targets_2024(self.district, actor=self.actor, today=self.today)
        record_commendations_2023(self.district, actor=self.actor, today=self.today, seed=self.plan.seed)
        for money in (targets.MONEY_2022, targets.MONEY_2023):
            record_funds(money, self.district, actor=self.actor, today=self.today)
            record_credit(money, self.district, actor=self.actor, today=self.today)
        houses = [
            (self.households[e.household], e.on) for e in self.plan.events
            if e.kind == "living_conditions" and e.on.year == second.year and HOUSE_NOTE in e.note
        ]  # fmt: skip
        record_houses_2023(houses, actor=self.actor, today=self.today)
        self.timed(f"chương trình {second.year}", started)

        applied = second.year
        for review in later:
            # The years since the previous review, one at a time (a person born one year may move with a household
            # split the next), then the review.
            if review.year > applied:
                started = time.perf_counter()
                for year in range(applied + 1, review.year + 1):
                    self._apply([e for e in self.plan.events if e.on.year == year])
                _refresh_statistics()
                span = str(review.year) if applied + 1 == review.year else f"{applied + 1}–{review.year}"
                self.timed(f"biến động {span}", started)
                applied = review.year
            started = time.perf_counter()
            self._review(review)
            label = f"rà soát {review.year}"
            self.report.timings[label] = self.report.timings.get(label, 0) + round(
                time.perf_counter() - started, 2
            )
        self.report.events = len(self.plan.events)
        self.report.households = len(self.households)
        self.report.persons = len(self.person_ids)
        return self.report

    def _places(self) -> None:
        on = date(self.plan.reviews[0].year, 12, 31)
        codes = sorted({v.commune for v in self.plan.villages})
        communes = {
            u.code: u for u in AdminUnit.objects.valid_on(on).filter(level=UnitLevel.COMMUNE, code__in=codes)
        }
        missing = sorted(set(codes) - set(communes))
        if missing:
            raise DemoBuildError(
                f"Chưa có các xã {', '.join(missing)} (hiệu lực ngày {on:%d/%m/%Y}); hãy chạy «giamngheo load-units»."
            )
        self.communes = communes
        legacy = list(communes.values())
        existing = {
            (v.legacy_commune_id or v.commune_id, v.local_code): v
            for v in Village.objects.filter(Q(commune__in=legacy) | Q(legacy_commune__in=legacy))
        }
        new = [
            Village(commune=communes[v.commune], local_code=v.local_code, name=v.name, kind=v.kind)
            for v in self.plan.villages
            if (communes[v.commune].pk, v.local_code) not in existing
        ]
        Village.objects.bulk_create(new)
        # The villages were numbered in the district's communes; since 01/07/2025 they belong to the new communes.
        rehome_villages(Village, UnitSuccession, AdminUnit)
        territory_changed()  # bulk writes send no signal
        self.villages = {
            (v.legacy_commune.code if v.legacy_commune else v.commune.code, v.local_code): v
            for v in Village.objects.filter(
                Q(commune__in=legacy) | Q(legacy_commune__in=legacy)
            ).select_related("commune", "legacy_commune")
        }
        self.district = AdminUnit.objects.valid_on(on).get(level=UnitLevel.DISTRICT, code=self.plan.district)

    def _member_row(self, person: PersonPlan, relationship: str, start: date) -> registry.MemberRow:
        # Every fact is recorded, "no" included: the demo is a fully recorded register.
        facts = {**person.facts(), "has_meritorious_service": person.has_meritorious_service}
        return registry.MemberRow(
            full_name=person.full_name, sex=person.sex, relationship=relationship, start_date=start,
            birth_date=person.birth_date, citizen_id=person.citizen_id, ethnicity=self.ethnicities[person.ethnicity],
            facts=facts,
        )  # fmt: skip

    @staticmethod
    def _living_row(living: LivingPlan) -> registry.LivingConditionsRow:
        values = living.values()
        values["floor_area_m2"] = Decimal(values["floor_area_m2"])
        return registry.LivingConditionsRow(recorded_on=living.recorded_on, fields=values)

    def _register(self, plans: Sequence[tuple[HouseholdPlan, Sequence[MembershipPlan]]]) -> None:
        """Register households with the given members and their first living conditions."""
        rows = []
        for plan, members in plans:
            persons = [self.persons[m.person] for m in members]
            rows.append(registry.HouseholdRow(
                code=plan.code, commune=self.communes[plan.commune], area_type=plan.area_type,
                registered_on=plan.registered_on, village=self.villages[(plan.commune, plan.village)],
                is_agri=plan.is_agri, has_meritorious_member=any(p.has_meritorious_service for p in persons),
                no_working_capacity=not any(p.able_to_work for p in persons), address=plan.address,
                members=[self._member_row(self.persons[m.person], m.relationship, m.start_date) for m in members],
                living_conditions=[self._living_row(plan.living[0])],
            ))  # fmt: skip
        created = registry.households_bulk_register(rows, actor=self.actor)
        for household in created:
            self.households[household.code] = household
        self._map_persons([h.pk for h in created], plans)

    def _map_persons(
        self, household_ids: list[int], plans: Sequence[tuple[HouseholdPlan, Sequence[MembershipPlan]]]
    ) -> None:
        """Plan person keys -> database ids, by the order the bulk service created the memberships in."""
        by_household: dict[int, list[tuple[int, str, date | None]]] = defaultdict(list)
        for start in range(0, len(household_ids), 5_000):
            chunk = household_ids[start : start + 5_000]
            rows = (
                Membership.objects.filter(household_id__in=chunk)
                .order_by("id")
                .values_list("household_id", "person_id", "person__full_name", "person__birth_date")
            )
            for household_id, person_id, name, birth in rows:
                by_household[household_id].append((person_id, name, birth))
        for plan, members in plans:
            stored = by_household[self.households[plan.code].pk]
            for membership, (person_id, name, birth) in zip(members, stored, strict=True):
                person = self.persons[membership.person]
                if (person.full_name, person.birth_date) != (name, birth):
                    raise DemoBuildError(
                        f"hộ {plan.code}: nhân khẩu {name} không khớp kế hoạch ({person.full_name})"
                    )
                self.person_ids[membership.person] = person_id

    # Reviews ---------------------------------------------------------------------------------------------------

    def _area(self, review_plan: ReviewPlan) -> AdminUnit:
        """The unit a review covers: the district (valid until 30/06/2025) or one of today's communes."""
        if review_plan.area == self.plan.district and review_plan.area_level == UnitLevel.DISTRICT:
            return self.district
        try:
            return resolve_unit(review_plan.area, on=review_plan.reference_date, level=review_plan.area_level)
        except (UnitNotFound, UnitAmbiguous) as exc:
            raise DemoBuildError(str(exc)) from exc

    def _review(self, review_plan: ReviewPlan) -> None:
        area = self._area(review_plan)
        if area.level == UnitLevel.COMMUNE:
            self._check_territory(area, review_plan)
        review = reviews.review_open(
            area=area, year=review_plan.year, reference_date=review_plan.reference_date,
            kind=review_plan.kind, standard_code=review_plan.standard_code, name=review_plan.name,
        )  # fmt: skip
        items = []
        for assessment in review_plan.assessments:
            household = self.households[assessment.household]
            village = self.villages[
                (household.commune.code, self.household_plans[assessment.household].village)
            ]
            items.append(reviews.AssessmentInput(
                household=household, assessed_on=assessment.assessed_on,
                income_per_capita=assessment.income_per_capita, entered=assessment.entered,
                causes=assessment.causes, reviewer_name=f"Rà soát viên {village.name}",
            ))  # fmt: skip
        count = record_assessments(review, items, actor=self.actor, today=self.today)
        self.report.assessments[review.name] = count
        self._check(review, review_plan)
        if review.is_closed_on(self.today):
            self._decide(review)
        else:
            self._advance(review)

    def _advance(self, review: Review) -> None:
        """An open round goes through the procedure as far as the day of the build allows (`demo.procedure`), each
        commune's up to its stage (`targets.Territory.stage_2026`)."""
        communes = AdminUnit.objects.filter(
            pk__in=Assessment.objects.filter(review=review).order_by().values("commune_id")
        ).order_by("code")
        stages = {territory.commune: territory.stage_2026 for territory in targets.TERRITORIES}
        for commune in communes:
            stage = stages.get(commune.code, "complaints")
            done = advance(
                review, commune, today=self.today, actor=self.actor, complaint=stage == "complaints",
                decide=stage == "decided", meetings_from=survey_last_2026(self.today, stage) + timedelta(days=1),
            )  # fmt: skip
            self.say(f"  {review.name}, {commune.name}: {', '.join(done) or 'đang rà soát'}")

    def _decide(self, review: Review) -> None:
        """Each commune walks the review procedure (`demo.procedure`: village meetings, posting, consultation) and
        its chairman recognises the round's lists (`decisions.services.decision_record`): a periodic round's on 20
        December, a regular round's on the 14th day after it began (within the 15 days of QĐ 24/2021 Art. 5); the
        certificates are issued three days later; the results are submitted and approved. Demo choices: the dates
        of the steps, the decision numbers and the signer's title."""
        if review.kind == ReviewKind.PERIODIC:
            signed_on = review.reference_date + timedelta(days=6)
        else:
            signed_on = regular_round_period(review.reference_date)[0] + timedelta(days=14)
        communes = AdminUnit.objects.filter(
            pk__in=Assessment.objects.filter(review=review).order_by().values("commune_id")
        ).order_by("code")
        for number, commune in enumerate(communes, start=1):
            walk_to_decision(review, commune, signed_on, actor=self.actor, today=self.today)
            decision_record(
                review=review, commune=commune, number=f"{number:03d}/QĐ-UBND", signed_on=signed_on,
                signer=f"Chủ tịch UBND {commune.name}", actor=self.actor, today=self.today,
            )  # fmt: skip
            certificates_issue(
                review=review, commune=commune, issued_on=signed_on + timedelta(days=3), actor=self.actor,
                today=self.today,
            )  # fmt: skip
            # The level above approved the past round's results (the province, for the demo).
            round_submit(review=review, commune=commune, actor=self.actor)
            round_approve(review=review, commune=commune, actor=self.actor)

    def _check_territory(self, commune: AdminUnit, review_plan: ReviewPlan) -> None:
        """The households the plan reviews in one of today's communes are exactly those of its territory (its
        former communes' villages, `areas.selectors.territory`) that are open on the reference date."""
        inside = set(
            Household.objects.filter(territory(commune).households_q())
            .exclude(closed_on__lte=review_plan.reference_date)
            .values_list("code", flat=True)
        )
        planned = {a.household for a in review_plan.assessments}
        if inside != planned:
            extra, missing = sorted(planned - inside), sorted(inside - planned)
            raise DemoBuildError(
                f"{review_plan.name}: kế hoạch không khớp địa bàn {commune.name} "
                f"(ngoài địa bàn: {', '.join(extra[:5]) or 'không'}; thiếu: {', '.join(missing[:5]) or 'không'})."
            )

    def _check(self, review: Review, review_plan: ReviewPlan) -> None:
        """Every household's class from the engine equals the class the plan expected."""
        expected = {a.household: a.expected_class for a in review_plan.assessments}
        got = dict(Assessment.objects.filter(review=review).values_list("household__code", "poverty_class"))
        wrong = sorted(code for code in expected if got.get(code) != expected[code])
        if wrong:
            sample = ", ".join(f"{code} ({got.get(code)} ≠ {expected[code]})" for code in wrong[:5])
            raise DemoBuildError(
                f"{review.name}: {len(wrong)} hộ được phân loại khác kế hoạch, ví dụ {sample}. "
                "Quy tắc của chuẩn nghèo có thể đã thay đổi; dữ liệu mẫu chưa được ghi."
            )
        counts = Counter(got.values())
        self.say(
            f"  {review.name}: {group_thousands(len(got))} hộ, {group_thousands(counts['ngheo'])} hộ nghèo, "
            f"{group_thousands(counts['can_ngheo'])} hộ cận nghèo — đúng như kế hoạch."
        )

    # Registry events -------------------------------------------------------------------------------------------

    def _phases(self, events: list[EventPlan]) -> tuple[list[EventPlan], list[EventPlan]]:
        """`events` before and after the regular review: a household assessed in it sees exactly the changes made
        before its assessment; every other household's events up to the last day of that review come first."""
        last_regular = max(self.regular_days.values(), default=date.min)
        early: list[EventPlan] = []
        late: list[EventPlan] = []
        for event in events:
            day = self.regular_days.get(event.household, last_regular)
            (early if event.on < day or (event.household not in self.regular_days and event.on <= day)
             else late).append(event)  # fmt: skip
        return early, late

    def _apply(self, events: Iterable[EventPlan]) -> None:
        by_kind: dict[str, list[EventPlan]] = defaultdict(list)
        for event in events:
            by_kind[event.kind].append(event)
        unknown = set(by_kind) - set(_KIND_ORDER)
        if unknown:
            raise DemoBuildError(f"loại sự kiện không biết: {', '.join(sorted(unknown))}")
        for kind in _KIND_ORDER:
            batch = sorted(by_kind.get(kind, []), key=lambda e: (e.on, e.household, e.person or ""))
            if batch:
                started = time.perf_counter()
                getattr(self, f"_apply_{kind}")(batch)
                self.kind_seconds[kind] += time.perf_counter() - started

    def _apply_household_split(self, events: list[EventPlan]) -> None:
        new_households = []
        for event in events:
            origin = self.households[event.household]
            persons = [self.person(key) for key in event.changes["persons"]]
            relationships = {self.person_ids[key]: rel for key, rel in event.changes["relationships"].items()}
            new = registry.household_split(
                household=origin, new_code=event.changes["new_code"], members=persons, on=event.on,
                actor=self.actor, relationships=relationships,
            )  # fmt: skip
            self.households[new.code] = new
            new_households.append(new)
        items = [
            (household, self._living_row(self.plan.new_households[household.code].living[0]))
            for household in new_households
        ]
        registry.living_conditions_bulk_record(items, actor=self.actor)

    def _apply_household_register(self, events: list[EventPlan]) -> None:
        """Households moving in, with the people who came with them (later births are their own events)."""
        plans = [self.plan.new_households[event.household] for event in events]
        self._register([(h, [m for m in h.memberships if m.start_date == h.registered_on]) for h in plans])

    def _apply_member_leave(self, events: list[EventPlan]) -> None:
        ids = [self.person_ids[event.person] for event in events if event.person]
        current = {
            m.person_id: m for m in Membership.objects.filter(person_id__in=ids, end_date__isnull=True)
        }
        rows = [
            registry.MemberLeaveRow(
                membership=current[self.person_ids[event.person]],
                end_date=event.on,
                reason=event.changes["reason"],
            )
            for event in events
            if event.person
        ]
        registry.members_bulk_leave(rows, actor=self.actor)

    def _apply_household_close(self, events: list[EventPlan]) -> None:
        for event in events:
            household = self.households[event.household]
            household.refresh_from_db()
            target = event.changes.get("merged_into")
            registry.household_close(
                household=household, on=event.on, reason=event.changes["reason"], actor=self.actor,
                merged_into=self.households[target] if target else None,
            )  # fmt: skip

    def _apply_member_add(self, events: list[EventPlan]) -> None:
        items = []
        for event in events:
            assert event.person is not None
            person = self.persons[event.person]
            items.append((self.households[event.household],
                          self._member_row(person, event.changes["relationship"], event.on)))  # fmt: skip
        created = registry.members_bulk_add(items, actor=self.actor)
        for event, stored in zip(events, created, strict=True):
            assert event.person is not None
            self.person_ids[event.person] = stored.pk

    def _apply_member_update(self, events: list[EventPlan]) -> None:
        ids = [self.person_ids[event.person] for event in events if event.person]
        persons = Person.objects.in_bulk(ids)
        for event in events:
            assert event.person is not None
            person = persons[self.person_ids[event.person]]
            registry.member_update(person=person, actor=self.actor, on=event.on, **event.changes)

    def _apply_living_conditions(self, events: list[EventPlan]) -> None:
        items = []
        for event in events:
            values = dict(event.changes)
            values["floor_area_m2"] = Decimal(values["floor_area_m2"])
            items.append((self.households[event.household],
                          registry.LivingConditionsRow(recorded_on=event.on, fields=values)))  # fmt: skip
        registry.living_conditions_bulk_record(items, actor=self.actor)


def record_assessments(
    review: Review, items: Sequence[reviews.AssessmentInput], *, actor: Any, today: date
) -> int:
    """Record a review's assessments as they stand on `today`. A past round's records are imported
    (`historical`): a round whose cut-off date has passed accepts each household's first assessment, never a
    second one. A round still open that day (the end-2026 review before 14/12/2026) is recorded as a commune
    officer records it."""
    historical = review.is_closed_on(today)
    return reviews.assessments_bulk_record(items, review=review, actor=actor, historical=historical)


def build_district(
    plan: Plan, *, actor: Any = None, say: Callable[[str], None] = lambda _: None
) -> tuple[DemoRun, BuildReport]:
    """Write `plan` in one transaction and record the run; raises DemoBuildError (nothing written) when the
    engine's classes differ from the plan's."""
    started = time.perf_counter()
    with transaction.atomic():
        builder = _Builder(plan, actor=actor, say=say)
        report = builder.run()
        run = DemoRun.objects.create(
            seed=plan.seed,
            district=plan.district,
            plan_checksum=plan.checksum(),
            households=report.households,
            persons=report.persons,
            events=report.events,
            assessments=sum(report.assessments.values()),
            seconds=round(time.perf_counter() - started, 1),
            created_at=timezone.now(),
        )
    return run, report
