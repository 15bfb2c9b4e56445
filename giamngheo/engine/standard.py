"""Poverty standards as versioned, date-effective rule sets loaded from TOML data files.

A standard holds its income lines and area labels per area type, the indicators it counts with a machine-checkable
rule each, the cut-off and its validity (domain.md §2.2: "a versioned, date-effective rule set"). Files live in
`giamngheo/standards/data/` (one per standard, plus the indicator catalogue); values whose legal source is not
verified are marked there and stay editable. The loader is strict: a typo in a data file must fail loudly when the
standard is loaded, with a Vietnamese message naming the file, the indicator and the field, rather than change a
household's class in silence.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from giamngheo.engine.expr import Expression, RuleSyntaxError, parse
from giamngheo.engine.facts import (
    AREA_LABELS_VI,
    HOUSEHOLD_FACT_KINDS,
    HOUSEHOLD_FACT_NAMES,
    MEMBER_FACT_KINDS,
    MEMBER_FACT_NAMES,
    AreaType,
)

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "standards" / "data"

RuleKind = Literal["any_member", "member_share", "household", "entered"]
RuleShape = Literal["single_line", "two_tier"]
RULE_KINDS: frozenset[str] = frozenset({"any_member", "member_share", "household", "entered"})
# How a rule, line or threshold was checked: "text" against the instrument's own text (a copy of the decree or
# decision, or of the law it cites), "secondary" against a secondary source only (the press, an official's summary,
# a province's notice, a draft), "unverified" not checked at all. README.md lists everything not "text".
EVIDENCE_LABELS: frozenset[str] = frozenset({"text", "secondary", "unverified"})
# Data files in the standards folder that are not poverty standards.
NOT_STANDARDS: frozenset[str] = frozenset({"indicators.toml", "labour.toml"})

_STANDARD_KEYS = frozenset(
    {
        "id",
        "name_vi",
        "name_en",
        "instrument",
        "valid_from",
        "valid_to",
        "rule",
        "cutoff",
        "source",
        "evidence",
        "income",
        "indicators",
    }
)
_OPTIONAL_STANDARD_KEYS = frozenset({"low_income_worker", "source_url"})
_AREA_KEYS = frozenset(
    {"poverty_line", "lower_line", "middle_line", "label_vi", "source", "evidence", "middle_source",
     "middle_evidence"}
)  # fmt: skip
_INDICATOR_KEYS = frozenset(
    {"code", "kind", "evidence", "source", "quote", "source_url", "describe_vi", "describe_en", "among", "when",
     "above", "params"}
)  # fmt: skip
_REQUIRED_INDICATOR_KEYS = frozenset({"code", "kind", "evidence", "source", "describe_vi", "describe_en"})
_CATALOGUE_KEYS = frozenset({"code", "bit", "dimension", "name_vi", "name_en"})
# Which optional keys each rule kind needs (True) or must not have (False).
_KIND_KEYS: dict[str, dict[str, bool]] = {
    "any_member": {"when": True, "above": False},
    "member_share": {"among": True, "above": True, "when": False},
    "household": {"when": True, "among": False, "above": False},
    "entered": {"when": False, "among": False, "above": False, "params": False},
}


class StandardError(ValueError):
    """A standard's data file is invalid; the message names the file and the problem."""


@dataclass(frozen=True)
class CatalogueIndicator:
    code: str
    bit: int
    dimension: str
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class IndicatorRule:
    code: str
    kind: RuleKind
    evidence: str
    describe_vi: str = ""
    describe_en: str = ""
    source: str = ""  # the article of the instrument (or the secondary source) the rule is taken from
    quote: str = ""  # the sentence of that source, verbatim, when it could be read
    source_url: str = ""
    among: Expression | None = None
    when: Expression | None = None
    above: float | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def facts(self) -> frozenset[str]:
        """Every fact the rule reads (member facts for member rules, household facts otherwise)."""
        parts = [e.facts for e in (self.among, self.when) if e is not None]
        return frozenset().union(*parts)

    @property
    def member_facts(self) -> frozenset[str]:
        return self.facts if self.kind in {"any_member", "member_share"} else frozenset()


@dataclass(frozen=True)
class IncomeLines:
    poverty_line: int
    lower_line: int | None = None
    middle_line: int | None = None
    source: str = ""
    evidence: str = ""
    middle_source: str = ""
    middle_evidence: str = ""


@dataclass(frozen=True)
class Standard:
    id: str
    name_vi: str
    name_en: str
    instrument: str
    valid_from: date
    valid_to: date
    rule: RuleShape
    cutoff: int
    income: dict[AreaType, IncomeLines]
    indicators: tuple[IndicatorRule, ...]
    catalogue: dict[str, CatalogueIndicator]
    source_sha256: str
    area_labels_vi: Mapping[AreaType, str] = field(default_factory=lambda: dict(AREA_LABELS_VI))
    source: str = ""  # where the income rule, the cut-off and the validity come from
    evidence: str = ""
    low_income_worker: LowIncomeWorkerRule | None = None

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(rule.code for rule in self.indicators)

    @property
    def has_middle_line(self) -> bool:
        """Whether the standard sets a middle-living-standard line (NĐ 351/2025 sets none for 2027-2030)."""
        return any(lines.middle_line is not None for lines in self.income.values())

    @property
    def mask(self) -> int:
        """The bits of the indicators this standard counts."""
        return sum(1 << self.catalogue[code].bit for code in self.indicator_codes)

    def bit(self, code: str) -> int:
        return self.catalogue[code].bit

    def area_label(self, area_type: AreaType | str) -> str:
        """How this standard names an area type (NĐ 351/2025 says "đô thị" where earlier texts say "thành thị")."""
        return self.area_labels_vi[AreaType(area_type)]

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


@dataclass(frozen=True)
class LowIncomeWorkerRule:
    """Who is a low-income worker under a standard (NĐ 30/2025/NĐ-CP amending NĐ 07/2021): a worker of a household
    that is neither poor nor near-poor whose income per person is at most the line of its area type."""

    lines: dict[AreaType, int]
    instrument: str
    source: str
    evidence: str
    valid_from: date


def _evidence(where: str, value: Any, key: str = "evidence") -> str:
    if value not in EVIDENCE_LABELS:
        raise StandardError(
            f"{where}: {key!r} phải là một trong {', '.join(sorted(EVIDENCE_LABELS))}, không phải {value!r}"
        )
    return str(value)


def _source(where: str, value: Any, key: str = "source") -> str:
    if not isinstance(value, str) or not value.strip():
        raise StandardError(
            f"{where}: thiếu {key!r} (văn bản, điều khoản hoặc nguồn thứ cấp của giá trị này)"
        )
    return value


def _low_income_worker(path: Path, raw: Mapping[str, Any]) -> LowIncomeWorkerRule | None:
    table = raw.get("low_income_worker")
    if table is None:
        return None
    where = f"{path.name}, [low_income_worker]"
    allowed = {"instrument", "source", "evidence", "valid_from", *(a.value for a in AreaType)}
    _unknown_keys(where, table, frozenset(allowed))
    lines: dict[AreaType, int] = {}
    for area in AreaType:
        value = table.get(area.value)
        if not _is_int(value) or value <= 0:
            raise StandardError(f"{where}: {area.value!r} phải là số đồng nguyên dương")
        lines[area] = value
    if type(table.get("valid_from")) is not date:
        raise StandardError(f"{where}: 'valid_from' phải là một ngày (YYYY-MM-DD)")
    return LowIncomeWorkerRule(
        lines=lines,
        instrument=_source(where, table.get("instrument")),
        source=_source(where, table.get("source")),
        evidence=_evidence(where, table.get("evidence")),
        valid_from=table["valid_from"],
    )


def _unknown_keys(where: str, entry: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise StandardError(
            f"{where}: trường không được hỗ trợ {', '.join(map(repr, unknown))} "
            f"(các trường hợp lệ: {', '.join(sorted(allowed))})"
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@cache
def load_catalogue(data_dir: Path = DEFAULT_DATA_DIR) -> dict[str, CatalogueIndicator]:
    """The indicator catalogue (`indicators.toml`): every indicator any standard may count, with its mask bit."""
    path = data_dir / "indicators.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise StandardError(f"{path.name}: tệp TOML không hợp lệ: {exc}") from exc
    catalogue: dict[str, CatalogueIndicator] = {}
    bits: set[int] = set()
    for number, entry in enumerate(raw.get("indicator", []), start=1):
        where = f"{path.name}, chỉ số thứ {number}"
        _unknown_keys(where, entry, _CATALOGUE_KEYS)
        missing = sorted(_CATALOGUE_KEYS - set(entry))
        if missing:
            raise StandardError(f"{where}: thiếu trường {', '.join(map(repr, missing))}")
        indicator = CatalogueIndicator(**entry)
        if indicator.code in catalogue:
            raise StandardError(f"{where}: mã chỉ số {indicator.code!r} bị lặp")
        if not _is_int(indicator.bit) or not 0 <= indicator.bit < 62 or indicator.bit in bits:
            raise StandardError(
                f"{where} ({indicator.code}): bit {indicator.bit!r} không hợp lệ hoặc đã dùng (cần số nguyên 0–61)"
            )
        catalogue[indicator.code] = indicator
        bits.add(indicator.bit)
    return catalogue


def _rule(
    path: Path, number: int, entry: dict[str, Any], catalogue: dict[str, CatalogueIndicator]
) -> IndicatorRule:
    code = entry.get("code")
    if code not in catalogue:
        raise StandardError(
            f"{path.name}, chỉ số thứ {number}: mã chỉ số {code!r} không có trong danh mục indicators.toml"
        )
    where = f"{path.name}, chỉ số {code}"
    _unknown_keys(where, entry, _INDICATOR_KEYS)
    kind = entry.get("kind")
    if kind not in RULE_KINDS:
        raise StandardError(
            f"{where}: loại quy tắc (kind) {kind!r} không hợp lệ (chỉ dùng: {', '.join(sorted(RULE_KINDS))})"
        )
    for key, needed in _KIND_KEYS[kind].items():
        if needed and key not in entry:
            raise StandardError(f"{where}: quy tắc loại {kind} cần trường {key!r}")
        if not needed and key in entry:
            raise StandardError(f"{where}: quy tắc loại {kind} không dùng trường {key!r}")
    missing = sorted(_REQUIRED_INDICATOR_KEYS - set(entry))
    if missing:
        raise StandardError(f"{where}: thiếu trường {', '.join(map(repr, missing))}")
    evidence = _evidence(where, entry.get("evidence"))
    source = _source(where, entry.get("source"))
    for key in ("describe_vi", "describe_en", "quote", "source_url"):
        if key in entry and not isinstance(entry[key], str):
            raise StandardError(f"{where}: {key!r} phải là chuỗi")
    params = entry.get("params", {})
    if not isinstance(params, dict):
        raise StandardError(f"{where}: trường 'params' phải là một bảng tên = giá trị")
    is_member_rule = kind in {"any_member", "member_share"}
    known = MEMBER_FACT_NAMES if is_member_rule else HOUSEHOLD_FACT_NAMES
    kinds = MEMBER_FACT_KINDS if is_member_rule else HOUSEHOLD_FACT_KINDS
    expressions: dict[str, Expression] = {}
    for key in ("among", "when"):
        if key not in entry:
            continue
        if not isinstance(entry[key], str):
            raise StandardError(f"{where}: trường {key!r} phải là một biểu thức (chuỗi)")
        try:
            expression = parse(entry[key], known_facts=known, params=params, fact_kinds=kinds)
        except RuleSyntaxError as exc:
            raise StandardError(f"{where}, trường {key!r}: {exc}") from exc
        if expression.kind != "bool":
            raise StandardError(f"{where}, trường {key!r}: biểu thức phải cho kết quả đúng/sai")
        expressions[key] = expression
    above = entry.get("above")
    if above is not None and (
        isinstance(above, bool) or not isinstance(above, int | float) or not 0 <= above < 1
    ):
        raise StandardError(
            f"{where}: trường 'above' phải là một tỷ lệ từ 0 đến dưới 1, không phải {above!r}"
        )
    return IndicatorRule(
        code=code,
        kind=kind,
        evidence=evidence,
        describe_vi=str(entry.get("describe_vi", "")),
        describe_en=str(entry.get("describe_en", "")),
        source=source,
        quote=str(entry.get("quote", "")),
        source_url=str(entry.get("source_url", "")),
        among=expressions.get("among"),
        when=expressions.get("when"),
        above=float(above) if above is not None else None,
        params=dict(params),
    )


def _income(
    path: Path, raw: Mapping[str, Any], rule: str
) -> tuple[dict[AreaType, IncomeLines], dict[AreaType, str]]:
    income: dict[AreaType, IncomeLines] = {}
    labels: dict[AreaType, str] = {}
    table = raw["income"]
    unknown = sorted(set(table) - {a.value for a in AreaType})
    if unknown:
        raise StandardError(f"{path.name}: khu vực không xác định trong [income]: {', '.join(unknown)}")
    for area in AreaType:
        where = f"{path.name}, [income.{area.value}]"
        if area.value not in table:
            raise StandardError(f"{where}: thiếu chuẩn thu nhập của khu vực này")
        lines = table[area.value]
        _unknown_keys(where, lines, _AREA_KEYS)
        values: dict[str, int | None] = {}
        for key in ("lower_line", "poverty_line", "middle_line"):
            value = lines.get(key)
            if key == "poverty_line" and value is None:
                raise StandardError(f"{where}: thiếu 'poverty_line'")
            if value is not None and (not _is_int(value) or value <= 0):
                raise StandardError(f"{where}: {key!r} phải là số đồng nguyên dương, không phải {value!r}")
            values[key] = value
        lower, poverty, middle = values["lower_line"], values["poverty_line"], values["middle_line"]
        assert poverty is not None
        if rule == "two_tier" and lower is None:
            raise StandardError(f"{where}: chuẩn hai mức (two_tier) cần 'lower_line'")
        if rule == "single_line" and lower is not None:
            raise StandardError(f"{where}: chuẩn một mức (single_line) không dùng 'lower_line'")
        if lower is not None and not lower < poverty:
            raise StandardError(f"{where}: 'lower_line' phải nhỏ hơn 'poverty_line'")
        if middle is not None and not poverty < middle:
            raise StandardError(f"{where}: 'middle_line' phải lớn hơn 'poverty_line'")
        middle_source = middle_evidence = ""
        if middle is not None:
            middle_source = _source(where, lines.get("middle_source"), "middle_source")
            middle_evidence = _evidence(where, lines.get("middle_evidence"), "middle_evidence")
        income[area] = IncomeLines(
            poverty_line=poverty,
            lower_line=lower,
            middle_line=middle,
            source=_source(where, lines.get("source")),
            evidence=_evidence(where, lines.get("evidence")),
            middle_source=middle_source,
            middle_evidence=middle_evidence,
        )
        label = lines.get("label_vi", AREA_LABELS_VI[area])
        if not isinstance(label, str) or not label.strip():
            raise StandardError(f"{where}: 'label_vi' phải là tên khu vực (chuỗi khác rỗng)")
        labels[area] = label
    return income, labels


def load_standard_file(path: Path, catalogue: dict[str, CatalogueIndicator]) -> Standard:
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StandardError(f"{path.name}: tệp TOML không hợp lệ: {exc}") from exc
    _unknown_keys(path.name, raw, _STANDARD_KEYS | _OPTIONAL_STANDARD_KEYS)
    missing = sorted(_STANDARD_KEYS - set(raw))
    if missing:
        raise StandardError(f"{path.name}: thiếu trường {', '.join(map(repr, missing))}")
    rule = raw["rule"]
    if rule not in {"single_line", "two_tier"}:
        raise StandardError(
            f"{path.name}: dạng chuẩn (rule) {rule!r} không hợp lệ (single_line hoặc two_tier)"
        )
    for key in ("valid_from", "valid_to"):
        if type(raw[key]) is not date:
            raise StandardError(
                f"{path.name}: {key!r} phải là một ngày (YYYY-MM-DD), không phải {raw[key]!r}"
            )
    if raw["valid_from"] > raw["valid_to"]:
        raise StandardError(f"{path.name}: 'valid_from' sau 'valid_to'")
    income, labels = _income(path, raw, rule)
    entries = raw["indicators"]
    if not isinstance(entries, list) or not entries:
        raise StandardError(f"{path.name}: cần ít nhất một [[indicators]]")
    indicators: list[IndicatorRule] = []
    for number, entry in enumerate(entries, start=1):
        indicator = _rule(path, number, entry, catalogue)
        if indicator.code in {r.code for r in indicators}:
            raise StandardError(f"{path.name}, chỉ số {indicator.code}: chỉ số được khai báo hai lần")
        indicators.append(indicator)
    cutoff = raw["cutoff"]
    if not _is_int(cutoff) or not 1 <= cutoff <= len(indicators):
        raise StandardError(
            f"{path.name}: 'cutoff' phải là số nguyên từ 1 đến {len(indicators)}, không phải {cutoff!r}"
        )
    for key in ("id", "name_vi", "name_en", "instrument"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise StandardError(f"{path.name}: {key!r} phải là chuỗi khác rỗng")
    low_income_worker = _low_income_worker(path, raw)
    if low_income_worker is not None:
        for area, line in low_income_worker.lines.items():
            if line <= income[area].poverty_line:
                raise StandardError(
                    f"{path.name}, [low_income_worker]: {area.value} = {line} phải lớn hơn chuẩn nghèo "
                    f"{income[area].poverty_line} (người lao động có thu nhập thấp thuộc hộ không nghèo, "
                    "không cận nghèo)"
                )
    return Standard(
        id=raw["id"],
        name_vi=raw["name_vi"],
        name_en=raw["name_en"],
        instrument=raw["instrument"],
        valid_from=raw["valid_from"],
        valid_to=raw["valid_to"],
        rule=rule,
        cutoff=cutoff,
        income=income,
        indicators=tuple(indicators),
        catalogue=catalogue,
        source_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        area_labels_vi=labels,
        source=_source(path.name, raw["source"]),
        evidence=_evidence(path.name, raw["evidence"]),
        low_income_worker=low_income_worker,
    )


@cache
def load_standards(data_dir: Path = DEFAULT_DATA_DIR) -> dict[str, Standard]:
    """All standards in a folder, by id. Cached: data files are read once per process."""
    catalogue = load_catalogue(data_dir)
    standards: dict[str, Standard] = {}
    for path in sorted(data_dir.glob("*.toml")):
        if path.name in NOT_STANDARDS:
            continue
        standard = load_standard_file(path, catalogue)
        if standard.id != path.stem:
            raise StandardError(
                f"{path.name}: mã chuẩn (id) {standard.id!r} phải trùng tên tệp ({path.stem!r})"
            )
        standards[standard.id] = standard
    by_start = sorted(standards.values(), key=lambda s: s.valid_from)
    for earlier, later in pairwise(by_start):
        if later.valid_from <= earlier.valid_to:
            raise StandardError(
                f"thời gian hiệu lực của {earlier.id} ({earlier.valid_from:%d/%m/%Y}–{earlier.valid_to:%d/%m/%Y}) "
                f"và {later.id} ({later.valid_from:%d/%m/%Y}–{later.valid_to:%d/%m/%Y}) chồng lên nhau"
            )
    return standards


def get_standard(standard_id: str, data_dir: Path = DEFAULT_DATA_DIR) -> Standard:
    standards = load_standards(data_dir)
    try:
        return standards[standard_id]
    except KeyError:
        known = ", ".join(sorted(standards))
        raise StandardError(f"không có chuẩn nghèo {standard_id!r} (có: {known})") from None


def standard_in_force(day: date, standards: Iterable[Standard] | None = None) -> Standard:
    """The standard in force on a date."""
    pool = list(standards) if standards is not None else list(load_standards().values())
    matches = [s for s in pool if s.in_force_on(day)]
    if not matches:
        raise StandardError(f"không có chuẩn nghèo nào có hiệu lực ngày {day:%d/%m/%Y}")
    return max(matches, key=lambda s: s.valid_from)


def standard_for_lists_year(year: int, standards: Iterable[Standard] | None = None) -> Standard:
    """The standard for a review whose lists take effect in `year`: the one in force on 1 January of that year."""
    return standard_in_force(date(year, 1, 1), standards)
