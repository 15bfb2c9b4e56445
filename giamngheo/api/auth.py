"""How an API caller proves who they are: a personal token (`Authorization: Bearer gn_...`) or the Django session.

Tokens are created and revoked on the token page (`web:tokens`) or with `giamngheo token create USERNAME`; only
their digest is stored (`giamngheo.accounts.services.token_authenticate`). The session lets a signed-in officer try
the interactive docs; a session request that changes data must carry the CSRF token (the docs page sends it), so
another site cannot make a signed-in browser write through the API. A request that proves nothing gets 401.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from giamngheo.accounts.services import token_authenticate


class BearerToken(HttpBearer):
    """`Authorization: Bearer TOKEN` with a token from the token page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        return token_authenticate(token.strip())


class SessionUser(APIKeyCookie):
    """The signed-in user of the Django session (the interactive docs), CSRF-checked on unsafe methods.

    Unlike ninja's `django_auth`, the CSRF check runs only when a user is signed in: a request with no session
    (for instance one with a wrong bearer token) then gets 401 rather than a misleading CSRF failure.
    """

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


def current_user(request: HttpRequest) -> Any:
    """The user the request authenticated as (set by ninja from `BearerToken` or `SessionUser`)."""
    return request.auth  # type: ignore[attr-defined]  # ninja sets `auth` on the request
