"""The household page: members, living conditions, assessments over the years with class, explanation and
indicators, the classification on today's facts, a readable history, and a fixed number of queries."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giamngheo.registry import services
from tests.registry.factories import make_person
from tests.reviews.helpers import import_past, open_review
from tests.web.test_edit_forms import Scenario, form_data, scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: Any, client: Client) -> Scenario:
    client.force_login(personas.owner)
    return scenario(personas)


def _page(client: Client, world: Scenario) -> str:
    response = client.get(reverse("web:household-detail", args=[world.household.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_page_shows_members_conditions_assessments_and_the_current_class(
    client: Client, world: Scenario
) -> None:
    page = _page(client, world)
    assert "Đinh Văn Hùng" in page and "Đinh Thị Lan" in page and "Vợ/chồng" in page
    assert "Sông, suối, ao, hồ" in page and "Hố xí đào, tạm bợ" in page  # living conditions
    assert world.review.name in page and "Hộ cận nghèo" in page
    assert "thiếu hụt 2/12" in page and "1.000.000đ ≤ chuẩn 1.500.000đ (nông thôn)" in page  # explanation
    assert "✗ Nguồn nước sinh hoạt" in page and "✓ Bảo hiểm y tế" in page  # indicators
    assert "Phân loại theo dữ liệu hiện tại" in page
    assert "Phiếu rà soát gần nhất khớp với dữ liệu hộ hiện nay." in page


def test_assessments_over_the_years(client: Client, personas: Any, world: Scenario) -> None:
    older = open_review(personas.units["town"], year=2023)
    import_past(older, world.household, date(2023, 11, 20), 1_400_000)
    page = _page(client, world)
    assert page.index(world.review.name) < page.index(older.name)  # newest first
    assert "1.400.000đ" in page


def test_history_is_readable_with_actor_and_old_to_new(
    client: Client, personas: Any, world: Scenario
) -> None:
    url = reverse("web:member-edit", args=[world.household.pk, world.wife.pk])
    client.post(url, form_data(client.get(url).context["form"], has_health_insurance="False"))
    page = _page(client, world)
    row = page[page.index('<tr class="event member_updated">') :]
    row = row[: row.index("</tr>")]
    assert "xa.kongchro" in row and "Sửa thông tin thành viên «Đinh Thị Lan»" in row
    assert 'data-field="has_health_insurance"' in row
    assert 'Có bảo hiểm y tế: <span class="old">có</span> → <span class="new">không</span>' in row
    # Assessments are described with class names and indicator names, not codes.
    assert 'Phân loại: <span class="old">—</span> → <span class="new">Hộ cận nghèo</span>' in page
    assert "Nguồn nước sinh hoạt, Nhà tiêu hợp vệ sinh" in page
    assert "1.000.000đ" in page


def test_history_has_no_edit_or_delete_action(client: Client, world: Scenario) -> None:
    page = _page(client, world)
    history = page[page.index('id="lich-su"') :]
    assert "<form" not in history and "<button" not in history


def _grow(world: Scenario, personas: Any) -> None:
    """More members, a past member, more living-conditions records, assessments and history entries."""
    for number in range(6):
        make_person(world.household, full_name=f"Con thứ {number}", birth_date=date(2010 + number, 1, 1))
    leaver = make_person(world.household, full_name="Người đã chuyển đi")
    services.member_leave(
        membership=leaver.memberships.get(),
        end_date=date(2024, 5, 1),
        reason="moved_out",
        actor=personas.owner,
    )
    services.living_conditions_record(
        household=world.household, recorded_on=date(2024, 6, 1), actor=personas.owner, water_source="piped"
    )
    for year in (2023, 2024):
        import_past(
            open_review(personas.units["town"], year=year), world.household, date(year, 11, 20), 900_000
        )


def test_query_count_does_not_grow_with_members_assessments_and_events(
    client: Client, personas: Any, world: Scenario
) -> None:
    url = reverse("web:household-detail", args=[world.household.pk])
    client.get(url)  # warm caches that belong to the process, not the page (standards files, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, personas)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200 and "Con thứ 5" in response.content.decode()
    assert len(world.household.events.all()) > 15
    assert len(large.captured_queries) == len(small.captured_queries)


def test_page_stays_within_a_fixed_number_of_queries(
    client: Client, personas: Any, world: Scenario, django_assert_max_num_queries: Any
) -> None:
    _grow(world, personas)
    url = reverse("web:household-detail", args=[world.household.pk])
    client.get(url)
    # 14: with the regular round a re-record would go into once the latest round has closed.
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_the_page_names_the_answers_still_needed_and_whether_they_could_change_the_class(
    client: Client, world: Scenario
) -> None:
    # A child in school whose level is not recorded: the schooling indicator cannot be decided, and as the
    # household is one deprivation short of poor, it could change the class.
    make_person(world.household, full_name="Đinh Thị Na", birth_date=date(2017, 3, 1), in_education=True,
                has_health_insurance=True, malnourished=False)  # fmt: skip
    page = _page(client, world)
    panel = page[page.index('id="phan-loai"') :]
    assert "Chưa kết luận được: nếu các chỉ số chưa rõ là thiếu hụt, hộ sẽ là Hộ nghèo." in panel
    assert "Tình trạng đi học của trẻ em: cấp học đang theo học (Đinh Thị Na, 9 tuổi)" in panel
    # Once recorded, the indicator is decided and nothing is asked for.
    child = world.household.memberships.get(person__full_name="Đinh Thị Na").person
    services.member_update(person=child, actor=None, on=date(2026, 11, 20), school_level="primary")
    page = _page(client, world)
    assert "Cần ghi thêm" not in page[page.index('id="phan-loai"') : page.index('id="ra-soat"')]


def test_the_page_explains_in_english_when_english_is_chosen(client: Client, world: Scenario) -> None:
    client.cookies["django_language"] = "en"
    page = _page(client, world)
    assert "income 1.000.000đ ≤ line 1.500.000đ (rural); deprived on 2/12" in page
    assert "domestic water (water source: rivers, streams, ponds, lakes)" in page
    assert "✗ Domestic water" in page and "✓ Health insurance" in page
    assert "a near-poor household (standard ND07-2021)" in page


def test_the_page_names_low_income_workers(client: Client, personas: Any, world: Scenario) -> None:
    # NĐ 30/2025: a household that is neither poor nor near-poor with at most 2,250,000 đồng per person per month
    # (rural): its workers are low-income workers.
    from giamngheo.reviews.services import assessment_record

    assessment_record(review=world.review, household=world.household, assessed_on=date(2026, 11, 17),
                      income_per_capita=2_000_000, actor=personas.owner)  # fmt: skip
    page = _page(client, world)
    assert "người lao động của hộ là người lao động có thu nhập thấp (Nghị định 30/2025/NĐ-CP)" in page
    assert "Đinh Văn Hùng, Đinh Thị Lan" in page
    assessment_record(review=world.review, household=world.household, assessed_on=date(2026, 11, 18),
                      income_per_capita=2_250_001, actor=personas.owner)  # fmt: skip
    assert "người lao động có thu nhập thấp" not in _page(client, world)
