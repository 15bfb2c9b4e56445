"""Assessments through the API: a household's assessments, one with indicators and explanation, recording one
through `reviews.services.assessment_record`, a village reviewer's rights, and ad-hoc classification."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import area_role_assign, token_create
from giamngheo.engine.classify import classify_household
from giamngheo.engine.facts import AreaType, HouseholdFacts, MemberFacts
from giamngheo.engine.standard import get_standard, standard_in_force
from giamngheo.registry.models import EventKind, HouseholdEvent
from giamngheo.reviews.explanations import value_labels
from giamngheo.reviews.models import Assessment
from tests.api.conftest import Api, etag
from tests.registry.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_households_assessments_and_one_in_detail(api: Api, personas: Any, assessments: Any) -> None:
    household = personas.kongchro_household
    listed = api.get("owner", f"/api/households/{household.pk}/assessments").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == assessments["H-KONGCHRO"].pk
    detail = api.get("owner", f"/api/assessments/{listed['items'][0]['id']}").json()
    stored = assessments["H-KONGCHRO"]
    assert detail["poverty_class"] == stored.poverty_class and detail["standard"] == "ND351-2025"
    assert detail["explanation"] == stored.explanation and "ND351-2025" in detail["explanation"]
    assert detail["entered"] == {"bao_hiem_y_te": True}
    indicators = {item["code"]: item for item in detail["indicators"]}
    assert len(indicators) == 12 and indicators["bao_hiem_y_te"]["entered"] is True
    assert detail["deprivation_count"] == sum(item["deprived"] for item in detail["indicators"])


def test_the_explanation_is_recomputed_when_a_bulk_reclassification_cleared_it(
    api: Api, personas: Any, assessments: Any
) -> None:
    stored = assessments["H-KONGCHRO"]
    Assessment.objects.filter(pk=stored.pk).update(explanation="")
    detail = api.get("owner", f"/api/assessments/{stored.pk}").json()
    assert detail["explanation"] == stored.explanation


def test_record_an_assessment(api: Api, personas: Any, reviews: Any) -> None:
    household = personas.kongchro_household
    body = {
        "review_id": reviews["H-KONGCHRO"].pk, "assessed_on": "2026-11-16", "income_per_capita": 1_000_000,
        "entered": {"viec_lam": True, "bao_hiem_y_te": True, "nguon_nuoc_sinh_hoat": True},
        "income_method": "measured", "causes": [0, 6], "b1_score": 120,
    }  # fmt: skip
    first = api.post("owner", f"/api/households/{household.pk}/assessments", body, if_match=etag(household))
    assert first["ETag"] == etag(household)
    assert first.status_code == 201, first.json()
    recorded = first.json()
    assert recorded["poverty_class"] == "ngheo" and recorded["deprivation_count"] == 3
    assert recorded["causes"] == [0, 6] and recorded["income_method"] == "measured"
    assert "→ hộ nghèo" in recorded["explanation"]
    event = HouseholdEvent.objects.filter(household=household, kind=EventKind.ASSESSED).get()
    assert event.actor == personas.owner
    # Recording again in the same review replaces the result: 200, and the history says old → new.
    again = api.post(
        "owner", f"/api/households/{household.pk}/assessments", {**body, "income_per_capita": 3_000_000},
        if_match=first["ETag"],
    )  # fmt: skip
    assert again.status_code == 200 and again.json()["id"] == recorded["id"]
    assert again.json()["poverty_class"] == "khong_ngheo"
    assert HouseholdEvent.objects.filter(household=household, kind=EventKind.ASSESSED).count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"entered": {"khong_co": True}}, "entered", "khong_co"),
        ({"income_per_capita": -1}, "income_per_capita", "lớn hơn hoặc bằng 0"),
        ({"income_per_capita": 1.5}, "income_per_capita", "số nguyên"),
        ({"assessed_on": "2099-12-01"}, "assessed_on", "ở tương lai"),
        ({"assessed_on": "2019-12-01"}, "assessed_on", "trước ngày đăng ký hộ"),
        ({"review_id": 999_999}, "review_id", "Không có đợt rà soát"),
        ({"causes": [9]}, "causes.0", "một trong"),
    ],
)
def test_bad_assessment_input(
    api: Api, personas: Any, reviews: Any, changes: dict[str, Any], field: str, words: str
) -> None:
    household = personas.kongchro_household
    body = {
        "review_id": reviews["H-KONGCHRO"].pk,
        "assessed_on": "2026-11-16",
        "income_per_capita": 1_000_000,
    }
    response = api.post(
        "owner", f"/api/households/{household.pk}/assessments", {**body, **changes}, if_match=etag(household)
    )
    assert response.status_code == 422
    assert any(words in message for message in response.json()["errors"][field]), response.json()
    assert not Assessment.objects.filter(household=household).exists()


def test_an_assessment_needs_a_review_of_the_households_commune(
    api: Api, personas: Any, reviews: Any
) -> None:
    household = personas.kongchro_household
    body = {"review_id": reviews["H-SRO"].pk, "assessed_on": "2026-11-16", "income_per_capita": 1_000_000}
    response = api.post(
        "admin", f"/api/households/{household.pk}/assessments", body, if_match=etag(household)
    )
    assert (
        response.status_code == 422
        and "không thuộc địa bàn rà soát" in response.json()["errors"]["household"][0]
    )
    covering = api.get("owner", "/api/reviews", household=household.pk).json()
    assert [item["id"] for item in covering["items"]] == [reviews["H-KONGCHRO"].pk]


def test_a_village_reviewer_records_assessments_but_does_not_edit(
    api: Api, personas: Any, reviews: Any
) -> None:
    reviewer = make_user("rasoat")
    area_role_assign(user=reviewer, role=Role.VILLAGE, area=personas.units["new_commune"],
                     villages=[personas.kongchro_village])  # fmt: skip
    headers = {"Authorization": f"Bearer {token_create(user=reviewer)[1]}"}
    household = personas.kongchro_household
    body = {
        "review_id": reviews["H-KONGCHRO"].pk,
        "assessed_on": "2026-11-16",
        "income_per_capita": 1_000_000,
    }
    recorded = api.client.post(f"/api/households/{household.pk}/assessments", body, content_type="application/json",
                               headers={**headers, "If-Match": etag(household)})  # fmt: skip
    assert recorded.status_code == 201, recorded.json()
    edit = api.client.patch(f"/api/households/{household.pk}", {"expected_version": household.version,
                            "address": "x"}, content_type="application/json", headers=headers)  # fmt: skip
    assert edit.status_code == 403
    sro = personas.sro_household
    assert api.client.get(f"/api/households/{sro.pk}", headers=headers).status_code == 404


def test_classify_an_ad_hoc_household_without_storing_it(api: Api, personas: Any) -> None:
    before = Assessment.objects.count()
    body = {
        "standard": "ND07-2021", "area_type": "nong_thon", "income_per_capita": 1_400_000, "is_agri": True,
        "entered": {"viec_lam": True},
        "members": [{"age": 40, "has_health_insurance": False}, {"age": 10, "in_education": True,
                                                                  "has_health_insurance": True}],
        "living": {"wall_durable": False, "pillar_durable": False, "roof_durable": True, "water_source": "surface",
                   "latrine_type": "pit"},
    }  # fmt: skip
    response = api.post("unbound", "/api/classify", body)
    assert response.status_code == 200, response.json()
    answer = response.json()
    expected = classify_household(
        get_standard("ND07-2021"),
        HouseholdFacts(
            area_type=AreaType.RURAL, income_per_capita=1_400_000, is_agri=True, entered={"viec_lam": True},
            members=(MemberFacts(age=40, has_health_insurance=False),
                     MemberFacts(age=10, in_education=True, has_health_insurance=True)),
            wall_durable=False, pillar_durable=False, roof_durable=True, water_source="surface", latrine_type="pit",
        ),
        value_labels=value_labels(),  # the registry's words for recorded values ("sông, suối, ao, hồ")
    )  # fmt: skip
    assert answer["poverty_class"] == expected.poverty_class == "ngheo"
    assert answer["deprivation_count"] == expected.deprivation_count
    assert answer["explanation"] == expected.explanation
    assert "nguồn nước: sông, suối, ao, hồ" in answer["explanation"]
    assert answer["possible_class"] == expected.possible_class == "ngheo"
    assert answer["poverty_line"] == 1_500_000 and answer["poverty_class_label"] == "Hộ nghèo"
    by_code = {item["code"]: item for item in answer["indicators"]}
    assert by_code["bao_hiem_y_te"]["derived"] is True and by_code["chat_luong_nha_o"]["deprived"] is True
    assert Assessment.objects.count() == before


def test_classify_defaults_and_refusals(api: Api, personas: Any) -> None:
    default = api.post("owner", "/api/classify", {"income_per_capita": 50_000_000}).json()
    assert default["standard"] == standard_in_force(timezone.localdate()).id
    assert default["poverty_class"] == "khong_ngheo"
    unknown = api.post("owner", "/api/classify", {"income_per_capita": 1, "standard": "XX-2000"})
    assert unknown.status_code == 422 and "XX-2000" in unknown.json()["errors"]["standard"][0]
    wrong = api.post("owner", "/api/classify", {"income_per_capita": 1, "living": [None]})
    assert wrong.status_code == 422 and "living" in wrong.json()["errors"]
    condition = api.post("owner", "/api/classify", {"income_per_capita": 1, "living": {"floor_area_m2": -2}})
    assert condition.status_code == 422 and "living.floor_area_m2" in condition.json()["errors"]


def test_classify_reads_birth_dates_names_the_answers_still_needed_and_speaks_english(api: Api) -> None:
    body = {
        "standard": "ND07-2021", "area_type": "nong_thon", "income_per_capita": 1_200_000, "on": "2026-11-20",
        "members": [
            # Of working age on 20/11/2026 (born 1990); a wage worker whose labour contract is not recorded.
            {"name": "Rơ Châm Blơng", "birth_date": "1990-04-02", "sex": "nam", "work_status": "wage_worker",
             "able_to_work": True, "has_health_insurance": True},
            # School age 5 in the school year 2026-27: not in school.
            {"name": "Rơ Châm Dơk", "birth_date": "2021-02-01", "sex": "nu", "in_education": False,
             "has_health_insurance": True, "malnourished": False},
        ],
        "living": {"water_source": "surface", "latrine_type": "septic", "uses_internet": True,
                   "wall_durable": True, "pillar_durable": True, "roof_durable": True, "floor_area_m2": 40,
                   "has_tv": True},
    }  # fmt: skip
    answer = api.post("unbound", "/api/classify", body).json()
    assert answer["poverty_class"] == "can_ngheo" and answer["deprivation_count"] == 2
    by_code = {item["code"]: item for item in answer["indicators"]}
    assert by_code["viec_lam"]["missing"] is True and by_code["viec_lam"]["derived"] is None
    assert by_code["viec_lam"]["needed"] == "hợp đồng lao động (Rơ Châm Blơng, 36 tuổi)"
    assert "tình trạng đi học của trẻ em (Rơ Châm Dơk, 5 tuổi, không đi học)" in answer["explanation"]
    # Two counted, the employment one and the dependants one undecided: the class could become poor.
    assert answer["possible_class"] == "ngheo"
    english = api.client.post(
        "/api/classify", json.dumps(body), content_type="application/json",
        headers={"Authorization": f"Bearer {api.token('unbound')}", "Accept-Language": "en"},
    )  # fmt: skip
    assert english["Content-Language"] == "en"
    text = english.json()["explanation"]
    assert text.startswith("income 1.200.000đ ≤ line 1.500.000đ (rural)")
    assert "deprived on 2/12: children's school attendance (Rơ Châm Dơk, aged 5, not in school)" in text
    assert {item["code"]: item for item in english.json()["indicators"]}["viec_lam"]["name"] == "Employment"


def test_an_assessment_in_detail_says_what_could_change_it(api: Api, personas: Any, reviews: Any) -> None:
    household = personas.kongchro_household
    body = {
        "review_id": reviews["H-KONGCHRO"].pk,
        "assessed_on": "2026-11-16",
        "income_per_capita": 1_000_000,
    }
    recorded = api.post(
        "owner", f"/api/households/{household.pk}/assessments", body, if_match=etag(household)
    )
    assert recorded.status_code == 201, recorded.json()
    detail = api.get("owner", f"/api/assessments/{recorded.json()['id']}").json()
    missing = [item for item in detail["indicators"] if item["missing"]]
    assert missing and all(item["needed"] or item["entered"] is None for item in missing)
    undecided = len(missing)
    counted = detail["deprivation_count"]
    expected = "ngheo" if counted + undecided >= 3 else detail["poverty_class"]
    assert detail["possible_class"] == expected
