"""Households and members: what the API shows of them and what it takes to register and change them."""

from datetime import date
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Schema

from giamngheo.api.schemas.common import Day, Flag, Id, Input, Stamp, Text
from giamngheo.api.schemas.reviews import AssessmentItem
from giamngheo.api.schemas.units import UnitRef
from giamngheo.registry.models import (
    AreaType,
    BirthDatePrecision,
    ClosedReason,
    EducationLevel,
    HouseholdStatus,
    LatrineType,
    Material,
    MembershipEnd,
    Relationship,
    SchoolLevel,
    Sex,
    VocationalLevel,
    WaterSource,
    WorkStatus,
)
from giamngheo.reviews.models import PovertyClass


class VillageRef(Schema):
    id: int
    local_code: str
    name: str


class HouseholdItem(Schema):
    id: int
    code: str
    commune: UnitRef
    village: VillageRef | None
    area_type: AreaType
    address: str
    head_id: int | None
    head_name: str | None
    is_agri: bool
    has_meritorious_member: bool
    no_working_capacity: bool
    status: HouseholdStatus
    registered_on: date | None
    closed_on: date | None
    version: int = Field(description="Gửi lại trong expected_version khi sửa hộ")
    latest_class: PovertyClass | None = Field(description="Phân loại ở lần rà soát gần nhất")
    latest_year: int | None
    latest_deprivation_count: int | None
    matched_members: list[str] = Field(
        default_factory=list,
        description="Khi tìm theo tên hoặc số định danh: những thành viên (hiện tại hoặc đã rời hộ) khớp",
    )

    @staticmethod
    def resolve_head_name(obj: Any) -> str | None:
        return obj.head.full_name if obj.head is not None else None


class HouseholdFilters(Schema):
    commune: Id | None = Field(None, description="id của xã nơi hộ đăng ký")
    village: Id | None = Field(None, description="id của thôn")
    poverty_class: PovertyClass | None = Field(None, description="Phân loại ở lần rà soát gần nhất")
    ethnicity: Annotated[str, Field(pattern=r"^[0-9]{2}$")] | None = Field(
        None, description="Mã dân tộc của chủ hộ theo danh mục A (hai chữ số, ví dụ 01 Kinh)"
    )
    status: HouseholdStatus | None = None
    is_agri: bool | None = None
    has_meritorious_member: bool | None = None
    no_working_capacity: bool | None = None
    q: Annotated[Text, Field(max_length=120)] | None = Field(
        None,
        description="Tên thành viên (không phân biệt dấu và dấu nháy ' ’), mã hộ, hoặc số định danh 12 chữ số",
    )


class HouseholdPaging(Schema):
    limit: int = Field(50, ge=1, le=500, description="Số hộ tối đa trên một trang")
    offset: int = Field(0, ge=0, le=50_000_000, description="Bỏ qua bấy nhiêu hộ đầu")


class HouseholdPageOut(Schema):
    count: int | None = Field(
        description="Số hộ khớp bộ lọc; null khi không đếm (tên rất phổ biến) hoặc khi có hơn count_at_least hộ"
    )
    count_at_least: int | None = Field(
        None, description="Khi đếm có giới hạn (lọc theo phân loại, dân tộc): có hơn bấy nhiêu hộ khớp"
    )
    limit: int
    offset: int
    items: list[HouseholdItem]


class LivingConditionsOut(Schema):
    recorded_on: date
    wall_material: Material | None
    pillar_material: Material | None
    roof_material: Material | None
    floor_area_m2: float | None
    water_source: WaterSource | None
    latrine_type: LatrineType | None
    uses_internet: bool | None
    has_phone: bool | None
    has_tv: bool | None
    has_radio: bool | None
    has_computer: bool | None
    has_smartphone: bool | None
    waste_collected: bool | None
    hears_loudspeaker: bool | None


class PersonFields(Schema):
    full_name: str
    sex: Sex
    birth_date: date | None
    birth_date_precision: BirthDatePrecision
    citizen_id: str | None
    ethnicity_id: int | None
    ethnicity_name: str | None
    disabled: bool | None
    receives_social_allowance: bool | None
    has_health_insurance: bool | None
    in_education: bool | None
    school_level: SchoolLevel | None
    education_level: EducationLevel | None
    vocational_level: VocationalLevel | None
    work_status: WorkStatus | None
    has_labour_contract: bool | None
    able_to_work: bool | None
    malnourished: bool | None
    on_the_job_training_certified: bool | None
    has_meritorious_service: bool
    date_of_death: date | None

    @staticmethod
    def resolve_ethnicity_name(obj: Any) -> str | None:
        return obj.ethnicity.name if obj.ethnicity_id is not None else None


def _of_person(name: str) -> Any:
    return Field(alias=f"person.{name}")


class MemberOut(Schema):
    """A person as a member of a household (one membership), read from the `Membership` row."""

    id: int = Field(alias="person_id", description="id của nhân khẩu")
    membership_id: int = Field(alias="pk")
    household_id: int
    relationship: Relationship
    start_date: date = Field(description="Ngày vào hộ")
    end_date: date | None = Field(description="Ngày rời hộ")
    end_reason: MembershipEnd | Literal[""]
    full_name: str = _of_person("full_name")
    sex: Sex = _of_person("sex")
    birth_date: date | None = _of_person("birth_date")
    birth_date_precision: BirthDatePrecision = _of_person("birth_date_precision")
    citizen_id: str | None = _of_person("citizen_id")
    ethnicity_id: int | None = _of_person("ethnicity_id")
    ethnicity_name: str | None

    disabled: bool | None = _of_person("disabled")
    receives_social_allowance: bool | None = _of_person("receives_social_allowance")
    has_health_insurance: bool | None = _of_person("has_health_insurance")
    in_education: bool | None = _of_person("in_education")
    school_level: SchoolLevel | None = _of_person("school_level")
    education_level: EducationLevel | None = _of_person("education_level")
    vocational_level: VocationalLevel | None = _of_person("vocational_level")
    work_status: WorkStatus | None = _of_person("work_status")
    has_labour_contract: bool | None = _of_person("has_labour_contract")
    able_to_work: bool | None = _of_person("able_to_work")
    malnourished: bool | None = _of_person("malnourished")
    on_the_job_training_certified: bool | None = _of_person("on_the_job_training_certified")
    has_meritorious_service: bool = _of_person("has_meritorious_service")
    date_of_death: date | None = _of_person("date_of_death")

    @staticmethod
    def resolve_ethnicity_name(obj: Any) -> str | None:
        person = obj.person
        return person.ethnicity.name if person.ethnicity_id is not None else None


class MembershipOut(Schema):
    id: int
    household_id: int
    household_code: str = Field(alias="household.code")
    relationship: Relationship
    start_date: date
    end_date: date | None
    end_reason: MembershipEnd | Literal[""]


class PersonOut(PersonFields):
    id: int
    memberships: list[MembershipOut] = Field(description="Các lần là thành viên của hộ trong địa bàn của bạn")

    @staticmethod
    def resolve_memberships(obj: Any) -> list[Any]:
        return list(obj.visible_memberships)


class HouseholdDetail(HouseholdItem):
    """Read from a `Household` whose memberships, living conditions (newest first) and assessments are
    prefetched (`households.household_with_details`)."""

    closed_reason: ClosedReason | Literal[""]
    last_event_id: int = Field(description="Mục lịch sử mới nhất của hộ; gửi lại khi sửa thành viên, phiếu")
    members: list[MemberOut] = Field(description="Thành viên hiện tại")
    living_conditions: LivingConditionsOut | None = Field(description="Điều kiện sống ghi nhận gần nhất")
    assessments: list[AssessmentItem] = Field(description="Các lần rà soát, mới nhất trước")

    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        today = timezone.localdate()
        return [membership for membership in obj.memberships.all() if membership.is_current_on(today)]

    @staticmethod
    def resolve_living_conditions(obj: Any) -> Any:
        return next(iter(obj.living_conditions.all()), None)

    @staticmethod
    def resolve_assessments(obj: Any) -> list[Any]:
        return list(obj.assessments.all())


class HouseholdCreate(Input):
    code: Annotated[Text, Field(max_length=64)]
    commune_id: Id
    village_id: Id | None = None
    area_type: AreaType = AreaType.RURAL
    registered_on: Day
    address: Annotated[Text, Field(max_length=200)] = ""
    is_agri: Flag = False
    has_meritorious_member: Flag = False
    no_working_capacity: Flag = False


class HouseholdUpdate(Stamp):
    on: Day | None = Field(None, description="Ngày thay đổi có hiệu lực (mặc định hôm nay)")
    code: Annotated[Text, Field(max_length=64)] | None = None
    commune_id: Id | None = None
    village_id: Id | None = None
    area_type: AreaType | None = None
    address: Annotated[Text, Field(max_length=200)] | None = None
    head_id: Id | None = None
    is_agri: Flag | None = None
    has_meritorious_member: Flag | None = None
    no_working_capacity: Flag | None = None


class MemberCreate(Stamp):
    full_name: Annotated[Text, Field(max_length=200)]
    sex: Sex
    relationship: Relationship
    start_date: Day = Field(description="Ngày vào hộ")
    birth_date: Day | None = None
    birth_date_precision: BirthDatePrecision = Field(
        BirthDatePrecision.DAY,
        description="Phần ngày sinh đã biết: day, month (birth_date là ngày 01 của tháng) hoặc year (01/01)",
    )
    citizen_id: Annotated[Text, Field(max_length=32)] | None = None
    ethnicity_id: Id | None = None
    # Facts the standards read: omitted or null = not recorded (undecided, never "no").
    disabled: Flag | None = None
    receives_social_allowance: Flag | None = None
    has_health_insurance: Flag | None = None
    in_education: Flag | None = None
    school_level: SchoolLevel | None = None
    education_level: EducationLevel | None = None
    vocational_level: VocationalLevel | None = None
    work_status: WorkStatus | None = None
    has_labour_contract: Flag | None = None
    able_to_work: Flag | None = None
    malnourished: Flag | None = None
    on_the_job_training_certified: Flag | None = None
    has_meritorious_service: Flag = False


class MemberUpdate(Stamp):
    """Only the fields sent are changed."""

    on: Day | None = Field(None, description="Ngày thay đổi (mặc định hôm nay)")
    relationship: Relationship | None = None
    full_name: Annotated[Text, Field(max_length=200)] | None = None
    sex: Sex | None = None
    birth_date: Day | None = None
    birth_date_precision: BirthDatePrecision | None = None
    citizen_id: Annotated[Text, Field(max_length=32)] | None = None
    ethnicity_id: Id | None = None
    disabled: Flag | None = None
    receives_social_allowance: Flag | None = None
    has_health_insurance: Flag | None = None
    in_education: Flag | None = None
    school_level: SchoolLevel | None = None
    education_level: EducationLevel | None = None
    vocational_level: VocationalLevel | None = None
    work_status: WorkStatus | None = None
    has_labour_contract: Flag | None = None
    able_to_work: Flag | None = None
    malnourished: Flag | None = None
    on_the_job_training_certified: Flag | None = None
    has_meritorious_service: Flag | None = None
    date_of_death: Day | None = None


class MemberFilters(Schema):
    include_past: bool = Field(False, description="Gồm cả người đã rời hộ")
