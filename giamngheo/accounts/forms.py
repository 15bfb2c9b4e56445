from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _

from giamngheo.accounts import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    """The sign-in form, refusing further attempts for a while after repeated failures."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = self.request.META.get("REMOTE_ADDR", "") if self.request is not None else ""
        if throttle.is_locked(username, address):
            raise forms.ValidationError(
                _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.")
                % {"minutes": throttle.lockout_minutes()},
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, address)
            raise
        throttle.clear(username)
        return cleaned
