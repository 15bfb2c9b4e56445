"""The demo district's life between its reviews: the registry events of a year.

Households split off (a married child sets up house) and move in; households close (moved away, merged into a
relative's household, a single elderly person died); people are born, die and leave to work in other provinces;
people reaching 80 start receiving the monthly social allowance (NĐ 20/2021/NĐ-CP); every September the new school
year moves pupils up a level, sends young children to preschool and school leavers to work. Each becomes an
`EventPlan` that the builder applies through the registry service of that kind, so it shows in the household's
history. Illustrative rates, drawn from the planner's `random.Random`.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from giamngheo.demo import names
from giamngheo.demo.plan import EventPlan, HouseholdPlan, LivingPlan, MembershipPlan, PersonPlan, PlanError
from giamngheo.demo.population import (
    INDIGENOUS,
    URBAN,
    CommuneSpec,
    Registry,
    VillageSpec,
    assign_work,
    make_person,
)
from giamngheo.demo.realize import living_values
from giamngheo.demo.schooling import (
    COMPLETED_BEFORE,
    GENERAL_LEVELS,
    HIGHER,
    LOWER_SECONDARY,
    PRESCHOOL,
    UPPER_SECONDARY,
    VOCATIONAL,
    at_least,
)
from giamngheo.engine.facts import school_age_on

# The opening day of the school year (khai giảng): the day school levels change in the registry.
SCHOOL_YEAR_OPENING = (9, 5)

_LEVEL_NAMES = {PRESCHOOL: "mẫu giáo", "primary": "tiểu học", LOWER_SECONDARY: "trung học cơ sở",
                UPPER_SECONDARY: "trung học phổ thông"}  # fmt: skip


def day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


class LifeEvents:
    """A year's events (2023 in the district, 2024-2026 in new Xã Kông Chro), as a mixin of the planner (which
    owns the state declared here)."""

    rng: random.Random
    registry: Registry
    households: dict[str, HouseholdPlan]
    persons: dict[str, PersonPlan]
    ethnicity: dict[str, str]
    new_households: set[str]
    new_persons: set[str]
    events: list[EventPlan]
    communes: dict[str, CommuneSpec]
    villages: dict[tuple[str, str], VillageSpec]
    allowance_households: set[str]
    birth_households: set[str]
    last_change: dict[str, date]  # person -> the day of their latest planned member_update event
    splits: int
    move_ins: int
    closures: Mapping[str, int]

    def _survey_day_of(self, household: HouseholdPlan, year: int) -> date:
        raise NotImplementedError

    def _new_household(
        self,
        commune: CommuneSpec,
        village: VillageSpec,
        on: date,
        village_effect: float,
        registered_on: date | None = None,
    ) -> HouseholdPlan:
        raise NotImplementedError

    def _structural_events(
        self,
        year: int,
        codes: list[str] | None = None,
        *,
        splits: int | None = None,
        move_ins: int | None = None,
        closures: Mapping[str, int] | None = None,
    ) -> None:
        """The year's events in the households `codes` (all by default), with the given numbers of households
        splitting off, moving in and closing (the configured 2023 numbers by default)."""
        scope = sorted(self.households) if codes is None else sorted(codes)
        self._closures(scope, year, self.closures if closures is None else closures)
        self._splits(year, scope, self.splits if splits is None else splits)
        self._move_ins(year, self.move_ins if move_ins is None else move_ins)
        # Households that split off this year live their year too (births, deaths, people leaving).
        scope = sorted({*scope, *(c for c in self.new_households if c in self.households
                                  and self.households[c].registered_on.year == year)})  # fmt: skip
        self._deaths_and_departures(year, scope)
        self._births(year, scope)
        self._allowances(year, scope)

    def _add_event(self, event: EventPlan) -> None:
        self.events.append(event)

    def _close(
        self, household: HouseholdPlan, day: date, reason: str, merged_into: str | None = None
    ) -> None:
        household.closed_on = day
        household.closed_reason = reason
        household.merged_into = merged_into
        for membership in household.members_on(day):
            membership.end_date = day
            membership.end_reason = {"moved_away": "moved_out", "merged": "household_merged",
                                     "died_out": "died"}[reason]  # fmt: skip
        changes: dict[str, Any] = {"reason": reason}
        if merged_into is not None:
            changes["merged_into"] = merged_into
            target = self.households[merged_into]
            for person in [m.person for m in household.memberships if m.end_date == day]:
                target.memberships.append(MembershipPlan(person=person, relationship="other", start_date=day))
        self._add_event(EventPlan(on=day, kind="household_close", household=household.code, changes=changes))

    def _closures(self, codes: list[str], year: int, closures: Mapping[str, int]) -> None:
        rng = self.rng
        start, end = date(year, 2, 1), date(year, 8, 31)
        day0 = date(year, 1, 1)
        singles = [c for c in codes if len(self.households[c].members_on(day0)) == 1
                   and age_of(self.persons[self.households[c].head], day0) >= 68]  # fmt: skip
        rng.shuffle(singles)
        died_out = singles[: closures.get("died_out", 0)]
        taken = set(died_out)
        for code in died_out:
            household = self.households[code]
            day = day_between(rng, start, end)
            head = self.persons[household.head]
            head.date_of_death = day
            membership = household.members_on(day)[0]
            membership.end_date, membership.end_reason = day, "died"
            self._add_event(EventPlan(on=day, kind="member_leave", household=code, person=head.key,
                                      changes={"reason": "died"}, note="Chủ hộ qua đời"))  # fmt: skip
            household.closed_on, household.closed_reason = day, "died_out"
            self._add_event(EventPlan(on=day, kind="household_close", household=code,
                                      changes={"reason": "died_out"}))  # fmt: skip
        elderly = [c for c in codes if c not in taken and 1 <= len(self.households[c].members_on(day0)) <= 2
                   and age_of(self.persons[self.households[c].head], day0) >= 65]  # fmt: skip
        rng.shuffle(elderly)
        for code in elderly[: closures.get("merged", 0)]:
            household = self.households[code]
            receivers = sorted(
                other for other in codes
                if other not in taken and other != code and self.households[other].village == household.village
                and self.households[other].commune == household.commune
                and len(self.households[other].members_on(day0)) >= 2
            )  # fmt: skip
            if not receivers:
                continue
            receiver = rng.choice(receivers)
            taken.update({code, receiver})
            self._close(household, day_between(rng, start, end), "merged", receiver)
        movers = [c for c in codes if c not in taken]
        movers.sort(key=lambda c: (self.ethnicity[c] in INDIGENOUS, c))  # settlers and Kinh move more often
        pool = movers[: max(len(movers) // 3, closures.get("moved_away", 0))]
        for code in rng.sample(pool, closures.get("moved_away", 0)):
            taken.add(code)
            self._close(self.households[code], day_between(rng, start, end), "moved_away")
        closed = Counter(
            hh.closed_reason for hh in map(self.households.__getitem__, codes)
            if hh.closed_on and hh.closed_on.year == year
        )  # fmt: skip
        if dict(closed) != {k: v for k, v in closures.items() if v}:
            raise PlanError(f"năm {year}: kế hoạch đóng hộ {dict(closed)}, chỉ tiêu {dict(closures)}")

    def _splits(self, year: int, codes: list[str], count: int) -> None:
        rng = self.rng
        day0 = date(year, 1, 1)
        candidates = []
        for code in codes:
            household = self.households[code]
            if household.closed_on is not None:
                continue
            members = household.members_on(day0)
            in_laws = [m for m in members if m.relationship == "other"]
            adults = [
                m for m in members if m.relationship == "child" and age_of(self.persons[m.person], day0) >= 22
            ]
            if in_laws and adults:
                candidates.append((0, code))
            elif adults and len(members) >= 4:
                candidates.append((1, code))
        rng.shuffle(candidates)
        candidates.sort(key=lambda item: item[0])
        chosen = [code for _, code in candidates[:count]]
        if len(chosen) < count:
            raise PlanError(f"năm {year}: chỉ có {len(chosen)} hộ có thể tách hộ, chỉ tiêu {count}")
        for code in chosen:
            self._split(self.households[code], day_between(rng, date(year, 1, 10), date(year, 3, 31)))

    def _split(self, household: HouseholdPlan, day: date) -> None:
        members = household.members_on(day)
        adults = sorted((m for m in members if m.relationship == "child"
                         and age_of(self.persons[m.person], day) >= 22), key=lambda m: m.person)  # fmt: skip
        new_head = adults[0]
        moving = [new_head]
        relationships = {new_head.person: "head"}
        in_laws = [m for m in members if m.relationship == "other"]
        if in_laws:
            moving.append(in_laws[0])
            relationships[in_laws[0].person] = "spouse"
            for grandchild in (m for m in members if m.relationship == "grandchild"):
                moving.append(grandchild)
                relationships[grandchild.person] = "child"
        code = self.registry.household_code(household.commune, household.village)
        new = HouseholdPlan(
            code=code, commune=household.commune, village=household.village, area_type=household.area_type,
            address=household.address, is_agri=household.is_agri, registered_on=day, head=new_head.person,
            living=[LivingPlan(recorded_on=day, **living_values(household.living_on(day)))],
            split_from=household.code,
            welfare=household.welfare - 0.15 + self.rng.gauss(0, 0.4),
        )  # fmt: skip
        for membership in moving:
            membership.end_date, membership.end_reason = day, "household_split"
            new.memberships.append(
                MembershipPlan(
                    person=membership.person, relationship=relationships[membership.person], start_date=day
                )
            )
        self.households[code] = new
        self.ethnicity[code] = self.persons[new_head.person].ethnicity
        self.new_households.add(code)
        self._add_event(EventPlan(
            on=day, kind="household_split", household=household.code,
            changes={"new_code": code, "persons": [m.person for m in moving], "relationships": relationships},
            note="Con đã lập gia đình tách hộ ở riêng",
        ))  # fmt: skip

    def _move_ins(self, year: int, count: int) -> None:
        rng = self.rng
        destinations = sorted(
            (v for v in self.villages.values() if v.profile in {"kinh", "migrant", "mixed"}),
            key=lambda v: (v.commune, v.local_code),
        ) or sorted(self.villages.values(), key=lambda v: (v.commune, v.local_code))
        for _ in range(count):
            village = rng.choice(destinations)
            day = day_between(rng, date(year, 2, 1), date(year, 8, 31))
            household = self._new_household(
                self.communes[village.commune], village, day, 0.0, registered_on=day
            )
            for membership in household.memberships:
                membership.start_date = day
                self.new_persons.add(membership.person)
            self.new_households.add(household.code)
            self._add_event(EventPlan(on=day, kind="household_register", household=household.code,
                                      note="Hộ chuyển đến từ nơi khác"))  # fmt: skip

    def _deaths_and_departures(self, year: int, codes: list[str]) -> None:
        rng = self.rng
        day0 = date(year, 1, 1)
        for code in codes:
            household = self.households[code]
            if household.closed_on is not None or household.registered_on.year == year:
                continue
            for membership in household.members_on(day0):
                if membership.person == household.head or membership.end_date is not None:
                    continue
                person = self.persons[membership.person]
                age = age_of(person, day0)
                if rng.random() < _mortality(age):
                    day = day_between(rng, date(year, 2, 1), date(year, 9, 20))
                    if not membership.current_on(day):
                        continue
                    person.date_of_death = day
                    membership.end_date, membership.end_reason = day, "died"
                    self._add_event(EventPlan(on=day, kind="member_leave", household=code, person=person.key,
                                              changes={"reason": "died"}, note="Qua đời"))  # fmt: skip
                elif 18 <= age <= 30 and membership.relationship == "child" and rng.random() < 0.012:
                    day = day_between(rng, date(year, 2, 1), date(year, 8, 31))
                    if not membership.current_on(day):
                        continue
                    membership.end_date, membership.end_reason = day, "moved_out"
                    self._add_event(EventPlan(
                        on=day, kind="member_leave", household=code, person=person.key,
                        changes={"reason": "moved_out"}, note="Đi làm ăn xa (chuyển khẩu đi tỉnh khác)",
                    ))  # fmt: skip

    def _births(self, year: int, codes: list[str]) -> None:
        rng = self.rng
        for code in codes:
            household = self.households[code]
            if household.closed_on is not None:
                continue
            day = day_between(rng, date(year, 4, 1), date(year, 9, 25))
            members = household.members_on(day)
            mothers = [m for m in members if self.persons[m.person].sex == names.FEMALE
                       and 18 <= age_of(self.persons[m.person], day) <= 42
                       and m.relationship in {"head", "spouse", "other", "child"}]  # fmt: skip
            for mother_membership in mothers:
                mother = self.persons[mother_membership.person]
                if mother_membership.relationship == "child" and not any(
                    m.relationship == "other" for m in members
                ):
                    continue  # an unmarried daughter
                rate = 0.085 if mother.ethnicity in INDIGENOUS else 0.055
                if rng.random() >= rate:
                    continue
                relationship = (
                    "child" if mother_membership.relationship in {"head", "spouse"} else "grandchild"
                )
                father = next((self.persons[m.person] for m in members
                               if m.person != mother.key and m.relationship in {"head", "spouse", "other", "child"}
                               and self.persons[m.person].sex == names.MALE), None)  # fmt: skip
                surname = names.child_surname(mother.ethnicity, father.full_name if father else None,
                                              mother.full_name)  # fmt: skip
                baby = make_person(self.registry, ethnicity=mother.ethnicity, sex=rng.choice((names.MALE, names.FEMALE)),
                                   age=0, on=day, urban=household.area_type == URBAN, welfare=0.0, surname=surname)  # fmt: skip
                baby.birth_date = day
                self.persons[baby.key] = baby
                self.new_persons.add(baby.key)
                self.birth_households.add(code)
                household.memberships.append(
                    MembershipPlan(person=baby.key, relationship=relationship, start_date=day)
                )
                self._add_event(EventPlan(on=day, kind="member_add", household=code, person=baby.key,
                                          changes={"relationship": relationship}, note="Sinh con"))  # fmt: skip
                break

    def _allowances(self, year: int, codes: list[str]) -> None:
        """People reaching 80 start receiving the monthly social allowance (NĐ 20/2021/NĐ-CP)."""
        for code in codes:
            household = self.households[code]
            if household.closed_on is not None:
                continue
            survey = self._survey_day_of(household, year)
            for membership in household.members_on(survey):
                person = self.persons[membership.person]
                if person.receives_social_allowance or person.key in self.new_persons:
                    continue
                birthday = date(
                    person.birth_date.year + 80, person.birth_date.month, min(person.birth_date.day, 28)
                )
                if not date(year, 1, 1) <= birthday < survey:
                    continue
                day = max(birthday + timedelta(days=1), membership.start_date + timedelta(days=1))
                if day >= survey:
                    continue
                person.receives_social_allowance = True
                self.allowance_households.add(code)
                self._add_event(EventPlan(
                    on=day, kind="member_update", household=code, person=person.key,
                    changes={"receives_social_allowance": True},
                    note="Hưởng trợ cấp xã hội hằng tháng (người từ đủ 80 tuổi)",
                ))  # fmt: skip

    # The school year -------------------------------------------------------------------------------------------

    def _school_year(self, year: int, codes: list[str]) -> None:
        """The new school year opens (5 September): pupils move up to the next level when their school age says
        so, those finishing lower or upper secondary school go on or leave for work, those finishing vocational
        training or university leave with their qualification, and young children start preschool or school."""
        day = date(year, *SCHOOL_YEAR_OPENING)
        for code in sorted(codes):
            household = self.households[code]
            if not household.active_on(day):
                continue
            urban = household.area_type == URBAN
            for membership in household.members_on(day):
                person = self.persons[membership.person]
                if person.date_of_death is not None and person.date_of_death <= day:
                    continue
                before = {name: getattr(person, name) for name in _SCHOOL_FIELDS}
                note = self._next_school_year(person, day, urban)
                changes = {name: getattr(person, name) for name in _SCHOOL_FIELDS
                           if getattr(person, name) != before[name]}  # fmt: skip
                if not changes or person.key in self.new_persons:
                    continue  # a person created this year is recorded with their state at the review
                self.last_change[person.key] = day
                self._add_event(EventPlan(on=day, kind="member_update", household=code, person=person.key,
                                          changes=changes, note=note))  # fmt: skip

    def _next_school_year(self, person: PersonPlan, day: date, urban: bool) -> str:
        """Move `person` into the school year opening on `day`; returns the note of the change."""
        rng, ladder = self.rng, self.registry.ladder
        school_age = school_age_on(person.birth_date, day)
        assert school_age is not None
        indigenous = person.ethnicity in INDIGENOUS
        level = person.school_level
        if not person.in_education:
            due = ladder.level(school_age)
            starts = due in {PRESCHOOL, "primary"} and person.education_level == "none" and school_age <= 6
            if due is not None and starts and rng.random() < (0.86 if indigenous else 0.96):
                person.in_education, person.school_level = True, due
                return f"Năm học {day.year}-{day.year + 1}: bắt đầu đi học {_LEVEL_NAMES[due]}"
            return ""
        if level in GENERAL_LEVELS:
            due = ladder.level(school_age)
            if due == level or (due is not None and GENERAL_LEVELS.index(due) < GENERAL_LEVELS.index(level)):
                return ""
            following = GENERAL_LEVELS[GENERAL_LEVELS.index(level) + 1] if level != UPPER_SECONDARY else None
            if following in {"primary", LOWER_SECONDARY}:
                person.school_level = following
                person.education_level = at_least(person.education_level, COMPLETED_BEFORE[following])
                grade = "lớp 1" if following == "primary" else "lớp 6"
                return f"Năm học {day.year}-{day.year + 1}: vào {grade} ({_LEVEL_NAMES[following]})"
            if following == UPPER_SECONDARY:
                person.education_level = at_least(person.education_level, "lower_secondary")
                roll = rng.random()
                if roll < (0.6 if indigenous else 0.85):
                    person.school_level = UPPER_SECONDARY
                    return f"Tốt nghiệp trung học cơ sở; năm học {day.year}-{day.year + 1} vào lớp 10"
                if roll < (0.72 if indigenous else 0.92):
                    person.school_level = VOCATIONAL
                    return "Tốt nghiệp trung học cơ sở, học trung cấp nghề"
                self._leave_for_work(person, day, urban)
                return "Tốt nghiệp trung học cơ sở, nghỉ học đi làm"
            person.education_level = at_least(person.education_level, "upper_secondary")
            roll = rng.random()
            if roll < (0.08 if indigenous else 0.35):
                person.school_level = HIGHER
                return "Tốt nghiệp trung học phổ thông, vào đại học"
            if roll < (0.2 if indigenous else 0.5):
                person.school_level = VOCATIONAL
                return "Tốt nghiệp trung học phổ thông, học nghề"
            self._leave_for_work(person, day, urban)
            return "Tốt nghiệp trung học phổ thông, đi làm"
        if level == VOCATIONAL and school_age >= 17 and rng.random() < 0.5:
            person.vocational_level = "intermediate" if rng.random() < 0.6 else "elementary"
            self._leave_for_work(person, day, urban)
            return "Hoàn thành khóa đào tạo nghề, đi làm"
        if level == HIGHER and school_age >= 22 and rng.random() < 0.6:
            person.education_level = "university" if rng.random() < 0.75 else "college"
            self._leave_for_work(person, day, urban)
            return "Tốt nghiệp đại học, cao đẳng, đi làm"
        return ""

    def _leave_for_work(self, person: PersonPlan, day: date, urban: bool) -> None:
        person.in_education, person.school_level = False, None
        person.has_labour_contract = False
        assign_work(self.rng, person, age_of(person, day), urban, person.ethnicity == names.KINH)


_SCHOOL_FIELDS = ("in_education", "school_level", "education_level", "vocational_level", "work_status",
                  "has_labour_contract")  # fmt: skip


def age_of(person: PersonPlan, on: date) -> int:
    return (
        on.year
        - person.birth_date.year
        - ((on.month, on.day) < (person.birth_date.month, person.birth_date.day))
    )


def _mortality(age: int) -> float:
    if age < 1:
        return 0.012
    if age < 50:
        return 0.0015
    if age < 65:
        return 0.008
    if age < 75:
        return 0.025
    return 0.07
