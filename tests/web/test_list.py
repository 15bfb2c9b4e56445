"""The household list through HTTP: search, filters, pagination, filter choices within the account's area, and a
fixed number of queries whatever the number of households."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giamngheo.accounts.access import households_for
from giamngheo.accounts.models import Role
from giamngheo.accounts.services import area_role_assign
from giamngheo.areas.models import AdminUnit, Village
from giamngheo.registry import services as registry
from giamngheo.registry.bulk import HouseholdRow, MemberRow
from giamngheo.registry.models import Household, Membership
from giamngheo.reviews import selectors
from giamngheo.reviews import services as reviews
from giamngheo.reviews.models import Assessment
from giamngheo.reviews.selectors import HouseholdFilters, household_page, households_matching
from tests.accounts.test_scope import VISIBLE
from tests.registry.factories import make_ethnicity, make_household, make_reform_area, make_user
from tests.reviews.helpers import import_past, open_review

pytestmark = pytest.mark.django_db

POOR_FLAGS = {"viec_lam": True, "dinh_duong": True, "bao_hiem_y_te": True}
# (income per person, entered flags) giving each class for a household without recorded facts.
INPUT = {"ngheo": (1_000_000, POOR_FLAGS), "can_ngheo": (1_000_000, {}), "khong_ngheo": (5_000_000, {})}


def list_url() -> str:
    return reverse("web:household-list")


def codes(response: Any) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<td class="code"[^>]*><a href="[^"]+">([^<]+)</a>', response.content.decode())


def assess(review: Any, household: Household, poverty_class: str, day: date) -> Assessment:
    income, entered = INPUT[poverty_class]
    assessment = import_past(review, household, day, income, entered=entered)
    assert assessment.poverty_class == poverty_class
    return assessment


@pytest.fixture
def area() -> dict[str, Any]:
    """Two legacy communes of district 630 with three households, assessed in 2022 and 2023."""
    units = make_reform_area()
    town, yang_trung = units["town"], units["yang_trung"]
    upper = Village.objects.create(commune=town, local_code="01", name="Làng Tơ Mơ")
    lower = Village.objects.create(commune=town, local_code="02", name="Làng Đăk Pơ Kao")
    ba_na, kinh, jrai = (
        make_ethnicity("Ba Na", code="13"),
        make_ethnicity("Kinh", code="01"),
        make_ethnicity("Gia-rai", code="10"),
    )
    first = make_household(
        commune=town, village=upper, code="630-23824-0001", is_agri=True,
        members=[
            {"full_name": "Đinh Văn Súy", "citizen_id": "064080001234", "ethnicity": ba_na},
            {"full_name": "Đinh Thị Hlăk", "sex": "nu", "relationship": "spouse", "ethnicity": ba_na},
        ],
    )  # fmt: skip
    second = make_household(
        commune=town, village=lower, code="630-23824-0002", has_meritorious_member=True,
        members=[
            {"full_name": "Nguyễn Thị Lan", "sex": "nu", "ethnicity": kinh},
            {"full_name": "Rơ Châm Hiu", "citizen_id": "064090005678", "ethnicity": jrai},
        ],
    )  # fmt: skip
    left = Membership.objects.get(person__full_name="Rơ Châm Hiu")
    registry.member_leave(membership=left, end_date=date(2021, 6, 1), reason="moved_out", actor=None)
    third = make_household(
        commune=yang_trung, code="630-23845-0001", no_working_capacity=True,
        members=[{"full_name": "Ksor H'Bơl", "sex": "nu", "ethnicity": jrai}],
    )  # fmt: skip
    registry.household_close(household=third, on=date(2024, 3, 1), reason="moved_away", actor=None)
    review_2022 = open_review(units["district"], year=2022)
    review_2023 = open_review(units["district"], year=2023)
    assess(review_2022, first, "ngheo", date(2022, 10, 1))
    assess(review_2023, first, "can_ngheo", date(2023, 10, 1))
    assess(review_2023, second, "ngheo", date(2023, 10, 2))
    admin = make_user("quantri.ds")
    area_role_assign(user=admin, role=Role.ADMIN, area=None)
    return {**units, "upper": upper, "lower": lower, "admin": admin, "first": first, "second": second}


@pytest.fixture
def admin_client(client: Client, area: dict[str, Any]) -> Client:
    client.force_login(area["admin"])
    return client


FIRST, SECOND, THIRD = "630-23824-0001", "630-23824-0002", "630-23845-0001"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dinh van suy", [FIRST]),  # the head, without diacritics
        ("Đinh Văn Súy", [FIRST]),
        ("HLAK", [FIRST]),  # another member, any case
        ("van su", [FIRST]),  # any part of the name
        ("ro cham hiu", [SECOND]),  # a former member still leads to the household
        ("ksor h'bol", [THIRD]),
        ("nguyen van khong co", []),
        ("630-23824", [FIRST, SECOND]),  # part of a household code
        ("23845-0001", [THIRD]),
        ("064080001234", [FIRST]),  # a citizen ID, exactly
        ("064090005678", [SECOND]),
        ("06408000123", []),  # 11 digits: part of a code, not a citizen ID
    ],
)
def test_search(admin_client: Client, query: str, expected: list[str]) -> None:
    assert codes(admin_client.get(list_url(), {"q": query})) == expected


def test_class_filter_uses_each_households_latest_assessment(admin_client: Client) -> None:
    # The first household was poor in 2022 and near-poor in 2023.
    assert codes(admin_client.get(list_url(), {"phan_loai": "ngheo"})) == [SECOND]
    assert codes(admin_client.get(list_url(), {"phan_loai": "can_ngheo"})) == [FIRST]
    assert codes(admin_client.get(list_url(), {"phan_loai": "khong_ngheo"})) == []
    page = admin_client.get(list_url()).content.decode()
    assert "Hộ cận nghèo" in page and "Chưa rà soát" in page


def test_filters(admin_client: Client, area: dict[str, Any]) -> None:
    town = str(area["town"].pk)
    assert codes(admin_client.get(list_url(), {"xa": town})) == [FIRST, SECOND]
    assert codes(admin_client.get(list_url(), {"xa": town, "thon": area["lower"].pk})) == [SECOND]
    assert codes(admin_client.get(list_url(), {"xa": str(area["yang_trung"].pk)})) == [THIRD]
    assert codes(admin_client.get(list_url(), {"dan_toc": "13"})) == [FIRST]  # the head's ethnicity
    assert codes(admin_client.get(list_url(), {"dan_toc": "10"})) == [THIRD]  # not the former member's
    assert codes(admin_client.get(list_url(), {"nong_nghiep": "1"})) == [FIRST]
    assert codes(admin_client.get(list_url(), {"co_cong": "1"})) == [SECOND]
    assert codes(admin_client.get(list_url(), {"khong_lao_dong": "1"})) == [THIRD]
    assert codes(admin_client.get(list_url(), {"tinh_trang": "closed"})) == [THIRD]
    assert codes(admin_client.get(list_url(), {"tinh_trang": "active"})) == [FIRST, SECOND]
    both = {"q": "dinh", "xa": town, "phan_loai": "can_ngheo", "nong_nghiep": "1", "tinh_trang": "active"}
    assert codes(admin_client.get(list_url(), both)) == [FIRST]


def test_a_village_of_another_commune_is_ignored(admin_client: Client, area: dict[str, Any]) -> None:
    response = admin_client.get(list_url(), {"xa": area["yang_trung"].pk, "thon": area["lower"].pk})
    assert codes(response) == [THIRD]


def test_bad_parameters_are_ignored(admin_client: Client) -> None:
    params = {
        "xa": "abc",
        "thon": "-1",
        "phan_loai": "giau",
        "dan_toc": "99",
        "tinh_trang": "x",
        "trang": "y",
    }
    assert codes(admin_client.get(list_url(), params)) == [FIRST, SECOND, THIRD]


def test_filter_choices(admin_client: Client, area: dict[str, Any]) -> None:
    page = admin_client.get(list_url()).content.decode()
    assert "Thị trấn Kông Chro (mã cũ 23824, đến 30/06/2025)" in page
    assert "Xã Yang Trung (mã cũ 23845, đến 30/06/2025)" in page
    assert "Xã khác" not in page  # a commune without households
    assert 'name="thon"' not in page  # villages only once a commune is chosen
    page = admin_client.get(list_url(), {"xa": area["town"].pk}).content.decode()
    villages = page.split('name="thon"')[1].split("</select>")[0]
    assert "Làng Tơ Mơ" in villages and "Làng Đăk Pơ Kao" in villages
    assert "Gia-rai" in page and "Ba-na" in page  # ethnic groups of list A


def household_rows(commune: AdminUnit, count: int, *, start: int = 0) -> list[HouseholdRow]:
    return [
        HouseholdRow(
            code=f"{commune.code}-{start + n:05d}", commune=commune, area_type="nong_thon",
            registered_on=date(2020, 1, 1),
            members=[
                MemberRow(full_name=f"Người Số {start + n}", sex="nam", relationship="head",
                          start_date=date(2020, 1, 1), citizen_id=f"064{start + n:09d}"),
                MemberRow(full_name="Đinh Thị Hlăk", sex="nu", relationship="spouse", start_date=date(2020, 1, 1)),
            ],
        )
        for n in range(count)
    ]  # fmt: skip


def test_pages_and_counts(admin_client: Client, area: dict[str, Any]) -> None:
    registry.households_bulk_register(household_rows(area["town"], 117), actor=None)
    page = admin_client.get(list_url()).content.decode()
    assert page.count('class="household-row"') == 50 and "Hộ 1–50 trong 120 hộ." in page
    assert "Trang 1/3" in page
    third = admin_client.get(list_url(), {"trang": "3"}).content.decode()
    assert third.count('class="household-row"') == 20 and "Hộ 101–120 trong 120 hộ." in third
    assert "Trang 3/3" in admin_client.get(list_url(), {"trang": "99"}).content.decode()  # past the end
    searched = admin_client.get(list_url(), {"q": "nguoi so", "trang": "2"}).content.decode()
    assert "Hộ 51–100 trong 117 hộ." in searched and "q=nguoi+so&amp;trang=3" in searched


def test_costly_counts_stop_at_a_cap(area: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    households = registry.households_bulk_register(household_rows(area["town"], 30), actor=None)
    everyone = households_for(area["admin"])
    page = household_page(everyone, HouseholdFilters(query="nguoi so"), page_size=10, count_cap=5)
    assert page.count == 30 and page.count_at_least is None  # few people match: counted exactly
    page = household_page(everyone, HouseholdFilters(ethnicity="13"), page_size=1, count_cap=5)
    assert page.count == 1  # the first page is not full: its length is the count
    page = household_page(everyone, HouseholdFilters(status="active"), page_size=10, count_cap=5)
    assert page.count == 32
    review = open_review(area["district"], year=2021)
    items = [reviews.AssessmentInput(h, date(2021, 10, 1), *INPUT["ngheo"]) for h in households]
    reviews.assessments_bulk_record(items, review=review, actor=None, historical=True)
    page = household_page(everyone, HouseholdFilters(poverty_class="ngheo"), page_size=10, count_cap=5)
    assert page.count is None and page.count_at_least == 5  # "more than 5"
    page = household_page(everyone, HouseholdFilters(poverty_class="ngheo"), page_size=10, count_cap=50)
    assert page.count == 31
    monkeypatch.setattr(selectors, "NAME_LIST_LIMIT", 3)
    page = household_page(everyone, HouseholdFilters(query="hlak"), page_size=10, count_cap=5)
    assert page.count is None and page.count_at_least is None and page.has_next  # many people: not counted
    page = household_page(everyone, HouseholdFilters(query="hlak"), number=4, page_size=10)
    assert len(page.households) == 1 and not page.has_next


@pytest.mark.parametrize("query", ["dinh", "hlak", "van", "nguoi so 1", "h'bol", "zzz"])
def test_common_and_rare_name_searches_find_the_same_households(
    area: dict[str, Any], monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    """Many matching people switch the search to checking households one by one; the result is the same."""
    registry.households_bulk_register(household_rows(area["town"], 12), actor=None)
    everyone = households_for(area["admin"])
    filters = HouseholdFilters(query=query)
    by_list = list(households_matching(everyone, filters).values_list("code", flat=True))
    monkeypatch.setattr(selectors, "NAME_LIST_LIMIT", 0)
    one_by_one = list(households_matching(everyone, filters).values_list("code", flat=True))
    assert by_list == one_by_one
    assert (query == "zzz") == (not by_list)


# Fixed query counts ------------------------------------------------------------------------------------------

VARIANTS = {
    "no filter": {},
    "name": {"q": "nguoi so"},
    "common name": {"q": "hlak"},
    "code": {"q": "23824-000"},
    "citizen ID": {"q": "064000000003"},
    "class": {"phan_loai": "ngheo"},
    "commune and village": {"xa": "town", "thon": "upper"},
    "ethnicity and flags": {"dan_toc": "13", "nong_nghiep": "1", "tinh_trang": "active"},
    "page 2": {"trang": "2"},
}
# Session, user, role, communes on offer, [villages], [people named], count, page ids, page rows; the territory of
# the account's area is kept from the first request (areas.territory_cache). Statements that read nothing are not
# counted: on PostgreSQL the savepoint and the SET LOCAL planner settings around the page queries.
MAX_QUERIES = 12  # a name search also names the members who matched; a commune filter reads its villages
CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "SET LOCAL")


def _measure(client: Client, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(list_url(), params)
    assert response.status_code == 200
    return sum(
        1 for query in queries.captured_queries if not query["sql"].lstrip().upper().startswith(CONTROL)
    )


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("persona", ["admin", "owner"])
def test_the_list_runs_a_fixed_number_of_queries(
    client: Client,
    area: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    persona: str,
    variant: str,
) -> None:
    if persona == "owner":
        user = make_user("xa.kongchro.ds")
        area_role_assign(user=user, role=Role.COMMUNE, area=area["new_commune"])
    else:
        user = area["admin"]
    client.force_login(user)
    params = {
        key: str(area[value].pk) if key in {"xa", "thon"} else value
        for key, value in VARIANTS[variant].items()
    }
    if variant == "common name":  # many people match: households are checked one by one
        monkeypatch.setattr(selectors, "NAME_LIST_LIMIT", 10)
    review = open_review(area["district"], year=2021)
    client.get(list_url())  # the area's territory is then kept between requests (areas.territory_cache)
    counts = []
    for size, start in ((110, 0), (220, 110)):  # two dataset sizes: 113 then 333 households
        rows = [
            dataclasses.replace(row, village=area["upper"] if n % 2 else area["lower"])
            for n, row in enumerate(household_rows(area["town"], size, start=start))
        ]
        households = registry.households_bulk_register(rows, actor=None)
        if variant == "class":
            items = [reviews.AssessmentInput(h, date(2021, 10, 1), *INPUT["ngheo"]) for h in households]
            reviews.assessments_bulk_record(items, review=review, actor=None, historical=True)
        counts.append(_measure(client, params))
        assert counts[-1] <= MAX_QUERIES, counts
    assert counts[0] == counts[1]


# Personas ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(VISIBLE))
def test_search_and_filters_stay_within_the_area(client: Client, personas: Any, name: str) -> None:
    client.force_login(personas.users()[name])
    found = set()
    for query in ("dinh van suy", "ro mah ho", "nguyen van xa", "064080001234", "064080005678", "H-"):
        found |= set(codes(client.get(list_url(), {"q": query})))
    assert found == VISIBLE[name]
    for unit in ("town", "old_sro", "far_commune"):
        shown = set(codes(client.get(list_url(), {"xa": personas.units[unit].pk})))
        assert shown <= VISIBLE[name]


# Today's communes of the area first ("mã mới"), then the legacy communes households are still registered in
# ("mã cũ"); for an administrator, today's communes that hold or took over households.
EXPECTED_COMMUNES = {
    "owner": {"new_commune", "town"},
    "viewer": {"new_commune", "town"},
    "peer": {"new_sro", "old_sro"},
    "outsider": {"far_commune"},
    "province": {"new_commune", "new_sro", "town", "old_sro"},
    "admin": {"new_commune", "new_sro", "far_commune", "town", "old_sro"},
    "unbound": set(),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_COMMUNES))
def test_commune_choices_are_the_communes_of_the_area_with_households(
    client: Client, personas: Any, name: str
) -> None:
    client.force_login(personas.users()[name])
    page = client.get(list_url()).content.decode()
    offered = set(re.findall(r'<option value="(\d+)"', page.split('name="xa"')[1].split("</select>")[0]))
    expected = {str(personas.units[unit].pk) for unit in EXPECTED_COMMUNES[name]}
    assert offered == expected
    village = personas.kongchro_village  # belongs to new Kông Chro since the reform
    chosen = client.get(list_url(), {"xa": village.commune_id}).content.decode()
    assert ('name="thon"' in chosen) == ("new_commune" in EXPECTED_COMMUNES[name])
    assert (village.name in chosen) == ("new_commune" in EXPECTED_COMMUNES[name])
