"""Administrative units as versioned entities, and the villages beneath communes.

Codes follow QĐ 124/2004/QĐ-TTg: text with leading zeros (province 2 digits, district 3, commune 5), unique while
the unit exists; a merged unit keeps the code of the unit hosting the seat, the other codes close. On 1 July 2025
districts were abolished and communes merged (domain.md §7, §8), and a new commune may reuse an old code under a
different name, so a unit is identified by (level, code, valid_from) and never matched by name.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

REFORM_DATE = date(2025, 7, 1)


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Huyện, quận, thị xã")
    COMMUNE = "commune", _("Xã, phường, thị trấn")


def valid_on_q(day: date, prefix: str = "") -> Q:
    """Condition "valid on `day`" for a unit reached through `prefix` (e.g. "successor__")."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    def valid_on(self, day: date) -> AdminUnitQuerySet:
        return self.filter(valid_on_q(day))

    def provinces(self) -> AdminUnitQuerySet:
        return self.filter(level=UnitLevel.PROVINCE)

    def districts(self) -> AdminUnitQuerySet:
        return self.filter(level=UnitLevel.DISTRICT)

    def communes(self) -> AdminUnitQuerySet:
        return self.filter(level=UnitLevel.COMMUNE)


class AdminUnit(models.Model):
    code = models.CharField(_("mã"), max_length=5)
    name = models.CharField(_("tên"), max_length=120)
    unit_type = models.CharField(_("loại đơn vị"), max_length=40, blank=True)
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )  # fmt: skip
    valid_from = models.DateField(
        _("hiệu lực từ"), null=True, blank=True, help_text=_("Trống: trước khi có dữ liệu")
    )
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True, help_text=_("Trống: còn hiệu lực"))
    source = models.CharField(_("nguồn"), max_length=80, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_from__isnull=True),
                name="unit_code_unique_open_start",
            ),
            models.UniqueConstraint(
                fields=["level", "code", "valid_from"], name="unit_code_valid_from_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
        ]
        indexes = [models.Index(fields=["code", "level"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class UnitSuccession(models.Model):
    """An old unit's territory passed (wholly or in part) to a new unit on a date: the 2025 old→new mapping."""

    predecessor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="predecessions")
    effective_on = models.DateField(_("ngày hiệu lực"))
    is_default = models.BooleanField(
        _("đơn vị kế thừa chính"),
        default=True,
        help_text=_("Khi xã cũ chia cho nhiều xã mới: xã nhận phần chính"),
    )
    source = models.CharField(_("nguồn"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("chuyển đổi đơn vị hành chính")
        verbose_name_plural = _("chuyển đổi đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique"),
            models.UniqueConstraint(
                fields=["predecessor"], condition=Q(is_default=True), name="succession_one_default"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="succession_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class VillageKind(models.TextChoices):
    THON = "thon", _("Thôn")
    LANG = "lang", _("Làng")
    BUON = "buon", _("Buôn")
    BON = "bon", _("Bon")
    BAN = "ban", _("Bản")
    AP = "ap", _("Ấp")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")


class Village(models.Model):
    """A village or residential group. It has no national code, only a local code within its commune.

    `commune` is the commune the village belongs to today. A village of a commune that ended in the 2025 reform
    belongs to the new commune that took it over (`areas.reform.rehome_villages`) and keeps the commune it
    belonged to before as `legacy_commune`, for history: records made before the reform name that commune.
    """

    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="villages")
    legacy_commune = models.ForeignKey(
        AdminUnit,
        verbose_name=_("xã trước 01/07/2025"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legacy_villages",
    )
    local_code = models.CharField(_("mã thôn"), max_length=20)
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=12, choices=VillageKind.choices, default=VillageKind.THON)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("thôn, làng, tổ dân phố")
        verbose_name_plural = _("thôn, làng, tổ dân phố")
        ordering = ["commune__code", "local_code"]
        constraints = [
            # Local codes are unique within the commune the village was numbered in: today's commune for a
            # village created after the reform, the legacy commune for one taken over (two legacy communes may
            # both have had a village "01").
            models.UniqueConstraint(
                fields=["commune", "local_code"],
                condition=Q(legacy_commune__isnull=True),
                name="village_code_unique",
            ),
            models.UniqueConstraint(
                fields=["legacy_commune", "local_code"],
                condition=Q(legacy_commune__isnull=False),
                name="village_legacy_code_unique",
            ),
            models.CheckConstraint(
                condition=~Q(legacy_commune=models.F("commune")), name="village_legacy_commune_differs"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def commune_on(self, day: date) -> AdminUnit:
        """The commune the village belonged to on `day`: its legacy commune while that existed, else today's."""
        legacy = self.legacy_commune
        if legacy is not None and legacy.is_valid_on(day):
            return legacy
        return self.commune

    def clean(self) -> None:
        if (
            self.legacy_commune_id is not None
            and not UnitSuccession.objects.filter(
                predecessor_id=self.legacy_commune_id, successor_id=self.commune_id
            ).exists()
        ):
            raise ValidationError(
                {
                    "commune": _("Xã hiện nay phải là một xã nhận địa bàn của %(commune)s.")
                    % {"commune": self.legacy_commune}
                }
            )


class UnitLoad(models.Model):
    """Audit row: one run of the unit loader that changed the database (a run that changes nothing writes none)."""

    loaded_at = models.DateTimeField(_("thời điểm nạp"))
    source = models.CharField(_("nguồn"), max_length=80)
    units_created = models.PositiveIntegerField(_("đơn vị tạo mới"), default=0)
    units_updated = models.PositiveIntegerField(_("đơn vị cập nhật"), default=0)
    successions_created = models.PositiveIntegerField(_("chuyển đổi tạo mới"), default=0)
    successions_updated = models.PositiveIntegerField(_("chuyển đổi cập nhật"), default=0)
    successions_deleted = models.PositiveIntegerField(_("chuyển đổi xoá"), default=0)

    class Meta:
        verbose_name = _("lần nạp đơn vị hành chính")
        verbose_name_plural = _("các lần nạp đơn vị hành chính")
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.source} ({self.loaded_at:%d/%m/%Y %H:%M})"
