"""The API token page: a signed-in user lists, creates and revokes their own tokens.

A new token is shown once, in the response to the request that created it (never stored in the session or a
message); only its digest is kept (`accounts.services.token_create`). Another user's token is a 404, like a token
that does not exist.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from giamngheo.accounts.models import ApiToken
from giamngheo.accounts.services import token_create, token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Tên gợi nhớ"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Ví dụ: phần mềm kế toán xã, bảng tính tổng hợp"),
    )


def _signed_in(request: HttpRequest) -> Any:
    """The user of a `login_required` view (never anonymous there)."""
    return request.user


def _page(request: HttpRequest, form: TokenForm, new_token: str = "", status: int = 200) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=_signed_in(request)).order_by("-created_at", "-id")
    context = {"tokens": tokens, "form": form, "new_token": new_token}
    return render(request, "web/tokens.html", context, status=status)


@never_cache
@login_required
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    return _page(request, TokenForm())


@never_cache
@login_required
@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=422)
    _token, raw = token_create(user=request.user, name=form.cleaned_data["name"])
    return _page(request, TokenForm(), new_token=raw)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=_signed_in(request)).first()
    if token is None:
        raise Http404(_("Không tìm thấy mã API."))
    if token.revoked_at is None:
        token_revoke(token=token)
        messages.success(request, _("Đã thu hồi mã %(prefix)s…") % {"prefix": token.prefix})
    return redirect("web:tokens")
