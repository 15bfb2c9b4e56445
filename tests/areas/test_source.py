"""The package reader on its own (no database): counts, key resolution, the Kông Chro mapping."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import pytest

from giamngheo.areas.source import COMMUNE, DISTRICT, PROVINCE, UnitDataset, UnitKey, read_dataset

REFORM = date(2025, 7, 1)


@pytest.fixture(scope="module")
def dataset() -> UnitDataset:
    return read_dataset(reform_date=REFORM)


def _count(dataset: UnitDataset, level: str, *, new: bool) -> int:
    return sum(1 for r in dataset.units if r.key.level == level and (r.key.valid_from is not None) == new)


def test_counts_before_and_after_the_reform(dataset):
    assert _count(dataset, PROVINCE, new=False) == 63
    assert _count(dataset, DISTRICT, new=False) == 696
    assert 10_000 <= _count(dataset, COMMUNE, new=False) <= 10_100
    assert _count(dataset, PROVINCE, new=True) == 34
    assert _count(dataset, DISTRICT, new=True) == 0
    assert _count(dataset, COMMUNE, new=True) == 3321
    assert dataset.source.startswith("vietnamadminunits ")
    assert dataset.warnings == []


def test_validity_periods_meet_at_the_reform(dataset):
    for record in dataset.units:
        if record.key.valid_from is None:
            assert record.valid_to == date(2025, 6, 30)
        else:
            assert record.key.valid_from == REFORM
            assert record.valid_to is None


def test_parents_come_before_children_and_match_the_hierarchy(dataset):
    seen: set[UnitKey] = set()
    for record in dataset.units:
        expected_parent_level = {PROVINCE: None, DISTRICT: PROVINCE, COMMUNE: DISTRICT}[record.key.level]
        if record.key.valid_from is not None and record.key.level == COMMUNE:
            expected_parent_level = PROVINCE  # no districts after the reform
        assert (record.parent.level if record.parent else None) == expected_parent_level
        if record.parent:
            assert record.parent in seen
            assert record.parent.valid_from == record.key.valid_from
        seen.add(record.key)


def test_every_legacy_commune_has_exactly_one_default_successor(dataset):
    defaults: Counter[UnitKey] = Counter()
    for row in dataset.successions:
        if row.predecessor.level == COMMUNE:
            defaults[row.predecessor] += row.is_default
            assert row.successor.level == COMMUNE and row.successor.valid_from == REFORM
    legacy_communes = {r.key for r in dataset.units if r.key.level == COMMUNE and r.key.valid_from is None}
    assert set(defaults) == legacy_communes
    assert set(defaults.values()) == {1}


def test_each_old_province_goes_to_one_new_province(dataset):
    targets: dict[str, set[str]] = defaultdict(set)
    for row in dataset.successions:
        if row.predecessor.level == PROVINCE:
            assert row.is_default
            targets[row.predecessor.code].add(row.successor.code)
    assert len(targets) == 63
    assert all(len(codes) == 1 for codes in targets.values())
    assert targets["64"] == {"52"}  # Gia Lai merged into the new Gia Lai, code 52 (domain.md §7.2)
    assert targets["52"] == {"52"}


def test_districts_without_communes_pass_to_a_special_zone(dataset):
    """Island districts (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) have no commune level."""
    with_communes = {r.parent for r in dataset.units if r.key.level == COMMUNE and r.key.valid_from is None}
    bare = {r.key for r in dataset.units if r.key.level == DISTRICT and r.key not in with_communes}
    assert len(bare) == 5
    names = {r.key: r.name for r in dataset.units}
    for district in bare:
        rows = [row for row in dataset.successions if row.predecessor == district]
        assert len(rows) == 1 and rows[0].is_default
        assert names[rows[0].successor].startswith("Đặc khu ")


def test_kong_chro_mapping_from_the_package(dataset):
    old_to_new = {
        row.predecessor.code: row.successor.code
        for row in dataset.successions
        if row.predecessor.level == COMMUNE and row.predecessor.code.startswith("238")
    }
    names = {r.key: r.name for r in dataset.units}
    kong_chro = {
        r.key.code
        for r in dataset.units
        if r.parent == UnitKey(DISTRICT, "630", None) and r.key.level == COMMUNE
    }
    assert len(kong_chro) == 14
    assert {code: old_to_new[code] for code in kong_chro} == {
        "23824": "23824", "23845": "23824", "23854": "23824",
        "23833": "23833", "23836": "23833", "23848": "23833",
        "23830": "23830", "23827": "23830",
        "23839": "23839", "23840": "23839",
        "23842": "23842", "23843": "23842",
        "23851": "23851", "23846": "23851",
    }  # fmt: skip
    assert names[UnitKey(COMMUNE, "23824", REFORM)] == "Xã Kông Chro"
    assert names[UnitKey(COMMUNE, "23824", None)] == "Thị trấn Kông Chro"
    assert names[UnitKey(DISTRICT, "630", None)] == "Huyện Kông Chro"
    assert names[UnitKey(PROVINCE, "52", REFORM)] == "Tỉnh Gia Lai"
