"""The web list and the API list are one selector (`reviews.selectors`): for any filters and search, as any persona,
both return the same households in the same order. Hypothesis draws the filters; the data holds names with and
without diacritics and apostrophes, former members, codes, citizen IDs, classes, ethnicities and flags."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamngheo.accounts.services import token_create
from giamngheo.registry import services
from giamngheo.registry.models import Membership
from tests.personas import PASSWORD
from tests.registry.factories import make_ethnicity, make_household, make_village
from tests.reviews.helpers import import_past, open_review

pytestmark = pytest.mark.django_db

PERSONAS = ("owner", "province", "admin", "peer")
SEARCHES = (
    "", "dinh", "Đinh Văn", "van", "h'hen", "H’Hen", "hhen", "ksor", "y bhăm", "thi", "súy", "xa", "ra",
    "064080001234", "064180009999", "000000000000", "H-", "h-l", "L-0", "-01", "zzz", "Rơ", "ro mah", "ʼ",
)  # fmt: skip
CLASSES = ("", "ngheo", "can_ngheo", "muc_song_trung_binh", "khong_ngheo")
ETHNICITIES = ("", "01", "13", "45")
CODE = re.compile(r'<td class="code"[^>]*><a href="[^"]+">([^<]+)</a>')


@pytest.fixture
def world(personas: Any) -> dict[str, Any]:
    """Twelve more households across the personas' communes, with varied names, classes and flags."""
    units = personas.units
    kinh, bana = make_ethnicity("Kinh", code="01"), make_ethnicity("Ba Na", code="13")
    village = make_village(units["new_commune"], name="Làng Hle")
    review = open_review(units["new_commune"], year=2025, reference_date=date(2025, 12, 1))
    names = ["Ksor H'Hen", "Ksor H’Lan", "Y Bhăm", "Đinh Thị Hoa", "Rơ Mah Xa", "Nguyễn Văn Ba", "Siu Hhen",
             "Đinh Văn Súy Em", "Trần Thị Lụa", "Rơ Châm Dơk", "Đinh Ra", "Lê Văn Thi"]  # fmt: skip
    incomes = [900_000, 1_200_000, 1_400_000, 2_100_000, 5_000_000, 1_000_000]
    made = []
    for number, name in enumerate(names):
        commune = units["new_commune"] if number % 3 else units["new_sro"]
        household = make_household(
            commune=commune, code=f"L-{number:02d}", registered_on=date(2025, 8, 1),
            village=village if commune == units["new_commune"] and number % 2 else None,
            is_agri=number % 2 == 0, has_meritorious_member=number % 5 == 0, no_working_capacity=number % 4 == 0,
            members=[
                {"full_name": name, "ethnicity": bana if number % 2 else kinh, "start_date": date(2025, 8, 1),
                 "citizen_id": f"0641800{number:05d}"},
                {"full_name": f"Con {name.split()[-1]}", "start_date": date(2025, 8, 1)},
            ],
        )  # fmt: skip
        if number % 3 and number < 10:
            import_past(review, household, date(2025, 11, 1), incomes[number % len(incomes)],
                        entered={"bao_hiem_y_te": number % 2 == 0, "viec_lam": True,
                                 "nguon_nuoc_sinh_hoat": number % 3 == 1})  # fmt: skip
        made.append(household)
    # A former member: the household is still found by their name.
    leaver = Membership.objects.get(household=made[1], person__full_name__startswith="Con")
    services.member_leave(membership=leaver, end_date=date(2025, 9, 1), reason="moved_out", actor=None)
    return {"households": made, "village": village}


def _web_codes(client: Client, params: dict[str, str]) -> list[str]:
    codes: list[str] = []
    page = 1
    while True:
        response = client.get(reverse("web:household-list"), {**params, "trang": str(page)})
        assert response.status_code == 200
        found = CODE.findall(response.content.decode())
        codes.extend(found)
        if 'rel="next"' not in response.content.decode():
            return codes
        page += 1


def _api_codes(client: Client, token: str, params: dict[str, str]) -> list[str]:
    response = client.get(
        "/api/households", {**params, "limit": "500"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.json()
    return [item["code"] for item in response.json()["items"]]


filters = st.fixed_dictionaries(
    {
        "q": st.sampled_from(SEARCHES),
        "commune": st.sampled_from(("", "new_commune", "new_sro", "town", "far_commune")),
        "village": st.booleans(),
        "class": st.sampled_from(CLASSES),
        "ethnicity": st.sampled_from(ETHNICITIES),
        "status": st.sampled_from(("", "active", "closed")),
        "is_agri": st.booleans(),
        "meritorious": st.booleans(),
        "no_labour": st.booleans(),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(persona=st.sampled_from(PERSONAS), chosen=filters)
def test_web_and_api_lists_return_the_same_households(
    personas: Any, world: dict[str, Any], persona: str, chosen: dict[str, Any]
) -> None:
    user = personas.users()[persona]
    web = Client()
    assert web.login(username=user.username, password=PASSWORD)
    token = token_create(user=user, name="agreement")[1]
    commune = personas.units[chosen["commune"]].pk if chosen["commune"] else None
    village = world["village"].pk if chosen["village"] and chosen["commune"] == "new_commune" else None
    web_params = {
        "q": chosen["q"], "xa": str(commune or ""), "thon": str(village or ""), "phan_loai": chosen["class"],
        "dan_toc": chosen["ethnicity"], "tinh_trang": chosen["status"],
        "nong_nghiep": "1" if chosen["is_agri"] else "", "co_cong": "1" if chosen["meritorious"] else "",
        "khong_lao_dong": "1" if chosen["no_labour"] else "",
    }  # fmt: skip
    api_params = {
        "q": chosen["q"], "commune": str(commune or ""), "village": str(village or ""),
        "poverty_class": chosen["class"], "ethnicity": chosen["ethnicity"], "status": chosen["status"],
        "is_agri": "true" if chosen["is_agri"] else "", "has_meritorious_member": "true" if chosen["meritorious"] else "",
        "no_working_capacity": "true" if chosen["no_labour"] else "",
    }  # fmt: skip
    api_params = {name: value for name, value in api_params.items() if value}
    assert _web_codes(web, web_params) == _api_codes(Client(), token, api_params)


def test_search_ignores_apostrophes_and_names_the_member_who_matched(
    personas: Any, world: dict[str, Any]
) -> None:
    peer = Client()
    assert peer.login(username="xa.sro", password=PASSWORD)
    spellings = ("h'hen", "H’Hen", "hhen", "Hʼhen", "HHEN")
    found = {spelling: _web_codes(peer, {"q": spelling}) for spelling in spellings}
    assert found["hhen"] == ["L-00", "L-06"] and all(codes == found["hhen"] for codes in found.values())
    token = token_create(user=personas.peer, name="search")[1]
    assert _api_codes(Client(), token, {"q": "h’hen"}) == ["L-00", "L-06"]
    # A former member's name still leads to the household they lived in, and the row says who matched.
    owner = Client()
    assert owner.login(username="xa.kongchro", password=PASSWORD)
    page = owner.get(reverse("web:household-list"), {"q": "con h'lan"}).content.decode()
    assert CODE.findall(page) == ["L-01"] and "khớp: Con H’Lan" in page
    token = token_create(user=personas.owner, name="search")[1]
    answer = Client().get("/api/households", {"q": "con hlan"}, headers={"Authorization": f"Bearer {token}"})
    assert [item["matched_members"] for item in answer.json()["items"]] == [["Con H’Lan"]]
