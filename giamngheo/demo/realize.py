"""Concrete household facts that make the engine find a chosen set of deprivations.

The demo never assigns a class: it chooses which of the standard's indicators a household is deprived on and then
sets plain facts (a member aged 6 or more without health insurance, walls and pillars of bamboo, water from a
stream, ...) so that the engine's own rules, read from the standard's data file, derive exactly that set. Which
members belong to an indicator's group and whether a member is deprived are evaluated with the rule's compiled
expressions (`IndicatorRule.among` / `.when`), with the same semantics as `engine.classify.derive_indicator`, so a
change to a rule's parameters in the data file is followed automatically; `Rules.derive` is that derivation with
the expressions compiled once (the planner calls it tens of thousands of times).

The member facts the rules read are the engine's own (`engine.facts.member_facts`: the recorded facts plus the age,
school age and working age on the day), and unrecorded facts are unknown to the rules as they are to the engine;
the demo records every fact of its members, so every indicator is decided.

Two modes: "initial" builds the state before the first review (any plausible value may be set); "update" changes
a household between reviews the way life does (a health-insurance card issued or expired, a child starting,
leaving or repeating a year of school, a latrine built, a job found or lost, waste collection reaching the
village) and records each change with a readable note.
"""

from __future__ import annotations

import ast
import copy
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from giamngheo.demo.plan import LIVING_FIELDS, PersonPlan
from giamngheo.demo.schooling import (
    COMPLETED_BEFORE,
    LOWER_SECONDARY,
    PRESCHOOL,
    UPPER_SECONDARY,
    VOCATIONAL,
    SchoolLadder,
)
from giamngheo.engine.classify import derive_from_values
from giamngheo.engine.expr import Expression
from giamngheo.engine.facts import HOUSEHOLD_FACT_NAMES, MemberFacts, age_on, member_facts, school_age_on
from giamngheo.engine.standard import IndicatorRule, Standard

# Durable structural materials; must equal giamngheo.registry.models.DURABLE_MATERIALS (checked by a test).
DURABLE_MATERIALS = frozenset({"concrete", "iron_steel", "durable_wood", "tile_metal_sheet"})

MEMBER_KINDS = frozenset({"any_member", "member_share"})
INITIAL = "initial"
UPDATE = "update"

_MEMBER_DEFAULTS = {f.name: f.default for f in fields(MemberFacts)}
# Member facts computed from the birth date, the sex and the day (engine.facts.member_facts), not recorded.
_COMPUTED = frozenset({"age", "sex", "birth_year", "school_age", "working_age", "past_working_age"})
_PERSON_MEMBER_FIELDS = tuple(
    f.name
    for f in fields(MemberFacts)
    if f.name not in _COMPUTED and f.name in PersonPlan.__dataclass_fields__
)

# Order in which indicators are realised: schooling before work (a student is not counted as jobless).
_ORDER = (
    "giao_duc_nguoi_lon",
    "tre_em_di_hoc",
    "dinh_duong",
    "bao_hiem_y_te",
    "viec_lam",
    "chat_luong_nha_o",
    "dien_tich_nha_o",
    "nguon_nuoc_sinh_hoat",
    "nha_tieu_hop_ve_sinh",
    "dich_vu_vien_thong",
    "tai_san_tiep_can_thong_tin",
    "thu_gom_xu_ly_rac",
)


class RealizeError(RuntimeError):
    """The generator could not make the facts agree with the chosen deprivations (a bug in the demo)."""


def member_dict(person: PersonPlan, on: date) -> dict[str, Any]:
    """The member facts the engine sees for `person` on `on` (as `MemberFacts.as_dict()`): the person's recorded
    facts and what `engine.facts.member_facts` computes from the birth date, the sex and the day."""
    recorded = {name: getattr(person, name) for name in _PERSON_MEMBER_FIELDS}
    return member_facts(birth_date=person.birth_date, sex=person.sex, on=on, **recorded).as_dict()


def household_dict(living: Mapping[str, Any], member_count: int) -> dict[str, Any]:
    """The household facts the engine sees (as `HouseholdFacts.household_dict()`)."""
    values: dict[str, Any] = dict.fromkeys(HOUSEHOLD_FACT_NAMES)
    values["wall_durable"] = living["wall_material"] in DURABLE_MATERIALS
    values["pillar_durable"] = living["pillar_material"] in DURABLE_MATERIALS
    values["roof_durable"] = living["roof_material"] in DURABLE_MATERIALS
    values["floor_area_m2"] = float(living["floor_area_m2"])
    for name in ("water_source", "latrine_type", "uses_internet", "has_phone", "has_tv", "has_radio",
                 "has_computer", "has_smartphone", "waste_collected"):  # fmt: skip
        values[name] = living[name]
    values["member_count"] = member_count or None
    return values


def _count(*values: Any) -> int:
    return sum(1 for value in values if value)


def native(expression: Expression) -> Callable[[Mapping[str, Any]], Any]:
    """The rule expression compiled to Python bytecode, for speed: the engine's own closures are exact for every
    input (NaN, missing facts), this is exact for what the demo feeds it (recorded facts, no NaN). The expression
    was parsed and checked against the engine's syntax whitelist when the standard was loaded; it is evaluated
    without builtins. Falls back to the engine's closure if a parameter shadows a fact name."""
    params = {
        name: tuple(value) if isinstance(value, list) else value for name, value in expression.params.items()
    }
    if set(params) & set(_MEMBER_DEFAULTS) or set(params) & set(HOUSEHOLD_FACT_NAMES):
        return expression.python
    tree = ast.Expression(body=copy.deepcopy(expression.tree))
    ast.fix_missing_locations(tree)
    code = compile(tree, "<rule>", "eval")
    namespace: dict[str, Any] = {"__builtins__": {}, "count": _count, **params}

    def evaluate(facts: Mapping[str, Any]) -> Any:
        return eval(code, namespace, facts)  # noqa: S307 — a whitelisted rule expression, no builtins

    return evaluate


class Rules:
    """A standard's indicator rules with their expressions compiled once."""

    def __init__(self, standard: Standard) -> None:
        self.standard = standard
        self.codes = standard.indicator_codes
        self.ladder = SchoolLadder.of(standard)
        self.rules: dict[str, IndicatorRule] = {rule.code: rule for rule in standard.indicators}
        self._among = {r.code: native(r.among) for r in standard.indicators if r.among is not None}
        self._when = {r.code: native(r.when) for r in standard.indicators if r.when is not None}
        self._shape = {
            r.code: (
                r.kind,
                tuple(sorted(r.among.facts)) if r.among is not None else (),
                tuple(sorted(r.when.facts)) if r.when is not None else (),
                r.above if r.above is not None else 0.0,
            )
            for r in standard.indicators
        }

    def in_group(self, code: str, member: Mapping[str, Any]) -> bool:
        rule = self.rules[code]
        if rule.among is None:
            return True
        if any(member[name] is None for name in rule.among.facts):
            return bool(rule.among.python(member))
        return bool(self._among[code](member))

    def member_deprived(self, code: str, member: Mapping[str, Any]) -> bool:
        if not self.in_group(code, member):
            return False
        when = self.rules[code].when
        assert when is not None
        if any(member[name] is None for name in when.facts):
            return bool(when.python(member))
        return bool(self._when[code](member))

    def derive_one(
        self, code: str, household: Mapping[str, Any], members: list[dict[str, Any]]
    ) -> bool | None:
        """`engine.classify.derive_indicator` for one rule (written with plain loops: this is the hot path). Where a
        fact the rule reads is not recorded (a school level for a child out of school), the rule is evaluated by
        the engine's own three-valued closures, as the engine does."""
        kind, among_facts, when_facts, above = self._shape[code]
        if kind == "entered":
            return None
        when = self._when.get(code)
        if kind == "household":
            for name in when_facts:
                if household[name] is None:
                    return self._engine(code, household, members)
            return bool(when(household)) if when is not None else None
        if not members:
            return None
        group = members
        among = self._among.get(code)
        if among is not None:
            for member in members:
                for name in among_facts:
                    if member[name] is None:
                        return self._engine(code, household, members)
            group = [m for m in members if among(m)]
        if kind == "member_share":
            return len(group) / len(members) > above
        for member in group:
            for name in when_facts:
                if member[name] is None:
                    return self._engine(code, household, members)
        assert when is not None
        return any(when(member) for member in group)

    def _engine(self, code: str, household: Mapping[str, Any], members: list[dict[str, Any]]) -> bool | None:
        """`engine.classify.derive_indicator` with the engine's three-valued closures (the slow, exact path)."""
        return derive_from_values(self.rules[code], household, members)

    def derive(self, household: Mapping[str, Any], members: list[dict[str, Any]]) -> dict[str, bool | None]:
        return {code: self.derive_one(code, household, members) for code in self.codes}

    def deprived_set(self, household: Mapping[str, Any], members: list[dict[str, Any]]) -> frozenset[str]:
        derived = self.derive(household, members)
        missing = [code for code, value in derived.items() if value is None]
        if missing:
            raise RealizeError(f"thiếu dữ liệu cho chỉ số {', '.join(missing)}")
        return frozenset(code for code, value in derived.items() if value)


@dataclass
class Scene:
    """One household on one day, being brought to a chosen set of deprivations."""

    rules: Rules
    rng: random.Random
    on: date
    urban: bool
    indigenous: bool
    persons: list[PersonPlan]
    living: dict[str, Any]
    mode: str = INITIAL
    living_mode: str = ""  # the mode for the living conditions; defaults to `mode`
    person_changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    person_notes: dict[str, list[str]] = field(default_factory=dict)
    living_changed: bool = False
    living_notes: list[str] = field(default_factory=list)
    result: frozenset[str] = frozenset()  # the deprivations after `realise`
    changes: int = 0  # number of fact changes made so far

    def __post_init__(self) -> None:
        self.living_mode = self.living_mode or self.mode
        self._members = {p.key: member_dict(p, self.on) for p in self.persons}
        self._household: dict[str, Any] | None = None

    # Reading ---------------------------------------------------------------------------------------------------

    def members(self) -> list[dict[str, Any]]:
        return [self._members[p.key] for p in self.persons]

    def household(self) -> dict[str, Any]:
        if self._household is None:
            self._household = household_dict(self.living, len(self.persons))
        return self._household

    def deprived(self) -> frozenset[str]:
        return self.rules.deprived_set(self.household(), self.members())

    def age(self, person: PersonPlan) -> int:
        age = age_on(person.birth_date, self.on)
        assert age is not None
        return age

    def group(self, code: str) -> list[PersonPlan]:
        return [p for p in self.persons if self.rules.in_group(code, self._members[p.key])]

    def deprived_members(self, code: str) -> list[PersonPlan]:
        return [p for p in self.persons if self.rules.member_deprived(code, self._members[p.key])]

    # Writing ---------------------------------------------------------------------------------------------------

    def set_person(self, person: PersonPlan, name: str, value: Any, note: str | None = None) -> None:
        if getattr(person, name) == value:
            return
        setattr(person, name, value)
        self.changes += 1
        if name in self._members[person.key]:
            self._members[person.key][name] = value
        self.person_changes.setdefault(person.key, {})[name] = value
        if note:
            notes = self.person_notes.setdefault(person.key, [])
            if note not in notes:
                notes.append(note)

    def set_living(self, note: str | None = None, **values: Any) -> None:
        changed = False
        for name, value in values.items():
            if self.living[name] != value:
                self.living[name] = value
                changed = True
        if changed:
            self.changes += 1
            self._household = None
            self.living_changed = True
            if note and note not in self.living_notes:
                self.living_notes.append(note)

    # Availability ----------------------------------------------------------------------------------------------

    def can_deprive(self, code: str) -> bool:
        rule = self.rules.rules[code]
        if rule.kind == "member_share" or rule.kind == "entered":
            return False
        if code == "dien_tich_nha_o":
            return self.living_mode == INITIAL and len(self.persons) >= 3
        if rule.kind == "household":
            return code in _HOUSEHOLD_DEPRIVE
        candidates = self._deprive_candidates(code)
        if code == "viec_lam":
            # Schooling is realised first and may send a young member back to school; count only members whose
            # schooling will not change.
            candidates = [p for p in candidates if not self._schooling_may_change(p)]
        return bool(candidates)

    def _schooling_may_change(self, person: PersonPlan) -> bool:
        member = self._members[person.key]
        return any(
            code in self.rules.rules and self.rules.member_deprived(code, member)
            for code in ("giao_duc_nguoi_lon", "tre_em_di_hoc")
        )

    def can_fix(self, code: str) -> bool:
        rule = self.rules.rules[code]
        return rule.kind != "member_share" and rule.kind != "entered" and code in _FIXES

    # Realisation -----------------------------------------------------------------------------------------------

    def realise(self, target: Iterable[str], current: frozenset[str] | None = None) -> None:
        """Change facts until the derived deprivations are exactly `target` (RealizeError if impossible).
        `current` is the set the facts give now, when the caller already knows it."""
        wanted = frozenset(target)
        initial = self.deprived() if current is None else current
        unchanged = self.changes
        for code in _ORDER:
            if code not in self.rules.rules:
                continue
            if self.changes == unchanged:
                deprived = code in initial
            else:
                deprived = bool(self.rules.derive_one(code, self.household(), self.members()))
            if deprived and code not in wanted:
                _FIXES[code](self)
            elif not deprived and code in wanted:
                if self.rules.rules[code].kind == "household":
                    _HOUSEHOLD_DEPRIVE[code](self)
                else:
                    self._deprive_member(code)
        result = initial if self.changes == unchanged else self.deprived()
        if result != wanted:
            raise RealizeError(f"cần thiếu hụt {sorted(wanted)}, dữ liệu cho {sorted(result)}")
        self.result = result

    def _deprive_candidates(self, code: str) -> list[PersonPlan]:
        group = self.group(code)
        if code == "viec_lam":
            return [p for p in group if not p.in_education]
        if code == "giao_duc_nguoi_lon" and self.mode == UPDATE:
            # Between reviews nobody loses a diploma: only a young person who has not reached the level for
            # their age can become deprived, by leaving school or training.
            return [p for p in group if p.in_education and _inadequate(self, p)]
        if code == "tre_em_di_hoc" and self.mode == UPDATE:
            return [p for p in group if p.in_education]
        return group

    def _deprive_member(self, code: str) -> None:
        candidates = self._deprive_candidates(code)
        if not candidates:
            raise RealizeError(f"{code}: không có thành viên nào có thể thiếu hụt chỉ số này")
        _MEMBER_DEPRIVE[code](self, candidates)


def _inadequate(scene: Scene, person: PersonPlan) -> bool:
    """Whether the person's education level alone (not studying) would make them deprived on adult education."""
    member = dict(scene._members[person.key])
    member["in_education"] = False
    member["on_the_job_training_certified"] = False
    return scene.rules.member_deprived("giao_duc_nguoi_lon", member)


# Member indicators -----------------------------------------------------------------------------------------------


def _pick(scene: Scene, candidates: list[PersonPlan], prefer: Any = None) -> PersonPlan:
    ordered = sorted(candidates, key=lambda p: p.key)
    if prefer is not None:
        preferred = [p for p in ordered if prefer(p)]
        if preferred and scene.rng.random() < 0.8:
            ordered = preferred
    return scene.rng.choice(ordered)


def _deprive_employment(scene: Scene, candidates: list[PersonPlan]) -> None:
    person = _pick(scene, candidates, prefer=lambda p: 18 <= scene.age(p) <= 45)
    if scene.rng.random() < 0.3:
        scene.set_person(person, "work_status", "unemployed", "Mất việc làm, đang tìm việc")
    else:
        scene.set_person(
            person, "work_status", "wage_worker", "Đi làm thuê theo thời vụ, không có hợp đồng lao động"
        )
        scene.set_person(person, "has_labour_contract", False)


def _fix_employment(scene: Scene) -> None:
    for person in scene.deprived_members("viec_lam"):
        if person.work_status == "wage_worker" and scene.rng.random() < 0.5:
            scene.set_person(person, "has_labour_contract", True, "Ký hợp đồng lao động")
        elif scene.rng.random() < 0.75:
            scene.set_person(
                person, "work_status", "self_employed", "Có việc làm ổn định (tự sản xuất, kinh doanh)"
            )
            scene.set_person(person, "has_labour_contract", False)
        else:
            scene.set_person(person, "work_status", "wage_worker", "Có việc làm có hợp đồng lao động")
            scene.set_person(person, "has_labour_contract", True)


def _deprive_nutrition(scene: Scene, candidates: list[PersonPlan]) -> None:
    youngest = min(scene.age(p) for p in candidates)
    person = _pick(scene, [p for p in candidates if scene.age(p) <= max(youngest, 5)])
    scene.set_person(person, "malnourished", True, "Trẻ bị suy dinh dưỡng (cân nặng/chiều cao theo tuổi)")


def _fix_nutrition(scene: Scene) -> None:
    for person in scene.deprived_members("dinh_duong"):
        scene.set_person(person, "malnourished", False, "Trẻ hết suy dinh dưỡng")


def _deprive_insurance(scene: Scene, candidates: list[PersonPlan]) -> None:
    person = _pick(scene, candidates, prefer=lambda p: 16 <= scene.age(p) <= 60)
    note = "Thẻ bảo hiểm y tế hết hạn, chưa gia hạn" if scene.mode == UPDATE else None
    scene.set_person(person, "has_health_insurance", False, note)
    others = [p for p in candidates if p is not person and 16 <= scene.age(p) <= 60]
    if others and scene.rng.random() < 0.35:
        scene.set_person(scene.rng.choice(others), "has_health_insurance", False, note)


def _fix_insurance(scene: Scene) -> None:
    for person in scene.deprived_members("bao_hiem_y_te"):
        scene.set_person(person, "has_health_insurance", True, "Được cấp thẻ bảo hiểm y tế")


def _leave_school(scene: Scene, person: PersonPlan, note: str | None = None) -> None:
    scene.set_person(person, "in_education", False, note)
    scene.set_person(person, "school_level", None)


def _deprive_adult_education(scene: Scene, candidates: list[PersonPlan]) -> None:
    person = _pick(scene, candidates)
    _leave_school(scene, person, "Nghỉ học giữa chừng")
    scene.set_person(person, "on_the_job_training_certified", False)
    if scene.mode == INITIAL:
        age = scene.age(person)
        level = "primary" if age < 18 or scene.rng.random() < 0.35 else "lower_secondary"
        scene.set_person(person, "education_level", level)
        scene.set_person(person, "vocational_level", "none")
    if person.work_status == "not_in_labour_force" and person.able_to_work:
        scene.set_person(person, "work_status", "self_employed")
        scene.set_person(person, "has_labour_contract", False)
    if not _inadequate(scene, person):
        raise RealizeError("giao_duc_nguoi_lon: thành viên được chọn không thiếu hụt")


def _fix_adult_education(scene: Scene) -> None:
    for person in scene.deprived_members("giao_duc_nguoi_lon"):
        age = scene.age(person)
        lower_secondary_suffices = not scene.rules.member_deprived(
            "giao_duc_nguoi_lon", {**scene._members[person.key], "education_level": "lower_secondary"}
        )
        if scene.mode == INITIAL:
            if lower_secondary_suffices:
                scene.set_person(person, "education_level", "lower_secondary")
            elif scene.rng.random() < 0.67:
                scene.set_person(person, "education_level", "upper_secondary")
            else:
                # An elementary vocational certificate, beside the general level the person had reached.
                scene.set_person(person, "vocational_level", "elementary")
        elif age < 18 or scene.rng.random() < 0.15:
            # Back to school: continuing education (bổ túc) before 18, vocational training after.
            if age >= 18:
                level = VOCATIONAL
            elif person.education_level in {"none", "primary"}:
                level = LOWER_SECONDARY
            else:
                level = UPPER_SECONDARY
            scene.set_person(person, "in_education", True, "Đi học trở lại (học nghề, bổ túc)")
            scene.set_person(person, "school_level", level)
            scene.set_person(person, "work_status", "not_in_labour_force")
            scene.set_person(person, "has_labour_contract", False)
        elif person.work_status == "wage_worker" and scene.rng.random() < 0.3:
            scene.set_person(person, "on_the_job_training_certified", True,
                             "Được doanh nghiệp tuyển dụng và chứng nhận đào tạo nghề tại chỗ")  # fmt: skip
        else:
            scene.set_person(person, "vocational_level", "elementary",
                             "Hoàn thành khóa đào tạo nghề sơ cấp (Dự án 4)")  # fmt: skip


def _school_age(scene: Scene, person: PersonPlan) -> int:
    value = school_age_on(person.birth_date, scene.on)
    assert value is not None
    return value


def _deprive_schooling(scene: Scene, candidates: list[PersonPlan]) -> None:
    """A child out of school, or, for a child past the first year of school, one a level behind (started late,
    repeated a year)."""
    person = _pick(scene, candidates, prefer=lambda p: scene.age(p) <= 5 or scene.age(p) >= 12)
    ladder = scene.rules.ladder
    school_age = _school_age(scene, person)
    behind = ladder.behind(school_age)
    # Only near the start of a level: a year repeated at its first year (two years late at most when first met).
    late = school_age - ladder.last_age(behind) if behind is not None else 99
    if (
        behind is not None
        and person.in_education
        and late <= (1 if scene.mode == UPDATE else 2)
        and (scene.rng.random() < 0.3)
    ):
        scene.set_person(person, "school_level", behind,
                         "Học lưu ban, chưa học đúng cấp học theo độ tuổi" if scene.mode == UPDATE else None)  # fmt: skip
        scene.set_person(person, "education_level", COMPLETED_BEFORE[behind])
        return
    _leave_school(scene, person, "Trẻ nghỉ học" if scene.mode == UPDATE else None)


def _fix_schooling(scene: Scene) -> None:
    ladder = scene.rules.ladder
    for person in scene.deprived_members("tre_em_di_hoc"):
        # A child who turned 3 before September starts preschool in the school year of their school age 3.
        level = ladder.level(max(_school_age(scene, person), ladder.first_age))
        assert level is not None
        if person.in_education:
            note = "Học đúng cấp học theo độ tuổi"
        elif level == PRESCHOOL:
            note = "Trẻ bắt đầu đi học mẫu giáo"
        else:
            note = "Trẻ đi học trở lại"
        scene.set_person(person, "in_education", True, note)
        scene.set_person(person, "school_level", level)
        if person.education_level != COMPLETED_BEFORE[level]:
            scene.set_person(person, "education_level", COMPLETED_BEFORE[level])
        if person.work_status != "not_in_labour_force":
            scene.set_person(person, "work_status", "not_in_labour_force")
            scene.set_person(person, "has_labour_contract", False)


_MEMBER_DEPRIVE = {
    "viec_lam": _deprive_employment,
    "dinh_duong": _deprive_nutrition,
    "bao_hiem_y_te": _deprive_insurance,
    "giao_duc_nguoi_lon": _deprive_adult_education,
    "tre_em_di_hoc": _deprive_schooling,
}


# Household indicators --------------------------------------------------------------------------------------------


def _deprive_housing(scene: Scene) -> None:
    rng = scene.rng
    if scene.living_mode == UPDATE:
        scene.set_living("Nhà bị hư hỏng, xuống cấp sau mưa bão", pillar_material="weak_wood_bamboo",
                         wall_material="weak_wood_bamboo", roof_material=scene.living["roof_material"])  # fmt: skip
        return
    scene.set_living(
        wall_material=rng.choice(("weak_wood_bamboo", "weak_wood_bamboo", "earth")),
        pillar_material="weak_wood_bamboo",
        roof_material=rng.choice(("tile_metal_sheet", "tile_metal_sheet", "leaf_straw")),
    )


def _fix_housing(scene: Scene) -> None:
    if scene.living_mode == UPDATE:
        scene.set_living("Xây mới, sửa chữa nhà ở", wall_material="concrete", pillar_material="concrete",
                         roof_material="tile_metal_sheet")  # fmt: skip
    elif scene.urban or not scene.indigenous:
        scene.set_living(
            wall_material="concrete", pillar_material="concrete", roof_material="tile_metal_sheet"
        )
    else:
        # The usual Bahnar house: plank or bamboo walls on hardwood pillars under a metal roof (one weak part).
        scene.set_living(wall_material="weak_wood_bamboo", pillar_material="durable_wood",
                         roof_material="tile_metal_sheet")  # fmt: skip


def _deprive_floor_area(scene: Scene) -> None:
    people = len(scene.persons)
    area = max(4, int(people * scene.rng.uniform(4.5, 7.5)))
    scene.set_living(floor_area_m2=min(area, 8 * people - 1))


def _fix_floor_area(scene: Scene) -> None:
    people = len(scene.persons)
    area = max(int(scene.living["floor_area_m2"]), 8 * people + scene.rng.randint(2, 24))
    scene.set_living("Mở rộng diện tích nhà ở", floor_area_m2=area)


def _deprive_water(scene: Scene) -> None:
    note = "Giếng hư, phải lấy nước sông suối" if scene.living_mode == UPDATE else None
    scene.set_living(note, water_source=scene.rng.choice(("surface", "surface", "unprotected_well")))


def _fix_water(scene: Scene) -> None:
    rng = scene.rng
    if scene.urban:
        source = "piped" if rng.random() < 0.75 else "drilled_well"
    else:
        source = rng.choice(("drilled_well", "drilled_well", "protected_dug_well", "protected_spring", "piped",
                             "rainwater"))  # fmt: skip
    scene.set_living("Có nguồn nước sinh hoạt hợp vệ sinh", water_source=source)


def _deprive_latrine(scene: Scene) -> None:
    note = "Nhà tiêu hư hỏng" if scene.living_mode == UPDATE else None
    scene.set_living(note, latrine_type=scene.rng.choice(("pit", "pit", "none")))


def _fix_latrine(scene: Scene) -> None:
    options = (
        ("septic", "semi_septic") if scene.urban
        else ("semi_septic", "pour_flush", "pour_flush", "double_vault", "single_vault", "ventilated_pit")
    )  # fmt: skip
    scene.set_living("Xây nhà tiêu hợp vệ sinh", latrine_type=scene.rng.choice(options))


def _deprive_telecom(scene: Scene) -> None:
    scene.set_living("Ngừng sử dụng internet" if scene.living_mode == UPDATE else None, uses_internet=False)


def _fix_telecom(scene: Scene) -> None:
    scene.set_living("Bắt đầu sử dụng internet (3G/4G)", uses_internet=True)


def _deprive_devices(scene: Scene) -> None:
    note = "Bán ti vi, điện thoại thông minh bị hỏng" if scene.living_mode == UPDATE else None
    scene.set_living(note, has_tv=False, has_radio=False, has_computer=False, has_smartphone=False)


def _fix_devices(scene: Scene) -> None:
    if scene.rng.random() < 0.7:
        scene.set_living("Mua điện thoại thông minh", has_smartphone=True)
    else:
        scene.set_living("Mua ti vi", has_tv=True)


def _deprive_waste(scene: Scene) -> None:
    note = "Rác thải sinh hoạt không được thu gom, phải tự đốt, chôn" if scene.living_mode == UPDATE else None
    scene.set_living(note, waste_collected=False)


def _fix_waste(scene: Scene) -> None:
    scene.set_living("Rác thải sinh hoạt được thu gom, xử lý", waste_collected=True)


_HOUSEHOLD_DEPRIVE = {
    "chat_luong_nha_o": _deprive_housing,
    "dien_tich_nha_o": _deprive_floor_area,
    "nguon_nuoc_sinh_hoat": _deprive_water,
    "nha_tieu_hop_ve_sinh": _deprive_latrine,
    "dich_vu_vien_thong": _deprive_telecom,
    "tai_san_tiep_can_thong_tin": _deprive_devices,
    "thu_gom_xu_ly_rac": _deprive_waste,
}
_FIXES = {
    "viec_lam": _fix_employment,
    "dinh_duong": _fix_nutrition,
    "bao_hiem_y_te": _fix_insurance,
    "giao_duc_nguoi_lon": _fix_adult_education,
    "tre_em_di_hoc": _fix_schooling,
    "chat_luong_nha_o": _fix_housing,
    "dien_tich_nha_o": _fix_floor_area,
    "nguon_nuoc_sinh_hoat": _fix_water,
    "nha_tieu_hop_ve_sinh": _fix_latrine,
    "dich_vu_vien_thong": _fix_telecom,
    "tai_san_tiep_can_thong_tin": _fix_devices,
    "thu_gom_xu_ly_rac": _fix_waste,
}


def living_values(living: Any) -> dict[str, Any]:
    return {name: getattr(living, name) for name in LIVING_FIELDS}


# Which deprivations to choose ------------------------------------------------------------------------------------

# How common each deprivation is among poor households (illustrative weights, not statistics): sanitation,
# information and adult education dominate in Bahnar villages; jobs, insurance and space in the town.
WEIGHTS_RURAL_INDIGENOUS = {
    "nha_tieu_hop_ve_sinh": 1.0, "giao_duc_nguoi_lon": 0.75, "dich_vu_vien_thong": 0.7,
    "nguon_nuoc_sinh_hoat": 0.6, "tai_san_tiep_can_thong_tin": 0.5, "chat_luong_nha_o": 0.45,
    "dinh_duong": 0.4, "viec_lam": 0.35, "dien_tich_nha_o": 0.3, "bao_hiem_y_te": 0.2, "tre_em_di_hoc": 0.2,
    "thu_gom_xu_ly_rac": 0.8,
}  # fmt: skip
WEIGHTS_OTHER = {
    "viec_lam": 0.6, "bao_hiem_y_te": 0.5, "nha_tieu_hop_ve_sinh": 0.4, "dien_tich_nha_o": 0.4,
    "dich_vu_vien_thong": 0.4, "chat_luong_nha_o": 0.35, "giao_duc_nguoi_lon": 0.35, "tai_san_tiep_can_thong_tin": 0.3,
    "nguon_nuoc_sinh_hoat": 0.2, "dinh_duong": 0.2, "tre_em_di_hoc": 0.15, "thu_gom_xu_ly_rac": 0.3,
}  # fmt: skip
# Between reviews: what a household most easily fixes (with programme support) ...
WEIGHTS_FIX = {
    "bao_hiem_y_te": 1.0, "tre_em_di_hoc": 0.8, "nha_tieu_hop_ve_sinh": 0.6, "dich_vu_vien_thong": 0.6,
    "viec_lam": 0.5, "tai_san_tiep_can_thong_tin": 0.5, "nguon_nuoc_sinh_hoat": 0.45, "dinh_duong": 0.4,
    "giao_duc_nguoi_lon": 0.35, "dien_tich_nha_o": 0.15, "chat_luong_nha_o": 0.1, "thu_gom_xu_ly_rac": 0.4,
}  # fmt: skip
# ... and what a shock (lost job, illness, storm) most often takes away.
WEIGHTS_SHOCK = {
    "viec_lam": 0.6, "bao_hiem_y_te": 0.45, "dinh_duong": 0.35, "dich_vu_vien_thong": 0.35, "tre_em_di_hoc": 0.25,
    "tai_san_tiep_can_thong_tin": 0.2, "giao_duc_nguoi_lon": 0.2, "chat_luong_nha_o": 0.15,
    "nguon_nuoc_sinh_hoat": 0.15, "nha_tieu_hop_ve_sinh": 0.05, "thu_gom_xu_ly_rac": 0.05,
}  # fmt: skip


def weighted_sample(
    rng: random.Random, weights: Mapping[str, float], pool: Iterable[str], k: int
) -> list[str]:
    """`k` distinct items of `pool`, drawn with probability proportional to their weight (deterministic order)."""
    items = sorted(set(pool))
    chosen: list[str] = []
    for _ in range(min(k, len(items))):
        total = sum(weights.get(item, 0.1) for item in items)
        point = rng.random() * total
        for item in items:
            point -= weights.get(item, 0.1)
            if point <= 0:
                break
        chosen.append(item)
        items.remove(item)
    return chosen
