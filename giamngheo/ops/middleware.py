"""A request id for every request, and one access-log line per request (logger `giamngheo.request`).

The id comes from the `X-Request-ID` header when a proxy in front (nginx's `$request_id`) or a client sent a safe
short token — letters, digits, `.`, `_`, `-`, at most 64 characters — so one id follows the request through
nginx's log and ours; anything else (too long, spaces, newlines that would forge log lines, other characters) is
replaced by a fresh id. The response carries the id back in `X-Request-ID`, so a user reporting an error can quote
it and an operator can find every line of that request.

The access line holds the method, the path without its query string (searches by name or citizen ID travel in the
query string and are personal data), the status, the time taken and the id of the signed-in user, never a name.
The user is read only if the request already resolved it (the session or an API token): logging never costs a
database query of its own.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import SimpleLazyObject, empty

from giamngheo.ops.logs import NO_REQUEST, request_id_var

HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MAX_LOGGED_PATH = 300

access_log = logging.getLogger("giamngheo.request")


def request_id_from(raw: str | None) -> str:
    """The incoming id if it is a safe short token, else a new one (32 hex digits)."""
    if raw is not None and _SAFE_ID.fullmatch(raw):
        return raw
    return uuid.uuid4().hex


def _printable(path: str) -> str:
    """The path as one line: control characters escaped (a %0A in a URL must not start a forged log line)."""
    cleaned = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in path)
    return cleaned if len(cleaned) <= MAX_LOGGED_PATH else cleaned[:MAX_LOGGED_PATH] + "…"


def _user_id(request: HttpRequest) -> int | None:
    """The id of the user the request authenticated as, if it was already resolved; None for anonymous."""
    auth = getattr(request, "auth", None)  # django-ninja: the API token's or the session's user
    if getattr(auth, "is_authenticated", False):
        return getattr(auth, "pk", None)
    user: Any = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    if user is not None and getattr(user, "is_authenticated", False):
        return getattr(user, "pk", None)
    return None


class RequestIdMiddleware:
    """Outermost middleware: sets the request id for everything below and logs the request once it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        # Kept until the response is closed (`request_finished`), not reset on the way out: Django's handler logs
        # 4xx/5xx (logger `django.request`) after the last middleware has returned, and those lines need the id.
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[HEADER] = request_id
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        path = _printable(request.path)
        method = _printable(request.method or "")[:16]
        user_id = _user_id(request)
        access_log.log(
            logging.ERROR if response.status_code >= 500 else logging.INFO,
            "%s %s %s %.1fms user=%s",
            method,
            path,
            response.status_code,
            duration_ms,
            user_id if user_id is not None else "-",
            extra={
                "method": method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user_id,
            },
        )
        return response


def _forget_request_id(**_kwargs: Any) -> None:
    request_id_var.set(NO_REQUEST)


request_finished.connect(_forget_request_id, dispatch_uid="giamngheo.ops.forget_request_id")
