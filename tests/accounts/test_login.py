"""Signing in: throttling by account and address (django-axes), session expiry settings, password validation.

Every throttling test runs with both of the handlers the settings choose from: the database one (no Redis) and the
cache one (Redis when REDIS_URL is set; the in-process cache otherwise, enough to check the counting itself).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.lockout import client_address
from tests.accounts.signin_helpers import ELSEWHERE, HOME, PASSWORD, officer, sign_in, signed_in

pytestmark = pytest.mark.django_db

LOCKED = "Đăng nhập sai quá nhiều lần"


@pytest.fixture(autouse=True, params=["DatabaseHandler", "CacheHandler"])
def handler(request: pytest.FixtureRequest, settings):  # type: ignore[no-untyped-def]
    settings.AXES_HANDLER = f"giamngheo.accounts.lockout.{request.param}"
    cache.clear()
    yield request.param
    cache.clear()


def _fail(client: Client, username: str, times: int, **kwargs: object) -> list[int]:
    return [sign_in(client, username, "sai", **kwargs).status_code for _ in range(times)]  # type: ignore[arg-type]


def test_an_account_is_refused_from_its_address_after_the_limit_even_with_the_right_password(
    client: Client,
) -> None:
    officer("canbo")
    statuses = _fail(client, "canbo", settings.LOGIN_FAILURE_LIMIT)
    assert statuses[:-1] == [200] * (settings.LOGIN_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    response = sign_in(client, "canbo", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and f"{settings.LOGIN_LOCKOUT_SECONDS // 60} phút" in page
    assert 'name="password"' in page  # the sign-in page itself, with the reason
    assert not signed_in(client)


def test_nobody_can_lock_a_named_officer_out_from_another_address(client: Client) -> None:
    officer("canbo")
    _fail(client, "canbo", settings.LOGIN_FAILURE_LIMIT + 3, address=HOME)
    assert sign_in(client, "canbo", PASSWORD, address=HOME).status_code == 429
    response = sign_in(Client(), "canbo", PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302


def test_one_address_trying_passwords_across_accounts_is_stopped(client: Client) -> None:
    per_account = settings.LOGIN_FAILURE_LIMIT - 1  # never enough to lock any one account
    accounts = -(-settings.LOGIN_ADDRESS_FAILURE_LIMIT // per_account)
    statuses: list[int] = []
    for n in range(accounts):
        officer(f"canbo{n}")
        statuses += _fail(client, f"canbo{n}", per_account)
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert statuses[limit - 1] == 429
    officer("moi")
    assert sign_in(client, "moi", PASSWORD).status_code == 429  # any account, from that address
    assert sign_in(Client(), "moi", PASSWORD, address=ELSEWHERE).status_code == 302


def test_a_successful_sign_in_clears_that_accounts_count(client: Client) -> None:
    officer("canbo")
    for _ in range(2):
        assert _fail(client, "canbo", settings.LOGIN_FAILURE_LIMIT - 1) == [200] * (
            settings.LOGIN_FAILURE_LIMIT - 1
        )
        assert sign_in(client, "canbo", PASSWORD).status_code == 302
        client.logout()


def test_signing_in_to_ones_own_account_does_not_clear_failures_against_others(
    client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    officer("canbo")
    officer("nannhan")
    officer("nannhan2")
    assert _fail(client, "nannhan", 4) == [200] * 4
    assert _fail(client, "canbo", 3) == [200] * 3
    assert sign_in(client, "canbo", PASSWORD).status_code == 302  # forgives canbo's 3, not nannhan's 4
    client.logout()
    assert _fail(client, "nannhan2", 4) == [200, 200, 200, 429]  # 4 + 4 = 8 from this address


def test_the_admin_sign_in_is_throttled_the_same_way(client: Client) -> None:
    officer("quantri", staff=True)
    url = reverse("admin:login")
    statuses = _fail(client, "quantri", settings.LOGIN_FAILURE_LIMIT, url=url)
    assert statuses == [200] * (settings.LOGIN_FAILURE_LIMIT - 1) + [429]
    response = sign_in(client, "quantri", PASSWORD, url=url)
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "admin" in response.templates[0].name
    assert sign_in(client, "quantri", PASSWORD).status_code == 429  # the same count as the site's form
    other = Client()
    assert sign_in(other, "quantri", PASSWORD, address=ELSEWHERE, url=url).status_code == 302
    assert other.get(reverse("admin:index")).status_code == 200


def test_a_forged_forwarded_for_does_not_change_the_counted_address(client: Client) -> None:
    officer("canbo")
    assert settings.TRUSTED_PROXY_COUNT == 0
    statuses = [
        sign_in(client, "canbo", "sai", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(settings.LOGIN_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429
    forged = sign_in(client, "canbo", PASSWORD, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert forged.status_code == 429 and not signed_in(client)


def test_behind_a_trusted_proxy_the_client_address_comes_from_the_proxy(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 1
    officer("canbo")
    proxy = "127.0.0.1"
    statuses = [
        sign_in(
            client, "canbo", "sai", address=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {HOME}"
        ).status_code
        for n in range(settings.LOGIN_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429  # the client's own forged first entries did not spread the count
    assert sign_in(client, "canbo", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=HOME).status_code == 429
    other = Client()
    assert sign_in(other, "canbo", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE).status_code == 302


def test_client_address_takes_the_hop_the_trusted_proxies_recorded(rf, settings) -> None:  # type: ignore[no-untyped-def]
    def address(count: int, forwarded: str | None) -> str:
        settings.TRUSTED_PROXY_COUNT = count
        meta = {"REMOTE_ADDR": "10.0.0.2"} | (
            {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        )
        return client_address(rf.post("/dang-nhap/", **meta))

    assert address(0, "8.8.8.8") == "10.0.0.2"
    assert address(1, "8.8.8.8") == "8.8.8.8"
    assert address(1, "1.1.1.1, 8.8.8.8") == "8.8.8.8"
    assert address(2, "1.1.1.1, 8.8.8.8, 172.16.0.9") == "8.8.8.8"
    assert address(1, "192.168.1.5") == "192.168.1.5"  # a client on a private network keeps its own address
    assert address(2, "8.8.8.8") == "10.0.0.2"  # too short: did not come through both proxies
    assert address(1, "not-an-address") == "10.0.0.2"
    assert address(1, None) == "10.0.0.2"


def test_the_lock_ends_after_the_cool_off(client: Client, handler: str) -> None:
    if handler == "CacheHandler" and os.environ.get("REDIS_URL"):
        pytest.skip("Redis expires keys on its own clock, which the test calendar does not move")
    officer("canbo")
    _fail(client, "canbo", settings.LOGIN_FAILURE_LIMIT)
    assert sign_in(client, "canbo", PASSWORD).status_code == 429
    later = datetime.now(ZoneInfo("UTC")) + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS + 5)
    with time_machine.travel(later, tick=True):
        assert sign_in(client, "canbo", PASSWORD).status_code == 302


def test_sessions_expire() -> None:
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_weak_passwords_are_rejected() -> None:
    with pytest.raises(ValidationError):
        validate_password("12345678")
    validate_password("mot-mat-khau-kho-doan-2026")


def test_password_change_validates_the_new_password(client: Client) -> None:
    user = officer("canbo")
    client.force_login(user)
    url = reverse("password_change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and weak.context["form"].errors["new_password2"]
    good = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "mot-mat-khau-moi-2026",
         "new_password2": "mot-mat-khau-moi-2026"},
    )  # fmt: skip
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("mot-mat-khau-moi-2026")
