"""Two-step sign-in (TOTP): turning it on and off, signing in with a code, the admin's check, API tokens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from giamngheo.accounts.services import token_create
from tests.accounts.signin_helpers import PASSWORD, officer, sign_in, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


@contextmanager
def later(seconds: int) -> Iterator[None]:
    """Move the clock on: a TOTP code is accepted once, and django-otp waits after a wrong code."""
    with time_machine.travel(datetime.now(ZoneInfo("UTC")) + timedelta(seconds=seconds), tick=True):
        yield


def code(device: TOTPDevice, *, wrong: bool = False) -> str:
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{(value + 1) % 10**6 if wrong else value:06d}"


def enrolled(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="giamngheo", confirmed=True)


def test_turning_it_on_shows_a_qr_code_and_the_secret_and_needs_a_code(client: Client) -> None:
    user = officer("canbo")
    client.force_login(user)
    url = reverse("accounts:two-factor")
    page = client.get(url)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert page.context["secret"].replace(" ", "") in device.config_url
    assert reverse("accounts:two-factor-qr") in page.content.decode()
    qr = client.get(reverse("accounts:two-factor-qr"))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert b"style=" not in qr.content and b"<script" not in qr.content
    wrong = client.post(url, {"otp_token": code(device, wrong=True)})
    assert wrong.status_code == 400 and "Mã không đúng" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    malformed = client.post(url, {"otp_token": "12ab"})
    assert malformed.status_code == 400 and "đúng 6 chữ số" in malformed.content.decode()
    with later(5):
        done = client.post(url, {"otp_token": code(device)})
        assert done.status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert (
            client.get(reverse("accounts:two-factor-qr")).status_code == 404
        )  # the secret is not shown again
        assert "Đang bật" in client.get(url).content.decode()


def test_sign_in_asks_for_the_code_after_the_password(client: Client) -> None:
    device = enrolled(officer("canbo"))
    response = sign_in(client, "canbo", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:code-step")
    assert not signed_in(client)
    assert client.get(reverse("web:tokens")).status_code == 302  # still anonymous
    step = reverse("accounts:code-step")
    assert client.get(step).status_code == 200
    wrong = client.post(step, {"otp_token": code(device, wrong=True)}, REMOTE_ADDR="203.0.113.7")
    assert wrong.status_code == 400 and not signed_in(client)
    with later(5):
        right = client.post(step, {"otp_token": code(device)}, REMOTE_ADDR="203.0.113.7")
        assert right.status_code == 302 and signed_in(client)
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        replay = Client()
        sign_in(replay, "canbo", PASSWORD)
        assert replay.post(step, {"otp_token": code(device)}).status_code == 400  # a code works once


def test_the_code_step_is_throttled_with_the_password_failures(client: Client) -> None:
    device = enrolled(officer("canbo"))
    sign_in(client, "canbo", PASSWORD)
    step = reverse("accounts:code-step")
    statuses = []
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        with later(20 * (n + 1)):  # past django-otp's own wait, so that only axes is left to stop it
            statuses.append(
                client.post(
                    step, {"otp_token": code(device, wrong=True)}, REMOTE_ADDR="203.0.113.7"
                ).status_code
            )
    assert statuses == [400] * (settings.LOGIN_FAILURE_LIMIT - 1) + [429]
    with later(20 * (settings.LOGIN_FAILURE_LIMIT + 1)):
        assert sign_in(client, "canbo", PASSWORD).status_code == 429
        assert not signed_in(client)


def test_django_otp_makes_a_guesser_wait_between_codes(client: Client) -> None:
    device = enrolled(officer("canbo"))
    sign_in(client, "canbo", PASSWORD)
    step = reverse("accounts:code-step")
    client.post(step, {"otp_token": code(device, wrong=True)})
    refused = client.post(step, {"otp_token": code(device)})  # right, but too soon after a wrong one
    assert refused.status_code == 400 and "Vui lòng chờ" in refused.content.decode() and not signed_in(client)


def test_turning_it_off_needs_a_current_code(client: Client) -> None:
    user = officer("canbo")
    device = enrolled(user)
    client.force_login(user)
    url = reverse("accounts:two-factor")
    assert client.post(url, {"otp_token": code(device, wrong=True)}).status_code == 400
    assert TOTPDevice.objects.filter(user=user).exists()
    with later(5):
        assert client.post(url, {"otp_token": code(device)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert sign_in(Client(), "canbo", PASSWORD).status_code == 302  # the password alone again


def test_the_admin_requires_the_code_from_staff_who_turned_it_on(client: Client) -> None:
    staff = officer("quantri", staff=True)
    device = enrolled(staff)
    client.force_login(staff)  # a session that skipped the code step
    assert client.get(reverse("admin:index")).status_code == 302
    admin_client = Client()
    response = sign_in(admin_client, "quantri", PASSWORD, url=reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:code-step")
    assert admin_client.get(reverse("admin:index")).status_code == 302
    with later(5):
        done = admin_client.post(reverse("accounts:code-step"), {"otp_token": code(device)})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert admin_client.get(reverse("admin:index")).status_code == 200


def test_the_admin_still_opens_for_staff_without_two_step_sign_in(client: Client) -> None:
    client.force_login(officer("quantri", staff=True))
    assert client.get(reverse("admin:index")).status_code == 200


def test_api_tokens_are_not_affected(client: Client) -> None:
    user = officer("canbo")
    enrolled(user)
    _token, raw = token_create(user=user)
    assert client.get("/api/households", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


def test_the_code_step_without_a_password_first_goes_back_to_sign_in(client: Client) -> None:
    response = client.get(reverse("accounts:code-step"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
