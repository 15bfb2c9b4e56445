"""Sign-in throttling with django-axes: who is counted, against which limit, and what a locked-out client sees.

Every sign-in form (`/dang-nhap/`, the admin's, the code step of two-step sign-in) goes through
`django.contrib.auth.authenticate` or sends its failure signal, so axes counts them all, in the database or in Redis
(`settings.AXES_HANDLER`), shared by every server process. Failures are counted twice
(`AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]`):

- one account from one address: after `LOGIN_FAILURE_LIMIT` failures that account is refused *from that address*
  for `LOGIN_LOCKOUT_SECONDS`. The officer signing in from anywhere else is not affected, so nobody can lock a named
  officer out by typing wrong passwords for them;
- one address over all accounts: after `LOGIN_ADDRESS_FAILURE_LIMIT` failures (by default four times the first
  limit, since a commune office shares one address) the address is refused for every account, so one address
  cannot try passwords across accounts without limit.

Axes compares every count with one limit (`AXES_FAILURE_LIMIT`); its maintainers point to a custom handler for a
limit per parameter (jazzband/django-axes#661). The two handlers here are axes' own with that one change, and with
a success forgiving only the failures of the account that signed in, from its address: another account's failures
from the same address still count, so an attacker holding one account cannot clear the address count by signing
in to it.

The client address is `REMOTE_ADDR` unless `TRUSTED_PROXY_COUNT` names the reverse proxies in front of the server
(see `client_address`); a client cannot choose the address it is counted under by sending `X-Forwarded-For`.
"""

from __future__ import annotations

import contextlib
import ipaddress
import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.cache import AxesCacheHandler
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import (
    get_client_cache_keys,
    get_client_username,
    get_lockout_parameters,
    make_cache_key_list,
)
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Sum
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _


def client_address(request: HttpRequest) -> str:
    """The address a sign-in is counted under (`AXES_CLIENT_IP_CALLABLE`).

    Without a trusted proxy (`TRUSTED_PROXY_COUNT=0`, the default) it is the connection's address; any
    `X-Forwarded-For` the client sends is ignored. Behind N proxies, each proxy appends the address it received the
    request from, the nearest one's being `REMOTE_ADDR`: the client is then the N-th entry from the end of
    `X-Forwarded-For`, whatever the client wrote before it. A request whose header is missing, too short or not an
    address (one that did not come through the proxies) is counted under the connection's address.

    django-ipware (which axes uses by default) ranks the hops instead: it prefers a globally routable hop to a
    private one, can answer "no address", and counts only the proxies named inside the header. A fixed position
    from the trusted end is what a configured proxy chain means, so it is taken here.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def _limit_for(parameter: str | list[str]) -> int:
    """The failures allowed for one lockout parameter: the address alone has its own, larger limit."""
    if parameter == "ip_address":
        return int(settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    return int(settings.AXES_FAILURE_LIMIT)


def _scaled(counts: list[int], request: Any, credentials: dict[str, Any] | None) -> int:
    """The failure count axes compares with `AXES_FAILURE_LIMIT`, each parameter's count scaled to its own limit.

    floor(count × AXES_FAILURE_LIMIT / limit) reaches AXES_FAILURE_LIMIT exactly when count reaches limit, so axes'
    own comparison locks out when any parameter reaches its own limit.
    """
    base = int(settings.AXES_FAILURE_LIMIT)
    parameters = get_lockout_parameters(request, credentials)
    return max(
        (
            math.floor(count * base / _limit_for(parameter))
            for count, parameter in zip(counts, parameters, strict=True)
        ),
        default=0,
    )


class DatabaseHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per lockout parameter (used without Redis)."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        counts = [
            int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)
            for attempts in self.get_user_attempts(request, credentials)
        ]
        return _scaled(counts, request, credentials)

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """Forget the failures of this account from this address only (its rows also leave the address's sum)."""
        username = get_client_username(request, credentials)
        count, _deleted = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return int(count)


class CacheHandler(AxesCacheHandler):
    """Axes' cache handler with a limit per lockout parameter (used with Redis, shared by every process)."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        keys = get_client_cache_keys(request, credentials)
        return _scaled([int(self.cache.get(key, default=0)) for key in keys], request, credentials)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        """Axes' recording, then the lock-out decided on the per-parameter limits.

        Axes' cache handler decides on the largest raw count, which would lock an address out at
        `LOGIN_FAILURE_LIMIT` failures spread over several accounts; the decision is taken again here (axes may
        have logged a lock-out and sent its `user_locked_out` signal for it; nothing here listens to that signal).
        """
        locked_before = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:
            return
        request.axes_locked_out = locked_before or self.is_locked(request, credentials)
        if request.axes_locked_out:
            request.axes_credentials = credentials

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        """Forget the failures of this account from this address; they also leave the address's count.

        Replaces axes' own reset, which would clear the address's count too.
        """
        address = getattr(request, "axes_ip_address", None)
        if not settings.AXES_RESET_ON_SUCCESS or not address:
            return
        (account_key,) = make_cache_key_list([{"username": user.get_username(), "ip_address": address}])
        (address_key,) = make_cache_key_list([{"ip_address": address}])
        forgiven = int(self.cache.get(account_key, default=0))
        self.cache.delete(account_key)
        if forgiven:
            # decr keeps the key's expiry, in Redis as in memory; ValueError: the address's count expired already.
            with contextlib.suppress(ValueError):
                self.cache.decr(address_key, forgiven)


class AxesBackend(AxesStandaloneBackend):
    """Axes' standalone backend (first in `AUTHENTICATION_BACKENDS`): refuses a locked-out sign-in.

    A call without a request (Django's test client `login`, a script) has no address to count and is not a sign-in
    form; axes would raise for it, here it is passed on to the next backend unthrottled. Every form on the site passes
    its request.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_minutes() -> int:
    return max(1, math.ceil(int(settings.LOGIN_LOCKOUT_SECONDS) / 60))


def lockout_message() -> str:
    return _(
        "Đăng nhập sai quá nhiều lần từ địa chỉ này. Vui lòng thử lại sau %(minutes)s phút, "
        "hoặc đăng nhập từ nơi khác."
    ) % {"minutes": lockout_minutes()}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page again, with the reason and the wait, answered 429 (`AXES_LOCKOUT_CALLABLE`).

    The admin's sign-in gets the admin's page; the code step and the site's sign-in get the site's.
    """
    from django.contrib import admin

    username = get_client_username(request, credentials) or ""
    form = AuthenticationForm(request, initial={"username": username})
    # An unbound form that shows one error, read by both sign-in templates as `form.non_field_errors`.
    form._errors = ErrorDict(  # type: ignore[attr-defined]
        {NON_FIELD_ERRORS: form.error_class([lockout_message()], error_class="nonfield")}
    )
    if request.path.startswith(reverse("admin:index")):
        context = {**admin.site.each_context(request), "form": form, "app_path": request.get_full_path()}
        return render(request, "admin/login.html", context, status=429)
    return render(request, "registration/login.html", {"form": form, "locked_out": True}, status=429)
