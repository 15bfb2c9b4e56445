"""The household registry: households, people and their membership over time, living conditions, ethnicities and
the household's readable history.

Nothing here is overwritten without trace: people join and leave households through dated memberships, living
conditions are dated records, households close (moved, merged, split) instead of being deleted, and every change
made through the services is written to `HouseholdEvent` with its actor and old → new values.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from giamngheo.areas.models import AdminUnit, Village

citizen_id_validator = RegexValidator(
    r"^\d{12}$", _("Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số."), code="citizen_id"
)


class AreaType(models.TextChoices):
    RURAL = "nong_thon", _("Nông thôn")
    URBAN = "thanh_thi", _("Thành thị")


class CodeList(models.TextChoices):
    """Which official numbering of the 54 ethnic groups a code follows (domain.md §9)."""

    A = "A", _("Danh mục A (Kinh, Tày, Thái, Hoa, Khơ-me, ...) — dùng trong phần mềm hành chính")
    B = "B", _("Danh mục B của Tổng cục Thống kê (Kinh, Tày, Thái, Mường, Khmer, ...)")


class Ethnicity(models.Model):
    code_list = models.CharField(_("danh mục"), max_length=1, choices=CodeList.choices)
    code = models.CharField(_("mã"), max_length=2)
    name = models.CharField(_("tên"), max_length=60)
    alt_names = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    is_minority = models.BooleanField(_("dân tộc thiểu số"), default=True)
    is_local_indigenous = models.BooleanField(
        _("dân tộc tại chỗ (Tây Nguyên)"), default=False, help_text=_("Cờ báo cáo DTTC, khác với DTTS")
    )

    class Meta:
        verbose_name = _("dân tộc")
        verbose_name_plural = _("dân tộc")
        ordering = ["code_list", "code"]
        constraints = [models.UniqueConstraint(fields=["code_list", "code"], name="ethnicity_code_unique")]

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    MALE = "nam", _("Nam")
    FEMALE = "nu", _("Nữ")


class BirthDatePrecision(models.TextChoices):
    """How much of a birth date is known. A month and year is stored as the 1st of the month, a year alone as
    1 January (Nghị định 135/2020/NĐ-CP, Điều 3 khoản 3: "không xác định được ngày, tháng sinh mà chỉ có năm sinh
    thì lấy ngày 01 tháng 01 của năm sinh")."""

    DAY = "day", _("Ngày, tháng, năm")
    MONTH = "month", _("Tháng, năm")
    YEAR = "year", _("Chỉ có năm")


class EducationLevel(models.TextChoices):
    """The highest general (or higher) education completed. Vocational qualifications are recorded apart
    (`VocationalLevel`): an elementary vocational certificate does not imply a lower-secondary diploma."""

    NONE = "none", _("Chưa đi học / chưa tốt nghiệp tiểu học")
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
    COLLEGE = "college", _("Cao đẳng")
    UNIVERSITY = "university", _("Đại học trở lên")


class VocationalLevel(models.TextChoices):
    """The highest vocational qualification (Luật Giáo dục nghề nghiệp 2014: sơ cấp, trung cấp, cao đẳng)."""

    NONE = "none", _("Không có")
    ELEMENTARY = "elementary", _("Sơ cấp")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    COLLEGE = "college", _("Cao đẳng")


class SchoolLevel(models.TextChoices):
    """The level a member in school or training attends now (children's schooling: "học đúng bậc, cấp học phù
    hợp với độ tuổi")."""

    PRESCHOOL = "preschool", _("Mầm non")
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
    VOCATIONAL = "vocational", _("Giáo dục nghề nghiệp (sơ cấp, trung cấp, cao đẳng)")
    HIGHER = "higher", _("Đại học, sau đại học")


class WorkStatus(models.TextChoices):
    WAGE_WORKER = "wage_worker", _("Làm công ăn lương")
    SELF_EMPLOYED = "self_employed", _("Tự làm (nông nghiệp, kinh doanh)")
    UNEMPLOYED = "unemployed", _("Thất nghiệp, đang tìm việc")
    NOT_IN_LABOUR_FORCE = "not_in_labour_force", _("Không tham gia lao động (đi học, nội trợ, nghỉ hưu)")


class Person(models.Model):
    full_name = models.CharField(_("họ và tên"), max_length=120)
    search_name = models.CharField(max_length=120, db_index=True, editable=False, default="")
    sex = models.CharField(_("giới tính"), max_length=3, choices=Sex.choices)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("ngày sinh ghi được"),
        max_length=5,
        choices=BirthDatePrecision.choices,
        default=BirthDatePrecision.DAY,
    )
    citizen_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, null=True, blank=True, validators=[citizen_id_validator]
    )
    ethnicity = models.ForeignKey(
        Ethnicity, verbose_name=_("dân tộc"), null=True, blank=True, on_delete=models.PROTECT
    )
    # Facts the standards read: None = not recorded (the engine treats it as unknown, never as "no").
    disabled = models.BooleanField(_("khuyết tật"), null=True, blank=True)
    receives_social_allowance = models.BooleanField(
        _("hưởng trợ cấp xã hội hằng tháng"), null=True, blank=True
    )
    has_health_insurance = models.BooleanField(_("có bảo hiểm y tế"), null=True, blank=True)
    in_education = models.BooleanField(_("đang đi học / đào tạo"), null=True, blank=True)
    school_level = models.CharField(
        _("cấp học đang theo học"), max_length=24, choices=SchoolLevel.choices, null=True, blank=True
    )
    education_level = models.CharField(
        _("trình độ học vấn"), max_length=24, choices=EducationLevel.choices, null=True, blank=True
    )
    vocational_level = models.CharField(
        _("trình độ giáo dục nghề nghiệp"),
        max_length=24,
        choices=VocationalLevel.choices,
        null=True,
        blank=True,
    )
    work_status = models.CharField(
        _("việc làm"), max_length=24, choices=WorkStatus.choices, null=True, blank=True
    )
    has_labour_contract = models.BooleanField(_("có hợp đồng lao động"), null=True, blank=True)
    able_to_work = models.BooleanField(_("có khả năng lao động"), null=True, blank=True)
    malnourished = models.BooleanField(_("suy dinh dưỡng (trẻ em)"), null=True, blank=True)
    on_the_job_training_certified = models.BooleanField(
        _("được doanh nghiệp tuyển dụng và chứng nhận đào tạo nghề tại chỗ"), null=True, blank=True
    )
    has_meritorious_service = models.BooleanField(_("người có công với cách mạng"), default=False)
    date_of_death = models.DateField(_("ngày mất"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nhân khẩu")
        verbose_name_plural = _("nhân khẩu")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id"], condition=Q(citizen_id__isnull=False), name="person_citizen_id_unique"
            ),
            models.CheckConstraint(
                condition=Q(citizen_id__isnull=True) | Q(citizen_id__regex=r"^[0-9]{12}$"),
                name="person_citizen_id_12_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        from giamngheo.lib.text import fold

        self.search_name = fold(self.full_name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # Django's save takes loosely typed kwargs

    @property
    def birth_date_text(self) -> str:
        """The birth date as far as it is known: 05/03/1965, 03/1965 or 1965."""
        if self.birth_date is None:
            return ""
        formats = {BirthDatePrecision.YEAR: "%Y", BirthDatePrecision.MONTH: "%m/%Y"}
        return self.birth_date.strftime(
            formats.get(BirthDatePrecision(self.birth_date_precision), "%d/%m/%Y")
        )

    def is_alive_on(self, day: date) -> bool:
        """Alive on `day`: no date of death, or one after it (on the day of death the person no longer counts)."""
        return self.date_of_death is None or self.date_of_death > day


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Đang cư trú")
    CLOSED = "closed", _("Đã đóng")


class ClosedReason(models.TextChoices):
    MOVED_AWAY = "moved_away", _("Chuyển đi nơi khác")
    MERGED = "merged", _("Nhập vào hộ khác")
    SPLIT = "split", _("Tách thành các hộ mới")
    DIED_OUT = "died_out", _("Hộ một người đã mất")
    OTHER = "other", _("Lý do khác")


class Household(models.Model):
    code = models.CharField(_("mã hộ"), max_length=32, unique=True)
    commune = models.ForeignKey(
        AdminUnit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="households",
        help_text=_("Xã nơi hộ được đăng ký (đơn vị cũ nếu đăng ký trước 01/07/2025)"),
    )  # fmt: skip
    village = models.ForeignKey(
        Village,
        verbose_name=_("thôn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
    )
    area_type = models.CharField(
        _("khu vực"), max_length=10, choices=AreaType.choices, default=AreaType.RURAL
    )
    address = models.CharField(_("địa chỉ"), max_length=200, blank=True)
    head = models.ForeignKey(
        Person,
        verbose_name=_("chủ hộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headed",
    )
    is_agri = models.BooleanField(_("hộ làm nông, lâm, ngư, diêm nghiệp"), default=False)
    has_meritorious_member = models.BooleanField(_("có thành viên là người có công"), default=False)
    no_working_capacity = models.BooleanField(_("hộ không có khả năng lao động"), default=False)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=HouseholdStatus.choices, default=HouseholdStatus.ACTIVE
    )
    registered_on = models.DateField(_("ngày đăng ký"), null=True, blank=True)
    closed_on = models.DateField(_("ngày đóng"), null=True, blank=True)
    closed_reason = models.CharField(_("lý do đóng"), max_length=12, choices=ClosedReason.choices, blank=True)
    split_from = models.ForeignKey(
        "self",
        verbose_name=_("tách từ hộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="splits",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("nhập vào hộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merges",
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Optimistic concurrency: incremented on every save"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active", closed_on__isnull=True)
                | Q(status="closed", closed_on__isnull=False),
                name="household_closed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["commune", "status"])]

    def __str__(self) -> str:
        return self.code


class Relationship(models.TextChoices):
    HEAD = "head", _("Chủ hộ")
    SPOUSE = "spouse", _("Vợ/chồng")
    CHILD = "child", _("Con")
    PARENT = "parent", _("Cha/mẹ")
    GRANDCHILD = "grandchild", _("Cháu")
    SIBLING = "sibling", _("Anh/chị/em")
    OTHER = "other", _("Khác")


class MembershipEnd(models.TextChoices):
    DIED = "died", _("Đã mất")
    MOVED_OUT = "moved_out", _("Chuyển đi")
    JOINED_OTHER = "joined_other", _("Chuyển sang hộ khác")
    HOUSEHOLD_SPLIT = "household_split", _("Tách hộ")
    HOUSEHOLD_MERGED = "household_merged", _("Nhập hộ")
    OTHER = "other", _("Khác")


class Membership(models.Model):
    """A person's membership of a household, from a date until a date (open = current)."""

    # Indexed through the (household, end_date) and (person, start_date) indexes below, not on their own.
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="memberships", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships", db_index=False)
    relationship = models.CharField(_("quan hệ với chủ hộ"), max_length=12, choices=Relationship.choices)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    end_reason = models.CharField(_("lý do"), max_length=16, choices=MembershipEnd.choices, blank=True)

    class Meta:
        verbose_name = _("thành viên hộ")
        verbose_name_plural = _("thành viên hộ")
        ordering = ["household", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(end_date__isnull=True), name="membership_one_current_household"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["household", "end_date"]),
            models.Index(fields=["person", "start_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.household}"

    def is_current_on(self, day: date) -> bool:
        """Member on `day`: joined on or before it and not yet left (the end date is the day of leaving)."""
        return self.start_date <= day and (self.end_date is None or self.end_date > day)


class Material(models.TextChoices):
    """Main structural materials; durability per the housing-quality indicator (domain.md §1.2, row 7)."""

    CONCRETE = "concrete", _("Bê tông, gạch, đá")
    IRON_STEEL = "iron_steel", _("Sắt, thép")
    DURABLE_WOOD = "durable_wood", _("Gỗ bền chắc")
    TILE_METAL_SHEET = "tile_metal_sheet", _("Ngói, tôn, fibro xi măng")
    WEAK_WOOD_BAMBOO = "weak_wood_bamboo", _("Tre, nứa, gỗ tạp")
    EARTH = "earth", _("Đất, vách đất")
    LEAF_STRAW = "leaf_straw", _("Lá, rơm rạ, giấy dầu")
    OTHER = "other", _("Vật liệu tạm khác")


DURABLE_MATERIALS = frozenset(
    {Material.CONCRETE, Material.IRON_STEEL, Material.DURABLE_WOOD, Material.TILE_METAL_SHEET}
)


class WaterSource(models.TextChoices):
    PIPED = "piped", _("Nước máy")
    DRILLED_WELL = "drilled_well", _("Giếng khoan")
    PROTECTED_DUG_WELL = "protected_dug_well", _("Giếng đào được bảo vệ")
    PROTECTED_SPRING = "protected_spring", _("Nước khe, mó được bảo vệ")
    RAINWATER = "rainwater", _("Nước mưa")
    BOTTLED = "bottled", _("Nước đóng bình, đóng chai")
    UNPROTECTED_WELL = "unprotected_well", _("Giếng đào không được bảo vệ")
    SURFACE = "surface", _("Sông, suối, ao, hồ")
    OTHER = "other", _("Nguồn khác")


class LatrineType(models.TextChoices):
    """Latrine types: those of QCVN 01:2011/BYT (nhà tiêu khô chìm, khô nổi một/hai ngăn, tự hoại, thấm dội
    nước), "bán tự hoại" of the review forms, and the rest. Which count as hygienic is each standard's data."""

    SEPTIC = "septic", _("Tự hoại")
    SEMI_SEPTIC = "semi_septic", _("Bán tự hoại")
    POUR_FLUSH = "pour_flush", _("Thấm dội nước")
    DOUBLE_VAULT = "double_vault", _("Khô nổi hai ngăn")
    SINGLE_VAULT = "single_vault", _("Khô nổi một ngăn")
    VENTILATED_PIT = "ventilated_pit", _("Khô chìm (có ống thông hơi)")
    BIOGAS = "biogas", _("Biogas")
    PIT = "pit", _("Hố xí đào, tạm bợ")
    NONE = "none", _("Không có nhà tiêu")
    OTHER = "other", _("Loại khác")


class LivingConditions(models.Model):
    """Living conditions of a household as recorded on a date; a new record is added, never overwritten."""

    # Indexed through the unique (household, recorded_on) constraint, not on its own.
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="living_conditions", db_index=False
    )
    recorded_on = models.DateField(_("ngày ghi nhận"))
    wall_material = models.CharField(
        _("tường"), max_length=20, choices=Material.choices, null=True, blank=True
    )
    pillar_material = models.CharField(
        _("cột"), max_length=20, choices=Material.choices, null=True, blank=True
    )
    roof_material = models.CharField(_("mái"), max_length=20, choices=Material.choices, null=True, blank=True)
    floor_area_m2 = models.DecimalField(
        _("diện tích nhà ở (m²)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    water_source = models.CharField(
        _("nguồn nước"), max_length=20, choices=WaterSource.choices, null=True, blank=True
    )
    latrine_type = models.CharField(
        _("nhà tiêu"), max_length=20, choices=LatrineType.choices, null=True, blank=True
    )
    uses_internet = models.BooleanField(_("sử dụng internet"), null=True, blank=True)
    has_phone = models.BooleanField(_("có điện thoại"), null=True, blank=True)
    has_tv = models.BooleanField(_("có ti vi"), null=True, blank=True)
    has_radio = models.BooleanField(_("có radio"), null=True, blank=True)
    has_computer = models.BooleanField(_("có máy tính"), null=True, blank=True)
    has_smartphone = models.BooleanField(_("có điện thoại thông minh"), null=True, blank=True)
    waste_collected = models.BooleanField(_("rác thải được thu gom"), null=True, blank=True)
    hears_loudspeaker = models.BooleanField(_("nghe được loa truyền thanh"), null=True, blank=True)

    class Meta:
        verbose_name = _("điều kiện sống")
        verbose_name_plural = _("điều kiện sống")
        ordering = ["household", "-recorded_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "recorded_on"], name="living_conditions_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(floor_area_m2__isnull=True) | Q(floor_area_m2__gte=0),
                name="floor_area_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.recorded_on:%d/%m/%Y}"


class EventKind(models.TextChoices):
    CREATED = "created", _("Đăng ký hộ")
    UPDATED = "updated", _("Sửa thông tin hộ")
    MEMBER_ADDED = "member_added", _("Thêm thành viên")
    MEMBER_UPDATED = "member_updated", _("Sửa thông tin thành viên")
    MEMBER_LEFT = "member_left", _("Thành viên rời hộ")
    LIVING_CONDITIONS = "living_conditions", _("Ghi nhận điều kiện sống")
    MOVED = "moved", _("Chuyển nơi ở")
    SPLIT = "split", _("Tách hộ")
    MERGED = "merged", _("Nhập hộ")
    CLOSED = "closed", _("Đóng hộ")
    ASSESSED = "assessed", _("Rà soát, phân loại")


class HouseholdEventQuerySet(models.QuerySet["HouseholdEvent"]):
    """Bulk updates and deletes are refused like single ones: the history is append-only."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError("household events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError("household events are append-only")


class HouseholdEvent(models.Model):
    """One entry of a household's history: who did what, when, and the old → new values. Append-only."""

    # Indexed through the (household, recorded_at) index, not on its own.
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="events", db_index=False)
    kind = models.CharField(_("loại"), max_length=20, choices=EventKind.choices)
    occurred_on = models.DateField(_("ngày phát sinh"))
    recorded_at = models.DateTimeField(_("thời điểm ghi"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=150)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True, help_text="{field: [old, new]}")
    note = models.TextField(_("ghi chú"), blank=True)
    # The member concerned, for member events (added, updated, left).
    person = models.ForeignKey(
        Person,
        verbose_name=_("nhân khẩu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="household_events",
    )
    # Household.version after this event (None when the event did not save the household): lets a stale edit be
    # told exactly what changed since the version it started from.
    household_version = models.PositiveIntegerField(null=True, blank=True)

    objects = HouseholdEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch sử hộ")
        verbose_name_plural = _("lịch sử hộ")
        ordering = ["household", "recorded_at", "id"]
        indexes = [
            models.Index(fields=["household", "recorded_at"]),
            models.Index(fields=["household", "household_version"]),
            # The newest survey result written (`reviews.overview.data_stamp`), without reading other events.
            models.Index(fields=["id"], condition=Q(kind=EventKind.ASSESSED), name="event_assessed_id"),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.kind} {self.recorded_at:%Y-%m-%d}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("household events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("household events are append-only")
