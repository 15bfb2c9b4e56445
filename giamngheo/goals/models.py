"""Targets and actuals of the poverty-reduction programme (domain.md §4.1, §4.4 "annual targets vs actuals", §4.5
item 6; the seed article's 2024 targets).

An `Indicator` is data, editable in the admin: its unit, whether a higher or a lower value is better, and how its
actual is obtained — computed from the system's own records by a computation registered in code under the
indicator's code (`computations`), or entered by an officer.

A `Target` is the value an area sets itself for a year (or a month of it), with the plan or decision it comes
from; an `ActualEntry` is a figure an officer enters. Both are append-only: a correction is a new row naming the
one it replaces and why, and the latest row of an indicator, area and period is the one that counts. Targets are
set per area and do not add up: a province's target is its own, not the sum of its communes'.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from giamngheo.areas.models import AdminUnit
from giamngheo.decisions.models import Recorded


class Unit(models.TextChoices):
    POINTS = "points", _("điểm phần trăm")
    PERCENT = "percent", _("%")
    PERSONS = "persons", _("người")
    HOUSEHOLDS = "households", _("hộ")
    HOUSES = "houses", _("căn nhà")
    COUNT = "count", _("lượt")
    MILLION_VND = "million_vnd", _("triệu đồng")


# Units counted in whole numbers: a target or an actual of 12,5 households is refused.
WHOLE_UNITS = {Unit.PERSONS.value, Unit.HOUSEHOLDS.value, Unit.HOUSES.value, Unit.COUNT.value}


class Direction(models.TextChoices):
    HIGHER = "higher", _("Càng cao càng tốt (đạt khi không thấp hơn chỉ tiêu)")
    LOWER = "lower", _("Càng thấp càng tốt (đạt khi không cao hơn chỉ tiêu)")


class Obtained(models.TextChoices):
    COMPUTED = "computed", _("Tính từ dữ liệu của hệ thống")
    ENTERED = "entered", _("Cán bộ nhập")


class Indicator(models.Model):
    code = models.SlugField(_("mã chỉ tiêu"), max_length=60, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=255)
    unit = models.CharField(_("đơn vị tính"), max_length=20, choices=Unit.choices)
    direction = models.CharField(_("chiều đánh giá"), max_length=10, choices=Direction.choices)
    obtained = models.CharField(
        _("cách có số thực hiện"),
        max_length=10,
        choices=Obtained.choices,
        help_text=_("«Tính từ dữ liệu» chỉ chọn được khi phần mềm có phép tính đăng ký cho mã chỉ tiêu này."),
    )
    description = models.TextField(_("ghi chú"), blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return str(self.name)


def _period_constraints(prefix: str) -> list[models.BaseConstraint]:
    """One first row per indicator, area and period (a year, or a month of it); every later row corrects one,
    and a row is corrected at most once, so the rows of a period form a single chain whose end counts."""
    return [
        models.CheckConstraint(
            condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12), name=f"{prefix}_month"
        ),
        models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name=f"{prefix}_year"),
        models.UniqueConstraint(
            fields=["indicator", "area", "year"],
            condition=Q(corrects__isnull=True, month__isnull=True),
            name=f"{prefix}_first_of_year",
        ),
        models.UniqueConstraint(
            fields=["indicator", "area", "year", "month"],
            condition=Q(corrects__isnull=True, month__isnull=False),
            name=f"{prefix}_first_of_month",
        ),
        models.UniqueConstraint(
            fields=["corrects"], condition=Q(corrects__isnull=False), name=f"{prefix}_corrected_once"
        ),
        models.CheckConstraint(
            condition=Q(corrects__isnull=True) | ~Q(reason=""), name=f"{prefix}_correction_has_reason"
        ),
    ]


class Target(Recorded):
    """The value `area` sets itself for `indicator` in a year (a month of it, with `month`)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="targets"
    )
    area = models.ForeignKey(AdminUnit, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    value = models.DecimalField(_("giá trị chỉ tiêu"), max_digits=14, decimal_places=2)
    document_number = models.CharField(_("số kế hoạch, quyết định"), max_length=60, blank=True)
    document_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    document_title = models.CharField(_("trích yếu, cơ quan ban hành"), max_length=255, blank=True)
    corrects = models.ForeignKey(
        "self", verbose_name=_("đính chính"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="corrections",
    )  # fmt: skip
    reason = models.TextField(_("lý do đính chính"), blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu được giao")
        verbose_name_plural = _("chỉ tiêu được giao")
        ordering = ["area", "year", "month", "indicator", "recorded_at", "id"]
        indexes = [models.Index(fields=["area", "year"], name="target_area_year")]
        constraints = _period_constraints("target")

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class ActualEntry(Recorded):
    """A figure an officer enters for `indicator` in `area` and a period, as of a date and from a source."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="actual_entries"
    )
    area = models.ForeignKey(AdminUnit, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    value = models.DecimalField(_("số thực hiện"), max_digits=14, decimal_places=2)
    as_of = models.DateField(_("số liệu đến ngày"))
    source_note = models.TextField(_("nguồn số liệu"))
    corrects = models.ForeignKey(
        "self", verbose_name=_("đính chính"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="corrections",
    )  # fmt: skip
    reason = models.TextField(_("lý do đính chính"), blank=True)

    class Meta:
        verbose_name = _("số thực hiện được nhập")
        verbose_name_plural = _("số thực hiện được nhập")
        ordering = ["area", "year", "month", "indicator", "recorded_at", "id"]
        indexes = [models.Index(fields=["area", "year"], name="actual_area_year")]
        constraints = [
            *_period_constraints("actual"),
            models.CheckConstraint(condition=~Q(source_note=""), name="actual_has_source"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"
