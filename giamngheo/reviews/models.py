"""Reviews and assessments.

A review (rà soát) is one round of surveying households of an area under a named standard. An assessment is one
household's survey result in a review: the facts gathered, the income estimate, the entered deprivation flags and
the engine's classification with its explanation. An assessment is *not* an official status: the official poor
and near-poor lists come from the commune chairman's decision at the end of the statutory procedure (a later part
of this app), which refers to assessments.

Results stay as decided: once a round's cut-off date (`Review.reference_date`, "ngày chốt số liệu") has passed,
the round is closed and its assessments are never rewritten. A correction is a new assessment in the same round
that names the one it corrects (`Assessment.corrects`) and why; the corrected one stays as it was, marked
`superseded`, so that exactly one assessment per household and round is in force.

Deprivation flags are stored as integer bit masks over the indicator catalogue (`standards/data/indicators.toml`,
whose bit positions never change): compact for millions of rows, and each bit is readable through the catalogue.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from giamngheo.areas.models import AdminUnit, Village
from giamngheo.registry.models import Household
from giamngheo.standards.models import PovertyStandard


class ReviewKind(models.TextChoices):
    PERIODIC = "periodic", _("Rà soát định kỳ hằng năm")
    REGULAR = "regular", _("Rà soát thường xuyên hằng tháng")


class ReviewQuerySet(models.QuerySet["Review"]):
    def open_on(self, day: date) -> ReviewQuerySet:
        """Rounds whose cut-off date has not passed on `day`."""
        return self.filter(reference_date__gte=day)


class Review(models.Model):
    name = models.CharField(_("tên đợt rà soát"), max_length=200)
    kind = models.CharField(_("loại"), max_length=10, choices=ReviewKind.choices, default=ReviewKind.PERIODIC)
    year = models.PositiveSmallIntegerField(_("năm rà soát"))
    area = models.ForeignKey(
        AdminUnit, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="reviews"
    )
    standard = models.ForeignKey(PovertyStandard, verbose_name=_("chuẩn nghèo"), on_delete=models.PROTECT)
    lists_effective_year = models.PositiveSmallIntegerField(_("năm áp dụng danh sách"))
    reference_date = models.DateField(_("ngày chốt số liệu"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("đợt rà soát")
        verbose_name_plural = _("đợt rà soát")
        ordering = ["-year", "area__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "kind", "reference_date"], name="review_unique_round"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_closed_on(self, day: date) -> bool:
        """Closed once its cut-off date has passed: its results are decided and are never rewritten."""
        return day > self.reference_date


class IncomeMethod(models.TextChoices):
    MEASURED = "measured", _("Thu nhập thực tế")
    ESTIMATED = "estimated", _("Ước tính theo phiếu B1")


class PovertyClass(models.TextChoices):
    POOR = "ngheo", _("Hộ nghèo")
    NEAR_POOR = "can_ngheo", _("Hộ cận nghèo")
    MIDDLE = "muc_song_trung_binh", _("Hộ có mức sống trung bình")
    NOT_POOR = "khong_ngheo", _("Không nghèo")


class Cause(models.IntegerChoices):
    """Causes of poverty (bit positions in `Assessment.causes_mask`), as the statutory report 10 lists them."""

    NO_LAND = 0, _("Thiếu đất sản xuất")
    NO_CAPITAL = 1, _("Thiếu vốn sản xuất, kinh doanh")
    NO_LABOUR = 2, _("Thiếu lao động")
    NO_TOOLS = 3, _("Thiếu phương tiện sản xuất")
    NO_KNOWLEDGE = 4, _("Không biết cách làm ăn")
    NO_SKILLS = 5, _("Không có tay nghề")
    ILLNESS = 6, _("Ốm đau, bệnh nặng, tai nạn")
    OTHER = 7, _("Nguyên nhân khác")


class Assessment(models.Model):
    # No single-column index on review or household: the unique (review, household) constraint and the
    # (household, assessed_on) index lead with them. Fewer indexes keep bulk writes and re-classification fast.
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="assessments", db_index=False)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="assessments", db_index=False
    )
    # Where the household lived when assessed: historical roll-ups use these, not the household's current place.
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="assessments")
    village = models.ForeignKey(
        Village, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("ngày rà soát"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người rà soát"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    reviewer_name = models.CharField(_("người rà soát"), max_length=150, blank=True)
    area_type = models.CharField(_("khu vực"), max_length=10)
    is_agri = models.BooleanField(_("hộ làm nông, lâm, ngư, diêm nghiệp"), default=False)
    income_per_capita = models.BigIntegerField(_("thu nhập bình quân đầu người/tháng (đồng)"))
    income_method = models.CharField(
        _("cách xác định thu nhập"),
        max_length=10,
        choices=IncomeMethod.choices,
        default=IncomeMethod.ESTIMATED,
    )
    b1_score = models.PositiveIntegerField(_("điểm phiếu B1"), null=True, blank=True)
    entered_mask = models.BigIntegerField(_("chỉ số thiếu hụt theo phiếu"), default=0)
    entered_known_mask = models.BigIntegerField(_("chỉ số đã ghi trên phiếu"), default=0)
    causes_mask = models.IntegerField(_("nguyên nhân nghèo"), default=0)
    member_count = models.PositiveSmallIntegerField(_("số nhân khẩu"), default=0)
    facts = models.JSONField(_("dữ liệu dùng để phân loại"), default=dict, blank=True)
    # The engine's result, with the standard that produced it.
    standard = models.ForeignKey(PovertyStandard, on_delete=models.PROTECT)
    poverty_class = models.CharField(_("phân loại"), max_length=20, choices=PovertyClass.choices)
    deprivation_count = models.PositiveSmallIntegerField(_("số chỉ số thiếu hụt"))
    deprivation_mask = models.BigIntegerField(default=0)
    derived_mask = models.BigIntegerField(default=0)
    derivable_mask = models.BigIntegerField(default=0)
    conflict_mask = models.BigIntegerField(default=0)
    missing_mask = models.BigIntegerField(default=0)
    explanation = models.TextField(_("giải thích"), blank=True)
    classified_at = models.DateTimeField()
    # Corrections of a closed round: the new entry names the one it corrects and why; the corrected one is kept
    # unchanged but no longer in force.
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("đính chính cho phiếu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
    )
    correction_reason = models.TextField(_("lý do đính chính"), blank=True)
    superseded = models.BooleanField(_("đã được đính chính"), default=False)

    class Meta:
        verbose_name = _("phiếu rà soát hộ")
        verbose_name_plural = _("phiếu rà soát hộ")
        ordering = ["-assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "household"],
                condition=Q(superseded=False),
                name="assessment_one_in_force_per_review",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="assessment_correction_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(income_per_capita__gte=0), name="assessment_income_not_negative"
            ),
        ]
        # The result columns (poverty_class, masks) are deliberately in no index: re-classifying a million rows then
        # rewrites no index entry (on PostgreSQL the updates are HOT, helped by the table's fillfactor, see the
        # migration). Per-commune counts scan (review, commune) rows.
        indexes = [
            models.Index(fields=["review", "commune"], name="assessment_review_commune"),
            models.Index(fields=["household", "assessed_on"], name="assessment_household_date"),
        ]

    def __str__(self) -> str:
        return f"{self.household} / {self.review}"
