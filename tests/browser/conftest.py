"""Browser tests: Playwright drives Debian's chromium (`apt-get install chromium`; no browser download) against
pytest-django's live server.

`CHROMIUM` overrides the browser path. Without a browser the tests fail with a message saying how to install one
(CI installs it), rather than being skipped silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.decisions.conftest import commune_2026  # noqa: F401 — a fixture of the procedure's tests

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it are still plain
# synchronous code, so Django's async-safety guard is lifted for these tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail(
            "Chromium not found: install Debian's package (`apt-get install chromium`) or set CHROMIUM."
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page: Any, username: str, password: str) -> None:
    """Sign in through the login form and wait for the first page."""
    page.goto("/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)


@pytest.fixture(autouse=True)
def _procedure_rules(transactional_db: Any) -> None:
    """A transactional test flushes the tables after it, the rows data migrations wrote included: put the review
    procedure's rules back as the migration seeds them."""
    import importlib

    from giamngheo.decisions.models import ProcedureRule

    if not ProcedureRule.objects.exists():
        seed = importlib.import_module("giamngheo.decisions.migrations.0004_procedure_rules")
        for row in seed.RULES:
            ProcedureRule.objects.create(**row)
