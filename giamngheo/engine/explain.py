"""Explanations a commune officer can read aloud at the village meeting, in Vietnamese or in English.

An explanation says: the income against the line; each deprivation with its cause (which member and which fact:
"Rơ Châm Dơk, 5 tuổi, không đi học", or the household's fact: "nguồn nước: sông, suối"); where the reviewer's
survey and the recorded data disagree, in plain words, and which one counts; the indicators the recorded facts do
not decide, with the answers still needed, and whether the class could change because of them.

Django-free: the words for facts are here, in both languages; the labels of recorded values (a water source, a
work status) come from the caller (`value_labels`: fact -> value -> label, the registry's choices in the active
language) and fall back to the value itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from giamngheo.engine.facts import AreaType, HouseholdFacts, PovertyClass
from giamngheo.engine.standard import IndicatorRule, Standard
from giamngheo.lib.formatting import format_vnd

if TYPE_CHECKING:
    from giamngheo.engine.classify import Classification

ValueLabels = Mapping[str, Mapping[str, str]]

# A true and a false fact, in words, per language.
_PHRASES: dict[str, dict[str, tuple[str, str]]] = {
    "has_health_insurance": {"vi": ("có bảo hiểm y tế", "không có bảo hiểm y tế"),
                             "en": ("has health insurance", "has no health insurance")},
    "in_education": {"vi": ("đang đi học", "không đi học"), "en": ("in school", "not in school")},
    "has_labour_contract": {"vi": ("có hợp đồng lao động", "không có hợp đồng lao động"),
                            "en": ("has a labour contract", "has no labour contract")},
    "able_to_work": {"vi": ("có khả năng lao động", "không có khả năng lao động"),
                     "en": ("able to work", "unable to work")},
    "disabled": {"vi": ("khuyết tật", "không khuyết tật"), "en": ("has a disability", "no disability")},
    "receives_social_allowance": {"vi": ("hưởng trợ cấp xã hội hằng tháng", "không hưởng trợ cấp xã hội"),
                                  "en": ("receives a monthly social allowance", "no social allowance")},
    "malnourished": {"vi": ("suy dinh dưỡng", "không suy dinh dưỡng"),
                     "en": ("malnourished", "not malnourished")},
    "on_the_job_training_certified": {
        "vi": ("được doanh nghiệp chứng nhận đào tạo nghề tại chỗ", "không có chứng nhận đào tạo nghề tại chỗ"),
        "en": ("certified as trained on the job", "no on-the-job training certificate")},
    "working_age": {"vi": ("trong độ tuổi lao động", "ngoài độ tuổi lao động"),
                    "en": ("of working age", "not of working age")},
    "past_working_age": {"vi": ("đã quá tuổi lao động", "chưa quá tuổi lao động"),
                         "en": ("past working age", "not past working age")},
    "wall_durable": {"vi": ("tường bền chắc", "tường không bền chắc"),
                     "en": ("durable walls", "non-durable walls")},
    "pillar_durable": {"vi": ("cột bền chắc", "cột không bền chắc"),
                       "en": ("durable pillars", "non-durable pillars")},
    "roof_durable": {"vi": ("mái bền chắc", "mái không bền chắc"), "en": ("durable roof", "non-durable roof")},
    "uses_internet": {"vi": ("có người dùng internet", "không ai dùng internet"),
                      "en": ("someone uses the internet", "nobody uses the internet")},
    "has_phone": {"vi": ("có điện thoại", "không có điện thoại"), "en": ("has a telephone", "no telephone")},
    "has_tv": {"vi": ("có ti vi", "không có ti vi"), "en": ("has a TV", "no TV")},
    "has_radio": {"vi": ("có radio", "không có radio"), "en": ("has a radio", "no radio")},
    "has_computer": {"vi": ("có máy tính", "không có máy tính"), "en": ("has a computer", "no computer")},
    "has_smartphone": {"vi": ("có điện thoại thông minh", "không có điện thoại thông minh"),
                       "en": ("has a smartphone", "no smartphone")},
    "waste_collected": {"vi": ("rác thải được thu gom", "rác thải không được thu gom, xử lý"),
                        "en": ("waste is collected", "waste is not collected or treated")},
    "hears_loudspeaker": {"vi": ("nghe được loa truyền thanh", "không nghe được loa truyền thanh"),
                          "en": ("hears the loudspeakers", "cannot hear the loudspeakers")},
}  # fmt: skip

# What a fact is called (a recorded value is shown as "<name>: <value>"; a missing answer is asked for by name).
_NAMES: dict[str, dict[str, str]] = {
    "age": {"vi": "ngày sinh", "en": "date of birth"},
    "birth_year": {"vi": "ngày sinh", "en": "date of birth"},
    "school_age": {"vi": "ngày sinh", "en": "date of birth"},
    "working_age": {"vi": "ngày sinh, giới tính", "en": "date of birth, sex"},
    "past_working_age": {"vi": "ngày sinh, giới tính", "en": "date of birth, sex"},
    "sex": {"vi": "giới tính", "en": "sex"},
    "has_health_insurance": {"vi": "bảo hiểm y tế", "en": "health insurance"},
    "in_education": {"vi": "có đang đi học", "en": "whether in school"},
    "school_level": {"vi": "cấp học đang theo học", "en": "level of schooling attended"},
    "education_level": {"vi": "trình độ học vấn", "en": "general education"},
    "vocational_level": {"vi": "trình độ giáo dục nghề nghiệp", "en": "vocational qualification"},
    "work_status": {"vi": "việc làm", "en": "work"},
    "has_labour_contract": {"vi": "hợp đồng lao động", "en": "labour contract"},
    "able_to_work": {"vi": "khả năng lao động", "en": "ability to work"},
    "disabled": {"vi": "khuyết tật", "en": "disability"},
    "receives_social_allowance": {"vi": "trợ cấp xã hội hằng tháng", "en": "monthly social allowance"},
    "malnourished": {"vi": "tình trạng dinh dưỡng", "en": "nutrition"},
    "on_the_job_training_certified": {"vi": "chứng nhận đào tạo nghề tại chỗ", "en": "on-the-job training"},
    "member_count": {"vi": "thành viên của hộ", "en": "the household's members"},
    "wall_durable": {"vi": "vật liệu tường", "en": "wall material"},
    "pillar_durable": {"vi": "vật liệu cột", "en": "pillar material"},
    "roof_durable": {"vi": "vật liệu mái", "en": "roof material"},
    "floor_area_m2": {"vi": "diện tích nhà ở", "en": "floor area"},
    "water_source": {"vi": "nguồn nước", "en": "water source"},
    "latrine_type": {"vi": "loại nhà tiêu", "en": "latrine"},
    "uses_internet": {"vi": "sử dụng internet", "en": "internet use"},
    "has_phone": {"vi": "điện thoại", "en": "telephone"},
    "has_tv": {"vi": "ti vi", "en": "TV"},
    "has_radio": {"vi": "radio", "en": "radio"},
    "has_computer": {"vi": "máy tính", "en": "computer"},
    "has_smartphone": {"vi": "điện thoại thông minh", "en": "smartphone"},
    "waste_collected": {"vi": "thu gom rác thải", "en": "waste collection"},
    "hears_loudspeaker": {"vi": "loa truyền thanh", "en": "loudspeakers"},
}
# Facts that only place a member in a rule's group (their age is already said): not repeated as a cause.
_GROUP_ONLY = frozenset({"age", "school_age"})

_WORDS: dict[str, dict[str, str]] = {
    "vi": {
        "income_le": "thu nhập {income} ≤ chuẩn {line} ({area})",
        "income_le_lower": "thu nhập {income} ≤ chuẩn {line} ({area}, mức thấp)",
        "income_gt": "thu nhập {income} > chuẩn {line} ({area})",
        "middle": "≤ mức sống trung bình {line}, hộ làm nông, lâm, ngư, diêm nghiệp",
        "deprived": "thiếu hụt {count}/{total}",
        "class": " → {label} (chuẩn {standard})",
        "enough": "; đủ {cutoff} chỉ số thiếu hụt để là hộ nghèo",
        "not_enough": "; chưa đủ {cutoff} chỉ số thiếu hụt để là hộ nghèo",
        "aged": "{name}, {age} tuổi",
        "member": "thành viên thứ {number}",
        "share": "{count}/{total} thành viên là người phụ thuộc",
        "born": "sinh năm {year}",
        "area_per_person": "diện tích {area} m² cho {members} người ({per} m²/người)",
        "yes": "thiếu hụt",
        "no": "không thiếu hụt",
        "conflict": "⚠ {indicator}: phiếu rà soát ghi «{entered}», nhưng theo dữ liệu của hộ thì {derived}{cause}; "
        "kết quả tính theo dữ liệu",
        "undecided": "? {indicator}: chưa đủ dữ liệu để kết luận — cần ghi: {needed}",
        "undecided_plain": "? {indicator}: chưa đủ dữ liệu để kết luận",
        "could_change": "Nếu các chỉ số chưa rõ là thiếu hụt, hộ sẽ là {label}: cần ghi đủ trước khi kết luận",
        "settled": "Các chỉ số chưa rõ không làm thay đổi phân loại",
        "and_more": "và {count} người khác",
    },
    "en": {
        "income_le": "income {income} ≤ line {line} ({area})",
        "income_le_lower": "income {income} ≤ line {line} ({area}, lower line)",
        "income_gt": "income {income} > line {line} ({area})",
        "middle": "≤ middle living standard {line}, a farming, forestry, fishery or salt household",
        "deprived": "deprived on {count}/{total}",
        "class": " → {label} (standard {standard})",
        "enough": "; {cutoff} deprivations are enough to be poor",
        "not_enough": "; fewer than {cutoff} deprivations to be poor",
        "aged": "{name}, aged {age}",
        "member": "member {number}",
        "share": "{count} of {total} members are dependants",
        "born": "born in {year}",
        "area_per_person": "{area} m² for {members} people ({per} m² per person)",
        "yes": "deprived",
        "no": "not deprived",
        "conflict": "⚠ {indicator}: the survey form says «{entered}», but the household's data say {derived}{cause}; "
        "the data count",
        "undecided": "? {indicator}: not enough data to decide — still needed: {needed}",
        "undecided_plain": "? {indicator}: not enough data to decide",
        "could_change": "If the undecided indicators turned out deprived, the household would be {label}: record "
        "them before concluding",
        "settled": "The undecided indicators cannot change the class",
        "and_more": "and {count} more",
    },
}
_CLASS_LABELS: dict[str, dict[PovertyClass, str]] = {
    "vi": {
        PovertyClass.POOR: "hộ nghèo",
        PovertyClass.NEAR_POOR: "hộ cận nghèo",
        PovertyClass.MIDDLE: "hộ làm nông, lâm, ngư, diêm nghiệp có mức sống trung bình",
        PovertyClass.NOT_POOR: "không thuộc diện nghèo, cận nghèo",
    },
    "en": {
        PovertyClass.POOR: "a poor household",
        PovertyClass.NEAR_POOR: "a near-poor household",
        PovertyClass.MIDDLE: "a farming household with a middle living standard",
        PovertyClass.NOT_POOR: "neither poor nor near-poor",
    },
}
_AREA_EN = {AreaType.RURAL: "rural", AreaType.URBAN: "urban"}
MEMBERS_NAMED = 3  # members named per indicator before "and N more"


@dataclass(frozen=True)
class Needed:
    """An answer still needed to decide an indicator: the facts, of a member (by name) or of the household."""

    indicator: str
    facts: tuple[str, ...]
    member: str | None = None


def _language(language: str) -> str:
    return language if language in _WORDS else "vi"


def indicator_name(standard: Standard, code: str, language: str) -> str:
    entry = standard.catalogue[code]
    return entry.name_en if _language(language) == "en" else entry.name_vi


def fact_name(fact: str, language: str) -> str:
    return _NAMES.get(fact, {}).get(_language(language), fact)


def _value(fact: str, value: Any, language: str, labels: ValueLabels | None) -> str | None:
    """A recorded fact in words, or None when it is not recorded (or says nothing worth repeating)."""
    if value is None or fact in _GROUP_ONLY:
        return None
    words = _WORDS[language]
    if isinstance(value, bool):
        phrases = _PHRASES.get(fact, {}).get(language)
        if phrases is None:
            return None
        return phrases[0] if value else phrases[1]
    if fact == "birth_year":
        return words["born"].format(year=value)
    if isinstance(value, str):
        label = (labels or {}).get(fact, {}).get(value, value)
        return f"{fact_name(fact, language)}: {label.lower()}"
    if isinstance(value, float | int):
        number = f"{value:g}".replace(".", "," if language == "vi" else ".")
        return f"{fact_name(fact, language)}: {number}"
    return None


def _member_label(member: Mapping[str, Any], number: int, language: str) -> str:
    words = _WORDS[language]
    name = member.get("name") or words["member"].format(number=number)
    age = member.get("age")
    return name if age is None else words["aged"].format(name=name, age=age)


def _deciding(condition: Any, facts: Sequence[str], values: Mapping[str, Any]) -> list[str]:
    """The facts among `facts` that the true `condition` rests on: those without which (read as unrecorded) it
    would no longer hold. "unemployed, or a wage worker without a contract" holds for an unemployed member
    whatever the contract says, so the contract is not named as a cause."""
    return [fact for fact in facts if condition({**values, fact: None}) is not True]


def _member_cause(rule: IndicatorRule, members: Sequence[Mapping[str, Any]], language: str,
                  labels: ValueLabels | None) -> str:  # fmt: skip
    """The members who make the household deprived on an any_member rule, with the facts that make them so."""
    assert rule.when is not None
    among = rule.among.python if rule.among is not None else None
    facts = sorted(rule.when.facts)
    causes = []
    for number, member in enumerate(members, start=1):
        if among is not None and not among(member):
            continue
        if not rule.when.python(member):
            continue
        deciding = _deciding(rule.when.python, facts, member)
        details = [text for fact in deciding if (text := _value(fact, member.get(fact), language, labels))]
        causes.append(", ".join([_member_label(member, number, language), *details]))
    shown = causes[:MEMBERS_NAMED]
    if len(causes) > MEMBERS_NAMED:
        shown.append(_WORDS[language]["and_more"].format(count=len(causes) - MEMBERS_NAMED))
    return "; ".join(shown)


def _household_cause(
    rule: IndicatorRule, facts: HouseholdFacts, language: str, labels: ValueLabels | None
) -> str:
    assert rule.when is not None
    household = facts.household_dict()
    names = rule.when.facts
    if {"floor_area_m2", "member_count"} <= names and household.get("floor_area_m2") is not None:
        members = household.get("member_count")
        if members:
            area = household["floor_area_m2"]
            per = area / members
            decimal = "," if language == "vi" else "."
            return _WORDS[language]["area_per_person"].format(
                area=f"{area:g}".replace(".", decimal),
                members=members,
                per=f"{per:.1f}".replace(".", decimal),
            )
    deciding = _deciding(rule.when.python, sorted(names), household)
    parts = [text for fact in deciding if (text := _value(fact, household.get(fact), language, labels))]
    return ", ".join(parts)


def cause(rule: IndicatorRule, standard: Standard, facts: HouseholdFacts, *, language: str = "vi",
          labels: ValueLabels | None = None) -> str:  # fmt: skip
    """Why the recorded facts make the household deprived on `rule` (empty when they do not, or when the rule
    has no derivation)."""
    language = _language(language)
    if rule.kind == "entered" or (rule.when is None and rule.kind != "member_share"):
        return ""
    if rule.kind == "household":
        return _household_cause(rule, facts, language, labels)
    members = [m.as_dict() for m in facts.members]
    if rule.kind == "member_share":
        assert rule.among is not None
        count = sum(1 for m in members if rule.among.python(m))
        return _WORDS[language]["share"].format(count=count, total=len(members)) if members else ""
    return _member_cause(rule, members, language, labels)


def needed_answers(rule: IndicatorRule, facts: HouseholdFacts, *, language: str = "vi") -> list[Needed]:
    """The facts still needed to decide `rule` for this household: per member whose part is unknown, the facts
    of the rule not recorded for them; for a household rule, the household facts not recorded."""
    language = _language(language)
    if rule.kind == "entered":
        return []
    if rule.kind == "household":
        household = facts.household_dict()
        missing = tuple(sorted(name for name in rule.facts if household.get(name) is None))
        return [Needed(indicator=rule.code, facts=missing)] if missing else []
    members = [m.as_dict() for m in facts.members]
    if not members:
        return [Needed(indicator=rule.code, facts=("member_count",))]
    needed = []
    among = rule.among.python if rule.among is not None else None
    when = rule.when.python if rule.when is not None else None
    for number, member in enumerate(members, start=1):
        in_group = among(member) if among is not None else True
        if in_group is False:
            continue
        holds = when(member) if when is not None else True
        if rule.kind == "member_share":
            unknown = in_group is None
        else:
            unknown = holds is None or (in_group is None and holds is not False)
        if not unknown:
            continue
        missing = tuple(sorted(name for name in rule.facts if member.get(name) is None))
        if missing:
            needed.append(
                Needed(indicator=rule.code, facts=missing, member=_member_label(member, number, language))
            )
    return needed


def answers_needed(result: Classification, standard: Standard, facts: HouseholdFacts, *,
                   language: str = "vi") -> list[tuple[str, str]]:  # fmt: skip
    """(indicator name, the answers still needed to decide it) for each undecided indicator of `result`, for the
    household page and the forms; the text is empty where no recorded answer would decide it (an indicator taken
    from the reviewer's survey form only)."""
    language = _language(language)
    rules = {rule.code: rule for rule in standard.indicators}
    return [
        (
            indicator_name(standard, outcome.code, language),
            _needed_text(needed_answers(rules[outcome.code], facts, language=language), language),
        )
        for outcome in result.outcomes
        if outcome.missing
    ]


def _needed_text(needed: Sequence[Needed], language: str) -> str:
    parts = []
    for item in needed:
        names = ", ".join(dict.fromkeys(fact_name(fact, language) for fact in item.facts))
        parts.append(f"{names} ({item.member})" if item.member else names)
    return "; ".join(parts)


def explain(result: Classification, standard: Standard, facts: HouseholdFacts, *, language: str = "vi",
            value_labels: ValueLabels | None = None) -> str:  # fmt: skip
    """One paragraph a commune officer can read aloud at the village meeting (module docstring)."""
    language = _language(language)
    words = _WORDS[language]
    area_type = AreaType(facts.area_type)
    area = standard.area_label(area_type) if language == "vi" else _AREA_EN[area_type]
    income = format_vnd(result.income_per_capita)
    parts: list[str] = []
    if result.lower_line is not None and result.income_per_capita <= result.lower_line:
        parts.append(
            words["income_le_lower"].format(income=income, line=format_vnd(result.lower_line), area=area)
        )
    elif result.income_per_capita <= result.poverty_line:
        parts.append(
            words["income_le"].format(income=income, line=format_vnd(result.poverty_line), area=area)
        )
    else:
        parts.append(
            words["income_gt"].format(income=income, line=format_vnd(result.poverty_line), area=area)
        )
        if result.poverty_class is PovertyClass.MIDDLE and result.middle_line is not None:
            parts.append(words["middle"].format(line=format_vnd(result.middle_line)))
    rules = {rule.code: rule for rule in standard.indicators}
    counted = []
    for outcome in result.outcomes:
        if not outcome.deprived:
            continue
        name = indicator_name(standard, outcome.code, language).lower()
        why = (
            cause(rules[outcome.code], standard, facts, language=language, labels=value_labels)
            if outcome.derived
            else ""
        )
        counted.append(f"{name} ({why})" if why else name)
    deprivations = words["deprived"].format(count=result.deprivation_count, total=result.indicator_total)
    if counted:
        deprivations += ": " + ", ".join(counted)
    parts.append(deprivations)
    label = _CLASS_LABELS[language][result.poverty_class]
    text = "; ".join(parts) + words["class"].format(label=label, standard=standard.id)
    if result.income_per_capita <= result.poverty_line and not (
        result.lower_line is not None and result.income_per_capita <= result.lower_line
    ):
        key = "enough" if result.deprivation_count >= result.cutoff else "not_enough"
        text += words[key].format(cutoff=result.cutoff)
    notes = []
    for outcome in result.outcomes:
        name = indicator_name(standard, outcome.code, language)
        if outcome.conflict:
            rule = rules[outcome.code]
            why = (
                cause(rule, standard, facts, language=language, labels=value_labels)
                if outcome.derived
                else ""
            )
            notes.append(
                words["conflict"].format(
                    indicator=name,
                    entered=words["yes"] if outcome.entered else words["no"],
                    derived=words["yes"] if outcome.derived else words["no"],
                    cause=f" ({why})" if why else "",
                )
            )
        elif outcome.missing:
            needed = needed_answers(rules[outcome.code], facts, language=language)
            notes.append(
                words["undecided"].format(indicator=name, needed=_needed_text(needed, language))
                if needed
                else words["undecided_plain"].format(indicator=name)
            )
    if result.undecided:
        if result.settled:
            notes.append(words["settled"])
        elif result.possible_class is not None:
            notes.append(words["could_change"].format(label=_CLASS_LABELS[language][result.possible_class]))
    if notes:
        text += ". " + ". ".join(notes)
    return text + "."
