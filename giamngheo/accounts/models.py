"""Who may see and do what: each account's role and the area it is bound to, and its API tokens.

Access rule (issue 3; house style "deny by default"): an account sees households only through its `AreaRole`. An
account without one (and not a superuser) sees nothing. Roles:

- administrator: every area; edits everything;
- province staff: their province (new or legacy), read and approve, no household edits;
- commune officer: their commune, read and edit; a new (post-2025) commune also covers the legacy communes that
  map into it, so its officer reads their history;
- village reviewer: the villages listed on the role (within the bound commune), enters surveys there;
- viewer: read-only within the bound area.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from giamngheo.areas.models import AdminUnit, Village


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    PROVINCE = "province", _("Cán bộ tỉnh")
    COMMUNE = "commune", _("Cán bộ xã")
    VILLAGE = "village", _("Rà soát viên thôn")
    VIEWER = "viewer", _("Chỉ xem")


class AreaRole(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="area_role",
        verbose_name=_("tài khoản"),
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices)
    area = models.ForeignKey(
        AdminUnit,
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Trống chỉ với quản trị hệ thống"),
    )
    villages = models.ManyToManyField(
        Village, verbose_name=_("thôn được rà soát"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vai trò và địa bàn")
        verbose_name_plural = _("vai trò và địa bàn")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(area__isnull=False), name="area_role_bound_to_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} {self.area or ''}".strip()


TOKEN_PREFIX = "gn_"  # noqa: S105 — a public marker that makes leaked tokens easy to spot, not a secret


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 digest is stored; the token is shown once, at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("tài khoản"),
    )
    name = models.CharField(_("tên gợi nhớ"), max_length=100, blank=True)
    prefix = models.CharField(_("đầu mã"), max_length=12, help_text=_("Vài ký tự đầu để nhận ra mã"))
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def new_raw() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)
