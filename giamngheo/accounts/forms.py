"""Forms of signing in: the six-digit code of two-step sign-in.

The password step is Django's `AuthenticationForm` (the admin's: `AdminAuthenticationForm`); django-axes throttles
it through the authentication backend (`giamngheo.accounts.lockout`).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app (spaces allowed, as some apps show "123 456")."""

    otp_token = forms.CharField(
        label=gettext_lazy("Mã 6 số"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": r"[0-9 ]*",
                "autofocus": True,
            }
        ),
    )

    def clean_otp_token(self) -> str:
        code = "".join(str(self.cleaned_data["otp_token"]).split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError(
                gettext_lazy("Mã gồm đúng 6 chữ số, lấy từ ứng dụng xác thực."), code="format"
            )
        return code
