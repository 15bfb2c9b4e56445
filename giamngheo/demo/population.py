"""The demo district's people: villages from the data file, and households with realistic members.

Illustrative, not statistics: household sizes, ages, schooling, work and housing follow the broad picture of a
poor upland district of Gia Lai (domain.md §7.3, §9: about 54,000 people, Ba Na the large majority, Kinh mostly in
the town and the hamlets along the roads, a few Jrai villages in Yang Nam, a few Mường/Tày/Dao/Nùng settlers).
Everything is drawn from the `random.Random` passed in, never from global randomness or the clock.

Schooling is recorded the way the registry keeps it: the general education completed (`education_level`), a
vocational qualification apart from it (`vocational_level`: an elementary certificate is often held with primary
or lower-secondary education only), and, for a member in school or training, the level attended now
(`school_level`: the one appropriate to the school age, `schooling.SchoolLadder`).
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from giamngheo.demo import names
from giamngheo.demo.plan import HouseholdPlan, LivingPlan, MembershipPlan, PersonPlan
from giamngheo.demo.schooling import (
    COMPLETED_BEFORE,
    HIGHER,
    UPPER_SECONDARY,
    VOCATIONAL,
    SchoolLadder,
    at_least,
)
from giamngheo.engine.facts import school_age_on

DATA_FILE = Path(__file__).resolve().parent / "data" / "villages.toml"

URBAN = "thanh_thi"
RURAL = "nong_thon"

# Ethnic mix of a village's households by profile (list-A codes; see villages.toml).
PROFILES: dict[str, dict[str, float]] = {
    "kinh": {names.KINH: 0.90, names.BA_NA: 0.06, names.MUONG: 0.01, names.TAY: 0.01, names.NUNG: 0.01,
             names.JRAI: 0.01},
    "mixed": {names.KINH: 0.58, names.BA_NA: 0.38, names.MUONG: 0.02, names.TAY: 0.01, names.JRAI: 0.01},
    "ba_na": {names.BA_NA: 0.955, names.KINH: 0.035, names.JRAI: 0.01},
    "ba_na_town": {names.BA_NA: 0.85, names.KINH: 0.15},
    "jrai": {names.JRAI: 0.86, names.BA_NA: 0.11, names.KINH: 0.03},
    "migrant": {names.MUONG: 0.30, names.TAY: 0.18, names.DAO: 0.14, names.NUNG: 0.10, names.KINH: 0.28},
}  # fmt: skip

# Where people registered their birth (first three digits of the citizen ID): Gia Lai 064 for most; Kinh settlers
# from the coast and the north; the Mường/Tày/Dao/Nùng from their home provinces.
_BIRTH_PROVINCES: dict[str, tuple[tuple[str, float], ...]] = {
    names.KINH: (("064", 0.55), ("052", 0.14), ("051", 0.08), ("049", 0.06), ("040", 0.05), ("042", 0.04),
                 ("038", 0.03), ("036", 0.03), ("034", 0.02)),
    names.MUONG: (("064", 0.45), ("017", 0.35), ("038", 0.20)),
    names.TAY: (("064", 0.45), ("020", 0.30), ("004", 0.25)),
    names.DAO: (("064", 0.45), ("008", 0.30), ("015", 0.25)),
    names.NUNG: (("064", 0.45), ("020", 0.35), ("004", 0.20)),
}  # fmt: skip

INDIGENOUS = frozenset({names.BA_NA, names.JRAI})
SETTLERS = frozenset({names.MUONG, names.TAY, names.DAO, names.NUNG})


@dataclass(frozen=True)
class VillageSpec:
    commune: str
    local_code: str
    name: str
    kind: str
    households: int
    profile: str


@dataclass(frozen=True)
class CommuneSpec:
    code: str
    name: str
    area_type: str
    remoteness: float
    villages: tuple[VillageSpec, ...]


def load_communes(path: Path = DATA_FILE) -> tuple[CommuneSpec, ...]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    communes = []
    for entry in raw["commune"]:
        villages = tuple(
            VillageSpec(commune=entry["code"], **{k: v for k, v in village.items()})
            for village in entry["villages"]
        )
        for village in villages:
            if village.profile not in PROFILES:
                raise ValueError(
                    f"{path.name}: thôn {village.name}: không có hồ sơ dân tộc {village.profile!r}"
                )
        communes.append(
            CommuneSpec(
                code=entry["code"],
                name=entry["name"],
                area_type=entry["area_type"],
                remoteness=float(entry["remoteness"]),
                villages=villages,
            )
        )
    return tuple(communes)


def apportion(weights: list[int], total: int) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder; ties by position): deterministic and exact."""
    whole = sum(weights)
    exact = [w * total / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class Registry:
    """Counters and uniqueness sets shared by everything the generator creates."""

    def __init__(self, rng: random.Random, ladder: SchoolLadder | None = None) -> None:
        self.rng = rng
        self.ladder = ladder or SchoolLadder()
        self.person_seq = 0
        self.household_seq: dict[tuple[str, str], int] = {}
        self.citizen_ids: set[str] = set()

    def person_key(self) -> str:
        self.person_seq += 1
        return f"P{self.person_seq:06d}"

    def household_code(self, commune: str, village: str) -> str:
        seq = self.household_seq.get((commune, village), 0) + 1
        self.household_seq[(commune, village)] = seq
        return f"{commune}-{village}-{seq:04d}"

    def citizen_id(self, ethnicity: str, sex: str, birth_date: date) -> str:
        """12 digits: birth province (3), sex and century (1: 0/1 male/female 1900s, 2/3 in the 2000s),
        birth year (2), then 6 random digits; unique in the district."""
        provinces = _BIRTH_PROVINCES.get(ethnicity, (("064", 1.0),))
        codes, weights = zip(*provinces, strict=True)
        province = self.rng.choices(codes, weights=weights)[0]
        century = 0 if birth_date.year < 2000 else 2
        digit = century + (0 if sex == names.MALE else 1)
        while True:
            candidate = f"{province}{digit}{birth_date.year % 100:02d}{self.rng.randrange(1_000_000):06d}"
            if candidate not in self.citizen_ids:
                self.citizen_ids.add(candidate)
                return candidate


def birth_date_for(rng: random.Random, age: int, on: date) -> date:
    """A birth date on which the person is exactly `age` years old on `on`."""
    latest = date(on.year - age, on.month, min(on.day, 28))
    return latest - timedelta(days=rng.randrange(365))


def _weighted(rng: random.Random, table: dict[str, float]) -> str:
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


def _education_level(rng: random.Random, age: int, indigenous: bool, welfare: float) -> tuple[str, str]:
    """(highest general education completed, highest vocational qualification). "vocational" in the tables is an
    elementary (sơ cấp) or intermediate (trung cấp) vocational qualification, held beside the general level the
    person had reached: often primary or lower secondary for an elementary certificate."""
    if age < 11:
        return "none", "none"
    if age < 15:
        return "primary", "none"
    if age < 18:
        general = "lower_secondary" if rng.random() < (0.55 if indigenous else 0.85) else "primary"
        return general, "none"
    lift = max(-0.2, min(0.2, welfare / 10))
    if indigenous:
        if age <= 30:
            table = {"primary": 0.22, "lower_secondary": 0.40, "upper_secondary": 0.27, "vocational_elementary": 0.08,
                     "college": 0.02, "university": 0.01}  # fmt: skip
        elif age <= 50:
            table = {"none": 0.20, "primary": 0.36, "lower_secondary": 0.30, "upper_secondary": 0.10,
                     "vocational_elementary": 0.03, "university": 0.01}  # fmt: skip
        else:
            table = {"none": 0.55, "primary": 0.30, "lower_secondary": 0.12, "upper_secondary": 0.03}
    elif age <= 30:
        table = {"lower_secondary": 0.14, "upper_secondary": 0.50, "vocational_elementary": 0.12,
                 "vocational_intermediate": 0.06, "college": 0.08, "university": 0.10}  # fmt: skip
    elif age <= 50:
        table = {"none": 0.02, "primary": 0.10, "lower_secondary": 0.30, "upper_secondary": 0.36,
                 "vocational_elementary": 0.06, "vocational_intermediate": 0.04, "college": 0.05,
                 "university": 0.07}  # fmt: skip
    else:
        table = {
            "none": 0.10,
            "primary": 0.30,
            "lower_secondary": 0.35,
            "upper_secondary": 0.20,
            "university": 0.05,
        }
    if lift > 0 and rng.random() < lift:
        return ("upper_secondary" if age <= 50 else "lower_secondary"), "none"
    drawn = _weighted(rng, table)
    if drawn == "vocational_elementary":
        return _weighted(rng, _GENERAL_WITH_ELEMENTARY[indigenous]), "elementary"
    if drawn == "vocational_intermediate":
        # Trung cấp admits lower-secondary graduates; many hold the upper-secondary diploma as well.
        return ("upper_secondary" if rng.random() < 0.6 else "lower_secondary"), "intermediate"
    return drawn, "none"


# The general level beside an elementary vocational certificate (sơ cấp needs no diploma).
_GENERAL_WITH_ELEMENTARY = {
    True: {"primary": 0.45, "lower_secondary": 0.45, "upper_secondary": 0.10},
    False: {"primary": 0.15, "lower_secondary": 0.55, "upper_secondary": 0.30},
}


def _in_education(rng: random.Random, age: int, school_age: int, indigenous: bool) -> bool:
    if school_age < 3:
        return False
    if school_age < 6:
        return rng.random() < (0.86 if indigenous else 0.96)
    if age < 11:
        return rng.random() < 0.98
    if age < 15:
        return rng.random() < (0.93 if indigenous else 0.98)
    if age < 18:
        return rng.random() < (0.62 if indigenous else 0.86)
    if age < 23:
        return rng.random() < (0.07 if indigenous else 0.28)
    return False


def _school_level(rng: random.Random, ladder: SchoolLadder, school_age: int, indigenous: bool) -> str:
    """The level attended by someone in school: the one appropriate to their school age, and after lower
    secondary upper secondary or vocational education, then university, college or vocational training."""
    level = ladder.level(school_age)
    if level == UPPER_SECONDARY:
        return VOCATIONAL if rng.random() < (0.15 if indigenous else 0.08) else UPPER_SECONDARY
    if level is not None:
        return level
    return VOCATIONAL if rng.random() < (0.6 if indigenous else 0.35) else HIGHER


def assign_work(rng: random.Random, person: PersonPlan, age: int, urban: bool, kinh: bool) -> None:
    """The person's work status (and labour contract) for their age, schooling and place."""
    if age < 15 or person.in_education:
        person.work_status = "not_in_labour_force"
        return
    if not person.able_to_work:
        person.work_status = "not_in_labour_force"
        return
    if age > 60:
        person.work_status = "self_employed" if rng.random() < 0.5 else "not_in_labour_force"
        return
    if urban and kinh:
        table = {"wage_worker": 0.45, "self_employed": 0.45, "not_in_labour_force": 0.07, "unemployed": 0.03}
    elif urban:
        table = {"wage_worker": 0.25, "self_employed": 0.65, "not_in_labour_force": 0.07, "unemployed": 0.03}
    else:
        table = {"wage_worker": 0.10, "self_employed": 0.81, "not_in_labour_force": 0.07, "unemployed": 0.02}
    person.work_status = _weighted(rng, table)
    if person.work_status == "wage_worker":
        person.has_labour_contract = rng.random() < (0.65 if urban and kinh else 0.15)


def make_person(
    registry: Registry,
    *,
    ethnicity: str,
    sex: str,
    age: int,
    on: date,
    urban: bool,
    welfare: float,
    surname: str | None = None,
) -> PersonPlan:
    rng = registry.rng
    birth = birth_date_for(rng, age, on)
    indigenous = ethnicity != names.KINH
    person = PersonPlan(
        key=registry.person_key(),
        full_name=names.full_name(rng, ethnicity, sex, surname),
        sex=sex,
        birth_date=birth,
        ethnicity=ethnicity,
    )
    if age >= 14:
        person.citizen_id = registry.citizen_id(ethnicity, sex, birth)
    person.disabled = rng.random() < (0.008 if age < 40 else 0.03)
    person.able_to_work = not person.disabled and age < 70
    person.receives_social_allowance = age >= 80 or (person.disabled and rng.random() < 0.6)
    person.has_meritorious_service = age >= 65 and sex == names.MALE and rng.random() < 0.04
    person.has_health_insurance = rng.random() < (0.97 if ethnicity in INDIGENOUS else 0.93)
    school_age = school_age_on(birth, on)
    assert school_age is not None
    person.in_education = _in_education(rng, age, school_age, indigenous)
    person.education_level, person.vocational_level = _education_level(rng, age, indigenous, welfare)
    if person.in_education:
        person.school_level = _school_level(rng, registry.ladder, school_age, indigenous)
        # Whoever attends a level has completed the one before it.
        person.education_level = at_least(person.education_level, COMPLETED_BEFORE[person.school_level])
    person.malnourished = False if age < 16 else None
    assign_work(rng, person, age, urban, ethnicity == names.KINH)
    return person


@dataclass
class NewHousehold:
    household: HouseholdPlan
    persons: list[PersonPlan]


def _household_ethnicity(rng: random.Random, profile: str) -> str:
    return _weighted(rng, PROFILES[profile])


def make_household(
    registry: Registry,
    *,
    commune: CommuneSpec,
    village: VillageSpec,
    on: date,
    registered_on: date | None = None,
    welfare: float = 0.0,
    ethnicity: str | None = None,
) -> NewHousehold:
    """A household living in `village` on `on`, with its members (ages as of `on`) and its first living record.

    Living conditions drawn here are a first guess; the planner makes them agree with the household's class."""
    rng = registry.rng
    urban = commune.area_type == URBAN
    eth = ethnicity or _household_ethnicity(rng, village.profile)
    indigenous = eth in INDIGENOUS
    persons: list[PersonPlan] = []
    members: list[MembershipPlan] = []

    def add(person: PersonPlan, relationship: str, since: date) -> None:
        persons.append(person)
        members.append(MembershipPlan(person=person.key, relationship=relationship, start_date=since))

    def person(sex: str, age: int, surname: str | None = None, eth_: str | None = None) -> PersonPlan:
        return make_person(registry, ethnicity=eth_ or eth, sex=sex, age=age, on=on, urban=urban, welfare=welfare,
                           surname=surname)  # fmt: skip

    head_age = max(19, min(88, int(rng.triangular(19, 85, 36))))
    female_head = rng.random() < (0.12 if head_age < 60 else 0.28)
    single = (head_age >= 65 and rng.random() < 0.22) or (head_age < 30 and rng.random() < 0.05)
    registered = registered_on or _registration_date(rng, head_age, on)
    head = person(names.FEMALE if female_head else names.MALE, head_age)
    add(head, "head", registered)
    if single:
        return _finish(registry, commune, village, eth, registered, welfare, persons, members, on)

    spouse: PersonPlan | None = None
    if not female_head and rng.random() < 0.93:
        spouse_age = max(17, head_age - max(0, int(rng.gauss(3, 3))))
        spouse_eth = eth if rng.random() < 0.95 else _household_ethnicity(rng, village.profile)
        spouse = person(names.FEMALE, spouse_age, eth_=spouse_eth)
        add(spouse, "spouse", registered)
    mother_age = (
        spouse_age_of(spouse, on) if spouse is not None else (head_age if female_head else head_age - 3)
    )

    # Children still living at home: born when the mother was 18–41 (17–39 for Ba Na/Jrai families).
    first, last = (17, 39) if indigenous else (19, 41)
    mean_children = 3.5 if indigenous else 2.3
    wanted = max(0, min(8, round(rng.gauss(mean_children, 1.3))))
    child_ages = sorted({mother_age - rng.randint(first, last) for _ in range(wanted)}, reverse=True)
    father_name = head.full_name if not female_head else None
    mother_name = spouse.full_name if spouse is not None else (head.full_name if female_head else None)
    married_child: PersonPlan | None = None
    for age in child_ages:
        if age < 0:
            continue
        if age >= 18 and rng.random() < (0.25 if age < 25 else 0.6):
            continue  # moved out or married away
        child_sex = names.MALE if rng.random() < 0.51 else names.FEMALE
        surname = names.child_surname(eth, father_name, mother_name)
        child = person(child_sex, age, surname=surname)
        since = max(registered, child.birth_date)
        add(child, "child", since)
        if age >= 20 and married_child is None and rng.random() < 0.5:
            married_child = child
    if married_child is not None and head_age >= 42:
        # Three generations: the married child's spouse and their young children live in the parents' house.
        in_law_sex = names.FEMALE if married_child.sex == names.MALE else names.MALE
        child_age = _age_on(married_child.birth_date, on)
        in_law = person(in_law_sex, max(17, child_age + rng.randint(-3, 2)))
        add(in_law, "other", max(registered, date(on.year - rng.randint(0, 4), 3, 1)))
        young_mother = married_child if married_child.sex == names.FEMALE else in_law
        young_father = married_child if married_child.sex == names.MALE else in_law
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            age = rng.randint(0, max(0, _age_on(young_mother.birth_date, on) - 18))
            surname = names.child_surname(eth, young_father.full_name, young_mother.full_name)
            grandchild = person(names.MALE if rng.random() < 0.51 else names.FEMALE, age, surname=surname)
            add(grandchild, "grandchild", max(registered, grandchild.birth_date))
    if head_age < 50 and rng.random() < 0.09:
        parent = person(
            names.FEMALE if rng.random() < 0.65 else names.MALE, min(95, head_age + rng.randint(22, 32))
        )
        add(parent, "parent", registered)
    return _finish(registry, commune, village, eth, registered, welfare, persons, members, on)


def spouse_age_of(spouse: PersonPlan, on: date) -> int:
    return _age_on(spouse.birth_date, on)


def _age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _registration_date(rng: random.Random, head_age: int, on: date) -> date:
    years_back = rng.randint(0, max(0, min(25, head_age - 19)))
    return (
        date(on.year - years_back, rng.randint(1, 12), rng.randint(1, 28))
        if years_back
        else date(on.year, rng.randint(1, max(1, on.month - 2)), rng.randint(1, 28))
    )


def _finish(
    registry: Registry,
    commune: CommuneSpec,
    village: VillageSpec,
    ethnicity: str,
    registered: date,
    welfare: float,
    persons: list[PersonPlan],
    members: list[MembershipPlan],
    on: date,
) -> NewHousehold:
    rng = registry.rng
    urban = commune.area_type == URBAN
    code = registry.household_code(commune.code, village.local_code)
    farming = ethnicity in INDIGENOUS or ethnicity in SETTLERS
    is_agri = rng.random() < ((0.35 if farming else 0.20) if urban else (0.95 if farming else 0.78))
    living = LivingPlan(
        recorded_on=registered,
        wall_material="concrete" if ethnicity == names.KINH else "weak_wood_bamboo",
        pillar_material="concrete" if ethnicity == names.KINH else "durable_wood",
        roof_material="tile_metal_sheet",
        floor_area_m2=max(24, 12 * len(persons) + rng.randint(0, 30)),
        water_source="piped" if urban else "drilled_well",
        latrine_type="semi_septic",
        uses_internet=True,
        has_phone=True,
        has_tv=True,
        has_radio=False,
        has_computer=False,
        has_smartphone=True,
    )
    house_number = rng.randint(1, 240)
    address = f"{house_number}, {village.name}" if ethnicity == names.KINH else village.name
    household = HouseholdPlan(
        code=code,
        commune=commune.code,
        village=village.local_code,
        area_type=commune.area_type,
        address=address,
        is_agri=is_agri,
        registered_on=registered,
        head=persons[0].key,
        memberships=members,
        living=[living],
        welfare=welfare,
    )
    return NewHousehold(household=household, persons=persons)
