"""API tokens: created by `giamngheo token create USERNAME`, stored as a digest, revocable."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from giamngheo.accounts.models import ApiToken, token_digest
from giamngheo.accounts.services import token_authenticate, token_create, token_revoke
from tests.registry.factories import make_user

pytestmark = pytest.mark.django_db


def test_token_create_prints_a_token_that_authenticates_its_user() -> None:
    user = make_user("xa.kongchro")
    out = StringIO()
    call_command("token", "create", "xa.kongchro", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("gn_") and len(raw) > 40
    stored = ApiToken.objects.get(user=user)
    assert stored.digest == token_digest(raw) and raw not in (stored.digest, stored.prefix)
    assert token_authenticate(raw) == user
    assert token_authenticate(raw + "x") is None


def test_token_create_for_unknown_user_fails_clearly() -> None:
    with pytest.raises(CommandError, match=r"Không có tài khoản khong\.co"):
        call_command("token", "create", "khong.co")


def test_revoked_tokens_and_inactive_users_do_not_authenticate() -> None:
    user = make_user("canbo")
    token, raw = token_create(user=user)
    _other, other_raw = token_create(user=user)
    token_revoke(token=token)
    assert token_authenticate(raw) is None
    assert token_authenticate(other_raw) == user
    user.is_active = False
    user.save()
    assert token_authenticate(other_raw) is None


def test_token_revoke_command() -> None:
    user = make_user("canbo")
    token, raw = token_create(user=user)
    call_command("token", "revoke", raw[:10], stdout=StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None
