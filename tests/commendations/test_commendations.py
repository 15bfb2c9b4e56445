"""Commendations (giamngheo.commendations): recorded, corrected and withdrawn append-only; counts by recipient type
and movement rolled up from the communes; the area rules with personas, through the services, the API and the
page; a property test of the counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamngheo.commendations.models import Commendation, Movement, RecipientType
from giamngheo.commendations.selectors import commendations_summary
from giamngheo.commendations.services import (
    CommendationInput,
    StaleCommendationError,
    commendation_correct,
    commendation_record,
    commendation_withdraw,
)
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db
MOVEMENT = "vi-nguoi-ngheo-2021-2025"


def given_input(
    area: Any, recipient_type: str = RecipientType.COLLECTIVE, **changes: Any
) -> CommendationInput:
    values: dict[str, Any] = {
        "area": area, "year": 2023, "decision_number": "125/QĐ-UBND", "decision_date": date(2024, 1, 24),
        "authority": "UBND huyện Kông Chro", "recipient_type": recipient_type, "recipient_name": "Hội Nông dân xã",
        "achievement": "Thành tích xuất sắc trong phong trào", "movement": Movement.objects.get(code=MOVEMENT),
        "award": "Giấy khen",
    }  # fmt: skip
    values.update(changes)
    return CommendationInput(**values)


def test_the_seeded_movement() -> None:
    movement = Movement.objects.get(code=MOVEMENT)
    assert (movement.name, movement.start_year, movement.end_year) == (
        "Vì người nghèo – Không để ai bị bỏ lại phía sau", 2021, 2025
    )  # fmt: skip


def test_record_correct_withdraw_append_only(personas: Any) -> None:
    commune = personas.units["new_commune"]
    household = personas.kongchro_household
    first = commendation_record(
        data=given_input(commune, RecipientType.HOUSEHOLD, recipient_name="Hộ ông Đinh Văn Súy", household=household),
        actor=personas.owner,
    )  # fmt: skip
    assert (first.recorded_by, first.household) == (personas.owner, household)
    with pytest.raises(ValidationError) as refused:
        commendation_correct(commendation=first, data=given_input(commune, recipient_name="X"), reason=" ",
                             actor=personas.owner)  # fmt: skip
    assert "reason" in refused.value.message_dict
    corrected = commendation_correct(
        commendation=first, data=given_input(commune, RecipientType.HOUSEHOLD, recipient_name="Hộ Đinh Văn Súy"),
        reason="Sửa tên hộ", actor=personas.province,
    )  # fmt: skip
    with pytest.raises(StaleCommendationError):  # the first was replaced meanwhile
        commendation_withdraw(commendation=first, reason="Nhầm", actor=personas.owner)
    summary = commendations_summary(commune, 2023)
    assert [row.recipient_name for row in summary.rows] == ["Hộ Đinh Văn Súy"]
    withdrawn = commendation_withdraw(
        commendation=corrected, reason="Quyết định bị thu hồi", actor=personas.owner
    )
    assert withdrawn.withdrawn and withdrawn.corrects == corrected
    assert commendations_summary(commune, 2023).total == 0
    assert Commendation.objects.count() == 3  # nothing rewritten
    with pytest.raises(ValueError, match="append-only"):
        first.delete()
    with pytest.raises(ValidationError) as refused:
        commendation_record(data=given_input(commune, RecipientType.COLLECTIVE, household=household,
                                             decision_date=date(2030, 1, 1)), actor=personas.owner)  # fmt: skip
    assert {"household", "decision_date"} <= set(refused.value.message_dict)


def test_areas_roll_up_and_who_may_write(personas: Any) -> None:
    commune, sro, province = (
        personas.units["new_commune"],
        personas.units["new_sro"],
        personas.units["new_province"],
    )
    commendation_record(data=given_input(commune), actor=personas.owner)
    commendation_record(data=given_input(commune, RecipientType.INDIVIDUAL, recipient_name="Đinh Văn A"),
                        actor=personas.owner)  # fmt: skip
    commendation_record(data=given_input(sro, RecipientType.HOUSEHOLD, recipient_name="Hộ Rơ Mah"),
                        actor=personas.peer)  # fmt: skip
    commendation_record(data=given_input(province, movement=None), actor=personas.province)
    for account, area in ((personas.peer, commune), (personas.viewer, commune), (personas.owner, province),
                          (personas.outsider, sro), (personas.unbound, commune)):  # fmt: skip
        with pytest.raises(PermissionDenied):
            commendation_record(data=given_input(area), actor=account)
    whole = commendations_summary(province, 2023)
    assert (whole.total, whole.count("collective"), whole.count("individual"), whole.count("household")) == (
        4, 2, 1, 1
    )  # fmt: skip
    assert [(item.key, item.count) for item in whole.by_movement] == [(MOVEMENT, 3), ("", 1)]
    assert commendations_summary(commune, 2023).total == 2
    assert commendations_summary(commune, 2024).total == 0


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["commune", "sro", "province"]), st.sampled_from(RecipientType.values)),
        max_size=12,
    )
)
def test_counts_add_up(personas: Any, rows: list[tuple[str, str]]) -> None:
    """By recipient type the counts sum to the total; a province's counts are its communes' plus its own."""
    Commendation.objects.all()._raw_delete(Commendation.objects.db)  # a fresh start for each example
    units = {"commune": personas.units["new_commune"], "sro": personas.units["new_sro"],
             "province": personas.units["new_province"]}  # fmt: skip
    for where, kind in rows:
        commendation_record(data=given_input(units[where], kind), actor=None)
    summaries = {name: commendations_summary(unit, 2023) for name, unit in units.items()}
    for summary in summaries.values():
        assert sum(item.count for item in summary.by_recipient_type) == summary.total
        assert sum(item.count for item in summary.by_movement) == summary.total
        assert all(len(item.rows) == item.count for item in summary.by_recipient_type)
    own = sum(1 for where, _kind in rows if where == "province")
    for kind in RecipientType.values:
        own_kind = sum(1 for where, k in rows if where == "province" and k == kind)
        assert summaries["province"].count(kind) == (
            summaries["commune"].count(kind) + summaries["sro"].count(kind) + own_kind
        )
    assert summaries["province"].total == summaries["commune"].total + summaries["sro"].total + own


def test_commendations_through_the_api(personas: Any) -> None:
    api = Api(personas)
    commune = personas.units["new_commune"]
    body = {"area_id": commune.pk, "year": 2023, "movement_code": MOVEMENT, "decision_number": "125/QĐ-UBND",
            "decision_date": "2024-01-24", "authority": "UBND huyện Kông Chro", "recipient_type": "household",
            "recipient_name": "Hộ ông Súy", "household_id": personas.kongchro_household.pk,
            "achievement": "Vươn lên thoát nghèo"}  # fmt: skip
    assert api.post("peer", "/api/commendations", body).status_code == 404
    assert api.post("viewer", "/api/commendations", body).status_code == 403
    created = api.post("owner", "/api/commendations", body)
    assert created.status_code == 201, created.json()
    listed = api.get(
        "province", "/api/commendations", area_id=personas.units["new_province"].pk, year=2023
    ).json()
    assert listed["total"] == 1 and listed["by_recipient_type"][2] == {
        "key": "household", "label": "Hộ gia đình", "count": 1, "ids": [created.json()["id"]]
    }  # fmt: skip
    assert api.get("peer", "/api/commendations", area_id=commune.pk, year=2023).status_code == 404
    url = f"/api/commendations/{created.json()['id']}"
    assert api.post("peer", f"{url}/withdraw", {"reason": "x"}).status_code == 404
    corrected = api.post(
        "owner", f"{url}/correct", {**body, "recipient_name": "Hộ Đinh Văn Súy", "reason": "Tên"}
    )
    assert corrected.status_code == 201
    stale = api.post("owner", f"{url}/withdraw", {"reason": "Nhầm"})
    assert stale.status_code == 409 and stale.json()["replaced_by_id"] == corrected.json()["id"]
    assert (
        api.post(
            "owner", f"/api/commendations/{corrected.json()['id']}/withdraw", {"reason": "Nhầm"}
        ).status_code
        == 201
    )
    assert api.get("owner", "/api/commendations", area_id=commune.pk, year=2023).json()["total"] == 0


def test_the_commendations_page(client: Client, personas: Any) -> None:
    commune = personas.units["new_commune"]
    url = f"{reverse('web:commendations')}?area={commune.pk}&nam=2023"
    client.force_login(personas.owner)
    form = {"movement": Movement.objects.get(code=MOVEMENT).pk, "decision_number": "125/QĐ-UBND",
            "decision_date": "24/01/2024", "authority": "UBND huyện Kông Chro", "award": "Giấy khen",
            "recipient_type": "household", "recipient_name": "Hộ ông Súy", "household_code": "H-SRO",
            "achievement": "Vươn lên thoát nghèo"}  # fmt: skip
    refused = client.post(url, form)  # another commune's household is not found in this area
    assert refused.status_code == 200 and "Không tìm thấy hộ có mã này" in refused.content.decode()
    assert client.post(url, {**form, "household_code": "H-KONGCHRO"}).status_code == 302
    row = Commendation.objects.get()
    assert (row.household, row.recorded_by, row.area) == (
        personas.kongchro_household,
        personas.owner,
        commune,
    )
    page = client.get(url).content.decode()
    assert "Hộ ông Súy" in page and reverse("web:commendation-withdraw", args=[row.pk]) in page

    client.force_login(personas.peer)
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("web:commendation-withdraw", args=[row.pk]), {"reason": "x"}).status_code == 404
    )
    client.force_login(personas.viewer)
    assert "Hộ ông Súy" in client.get(url).content.decode()
    assert (
        client.post(reverse("web:commendation-withdraw", args=[row.pk]), {"reason": "x"}).status_code == 403
    )
    client.force_login(personas.province)
    province_page = client.get(
        f"{reverse('web:commendations')}?area={personas.units['new_province'].pk}&nam=2023"
    )
    assert "Hộ ông Súy" in province_page.content.decode()  # rolled up from the commune
    client.force_login(personas.owner)
    client.post(reverse("web:commendation-withdraw", args=[row.pk]), {"reason": "Nhầm", "area": commune.pk})
    assert commendations_summary(commune, 2023).total == 0
