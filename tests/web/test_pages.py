"""The household list and household page, through HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import area_role_assign
from giamngheo.areas.models import AdminUnit, UnitLevel, Village
from giamngheo.engine.classify import classify_household
from giamngheo.engine.facts import AreaType, HouseholdFacts
from giamngheo.engine.standard import get_standard
from giamngheo.registry.models import Household, HouseholdEvent, Membership, Person
from giamngheo.reviews.models import Assessment, Review
from giamngheo.standards.models import PovertyStandard

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client: Client):
    user = get_user_model().objects.create_user("canbo", password="mat-khau-dai-2026", first_name="Cán bộ")
    area_role_assign(user=user, role=Role.ADMIN, area=None)
    client.force_login(user)
    return user


@pytest.fixture
def household() -> Household:
    province = AdminUnit.objects.create(code="64", name="Tỉnh Gia Lai", level=UnitLevel.PROVINCE)
    district = AdminUnit.objects.create(
        code="630", name="Huyện Kông Chro", level=UnitLevel.DISTRICT, parent=province
    )
    commune = AdminUnit.objects.create(code="23839", name="Xã SRó", level=UnitLevel.COMMUNE, parent=district)
    village = Village.objects.create(commune=commune, local_code="01", name="Làng Tơ Mơ")
    household = Household.objects.create(code="630-23839-0001", commune=commune, village=village)
    head = Person.objects.create(full_name="Đinh Văn Súy", sex="nam", citizen_id="064080001234")
    Membership.objects.create(
        household=household, person=head, relationship="head", start_date=date(2010, 1, 1)
    )
    household.head = head
    household.save()
    HouseholdEvent.objects.create(
        household=household, kind="updated", occurred_on=date(2023, 5, 1), recorded_at=timezone.now(),
        actor_name="Cán bộ xã", changes={"is_agri": [False, True]},
    )  # fmt: skip

    standard = get_standard("ND07-2021")
    row = PovertyStandard.objects.create(
        code=standard.id, name=standard.name_vi, instrument=standard.instrument, valid_from=standard.valid_from,
        valid_to=standard.valid_to, source_sha256=standard.source_sha256,
    )  # fmt: skip
    review = Review.objects.create(
        name="Rà soát cuối năm 2023", year=2023, area=commune, standard=row, lists_effective_year=2024,
        reference_date=date(2023, 12, 14),
    )  # fmt: skip
    entered = {
        code: code in {"bao_hiem_y_te", "nguon_nuoc_sinh_hoat", "dich_vu_vien_thong"}
        for code in standard.indicator_codes
    }
    result = classify_household(
        standard, HouseholdFacts(area_type=AreaType.RURAL, income_per_capita=1_350_000, entered=entered)
    )
    Assessment.objects.create(
        review=review, household=household, commune=commune, village=village, assessed_on=date(2023, 11, 20),
        area_type="nong_thon", income_per_capita=1_350_000, standard=row,
        poverty_class=result.poverty_class.value, deprivation_count=result.deprivation_count,
        deprivation_mask=result.deprivation_mask, explanation=result.explanation, classified_at=timezone.now(),
    )  # fmt: skip
    return household


def test_pages_require_login(client: Client, household: Household) -> None:
    for url in (reverse("web:household-list"), reverse("web:household-detail", args=[household.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_household_list_finds_by_name_without_diacritics(
    client: Client, officer, household: Household
) -> None:
    response = client.get(reverse("web:household-list"), {"q": "dinh van suy"})
    assert response.status_code == 200
    assert household.code in response.content.decode()
    assert "Hộ nghèo" in response.content.decode()

    response = client.get(reverse("web:household-list"), {"q": "Nguyễn Văn Không Có"})
    assert household.code not in response.content.decode()


def test_household_list_finds_by_citizen_id_and_filters_by_class(client: Client, officer, household) -> None:
    assert household.code in client.get(reverse("web:household-list"), {"q": "064080001234"}).content.decode()
    assert (
        household.code in client.get(reverse("web:household-list"), {"phan_loai": "ngheo"}).content.decode()
    )
    assert (
        household.code
        not in client.get(reverse("web:household-list"), {"phan_loai": "can_ngheo"}).content.decode()
    )


def test_household_page_shows_assessment_explanation_and_history(client: Client, officer, household) -> None:
    page = client.get(reverse("web:household-detail", args=[household.pk])).content.decode()
    assert "Đinh Văn Súy" in page
    assert "1.350.000đ ≤ chuẩn 1.500.000đ (nông thôn)" in page
    assert "thiếu hụt 3/12" in page
    assert "Rà soát cuối năm 2023" in page
    assert "is_agri" in page and "Cán bộ xã" in page


def test_missing_household_is_404(client: Client, officer) -> None:
    assert client.get(reverse("web:household-detail", args=[999_999])).status_code == 404
