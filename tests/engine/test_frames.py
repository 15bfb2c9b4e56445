"""Frames in the shapes real callers hand to classify_frame: missing optional columns, other column types, bad
area types and incomes, and the helpers that build frames from HouseholdFacts."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from giamngheo.engine.batch import RESULT_COLUMNS, classify_frame
from giamngheo.engine.classify import classify_household
from giamngheo.engine.facts import AreaType
from giamngheo.engine.frames import entered_masks, facts_to_frames
from giamngheo.engine.standard import get_standard

from .helpers import adult, household

ND07 = get_standard("ND07-2021")


def test_entered_masks() -> None:
    water, latrine = 1 << ND07.bit("nguon_nuoc_sinh_hoat"), 1 << ND07.bit("nha_tieu_hop_ve_sinh")
    assert entered_masks({"nguon_nuoc_sinh_hoat": True, "nha_tieu_hop_ve_sinh": False, "viec_lam": None}) == (
        water,
        water | latrine,
    )
    with pytest.raises(ValueError, match="chỉ số thiếu hụt không xác định: 'nuoc'"):
        entered_masks({"nuoc": True})


def test_facts_to_frames_shape() -> None:
    facts = [
        household(adult(), adult(age=4), floor_area_m2=Decimal("30.50"), entered={"viec_lam": True}),
        household(members=(), area_type=AreaType.URBAN),
    ]
    households, members = facts_to_frames(facts, ids=[10, 20])
    assert households["household_id"].to_list() == [10, 20]
    assert households["floor_area_m2"].to_list() == [30.5, 20.0]
    assert households["entered_mask"].to_list() == [1 << ND07.bit("viec_lam"), 0]
    assert "member_count" not in households.columns  # it comes from the members frame
    assert members["household_id"].to_list() == [10, 10]
    assert members["age"].to_list() == [35, 4]
    with pytest.raises(ValueError, match="cùng số phần tử"):
        facts_to_frames(facts, ids=[1])


def test_unknown_or_missing_area_and_income_give_no_class() -> None:
    frame = pl.DataFrame(
        {
            "area_type": ["nong_thon", "vung_cao", None, "thanh_thi"],
            "income_per_capita": [1_000_000, 1_000_000, 1_000_000, None],
        }
    )
    result = classify_frame(ND07, frame)
    assert result["poverty_class"].to_list() == ["can_ngheo", None, None, None]
    # Missing entered masks mean nothing entered: every indicator is missing.
    assert result["missing_mask"].to_list() == [ND07.mask] * 4
    assert result.columns == [*frame.columns, *RESULT_COLUMNS]


def test_required_columns_are_named() -> None:
    with pytest.raises(ValueError, match="bảng hộ thiếu cột income_per_capita"):
        classify_frame(ND07, pl.DataFrame({"area_type": ["nong_thon"]}))
    with pytest.raises(ValueError, match="bảng thành viên thiếu cột household_id"):
        classify_frame(
            ND07,
            pl.DataFrame({"household_id": [1], "area_type": ["nong_thon"], "income_per_capita": [1]}),
            pl.DataFrame({"age": [3]}),
        )


def test_other_column_types_are_read_as_the_canonical_ones() -> None:
    """Int32 ids on one side and Int64 on the other, an integer floor area, Int64 ages, a categorical area."""
    child = adult(age=10, has_health_insurance=False, in_education=True, education_level="primary")
    facts = household(adult(), child, floor_area_m2=15.0)
    expected = classify_household(ND07, facts)
    households, members = facts_to_frames([facts])
    households = households.with_columns(
        pl.col("household_id").cast(pl.Int32),
        pl.col("area_type").cast(pl.Categorical),
        pl.lit(15, dtype=pl.Int64).alias("floor_area_m2"),
    )
    members = members.with_columns(pl.col("age").cast(pl.Int64))
    row = classify_frame(ND07, households, members).row(0, named=True)
    assert (row["deprivation_mask"], row["derivable_mask"]) == (
        expected.deprivation_mask,
        expected.derivable_mask,
    )
    assert expected.deprivation_mask == (1 << ND07.bit("bao_hiem_y_te")) | (1 << ND07.bit("dien_tich_nha_o"))


def test_member_count_column_is_used_when_there_is_no_members_frame() -> None:
    frame = pl.DataFrame(
        {
            "area_type": ["nong_thon"] * 3,
            "income_per_capita": [1_000_000] * 3,
            "floor_area_m2": [15.9, 16.0, 16.0],
            "member_count": [2, 2, None],
        }
    )
    result = classify_frame(ND07, frame)
    bit = 1 << ND07.bit("dien_tich_nha_o")
    assert [m & bit for m in result["deprivation_mask"]] == [bit, 0, 0]
    assert [m & bit for m in result["derivable_mask"]] == [bit, bit, 0]
