"""Two officers edit the same household: the second save is refused with a message that says who changed what
(old → new); the second officer's input stays on the form and nothing is overwritten."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import area_role_assign
from giamngheo.registry.models import EventKind, HouseholdEvent, LivingConditions
from giamngheo.reviews.models import Assessment
from tests.registry.factories import make_user
from tests.web.test_edit_forms import Scenario, form_data, scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(personas: Any) -> tuple[Client, Client, Scenario]:
    """Two commune officers of Kông Chro, each signed in in their own browser."""
    second = make_user("xa.kongchro.2", full_name="Trần Thị Bình")
    area_role_assign(user=second, role=Role.COMMUNE, area=personas.units["new_commune"])
    first_client, second_client = Client(), Client()
    first_client.force_login(personas.owner)
    second_client.force_login(second)
    return first_client, second_client, scenario(personas)


def _open(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["form"]


def test_second_member_edit_is_refused_with_what_changed(officers: tuple[Client, Client, Scenario]) -> None:
    first, second, world = officers
    url = reverse("web:member-edit", args=[world.household.pk, world.wife.pk])
    form_a, form_b = _open(first, url), _open(second, url)  # both open the same member

    assert first.post(url, form_data(form_a, has_health_insurance="False")).status_code == 302
    response = second.post(url, form_data(form_b, full_name="Đinh Thị Lan Anh"))

    assert response.status_code == 422
    message = " ".join(response.context["form"].non_field_errors())
    assert "xa.kongchro" in message and "sau khi bạn mở biểu mẫu này" in message
    assert "Sửa thông tin thành viên «Đinh Thị Lan»" in message
    assert "có bảo hiểm y tế: «có» → «không»" in message
    assert 'value="Đinh Thị Lan Anh"' in response.content.decode()  # the second officer's input is kept
    world.wife.refresh_from_db()
    assert world.wife.full_name == "Đinh Thị Lan" and world.wife.has_health_insurance is False
    assert HouseholdEvent.objects.filter(kind=EventKind.MEMBER_UPDATED).count() == 1

    # Submitting the same stale form again is refused again; a freshly opened form saves.
    assert second.post(url, form_data(form_b, full_name="Đinh Thị Lan Anh")).status_code == 422
    fresh = _open(second, url)
    assert second.post(url, form_data(fresh, full_name="Đinh Thị Lan Anh")).status_code == 302
    world.wife.refresh_from_db()
    assert world.wife.full_name == "Đinh Thị Lan Anh" and world.wife.has_health_insurance is False


def test_edits_of_different_members_do_not_block_each_other(
    officers: tuple[Client, Client, Scenario],
) -> None:
    first, second, world = officers
    wife_url = reverse("web:member-edit", args=[world.household.pk, world.wife.pk])
    head_url = reverse("web:member-edit", args=[world.household.pk, world.head.pk])
    form_a, form_b = _open(first, wife_url), _open(second, head_url)
    assert first.post(wife_url, form_data(form_a, disabled=True)).status_code == 302
    assert second.post(head_url, form_data(form_b, has_labour_contract=True)).status_code == 302


def test_second_household_edit_is_refused_by_the_version(officers: tuple[Client, Client, Scenario]) -> None:
    first, second, world = officers
    url = reverse("web:household-edit", args=[world.household.pk])
    form_a, form_b = _open(first, url), _open(second, url)
    assert first.post(url, form_data(form_a, address="Nhà số 5")).status_code == 302
    response = second.post(url, form_data(form_b, address="Nhà số 7", is_agri=True))
    assert response.status_code == 422
    message = " ".join(response.context["form"].non_field_errors())
    assert "sau khi bạn mở biểu mẫu này" in message and "xa.kongchro" in message and "«Nhà số 5»" in message
    assert 'value="Nhà số 7"' in response.content.decode()
    world.household.refresh_from_db()
    assert world.household.address == "Nhà số 5" and not world.household.is_agri


def test_second_living_conditions_record_is_refused(officers: tuple[Client, Client, Scenario]) -> None:
    first, second, world = officers
    url = reverse("web:living-conditions", args=[world.household.pk])
    form_a, form_b = _open(first, url), _open(second, url)
    assert first.post(url, form_data(form_a, water_source="piped")).status_code == 302
    response = second.post(url, form_data(form_b, latrine_type="septic"))
    assert response.status_code == 422
    assert "Ghi nhận điều kiện sống" in " ".join(response.context["form"].non_field_errors())
    latest = LivingConditions.objects.filter(household=world.household).latest("recorded_on")
    assert latest.water_source == "piped" and latest.latrine_type == "pit"


def test_second_assessment_is_refused(officers: tuple[Client, Client, Scenario]) -> None:
    first, second, world = officers
    url = reverse("web:assessment-add", args=[world.household.pk])
    form_a, form_b = _open(first, url), _open(second, url)
    confirmed = {"xac_nhan": "1"}
    assert (
        first.post(
            url, {**form_data(form_a, review=str(world.review.pk), income_per_capita="900000"), **confirmed}
        ).status_code
        == 302
    )
    response = second.post(
        url, {**form_data(form_b, review=str(world.review.pk), income_per_capita="2000000"), **confirmed}
    )
    assert response.status_code == 422
    message = " ".join(response.context["form"].non_field_errors())
    assert "Rà soát, phân loại" in message and "1000000" in message and "900000" in message
    assert Assessment.objects.get(review=world.review, household=world.household).income_per_capita == 900_000


def test_rerecord_from_a_stale_page_is_refused(officers: tuple[Client, Client, Scenario]) -> None:
    first, second, world = officers
    rerecord = reverse("web:assessment-rerecord", args=[world.household.pk])
    stamp = second.get(rerecord).context["stamp"]  # the second officer looks at what would be recorded
    url = reverse("web:member-edit", args=[world.household.pk, world.wife.pk])
    first.post(url, form_data(_open(first, url), has_health_insurance="False"))

    response = second.post(rerecord, {**stamp, "xac_nhan": "1"}, follow=True)
    assert "sau khi bạn mở biểu mẫu này" in response.content.decode()
    world.assessment.refresh_from_db()
    assert world.assessment.poverty_class == "can_ngheo"
