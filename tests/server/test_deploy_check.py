"""`giamngheo check --deploy` is clean under production settings (HTTPS=1, DEBUG off, a long random key, the
site's host), and the settings the environment turns on (HTTPS, CSRF origins, the Redis cache) are what they say."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.server.conftest import child_environment, run_giamngheo

PRODUCTION = {"HTTPS": "1", "DEBUG": "0", "ALLOWED_HOSTS": "example.gov.vn"}


def production(tmp_path: Path, **values: str) -> dict[str, str]:
    return child_environment(tmp_path, **{"SECRET_KEY": secrets.token_urlsafe(50), **PRODUCTION, **values})


def test_the_deployment_check_is_clean_in_production(tmp_path: Path) -> None:
    result = run_giamngheo("check", "--deploy", "--fail-level", "WARNING", env=production(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_without_https_the_deployment_check_names_what_is_missing(tmp_path: Path) -> None:
    """The clean result above is earned: plain HTTP fails the same check on cookies, HSTS and the redirect."""
    env = production(tmp_path, HTTPS="0")
    result = run_giamngheo("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr + result.stdout, check


def settings_in(env: dict[str, str], *names: str) -> dict[str, Any]:
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_https_turns_on_secure_cookies_hsts_the_proxy_header_and_the_trusted_origins(tmp_path: Path) -> None:
    env = production(tmp_path, ALLOWED_HOSTS="giamngheo.gialai.gov.vn,.sogialai.gov.vn,*")
    values = settings_in(
        env,
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "CSRF_TRUSTED_ORIGINS",
    )
    assert values["SECURE_SSL_REDIRECT"] and values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://giamngheo.gialai.gov.vn", "https://*.sogialai.gov.vn"]
    # The redirect can be left to the proxy; plain HTTP turns everything off.
    assert settings_in({**env, "SECURE_SSL_REDIRECT": "0"}, "SECURE_SSL_REDIRECT") == {
        "SECURE_SSL_REDIRECT": False
    }
    plain = settings_in(
        {**env, "HTTPS": "0"}, "SESSION_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER", "CSRF_TRUSTED_ORIGINS"
    )
    assert plain == {
        "SESSION_COOKIE_SECURE": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "CSRF_TRUSTED_ORIGINS": [],
    }


def test_redis_url_makes_the_cache_shared(tmp_path: Path) -> None:
    env = production(tmp_path, REDIS_URL="redis://127.0.0.1:6379/7")
    cache = settings_in(env, "CACHES")["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/7" and cache["KEY_PREFIX"] == "giamngheo"
    local = settings_in(production(tmp_path), "CACHES")["CACHES"]["default"]
    assert local["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
