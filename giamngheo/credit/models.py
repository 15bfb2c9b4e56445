"""Social-policy bank (VBSP, Ngân hàng Chính sách xã hội) credit for poor and related households (domain.md §5).

Three kinds of record:

- `Programme` and its `ProgrammeTerms`: the lending programmes as editable data. A programme says who may borrow
  (`Eligibility`); its terms (interest rate, ceiling, maximum term) are valid for a span of dates and carry a
  `verified` flag, because several figures of domain.md §5 are not verified against the legal text.
- Per-household loans (`Loan`) and their principal repayments (`Repayment`), written only through
  `credit.services`. Append-only: a wrong repayment is withdrawn by a `RepaymentReversal`, a wrong loan by a
  `LoanCancellation`, each with its reason and who recorded it; amounts are never updated. Every write also leaves
  a `CreditEvent` (the household's credit history, and the mark a stale copy is checked against).
- Aggregate figures the bank reports per commune, programme and period (`BankFigure`), imported from a
  spreadsheet as one `BankImport` batch; a batch is withdrawn by a `BankImportWithdrawal`, never deleted.

Money is whole đồng (BigIntegerField); rates are Decimal percent per year.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from giamngheo.areas.models import AdminUnit, Village
from giamngheo.decisions.models import AppendOnly, Evidence, Recorded
from giamngheo.registry.models import Household, Person

__all__ = [
    "BankFigure",
    "BankImport",
    "BankImportWithdrawal",
    "Channel",
    "CreditEvent",
    "CreditEventKind",
    "Eligibility",
    "Evidence",
    "Loan",
    "LoanCancellation",
    "Programme",
    "ProgrammeTerms",
    "Repayment",
    "RepaymentReversal",
]


class Eligibility(models.TextChoices):
    """Who may borrow under a programme, as the system can check it against the official lists on the day the
    loan is disbursed (`credit.eligibility`)."""

    POOR = "poor", _("Hộ nghèo (có tên trong danh sách hộ nghèo)")
    NEAR_POOR = "near_poor", _("Hộ cận nghèo (có tên trong danh sách hộ cận nghèo)")
    POOR_OR_NEAR_POOR = "poor_or_near_poor", _("Hộ nghèo hoặc hộ cận nghèo")
    NEWLY_ESCAPED = "newly_escaped", _("Hộ mới thoát nghèo, thoát cận nghèo (trong số năm quy định)")
    DIFFICULT_AREA = "difficult_area", _("Hộ sản xuất, kinh doanh tại vùng khó khăn (xã xác nhận)")
    OTHER = "other", _("Điều kiện khác, không kiểm tra theo danh sách")


class Programme(models.Model):
    code = models.SlugField(_("mã chương trình"), max_length=40, unique=True)
    name = models.CharField(_("tên chương trình"), max_length=200)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    eligibility = models.CharField(_("đối tượng vay"), max_length=20, choices=Eligibility.choices)
    window_years = models.PositiveSmallIntegerField(
        _("số năm kể từ khi thoát nghèo"), null=True, blank=True,
        help_text=_("Chỉ dùng cho chương trình hộ mới thoát nghèo"),
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(_("thứ tự hiển thị"), default=0)
    active = models.BooleanField(_("còn cho vay"), default=True)

    class Meta:
        verbose_name = _("chương trình cho vay")
        verbose_name_plural = _("chương trình cho vay")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(eligibility="newly_escaped") | Q(window_years__gte=1),
                name="credit_programme_escape_window",
            )
        ]

    def __str__(self) -> str:
        return str(self.name)


class ProgrammeTerms(models.Model):
    """A programme's interest rate, ceiling and maximum term from `valid_from` to `valid_to` (inclusive; empty: still
    in force). An empty figure is one the project has not found: nothing is checked against it."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="terms")
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("đến hết ngày"), null=True, blank=True)
    interest_rate = models.DecimalField(
        _("lãi suất (%/năm)"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    overdue_rate_percent = models.DecimalField(
        _("lãi suất nợ quá hạn (% lãi suất cho vay)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    ceiling = models.BigIntegerField(_("mức cho vay tối đa (đồng/hộ)"), null=True, blank=True)
    max_term_months = models.PositiveSmallIntegerField(
        _("thời hạn vay tối đa (tháng)"), null=True, blank=True
    )
    source = models.TextField(_("nguồn"), blank=True)
    evidence = models.CharField(_("mức kiểm chứng"), max_length=10, choices=Evidence.choices)

    class Meta:
        verbose_name = _("lãi suất, mức cho vay theo thời gian")
        verbose_name_plural = _("lãi suất, mức cho vay theo thời gian")
        ordering = ["programme", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "valid_from"], name="credit_terms_one_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="credit_terms_span",
            ),
            models.CheckConstraint(
                condition=Q(ceiling__isnull=True) | Q(ceiling__gt=0), name="credit_terms_ceiling_positive"
            ),
            models.CheckConstraint(
                condition=Q(interest_rate__isnull=True) | Q(interest_rate__gte=0),
                name="credit_terms_rate_not_negative",
            ),
        ]

    def __str__(self) -> str:
        end = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "…"
        return f"{self.programme_id}: {self.valid_from:%d/%m/%Y}–{end}"

    @property
    def verified(self) -> bool:
        return self.evidence != Evidence.UNVERIFIED

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Channel(models.TextChoices):
    """Who delivers the loan for the bank (ủy thác qua tổ chức chính trị - xã hội, or the bank itself)."""

    WOMEN = "women", _("Hội Liên hiệp Phụ nữ")
    FARMERS = "farmers", _("Hội Nông dân")
    VETERANS = "veterans", _("Hội Cựu chiến binh")
    YOUTH = "youth", _("Đoàn Thanh niên")
    DIRECT = "direct", _("Ngân hàng cho vay trực tiếp")


class Loan(Recorded):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey(
        Person, verbose_name=_("người vay"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="loans"
    )
    terms = models.ForeignKey(ProgrammeTerms, on_delete=models.PROTECT, related_name="loans")
    # Where the household was registered when the loan was recorded: the commune the loan is counted in.
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(_("số tiền vay (đồng)"))
    disbursed_on = models.DateField(_("ngày giải ngân"))
    term_months = models.PositiveSmallIntegerField(_("thời hạn vay (tháng)"))
    matures_on = models.DateField(_("ngày đến hạn"))
    channel = models.CharField(_("tổ chức nhận ủy thác"), max_length=10, choices=Channel.choices, blank=True)
    contract_number = models.CharField(_("số khế ước"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("khoản vay")
        verbose_name_plural = _("khoản vay")
        ordering = ["household", "disbursed_on", "id"]
        indexes = [
            models.Index(fields=["commune", "disbursed_on"], name="loan_commune_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(condition=Q(term_months__gte=1), name="loan_term_positive"),
            models.CheckConstraint(
                condition=Q(matures_on__gt=models.F("disbursed_on")), name="loan_matures_after_disbursal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.programme_id} {self.amount} {self.disbursed_on:%d/%m/%Y}"


class LoanCancellation(Recorded):
    """A loan recorded by mistake: from now on it counts nowhere (nor do its repayments)."""

    loan = models.OneToOneField(Loan, on_delete=models.PROTECT, related_name="cancellation")
    reason = models.TextField(_("lý do huỷ"))

    class Meta:
        verbose_name = _("huỷ khoản vay ghi nhầm")
        verbose_name_plural = _("huỷ khoản vay ghi nhầm")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="loan_cancellation_reason")]


class Repayment(Recorded):
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    paid_on = models.DateField(_("ngày trả"))
    principal = models.BigIntegerField(_("số tiền gốc trả (đồng)"))

    class Meta:
        verbose_name = _("trả nợ gốc")
        verbose_name_plural = _("trả nợ gốc")
        ordering = ["loan", "paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(principal__gt=0), name="repayment_positive")]


class RepaymentReversal(Recorded):
    """A repayment recorded by mistake: from now on it counts nowhere."""

    repayment = models.OneToOneField(Repayment, on_delete=models.PROTECT, related_name="reversal")
    reason = models.TextField(_("lý do"))

    class Meta:
        verbose_name = _("huỷ lần trả nợ ghi nhầm")
        verbose_name_plural = _("huỷ lần trả nợ ghi nhầm")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="repayment_reversal_reason")]


class CreditEventKind(models.TextChoices):
    LOAN = "loan", _("Ghi khoản vay")
    REPAYMENT = "repayment", _("Ghi trả nợ gốc")
    REVERSAL = "reversal", _("Huỷ lần trả nợ ghi nhầm")
    CANCELLATION = "cancellation", _("Huỷ khoản vay ghi nhầm")


class CreditEvent(Recorded):
    """One write to a household's loans. The id of the household's latest event is what a form or an API client
    saw (`services.credit_mark`); a write made from an older copy is refused."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="credit_events")
    kind = models.CharField(_("việc"), max_length=12, choices=CreditEventKind.choices)
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="events")
    summary = models.TextField(_("nội dung"), blank=True)

    class Meta:
        verbose_name = _("lịch sử tín dụng của hộ")
        verbose_name_plural = _("lịch sử tín dụng của hộ")
        ordering = ["household", "id"]


class BankImport(AppendOnly):
    """One spreadsheet of the bank's figures, imported whole."""

    file_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    row_count = models.PositiveIntegerField(_("số dòng"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_by_name = models.CharField(_("người nhập"), max_length=150, blank=True)
    imported_at = models.DateTimeField(_("thời điểm nhập"))

    class Meta:
        verbose_name = _("lô số liệu của ngân hàng")
        verbose_name_plural = _("lô số liệu của ngân hàng")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%d/%m/%Y %H:%M})"


class BankImportWithdrawal(Recorded):
    """Undo of an import: the batch's figures count nowhere from now on; the batch and its rows are kept."""

    batch = models.OneToOneField(BankImport, on_delete=models.PROTECT, related_name="withdrawal")
    reason = models.TextField(_("lý do rút lô"))

    class Meta:
        verbose_name = _("rút lô số liệu của ngân hàng")
        verbose_name_plural = _("rút lô số liệu của ngân hàng")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="bank_withdrawal_reason")]


class BankFigure(AppendOnly):
    """The bank's figures for one commune and programme: flows over the period `period_start`–`period_end`, stocks
    on `period_end`."""

    batch = models.ForeignKey(BankImport, on_delete=models.PROTECT, related_name="figures")
    row_number = models.PositiveIntegerField(_("dòng trong tệp"))
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    disbursed = models.BigIntegerField(_("doanh số cho vay (đồng)"))
    loan_count = models.PositiveIntegerField(_("số lượt hộ vay"))
    borrower_households = models.PositiveIntegerField(_("số hộ còn dư nợ"))
    outstanding = models.BigIntegerField(_("dư nợ (đồng)"))
    overdue = models.BigIntegerField(_("nợ quá hạn (đồng)"))

    class Meta:
        verbose_name = _("số liệu của ngân hàng")
        verbose_name_plural = _("số liệu của ngân hàng")
        ordering = ["batch", "row_number"]
        indexes = [models.Index(fields=["commune", "programme", "period_end"], name="bankfigure_cell")]
        constraints = [
            models.CheckConstraint(
                condition=Q(disbursed__gte=0) & Q(outstanding__gte=0) & Q(overdue__gte=0),
                name="bankfigure_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(overdue__lte=models.F("outstanding")), name="bankfigure_overdue"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="bankfigure_period"
            ),
        ]
