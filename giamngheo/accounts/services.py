"""Account services: bind an account to a role and area, create and revoke API tokens, authenticate a token."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import ApiToken, AreaRole, Role, token_digest
from giamngheo.accounts.scope import _CACHE_ATTRIBUTE
from giamngheo.areas.models import AdminUnit, Village

# Writing last_used_at on every request would turn each API read into a write; once a minute is enough to audit.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def area_role_assign(
    *, user: Any, role: str, area: AdminUnit | None, villages: Iterable[Village] = ()
) -> AreaRole:
    """Bind `user` to `role` over `area` (replacing an earlier binding)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ: %(role)s.") % {"role": role}})
    if role != Role.ADMIN and area is None:
        raise ValidationError({"area": _("Vai trò này phải gắn với một địa bàn.")})
    villages = list(villages)
    if role == Role.VILLAGE and not villages:
        raise ValidationError({"villages": _("Rà soát viên phải được giao ít nhất một thôn.")})
    area_role, _created = AreaRole.objects.update_or_create(user=user, defaults={"role": role, "area": area})
    area_role.villages.set(villages if role == Role.VILLAGE else [])
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
    return area_role


@transaction.atomic
def token_create(*, user: Any, name: str = "", now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`: the stored row and the token itself, which is never shown again."""
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=raw[:10],
        digest=token_digest(raw),
        created_at=now or timezone.now(),
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, now: datetime | None = None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str, *, now: datetime | None = None) -> Any | None:
    """The active user owning the active token `raw`, or None."""
    if not raw:
        return None
    token = ApiToken.objects.active().select_related("user").filter(digest=token_digest(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_by_username(username: str) -> Any:
    User = get_user_model()
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist as exc:
        raise ValidationError(_("Không có tài khoản %(username)s.") % {"username": username}) from exc
