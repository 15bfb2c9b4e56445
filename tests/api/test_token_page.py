"""The API token page: a signed-in user sees, creates and revokes only their own tokens."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import ApiToken
from giamngheo.accounts.services import token_authenticate, token_create

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_login(client: Client, personas: Any) -> None:
    token, _raw = token_create(user=personas.owner)
    for method, url in (
        ("get", reverse("web:tokens")),
        ("post", reverse("web:token-create")),
        ("post", reverse("web:token-revoke", args=[token.pk])),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_create_shows_the_token_once(client: Client, personas: Any) -> None:
    client.force_login(personas.owner)
    response = client.post(reverse("web:token-create"), {"name": "Phần mềm kế toán xã"})
    assert response.status_code == 200
    page = response.content.decode()
    token = ApiToken.objects.get(user=personas.owner)
    raw = response.context["new_token"]
    assert raw.startswith(token.prefix) and raw in page
    assert "sẽ không được hiển thị lại" in page
    assert token_authenticate(raw) == personas.owner
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    listing = client.get(reverse("web:tokens")).content.decode()
    assert "Phần mềm kế toán xã" in listing and token.prefix in listing and raw not in listing
    api = client.get("/api/households", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 200


def test_the_list_shows_only_ones_own_tokens(client: Client, personas: Any) -> None:
    mine, _ = token_create(user=personas.owner, name="của tôi")
    theirs, _ = token_create(user=personas.peer, name="của người khác")
    client.force_login(personas.owner)
    page = client.get(reverse("web:tokens")).content.decode()
    assert mine.prefix in page and "của tôi" in page
    assert theirs.prefix not in page and "của người khác" not in page


def test_revoke_ones_own_token_but_not_anothers(client: Client, personas: Any) -> None:
    mine, raw = token_create(user=personas.owner)
    theirs, their_raw = token_create(user=personas.peer)
    client.force_login(personas.owner)
    response = client.post(reverse("web:token-revoke", args=[mine.pk]), follow=True)
    assert response.status_code == 200 and "Đã thu hồi mã" in response.content.decode()
    mine.refresh_from_db()
    assert mine.revoked_at is not None and token_authenticate(raw) is None
    assert "đã thu hồi" in response.content.decode()
    other = client.post(reverse("web:token-revoke", args=[theirs.pk]))
    missing = client.post(reverse("web:token-revoke", args=[theirs.pk + 1000]))
    assert other.status_code == missing.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None and token_authenticate(their_raw) == personas.peer


def test_revoke_and_create_need_post(client: Client, personas: Any) -> None:
    token, _ = token_create(user=personas.owner)
    client.force_login(personas.owner)
    assert client.get(reverse("web:token-revoke", args=[token.pk])).status_code == 405
    assert client.get(reverse("web:token-create")).status_code == 405


def test_a_too_long_name_is_refused_with_a_message(client: Client, personas: Any) -> None:
    client.force_login(personas.owner)
    response = client.post(reverse("web:token-create"), {"name": "x" * 101})
    assert response.status_code == 422 and not ApiToken.objects.exists()
    assert "100" in response.content.decode()


def test_the_page_is_linked_from_the_menu(client: Client, personas: Any) -> None:
    client.force_login(personas.owner)
    page = client.get(reverse("web:household-list")).content.decode()
    assert reverse("web:tokens") in page
