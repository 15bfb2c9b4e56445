"""Official status: the poor and near-poor lists as the commune chairman decided them (QĐ 24/2021/QĐ-TTg Art. 4
step 6, Art. 5; domain.md §3.2, §3.4).

A survey result (`reviews.Assessment`) is not a status. A `Decision` (quyết định công nhận) of a commune's People's
Committee chairman recognises the lists a review round produced, from a date: 1 January of the year the lists
apply to for the periodic review, the day of signing for a regular (monthly) one. Each household whose status it
changes gets an `OfficialStatus` row, valid from that date until the next row of the household takes over.

Both tables are append-only, like the household history: a status is never rewritten. A correction is a new
decision whose rows take over from the same date (the later row of a day wins). The row keeps where the household
was listed (commune and village, as the survey recorded them) and how many people it had, so that the lists and
their reports of any past date read as they were decided.

A household that closes (its last member died, it moved away, merged or split up) leaves the lists on the day it
closed; the reports read that from the registry (`Household.closed_on`) and count it among the "other" changes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from giamngheo.areas.models import AdminUnit, Village
from giamngheo.registry.models import Household
from giamngheo.reviews.models import Assessment, PovertyClass, Review


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Bulk updates and deletes are refused like single ones."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError(f"{self.model._meta.verbose_name} is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError(f"{self.model._meta.verbose_name} is append-only")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{self._meta.verbose_name} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError(f"{self._meta.verbose_name} is append-only")


class Decision(AppendOnly):
    """A commune chairman's decision recognising the lists of a review round (or correcting an earlier one)."""

    review = models.ForeignKey(
        Review, verbose_name=_("đợt rà soát"), on_delete=models.PROTECT, related_name="decisions"
    )
    commune = models.ForeignKey(
        AdminUnit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="poverty_decisions"
    )
    number = models.CharField(_("số quyết định"), max_length=60)
    signed_on = models.DateField(_("ngày ký"))
    signer = models.CharField(_("người ký"), max_length=150)
    effective_from = models.DateField(_("có hiệu lực từ ngày"))
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("đính chính quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    reason = models.TextField(_("lý do đính chính"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_name = models.CharField(_("người ghi"), max_length=150, blank=True)
    recorded_at = models.DateTimeField(_("thời điểm ghi"))

    class Meta:
        verbose_name = _("quyết định công nhận hộ nghèo, hộ cận nghèo")
        verbose_name_plural = _("quyết định công nhận hộ nghèo, hộ cận nghèo")
        ordering = ["-signed_on", "-id"]
        constraints = [
            # One decision per round and commune; anything after it is a correction.
            models.UniqueConstraint(
                fields=["review", "commune"],
                condition=Q(corrects__isnull=True),
                name="decision_one_per_round",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(reason=""), name="decision_correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"


class OfficialStatus(AppendOnly):
    """A household's status on the lists from `valid_from` until its next row; each row backed by a decision."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="official_statuses", db_index=False
    )
    status = models.CharField(_("tình trạng"), max_length=20, choices=PovertyClass.choices)
    valid_from = models.DateField(_("từ ngày"))
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="statuses")
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    member_count = models.PositiveSmallIntegerField(_("số nhân khẩu"), default=0)

    class Meta:
        verbose_name = _("tình trạng hộ theo quyết định")
        verbose_name_plural = _("tình trạng hộ theo quyết định")
        ordering = ["household", "valid_from", "id"]
        indexes = [
            models.Index(fields=["household", "valid_from", "id"], name="status_household_date"),
            models.Index(fields=["commune", "valid_from"], name="status_commune_date"),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.status} {self.valid_from:%d/%m/%Y}"


class ApprovalAction(models.TextChoices):
    SUBMITTED = "submitted", _("Trình cấp trên")
    APPROVED = "approved", _("Phê duyệt")
    UNLOCKED = "unlocked", _("Mở khoá")


class Approval(AppendOnly):
    """One step of a commune's results of a round on their way up (DHIS2's data approval is the model): the
    commune submits, the level above approves — the results are then locked — and only the level above unlocks,
    with a reason. The latest step is the state; the log is never rewritten."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="approvals")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("bước"), max_length=10, choices=ApprovalAction.choices)
    reason = models.TextField(_("lý do"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("bước phê duyệt kết quả rà soát")
        verbose_name_plural = _("các bước phê duyệt kết quả rà soát")
        ordering = ["review", "commune", "at", "id"]
        indexes = [models.Index(fields=["review", "commune", "at"], name="approval_round_commune")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="unlocked") | ~Q(reason=""), name="approval_unlock_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.action} {self.at:%d/%m/%Y}"
