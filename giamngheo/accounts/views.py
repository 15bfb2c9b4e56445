"""Signing in: the password step, the code step of two-step sign-in, and the page that turns it on and off.

The password step is Django's `LoginView`; for an account with two-step sign-in on, a right password leads to the
code step instead of signing in (`giamngheo.accounts.twofactor`). Both steps are throttled by django-axes
(`giamngheo.accounts.lockout`); the admin's sign-in uses the same view (`giamngheo.accounts.admin_site`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from giamngheo.accounts import twofactor
from giamngheo.accounts.forms import CodeForm
from giamngheo.accounts.lockout import lockout_response


class SignInView(LoginView):
    """The password step; an account with two-step sign-in on goes on to the code step, not yet signed in."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not twofactor.is_enabled(user):
            return super().form_valid(form)
        twofactor.start_pending(self.request, user, self.get_success_url())
        return redirect("accounts:code-step")


def check_code(device: TOTPDevice, code: str) -> str:
    """ "" when `code` is the device's current code, else why not (wrong, or too many wrong codes just now).

    The device's row is locked while checking, so django-otp's throttling and its refusal of a code already used
    hold under concurrent requests.
    """
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, data = locked.verify_is_allowed()
        if not allowed:
            until = (data or {}).get("locked_until") or timezone.now()
            seconds = max(1, int((until - timezone.now()) / timedelta(seconds=1)) + 1)
            return _("Nhập sai mã nhiều lần liền. Vui lòng chờ %(seconds)s giây rồi nhập lại.") % {
                "seconds": seconds
            }
        if locked.verify_token(code):
            return ""
    return _("Mã không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trong ứng dụng xác thực.")


@never_cache
@sensitive_post_parameters("otp_token")
@csrf_protect
def code_step(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the account's authenticator app, then the account is signed in."""
    waiting = twofactor.pending(request)
    if waiting is None:
        messages.info(request, _("Phiên đăng nhập đã hết hạn. Vui lòng nhập lại mật khẩu."))
        return redirect("login")
    user, backend, next_url = waiting
    device = twofactor.confirmed_device(user)
    if device is None:  # turned off meanwhile (by an administrator): sign in with the password again
        twofactor.clear_pending(request)
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            twofactor.clear_pending(request)
            return lockout_response(request, None, credentials)
        refused = check_code(device, form.cleaned_data["otp_token"])
        if not refused:
            twofactor.clear_pending(request)
            login(request, user, backend=backend or None)
            otp_login(request, device)
            return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        # A wrong code is a failed sign-in for axes (AxesMiddleware answers the lock-out page once over the limit).
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("otp_token", refused)
    return render(request, "accounts/code_step.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@login_required
@sensitive_post_parameters("otp_token")
def twofactor_page(request: HttpRequest) -> HttpResponse:
    """Turn two-step sign-in on (QR code, secret, a code to confirm) or off (a current code)."""
    user: Any = request.user
    device = twofactor.confirmed_device(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["otp_token"]
        if device is not None:
            refused = check_code(device, code)
            if not refused:
                TOTPDevice.objects.filter(user=user).delete()
                request.session.pop(DEVICE_ID_SESSION_KEY, None)
                messages.success(request, _("Đã tắt xác thực hai bước."))
                return redirect("accounts:two-factor")
        else:
            enrolling = twofactor.pending_device(user)
            refused = check_code(enrolling, code)
            if not refused:
                TOTPDevice.objects.filter(pk=enrolling.pk).update(confirmed=True)
                enrolling.refresh_from_db()
                otp_login(request, enrolling)
                messages.success(
                    request,
                    _("Đã bật xác thực hai bước. Từ nay, sau mật khẩu bạn sẽ nhập mã 6 số từ ứng dụng."),
                )
                return redirect("accounts:two-factor")
        form.add_error("otp_token", refused)
    if form.errors:
        status = 400
    context: dict[str, Any] = {"form": form, "enabled": device is not None}
    if device is None:
        context["secret"] = twofactor.secret_text(twofactor.pending_device(user))
    return render(request, "accounts/two_factor.html", context, status=status)


@never_cache
@login_required
@require_GET
def qr_code(request: HttpRequest) -> HttpResponse:
    """The QR code of the device being enrolled, as an SVG image (never for a confirmed device)."""
    if twofactor.confirmed_device(request.user) is not None:
        raise Http404(_("Xác thực hai bước đã bật; mã QR không còn được hiển thị."))
    response = HttpResponse(
        twofactor.qr_svg(twofactor.pending_device(request.user)), content_type="image/svg+xml"
    )
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
