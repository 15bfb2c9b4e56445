"""Security headers on every page, and pages the Content Security Policy does not break.

The policy allows scripts and styles from the site's own files only (no 'unsafe-inline'): an inline <script>, a
<style> element, a `style` attribute or an `on...` handler in a page would be blocked by the browser, and the page
would silently lose it. So every main page is fetched and its HTML checked for all four, beside the headers.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.jobs import services
from giamngheo.jobs.models import Job, JobStatus
from tests.jobs.helpers import run_worker, upload_of
from tests.survey.conftest import household, survey_headers, write_csv

pytestmark = pytest.mark.django_db


class InlineCode(HTMLParser):
    """Collects what a strict Content Security Policy blocks: inline scripts, <style>, style=, on*= (and htmx's
    hx-on, which htmx evaluates as code)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.tags = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        names = {name.lower() for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append(f"<script> without src: {self.get_starttag_text()}")
        if tag == "style":
            self.found.append("<style> element")
        for name in names:
            if name == "style" or name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f"{name}= on <{tag}>: {self.get_starttag_text()}")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    assert parser.tags > 10  # a real page was parsed
    return parser.found


def assert_secure_headers(response) -> None:  # type: ignore[no-untyped-def]
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in (part.strip() for part in response["Content-Security-Policy"].split(";"))
        if directive
    }
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)
    assert response["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin"}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Server" not in response


@pytest.fixture
def finished_job(personas, tmp_path) -> Job:
    source = write_csv(tmp_path / "ho.csv", survey_headers(), [household("H1"), household("H2")])
    job = services.workbook_classify_start(
        actor=personas.owner, upload=upload_of(source), standard_id="ND07-2021"
    )
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    return job


def test_the_login_page(client: Client, db: None) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_secure_headers(response)
    assert inline_code(response.content.decode()) == []


def test_the_main_pages_carry_the_headers_and_no_inline_code(client: Client, personas, finished_job) -> None:
    client.force_login(personas.owner)
    pk = personas.kongchro_household.pk
    pages = [
        reverse("web:household-list"),
        reverse("web:household-list") + "?q=dinh",
        reverse("web:household-print"),
        reverse("web:dashboard"),
        reverse("web:household-detail", args=[pk]),
        reverse("web:household-edit", args=[pk]),
        reverse("web:member-add", args=[pk]),
        reverse("web:living-conditions", args=[pk]),
        reverse("web:assessment-add", args=[pk]),
        reverse("web:household-create"),
        reverse("web:tokens"),
        reverse("jobs:list"),
        reverse("jobs:upload"),
        reverse("jobs:classify-area"),
        reverse("jobs:detail", args=[finished_job.pk]),
        reverse("password_change"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secure_headers(response)
        assert inline_code(response.content.decode()) == [], url


def test_error_pages_and_static_files_carry_the_headers_too(client: Client, personas) -> None:
    client.force_login(personas.owner)
    missing = client.get(reverse("web:household-detail", args=[personas.far_household.pk]))
    assert missing.status_code == 404
    assert_secure_headers(missing)
    assert inline_code(missing.content.decode()) == []


def test_htmx_adds_no_inline_style_and_runs_no_inline_code(client: Client, personas) -> None:
    """htmx would insert a <style> for its indicators at run time: base.html turns that off (app.css has the rules),
    and forbids it to run scripts from swapped content or evaluate attributes."""
    client.force_login(personas.owner)
    html = client.get(reverse("web:household-list")).content.decode()
    assert (
        """<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowScriptTags":false,"allowEval":false}'>"""
        in html
    )
    from django.contrib.staticfiles import finders

    css = finders.find("web/app.css")
    assert css is not None
    with open(css, encoding="utf-8") as handle:
        rules = handle.read()
    assert ".htmx-indicator {" in rules and ".htmx-request .htmx-indicator" in rules


def test_the_inline_code_check_finds_what_the_policy_blocks() -> None:
    page = "<html><head><title>t</title></head><body>" + "<p>x</p>" * 10
    assert inline_code(page + '<script src="/static/a.js"></script></body></html>') == []
    found = inline_code(
        page + "<script>alert(1)</script><style>p{}</style><div style='color:red'></div>"
        "<button onclick='go()'>b</button><img src=x onerror=y><a hx-on:click='z'>a</a></body></html>"
    )
    assert [item.split()[0] for item in found] == [
        "<script>",
        "<style>",
        "style=",
        "onclick=",
        "onerror=",
        "hx-on:click=",
    ]
