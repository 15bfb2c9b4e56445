"""Allocations, disbursements, corrections and carry-over through `programme.services`."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giamngheo.programme import services
from giamngheo.programme.models import Allocation, AllocationKind, Disbursement, ItemKind, Programme
from giamngheo.programme.selectors import allocation_state
from giamngheo.programme.services import StaleAllocationError
from tests.programme.conftest import CENTRAL, INVESTMENT, RECURRENT, allocate, capital, item, source

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_data_flagged_as_the_research_found_it() -> None:
    old = Programme.objects.get(code="GNBV-2021-2025")
    assert "90/QĐ-TTg" in old.legal_basis and (old.first_year, old.last_year) == (2021, 2025)
    projects = old.items.filter(kind=ItemKind.PROJECT).order_by("code")
    assert [p.code for p in projects] == ["DA1", "DA2", "DA3", "DA4", "DA5", "DA6", "DA7"]
    assert all(p.evidence == "verified" for p in projects)
    assert item("DA3.TDA2").evidence == "verified" and item("DA3.TDA2").parent == item("DA3")
    assert item("DA1.TDA2").evidence == "unverified" and item("DA7.TDA1").evidence == "unverified"
    merged = Programme.objects.get(code="MTQG-2026-2035")
    assert sorted(merged.items.values_list("code", "kind")) == [("HP1", "component"), ("HP2", "component")]
    recurrent = capital(RECURRENT)
    assert (recurrent.label_for(2025), recurrent.label_for(2026)) == (
        "Vốn sự nghiệp",
        "Kinh phí thường xuyên",
    )
    assert capital(INVESTMENT).label_for(2030) == "Vốn đầu tư phát triển"


def test_allocation_refusals_name_each_field(personas: Any) -> None:
    district = personas.units["district"]
    with pytest.raises(ValidationError) as refused:
        services.allocation_record(
            year=2027, area=district, item=item("DA2"), capital_type=capital(RECURRENT), source=source(CENTRAL),
            amount=0, decision_number=" ", decision_date=date(2027, 1, 1), actor=None,
        )  # fmt: skip
    errors = refused.value.message_dict
    assert errors["amount"] == ["Số tiền phải lớn hơn 0 đồng."]
    assert errors["decision_number"] == ["Nhập số quyết định giao vốn."]
    assert "ngoài thời gian của chương trình GNBV-2021-2025" in errors["year"][0]
    assert "Huyện Kông Chro (mã cũ 630" in errors["area"][0]  # the district ended on 30/06/2025
    assert errors["decision_date"] == ["Ngày quyết định 01/01/2027 chưa đến."]
    with pytest.raises(ValidationError) as component:
        services.allocation_record(
            year=2026, area=personas.units["new_commune"], item=item("HP1", "MTQG-2026-2035"),
            capital_type=capital(RECURRENT), source=source(CENTRAL), amount=5, decision_number="1",
            decision_date=date(2026, 2, 1), actor=None,
        )  # fmt: skip
    assert "là hợp phần" in component.value.message_dict["item"][0]
    with pytest.raises(ValidationError):
        allocate(district, 1.5)  # type: ignore[arg-type]  # money is whole đồng, never a float
    assert not Allocation.objects.exists()


def test_roles_and_areas_of_the_writers(personas: Any) -> None:
    town = personas.units["town"]
    assert allocate(town, 1_000, actor=personas.owner).recorded_by_name == "xa.kongchro"
    for name in ("peer", "outsider", "viewer", "unbound"):
        with pytest.raises(PermissionDenied):
            allocate(town, 1_000, actor=personas.users()[name])
    allocate(personas.units["district"], 1_000, actor=personas.province)
    with pytest.raises(PermissionDenied):  # a commune officer does not allocate the province's money
        allocate(personas.units["new_province"], 1_000, year=2025, actor=personas.owner)


def test_disbursing_beyond_what_remains_is_refused_naming_the_allocation(personas: Any) -> None:
    allocation = allocate(personas.units["district"], 10_000_000)
    services.disbursement_record(
        allocation=allocation,
        paid_on=date(2023, 5, 2),
        amount=7_000_000,
        activity="Mô hình nuôi bò",
        actor=None,
    )
    with pytest.raises(ValidationError) as refused:
        services.disbursement_record(
            allocation=allocation, paid_on=date(2023, 6, 2), amount=3_000_001, activity="Mô hình", actor=None
        )
    assert refused.value.message_dict["amount"] == [
        f"Khoản vốn #{allocation.pk} (năm 2023, DA2, Huyện Kông Chro (mã cũ 630, đến 30/06/2025)) chỉ còn "
        "3.000.000đ, không giải ngân được 3.000.001đ."
    ]
    state = allocation_state(allocation)
    assert (state.amount, state.disbursed, state.remaining, state.version) == (
        10_000_000,
        7_000_000,
        3_000_000,
        1,
    )


def test_corrections_are_new_attributed_entries_and_a_stale_copy_is_refused(personas: Any) -> None:
    allocation = allocate(personas.units["town"], 10_000_000, actor=personas.owner)
    paid = services.disbursement_record(
        allocation=allocation,
        paid_on=date(2023, 5, 2),
        amount=4_000_000,
        activity="Tập huấn",
        actor=personas.owner,
    )
    seen = allocation_state(allocation).version  # 1
    adjustment = services.allocation_adjust(
        allocation=allocation, change=-2_000_000, expected_version=seen, reason="Điều chỉnh theo QĐ 55",
        decision_number="55/QĐ-UBND", decision_date=date(2023, 8, 1), actor=personas.province,
    )  # fmt: skip
    assert (adjustment.kind, adjustment.amount, adjustment.adjusts_id) == (
        "adjustment",
        -2_000_000,
        allocation.pk,
    )
    assert adjustment.recorded_by == personas.province and adjustment.recorded_at is not None
    # The other officer still holds version 1: refused, nothing written.
    with pytest.raises(StaleAllocationError) as stale:
        services.allocation_adjust(
            allocation=allocation, change=-1, expected_version=seen, reason="x", actor=personas.owner
        )
    assert (stale.value.expected_version, stale.value.current_version) == (1, 2)
    assert "đã có bút toán mới" in stale.value.messages[0] and "còn lại 4.000.000đ" in stale.value.messages[0]
    with pytest.raises(ValidationError) as below:
        services.allocation_adjust(
            allocation=allocation, change=-4_000_001, expected_version=2, reason="x", actor=personas.owner
        )
    assert "ít hơn số đã giải ngân 4.000.000đ" in below.value.message_dict["change"][0]

    reversal = services.disbursement_reverse(
        disbursement=paid, reversed_on=date(2023, 9, 1), reason="Ghi nhầm số tiền", expected_version=2,
        actor=personas.owner,
    )  # fmt: skip
    assert (reversal.amount, reversal.reverses_id) == (-4_000_000, paid.pk)
    with pytest.raises(ValidationError) as twice:
        services.disbursement_reverse(
            disbursement=paid, reversed_on=date(2023, 9, 1), reason="x", expected_version=3, actor=None
        )
    assert twice.value.message_dict["disbursement"] == [f"Khoản giải ngân #{paid.pk} đã được huỷ."]
    state = allocation_state(allocation)
    assert (state.amount, state.disbursed, state.remaining, state.version) == (8_000_000, 0, 8_000_000, 3)
    # The amounts themselves are never rewritten.
    assert Allocation.objects.get(pk=allocation.pk).amount == 10_000_000
    with pytest.raises(ValueError, match="append-only"):
        allocation.save()
    with pytest.raises(ValueError, match="append-only"):
        Disbursement.objects.filter(pk=paid.pk).update(amount=1)
    with pytest.raises(ValueError, match="append-only"):
        Allocation.objects.all().delete()


def test_carry_over_moves_the_remainder_and_closes_the_origin(personas: Any) -> None:
    origin = allocate(personas.units["district"], 10_000_000, year=2024, capital_code=INVESTMENT)
    services.disbursement_record(
        allocation=origin, paid_on=date(2024, 5, 2), amount=6_000_000, activity="Đường nội thôn", actor=None
    )
    with pytest.raises(StaleAllocationError):
        services.carry_over(
            allocation=origin, expected_version=0, decision_number="9/QĐ", decision_date=date(2025, 1, 5),
            actor=None,
        )  # fmt: skip
    carried = services.carry_over(
        allocation=origin, expected_version=1, decision_number="9/QĐ", decision_date=date(2025, 1, 5),
        actor=personas.province,
    )  # fmt: skip
    assert (carried.kind, carried.year, carried.amount, carried.carried_from_id) == (
        AllocationKind.CARRIED_IN, 2025, 4_000_000, origin.pk
    )  # fmt: skip
    assert (carried.area, carried.item, carried.capital_type) == (
        origin.area,
        origin.item,
        origin.capital_type,
    )
    assert allocation_state(origin).remaining == 0 and allocation_state(origin).closed
    with pytest.raises(ValidationError) as closed:
        services.disbursement_record(
            allocation=origin, paid_on=date(2024, 12, 30), amount=1, activity="x", actor=None
        )
    assert "đã chuyển số dư 4.000.000đ sang năm 2025" in closed.value.message_dict["allocation"][0]
    with pytest.raises(ValidationError) as adjust_carried:
        services.allocation_adjust(allocation=carried, change=5, expected_version=0, reason="x", actor=None)
    assert (
        "Khoản chuyển từ năm trước không điều chỉnh được"
        in adjust_carried.value.message_dict["allocation"][0]
    )
    # The carried money is spent in 2025 and may be carried again.
    services.disbursement_record(
        allocation=carried, paid_on=date(2025, 3, 1), amount=4_000_000, activity="Đường nội thôn", actor=None
    )
    with pytest.raises(ValidationError) as nothing_left:
        services.carry_over(
            allocation=carried,
            expected_version=1,
            decision_number="1",
            decision_date=date(2026, 1, 5),
            actor=None,
        )
    assert "đã giải ngân hết" in nothing_left.value.message_dict["allocation"][0]
