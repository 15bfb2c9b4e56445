"""pytest plugin (`-p giamngheo.server.pytest_plugin` in pyproject's addopts): the test run's SECRET_KEY.

The settings refuse to load without a key (giamngheo/server/secret_key.py), and pytest-django loads them in its own
`pytest_load_initial_conftests` hook, before any conftest.py is imported. This hook wraps that one, so the data
folder's key file exists (created once, random, mode 0600; reused afterwards) before the settings load — for
`make test`, a plain `.venv/bin/pytest` and a clean clone alike. The tests' child processes (`giamngheo ...`)
inherit the environment and find the same file. A key given by SECRET_KEY or SECRET_KEY_FILE is used as it is.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from giamngheo.server.secret_key import ensure_key


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(
    early_config: Any, parser: Any, args: list[str]
) -> Generator[None, None, None]:
    ensure_key()
    return (yield)
