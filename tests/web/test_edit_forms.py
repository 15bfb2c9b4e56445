"""The edit forms through HTTP: each form's happy path and bad input (a Vietnamese message naming the field,
nothing saved), and the live preview (the class with the form's changes, nothing saved).

`scenario` and `form_data` are shared with the other `test_edit_*` modules and `test_household_page`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django import forms
from django.forms import Form
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.registry.facts import household_facts
from giamngheo.registry.models import (
    EventKind,
    Household,
    HouseholdEvent,
    LivingConditions,
    Membership,
    Person,
)
from giamngheo.reviews.models import Assessment, Review
from giamngheo.reviews.selectors import household_with
from giamngheo.reviews.services import assessment_record, regular_round
from giamngheo.web.edit.classification import current_basis, facts_with
from tests.conftest import TODAY
from tests.registry.factories import GOOD_CONDITIONS, make_household, make_person

pytestmark = pytest.mark.django_db

# Good housing, but unsafe water and a pit latrine: two deprivations under every standard in the data files.
TWO_DEPRIVATIONS = {**GOOD_CONDITIONS, "water_source": "surface", "latrine_type": "pit"}
INSURED_ADULT = {
    "has_health_insurance": True,
    "work_status": "self_employed",
    "able_to_work": True,
    "in_education": False,
    "education_level": "upper_secondary",
    "disabled": False,
    "receives_social_allowance": False,
}


@dataclass
class Scenario:
    household: Household
    head: Person
    wife: Person
    review: Review
    assessment: Assessment


def scenario(personas: Any, *, code: str = "H-TEST-01", head_name: str = "Đinh Văn Hùng") -> Scenario:
    """A two-adult household in the owner's commune, income 1.000.000đ/person/month and two deprivations: near
    poor, one deprivation short of poor (removing a member's health insurance makes it poor)."""
    household = make_household(
        commune=personas.units["town"],
        village=personas.kongchro_village,
        code=code,
        members=[
            {"full_name": head_name, "birth_date": date(1980, 3, 1), **INSURED_ADULT},
            {
                "full_name": "Đinh Thị Lan",
                "sex": "nu",
                "relationship": "spouse",
                "birth_date": date(1982, 5, 1),
                **INSURED_ADULT,
            },
        ],
        living_conditions={"recorded_on": date(2020, 1, 1), **TWO_DEPRIVATIONS},
    )
    # The regular round of November 2026 (open on the tests' calendar; standard NĐ 07/2021 for the 2026 lists).
    review = regular_round(commune=personas.units["new_commune"], on=date(2026, 11, 16), may_open=True)
    assert review is not None
    assessment = assessment_record(
        review=review,
        household=household,
        assessed_on=date(2026, 11, 16),
        income_per_capita=1_000_000,
        actor=personas.owner,
    )
    assert assessment.poverty_class == "can_ngheo", assessment.explanation
    household.refresh_from_db()
    head, wife = (m.person for m in household.memberships.order_by("start_date", "id"))
    return Scenario(household=household, head=head, wife=wife, review=review, assessment=assessment)


def form_data(form: Form, **changes: Any) -> dict[str, Any]:
    """What a browser sends for `form` as rendered (its initial values), with `changes` applied."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = changes[name] if name in changes else form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        elif isinstance(value, date):
            data[name] = value.isoformat()
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    return data


def open_form(client: Client, url: str, **changes: Any) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return form_data(response.context["form"], **changes)


def page_text(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def world(personas: Any, client: Client) -> Scenario:
    client.force_login(personas.owner)
    return scenario(personas)


def events_of(household: Household) -> int:
    return HouseholdEvent.objects.filter(household=household).count()


# Households -------------------------------------------------------------------------------------------------


def _create_data(personas: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "code": "H-MOI-01",
        "commune": str(personas.units["new_commune"].pk),
        "village": "",
        "area_type": "nong_thon",
        "address": "Thôn 3",
        "registered_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "is_agri": "on",
        "head_full_name": "Rơ Châm Thị Hoa",
        "head_sex": "nu",
        "head_birth_date": "1990-04-02",
        "head_citizen_id": "064190001111",
        "head_ethnicity": "",
    }
    data.update(changes)
    return data


def test_create_household_with_its_head(client: Client, personas: Any) -> None:
    client.force_login(personas.owner)
    page = client.get(reverse("web:household-create"))
    assert page.status_code == 200
    communes = list(page.context["form"].fields["commune"].queryset)
    assert communes == [personas.units["new_commune"]]  # only the owner's commune valid today

    response = client.post(reverse("web:household-create"), _create_data(personas))
    household = Household.objects.get(code="H-MOI-01")
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:household-detail", args=[household.pk]
    )
    assert household.commune == personas.units["new_commune"] and household.is_agri
    assert household.head is not None and household.head.full_name == "Rơ Châm Thị Hoa"
    kinds = list(HouseholdEvent.objects.filter(household=household).values_list("kind", "actor"))
    assert kinds == [(EventKind.CREATED, personas.owner.pk), (EventKind.MEMBER_ADDED, personas.owner.pk)]
    assert client.get(response["Location"]).status_code == 200


def test_create_household_refuses_bad_input_and_saves_nothing(client: Client, personas: Any) -> None:
    client.force_login(personas.owner)
    url = reverse("web:household-create")

    response = client.post(url, _create_data(personas, code="", head_full_name=""))
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors["code"] == ["Mã hộ: không được để trống."]
    assert form.errors["head_full_name"] == ["Họ và tên chủ hộ: không được để trống."]

    # The household itself is valid, its head is not: the service's message is shown next to the head's ID,
    # and the household registered in the same transaction is rolled back.
    response = client.post(url, _create_data(personas, head_citizen_id="12345"))
    assert response.status_code == 422
    assert response.context["form"].errors["head_citizen_id"] == [
        "Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số (đã nhập «12345»)."
    ]
    assert "12 chữ số" in page_text(response) and 'value="Rơ Châm Thị Hoa"' in page_text(response)
    assert not Household.objects.filter(code="H-MOI-01").exists()

    response = client.post(url, _create_data(personas, commune=str(personas.units["new_sro"].pk)))
    assert response.context["form"].errors["commune"] == ["Xã: lựa chọn không hợp lệ."]

    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(url, _create_data(personas, registered_on=future))
    assert response.status_code == 422
    assert any("ở tương lai" in message for message in response.context["form"].errors["registered_on"])
    assert not Household.objects.filter(code="H-MOI-01").exists()


def test_village_options_follow_the_commune(client: Client, personas: Any) -> None:
    client.force_login(personas.owner)
    village = personas.kongchro_village  # a legacy village that belongs to new Kông Chro since the reform
    url = reverse("web:household-villages")
    assert village.name in page_text(client.get(url, {"commune": personas.units["new_commune"].pk}))
    # Another commune's villages are not listed, even when asked for by id.
    assert village.name not in page_text(client.get(url, {"commune": personas.units["new_sro"].pk}))


def test_edit_household(client: Client, world: Scenario) -> None:
    url = reverse("web:household-edit", args=[world.household.pk])
    data = open_form(client, url, address="Làng Tơ Mơ, nhà 12", is_agri=True)
    response = client.post(url, data)
    assert response.status_code == 302
    world.household.refresh_from_db()
    assert world.household.address == "Làng Tơ Mơ, nhà 12" and world.household.is_agri
    event = HouseholdEvent.objects.filter(household=world.household, kind=EventKind.UPDATED).get()
    assert event.changes == {"address": ["", "Làng Tơ Mơ, nhà 12"], "is_agri": [False, True]}
    assert event.actor_name == "xa.kongchro"


def test_edit_household_bad_input(client: Client, personas: Any, world: Scenario) -> None:
    url = reverse("web:household-edit", args=[world.household.pk])
    before = events_of(world.household)
    response = client.post(url, open_form(client, url, code=""))
    assert response.status_code == 422
    assert response.context["form"].errors["code"] == ["Mã hộ: không được để trống."]

    response = client.post(url, open_form(client, url, code="H-SRO"))  # another household's code
    assert response.status_code == 422
    assert response.context["form"].errors["code"] == ["Mã hộ «H-SRO» đã có trong sổ hộ."]
    assert events_of(world.household) == before


def test_edit_household_preview_applies_the_area_type_without_saving(client: Client, world: Scenario) -> None:
    url = reverse("web:household-edit", args=[world.household.pk])
    data = open_form(client, url, area_type="thanh_thi")
    response = client.post(reverse("web:household-edit-preview", args=[world.household.pk]), data)
    assert response.status_code == 200
    text = page_text(response)
    assert "Sau khi lưu thay đổi" in text and "(thành thị)" in text and "Hộ nghèo" not in text
    world.household.refresh_from_db()
    assert world.household.area_type == "nong_thon"


# Members ----------------------------------------------------------------------------------------------------


def test_add_member(client: Client, world: Scenario) -> None:
    url = reverse("web:member-add", args=[world.household.pk])
    data = open_form(
        client, url, full_name="Đinh Văn Tèo", sex="nam", relationship="child", birth_date="2015-09-01",
        in_education="True", has_health_insurance="True",
    )  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    membership = Membership.objects.get(household=world.household, person__full_name="Đinh Văn Tèo")
    assert membership.relationship == "child" and membership.person.in_education is True
    event = HouseholdEvent.objects.get(
        household=world.household, kind=EventKind.MEMBER_ADDED, person=membership.person
    )
    assert event.actor_name == "xa.kongchro"


def test_add_member_bad_input(client: Client, world: Scenario) -> None:
    url = reverse("web:member-add", args=[world.household.pk])
    members = Membership.objects.count()
    response = client.post(url, open_form(client, url, full_name="", birth_date="31/02/2020"))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["full_name"] == ["Họ và tên: không được để trống."]
    assert errors["birth_date"] == [
        "Ngày sinh: «31/02/2020» không phải là ngày sinh (ghi ngày/tháng/năm, tháng/năm hoặc năm)."
    ]

    future = timezone.localdate() + timedelta(days=5)
    response = client.post(
        url, open_form(client, url, full_name="Đinh Văn Tèo", birth_date=future.isoformat())
    )
    assert response.status_code == 422
    assert response.context["form"].errors["birth_date"] == [
        f"Ngày sinh {future:%d/%m/%Y} ở tương lai (hôm nay là {timezone.localdate():%d/%m/%Y})."
    ]
    response = client.post(url, open_form(client, url, full_name="Đinh Văn Tèo", relationship="head"))
    assert response.status_code == 422
    assert "đã có chủ hộ" in response.context["form"].errors["relationship"][0]
    assert Membership.objects.count() == members


def test_edit_member_sends_only_the_changed_facts(client: Client, personas: Any, world: Scenario) -> None:
    url = reverse("web:member-edit", args=[world.household.pk, world.wife.pk])
    response = client.post(url, open_form(client, url, has_health_insurance="False"))
    assert response.status_code == 302
    world.wife.refresh_from_db()
    assert world.wife.has_health_insurance is False
    event = HouseholdEvent.objects.get(household=world.household, kind=EventKind.MEMBER_UPDATED)
    assert event.changes == {"has_health_insurance": [True, False]}
    assert event.person == world.wife and event.actor == personas.owner


def test_edit_member_bad_input(client: Client, personas: Any, world: Scenario) -> None:
    url = reverse("web:member-edit", args=[world.household.pk, world.wife.pk])
    taken = personas.kongchro_household.head.citizen_id
    response = client.post(url, open_form(client, url, citizen_id=taken))
    assert response.status_code == 422
    assert response.context["form"].errors["citizen_id"] == [
        f"Số định danh cá nhân {taken} đã được ghi cho một nhân khẩu khác trong sổ hộ. Hãy kiểm tra lại số; "
        "nếu đúng là cùng một người, hãy chuyển người đó sang hộ này thay vì thêm mới."
    ]
    response = client.post(url, open_form(client, url, work_status="astronaut"))
    assert response.context["form"].errors["work_status"] == ["Việc làm: lựa chọn không hợp lệ."]
    world.wife.refresh_from_db()
    assert world.wife.citizen_id is None
    assert not HouseholdEvent.objects.filter(
        household=world.household, kind=EventKind.MEMBER_UPDATED
    ).exists()


def test_member_of_another_household_is_404(client: Client, personas: Any, world: Scenario) -> None:
    other = personas.kongchro_household.head
    assert client.get(reverse("web:member-edit", args=[world.household.pk, other.pk])).status_code == 404
    assert client.get(reverse("web:member-leave", args=[world.household.pk, other.pk])).status_code == 404


def test_member_leaves(client: Client, world: Scenario) -> None:
    url = reverse("web:member-leave", args=[world.household.pk, world.wife.pk])
    day = timezone.localdate() - timedelta(days=1)
    response = client.post(url, open_form(client, url, end_date=day.isoformat(), end_reason="moved_out"))
    assert response.status_code == 302
    membership = Membership.objects.get(household=world.household, person=world.wife)
    assert membership.end_date == day and membership.end_reason == "moved_out"
    page = page_text(client.get(reverse("web:household-detail", args=[world.household.pk])))
    assert "Thành viên đã rời hộ" in page and "Chuyển đi" in page


def test_member_leave_bad_input(client: Client, world: Scenario) -> None:
    url = reverse("web:member-leave", args=[world.household.pk, world.wife.pk])
    response = client.post(url, open_form(client, url, end_date="2019-01-01"))
    assert response.status_code == 422
    assert response.context["form"].errors["end_date"] == [
        "Ngày rời hộ 01/01/2019 trước ngày vào hộ 01/01/2020."
    ]
    response = client.post(url, open_form(client, url, end_reason="vanished"))
    assert response.context["form"].errors["end_reason"] == ["Lý do rời hộ: lựa chọn không hợp lệ."]
    assert Membership.objects.get(household=world.household, person=world.wife).end_date is None


# Living conditions ------------------------------------------------------------------------------------------


def test_record_living_conditions(client: Client, world: Scenario) -> None:
    url = reverse("web:living-conditions", args=[world.household.pk])
    data = open_form(client, url, water_source="piped", floor_area_m2="64,5")
    assert data["latrine_type"] == "pit"  # the form starts from the latest record
    response = client.post(url, data)
    assert response.status_code == 302
    record = LivingConditions.objects.get(household=world.household, recorded_on=timezone.localdate())
    assert record.water_source == "piped" and str(record.floor_area_m2) == "64.50"
    event = HouseholdEvent.objects.get(household=world.household, kind=EventKind.LIVING_CONDITIONS,
                                       occurred_on=timezone.localdate())  # fmt: skip
    assert event.changes["water_source"] == ["surface", "piped"]


def test_record_living_conditions_bad_input(client: Client, world: Scenario) -> None:
    url = reverse("web:living-conditions", args=[world.household.pk])
    response = client.post(url, open_form(client, url, floor_area_m2="rộng"))
    assert response.status_code == 422
    assert response.context["form"].errors["floor_area_m2"] == [
        "Diện tích nhà ở (m²): «rộng» không phải là một số."
    ]
    response = client.post(url, open_form(client, url, floor_area_m2="-3"))
    assert response.context["form"].errors["floor_area_m2"] == ["Diện tích nhà ở không được âm (đã nhập -3)."]
    assert LivingConditions.objects.filter(household=world.household).count() == 1


# Assessments ------------------------------------------------------------------------------------------------


def test_record_assessment(client: Client, world: Scenario) -> None:
    url = reverse("web:assessment-add", args=[world.household.pk])
    assert (
        open_form(client, url)["income_per_capita"] == "1000000"
    )  # the form starts from the latest assessment
    data = open_form(
        client, url, review=str(world.review.pk), assessed_on="2026-11-18", income_per_capita="1.800.000",
        income_method="measured", causes=["1", "5"], entered_nguon_nuoc_sinh_hoat="True",
    )  # fmt: skip
    # The first press says what will be written and asks to confirm; nothing is saved yet.
    response = client.post(url, data)
    assert response.status_code == 200 and "Xác nhận ghi" in page_text(response)
    assert response.context["confirm"]["assessment"].poverty_class == "khong_ngheo"
    assert Assessment.objects.get(pk=world.assessment.pk).income_per_capita == 1_000_000
    response = client.post(url, {**data, "xac_nhan": "1"})
    assert response.status_code == 302
    assessment = Assessment.objects.get(review=world.review, household=world.household)
    assert assessment.income_per_capita == 1_800_000 and assessment.income_method == "measured"
    assert assessment.poverty_class == "khong_ngheo"  # above the line, not a farming household
    assert assessment.causes_mask == (1 << 1) | (1 << 5)
    event = HouseholdEvent.objects.filter(household=world.household, kind=EventKind.ASSESSED).latest("id")
    assert event.changes["income_per_capita"] == [1_000_000, 1_800_000] and event.actor_name == "xa.kongchro"


def test_record_assessment_bad_input(client: Client, world: Scenario) -> None:
    url = reverse("web:assessment-add", args=[world.household.pk])
    response = client.post(url, open_form(client, url, income_per_capita="một triệu"))
    assert response.status_code == 422
    assert response.context["form"].errors["income_per_capita"] == [
        "Thu nhập bình quân đầu người/tháng (đồng): «một triệu» không phải là số tiền "
        "(nhập số đồng, ví dụ 1.350.000)."
    ]
    response = client.post(url, open_form(client, url, income_per_capita="-5"))
    assert response.context["form"].errors["income_per_capita"] == [
        "Thu nhập bình quân đầu người không được âm (đã nhập -5)."
    ]
    response = client.post(url, open_form(client, url, assessed_on="2019-12-01"))
    assert response.context["form"].errors["assessed_on"] == [
        "Ngày rà soát 01/12/2019 trước ngày đăng ký hộ 01/01/2020."
    ]
    world.assessment.refresh_from_db()
    assert world.assessment.income_per_capita == 1_000_000


def test_assessment_preview_classifies_the_entered_income(client: Client, world: Scenario) -> None:
    url = reverse("web:assessment-add", args=[world.household.pk])
    data = open_form(client, url, income_per_capita="2.500.000")
    response = client.post(reverse("web:assessment-add-preview", args=[world.household.pk]), data)
    assert response.status_code == 200
    assert "Không nghèo" in page_text(response) and "2.500.000đ" in page_text(response)
    assert Assessment.objects.get(pk=world.assessment.pk).income_per_capita == 1_000_000


# Live preview and the current-facts panel -------------------------------------------------------------------


def test_member_preview_shows_the_new_class_without_saving(client: Client, world: Scenario) -> None:
    url = reverse("web:member-edit", args=[world.household.pk, world.wife.pk])
    before = events_of(world.household)
    data = open_form(client, url, has_health_insurance="False")
    response = client.post(reverse("web:member-edit-preview", args=[world.household.pk, world.wife.pk]), data)
    assert response.status_code == 200
    text = page_text(response)
    assert "Sau khi lưu thay đổi" in text
    assert "Hộ cận nghèo" in text and "Hộ nghèo" in text  # before and after
    assert "thiếu hụt 3/" in text and "bảo hiểm y tế" in text
    world.wife.refresh_from_db()
    assert world.wife.has_health_insurance is True and events_of(world.household) == before

    unchanged = client.post(
        reverse("web:member-edit-preview", args=[world.household.pk, world.wife.pk]), open_form(client, url)
    )
    assert "không làm đổi phân loại" in page_text(unchanged)


def test_member_add_and_leave_previews(client: Client, world: Scenario) -> None:
    add = open_form(client, reverse("web:member-add", args=[world.household.pk]), full_name="Bé",
                    birth_date=(timezone.localdate() - timedelta(days=4000)).isoformat(),
                    has_health_insurance="False")  # fmt: skip
    response = client.post(reverse("web:member-add-preview", args=[world.household.pk]), add)
    assert "Sau khi lưu thay đổi" in page_text(response) and "Hộ nghèo" in page_text(response)

    leave = open_form(client, reverse("web:member-leave", args=[world.household.pk, world.wife.pk]))
    response = client.post(
        reverse("web:member-leave-preview", args=[world.household.pk, world.wife.pk]), leave
    )
    assert response.status_code == 200 and "Hộ cận nghèo" in page_text(response)
    assert Membership.objects.filter(household=world.household).count() == 2


def test_living_conditions_preview(client: Client, world: Scenario) -> None:
    data = open_form(
        client, reverse("web:living-conditions", args=[world.household.pk]), water_source="piped"
    )
    response = client.post(reverse("web:living-conditions-preview", args=[world.household.pk]), data)
    assert "thiếu hụt 1/" in page_text(response)
    assert LivingConditions.objects.filter(household=world.household).count() == 1


def test_page_panel_follows_a_member_edit_and_the_latest_assessment_can_be_recorded_again(
    client: Client, world: Scenario
) -> None:
    detail = reverse("web:household-detail", args=[world.household.pk])
    panel = client.get(detail).context["current_class"]
    assert panel.poverty_class == "can_ngheo"

    url = reverse("web:member-edit", args=[world.household.pk, world.wife.pk])
    client.post(url, open_form(client, url, has_health_insurance="False"))
    response = client.get(detail)
    assert response.context["current_class"].poverty_class == "ngheo"
    assert response.context["rerecord"]["differs"] is True
    assert "Xem và ghi phiếu theo dữ liệu hiện tại" in page_text(response)

    # The button opens a page saying what will be written (the round is still open: recorded there again).
    confirm_url = reverse("web:assessment-rerecord", args=[world.household.pk])
    confirm = client.get(confirm_url)
    assert (
        confirm.context["plan"].review == world.review and confirm.context["outcome"].poverty_class == "ngheo"
    )
    assert Assessment.objects.get(pk=world.assessment.pk).poverty_class == "can_ngheo"  # nothing saved yet
    stamp = confirm.context["stamp"]
    response = client.post(confirm_url, {**stamp, "xac_nhan": "1"})
    assert response.status_code == 302
    world.assessment.refresh_from_db()
    assert world.assessment.poverty_class == "ngheo" and world.assessment.income_per_capita == 1_000_000
    assert world.assessment.assessed_on == TODAY  # today's data
    event = HouseholdEvent.objects.filter(household=world.household, kind=EventKind.ASSESSED).latest("id")
    assert event.changes["poverty_class"] == ["can_ngheo", "ngheo"] and event.actor_name == "xa.kongchro"
    page = page_text(client.get(detail))
    assert "khớp với dữ liệu hộ hiện nay" in page


def test_a_refused_form_keeps_the_preview_of_the_users_input(client: Client, world: Scenario) -> None:
    url = reverse("web:member-edit", args=[world.household.pk, world.wife.pk])
    response = client.post(url, open_form(client, url, has_health_insurance="False", citizen_id="12"))
    assert response.status_code == 422
    text = page_text(response)
    assert "Chưa lưu gì. Hãy sửa các ô có thông báo lỗi bên dưới." in text
    assert "Sau khi lưu thay đổi" in text and "thiếu hụt 3/" in text


def test_the_live_classification_reads_the_registry_facts(world: Scenario) -> None:
    """Without changes, the facts the panel and previews classify are exactly `registry.facts.household_facts`."""
    make_person(
        world.household, full_name="Đã mất", date_of_death=date(2024, 1, 1), birth_date=date(1950, 1, 1)
    )
    household = household_with().get(pk=world.household.pk)
    basis = current_basis(world.assessment, timezone.localdate())
    expected = household_facts(
        household, on=basis.on, income_per_capita=1_000_000, entered=dict(basis.entered)
    )
    assert facts_with(household, basis) == expected and len(expected.members) == 2
