"""Classify one household under a standard, with the reasons, in Vietnamese.

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

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from giamngheo.engine.facts import CLASS_LABELS_VI, AreaType, HouseholdFacts, PovertyClass
from giamngheo.engine.standard import IndicatorRule, Standard
from giamngheo.lib.formatting import format_vnd


@dataclass(frozen=True)
class IndicatorOutcome:
    code: str
    name_vi: str
    describe_vi: str
    entered: bool | None  # as the reviewer entered it; None = not entered
    derived: bool | None  # from recorded facts; None = a fact is not recorded, or the rule has no derivation
    deprived: bool  # the value counted: the derived value when there is one, else the entered flag

    @property
    def conflict(self) -> bool:
        return self.entered is not None and self.derived is not None and self.entered != self.derived

    @property
    def missing(self) -> bool:
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

    @property
    def counted(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.outcomes if o.deprived)

    @property
    def conflicts(self) -> tuple[IndicatorOutcome, ...]:
        return tuple(o for o in self.outcomes if o.conflict)


def derive_indicator(rule: IndicatorRule, facts: HouseholdFacts) -> bool | None:
    """The deprivation derived from recorded facts, or None when a fact the rule needs is not recorded.

    household: `when` over the household's facts (member_count = number of members, None when there are none).
    any_member: None without members, or when a member lacks a fact of `among`, or a member in the group lacks a
    fact of `when`; otherwise whether some member in the group satisfies `when`.
    member_share: None without members or when a member lacks a fact of `among`; otherwise whether the share of
    members in `among` is strictly above `above`.
    """
    if rule.kind == "entered":
        return None
    if rule.kind == "household":
        assert rule.when is not None
        household = facts.household_dict()
        if any(household[name] is None for name in rule.when.facts):
            return None
        return bool(rule.when.python(household))
    members: list[Mapping[str, Any]] = [m.as_dict() for m in facts.members]
    if not members:
        return None
    group = members
    if rule.among is not None:
        if any(m[name] is None for m in members for name in rule.among.facts):
            return None
        among = rule.among.python
        group = [m for m in members if among(m)]
    if rule.kind == "member_share":
        assert rule.above is not None
        return len(group) / len(members) > rule.above
    assert rule.when is not None
    if any(m[name] is None for m in group for name in rule.when.facts):
        return None
    when = rule.when.python
    return any(bool(when(m)) for m in group)


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


def classify_household(standard: Standard, facts: HouseholdFacts) -> Classification:
    outcomes: list[IndicatorOutcome] = []
    masks = {"deprived": 0, "derived": 0, "derivable": 0, "conflict": 0, "missing": 0}
    for rule in standard.indicators:
        raw_entered = facts.entered.get(rule.code)
        entered = None if raw_entered is None else bool(raw_entered)
        derived = derive_indicator(rule, facts)
        deprived = derived if derived is not None else bool(entered)
        outcome = IndicatorOutcome(
            code=rule.code,
            name_vi=standard.catalogue[rule.code].name_vi,
            describe_vi=rule.describe_vi,
            entered=entered,
            derived=derived,
            deprived=deprived,
        )
        outcomes.append(outcome)
        bit = 1 << standard.bit(rule.code)
        masks["deprived"] |= bit if deprived else 0
        masks["derived"] |= bit if derived else 0
        masks["derivable"] |= bit if derived is not None else 0
        masks["conflict"] |= bit if outcome.conflict else 0
        masks["missing"] |= bit if outcome.missing else 0
    count = sum(1 for o in outcomes if o.deprived)
    poverty_class = classify_income(
        standard,
        income=facts.income_per_capita,
        area_type=facts.area_type,
        is_agri=facts.is_agri,
        deprivation_count=count,
    )
    lines = standard.income[AreaType(facts.area_type)]
    result = Classification(
        standard_id=standard.id,
        poverty_class=poverty_class,
        income_per_capita=facts.income_per_capita,
        poverty_line=lines.poverty_line,
        lower_line=lines.lower_line,
        middle_line=lines.middle_line,
        deprivation_count=count,
        indicator_total=len(standard.indicators),
        cutoff=standard.cutoff,
        outcomes=tuple(outcomes),
        deprivation_mask=masks["deprived"],
        derived_mask=masks["derived"],
        derivable_mask=masks["derivable"],
        conflict_mask=masks["conflict"],
        missing_mask=masks["missing"],
        explanation="",
    )
    return replace(result, explanation=explain(result, standard, facts))


def explain(result: Classification, standard: Standard, facts: HouseholdFacts) -> str:
    """One paragraph a commune officer can read aloud at the village meeting."""
    area = standard.area_label(facts.area_type)
    income = format_vnd(result.income_per_capita)
    parts: list[str] = []
    if result.lower_line is not None and result.income_per_capita <= result.lower_line:
        parts.append(f"thu nhập {income} ≤ chuẩn {format_vnd(result.lower_line)} ({area}, mức thấp)")
    elif result.income_per_capita <= result.poverty_line:
        parts.append(f"thu nhập {income} ≤ chuẩn {format_vnd(result.poverty_line)} ({area})")
    else:
        parts.append(f"thu nhập {income} > chuẩn {format_vnd(result.poverty_line)} ({area})")
        if result.poverty_class is PovertyClass.MIDDLE and result.middle_line is not None:
            parts.append(
                f"≤ mức sống trung bình {format_vnd(result.middle_line)}, hộ làm nông, lâm, ngư, diêm nghiệp"
            )
    counted = [o.name_vi.lower() for o in result.outcomes if o.deprived]
    deprivations = f"thiếu hụt {result.deprivation_count}/{result.indicator_total}"
    if counted:
        deprivations += ": " + ", ".join(counted)
    parts.append(deprivations)
    text = "; ".join(parts) + f" → {CLASS_LABELS_VI[result.poverty_class]} (chuẩn {standard.id})"
    if result.income_per_capita <= result.poverty_line and not (
        result.lower_line is not None and result.income_per_capita <= result.lower_line
    ):
        needed = "đủ" if result.deprivation_count >= result.cutoff else "chưa đủ"
        text += f"; {needed} {result.cutoff} chỉ số thiếu hụt để là hộ nghèo"
    notes = []
    for outcome in result.outcomes:
        if outcome.conflict:
            entered = "có" if outcome.entered else "không"
            derived = "có" if outcome.derived else "không"
            notes.append(
                f"⚠ {outcome.name_vi}: phiếu ghi thiếu hụt «{entered}», dữ liệu hộ cho thấy «{derived}»"
                " (tính theo dữ liệu)"
            )
        elif outcome.missing:
            notes.append(f"? {outcome.name_vi}: chưa có dữ liệu, tính là không thiếu hụt")
    if notes:
        text += ". " + ". ".join(notes)
    return text + "."
