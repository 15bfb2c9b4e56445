"""The blank survey workbook on the web: `/cong-viec/mau-bang-tinh.xlsx?chuan=ID`, for every signed-in account,
linked from the upload page; the reader reads what it sends."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.engine.standard import get_standard, load_standards, standard_in_force
from giamngheo.survey.reader import read_survey
from tests.jobs.test_pages import PERSONAS
from tests.survey.test_template import STANDARD_IDS, expected_columns

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def saved(response, tmp_path):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(response.content)
    return path


def test_anonymous_visitors_are_sent_to_login(client: Client):
    for query in ("", "?chuan=ND07-2021", "?chuan=ND99-2040"):
        url = reverse("jobs:template") + query
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login")) and "next=" in response["Location"]


@pytest.mark.parametrize("name", PERSONAS)
def test_every_signed_in_account_gets_the_standard_in_force_by_default(
    client: Client, personas, tmp_path, name
):
    client.force_login(personas.users()[name])
    response = client.get(reverse("jobs:template"))
    in_force = standard_in_force(timezone.localdate())
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == f'attachment; filename="mau-bang-tinh-{in_force.id}.xlsx"'
    survey = read_survey(saved(response, tmp_path), in_force, require_rows=False)
    assert list(survey.headers) == expected_columns(in_force.id) and survey.rows == ()


@pytest.mark.parametrize("standard_id", STANDARD_IDS)
def test_the_standard_asked_for(client: Client, personas, tmp_path, standard_id):
    client.force_login(personas.owner)
    response = client.get(reverse("jobs:template"), {"chuan": standard_id})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert f'filename="mau-bang-tinh-{standard_id}.xlsx"' in response["Content-Disposition"]
    path = saved(response, tmp_path)
    sheet = openpyxl.load_workbook(path)["ho"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [expected_columns(standard_id)]
    assert read_survey(path, get_standard(standard_id), require_rows=False).rows == ()


def test_an_unknown_standard_is_a_404_that_says_why(client: Client, personas):
    client.force_login(personas.owner)
    response = client.get(reverse("jobs:template"), {"chuan": "ND99-2040"})
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    known = ", ".join(sorted(load_standards()))
    assert response.content.decode() == f"Không có chuẩn nghèo «ND99-2040». Các chuẩn có: {known}."


def test_a_day_without_a_standard_in_force_asks_for_one(client: Client, personas, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2040, 1, 1))
    client.force_login(personas.owner)
    response = client.get(reverse("jobs:template"))
    assert response.status_code == 404
    assert "Hôm nay không có chuẩn nghèo nào có hiệu lực; hãy chọn một chuẩn:" in response.content.decode()
    assert client.get(reverse("jobs:template"), {"chuan": "ND351-2025"}).status_code == 200


def test_only_get(client: Client, personas):
    client.force_login(personas.owner)
    assert client.post(reverse("jobs:template")).status_code == 405


def test_in_english_too(client: Client, personas):
    client.force_login(personas.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # what the language switch sets
    response = client.get(reverse("jobs:template"), {"chuan": "ND99-2040"})
    assert response.content.decode().startswith("There is no poverty standard “ND99-2040”.")


def test_the_upload_page_links_to_every_template(client: Client, personas):
    client.force_login(personas.owner)
    page = client.get(reverse("jobs:upload")).content.decode()
    url = reverse("jobs:template")
    assert "Tải bảng tính mẫu (.xlsx)" in page
    assert f'href="{url}"' in page
    for standard_id in STANDARD_IDS:
        assert f'href="{url}?chuan={standard_id}"' in page
