"""Roll-ups of `programme.selectors`: the seed article's 2023 money, carry-over counting, and reconciliation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamngheo.programme import services
from giamngheo.programme.selectors import Dimension, Measure, Rate, funds_summary, rows_behind
from tests.programme.conftest import CENTRAL, INVESTMENT, LOCAL, OTHER, RECURRENT, allocate

pytestmark = pytest.mark.django_db
MILLION = 1_000_000


def test_kong_chro_2023_as_the_seed_article_reports_it(personas: Any) -> None:
    units = personas.units
    district = units["district"]
    allocate(district, 54_532 * MILLION, code="DA1.TDA1", capital_code=INVESTMENT)
    for code, amount in (("DA2", 9_000), ("DA3.TDA1", 6_000), ("DA3.TDA2", 1_269), ("DA4.TDA1", 5_000),
                         ("DA6.TDA1", 4_000), ("DA7.TDA2", 3_000)):  # fmt: skip
        allocate(district, amount * MILLION, code=code, capital_code=RECURRENT)
    allocate(units["far_commune"], 5 * MILLION, year=2025)  # another province: never counted here
    summary = funds_summary(district, 2023)
    assert summary.allocated.total == 82_801 * MILLION
    assert [(f.code, f.label, f.amount // MILLION) for f in summary.allocated.by_capital_type] == [
        ("dau_tu_phat_trien", "Vốn đầu tư phát triển", 54_532), ("thuong_xuyen", "Vốn sự nghiệp", 28_269)
    ]  # fmt: skip
    assert [(f.code, f.amount // MILLION) for f in summary.allocated.by_project] == [
        ("DA1", 54_532), ("DA2", 9_000), ("DA3", 7_269), ("DA4", 5_000), ("DA6", 4_000), ("DA7", 3_000)
    ]  # fmt: skip
    assert summary.allocated.by_project[2].label == "Hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng"
    assert summary.disbursement_rate == Rate(0, 82_801 * MILLION) and summary.disbursement_rate.percent == 0
    # The same money seen from above, in the historical hierarchy (legacy province 64) and in the current one
    # (new province 52, which took every commune of the district).
    for area in (units["old_province"], units["new_province"]):
        assert funds_summary(area, 2023).allocated.total == 82_801 * MILLION
    # New commune Kông Chro took only part of the district (SRó went to new SRó): the district's money is not its.
    assert funds_summary(units["new_commune"], 2023).allocated.total == 0
    assert funds_summary(units["other_district"], 2023).allocated.total == 0
    assert funds_summary(units["new_sro"], 2023).disbursement_rate.value is None  # nothing to divide by


def test_what_a_commune_enters_rolls_up_and_links_to_its_rows(personas: Any) -> None:
    units = personas.units
    town = allocate(units["town"], 300, actor=personas.owner, source_code=LOCAL)
    allocate(units["yang_trung"], 200, source_code=OTHER)
    services.disbursement_record(
        allocation=town, paid_on=date(2023, 4, 1), amount=120, activity="x", actor=None
    )
    for area in (units["district"], units["old_province"], units["new_province"]):
        summary = funds_summary(area, 2023)
        assert (summary.allocated.total, summary.disbursed.total) == (500, 120)
        assert summary.disbursement_rate.percent == 24
        assert [(f.pk, f.amount) for f in summary.allocated.by_area] == [(units["town"].pk, 300),
                                                                         (units["yang_trung"].pk, 200)]  # fmt: skip
    summary = funds_summary(units["district"], 2023)
    local = next(f for f in summary.allocated.by_source if f.code == LOCAL)
    assert list(rows_behind(units["district"], 2023, Measure.ALLOCATED, Dimension.SOURCE, local.pk)) == [town]
    assert [d.amount for d in rows_behind(units["district"], 2023, Measure.DISBURSED)] == [120]
    assert funds_summary(units["town"], 2023).allocated.total == 300


def test_carry_over_is_counted_once(personas: Any) -> None:
    district = personas.units["district"]
    origin = allocate(district, 1_000, year=2024)
    services.disbursement_record(
        allocation=origin, paid_on=date(2024, 6, 1), amount=400, activity="x", actor=None
    )
    carried = services.carry_over(
        allocation=origin, expected_version=1, decision_number="1", decision_date=date(2025, 1, 2), actor=None
    )
    allocate(district, 2_000, year=2025)
    services.disbursement_record(
        allocation=carried, paid_on=date(2025, 3, 1), amount=600, activity="x", actor=None
    )
    y2024, y2025 = funds_summary(district, 2024), funds_summary(district, 2025)
    assert (y2024.allocated.total, y2024.disbursed.total, y2024.carried_out.total) == (1_000, 400, 600)
    assert (y2025.allocated.total, y2025.carried_in.total, y2025.available) == (2_000, 600, 2_600)
    assert y2025.disbursement_rate == Rate(600, 2_600)
    assert y2024.allocated.total + y2025.allocated.total == 3_000  # the money allocated, each đồng once
    assert list(rows_behind(district, 2024, Measure.CARRIED_OUT)) == [carried]
    assert list(rows_behind(district, 2025, Measure.CARRIED_IN)) == [carried]


AREAS = ("district", "town", "yang_trung", "other_commune", "old_province")
ITEMS = ("DA1.TDA1", "DA2", "DA3.TDA1", "DA3.TDA2", "DA4", "DA7.TDA2")
entry = st.tuples(
    st.sampled_from(AREAS),
    st.sampled_from(ITEMS),
    st.sampled_from((INVESTMENT, RECURRENT)),
    st.sampled_from((CENTRAL, LOCAL, OTHER)),
    st.integers(min_value=1, max_value=10**12),
    st.integers(min_value=0, max_value=100),  # per cent disbursed
    st.booleans(),  # carried over
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entry, max_size=8))
def test_every_split_adds_up_to_the_total(personas: Any, entries: list[tuple[Any, ...]]) -> None:
    units = personas.units
    with transaction.atomic():
        expected = {"allocated": 0, "disbursed": 0}
        for area, code, capital_code, source_code, amount, percent, carry in entries:
            allocation = allocate(units[area], amount, year=2024, code=code, capital_code=capital_code,
                                  source_code=source_code)  # fmt: skip
            paid = amount * percent // 100
            if paid:
                services.disbursement_record(
                    allocation=allocation, paid_on=date(2024, 5, 1), amount=paid, activity="x", actor=None
                )
            if carry and paid < amount:
                services.carry_over(allocation=allocation, expected_version=1 if paid else 0,
                                    decision_number="1", decision_date=date(2025, 1, 2), actor=None)  # fmt: skip
            if area in {"district", "town", "yang_trung"}:  # the district and its communes
                expected["allocated"] += amount
                expected["disbursed"] += paid
        for area in (units["new_province"], units["district"]):
            for year in (2024, 2025):
                summary = funds_summary(area, year)
                for measure in Measure:
                    breakdown = summary.breakdown(measure)
                    for dimension in Dimension:
                        split = breakdown.split(dimension)
                        assert sum(f.amount for f in split) == breakdown.total
                        for figure in split:  # each line is the sum of the rows it links to
                            rows = rows_behind(area, year, measure, dimension, figure.pk)
                            assert sum(row.amount for row in rows) == figure.amount
                assert summary.disbursement_rate == Rate(summary.disbursed.total, summary.available)
        y2024 = funds_summary(units["district"], 2024)
        assert (y2024.allocated.total, y2024.disbursed.total) == (
            expected["allocated"],
            expected["disbursed"],
        )
        assert y2024.carried_out.total == funds_summary(units["district"], 2025).carried_in.total
        assert y2024.allocated.total - y2024.disbursed.total >= y2024.carried_out.total
        transaction.set_rollback(True)
