"""The national target programmes' money: the catalogue as data, and the append-only ledger of allocations and
disbursements (domain.md §4.1, §4.2, §4.6; the seed article's 82,801 million VND for Kông Chro in 2023).

Catalogue. A programme (QĐ 90/QĐ-TTg for 2021-2025, the merged programme 2026-2035) holds a tree of items with
stable codes ("DA1", "DA1.TDA2"): components, projects, sub-projects. Capital types (development investment,
recurrent) carry their label by year: the recurrent one is "vốn sự nghiệp" up to 2025 and "kinh phí thường
xuyên" from 2026. Sources: central budget, local budget, other mobilised. All of it is data, editable in the admin,
each item flagged verified or unverified as the research found it.

Ledger. An `Allocation` is money given to an area (a province, a legacy district or a commune: the unit that
manages and spends it) for a year, a programme item, a capital type and a source. Nothing is ever rewritten:
- a change of an allocation's amount is an `ADJUSTMENT` row (signed amount) pointing at the allocation it changes,
  with the same year, area, item, capital type and source, so every total is a plain sum of rows;
- a wrong disbursement is undone by a reversing `Disbursement` (negative amount) pointing at it;
- the unspent remainder at year end moves to the next year as a `CARRIED_IN` allocation of year + 1 linked to its
  origin (`carried_from`): the origin's remaining becomes 0 and it takes no more entries.
How the years count carry-over (`selectors`): a year's *allocated* money is its original allocations and their
adjustments; money carried in from the year before is counted apart (`carried_in`), never again as allocated, so
adding up the allocated money of several years counts every đồng once. A disbursement counts in the year of the
allocation it is paid from.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from giamngheo.areas.models import AdminUnit


class Evidence(models.TextChoices):
    VERIFIED = "verified", _("Đã kiểm chứng")
    UNVERIFIED = "unverified", _("Chưa kiểm chứng")


class Programme(models.Model):
    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=400)
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    first_year = models.PositiveSmallIntegerField(_("từ năm"))
    last_year = models.PositiveSmallIntegerField(_("đến năm"))
    evidence = models.CharField(_("mức kiểm chứng"), max_length=10, choices=Evidence.choices)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("chương trình mục tiêu quốc gia")
        verbose_name_plural = _("chương trình mục tiêu quốc gia")
        ordering = ["first_year", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(last_year__gte=models.F("first_year")), name="programme_years")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.first_year}–{self.last_year})"


class ItemKind(models.TextChoices):
    COMPONENT = "component", _("Hợp phần")
    PROJECT = "project", _("Dự án")
    SUB_PROJECT = "sub_project", _("Tiểu dự án")


# Money is allocated to a project or a sub-project, never to a component as a whole.
FUNDABLE_KINDS = (ItemKind.PROJECT, ItemKind.SUB_PROJECT)


class ProgrammeItem(models.Model):
    """A component, project or sub-project of a programme; `code` is stable and unique within the programme."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="items")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("mã"), max_length=40)
    kind = models.CharField(_("loại"), max_length=12, choices=ItemKind.choices)
    name = models.CharField(_("tên"), max_length=400)
    evidence = models.CharField(_("mức kiểm chứng"), max_length=10, choices=Evidence.choices)
    source = models.TextField(_("nguồn"), blank=True)

    class Meta:
        verbose_name = _("hợp phần, dự án, tiểu dự án")
        verbose_name_plural = _("hợp phần, dự án, tiểu dự án")
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="programme_item_code"),
            models.CheckConstraint(
                condition=~Q(kind="sub_project") | Q(parent__isnull=False),
                name="programme_sub_project_parent",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="programme_item_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class CapitalType(models.Model):
    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200, help_text=_("Tên dùng khi năm không có tên riêng"))
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("loại vốn")
        verbose_name_plural = _("loại vốn")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    def label_for(self, year: int) -> str:
        """The name the documents of `year` use (prefetch `labels` to read many without queries)."""
        for label in self.labels.all():
            if label.first_year <= year and (label.last_year is None or year <= label.last_year):
                return label.label
        return self.name


class CapitalTypeLabel(models.Model):
    capital_type = models.ForeignKey(CapitalType, on_delete=models.CASCADE, related_name="labels")
    label = models.CharField(_("tên gọi"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("từ năm"))
    last_year = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tên gọi loại vốn theo năm")
        verbose_name_plural = _("tên gọi loại vốn theo năm")
        ordering = ["capital_type", "first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=models.F("first_year")),
                name="capital_label_years",
            )
        ]

    def __str__(self) -> str:
        return self.label


class FundingSource(models.Model):
    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nguồn vốn")
        verbose_name_plural = _("nguồn vốn")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class LedgerQuerySet(models.QuerySet[Any]):
    """Bulk updates and deletes are refused like single ones."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError(f"{self.model._meta.verbose_name} is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError(f"{self.model._meta.verbose_name} is append-only")


class LedgerEntry(models.Model):
    """An append-only row naming who recorded it, and when."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_name = models.CharField(_("người ghi"), max_length=150, blank=True)
    recorded_at = models.DateTimeField(_("thời điểm ghi"))

    objects = LedgerQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{self._meta.verbose_name} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError(f"{self._meta.verbose_name} is append-only")


class AllocationKind(models.TextChoices):
    ORIGINAL = "original", _("Giao vốn")
    ADJUSTMENT = "adjustment", _("Điều chỉnh")
    CARRIED_IN = "carried_in", _("Chuyển từ năm trước")


class Allocation(LedgerEntry):
    year = models.PositiveSmallIntegerField(_("năm"))
    area = models.ForeignKey(
        AdminUnit, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="programme_allocations"
    )
    item = models.ForeignKey(
        ProgrammeItem,
        verbose_name=_("dự án, tiểu dự án"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    capital_type = models.ForeignKey(
        CapitalType, verbose_name=_("loại vốn"), on_delete=models.PROTECT, related_name="allocations"
    )
    source = models.ForeignKey(
        FundingSource, verbose_name=_("nguồn vốn"), on_delete=models.PROTECT, related_name="allocations"
    )
    kind = models.CharField(_("loại bút toán"), max_length=12, choices=AllocationKind.choices)
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    adjusts = models.ForeignKey(
        "self",
        verbose_name=_("điều chỉnh khoản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
    )
    carried_from = models.OneToOneField(
        "self",
        verbose_name=_("chuyển từ khoản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_to",
    )
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("khoản vốn được giao")
        verbose_name_plural = _("các khoản vốn được giao")
        ordering = ["year", "area", "item", "id"]
        indexes = [models.Index(fields=["year", "area"], name="allocation_year_area")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="original") & Q(adjusts__isnull=True) & Q(carried_from__isnull=True) & Q(amount__gt=0))
                | (Q(kind="adjustment") & Q(adjusts__isnull=False) & Q(carried_from__isnull=True) & ~Q(amount=0))
                | (Q(kind="carried_in") & Q(adjusts__isnull=True) & Q(carried_from__isnull=False) & Q(amount__gt=0)),
                name="allocation_kind_links",
            ),
            models.CheckConstraint(
                condition=Q(kind="adjustment") | ~Q(decision_number=""), name="allocation_has_decision"
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"#{self.pk} {self.year} {self.item.code}"

    @property
    def head_id(self) -> int:
        """The allocation an adjustment belongs to (itself otherwise)."""
        return self.adjusts_id if self.adjusts_id is not None else self.pk


class Disbursement(LedgerEntry):
    allocation = models.ForeignKey(
        Allocation, verbose_name=_("khoản vốn"), on_delete=models.PROTECT, related_name="disbursements"
    )
    paid_on = models.DateField(_("ngày giải ngân"))
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    activity = models.CharField(_("nội dung, hoạt động"), max_length=300)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("huỷ khoản giải ngân"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )

    class Meta:
        verbose_name = _("khoản giải ngân")
        verbose_name_plural = _("các khoản giải ngân")
        ordering = ["allocation", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0)) | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="disbursement_sign",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"#{self.pk} {self.paid_on:%d/%m/%Y}"
