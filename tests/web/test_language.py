"""Vietnamese first, English switchable: the language form sets the language for the session."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_are_vietnamese_by_default(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in page and "Tên đăng nhập" in page


def test_switching_to_english_translates_the_pages(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert "Log in" in page and "Username" in page
    assert 'lang="en"' in page
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("login")})
    assert "Tên đăng nhập" in client.get(reverse("login")).content.decode()


def test_the_browsers_language_alone_does_not_switch_to_english(client: Client) -> None:
    page = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert "Tên đăng nhập" in page and 'lang="vi"' in page
