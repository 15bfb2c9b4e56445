"""README.md lists every value of the standards that is not checked against an instrument's own text, as the
data files say, and `giamngheo evidence` prints the same table."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command

from giamngheo.engine.standard import load_standards
from giamngheo.standards.evidence import README_END, README_START, markdown, open_items

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_lists_what_is_unverified_as_the_files_say() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split(README_START, 1)[1].split(README_END, 1)[0].strip()
    assert table == markdown(open_items()), "run `giamngheo evidence` and paste its table into README.md"


def test_every_open_item_has_a_source_and_only_text_is_left_out() -> None:
    items = open_items()
    assert items and all(item.source.strip() for item in items)
    assert {item.evidence for item in items} <= {"secondary", "unverified"}
    standards = load_standards()
    listed = {(item.standard, item.item) for item in items}
    for standard in standards.values():
        for rule in standard.indicators:
            shown = any(s == standard.id and item.startswith(f"chỉ số {rule.code} ") for s, item in listed)
            assert shown == (rule.evidence != "text"), (standard.id, rule.code)
    # The lines read in the decisions' own (translated) text are not listed: QĐ 59's and NĐ 07's poverty lines.
    assert ("ND07-2021", "chuẩn nghèo nông thôn") not in listed
    assert ("ND351-2025", "chuẩn nghèo nông thôn") in listed


def test_the_command_prints_the_table() -> None:
    out = io.StringIO()
    call_command("evidence", stdout=out)
    assert out.getvalue().strip() == markdown(open_items())
