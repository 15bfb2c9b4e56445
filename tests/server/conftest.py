"""Helpers for tests that run `giamngheo` in a child process with an environment of their own."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

# Variables of the developer's or CI's environment that would change what the child process does.
CLEARED = (
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "DATABASE_URL",
    "DEBUG",
    "HTTPS",
    "ALLOWED_HOSTS",
    "REDIS_URL",
    "HOST",
    "PORT",
    "WEB_WORKERS",
    "WEB_THREADS",
    # Set by the browser tests' conftest (Playwright's sync API runs in the test thread); a production process
    # never has it, and `check --deploy` rightly fails on it (async.E001).
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def child_environment(data_dir: Path, **values: str) -> dict[str, str]:
    """This process's environment without the variables above, with its own data folder (so its own SQLite
    database and key file) and the given values."""
    environment = {name: value for name, value in os.environ.items() if name not in CLEARED}
    environment["GIAMNGHEO_DATA_DIR"] = str(data_dir)
    environment["DJANGO_SETTINGS_MODULE"] = "giamngheo.settings"
    environment.update(values)
    return environment


def run_giamngheo(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "giamngheo.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
