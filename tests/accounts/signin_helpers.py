"""Helpers shared by the sign-in tests: an officer with a known password, a sign-in from a given address."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.registry.factories import make_user

PASSWORD = "mat-khau-dung-2026"
HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def officer(username: str = "canbo", *, staff: bool = False) -> Any:
    user = make_user(username)
    user.set_password(PASSWORD)
    user.is_staff = user.is_superuser = staff
    user.save()
    return user


def sign_in(
    client: Client, username: str, password: str, *, address: str = HOME, url: str = "", **extra: Any
) -> Any:
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
