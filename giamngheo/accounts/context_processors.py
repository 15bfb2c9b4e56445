from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from giamngheo.accounts.scope import scope_for


def scope(request: HttpRequest) -> dict[str, Any]:
    """`user_scope` in templates: the signed-in account's area scope, resolved only when a template reads it."""
    return {"user_scope": SimpleLazyObject(lambda: scope_for(getattr(request, "user", None)))}
