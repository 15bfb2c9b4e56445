"""Poverty standards as versioned, date-effective rule sets loaded from TOML data files.

A standard holds its income lines per area type, the indicators it counts with a machine-checkable rule each,
the cut-off and its validity. Files live in `giamngheo/standards/data/` (one per standard, plus the indicator
catalogue); values whose legal source is not verified are marked there and stay editable.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from giamngheo.engine.expr import Expression, RuleSyntaxError, parse
from giamngheo.engine.facts import HOUSEHOLD_FACT_NAMES, MEMBER_FACT_NAMES, AreaType

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "standards" / "data"

RuleKind = Literal["any_member", "member_share", "household", "entered"]
RuleShape = Literal["single_line", "two_tier"]


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
    among: Expression | None = None
    when: Expression | None = None
    above: float | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def member_facts(self) -> frozenset[str]:
        parts = [e.facts for e in (self.among, self.when) if e is not None]
        return frozenset().union(*parts) if self.kind in {"any_member", "member_share"} else frozenset()


@dataclass(frozen=True)
class IncomeLines:
    poverty_line: int
    lower_line: int | None = None
    middle_line: int | None = None


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

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(rule.code for rule in self.indicators)

    @property
    def mask(self) -> int:
        """The bits of the indicators this standard counts."""
        return sum(1 << self.catalogue[code].bit for code in self.indicator_codes)

    def bit(self, code: str) -> int:
        return self.catalogue[code].bit

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


def load_catalogue(data_dir: Path = DEFAULT_DATA_DIR) -> dict[str, CatalogueIndicator]:
    path = data_dir / "indicators.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    catalogue: dict[str, CatalogueIndicator] = {}
    bits: set[int] = set()
    for entry in raw.get("indicator", []):
        indicator = CatalogueIndicator(**entry)
        if indicator.code in catalogue or indicator.bit in bits or not 0 <= indicator.bit < 62:
            raise StandardError(
                f"{path.name}: duplicate or invalid indicator {indicator.code!r} / bit {indicator.bit}"
            )
        catalogue[indicator.code] = indicator
        bits.add(indicator.bit)
    return catalogue


def _rule(path: Path, entry: dict[str, Any], catalogue: dict[str, CatalogueIndicator]) -> IndicatorRule:
    code = entry.get("code")
    if code not in catalogue:
        raise StandardError(f"{path.name}: unknown indicator {code!r}")
    kind = entry.get("kind")
    params = dict(entry.get("params", {}))
    known = MEMBER_FACT_NAMES if kind in {"any_member", "member_share"} else HOUSEHOLD_FACT_NAMES
    try:
        among = parse(entry["among"], known_facts=known, params=params) if "among" in entry else None
        when = parse(entry["when"], known_facts=known, params=params) if "when" in entry else None
    except RuleSyntaxError as exc:
        raise StandardError(f"{path.name}, indicator {code}: {exc}") from exc
    if kind == "any_member" and when is None:
        raise StandardError(f"{path.name}, indicator {code}: any_member needs `when`")
    if kind == "member_share" and (among is None or "above" not in entry):
        raise StandardError(f"{path.name}, indicator {code}: member_share needs `among` and `above`")
    if kind == "household" and when is None:
        raise StandardError(f"{path.name}, indicator {code}: household needs `when`")
    if kind not in {"any_member", "member_share", "household", "entered"}:
        raise StandardError(f"{path.name}, indicator {code}: unknown rule kind {kind!r}")
    above = float(entry["above"]) if "above" in entry else None
    return IndicatorRule(
        code=code, kind=kind, evidence=str(entry.get("evidence", "")),
        describe_vi=str(entry.get("describe_vi", "")), among=among, when=when, above=above,
        params=params,
    )  # fmt: skip


def load_standard_file(path: Path, catalogue: dict[str, CatalogueIndicator]) -> Standard:
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StandardError(f"{path.name}: {exc}") from exc
    try:
        income = {}
        for area in AreaType:
            lines = raw["income"][area.value]
            income[area] = IncomeLines(
                poverty_line=int(lines["poverty_line"]),
                lower_line=int(lines["lower_line"]) if "lower_line" in lines else None,
                middle_line=int(lines["middle_line"]) if "middle_line" in lines else None,
            )
        rule = raw["rule"]
        if rule not in {"single_line", "two_tier"}:
            raise StandardError(f"{path.name}: unknown rule shape {rule!r}")
        if rule == "two_tier" and any(lines.lower_line is None for lines in income.values()):
            raise StandardError(f"{path.name}: a two_tier standard needs lower_line for every area type")
        indicators = tuple(_rule(path, entry, catalogue) for entry in raw["indicators"])
        if len({r.code for r in indicators}) != len(indicators):
            raise StandardError(f"{path.name}: an indicator is listed twice")
        return Standard(
            id=raw["id"],
            name_vi=raw["name_vi"],
            name_en=raw["name_en"],
            instrument=raw["instrument"],
            valid_from=raw["valid_from"],
            valid_to=raw["valid_to"],
            rule=rule,
            cutoff=int(raw["cutoff"]),
            income=income,
            indicators=indicators,
            catalogue=catalogue,
            source_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        )
    except KeyError as exc:
        raise StandardError(f"{path.name}: missing field {exc.args[0]!r}") from exc


@cache
def load_standards(data_dir: Path = DEFAULT_DATA_DIR) -> dict[str, Standard]:
    """All standards in a folder, by id. Cached: data files are read once per process."""
    catalogue = load_catalogue(data_dir)
    standards: dict[str, Standard] = {}
    for path in sorted(data_dir.glob("*.toml")):
        if path.name == "indicators.toml":
            continue
        standard = load_standard_file(path, catalogue)
        if standard.id != path.stem:
            raise StandardError(f"{path.name}: id {standard.id!r} must match the file name")
        standards[standard.id] = standard
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
