"""The support ledger: what poor, near-poor and newly-escaped households received, from which funds (domain.md §4,
§6; NTP 2021-2025 projects 2-6, QĐ 90/QĐ-TTg).

- `SupportKind`: the kinds of support (housing new build and repair, vocational training, jobs, work abroad,
  production, nutrition, health insurance, education, information, other), editable data.
- `SupportRule`: for a kind and a span of dates, which official statuses on the day of the support are eligible
  (poor, near-poor, escaped within N years, or any household) and the default state-budget amount per household
  (housing: 40,000,000 đồng new build, 20,000,000 đồng repair — domain.md §6). Editable in the admin, with a
  verified flag: much of it is UNVERIFIED (domain.md §12).
- `SupportEvent`: one support received, append-only. A wrong entry is corrected by a new entry (`corrects`, with a
  reason) or cancelled (`SupportCancellation`, with a reason); nothing is rewritten. Each entry keeps the rule
  that allowed it and the household's status that day.
- `HousingCase` and `HousingStep`: a housing support followed from approval to hand-over; the state is the latest
  step, and the funding is that of the case's support entry in force.

Money is whole đồng in 64-bit integers, split by source: state budget, bank loan (VBSP), mobilised/community.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from giamngheo.areas.models import AdminUnit, Village
from giamngheo.decisions.models import AppendOnlyQuerySet, Recorded
from giamngheo.registry.models import Household, Person


class HousingWork(models.TextChoices):
    NEW_BUILD = "new_build", _("Xây mới")
    REPAIR = "repair", _("Sửa chữa")


class SupportKind(models.Model):
    """A kind of support. `code` is what programs and the API use; the name and the project text are data."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=150)
    project = models.CharField(
        _("thuộc dự án"),
        max_length=200,
        blank=True,
        help_text=_("Dự án, tiểu dự án của Chương trình (nếu có)"),
    )
    housing = models.CharField(
        _("loại hỗ trợ nhà ở"), max_length=10, choices=HousingWork.choices, blank=True,
        help_text=_("Chỉ với loại hỗ trợ nhà ở: xây mới hay sửa chữa"),
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại hỗ trợ")
        verbose_name_plural = _("loại hỗ trợ")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["housing"], condition=~Q(housing=""), name="support_kind_one_per_housing_work"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SupportRule(models.Model):
    """Who may receive a kind of support, by the household's official status on the day, from `valid_from` to
    `valid_to`; and the default state-budget amount per household."""

    kind = models.ForeignKey(
        SupportKind, verbose_name=_("loại hỗ trợ"), on_delete=models.PROTECT, related_name="rules"
    )
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("đến hết ngày"), null=True, blank=True)
    poor = models.BooleanField(_("hộ nghèo"), default=False)
    near_poor = models.BooleanField(_("hộ cận nghèo"), default=False)
    escaped_within_years = models.PositiveSmallIntegerField(
        _("hộ mới thoát nghèo, thoát cận nghèo trong số năm"), null=True, blank=True,
        help_text=_("Trống: hộ đã thoát nghèo không thuộc diện"),
    )  # fmt: skip
    any_household = models.BooleanField(
        _("mọi hộ"),
        default=False,
        help_text=_("Hỗ trợ không phụ thuộc tình trạng của hộ (truyền thông, ...)"),
    )
    default_state_amount = models.BigIntegerField(
        _("mức hỗ trợ ngân sách nhà nước mặc định (đồng/hộ)"), null=True, blank=True
    )
    source = models.TextField(_("căn cứ"), blank=True)
    verified = models.BooleanField(_("đã kiểm chứng"), default=False)

    class Meta:
        verbose_name = _("quy định đối tượng hỗ trợ")
        verbose_name_plural = _("quy định đối tượng hỗ trợ")
        ordering = ["kind", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="support_rule_span",
            ),
            models.CheckConstraint(
                condition=Q(default_state_amount__isnull=True) | Q(default_state_amount__gte=0),
                name="support_rule_amount",
            ),
            models.UniqueConstraint(fields=["kind", "valid_from"], name="support_rule_one_per_start"),
        ]

    def __str__(self) -> str:
        end = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "…"
        return f"{self.kind}: {self.valid_from:%d/%m/%Y}–{end}"


class HousingCase(Recorded):
    """A housing support (new build or repair) of a household, from its approval to the hand-over. Its state is
    its latest `HousingStep`; its funding is its `SupportEvent` in force (none in force: cancelled)."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="housing_cases")
    work = models.CharField(_("loại"), max_length=10, choices=HousingWork.choices)
    commune = models.ForeignKey(AdminUnit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("hồ sơ hỗ trợ nhà ở")
        verbose_name_plural = _("hồ sơ hỗ trợ nhà ở")
        ordering = ["commune", "id"]
        indexes = [models.Index(fields=["commune"], name="housing_case_commune")]

    def __str__(self) -> str:
        return f"{self.household} {self.get_work_display()}"


class SupportEventQuerySet(AppendOnlyQuerySet):
    def in_force(self) -> SupportEventQuerySet:
        """Entries neither corrected by a later one nor cancelled."""
        return self.filter(correction__isnull=True, cancellation__isnull=True)


class SupportEvent(Recorded):
    """One support a household (or one of its members) received, with the amounts by source of funds."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="support_events")
    person = models.ForeignKey(
        Person,
        verbose_name=_("thành viên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.ForeignKey(
        SupportKind, verbose_name=_("loại hỗ trợ"), on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField(_("ngày hỗ trợ"))
    # Where the household lived that day (the commune of the time: a legacy one before 01/07/2025).
    commune = models.ForeignKey(AdminUnit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("nội dung"), blank=True)
    state_budget = models.BigIntegerField(_("ngân sách nhà nước (đồng)"), default=0)
    bank_loan = models.BigIntegerField(_("vốn vay ngân hàng (đồng)"), default=0)
    mobilised = models.BigIntegerField(_("vốn huy động, cộng đồng (đồng)"), default=0)
    reference = models.CharField(_("quyết định, văn bản"), max_length=200, blank=True)
    # What the support was paid from, where it was a programme's: the project (or sub-project) and the allocation.
    project = models.ForeignKey(
        "programme.ProgrammeItem", verbose_name=_("dự án, tiểu dự án"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    allocation = models.ForeignKey(
        "programme.Allocation", verbose_name=_("khoản vốn"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="support_events",
    )  # fmt: skip
    # Why it was allowed: the rule in force and the household's standing on the day, as recorded.
    rule = models.ForeignKey(SupportRule, on_delete=models.PROTECT, related_name="+")
    standing = models.CharField(_("tình trạng của hộ ngày hỗ trợ"), max_length=30, blank=True)
    housing_case = models.ForeignKey(
        HousingCase, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    corrects = models.OneToOneField(
        "self", verbose_name=_("đính chính mục"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="correction",
    )  # fmt: skip
    reason = models.TextField(_("lý do đính chính"), blank=True)

    # The append-only manager of `Recorded`, with `in_force()` added.
    objects = SupportEventQuerySet.as_manager()  # type: ignore[misc]  # narrows the base's manager type

    class Meta:
        verbose_name = _("hỗ trợ đã nhận")
        verbose_name_plural = _("hỗ trợ đã nhận")
        ordering = ["household", "occurred_on", "id"]
        indexes = [
            models.Index(fields=["commune", "occurred_on"], name="support_commune_date"),
            models.Index(fields=["household", "occurred_on"], name="support_household_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state_budget__gte=0) & Q(bank_loan__gte=0) & Q(mobilised__gte=0),
                name="support_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(reason=""), name="support_correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.kind} {self.occurred_on:%d/%m/%Y}"

    @property
    def total(self) -> int:
        return self.state_budget + self.bank_loan + self.mobilised


class SupportCancellation(Recorded):
    """An entry withdrawn as wrong (recorded by mistake, support not given), with the reason."""

    event = models.OneToOneField(SupportEvent, on_delete=models.PROTECT, related_name="cancellation")
    reason = models.TextField(_("lý do huỷ"))

    class Meta:
        verbose_name = _("huỷ mục hỗ trợ")
        verbose_name_plural = _("huỷ mục hỗ trợ")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="support_cancellation_has_reason")
        ]

    def __str__(self) -> str:
        return f"{self.event} ✗"


class HousingStage(models.TextChoices):
    APPROVED = "approved", _("Đã phê duyệt")
    BUILDING = "building", _("Đang thi công")
    COMPLETED = "completed", _("Đã hoàn thành")
    HANDED_OVER = "handed_over", _("Đã bàn giao")


HOUSING_ORDER: tuple[str, ...] = tuple(HousingStage.values)


class HousingStep(Recorded):
    """One dated step of a housing case; steps follow `HOUSING_ORDER`, each once."""

    case = models.ForeignKey(HousingCase, on_delete=models.PROTECT, related_name="steps")
    stage = models.CharField(_("bước"), max_length=12, choices=HousingStage.choices)
    on = models.DateField(_("ngày"))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước của hồ sơ nhà ở")
        verbose_name_plural = _("các bước của hồ sơ nhà ở")
        ordering = ["case", "on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "stage"], name="housing_step_once")]
        indexes = [models.Index(fields=["stage", "on"], name="housing_step_stage_date")]

    def __str__(self) -> str:
        return f"{self.case} {self.get_stage_display()} {self.on:%d/%m/%Y}"
