"""Dates are day/month/year (02/12/2026: two-digit day and month, four-digit year) on every page, in Vietnamese
and in English, through Django's format localisation (settings.FORMAT_MODULE_PATH, giamngheo/formats); date
fields show their value that way and read it back, ISO 2026-12-02 included."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from giamngheo.jobs.models import Job, JobKind, JobStatus
from giamngheo.registry.models import LivingConditions
from tests.registry.factories import make_person
from tests.reviews.helpers import import_past, open_review
from tests.web.test_dashboard import assess
from tests.web.test_edit_forms import Scenario, open_form, scenario

pytestmark = pytest.mark.django_db

LANGUAGES = ["vi", "en"]
HANOI = ZoneInfo(settings.TIME_ZONE)
# What Django's own formats would show: "Dec. 2, 2026", "December 2, 2026", "2 tháng 12", "02-12-2026", "12/02/2026".
MONTH_WORDS = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}|tháng \d{1,2} năm \d{4}"
)
DASHED = re.compile(r"\b\d{2}-\d{2}-\d{4}\b")


@pytest.fixture
def world(personas: Any, client: Client) -> Scenario:
    client.force_login(personas.owner)
    return scenario(personas)


def in_language(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def assert_no_other_date_style(page: str) -> None:
    assert not MONTH_WORDS.search(page), MONTH_WORDS.search(page)
    assert not DASHED.search(page), DASHED.search(page)


# The formats ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_formats_of_each_language_are_day_month_year(language: str) -> None:
    moment = datetime(2026, 12, 2, 14, 5, tzinfo=HANOI)
    with translation.override(language):
        assert formats.date_format(date(2026, 12, 2)) == "02/12/2026"
        assert formats.date_format(date(2026, 3, 5), "SHORT_DATE_FORMAT") == "05/03/2026"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "02/12/2026 14:05"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "02/12/2026 14:05"
        assert formats.get_format("DATE_INPUT_FORMATS")[:2] == ["%d/%m/%Y", "%Y-%m-%d"]
        assert formats.localize(date(2026, 12, 2)) == "02/12/2026"  # {{ a_date }} without a filter


def test_numbers_keep_each_languages_own_formats() -> None:
    """Only dates are shared: the modules set no number format, so Django's per-language ones still apply."""
    with translation.override("vi"):
        assert formats.get_format("DECIMAL_SEPARATOR") == ","
    with translation.override("en"):
        assert formats.get_format("DECIMAL_SEPARATOR") == "."


# Pages ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_household_page_shows_every_date_day_month_year(
    client: Client, world: Scenario, personas: Any, language: str
) -> None:
    make_person(world.household, full_name="Đinh Văn Bé", birth_date=date(2019, 12, 2))
    older = open_review(personas.units["town"], year=2023, reference_date=date(2023, 12, 2))
    import_past(older, world.household, date(2023, 12, 2), 1_400_000)
    response = in_language(client, language).get(reverse("web:household-detail", args=[world.household.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "02/12/2019" in page  # a member's date of birth
    assert "02/12/2023" in page and "16/11/2026" in page  # assessments
    assert "01/01/2020" in page  # living conditions
    today = datetime.now(HANOI).strftime("%d/%m/%Y")
    assert re.search(rf"{today} \d{{2}}:\d{{2}}", page)  # a history entry's time
    assert_no_other_date_style(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_overview_shows_the_reviews_reference_date_day_month_year(
    client: Client, personas: Any, language: str
) -> None:
    review = open_review(personas.units["district"], year=2023, reference_date=date(2023, 12, 2))
    assess(review, personas.units["town"], {"ngheo": 1, "khong_ngheo": 1})
    client.force_login(personas.owner)
    page = in_language(client, language).get(reverse("web:dashboard")).content.decode()
    assert "02/12/2023" in page
    assert (
        "30/06/2025" in page
    )  # what the new commune includes: legacy units "until 30/06/2025", in English too
    assert_no_other_date_style(page)


def test_in_english_a_page_never_writes_the_month_in_words(client: Client, world: Scenario) -> None:
    page = in_language(client, "en").get(reverse("web:household-detail", args=[world.household.pk]))
    text = page.content.decode()
    assert "16/11/2026" in text and "Nov. 16, 2026" not in text and "November" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_job_pages_show_times_day_month_year(client: Client, personas: Any, language: str) -> None:
    job = Job.objects.create(
        started_by=personas.owner, kind=JobKind.WORKBOOK, input_name="ho.csv", input_file="jobs/ho.csv",
        standard_code="ND07-2021",
        status=JobStatus.DONE, created_at=datetime(2026, 12, 2, 14, 5, 9, tzinfo=HANOI),
        finished_at=datetime(2026, 12, 2, 14, 6, 1, tzinfo=HANOI),
    )  # fmt: skip
    client.force_login(personas.owner)
    in_language(client, language)
    listing = client.get(reverse("jobs:list")).content.decode()
    assert "02/12/2026 14:05" in listing
    detail = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "02/12/2026 14:05:09" in detail and "02/12/2026 14:06:01" in detail
    assert_no_other_date_style(listing + detail)


# Forms ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_field_shows_its_value_day_month_year(client: Client, world: Scenario, language: str) -> None:
    url = reverse("web:member-edit", args=[world.household.pk, world.wife.pk])
    page = in_language(client, language).get(url).content.decode()
    field = re.search(r'<input[^>]*name="birth_date"[^>]*>', page)
    assert field is not None
    assert 'value="01/05/1982"' in field.group(0) and 'type="text"' in field.group(0)
    # A birth date may be known to the month or the year only (NĐ 135/2020 Điều 3 khoản 3).
    placeholder = {"vi": "ngày/tháng/năm, tháng/năm hoặc năm", "en": "dd/mm/yyyy, mm/yyyy or yyyy"}[language]
    assert f'placeholder="{placeholder}"' in field.group(0)
    leave = in_language(client, language).get(
        reverse("web:member-leave", args=[world.household.pk, world.wife.pk])
    )
    date_field = re.search(r'<input[^>]*name="end_date"[^>]*>', leave.content.decode())
    assert date_field is not None
    assert f'placeholder="{ {"vi": "ngày/tháng/năm", "en": "dd/mm/yyyy"}[language] }"' in date_field.group(0)


def test_a_commune_that_ended_says_until_when_day_month_year(client: Client, world: Scenario) -> None:
    page = in_language(client, "en").get(reverse("web:household-edit", args=[world.household.pk]))
    assert "Kông Chro (old code 23824, until 30/06/2025)" in page.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_typed_day_month_year_is_saved_as_that_day(
    client: Client, world: Scenario, language: str
) -> None:
    url = reverse("web:living-conditions", args=[world.household.pk])
    in_language(client, language)
    response = client.post(url, open_form(client, url, recorded_on="05/03/2024"))
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = LivingConditions.objects.filter(household=world.household).order_by("-recorded_on").first()
    assert latest is not None and latest.recorded_on == date(2024, 3, 5)  # 5 March, not 3 May


def test_an_iso_date_is_still_read(client: Client, world: Scenario) -> None:
    url = reverse("web:living-conditions", args=[world.household.pk])
    response = client.post(url, open_form(client, url, recorded_on="2024-03-05"))
    assert response.status_code == 302
    assert LivingConditions.objects.filter(household=world.household, recorded_on=date(2024, 3, 5)).exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_month_first_date_is_refused_not_misread(client: Client, world: Scenario, language: str) -> None:
    url = reverse("web:living-conditions", args=[world.household.pk])
    in_language(client, language)
    response = client.post(url, open_form(client, url, recorded_on="03/25/2024"))  # 25 March, US order
    assert response.status_code == 422
    message = {"vi": "không phải là ngày hợp lệ (ngày/tháng/năm)", "en": "not a valid date (day/month/year)"}
    assert message[language] in response.content.decode()


# Templates --------------------------------------------------------------------------------------------------

NAMED_FORMATS = {"DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"}


def test_templates_use_the_named_date_formats() -> None:
    """Hand-written formats (|date:"d/m/Y") would bypass the per-language formats; |time may set the precision."""
    root = Path(settings.BASE_DIR) / "giamngheo"
    found = {
        str(path.relative_to(root)): argument
        for path in root.rglob("templates/**/*.html")
        for argument in re.findall(r'\|date:"([^"]*)"', path.read_text())
        if argument not in NAMED_FORMATS
    }
    assert found == {}
