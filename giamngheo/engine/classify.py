"""Classify one household under a standard, with the reasons, in Vietnamese or English.

This is the explainable path: it derives each indicator from the household's recorded facts, falls back to the
reviewer's entered flag where the facts are not recorded, reports where the two disagree, counts the standard's
deprivations and applies the income rule. `giamngheo.engine.batch` evaluates the same definitions for millions
of households at once; the test suite proves that both always agree.

Rules (domain.md §1.1, §2.1; survey-format.md): every line is inclusive ("at most"). Single-line standards
(NĐ 07/2021, NĐ 351/2025): income <= poverty line -> poor with >= cut-off deprivations, else near-poor.
Two-tier (QĐ 59/2015): income <= lower line -> poor; up to the upper line -> poor with >= cut-off, else
near-poor. Above the poverty line, a farming/forestry/fishery/salt household up to the middle line has a middle
living standard; everyone else is not poor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from giamngheo.engine.explain import explain
from giamngheo.engine.facts import AreaType, HouseholdFacts, PovertyClass
from giamngheo.engine.standard import IndicatorRule, Standard


@dataclass(frozen=True)
class IndicatorOutcome:
    code: str
    name_vi: str
    describe_vi: str
    entered: bool | None  # as the reviewer entered it; None = not entered
    derived: bool | None  # from recorded facts; None = a fact is not recorded, or the rule has no derivation
    deprived: bool  # counted as deprived: the derived value when there is one, else the entered flag

    @property
    def conflict(self) -> bool:
        return self.entered is not None and self.derived is not None and self.entered != self.derived

    @property
    def missing(self) -> bool:
        """Undecided: neither the recorded facts nor the reviewer's flag say; not counted, and the result says
        whether the class could change because of it (`Classification.possible_class`)."""
        return self.entered is None and self.derived is None


@dataclass(frozen=True)
class Classification:
    standard_id: str
    poverty_class: PovertyClass
    income_per_capita: int
    poverty_line: int
    lower_line: int | None
    middle_line: int | None
    deprivation_count: int
    indicator_total: int
    cutoff: int
    outcomes: tuple[IndicatorOutcome, ...]
    deprivation_mask: int
    derived_mask: int
    derivable_mask: int
    conflict_mask: int
    missing_mask: int
    explanation: str
    # The class if every undecided indicator turned out deprived; the same as `poverty_class` when the undecided
    # indicators cannot change it.
    possible_class: PovertyClass | None = None

    @property
    def counted(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.outcomes if o.deprived)

    @property
    def conflicts(self) -> tuple[IndicatorOutcome, ...]:
        return tuple(o for o in self.outcomes if o.conflict)

    @property
    def undecided(self) -> tuple[IndicatorOutcome, ...]:
        return tuple(o for o in self.outcomes if o.missing)

    @property
    def settled(self) -> bool:
        """Whether the class stands whatever the undecided indicators turn out to be."""
        return self.possible_class in {None, self.poverty_class}


def derive_indicator(rule: IndicatorRule, facts: HouseholdFacts) -> bool | None:
    """The deprivation the recorded facts decide (True or False), or None when they do not decide it.

    Rules are evaluated with three-valued logic (`engine.expr`): an unrecorded fact is unknown, never silently
    "deprived" or "not deprived".
    household: `when` over the household's facts (member_count = number of members, None when there are none).
    any_member: whether some member is in `among` and satisfies `when` (Kleene "or" over the members of
    "among and when"); None without members.
    member_share: whether the share of members in `among` is strictly above `above`: decided when it is so (or
    not) whichever way the members whose membership of `among` is unknown turn out; None without members.
    """
    if rule.kind == "entered":
        return None
    household = facts.household_dict() if rule.kind == "household" else {}
    members = [m.as_dict() for m in facts.members] if rule.kind in {"any_member", "member_share"} else []
    return derive_from_values(rule, household, members)


def derive_from_values(
    rule: IndicatorRule, household: Mapping[str, Any], members: Sequence[Mapping[str, Any]]
) -> bool | None:
    """`derive_indicator` over facts given as values by name (`HouseholdFacts.household_dict`,
    `MemberFacts.as_dict`): for callers that hold many households as plain dictionaries."""
    if rule.kind == "entered":
        return None
    if rule.kind == "household":
        assert rule.when is not None
        value = rule.when.python(household)
        return None if value is None else bool(value)
    if not members:
        return None
    among = rule.among.python if rule.among is not None else None
    if rule.kind == "member_share":
        assert rule.above is not None and among is not None
        flags = [among(m) for m in members]
        low = sum(1 for flag in flags if flag)
        high = low + sum(1 for flag in flags if flag is None)
        if low / len(members) > rule.above:
            return True
        if high / len(members) <= rule.above:
            return False
        return None
    assert rule.when is not None
    when = rule.when.python
    unknown = False
    for member in members:
        in_group = among(member) if among is not None else True
        if in_group is False:
            continue
        holds = when(member)
        if in_group and holds:
            return True
        if holds is None or (in_group is None and holds is not False):
            unknown = True
    return None if unknown else False


def classify_income(
    standard: Standard, *, income: int, area_type: Any, is_agri: bool, deprivation_count: int
) -> PovertyClass:
    """The income rule: lines are inclusive; the deprivation count only separates poor from near-poor (and, in a
    two-tier standard, only between the lower and the upper line); the middle living standard needs a farming,
    forestry, fishery or salt household above the poverty line and at most the middle line."""
    lines = standard.income[AreaType(area_type)]
    if standard.rule == "two_tier" and lines.lower_line is not None and income <= lines.lower_line:
        return PovertyClass.POOR
    if income <= lines.poverty_line:
        return PovertyClass.POOR if deprivation_count >= standard.cutoff else PovertyClass.NEAR_POOR
    if is_agri and lines.middle_line is not None and income <= lines.middle_line:
        return PovertyClass.MIDDLE
    return PovertyClass.NOT_POOR


def classify_household(
    standard: Standard,
    facts: HouseholdFacts,
    *,
    language: str = "vi",
    value_labels: Mapping[str, Mapping[str, str]] | None = None,
) -> Classification:
    outcomes: list[IndicatorOutcome] = []
    for rule in standard.indicators:
        raw_entered = facts.entered.get(rule.code)
        entered = None if raw_entered is None else bool(raw_entered)
        value = derive_indicator(rule, facts)
        outcomes.append(
            IndicatorOutcome(
                code=rule.code,
                name_vi=standard.catalogue[rule.code].name_vi,
                describe_vi=rule.describe_vi,
                entered=entered,
                derived=value,
                deprived=value if value is not None else bool(entered),
            )
        )
    masks = {"deprived": 0, "derived": 0, "derivable": 0, "conflict": 0, "missing": 0}
    for outcome in outcomes:
        bit = 1 << standard.bit(outcome.code)
        masks["deprived"] |= bit if outcome.deprived else 0
        masks["derived"] |= bit if outcome.derived else 0
        masks["derivable"] |= bit if outcome.derived is not None else 0
        masks["conflict"] |= bit if outcome.conflict else 0
        masks["missing"] |= bit if outcome.missing else 0
    return classification_from_masks(
        standard,
        facts,
        deprived=masks["deprived"],
        derived=masks["derived"],
        derivable=masks["derivable"],
        conflict=masks["conflict"],
        missing=masks["missing"],
        language=language,
        value_labels=value_labels,
    )


def classification_from_masks(
    standard: Standard,
    facts: HouseholdFacts,
    *,
    deprived: int,
    derived: int,
    derivable: int,
    conflict: int,
    missing: int,
    language: str = "vi",
    value_labels: Mapping[str, Mapping[str, str]] | None = None,
) -> Classification:
    """The `Classification` that masks computed for `facts` stand for (from `classify_household`, the batch engine
    or a stored assessment), with its classes and its explanation in `language`."""
    outcomes = []
    for rule in standard.indicators:
        bit = 1 << standard.bit(rule.code)
        raw_entered = facts.entered.get(rule.code)
        outcomes.append(
            IndicatorOutcome(
                code=rule.code,
                name_vi=standard.catalogue[rule.code].name_vi,
                describe_vi=rule.describe_vi,
                entered=None if raw_entered is None else bool(raw_entered),
                derived=bool(derived & bit) if derivable & bit else None,
                deprived=bool(deprived & bit),
            )
        )
    count = sum(1 for o in outcomes if o.deprived)
    undecided = sum(1 for o in outcomes if o.missing)

    def income_class(deprivations: int) -> PovertyClass:
        return classify_income(
            standard,
            income=facts.income_per_capita,
            area_type=facts.area_type,
            is_agri=facts.is_agri,
            deprivation_count=deprivations,
        )

    lines = standard.income[AreaType(facts.area_type)]
    result = Classification(
        standard_id=standard.id,
        poverty_class=income_class(count),
        income_per_capita=facts.income_per_capita,
        poverty_line=lines.poverty_line,
        lower_line=lines.lower_line,
        middle_line=lines.middle_line,
        deprivation_count=count,
        indicator_total=len(standard.indicators),
        cutoff=standard.cutoff,
        outcomes=tuple(outcomes),
        deprivation_mask=deprived,
        derived_mask=derived & derivable,
        derivable_mask=derivable,
        conflict_mask=conflict,
        missing_mask=missing,
        explanation="",
        possible_class=income_class(count + undecided),
    )
    text = explain(result, standard, facts, language=language, value_labels=value_labels)
    return replace(result, explanation=text)
