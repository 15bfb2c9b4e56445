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


# The review procedure (QĐ 24/2021/QĐ-TTg Art. 4-5; domain.md §3.2-3.4, §3.8): what happens between the survey and
# the chairman's decision, and after it. `procedure` holds the rules and the one write path; every step is an
# append-only record naming who recorded it.


class ConsultationAuthority(models.TextChoices):
    NONE = "none", _("Không phải xin ý kiến")
    DISTRICT = "district", _("Chủ tịch UBND cấp huyện")
    PROVINCE = "province", _("UBND cấp tỉnh (cơ quan chuyên môn)")


class Evidence(models.TextChoices):
    TEXT = "text", _("Theo văn bản")
    SECONDARY = "secondary", _("Theo nguồn thứ cấp")
    UNVERIFIED = "unverified", _("Chưa kiểm chứng")


class ProcedureRule(models.Model):
    """The procedure's figures the law leaves to verification or that changed with the 2025 reform, as editable
    data valid for a span of dates: how long results are posted, the re-check deadline, the time limit of a
    regular case, and whom the commune consults before deciding."""

    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("đến hết ngày"), null=True, blank=True)
    posting_days = models.PositiveSmallIntegerField(_("số ngày niêm yết công khai"))
    recheck_days = models.PositiveSmallIntegerField(_("thời hạn phúc tra khiếu nại (ngày)"))
    regular_due_days = models.PositiveSmallIntegerField(_("thời hạn giải quyết rà soát thường xuyên (ngày)"))
    authority = models.CharField(
        _("cơ quan xin ý kiến trước khi công nhận"), max_length=10, choices=ConsultationAuthority.choices
    )
    source = models.TextField(_("căn cứ"), blank=True)
    evidence = models.CharField(_("mức kiểm chứng"), max_length=10, choices=Evidence.choices)

    class Meta:
        verbose_name = _("quy định về quy trình rà soát")
        verbose_name_plural = _("quy định về quy trình rà soát")
        ordering = ["valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="procedure_rule_span",
            ),
            models.CheckConstraint(condition=Q(posting_days__gte=1), name="procedure_rule_posting_days"),
        ]

    def __str__(self) -> str:
        end = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "…"
        return f"{self.valid_from:%d/%m/%Y}–{end}"


class Recorded(AppendOnly):
    """Who recorded a step, and when (the system or the demo's generator when there is no account)."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_name = models.CharField(_("người ghi"), max_length=150, blank=True)
    recorded_at = models.DateTimeField(_("thời điểm ghi"))

    class Meta:
        abstract = True


class RequestForm(models.TextChoices):
    REVIEW = "01", _("Mẫu 01: giấy đề nghị rà soát hộ nghèo, hộ cận nghèo")
    EXIT = "04", _("Mẫu 04: giấy đề nghị công nhận hộ thoát nghèo, thoát cận nghèo")


class Channel(models.TextChoices):
    OFFICE = "office", _("Nộp trực tiếp tại UBND xã")
    POST = "post", _("Qua bưu chính")
    ONLINE = "online", _("Qua Cổng dịch vụ công")


class HouseholdRequest(Recorded):
    """A household's written request (Mẫu 01 or 04), placed in the review round that handles it."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="requests")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="review_requests")
    form = models.CharField(_("loại giấy đề nghị"), max_length=2, choices=RequestForm.choices)
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(_("ngày nhận"))
    applicant = models.CharField(_("người nộp"), max_length=150, blank=True)
    note = models.TextField(_("nội dung"), blank=True)

    class Meta:
        verbose_name = _("giấy đề nghị của hộ")
        verbose_name_plural = _("giấy đề nghị của hộ")
        ordering = ["review", "commune", "received_on", "id"]
        indexes = [models.Index(fields=["review", "commune"], name="request_round_commune")]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.household} {self.received_on:%d/%m/%Y}"


class RequestRefusal(Recorded):
    """The written reply refusing a request, with its reasons (QĐ 24/2021 Art. 5)."""

    request = models.OneToOneField(HouseholdRequest, on_delete=models.PROTECT, related_name="refusal")
    number = models.CharField(_("số văn bản"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    signer = models.CharField(_("người ký"), max_length=150)
    reasons = models.TextField(_("lý do"))

    class Meta:
        verbose_name = _("văn bản trả lời không công nhận")
        verbose_name_plural = _("văn bản trả lời không công nhận")
        constraints = [models.CheckConstraint(condition=~Q(reasons=""), name="refusal_has_reasons")]

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class VillageMeeting(Recorded):
    """A village meeting agreeing the survey results (QĐ 24/2021 Art. 4 step 3). Fewer than half of those present
    agreeing sends the village's results back to survey; households listed in `returns` go back on their own."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="meetings")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    # None: the meeting of the commune's households recorded without a village.
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("ngày họp"))
    attendees = models.PositiveIntegerField(_("số người dự họp"))
    agreeing = models.PositiveIntegerField(_("số người đồng ý"))
    chair = models.CharField(_("chủ trì (trưởng thôn)"), max_length=150)
    secretary = models.CharField(_("thư ký"), max_length=150)
    minutes = models.FileField(_("biên bản họp"), upload_to="minutes/%Y/", blank=True)
    minutes_note = models.CharField(_("nơi lưu biên bản giấy"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cuộc họp dân")
        verbose_name_plural = _("các cuộc họp dân")
        ordering = ["review", "village", "held_on", "id"]
        indexes = [models.Index(fields=["review", "commune", "village"], name="meeting_round_village")]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendees__gt=0) & Q(agreeing__lte=models.F("attendees")), name="meeting_counts"
            ),
            models.CheckConstraint(
                condition=~Q(minutes="") | ~Q(minutes_note=""), name="meeting_has_minutes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.held_on:%d/%m/%Y}"

    @property
    def agreed(self) -> bool:
        return self.agreeing * 2 >= self.attendees


class MeetingReturn(AppendOnly):
    """A household whose result the meeting did not agree (under half of those present): back to survey."""

    meeting = models.ForeignKey(VillageMeeting, on_delete=models.PROTECT, related_name="returns")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    agreeing = models.PositiveIntegerField(_("số người đồng ý"))

    def __str__(self) -> str:
        return f"{self.household} {self.agreeing}"


class Posting(Recorded):
    """The public posting of the results at the village and the commune office, for the configured days."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="postings")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("ngày bắt đầu niêm yết"))
    ends_on = models.DateField(_("ngày kết thúc niêm yết"))
    places = models.CharField(_("nơi niêm yết"), max_length=300)

    class Meta:
        verbose_name = _("niêm yết công khai")
        verbose_name_plural = _("niêm yết công khai")
        constraints = [
            models.UniqueConstraint(fields=["review", "commune"], name="posting_one_per_round"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="posting_span"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"


class Complaint(Recorded):
    """A complaint about a posted result, received during the posting."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="complaints")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    complainant = models.CharField(_("người khiếu nại"), max_length=150)
    received_on = models.DateField(_("ngày nhận"))
    content = models.TextField(_("nội dung"))

    class Meta:
        verbose_name = _("khiếu nại")
        verbose_name_plural = _("khiếu nại")
        ordering = ["review", "commune", "received_on", "id"]
        indexes = [models.Index(fields=["review", "commune"], name="complaint_round_commune")]

    def __str__(self) -> str:
        return f"{self.household} {self.received_on:%d/%m/%Y}"


class Recheck(Recorded):
    """The re-check (phúc tra) of a complaint by the commune's steering committee, with its outcome. Upheld means
    the result was wrong and has been surveyed again."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="recheck")
    checked_on = models.DateField(_("ngày phúc tra"))
    upheld = models.BooleanField(_("khiếu nại đúng"))
    finding = models.TextField(_("kết luận"))

    class Meta:
        verbose_name = _("kết quả phúc tra")
        verbose_name_plural = _("kết quả phúc tra")
        constraints = [models.CheckConstraint(condition=~Q(finding=""), name="recheck_has_finding")]

    def __str__(self) -> str:
        return f"{self.complaint} {self.checked_on:%d/%m/%Y}"


class Consultation(Recorded):
    """The report to and the opinion of the authority configured for the date, before the decision."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="consultations")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    authority = models.CharField(_("cơ quan"), max_length=10, choices=ConsultationAuthority.choices)
    consulted_on = models.DateField(_("ngày có ý kiến"))
    reference = models.CharField(_("số văn bản"), max_length=100)
    opinion = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("xin ý kiến trước khi công nhận")
        verbose_name_plural = _("xin ý kiến trước khi công nhận")
        constraints = [
            models.UniqueConstraint(fields=["review", "commune"], name="consultation_one_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.reference}"


class Certificate(Recorded):
    """A poor or near-poor household certificate (giấy chứng nhận), numbered `Số N/GCN-HN.HCN` per commune and
    year, for a household the decision recognised."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="certificates")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="certificates")
    status = models.CharField(_("tình trạng"), max_length=20, choices=PovertyClass.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    issued_on = models.DateField(_("ngày cấp"))

    class Meta:
        verbose_name = _("giấy chứng nhận hộ nghèo, hộ cận nghèo")
        verbose_name_plural = _("giấy chứng nhận hộ nghèo, hộ cận nghèo")
        ordering = ["commune", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "year", "number"], name="certificate_number"),
            models.UniqueConstraint(fields=["decision", "household"], name="certificate_once"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"Số {self.number:02d}/GCN-HN.HCN"
