"""The dashboard through HTTP: the figures of each persona's area per commune and in total (the same as
`reviews.stats.area_stats`), the change from the previous year, the chart data, the latest review, 404 for an area
outside the account's, and a fixed number of queries whatever the number of communes and households."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giamngheo.areas.models import AdminUnit, UnitSuccession
from giamngheo.registry import services as registry
from giamngheo.registry.bulk import HouseholdRow
from giamngheo.reviews import services as reviews
from giamngheo.reviews.models import Assessment, Review
from giamngheo.reviews.overview import build_dashboard
from giamngheo.reviews.stats import area_stats
from tests.registry.factories import LEGACY_END, REFORM, make_commune
from tests.reviews.helpers import import_past, open_review

pytestmark = pytest.mark.django_db

POOR_FLAGS = {"viec_lam": True, "dinh_duong": True, "bao_hiem_y_te": True}
CLASS_INPUT = {  # (income per person, entered flags, farm household) per class, for households without facts
    "ngheo": (1_000_000, POOR_FLAGS, False),
    "can_ngheo": (1_000_000, {}, False),
    "muc_song_trung_binh": (2_000_000, {}, True),
    "khong_ngheo": (5_000_000, {}, False),
}
_codes = iter(range(1, 1_000_000))


def assess(
    review: Any, commune: AdminUnit, counts: dict[str, int], *, registered_on: date = date(2020, 1, 1)
) -> list:
    """Register households in `commune` and record them in `review`, `counts[class]` of each class."""
    rows, plan = [], []
    for poverty_class, count in counts.items():
        for _ in range(count):
            rows.append(HouseholdRow(code=f"D-{next(_codes)}", commune=commune, area_type="nong_thon",
                                     registered_on=registered_on, is_agri=CLASS_INPUT[poverty_class][2]))  # fmt: skip
            plan.append(poverty_class)
    households = registry.households_bulk_register(rows, actor=None)
    day = date(review.year, 10, 1)
    items = [reviews.AssessmentInput(h, day, CLASS_INPUT[c][0], entered=CLASS_INPUT[c][1])
             for h, c in zip(households, plan, strict=True)]  # fmt: skip
    reviews.assessments_bulk_record(items, review=review, actor=None, historical=True)  # past rounds
    return households


@pytest.fixture
def reviewed(personas: Any) -> Any:
    """Periodic reviews of old district 630 in 2022 and 2023 (Kông Chro town and Yang Trung, SRó), and of the far
    commune in 2025."""
    units = personas.units
    review_2022 = open_review(units["district"], year=2022)
    review_2023 = open_review(units["district"], year=2023)
    # 2022: town 4 (2 poor), Yang Trung 4 (1 poor), SRó 5 (3 poor, 1 near-poor).
    assess(review_2022, units["town"], {"ngheo": 2, "khong_ngheo": 2})
    assess(review_2022, units["yang_trung"], {"ngheo": 1, "khong_ngheo": 3})
    assess(review_2022, units["old_sro"], {"ngheo": 3, "can_ngheo": 1, "khong_ngheo": 1})
    # 2023: town 8 (1 poor = 12.5 %, 2 near-poor), Yang Trung 3 (1 middle), SRó 4 (2 poor = 50 %).
    assess(review_2023, units["town"], {"ngheo": 1, "can_ngheo": 2, "khong_ngheo": 5})
    assess(review_2023, units["yang_trung"], {"muc_song_trung_binh": 1, "khong_ngheo": 2})
    assess(review_2023, units["old_sro"], {"ngheo": 2, "khong_ngheo": 2})
    far = open_review(units["far_commune"], year=2025)
    assess(far, units["far_commune"], {"ngheo": 1, "khong_ngheo": 1}, registered_on=date(2025, 8, 1))
    return personas


def dashboard_url(**params: Any) -> str:
    """The overview's address. Most tests read the figures by the communes the assessments were made in
    (`theo=thoi-diem`); `theo=None` asks for the default (today's communes for a unit of today)."""
    params.setdefault("theo", "thoi-diem")
    params = {name: value for name, value in params.items() if value is not None}
    url = reverse("web:dashboard")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def commune_rows(page: str) -> list[str]:
    return [
        label.strip()
        for label in re.findall(r'<tr class="commune-row">\s*<td[^>]*>(?:<a [^>]+>)?([^<]+)', page)
    ]


def chart_data(page: str) -> dict[str, Any]:
    found = re.search(r'<script id="dashboard-chart-data" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))


def get(client: Client, user: Any, url: str) -> Any:
    client.force_login(user)
    return client.get(url)


TOWN, YANG_TRUNG, SRO, FAR = (
    "Thị trấn Kông Chro (mã cũ 23824, đến 30/06/2025)",
    "Xã Yang Trung (mã cũ 23845, đến 30/06/2025)",
    "Xã SRó (mã cũ 23839, đến 30/06/2025)",
    "Xã xa (mã mới 99001)",
)


def test_commune_officer_of_a_new_commune_sees_the_legacy_communes_that_map_into_it(
    client: Client, reviewed: Any
) -> None:
    page = get(client, reviewed.owner, dashboard_url()).content.decode()
    assert "Xã Kông Chro (mã mới 23824)" in page
    assert "gồm địa bàn của: Thị trấn Kông Chro (mã cũ 23824" in page  # what the new commune includes
    assert commune_rows(page) == [TOWN, YANG_TRUNG]
    assert SRO not in page and FAR not in page
    # 2023: 11 households, 1 poor (9.09 %), 2 near-poor (18.18 %); 2022: 8, 3 poor (37.5 %).
    summary = page.split('class="summary"')[1].split("</section>")[0]
    for text in ("11", "9,09 %", "18,18 %", "27,27 %", "So với năm 2022", "−2 hộ nghèo", "−28,41 điểm %"):
        assert text in summary
    assert "12,50 %" in page and "năm 2023 — Kông Chro" in page  # town's rate; the latest review
    data = chart_data(page)
    assert data["communes"] == ["Kông Chro", "Yang Trung"]
    assert data["poor_rate"] == [12.5, 0.0] and data["near_poor"] == [2, 0] and data["total"] == [8, 3]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("owner", [TOWN, YANG_TRUNG]),
        ("viewer", [TOWN, YANG_TRUNG]),
        ("peer", [SRO]),
        ("outsider", [FAR]),
        ("province", [TOWN, SRO, YANG_TRUNG]),
        ("admin", [FAR]),  # the province of the latest periodic review, until another is chosen
    ],
)
def test_each_persona_sees_its_area(client: Client, reviewed: Any, name: str, expected: list[str]) -> None:
    page = get(client, reviewed.users()[name], dashboard_url()).content.decode()
    assert commune_rows(page) == expected
    for label in {TOWN, YANG_TRUNG, SRO, FAR} - set(expected):
        assert label not in page


def test_anonymous_visitors_are_sent_to_login(client: Client, reviewed: Any) -> None:
    response = client.get(dashboard_url(area=reviewed.units["town"].pk))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_unbound_account_sees_no_figures(client: Client, reviewed: Any) -> None:
    response = get(client, reviewed.unbound, dashboard_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "chưa được gán địa bàn" in page and not commune_rows(page) and "dashboard-chart-data" not in page


def test_admin_chooses_among_provinces(client: Client, reviewed: Any) -> None:
    units = reviewed.units
    page = get(client, reviewed.admin, dashboard_url()).content.decode()
    choices = page.split('name="area"')[1].split("</select>")[0]
    assert (
        f'value="{units["new_province"].pk}"' in choices and f'value="{units["far_province"].pk}"' in choices
    )
    assert f'value="{units["old_province"].pk}"' not in choices  # provinces of today only
    page = get(client, reviewed.admin, dashboard_url(area=units["new_province"].pk)).content.decode()
    assert commune_rows(page) == [TOWN, SRO, YANG_TRUNG]


@pytest.mark.parametrize(
    ("name", "unit", "status"),
    [
        ("owner", "town", 200),  # a legacy commune of its own new commune: drill down
        ("owner", "new_sro", 404),
        ("owner", "old_sro", 404),
        ("owner", "new_province", 404),
        ("owner", "far_province", 404),
        ("viewer", "far_commune", 404),
        ("peer", "new_commune", 404),
        ("peer", "town", 404),
        ("outsider", "new_province", 404),
        ("province", "far_commune", 404),
        ("province", "old_sro", 200),
        ("province", "new_commune", 200),
        ("admin", "far_commune", 200),
        ("unbound", "town", 404),
    ],
)
def test_an_area_outside_the_account_is_404_like_a_missing_one(
    client: Client, reviewed: Any, name: str, unit: str, status: int
) -> None:
    user = reviewed.users()[name]
    response = get(client, user, dashboard_url(area=reviewed.units[unit].pk))
    assert response.status_code == status
    if status == 404:
        missing = get(client, user, dashboard_url(area=99_999_999))
        assert missing.status_code == 404 and missing.content == response.content
        assert get(client, user, dashboard_url(area="abc")).content == response.content


def test_drilling_into_a_commune(client: Client, reviewed: Any) -> None:
    page = get(client, reviewed.owner, dashboard_url(area=reviewed.units["town"].pk)).content.decode()
    assert commune_rows(page) == [TOWN] and "« Về Kông Chro" in page


def test_another_year_and_a_year_without_a_previous_one(client: Client, reviewed: Any) -> None:
    page = get(client, reviewed.owner, dashboard_url(nam=2022)).content.decode()
    assert "Rà soát định kỳ năm 2022" in page and "Không có số liệu năm trước để so sánh" in page
    assert "37,50 %" in page  # 3 poor of 8
    page = get(client, reviewed.owner, dashboard_url(nam=1999)).content.decode()
    assert "Rà soát định kỳ năm 2023" in page  # a year without a review: the latest


def test_latest_review_is_shown_with_its_assessments_in_the_area(client: Client, reviewed: Any) -> None:
    regular = reviews.review_open(
        area=reviewed.units["district"], year=2023, reference_date=date(2023, 12, 20), kind="regular",
        name="Rà soát thường xuyên tháng 12/2023",
    )  # fmt: skip
    assess(regular, reviewed.units["town"], {"ngheo": 1})
    page = get(client, reviewed.owner, dashboard_url()).content.decode()
    latest = page.split('class="card latest-review"')[1].split("</section>")[0]
    assert "Rà soát thường xuyên tháng 12/2023" in latest and "20/12/2023" in latest
    assert re.search(r"Số phiếu trên địa bàn</dt><dd>1</dd>", latest)
    assert "ND07-2021" in latest
    assert (
        "Rà soát định kỳ năm 2023, chuẩn ND07-2021" in page
    )  # the figures stay those of the periodic review


def test_an_area_without_a_periodic_review(client: Client, personas: Any) -> None:
    page = get(client, personas.owner, dashboard_url()).content.decode()
    assert "Chưa có đợt rà soát định kỳ nào trên địa bàn này." in page


@pytest.mark.parametrize("unit", ["new_commune", "new_province", "district", "town"])
def test_totals_are_those_of_area_stats(reviewed: Any, unit: str) -> None:
    area = reviewed.units[unit]
    board = build_dashboard(area)
    expected = area_stats(area, year=2023)
    assert board.totals is not None
    assert board.totals.current == expected.current and board.totals.previous == expected.previous
    assert sum(row.current.total_households for row in board.communes) == expected.current.total_households


def test_a_year_with_two_periodic_reviews_counts_each_household_once(reviewed: Any) -> None:
    """The household's later assessment counts (reviews.stats), whichever commune it was assessed in."""
    units = reviewed.units
    recheck = open_review(units["yang_trung"], year=2023, reference_date=date(2023, 12, 10))
    assess(recheck, units["yang_trung"], {"ngheo": 2})
    household = reviewed.kongchro_household
    first = open_review(units["town"], year=2023, reference_date=date(2023, 11, 1))
    import_past(first, household, date(2023, 10, 5), 1_000_000, entered=POOR_FLAGS)
    later = open_review(units["town"], year=2023, reference_date=date(2023, 12, 2))
    import_past(later, household, date(2023, 12, 1), 5_000_000)
    for unit in ("new_commune", "town", "new_province"):
        board = build_dashboard(units[unit])
        expected = area_stats(units[unit], year=2023)
        assert board.totals is not None and board.totals.current == expected.current


# Fixed query counts ------------------------------------------------------------------------------------------

# Session, user, the account's role and area (a province resolves its legacy communes in a few lookups), the
# area's communes, the reviews in them, the periodic reviews of the two years, one aggregate per year, the
# communes' rows, the latest review's count: 16 for a commune officer, 19 for province staff; and the targets'
# progress of the year (the area's targets, the entered actuals: 2 more).
MAX_QUERIES = 22


def _grow(reviewed: Any, communes: int) -> None:
    """More legacy communes mapping into new Kông Chro, each with households in both years."""
    units = reviewed.units
    review_2022, review_2023 = (
        Review.objects.get(area=units["district"], year=year, kind="periodic") for year in (2022, 2023)
    )
    for _ in range(communes):
        commune = make_commune(parent=units["district"], valid_to=LEGACY_END, unit_type="Xã")
        UnitSuccession.objects.create(
            predecessor=commune, successor=units["new_commune"], effective_on=REFORM
        )
        assess(review_2022, commune, {"ngheo": 3, "khong_ngheo": 2})
        assess(review_2023, commune, {"ngheo": 1, "can_ngheo": 2, "khong_ngheo": 4})


@pytest.mark.parametrize("name", ["owner", "province", "admin"])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client: Client, reviewed: Any, django_assert_max_num_queries: Any, name: str
) -> None:
    user = reviewed.users()[name]
    params = {"area": reviewed.units["new_province"].pk} if name == "admin" else {}
    client.force_login(user)
    counts = []
    for communes in (2, 12):
        _grow(reviewed, communes)
        with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as queries:
            response = client.get(dashboard_url(**params))
        assert response.status_code == 200
        counts.append(len(queries))
        assert len(commune_rows(response.content.decode())) >= 2 + communes
    assert counts[0] == counts[1]


def test_a_new_area_is_read_by_its_communes_of_today_by_default(client: Client, reviewed: Any) -> None:
    """Province staff of new province 52: by default the households regrouped into today's communes; with
    ?theo=thoi-diem the communes the assessments were made in (legacy, labelled), with the same totals."""
    by_time = get(client, reviewed.province, dashboard_url()).content.decode()
    by_today = get(client, reviewed.province, dashboard_url(theo=None)).content.decode()
    assert commune_rows(by_time) == [TOWN, SRO, YANG_TRUNG]
    assert commune_rows(by_today) == ["Xã Kông Chro (mã mới 23824)", "Xã SRó (mã mới 23839)"]
    assert "đơn vị trước 01/07/2025" in by_time and "đơn vị trước 01/07/2025" not in by_today

    def totals(page: str) -> str:
        return page.split('class="total-row"')[1].split("</tr>")[0]

    assert totals(by_time) == totals(by_today)
    data = chart_data(by_today)
    assert data["communes"] == ["Kông Chro", "SRó"] and data["total"][0] == 11  # town 8 + Yang Trung 3


def test_a_split_commune_is_regrouped_village_by_village(client: Client, reviewed: Any) -> None:
    """The town was split: its village Tơ Mơ went to new SRó (it belongs to SRó today), the rest to new Kông Chro
    (the default successor). Three of the town's 2023 households lived in that village."""
    village = reviewed.kongchro_village
    village.commune = reviewed.units["new_sro"]
    village.save()
    UnitSuccession.objects.create(
        predecessor=reviewed.units["town"],
        successor=reviewed.units["new_sro"],
        effective_on=REFORM,
        is_default=False,
    )
    in_village = Assessment.objects.filter(review__year=2023, commune=reviewed.units["town"]).order_by("pk")[
        :3
    ]
    Assessment.objects.filter(pk__in=[a.pk for a in in_village]).update(village=village)
    page = get(client, reviewed.province, dashboard_url(theo="hien-nay")).content.decode()
    data = chart_data(page)
    assert dict(zip(data["communes"], data["total"], strict=True)) == {"Kông Chro": 11 - 3, "SRó": 4 + 3}


def test_regrouping_by_todays_communes_runs_a_fixed_number_of_queries(
    client: Client, reviewed: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(reviewed.province)
    counts = []
    for communes in (2, 12):
        _grow(reviewed, communes)
        with django_assert_max_num_queries(MAX_QUERIES + 3), CaptureQueriesContext(connection) as queries:
            response = client.get(dashboard_url(theo="hien-nay"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Kept between requests --------------------------------------------------------------------------------------


def test_the_overview_is_kept_until_a_survey_result_changes_it(client: Client, reviewed: Any) -> None:
    """The built overview is kept (reviews.overview.cached_dashboard) and read again as soon as a result is
    written, including one re-recorded in place while its round is open."""
    new_commune = reviewed.units["new_commune"]
    review = open_review(new_commune, year=2026)  # open on the tests' calendar
    poor, _other = assess(review, new_commune, {"ngheo": 1, "khong_ngheo": 1}, registered_on=date(2025, 8, 1))
    client.force_login(reviewed.owner)
    url = dashboard_url(theo=None)
    with CaptureQueriesContext(connection) as built:
        first = client.get(url).content.decode()
    assert sum(chart_data(first)["poor"]) == 1
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url).content.decode()
    assert chart_data(again) == chart_data(first) and commune_rows(again) == commune_rows(first)
    assert len(kept) < len(built) - 4
    before = Assessment.objects.get(review=review, household=poor, superseded=False)
    reviews.assessment_record(
        review=review, household=poor, assessed_on=date(2026, 11, 20), income_per_capita=5_000_000, actor=None
    )
    rerecorded = Assessment.objects.get(review=review, household=poor, superseded=False)
    assert rerecorded.pk == before.pk and rerecorded.poverty_class == "khong_ngheo"  # the same row, changed
    assert sum(chart_data(client.get(url).content.decode())["poor"]) == 0
