"""Error pages (giamngheo.web.errors) with DEBUG=False, as the test settings run: 400, 403, 404 and 500 inside the
site's layout, with the reason the view raised and a way back; Vietnamese first, English in English mode; the
500 page still renders when the database is down, the request context is broken or the layout itself fails.

The views that raise 400 and 500 live in this module's own URL configuration (`urlpatterns` below, used through
`override_settings(ROOT_URLCONF=__name__)`), which also installs the site's handlers.
"""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from giamngheo import urls as site_urls
from tests.web.test_edit_forms import form_data, scenario

pytestmark = pytest.mark.django_db

REASON_404 = "Không tìm thấy hộ gia đình."
REASON_403 = "Tài khoản của bạn chỉ được xem, không được sửa hộ này."


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


def _database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("could not connect to server")


def _suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("an internal detail the user must not see")


urlpatterns = [
    path("loi/500/", _boom),
    path("loi/csdl/", _database_down),
    path("loi/400/", _suspicious),
    path("api/loi/500/", _boom),  # before the API's own catch-all
    *site_urls.urlpatterns,
]
handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500

use_test_urls = override_settings(ROOT_URLCONF=__name__)


def broken_context_processor(request: HttpRequest) -> dict[str, Any]:
    raise RuntimeError("a context processor that fails")


def with_broken_context_processor() -> Any:
    templates = [{**settings.TEMPLATES[0]}]
    options = templates[0]["OPTIONS"]
    templates[0]["OPTIONS"] = {
        **options,
        "context_processors": [*options["context_processors"], f"{__name__}.broken_context_processor"],
    }
    return override_settings(TEMPLATES=templates)


def in_layout(page: str) -> bool:
    return '<header class="topbar">' in page and '<footer class="footer">' in page and "web/app.css" in page


def heading(page: str) -> str:
    """The page's <h1> as text."""
    match = re.search(r"<h1>(.*?)</h1>", page, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else ""


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# 404 --------------------------------------------------------------------------------------------------------


def test_a_missing_household_is_a_404_in_the_layout_with_its_reason(client: Client, personas: Any) -> None:
    client.force_login(personas.owner)
    response = client.get("/ho/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert in_layout(page)
    assert REASON_404 in page and heading(page) == "Không tìm thấy (404)"
    assert f'href="{reverse("web:household-list")}"' in page and "Về danh sách hộ" in page
    assert "Tổng quan" in page and personas.owner.username in page  # the account's menu in the top bar


def test_missing_and_out_of_area_stay_byte_identical(client: Client, personas: Any) -> None:
    client.force_login(personas.owner)
    out_of_area = client.get(reverse("web:household-detail", args=[personas.sro_household.pk]))
    missing = client.get(reverse("web:household-detail", args=[personas.sro_household.pk + 10_000]))
    assert out_of_area.status_code == missing.status_code == 404
    assert out_of_area.content == missing.content
    assert b"csrfmiddlewaretoken" not in missing.content and b"X-CSRFToken" not in missing.content


def test_the_404_page_in_english(client: Client, personas: Any) -> None:
    client.force_login(personas.owner)
    page = english(client).get("/ho/999999/").content.decode()
    assert 'lang="en"' in page and "Household not found." in page and heading(page) == "Not found (404)"
    assert "Back to household list" in page
    assert REASON_404 not in page


def test_an_unknown_address_is_a_404_with_a_general_reason_and_a_sign_in_link(client: Client) -> None:
    response = client.get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404 and in_layout(page)
    assert "Không tìm thấy trang này." in page
    assert "khong-co-trang-nay" not in page  # nothing from the request is repeated
    assert f'href="{reverse("login")}"' in page and "Đăng nhập" in page


def test_a_way_back_to_the_previous_page_of_this_site_only(client: Client, personas: Any) -> None:
    client.force_login(personas.owner)
    came_from = "/?q=dinh&trang=2"
    page = client.get("/ho/999999/", headers={"referer": f"http://testserver{came_from}"}).content.decode()
    assert 'href="/?q=dinh&amp;trang=2"' in page and "Quay lại trang trước" in page
    for referer in ("https://example.com/ho/1/", "http://testserver//example.com/ho/1/"):
        elsewhere = client.get("/ho/999999/", headers={"referer": referer}).content.decode()
        assert "example.com" not in elsewhere and "Quay lại trang trước" not in elsewhere


def test_a_404_with_a_broken_request_context_still_renders_in_the_layout(
    client: Client, personas: Any
) -> None:
    client.force_login(personas.owner)
    with with_broken_context_processor():
        response = client.get("/ho/999999/")
    assert response.status_code == 404
    assert in_layout(response.content.decode()) and REASON_404 in response.content.decode()


# 403 --------------------------------------------------------------------------------------------------------


def test_a_read_only_accounts_write_is_a_403_in_the_layout_with_its_reason(
    client: Client, personas: Any
) -> None:
    world = scenario(personas)
    url = reverse("web:member-edit", args=[world.household.pk, world.wife.pk])
    client.force_login(personas.owner)
    data = form_data(client.get(url).context["form"], has_health_insurance="False")

    client.force_login(personas.viewer)
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 403
    assert in_layout(page)
    assert REASON_403 in page and heading(page) == "Không được phép (403)"
    assert "Về danh sách hộ" in page
    assert f'href="{reverse("login")}"' in page and "Đăng nhập bằng tài khoản khác" in page


def test_the_403_page_in_english(client: Client, personas: Any) -> None:
    world = scenario(personas)
    client.force_login(personas.viewer)
    page = english(client).get(reverse("web:household-edit", args=[world.household.pk])).content.decode()
    assert "Your account can only view this household, not edit it." in page
    assert heading(page) == "Not allowed (403)" and "Log in with another account" in page


def test_a_403_without_a_message_gets_a_general_reason(client: Client, personas: Any) -> None:
    client.force_login(personas.viewer)
    response = client.get(reverse("web:household-villages"))
    assert response.status_code == 403
    assert "Tài khoản của bạn không được làm việc này." in response.content.decode()


def test_a_stale_form_refused_by_the_csrf_check_gets_the_403_page(personas: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.owner)
    response = client.post(reverse("logout"))
    page = response.content.decode()
    assert response.status_code == 403 and in_layout(page)
    assert "Biểu mẫu này đã cũ" in page and "CSRF" not in page


# 500 and 400 ------------------------------------------------------------------------------------------------


@use_test_urls
def test_a_view_that_raises_gives_the_500_page_in_the_layout(client: Client, personas: Any) -> None:
    client.raise_request_exception = False
    client.force_login(personas.owner)
    response = client.get("/loi/500/")
    page = response.content.decode()
    assert response.status_code == 500
    assert in_layout(page)
    assert heading(page) == "Lỗi máy chủ (500)" and "lỗi đã được ghi lại" in page
    assert f'href="{reverse("web:household-list")}"' in page
    assert "a bug in a view" not in page and "RuntimeError" not in page


@use_test_urls
def test_the_500_page_in_english(client: Client) -> None:
    client.raise_request_exception = False
    page = english(client).get("/loi/500/").content.decode()
    assert 'lang="en"' in page and heading(page) == "Server error (500)"


@use_test_urls
def test_the_500_page_renders_when_the_database_is_down(client: Client, personas: Any) -> None:
    client.raise_request_exception = False
    client.force_login(personas.owner)
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("database down")),
    ):
        response = client.get("/loi/csdl/")
    assert response.status_code == 500
    assert in_layout(response.content.decode()) and heading(response.content.decode()) == "Lỗi máy chủ (500)"
    assert len(queries) == 0


@use_test_urls
def test_the_500_page_renders_with_a_broken_request_context(client: Client) -> None:
    client.raise_request_exception = False
    with with_broken_context_processor():
        response = client.get("/loi/500/")
    assert response.status_code == 500 and in_layout(response.content.decode())


@use_test_urls
def test_when_the_layout_fails_the_500_page_is_plain_html(client: Client) -> None:
    client.raise_request_exception = False
    with mock.patch("giamngheo.web.errors.loader.get_template", side_effect=RuntimeError("broken template")):
        response = client.get("/loi/500/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Lỗi máy chủ</h1>" in page and "lỗi đã được ghi lại" in page and 'href="/"' in page


@use_test_urls
def test_a_bad_request_gives_the_400_page_without_the_internal_detail(client: Client) -> None:
    response = client.get("/loi/400/")
    page = response.content.decode()
    assert response.status_code == 400 and in_layout(page)
    assert heading(page) == "Yêu cầu không hợp lệ (400)" and "internal detail" not in page


# The API keeps its JSON errors ------------------------------------------------------------------------------


def test_the_api_still_answers_its_errors_in_json(client: Client, personas: Any) -> None:
    client.force_login(personas.owner)
    unknown = client.get("/api/khong-co/")
    assert unknown.status_code == 404 and unknown["Content-Type"].startswith("application/json")
    household = client.get(f"/api/households/{personas.sro_household.pk}")
    assert household.status_code == 404 and household.json() == {"message": REASON_404}


@use_test_urls
def test_an_error_under_api_outside_the_api_is_json_too(client: Client) -> None:
    client.raise_request_exception = False
    response = client.get("/api/loi/500/")
    assert response.status_code == 500 and response.json() == {"message": "Lỗi máy chủ; lỗi đã được ghi lại."}
