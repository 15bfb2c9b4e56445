"""Emulation and commendations (domain.md §4.5 item 7, §11; the seed article: UBND Kông Chro commended 19
collectives, 14 individuals and 12 households in the movement "Vì người nghèo – Không để ai bị bỏ lại phía sau"
2021-2025, launched under QĐ 666/QĐ-TTg of 02/06/2022).

A `Movement` (phong trào thi đua) is data, editable in the admin. A `Commendation` is one recipient of one
commendation decision: a collective, an individual (optionally linked to a registered person) or a household
(optionally linked to a registered household), in an area. Commendations are append-only: a correction is a new
row naming the one it replaces and why; a withdrawal is a new row marked withdrawn, with its reason. The rows in
force are those no later row replaces, minus the withdrawn ones.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from giamngheo.areas.models import AdminUnit
from giamngheo.decisions.models import Recorded
from giamngheo.registry.models import Household, Person


class Movement(models.Model):
    code = models.SlugField(_("mã phong trào"), max_length=60, unique=True)
    name = models.CharField(_("tên phong trào thi đua"), max_length=255)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)
    basis = models.CharField(_("căn cứ phát động"), max_length=255, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-start_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="movement_period",
            )
        ]

    def __str__(self) -> str:
        end = self.end_year if self.end_year is not None else "…"
        return f"{self.name} ({self.start_year}–{end})"


class RecipientType(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    HOUSEHOLD = "household", _("Hộ gia đình")


class Commendation(Recorded):
    movement = models.ForeignKey(
        Movement, verbose_name=_("phong trào thi đua"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="commendations",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("năm"))
    decision_number = models.CharField(_("số quyết định khen thưởng"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    authority = models.CharField(_("cơ quan, người quyết định"), max_length=150)
    award = models.CharField(_("hình thức khen thưởng"), max_length=100, blank=True)
    recipient_type = models.CharField(_("đối tượng được khen"), max_length=12, choices=RecipientType.choices)
    recipient_name = models.CharField(_("tên tập thể, cá nhân, hộ"), max_length=200)
    household = models.ForeignKey(
        Household, verbose_name=_("hộ trong sổ hộ"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="commendations",
    )  # fmt: skip
    person = models.ForeignKey(
        Person, verbose_name=_("nhân khẩu trong sổ hộ"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="commendations",
    )  # fmt: skip
    area = models.ForeignKey(AdminUnit, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="+")
    achievement = models.TextField(_("thành tích"))
    corrects = models.ForeignKey(
        "self", verbose_name=_("thay cho bản ghi"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="corrections",
    )  # fmt: skip
    withdrawn = models.BooleanField(_("thu hồi"), default=False)
    reason = models.TextField(_("lý do đính chính, thu hồi"), blank=True)

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["area", "year", "recipient_type", "recipient_name", "id"]
        indexes = [models.Index(fields=["area", "year"], name="commendation_area_year")]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="commendation_year"),
            models.CheckConstraint(
                condition=Q(household__isnull=True) | Q(recipient_type="household"),
                name="commendation_household_link",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(recipient_type="individual"),
                name="commendation_person_link",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(reason=""), name="commendation_change_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn=False) | Q(corrects__isnull=False),
                name="commendation_withdrawal_names_row",
            ),
            models.UniqueConstraint(
                fields=["corrects"], condition=Q(corrects__isnull=False), name="commendation_replaced_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} — {self.decision_number} ({self.year})"
