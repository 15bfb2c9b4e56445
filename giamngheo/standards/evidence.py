"""What the poverty standards' data files say is not yet checked against an instrument's own text.

Every line, threshold and rule in `standards/data/*.toml` carries `evidence`: "text" (read in the instrument
itself), "secondary" (read only in a secondary source) or "unverified" (found nowhere). `open_items` lists every
item that is not "text", with its source; `markdown` renders them as the table README.md keeps between its
`<!-- evidence:start -->` and `<!-- evidence:end -->` markers (`giamngheo evidence` prints it; a test keeps the
README in step with the files).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from giamngheo.engine.facts import AREA_LABELS_VI, AreaType
from giamngheo.engine.standard import Standard, load_standards

README_START = "<!-- evidence:start -->"
README_END = "<!-- evidence:end -->"


@dataclass(frozen=True)
class OpenItem:
    standard: str
    item: str  # what the value is, in a few words
    evidence: str  # "secondary" or "unverified"
    source: str


def _items(standard: Standard) -> Iterable[OpenItem]:
    sid = standard.id
    yield OpenItem(sid, f"quy tắc thu nhập, ngưỡng {standard.cutoff} chỉ số, hiệu lực", standard.evidence,
                   standard.source)  # fmt: skip
    for area in AreaType:
        lines = standard.income[area]
        label = AREA_LABELS_VI[area]
        yield OpenItem(sid, f"chuẩn nghèo {label}", lines.evidence, lines.source)
        if lines.middle_line is not None:
            yield OpenItem(sid, f"mức sống trung bình {label}", lines.middle_evidence, lines.middle_source)
    worker = standard.low_income_worker
    if worker is not None:
        yield OpenItem(sid, "người lao động có thu nhập thấp", worker.evidence, worker.instrument)
    for rule in standard.indicators:
        name = standard.catalogue[rule.code].name_vi
        yield OpenItem(sid, f"chỉ số {rule.code} ({name.lower()})", rule.evidence, rule.source)


def open_items(standards: dict[str, Standard] | None = None) -> list[OpenItem]:
    """Every item of every standard whose evidence is not the instrument's own text, by standard id."""
    standards = standards if standards is not None else load_standards()
    return [item for sid in sorted(standards) for item in _items(standards[sid]) if item.evidence != "text"]


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def markdown(items: list[OpenItem]) -> str:
    """The table README.md shows (one row per open item)."""
    rows = ["| chuẩn / standard | giá trị / item | evidence | nguồn / source |", "|---|---|---|---|"]
    rows += [
        f"| {item.standard} | {_cell(item.item)} | {item.evidence} | {_cell(item.source)} |" for item in items
    ]
    return "\n".join(rows)
