from datetime import date

import pytest

from giamngheo.engine.standard import load_standards, standard_for_lists_year, standard_in_force


def test_three_standards_load_with_their_indicator_sets():
    standards = load_standards()
    assert set(standards) == {"QD59-2015", "ND07-2021", "ND351-2025"}
    assert len(standards["QD59-2015"].indicators) == 10
    assert len(standards["ND07-2021"].indicators) == 12
    assert "tai_san_tiep_can_thong_tin" not in standards["ND351-2025"].indicator_codes
    assert "thu_gom_xu_ly_rac" in standards["ND351-2025"].indicator_codes


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2017, "QD59-2015"), (2021, "QD59-2015"), (2022, "ND07-2021"), (2024, "ND07-2021"), (2026, "ND07-2021"),
     (2027, "ND351-2025"), (2030, "ND351-2025")],
)  # fmt: skip
def test_standard_for_the_year_the_lists_take_effect(year, expected):
    assert standard_for_lists_year(year).id == expected


def test_end_2022_review_lists_take_effect_in_2023_under_nd07():
    assert standard_in_force(date(2023, 1, 1)).id == "ND07-2021"
