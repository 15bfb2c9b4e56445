"""Two-step sign-in with a time-based code (TOTP, django-otp): enrolment, the pending sign-in, the admin's check.

An account turns it on from the workspace page "Xác thực hai bước": the page makes an unconfirmed TOTP device, shows
its QR code and secret, and confirms the device once the account types a code from it. From then on a correct
password alone does not sign in: the user id waits in the session (`PENDING_KEY`, for `PENDING_SECONDS`) until the
code step accepts a code, and only then is the user signed in and the session marked verified (`django_otp.login`).

Codes are throttled twice: django-otp slows a device down after each wrong code (1, 2, 4 … seconds, on the
device's row, so from every address), and each wrong code is a failed sign-in for axes, counted with the password
failures of the same account and address (`giamngheo.accounts.lockout`). API tokens are not sessions and are not
affected.
"""

from __future__ import annotations

import base64
import io
import time
from typing import Any

import segno
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING_KEY = "giamngheo_signin_pending"
PENDING_SECONDS = 5 * 60


def is_enabled(user: Any) -> bool:
    """Whether the account has turned two-step sign-in on (a confirmed device)."""
    return bool(user.is_authenticated and user_has_device(user, confirmed=True))


def is_satisfied(user: Any) -> bool:
    """Whether the session passed two-step sign-in, for an account that has it on."""
    return not is_enabled(user) or bool(getattr(user, "is_verified", lambda: False)())


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user: Any) -> TOTPDevice:
    """The device being enrolled (unconfirmed), made on first visit and kept until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="giamngheo", confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as typed into an authenticator app by hand: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> bytes:
    """The device's otpauth:// address as an SVG QR code (served as an image: no inline SVG or style)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(out, kind="svg", scale=6, border=2, xmldecl=True)
    return out.getvalue()


def start_pending(request: HttpRequest, user: Any, next_url: str) -> None:
    """Remember a user whose password was right, until the code step (never signed in before it)."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", ""),
        "next": next_url,
        "since": time.time(),
    }


def pending(request: HttpRequest) -> tuple[Any, str, str] | None:
    """The waiting (user, backend, next page), or None when there is none or it is too old."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or time.time() - float(data.get("since", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=int(data.get("user") or 0), is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return None
    return user, str(data.get("backend", "")), str(data.get("next", ""))


def clear_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)
