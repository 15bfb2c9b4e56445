"""Signing in: throttling after repeated failures, session expiry settings, password validation."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.registry.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client: Client, password: str):
    return client.post(reverse("login"), {"username": "canbo", "password": password})


def test_login_is_refused_after_repeated_failures_even_with_the_right_password(client: Client) -> None:
    user = make_user("canbo")
    user.set_password("mat-khau-dung-2026")
    user.save()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = _login(client, "sai")
        assert response.status_code == 200
    response = _login(client, "mat-khau-dung-2026")
    assert response.status_code == 200
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_the_count(client: Client) -> None:
    user = make_user("canbo")
    user.set_password("mat-khau-dung-2026")
    user.save()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _login(client, "sai")
    assert _login(client, "mat-khau-dung-2026").status_code == 302
    client.logout()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _login(client, "sai")
    assert _login(client, "mat-khau-dung-2026").status_code == 302


def test_sessions_expire() -> None:
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_weak_passwords_are_rejected() -> None:
    with pytest.raises(ValidationError):
        validate_password("12345678")
    validate_password("mot-mat-khau-kho-doan-2026")


def test_password_change_validates_the_new_password(client: Client) -> None:
    user = make_user("canbo")
    user.set_password("mat-khau-cu-2026")
    user.save()
    client.force_login(user)
    url = reverse("password_change")
    weak = client.post(
        url, {"old_password": "mat-khau-cu-2026", "new_password1": "123", "new_password2": "123"}
    )
    assert weak.status_code == 200 and weak.context["form"].errors["new_password2"]
    good = client.post(
        url,
        {"old_password": "mat-khau-cu-2026", "new_password1": "mot-mat-khau-moi-2026",
         "new_password2": "mot-mat-khau-moi-2026"},
    )  # fmt: skip
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("mot-mat-khau-moi-2026")
